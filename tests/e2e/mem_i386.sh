# s and !address on an i386 program: 8-digit addresses in the listing and
# in each hit, the string found where the file has it (its offset in the
# file plus the load base), the region block in 32-bit form.
. tests/lib.sh
dr7 "$PROGS/vars32" <<'CMDS'
lm m vars32
s -[1]a 0 L?ffffffff "hello"
s -a 0 L?ffffffff "hello"
!address poi(greeting)
!address
q
CMDS
base=$(printf '%s\n' "$OUT" | awk '$3 == "vars32" { print $1; exit }')
off=$(strings -t x "$PROGS/vars32" | awk '$2 == "hello" { print $1; exit }')
[ -n "$base" ] && [ -n "$off" ] || fail "the base from lm and the string's offset from strings"
# The first PT_LOAD maps file offset 0 at the base, so the string is there.
want=$(printf '%08x' $(( 0x$base + 0x$off )))
expect_seq '^0:000> s -\[1\]a 0 L\?ffffffff "hello"$' "^$want\$"
expect_seq '^0:000> s -a 0 L\?ffffffff "hello"$' "^$want  68 65 6c 6c 6f 00 "
page=$(printf '%08x' $(( 0x$want & ~0xfff )))
expect_seq '^0:000> !address poi\(greeting\)$' '^Usage: +Image$' "^Base Address: +$page\$" \
	'^Region Size: +00001000 \(   4\.000 kB\)$' '^Protect: +00000002 +PAGE_READONLY$' '^Type: +01000000 +MEM_IMAGE$' \
	"^Allocation Base: +$base\$" '^Module Name: +vars32$'
expect_seq '^0:000> !address$' '^ BaseAddr +End\+1 +RgnSize Type +State +Protect +Usage$' \
	"^\\+       0 $base $base +MEM_FREE    PAGE_NOACCESS +Free\$" \
	"^\\+$base [0-9a-f]{8}     1000 MEM_IMAGE   MEM_COMMIT  PAGE_READONLY +Image +\\[vars32; \""
done_test
