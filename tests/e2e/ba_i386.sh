# An i386 program: ba w4 on a global hits once per write; ba w8 is split
# over two debug registers (dr7's extension); what four debug registers
# cannot cover, and ba l, are refused (page protection is x86-64 only);
# r shows the 32-bit register block.
. tests/lib.sh
dr7 "$PROGS/watch32" 5 <<'CMDS'
ba w8 wide
ba w4 value ".echo v; gc"
ba w 0n64 value
ba l4 value
bl
r
bc 0
g
CMDS
expect '^     0 e Disable Clear  [0-9a-f]{8} w 8 0001 \(0001\)  0:\*\*\*\* watch32!wide \[dr0\+dr1\]$'
expect 'not supported: a watch that 4 debug registers do not cover in an i386 program'
expect 'not supported: ba l .* i386'
expect '^eax=[0-9a-f]{8} ebx=[0-9a-f]{8} ecx=[0-9a-f]{8} edx=[0-9a-f]{8} esi=[0-9a-f]{8} edi=[0-9a-f]{8}$'
expect '^eip=[0-9a-f]{8} esp=[0-9a-f]{8} ebp=[0-9a-f]{8} iopl=0 '
expect_count 5 '^v$'
expect '^value=4$'
done_test
