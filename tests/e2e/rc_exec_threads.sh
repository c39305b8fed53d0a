# A thread killed by another's exec or exit stops at its exit event first,
# and the exec or exit waits for it: dr7 lets such a thread go whoever else
# is stopped, stepping or frozen.  Stepping over execve in a two-thread
# program reaches the new image; g after freezing the other thread reaches
# the program's exit.
. tests/lib.sh
DR7_LIMIT=30
dr7 "$PROGS/rc_exec_threads" step <<'CMDS'
g exec_sys
t
g
CMDS
expect 'Process [0-9]+ replaced its image \(exec\)'
expect 'Process exited with code 0$'
dr7 "$PROGS/rc_exec_threads" frozen <<'CMDS'
bp ready
g
~1 f
g
g
CMDS
expect_seq '^Breakpoint 0 hit$' '^0:000> ~1 f$' 'Process exited with code 4$'
done_test
