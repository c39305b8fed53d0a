# ba e1 on a function: a stop at each call, before its first instruction;
# resuming needs no step-over.
. tests/lib.sh
dr7 "$PROGS/watch" exec 6 <<'CMDS'
ba e1 target ".echo e; gc"
g
CMDS
expect_count 6 '^e$'
expect '^exec done 6$'
dr7 "$PROGS/watch" exec 3 <<'CMDS'
ba e1 target
g
? @rip - target
g
g
g
CMDS
expect_count 3 '^Breakpoint 0 hit$'
expect_seq '^Breakpoint 0 hit$' '^watch!target:$' 'Evaluate expression: 0 = 00000000`00000000'
expect '^exec done 3$'
done_test
