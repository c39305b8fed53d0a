# One instruction that triggers two processor breakpoints reports both;
# .bpcmds recreates ba lines; .apply_dbp re-applies them to the thread.
. tests/lib.sh
dr7 "$PROGS/watch" bytes <<'CMDS'
ba w4 g4
ba w1 g4+2
.bpcmds
.apply_dbp
g
CMDS
expect '^ba0 w4 0x[0-9a-f]{8}`[0-9a-f]{8} ;$'
expect '^ba1 w1 0x[0-9a-f]{8}`[0-9a-f]{8} ;$'
expect 'Applied processor breakpoints to thread 0'
expect_seq '^Breakpoint 0 hit$' '^Breakpoint 1 hit$' '^watch!main\+0x'
done_test
