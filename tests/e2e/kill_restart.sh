# .kill ends the process but not the session: commands that need a process
# say so, breakpoints stay, .restart starts the program again (and its
# breakpoints hit), .kill again, and q (or the end of input) quits.
. tests/lib.sh
dr7 "$PROGS/count" 4 <<'CMDS'
bp tick
ba w8 counter ".echo write; gc"
g
.kill
r
g
k
db counter
bl
bp tick2
.kill
.restart
bl
g
? @rdi
g
? @rdi
.kill
q
CMDS
expect_count 2 '^Terminated\.  Exit thread and process events will occur\.$'
expect_seq '^0:000> \.kill$' '^Terminated\.' '^0:000> r$' '^No process is being debugged$' '^0:000> g$' '^No process is being debugged$' '^0:000> k$' '^No process is being debugged$' '^0:000> db counter$' '^No process is being debugged$'
expect "^Bp expression 'tick2' could not be resolved, adding deferred bp$"
expect_seq '^0:000> \.kill$' '^No process is being debugged$' '^0:000> \.restart$' 'Break instruction exception - code 80000003'
expect '^     2 e Disable Clear  [0-9a-f]{8}`[0-9a-f]{8}     0001 \(0001\)  0:\*\*\*\* count!tick2$'
expect_seq '^0:000> \.restart$' '^Breakpoint 0 hit$' 'Evaluate expression: 0 = ' '^write$' '^Breakpoint 0 hit$' 'Evaluate expression: 1 = ' '^0:000> \.kill$' '^Terminated\.' '^0:000> q$'
expect_not 'counter=6'
[ "$RC" = 0 ] || fail "dr7 exit status $RC after q"
# The end of input after .kill ends the session too.
dr7 "$PROGS/count" <<'CMDS'
.kill
CMDS
expect '^Terminated\.'
[ "$RC" = 0 ] || fail "dr7 exit status $RC at the end of input"
done_test
