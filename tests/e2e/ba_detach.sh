# Attach, arm a ba, .detach: a separate tracer then reads DR7 = 0 in every
# thread, and the program finishes with its normal output and exit code.
. tests/lib.sh
stop="$TMPD/stop"
"$PROGS/waiter" "$stop" >"$TMPD/out" 2>&1 &
pid=$!
while ! grep -q ready "$TMPD/out" 2>/dev/null; do :; done
dr7 -p "$pid" <<'CMDS'
ba w8 ticks
bp tick
g
bl
.detach
CMDS
expect 'Break instruction exception'
expect_seq '^Breakpoint [01] hit$' '^0:000> bl$' '^0:000> \.detach$' '^Detached$'
"$PROGS/drpeek" "$pid" >"$TMPD/dr" 2>&1 || fail "drpeek could not attach: $(cat "$TMPD/dr")"
cat "$TMPD/dr"
grep -q 'dr7=0$' "$TMPD/dr" || fail "no DR7 reading"
if grep -v 'dr7=0$' "$TMPD/dr" | grep -q .; then fail "a thread kept DR7 armed"; fi
touch "$stop"
wait "$pid"
rc=$?
[ "$rc" = 7 ] || fail "waiter exit code $rc, expected 7"
grep -q '^done$' "$TMPD/out" || fail "waiter output lacks 'done'"
done_test
