# Stepping over a breakpointed clone syscall lands on the next instruction
# in the same thread, reported as a step (the kernel reports a step over a
# syscall as TRAP_BRKPT); the new thread exists and the program finishes.
. tests/lib.sh
dr7 "$PROGS/gated" <<'CMDS'
u libc_so!clone3 L30
CMDS
sc=$(printf '%s\n' "$OUT" | grep -m1 -E ' syscall$' | cut -c1-17)
[ -n "$sc" ] || fail "no syscall instruction found in clone3"
dr7 "$PROGS/gated" <<CMDS
bp libc_so!clone3
g
bc *
bp $sc
g
t
~
bc *
g
CMDS
expect_seq '^0:000> bp [0-9a-f`]+$' '^Breakpoint 0 hit$' 'syscall$' '^0:00[0-9]> t$' '^libc_so!clone3\+0x[0-9a-f]+:$' '^0:00[0-9]> ~$' '^   1  Id: '
expect_not 'Break instruction exception.*\n.*clone3'
expect_count 1 'Break instruction exception'
expect '^fcalls=60$'
done_test
