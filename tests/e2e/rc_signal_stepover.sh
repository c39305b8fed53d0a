# A breakpoint whose instruction dr7 must step over (not emulate), hit 1000
# times while another process floods the program with SIGUSR1: a signal that
# comes during the step-over, or is delivered from the breakpoint, runs the
# handler first and returns to the breakpoint; that return is the same hit,
# never a second one.  Exactly 1000 hits, and the instruction ran 1000 times.
# Both with the signal passed silently (sxi) and with its default filter.
. tests/lib.sh
for filter in "sxi usr1" "sx"; do
	for rep in 1 2 3; do
		dr7 "$PROGS/rc_sigstep" 1000 <<CMDS
$filter
bp site ".echo hit; gc"
g
q
CMDS
		expect_count 1000 '^hit$'
		expect '^calls=1000 site_count=1000 handler_ran=1$'
	done
done
done_test
