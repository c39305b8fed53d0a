# r dr0-dr3, dr6, dr7 show the current thread's real debug registers (read
# from the kernel, not from dr7's own bookkeeping); @dr0 works in
# expressions; writing them is refused, and dr4/dr5 do not exist.
. tests/lib.sh
dr7 "$PROGS/syntax" <<'CMDS'
r dr7
ba w4 global
ba e1 scoped
r dr0, dr1, dr7
? @dr0 == global
? @dr1 == scoped
g
~0 r dr7
r dr7=0
r dr4
bd 0
r dr7
bc *
r dr0, dr7
CMDS
expect_seq '^0:000> r dr7$' '^dr7=0000000000000000$' '^0:000> ba w4 global$'
expect '^dr0=[0-9a-f]{16}$'
# slot 0: L0, write, 4 bytes (0xd0001); slot 1: L1, execute, 1 byte (0x4)
expect_count 2 '^dr7=00000000000d0005$'
expect_count 2 '^Evaluate expression: 1 = 00000000`00000001$'
expect '^Breakpoint 1 hit$'
expect '^not supported: writing debug registers \(ba and bc manage them\)$'
expect "^Bad register error in 'r dr4'$"
expect '^dr7=0000000000000004$'
expect_seq '^0:000> r dr0, dr7$' '^dr0=[0-9a-f]{16}$' '^dr7=0000000000000000$'
# i386: 8 hex digits
dr7 "$PROGS/watch32" 2 <<'CMDS'
ba w4 value
r dr7
g
r dr0, dr7
? @dr0 == value
CMDS
expect_count 2 '^dr7=000d0001$'
expect '^dr0=[0-9a-f]{8}$'
expect '^Evaluate expression: 1 = 00000001$'
done_test
