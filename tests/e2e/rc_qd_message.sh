# qd says that it detached, in the words .detach uses ("Detached"), and the
# program goes on without dr7: attached to a running program (which then
# finishes normally, DR7 clear), and on a program dr7 started itself.
. tests/lib.sh
DR7_LIMIT=30
dr7 "$PROGS/waiter" <<'CMDS'
.detach
CMDS
expect_seq '^0:000> \.detach$' '^Detached$'
# (waiter's own "ready" line may come out right after the command's echo)
detached=$(printf '%s\n' "$OUT" | grep -A3 '^0:000> \.detach$' | grep -v '^ready ' | sed -n 2p)
[ -n "$detached" ] || fail ".detach printed nothing"
stop="$TMPD/stop"
"$PROGS/waiter" "$stop" >"$TMPD/out" 2>&1 &
pid=$!
trap 'kill -9 "$pid" 2>/dev/null; rm -rf "$TMPD"' EXIT
while ! grep -q ready "$TMPD/out" 2>/dev/null; do :; done
dr7 -p "$pid" <<'CMDS'
bp tick
ba w8 ticks
g
qd
CMDS
expect_seq '^Breakpoint [01] hit$' '^0:000> qd$' "^$detached\$"
"$PROGS/drpeek" "$pid" >"$TMPD/dr" 2>&1 || fail "drpeek: $(cat "$TMPD/dr")"
if grep -v 'dr7=0$' "$TMPD/dr" | grep -q .; then fail "DR7 still armed: $(cat "$TMPD/dr")"; fi
touch "$stop"
wait "$pid"
rc=$?
[ "$rc" = 7 ] || fail "waiter exit code $rc, expected 7"
dr7 "$PROGS/count" 5 <<'CMDS'
bp tick
g
qd
CMDS
expect_seq '^Breakpoint 0 hit$' '^0:000> qd$' "^$detached\$"
# The program, detached, runs on at once: its last line may come before dr7's.
expect '^counter=10$'
done_test
