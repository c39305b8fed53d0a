# p by source line out of a signal handler ends where the signal interrupted
# the program (inside unblock(), after its system call), not in the
# signal-return trampoline; the handler ran once.  x86-64 and i386.
. tests/lib.sh
for prog in sigreturn sigreturn32; do
	dr7 "$PROGS/$prog" <<'CMDS'
l+t
bp handler
g
p
p
p
g
CMDS
	expect_seq '^Breakpoint 0 hit$' "^$prog!handler:\$" "^$prog!unblock\\+0x[0-9a-f]+:\$"
	expect_not '__restore'
	expect '^hits=1$'
done
done_test
