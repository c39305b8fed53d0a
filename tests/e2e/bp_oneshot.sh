# /1: one hit, then the breakpoint is gone from bl.
. tests/lib.sh
dr7 "$PROGS/count" 10 <<'CMDS'
bp /1 tick
g
bl
.echo after
g
CMDS
expect_count 1 '^Breakpoint 0 hit$'
expect_seq '^Breakpoint 0 hit$' 'bl$' '^0:000> .echo after$'
expect_not 'Disable Clear'
expect '^counter=45$'
done_test
