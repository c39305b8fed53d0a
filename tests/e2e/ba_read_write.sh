# ba r8 on a global read 3 times and written twice: 5 hits (x86 has no
# read-only watch: r means read or write).  Each stop is after the access.
. tests/lib.sh
dr7 "$PROGS/watch" rw <<'CMDS'
ba r8 g8 ".echo a; gc"
g
CMDS
expect_count 5 '^a$'
expect '^rw done 1$'
dr7 "$PROGS/watch" rw <<'CMDS'
ba r8 g8
g
ub @rip L1
CMDS
expect_seq '^Breakpoint 0 hit$' '^watch!main\+0x[0-9a-f]+:$' 'ub @rip L1' 'mov +rax,qword ptr \[watch!g8 '
done_test
