# An i386 program: ba w4 on a global hits once per write; ba w8 is refused;
# r shows the 32-bit register block.
. tests/lib.sh
dr7 "$PROGS/watch32" 5 <<'CMDS'
ba w8 wide
ba w4 value ".echo v; gc"
r
g
CMDS
expect 'size must be 1, 2 or 4 on a 32-bit target|1, 2 or 4'
expect '^eax=[0-9a-f]{8} ebx=[0-9a-f]{8} ecx=[0-9a-f]{8} edx=[0-9a-f]{8} esi=[0-9a-f]{8} edi=[0-9a-f]{8}$'
expect '^eip=[0-9a-f]{8} esp=[0-9a-f]{8} ebp=[0-9a-f]{8} iopl=0 '
expect_count 5 '^v$'
expect '^value=4$'
done_test
