# A read(2) from a pipe into a watched buffer: the kernel's write is
# reported when the call returns, naming it, and the program gets its data
# (no EFAULT from the protected page); the same when debug registers serve
# the watch, and for a watch on bytes the call does not write, no hit;
# the kernel's reads (write(2) from a watched buffer) too.
. tests/lib.sh
for mode in pages dr; do
	DR7_WATCH=$([ $mode = pages ] && echo pages) dr7 "$PROGS/pwatch" readbuf <<'CMDS'
ba w 0n16 buf+8
g
bl
g
CMDS
	expect_seq '^Breakpoint 0 hit \(written by read\)$' 'libc_so!read' '^0:000> bl$'
	expect "^read 12 'hello, watch'\$"
done
DR7_WATCH=pages dr7 "$PROGS/pwatch" readbuf <<'CMDS'
ba w4 buf+0n100
g
CMDS
expect_not 'Breakpoint 0 hit'
expect "^read 12 'hello, watch'\$"
# The kernel's reads: write(2) from a watched buffer, for ba l (pages) and
# for ba r in a debug register (after the program's own store into it).
dr7 "$PROGS/pwatch" writebuf <<'CMDS'
ba l 0n11 buf+8
g
g
CMDS
expect_count 1 '^Breakpoint 0 hit'
expect '^Breakpoint 0 hit \(read by write\)$'
expect "^wrote 'to the pipe'\$"
dr7 "$PROGS/pwatch" writebuf <<'CMDS'
ba r 8 buf+8
g
g
g
g
g
CMDS
expect_seq '^Breakpoint 0 hit$' '^Breakpoint 0 hit \(read by write\)$' "^wrote 'to the pipe'\$"
expect_count 1 'Breakpoint 0 hit \(read by write\)$'
done_test
