# x without a module searches every module, x * lists the frame's locals,
# x /v /t /0 /1 /2 and the sort options; ln names the symbol with its
# type; lm lists modules by address (lmv, lm f, lm o, lm l, lm 1m, lm sm,
# lm a, lm M); the symbol path comes from -y or _NT_SYMBOL_PATH.  Addresses
# and sizes are nm's plus the load base from the program's own maps.
. tests/lib.sh
maps="$TMPD/maps"
echo "mapped" >"$TMPD/file"
dr7 "$PROGS/memmap" "$TMPD/file" "$maps" <<'CMDS'
bp `memmap.c:43`
g
x needle_*
x *!needle_qword
x strlen
x *
x /t *
x /v *
x /v memmap!stopped_here
x /t memmap!counter
x /v /t memmap!counter
x /0 memmap!counter
x /1 memmap!counter
x /2 memmap!counter
x /a memmap!needle_*
x /N memmap!needle_*
x /f memmap!counter
x memmap!
ln stopped_here
ln counter
ln stopped_here+4
lm
lm o
lm f
lmv m memmap
lm 1m
lm sm
lm l
lm a stopped_here
lm M *libc.so*
lm q
q
CMDS
exe=$(readlink -f "$PROGS/memmap")
base=$(awk -v p="$exe" '$6 == p { print $1; exit }' "$maps" | cut -d- -f1)
[ -n "$base" ] || fail "the program's base from its maps"
at() {
	off=$(nm "$PROGS/memmap" | awk -v s="$1" '$3 == s { print $1 }')
	v=$(printf '%016x' $(( 0x$base + 0x$off )))
	printf '%s`%s' "$(printf %s "$v" | cut -c1-8)" "$(printf %s "$v" | cut -c9-16)"
}
size() { printf '%x' $(( 0x$(nm -S "$PROGS/memmap" | awk -v s="$1" '$4 == s { print $2 }') )); }
A='[0-9a-f]{8}`[0-9a-f]{8}'
# Every module: the program's globals with their values, libc's strlen.
expect_seq '^0:000> x needle_\*$' "^$(at needle_text) memmap!needle_text = 0x$(at needle_text) \"dr7-needle\"\$" \
	"^$(at needle_words) memmap!needle_words = uint16_t \\[4\\]\$" "^$(at needle_qword) memmap!needle_qword = 0x123456789abcdef\$"
expect_seq '^0:000> x \*!needle_qword$' "^$(at needle_qword) memmap!needle_qword = "
expect_seq '^0:000> x strlen$' "^$A libc_so!strlen( |\$)"
# The frame's locals, after line 42 computed total (3 + 6 + 5).
expect_seq '^0:000> x \*$' "^$A depth = 0n3\$" "^$A why = 0x$A \"test\"\$" "^$A where = struct point\$" "^$A total = 0n14\$"
expect_seq '^0:000> x /t \*$' "^$A int depth = 0n3\$" "^$A char \\* why = " "^$A struct point where = struct point\$" "^$A int total = 0n14\$"
expect_seq '^0:000> x /v \*$' "^prv param  $A +4 depth = 0n3\$" "^prv param  $A +8 why = " "^prv local  $A +8 where = " "^prv local  $A +4 total = 0n14\$"
expect_seq '^0:000> x /v memmap!stopped_here$' "^prv func   $(at stopped_here) +$(size stopped_here) memmap!stopped_here \\(int, char \\*\\)\$"
expect_seq '^0:000> x /t memmap!counter$' "^$(at counter) int memmap!counter = 0n5\$"
expect_seq '^0:000> x /v /t memmap!counter$' "^prv global $(at counter) +4 int memmap!counter = 0n5\$"
expect_seq '^0:000> x /0 memmap!counter$' "^$(at counter)\$" '^0:000> x /1 memmap!counter$' '^memmap!counter$' \
	'^0:000> x /2 memmap!counter$' "^$(at counter) memmap!counter\$"
expect_seq '^0:000> x /a memmap!needle_\*$' "^$(at needle_text) memmap!needle_text " "^$(at needle_words) memmap!needle_words " \
	"^$(at needle_dwords) memmap!needle_dwords " "^$(at needle_qword) memmap!needle_qword " "^$(at needle_wide) memmap!needle_wide "
expect_seq '^0:000> x /N memmap!needle_\*$' ' memmap!needle_words ' ' memmap!needle_wide ' ' memmap!needle_text ' \
	' memmap!needle_qword ' ' memmap!needle_dwords ' '^0:000> x /f memmap!counter$'
