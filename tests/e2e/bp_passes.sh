# Passes 5: the first stop is the 5th call (tick(4): counter is 0+1+2+3 = 6);
# later hits stop every time; bl shows remaining and initial passes.
. tests/lib.sh
dr7 "$PROGS/count" 10 <<'CMDS'
bp tick 5
bl
g
? poi(counter)
? @rdi
bl
g
? @rdi
CMDS
expect '^     0 e Disable Clear  [0-9a-f]{8}`[0-9a-f]{8}     0005 \(0005\)  0:\*\*\*\* count!tick$'
expect_seq '^Breakpoint 0 hit$' '^count!tick:$' 'Evaluate expression: 6 = 00000000`00000006' 'Evaluate expression: 4 = ' '0001 \(0005\)' '^Breakpoint 0 hit$' 'Evaluate expression: 5 = '
done_test
