# Files replaced on disk while the process runs: symbols still describe
# what is loaded.  An executable deleted after start still shows as a
# module (from memory, "(deleted)") and hides nothing else; a library
# replaced by another one at the same path is read from memory, not from
# the new file (whose plug_func lies elsewhere).
. tests/lib.sh
cp "$PROGS/waiter" "$TMPD/gone"
cp "$PROGS/libplug.so" "$TMPD/libx.so"
LD_PRELOAD="$TMPD/libx.so" "$TMPD/gone" "$TMPD/stop" >"$TMPD/out" 2>&1 &
pid=$!
while ! grep -q ready "$TMPD/out" 2>/dev/null; do :; done
rm "$TMPD/gone" "$TMPD/libx.so"
cp "$PROGS/libplug2.so" "$TMPD/libx.so"
libx_base=$(awk '$6 ~ /libx\.so$/ && $3 == "00000000" { split($1, r, "-"); print r[1]; exit }' /proc/$pid/maps)
dr7 -p "$pid" <<'CMDS'
lm
x libx!plug_func
k
qd
CMDS
touch "$TMPD/stop"
wait "$pid"
off=$(nm "$PROGS/libplug.so" | awk '$3 == "plug_func" { print $1 }')
want=$(printf '%016x' $(( 0x$libx_base + 0x$off )))
expect "^[0-9a-f]{8}\`[0-9a-f]{8} [0-9a-f]{8}\`[0-9a-f]{8}   gone +\\(export symbols\\) +$TMPD/gone \\(deleted\\)\$"
expect "   libx +\\(export symbols\\) +$TMPD/libx.so \\(deleted\\)\$"
expect '   libc_so +\(private pdb symbols\)'
expect '   ld_linux_x86_64_so '
expect "^$(printf '%s' "$want" | cut -c1-8)\`$(printf '%s' "$want" | cut -c9-16) libx!plug_func \\(<no parameter info>\\)\$"
expect_seq '^ # Child-SP' ' libc_so!' ' gone\+0x' ' libc_so!__libc_start_main\+0x'
done_test
