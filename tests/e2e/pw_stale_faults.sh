# Threads writing a page-protected watch while it is cleared from its own
# command string: faults that were already queued when the page was given
# back (several threads', on the same page) are stale — each instruction
# just runs again; none reaches the program as a SIGSEGV, and none leaves a
# thread stopped for good ("No thread is running").  8 runs.
. tests/lib.sh
run=0
while [ $run -lt 8 ]; do
	DR7_WATCH=pages dr7 "$PROGS/pwatch" threads <<'CMDS'
r $t0 = 0
ba w4 cells+0n256 "r $t0 = @$t0 + 1; .if (@$t0 == 0n20) { bc *; .echo cleared }; gc"
g
CMDS
	expect_count 1 '^cleared$'
	expect '^threads done$'
	expect_not 'SIGSEGV|No thread is running'
	run=$((run + 1))
done
done_test
