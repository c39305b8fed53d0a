# fork and vfork children run to completion even when the parent does not
# wait for them: `bp tick` in a function both parent and fork child call;
# g stops at the parent's call, g lets it fork and end at once, q.  The
# fork child must print its line with the right count (it ran tick without
# dr7's int3), the vfork child must exec and the exec'd program print its
# line; dr7 must not leave either in a ptrace stop, to be killed at quit.
#
# The child's first stop races the parent's exit.  To make the race show
# on an idle machine too, dr7 (and so the program and its children) runs on
# one CPU, once alone and once beside a busy loop on that CPU: a new child
# then waits for the CPU behind the parent, which has just woken.  (Only
# load to widen the window: nothing here waits for time to pass.)
. tests/lib.sh
DR7_LIMIT=20
printf 'bp tick\ng\ng\nq\n' >"$TMPD/cmds"
cpu=$(taskset -pc $$ 2>/dev/null | sed 's/.*: *//; s/[-,].*//')
pin=
[ -n "$cpu" ] && pin="taskset -c $cpu"
printf '#!/bin/sh\nexec %s "%s" "$@"\n' "$pin" "$DR7" >"$TMPD/dr7-on-one-cpu"
chmod +x "$TMPD/dr7-on-one-cpu"
DR7=$TMPD/dr7-on-one-cpu
hog=
trap '[ -n "$hog" ] && kill -9 "$hog" 2>/dev/null; rm -rf "$TMPD"' EXIT
for load in alone busy; do
	if [ "$load" = busy ]; then
		# It also ends by itself once this test's shell is gone.
		$pin sh -c 'while kill -0 "$1" 2>/dev/null; do :; done' busy $$ &
		hog=$!
	fi
	for mode in fork vfork; do
		run=0
		before=$fails
		while [ "$run" -lt 15 ] && [ "$fails" = "$before" ]; do
			run=$((run + 1))
			dr7 "$PROGS/rc_forks" "$mode" 1 <"$TMPD/cmds"
			expect_seq '^Breakpoint 0 hit$' '^parent started 1$' 'Process exited with code 0$'
			case $mode in
			fork) expect '^child 0 ticks=2$' ;;
			vfork) expect "^exec'd 0$" ;;
			esac
		done
		echo "$mode, $load: $run runs"
	done
done
kill -9 "$hog"
wait "$hog"
hog=
done_test
