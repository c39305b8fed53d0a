# s: each type finds its pattern where nm says the data is, in d*'s line
# format; L counts pattern units; the whole address space is searched
# around unreadable gaps (an inaccessible page between two copies);
# -[1] prints addresses only, -[w] skips read-only memory; an int3 of
# dr7's is never seen (its original byte is); bad ranges and patterns are
# one error line.
. tests/lib.sh
file="$TMPD/mapped.txt"
echo "hello-file-needle" >"$file"
dr7 "$PROGS/memmap" "$file" "$TMPD/maps" <<'CMDS'
bp stopped_here
g
s -a 0 L?800000000000 "needle"
s -[w]a 0 L?800000000000 "needle"
s -[1]a 0 L?800000000000 "anon-needle"
s -d needle_dwords L1 cafef00d
s -d needle_dwords L2 cafef00d
s -d needle_dwords L4 cafef00d 0badf00d
s -q needle_qword L1 0123456789abcdef
s -w needle_words L4 abcd 5678
s -w needle_words L4 78ab
s -b needle_words L8 ab 78
s -b needle_text needle_text+9 'r' '7'
s -u needle_wide L20 "WideNeedle"
s -a needle_wide L20 "WideNeedle"
s -b stopped_here L4 55
s -b stopped_here L10 cc
s -d needle_dwords needle_dwords-1 1
s -d 0 L4000001 0
s -d needle_dwords L4 123456789
s -z needle_dwords L4 1
s -d needle_dwords L4
s -d
s -a needle_text L4 ""
s -sa needle_text L4
s -[x]d needle_dwords L4 1
s -b needle_dwords L0 1
s -b needle_dwords L10000001 1
q
CMDS
exe=$(readlink -f "$PROGS/memmap")
base=$(awk -v p="$exe" '$6 == p { print $1; exit }' "$TMPD/maps" | cut -d- -f1)
[ -n "$base" ] || fail "the program's base from its maps"
# nm's offset + the load base, in WinDbg's address form.
at() {
	off=$(nm "$PROGS/memmap" | awk -v s="$1" '$3 == s { print $1 }')
	v=$(printf '%016x' $(( 0x$base + 0x$off + ${2:-0} )))
	printf '%s`%s' "$(printf %s "$v" | cut -c1-8)" "$(printf %s "$v" | cut -c9-16)"
}
info=$(printf '%s\n' "$OUT" | grep '^memmap-info' | head -n 1)
anon=$(printf '%s\n' "$info" | sed 's/.* anon=\([0-9a-f]*\).*/\1/')
a1=$(printf '%016x' $(( 0x$anon + 100 ))); a1="$(printf %s "$a1" | cut -c1-8)\`$(printf %s "$a1" | cut -c9-16)"
a2=$(printf '%016x' $(( 0x$anon + 0x2000 + 100 ))); a2="$(printf %s "$a2" | cut -c1-8)\`$(printf %s "$a2" | cut -c9-16)"
# "needle": the data, the heap, both anonymous copies and the mapped file.
expect_seq '^0:000> s -a 0 L\?800000000000 "needle"$' \
	"^$(at needle_text 4)  6e 65 65 64 6c 65 00 00-00 00 00 00 34 12 cd ab  needle......4...$"
got=$(printf '%s\n' "$OUT" | sed -n '/^0:000> s -a 0 L?800000000000 "needle"$/,/^0:000> s -\[w\]a/p' | grep -c '  6e 65 65 64 6c 65')
[ "$got" = 5 ] || fail "5 hits for needle (data, heap, two anonymous pages, the file), got $got"
got=$(printf '%s\n' "$OUT" | sed -n '/^0:000> s -\[w\]a/,/^0:000> s -\[1\]a/p' | grep -c '  6e 65 65 64 6c 65')
[ "$got" = 4 ] || fail "4 writable hits for needle (the file is read-only), got $got"
expect_seq '^0:000> s -\[1\]a 0 L\?800000000000 "anon-needle"$' "^$a1\$" "^$a2\$" '^0:000> s -d needle_dwords L1 cafef00d$'
expect_count 1 "^$a1\$"
# L counts dwords: the second dword is beyond L1, within L2.
expect_seq '^0:000> s -d needle_dwords L1 cafef00d$' '^0:000> s -d needle_dwords L2 cafef00d$' \
	"^$(at needle_dwords 4)  cafef00d 0badf00d 55667788 89abcdef  \\.{9}wfU\\.{4}$"
expect_seq '^0:000> s -d needle_dwords L4 cafef00d 0badf00d$' "^$(at needle_dwords 4)  cafef00d 0badf00d "
expect_seq '^0:000> s -q needle_qword L1 0123456789abcdef$' "^$(at needle_qword)  01234567\`89abcdef "
expect_seq '^0:000> s -w needle_words L4 abcd 5678$' "^$(at needle_words 2)  abcd 5678 9abc 0000 "
# Words are matched at word boundaries only; bytes anywhere.
expect_seq '^0:000> s -w needle_words L4 78ab$' '^0:000> s -b needle_words L8 ab 78$' \
	"^$(at needle_words 3)  ab 78 56 bc 9a 00 00 00-"
expect_seq "^0:000> s -b needle_text needle_text\\+9 'r' '7'\$" "^$(at needle_text 1)  72 37 2d 6e 65 65 64 6c-65 00 "
expect_seq '^0:000> s -u needle_wide L20 "WideNeedle"$' "^$(at needle_wide)  0057 0069 0064 0065 004e 0065 0065 0064  W\\.i\\.d\\.e\\.N\\.e\\.e\\.d\\.$"
# The UTF-16 string is not an ASCII one.
expect_seq '^0:000> s -a needle_wide L20 "WideNeedle"$' '^0:000> s -b stopped_here L4 55$'
expect_not "^$(at needle_wide)  57 "
# The breakpoint's int3 is hidden: the original push rbp (55) is found, no cc.
expect_seq '^0:000> s -b stopped_here L4 55$' "^$(at stopped_here)  55 "
expect_seq '^0:000> s -b stopped_here L10 cc$' '^0:000> s -d needle_dwords needle_dwords-1 1$'
expect_not "^$(at stopped_here)  cc"
expect_seq '^0:000> s -d needle_dwords needle_dwords-1 1$' '^Range error: the end is before the start$'
expect_seq '^0:000> s -d 0 L4000001 0$' '^Range error: more than 256 MB \(use L\? to allow it\)$' '^0:000> s -d needle_dwords L4 123456789$'
expect_seq '^0:000> s -d needle_dwords L4 123456789$' '^Value 123456789 is too large for 4 byte\(s\)$'
expect_seq '^0:000> s -z needle_dwords L4 1$' '^Syntax error: s takes -b, -w, -d, -q, -a or -u'
expect_seq '^0:000> s -d needle_dwords L4$' '^Syntax error: s needs a pattern after the range$'
expect_seq '^0:000> s -d$' '^Syntax error: s needs a range and a pattern'
expect_seq '^0:000> s -a needle_text L4 ""$' '^Syntax error: the string to search for is empty$'
expect_seq '^0:000> s -sa needle_text L4$' '^not supported: s -sa'
expect_seq '^0:000> s -\[x\]d needle_dwords L4 1$' "^not supported: s flag 'x'"
expect_seq '^0:000> s -b needle_dwords L0 1$' '^Range error: a count of zero$'
expect_seq '^0:000> s -b needle_dwords L10000001 1$' '^Range error: more than 256 MB'
done_test
