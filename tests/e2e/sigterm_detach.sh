# SIGTERM to dr7 while attached: every int3 and debug register is removed
# first, so the program survives and finishes normally.
. tests/lib.sh
stop="$TMPD/stop"
"$PROGS/waiter" "$stop" >"$TMPD/out" 2>&1 &
pid=$!
while ! grep -q ready "$TMPD/out" 2>/dev/null; do :; done
mkfifo "$TMPD/in"
timeout 120 "$DR7" -p "$pid" <"$TMPD/in" >"$TMPD/dr7" 2>&1 &
dpid=$!
exec 3>"$TMPD/in"
printf 'bp tick\nba w8 ticks\ng\n' >&3
while ! grep -q 'Breakpoint 0 hit' "$TMPD/dr7"; do :; done
kill -TERM "$dpid"
wait "$dpid"
exec 3>&-
cat "$TMPD/dr7"
grep -q 'signal received' "$TMPD/dr7" || fail "dr7 did not report the signal"
"$PROGS/drpeek" "$pid" >"$TMPD/dr" 2>&1 || fail "drpeek: $(cat "$TMPD/dr")"
if grep -v 'dr7=0$' "$TMPD/dr" | grep -q .; then fail "DR7 still armed: $(cat "$TMPD/dr")"; fi
touch "$stop"
wait "$pid"
rc=$?
[ "$rc" = 7 ] || fail "waiter exit code $rc (int3 left behind kills it with SIGTRAP)"
done_test
