# g after a second-chance signal in a multithreaded program ends it: one of
# 3 threads writes through NULL while another loops and the main thread
# waits in pthread_join.  dr7 reports the second-chance SIGSEGV in the
# faulting thread, then g reports the process killed by SIGSEGV and dr7
# ends (before the fix it hung, the program left a zombie).  Ten runs.
. tests/lib.sh
DR7_LIMIT=10
run=0
while [ "$run" -lt 10 ] && [ "$fails" = 0 ]; do
	run=$((run + 1))
	dr7 "$PROGS/rc_dying_threads" segv <<'CMDS'
g
g
CMDS
	expect_seq '^\([0-9a-f]+\.[0-9a-f]+\): Access violation \(SIGSEGV\) - code 0000000b \(!!! second chance !!!\)$' \
		'^rc_dying_threads!ender\+0x[0-9a-f]+:$' '^0:00[0-9]> g$' 'Process killed by signal SIGSEGV$'
	expect_not '^not reached$'
done
echo "$run runs"
done_test
