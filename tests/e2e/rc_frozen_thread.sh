# A frozen thread does not move: thread 0 stops at a breakpoint, ~0 f, and
# another thread runs to its own breakpoint.  Thread 0 is still exactly at
# the breakpoint and has not executed the instruction there, neither a call
# (which dr7 could emulate: it would now be inside the callee) nor a locked
# add (which dr7 would single-step).  After ~0 u it runs it, once.
. tests/lib.sh
DR7_LIMIT=30
# The line right after the first line matching $1 (a command's answer).
answer_to() {
	printf '%s\n' "$OUT" | grep -A1 -m1 -E -- "$1" | sed -n 2p
}
zero='Evaluate expression: 0 = 00000000`00000000'
for kind in call locked; do
	dr7 "$PROGS/rc_frozen" "$kind" <<CMDS
bp gate_$kind
bp gate1
g
~0 f
ed go 1
g
~
~0 s
? @rip - gate_$kind
? poi(inner_calls) + poi(locked)
~0 u
g
CMDS
	expect_seq '^Breakpoint 0 hit$' "^rc_frozen!gate_$kind:$" '^0:000> ~0 f$' '^Breakpoint 1 hit$' '^rc_frozen!gate1:$' \
		'^   0  Id: [0-9a-f.]+ Suspend: 1 Teb: [0-9a-f`]+ Frozen '
	got=$(answer_to '^0:000> \? @rip - gate_')
	[ "$got" = "$zero" ] || fail "$kind: frozen thread 0 moved: @rip - gate_$kind: $got"
	got=$(answer_to '^0:000> \? poi\(inner_calls\)')
	[ "$got" = "$zero" ] || fail "$kind: frozen thread 0 ran its gate: inner_calls + locked: $got"
	case $kind in
	call) expect '^inner=1 locked=0$' ;;
	locked) expect '^inner=0 locked=1$' ;;
	esac
	expect 'Process exited with code 0$'
done
done_test
