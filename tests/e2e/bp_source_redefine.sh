# bp on `file.c:line`, and a second bp at the same place redefines the first.
. tests/lib.sh
dr7 "$PROGS/count" 3 <<'CMDS'
bp `count.c:9`
bl
bp tick ".echo redefined; gc"
bp tick
bl
g
g
CMDS
expect '^     0 e Disable Clear  [0-9a-f]{8}`[0-9a-f]{8}     0001 \(0001\)  0:\*\*\*\* count!tick\+0x[0-9a-f]+$'
expect_count 0 'breakpoint 0 redefined'
expect_count 1 '^breakpoint 1 redefined$'
expect_count 3 'Disable Clear'
expect_seq '^Breakpoint 1 hit$' '^count!tick:$' '^0:000> g$' '^Breakpoint 0 hit$' '^count!tick\+0x[0-9a-f]+:$'
done_test
