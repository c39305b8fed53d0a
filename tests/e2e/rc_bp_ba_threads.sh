# A bp and a ba in the same function, hit by two threads at once: every
# call reports BP once and BA once (4,000 each), the program's result is
# unchanged and no SIGTRAP of dr7's own reaches it.  The instruction under
# the int3 is a locked add, which dr7 must single-step; the ba fires right
# after it.  Once with two long-lived threads, once with threads that keep
# ending and being replaced while the other one runs.
. tests/lib.sh
DR7_LIMIT=60
for mode in steady churn; do
	dr7 "$PROGS/rc_hot" "$mode" <<'CMDS'
bp hot ".echo BP; gc"
ba w4 counter ".echo BA; gc"
g
CMDS
	expect_count 4000 '^BP$'
	expect_count 4000 '^BA$'
	expect '^calls=4000 counter=4000$'
	expect_not 'SIGTRAP|second chance'
	expect 'Process exited with code 0$'
done
done_test
