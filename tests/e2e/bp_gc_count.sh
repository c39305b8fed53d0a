# bp with a "gc" command string on a function called N times: exactly N hits,
# no "Breakpoint N hit" banner (the breakpoint has commands), output unchanged.
. tests/lib.sh
dr7 "$PROGS/count" 37 <<'CMDS'
bp tick ".echo hit; gc"
g
CMDS
expect_count 37 '^hit$'
expect_not 'Breakpoint 0 hit'
expect '^counter=666$'
expect 'Process exited with code 3'
done_test
