# SIGTERM to dr7 while attached with watches served by pages: every page
# gets the program's protection back first, so the program's later writes
# to the watched words succeed and it finishes normally.
. tests/lib.sh
stop="$TMPD/stop"
"$PROGS/pwatch" wait "$stop" >"$TMPD/out" 2>&1 &
pid=$!
trap 'kill -9 "$pid" 2>/dev/null; rm -rf "$TMPD"' EXIT
while ! grep -q ready "$TMPD/out" 2>/dev/null; do :; done
mkfifo "$TMPD/in"
timeout 120 "$DR7" -p "$pid" <"$TMPD/in" >"$TMPD/dr7" 2>&1 &
dpid=$!
exec 3>"$TMPD/in"
j=0
while [ $j -lt 8 ]; do echo "ba w4 cells+0n$((j * 128))" >&3; j=$((j + 1)); done
printf 'bl\ng\n' >&3
while ! grep -q 'Breakpoint [0-7] hit' "$TMPD/dr7"; do :; done
kill -TERM "$dpid"
wait "$dpid"
exec 3>&-
OUT=$(cat "$TMPD/dr7")
printf '%s\n' "$OUT"
expect_count 4 ' w 4 0001 .*\[page\]$'
expect 'signal received'
touch "$stop"
wait "$pid"
rc=$?
[ "$rc" = 0 ] || fail "pwatch exit code $rc, expected 0 (a page left protected kills it with SIGSEGV)"
grep -q '^wait done$' "$TMPD/out" || fail "pwatch output: $(cat "$TMPD/out")"
done_test
