# A process that ends while other threads run: thread 2 calls exit(3) while
# thread 1 loops and main waits in pthread_join.  g reports the exit code
# and dr7 ends (it hung, as after a second-chance signal: every thread's
# exit must be collected, also those of threads that were running).
# Ten runs.
. tests/lib.sh
DR7_LIMIT=10
run=0
while [ "$run" -lt 10 ] && [ "$fails" = 0 ]; do
	run=$((run + 1))
	dr7 "$PROGS/rc_dying_threads" exit <<'CMDS'
g
CMDS
	expect_seq '^0:000> g$' 'Process exited with code 3$'
	expect_not '^not reached$'
done
echo "$run runs"
done_test
