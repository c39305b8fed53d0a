# Fork children never keep dr7's int3 bytes or armed debug registers: the
# child calls the breakpointed functions and exits normally (code 5).
. tests/lib.sh
dr7 "$PROGS/forker" <<'CMDS'
bp tick ".echo t; gc"
ba e1 tick ".echo e; gc"
g
CMDS
expect_count 2 "^t$"
expect_count 2 "^e$"
expect '^child=5 parent=2$'
done_test
