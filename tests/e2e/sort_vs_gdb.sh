# A real program not built by the tests: bu on a libc function of
# /usr/bin/sort counts the same hits as gdb counts for the same function.
. tests/lib.sh
seq 1 300 | awk '{ print ($1 * 7919) % 1000 }' >"$TMPD/in"
dr7 /usr/bin/sort "$TMPD/in" -o "$TMPD/out" <<'CMDS'
bu libc_so!strcoll ".echo h; gc"
g
CMDS
ours=$(printf '%s\n' "$OUT" | grep -c '^h$')
theirs=$(gdb -nx -batch -ex 'set breakpoint pending on' -ex 'break strcoll' -ex 'ignore 1 100000000' \
	-ex run -ex 'info breakpoints' --args /usr/bin/sort "$TMPD/in" -o "$TMPD/out2" 2>&1 |
	sed -n 's/.*already hit \([0-9]*\) time.*/\1/p')
echo "dr7 $ours, gdb $theirs"
[ -n "$theirs" ] && [ "$ours" = "$theirs" ] || fail "dr7 counted $ours hits, gdb $theirs"
[ "$ours" -gt 100 ] || fail "too few hits ($ours) to compare"
cmp -s "$TMPD/out" "$TMPD/out2" || fail "sort's output differs under dr7"
done_test
