# 80 times in a row: attach to a 4-thread program that runs work() flat out,
# arm a ba on the variable work() writes, run to its 30th hit, .detach (one
# cycle in five a bp on work instead, to its 50th hit).  After every cycle a
# separate tracer reads DR7 = 0 in every thread, the text of every module
# equals its file (no int3 left) and the program still lives; at the end
# it finishes and passes its own self-check (each call counted once).  A
# debug register or a step left armed, or an int3 left behind, kills it
# with SIGTRAP after "Detached".  (Before the fix about one cycle in ten
# did; 80 cycles make a pass of the broken code unlikely.)
. tests/lib.sh
DR7_LIMIT=30
# A process that died is a zombie until waited for: kill -0 still succeeds.
alive() {
	st=$(sed 's/.*) \(.\).*/\1/' "/proc/$1/stat" 2>/dev/null)
	[ -n "$st" ] && [ "$st" != Z ]
}
mkfifo "$TMPD/in"
exec 3<>"$TMPD/in"	# read-write: opening it does not wait for the program
"$PROGS/rc_attachee" <"$TMPD/in" >"$TMPD/out" 2>&1 &
pid=$!
trap 'kill -9 "$pid" 2>/dev/null; rm -rf "$TMPD"' EXIT
while ! grep -q '^ready' "$TMPD/out"; do
	alive "$pid" || break
done
printf 'ba w4 watched 0n30\ng\n.detach\n' >"$TMPD/ba"
printf 'bp work 0n50\ng\n.detach\n' >"$TMPD/bp"
cycle=0
while [ "$cycle" -lt 80 ] && [ "$fails" = 0 ]; do
	cycle=$((cycle + 1))
	kind=ba
	[ $((cycle % 5)) = 0 ] && kind=bp
	dr7 -p "$pid" <"$TMPD/$kind"
	expect_seq '^Breakpoint 0 hit$' '^0:00[0-9]> \.detach$' '^Detached$'
	"$PROGS/drpeek" "$pid" >"$TMPD/dr" 2>&1 || fail "cycle $cycle ($kind): drpeek: $(cat "$TMPD/dr")"
	if grep -v 'dr7=0$' "$TMPD/dr" | grep -q .; then fail "cycle $cycle ($kind): DR7 left armed: $(cat "$TMPD/dr")"; fi
	"$PROGS/rc_textcheck" "$pid" >"$TMPD/text" 2>&1 || fail "cycle $cycle ($kind): $(cat "$TMPD/text")"
	alive "$pid" || fail "cycle $cycle ($kind): the program died after .detach"
done
echo "$cycle cycles"
printf x >&3
wait "$pid"
rc=$?
cat "$TMPD/out"
[ "$rc" = 0 ] || fail "the program ended with status $rc (133 = SIGTRAP)"
grep -q '^ok calls=' "$TMPD/out" || fail "the program's self-check did not pass"
done_test
