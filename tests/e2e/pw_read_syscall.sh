# A read(2) from a pipe into a watched buffer: the kernel's write is
# reported when the call returns, naming it, and the program gets its data
# (no EFAULT from the protected page); the same when debug registers serve
# the watch, and for a watch on bytes the call does not write, no hit.
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
done_test
