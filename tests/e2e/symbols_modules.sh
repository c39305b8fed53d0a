# x, ln and lm agree with nm and /proc/PID/maps (x adds what DWARF says:
# a function's parameter types, a variable's value).
. tests/lib.sh
stop="$TMPD/stop"
"$PROGS/waiter" "$stop" >"$TMPD/out" 2>&1 &
pid=$!
while ! grep -q ready "$TMPD/out" 2>/dev/null; do :; done
exe_base=$(awk -v p="$(readlink -f "$PROGS/waiter")" '$6 == p { split($1, r, "-"); print r[1]; exit }' /proc/$pid/maps)
libc_base=$(awk '$6 ~ /libc\.so\.6$/ { split($1, r, "-"); print r[1]; exit }' /proc/$pid/maps)
dr7 -p "$pid" <<'CMDS'
x waiter!tick*
x waiter!tick
ln waiter!tick+3
lm
lm m libc*
qd
CMDS
touch "$stop"
wait "$pid"
tick_off=$(nm "$PROGS/waiter" | awk '$3 == "tick" { print $1 }')
ticks_off=$(nm "$PROGS/waiter" | awk '$3 == "ticks" { print $1 }')
tick=$(printf '%016x' $(( 0x$exe_base + 0x$tick_off )))
ticks=$(printf '%016x' $(( 0x$exe_base + 0x$ticks_off )))
t8=$(printf '%s' "$tick" | cut -c1-8); t9=$(printf '%s' "$tick" | cut -c9-16)
s8=$(printf '%s' "$ticks" | cut -c1-8); s9=$(printf '%s' "$ticks" | cut -c9-16)
expect "^$t8\`$t9 waiter!tick \\(void\\)\$"
expect "^$s8\`$s9 waiter!ticks = 0n[0-9]+\$"
expect "\\($t8\`$t9\\)   waiter!tick\\+0x3 "
l=$(printf '%016x' $(( 0x$libc_base )))
expect "^$(printf '%s' "$l" | cut -c1-8)\`$(printf '%s' "$l" | cut -c9-16) [0-9a-f]{8}\`[0-9a-f]{8}   libc_so "
expect '^start             end                 module name$'
expect "   waiter  "
done_test
