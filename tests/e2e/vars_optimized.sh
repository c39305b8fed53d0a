# An -O2 program: parameters described by location lists (registers at the
# entry), a condition mixing a parameter and a global, and variables the
# optimizer removed: they must be reported as unavailable (or shown with
# their real value), never make dr7 fail.
. tests/lib.sh
dr7 "$PROGS/vars_o2" 3 <<'CMDS'
bp /w "by == 1 && counter == 150" bump
g
dv
?? counter
?? by + counter
bc *
bp walk
g
dv
.frame 1
dv
.echo end
CMDS
expect_seq 'Breakpoint 0 hit' 'vars_o2!bump:' '^             by = 0n1$' 'Breakpoint 0 hit' 'vars_o2!walk:'
expect '^             by = 0n1$'
expect '^int 0n150$'
expect '^int 0n151$'
expect '^          depth = 0n3$'
expect '^            tag = 0x[0-9a-f]{8}`[0-9a-f]{8} "t"$'
expect '^            sum = (0n-?[0-9]+|<.+>)$'
expect '^              n = (0n3|<.+>)$'
expect '^end$'
done_test
