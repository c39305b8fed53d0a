# fork and vfork children run to completion even when the parent does not
# wait for them: `bp tick` in a function both parent and fork child call,
# then g, g (the parent ends), q.  The fork child must print its line with
# the right count (it ran tick once, without dr7's int3), the vfork child
# must exec and the exec'd program print its line; dr7 must not leave
# either in a ptrace stop to be killed at quit.  Repeated: the child's
# first stop races the parent's exit.
. tests/lib.sh
DR7_LIMIT=20
printf 'bp tick\ng\ng\nq\n' >"$TMPD/cmds"
for mode in fork vfork; do
	run=0
	before=$fails
	while [ "$run" -lt 30 ] && [ "$fails" = "$before" ]; do
		run=$((run + 1))
		dr7 "$PROGS/rc_forks" "$mode" 1 <"$TMPD/cmds"
		expect_seq '^Breakpoint 0 hit$' '^parent started 1$' 'Process exited with code 0$'
		case $mode in
		fork) expect '^child 0 ticks=1$' ;;
		vfork) expect "^exec'd 0$" ;;
		esac
	done
	echo "$mode: $run runs"
done
done_test
