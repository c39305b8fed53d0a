# Attach to a running program, set 8 watches (4 served by pages), see one
# hit, .detach: every page is the program's again, so its later writes to
# the watched words succeed and it finishes normally.
. tests/lib.sh
stop="$TMPD/stop"
"$PROGS/pwatch" wait "$stop" >"$TMPD/out" 2>&1 &
pid=$!
trap 'kill -9 "$pid" 2>/dev/null; rm -rf "$TMPD"' EXIT
while ! grep -q ready "$TMPD/out" 2>/dev/null; do :; done
dr7 -p "$pid" <<CMDS
$(j=0; while [ $j -lt 8 ]; do echo "ba w4 cells+0n$((j * 128))"; j=$((j + 1)); done)
bl
g
.detach
CMDS
expect_count 4 ' w 4 0001 .*\[page\]$'
expect '^Breakpoint [0-7] hit$'
expect_seq '^0:000> \.detach$' '^Detached$'
touch "$stop"
wait "$pid"
rc=$?
[ "$rc" = 0 ] || fail "pwatch exit code $rc, expected 0"
grep -q '^wait done$' "$TMPD/out" || fail "pwatch output: $(cat "$TMPD/out")"
done_test
