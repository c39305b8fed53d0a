# .restart runs the program again and keeps its breakpoints.
. tests/lib.sh
dr7 "$PROGS/count" 3 <<'CMDS'
bp tick2
g
.restart
g
bl
CMDS
expect_count 2 '^Breakpoint 0 hit$'
expect_count 2 'Break instruction exception'
done_test