expect_seq '^0:000> x /f memmap!counter$' '^not supported: x /f '
expect_seq '^0:000> x memmap!$' "^Syntax error: x needs a symbol pattern after '!'\$"
# ln: the symbol's type where it is exact.
expect_seq '^0:000> ln stopped_here$' "\\($(at stopped_here)\\)   memmap!stopped_here   \\|" '^Exact matches:$' \
	'^    memmap!stopped_here \(int, char \*\)$'
expect_seq '^0:000> ln counter$' "\\($(at counter)\\)   memmap!counter " '^Exact matches:$' '^    memmap!counter = 0n5$'
expect_seq '^0:000> ln stopped_here\+4$' "memmap!stopped_here\\+0x4 " '^0:000> lm$'
# lm: by address, and lm o is the same list (dr7 keeps no unloaded modules).
lm_of() { printf '%s\n' "$OUT" | sed -n "/^0:000> $1\$/,/^0:000> /p" | sed '1d;$d'; }
lm_of lm >"$TMPD/lm"
lm_of 'lm o' >"$TMPD/lmo"
[ "$(wc -l <"$TMPD/lm")" -ge 5 ] || fail "lm lists a header and at least 4 modules"
tail -n +2 "$TMPD/lm" | cut -c1-17 >"$TMPD/starts"
sort -c "$TMPD/starts" 2>/dev/null || fail "lm lists modules by address: $(tr '\n' ' ' <"$TMPD/starts")"
cmp -s "$TMPD/lm" "$TMPD/lmo" || fail "lm o lists what lm lists"
expect_seq '^0:000> lm$' '^start             end                 module name$' \
	"^$A $A   memmap     \\(private pdb symbols\\)  $exe\$"
libc=$(awk '$6 ~ /libc\.so\.6$/ { print $6; exit }' "$maps")
expect_seq '^0:000> lm f$' "^$A $A   libc_so    \\(private pdb symbols\\)  $libc\$"
id=$(readelf -n "$PROGS/memmap" | sed -n 's/.*Build ID: *\([0-9a-f]*\).*/\1/p')
expect_seq '^0:000> lmv m memmap$' "^$A $A   memmap " "^    Image path: $exe\$" '^    Image name: memmap$' \
	"^    Build ID: +$id\$" "^    Symbol file: +$exe\$" '^    Symbols from: +the image itself$'
expect_seq '^0:000> lm 1m$' '^memmap$' '^libc_so$' '^linux_vdso_so$' '^ld_linux_x86_64_so$' '^0:000> lm sm$'
expect_seq '^0:000> lm sm$' '   ld_linux_x86_64_so ' '   libc_so ' '   linux_vdso_so ' '   memmap ' '^0:000> lm l$'
lm_of 'lm l' >"$TMPD/lml"
grep -q 'linux_vdso_so' "$TMPD/lml" && fail "lm l leaves out the vDSO (export symbols only)"
grep -q ' memmap ' "$TMPD/lml" || fail "lm l lists memmap"
lm_of 'lm a stopped_here' >"$TMPD/lma"
[ "$(grep -c '^[0-9a-f]' "$TMPD/lma")" = 1 ] && grep -q ' memmap ' "$TMPD/lma" || fail "lm a Address lists its module only"
lm_of 'lm M \*libc.so\*' >"$TMPD/lmM"
[ "$(grep -c '^[0-9a-f]' "$TMPD/lmM")" = 1 ] && grep -q ' libc_so ' "$TMPD/lmM" || fail "lm M Pattern matches the path"
expect_seq '^0:000> lm q$' "^not supported: lm option 'q'"
# The symbol path at start: -y, else _NT_SYMBOL_PATH.
dr7 -y "$TMPD/a;srv*http://127.0.0.1:9" -c ".sympath" "$PROGS/memmap" </dev/null
expect "^Symbol search path is: $TMPD/a;srv\\*http://127\\.0\\.0\\.1:9\$"
_NT_SYMBOL_PATH="$TMPD/b" dr7 -c ".sympath" "$PROGS/memmap" </dev/null
expect "^Symbol search path is: $TMPD/b\$"
dr7 -y "http://127.0.0.1:9" "$PROGS/memmap" </dev/null
expect "^dr7: -y: Symbol path entry 'http://127\\.0\\.0\\.1:9': a server is written srv\\*http://127\\.0\\.0\\.1:9\$"
[ "$RC" = 2 ] || fail "a bad -y path ends dr7 with status 2 (got $RC)"
done_test
