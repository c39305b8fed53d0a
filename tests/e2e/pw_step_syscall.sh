# A single step over a syscall instruction while a page watch exists keeps
# the system-call tracking: t over the `syscall` of read(2) into a watched
# buffer (from a breakpoint on it, and stepped onto it) reports the
# kernel's write at the next instruction, and the program gets its data (no
# EFAULT from the protected page); p the same.  Stepping over the program's
# own mprotect, munmap and mmap: the watched page is followed as when running.
. tests/lib.sh
dr7 "$PROGS/pwatch" readbuf <<'CMDS'
u libc_so!read L20
CMDS
# The syscall instruction of read and the one before it.
sys=$(printf '%s\n' "$OUT" | grep -E '^[0-9a-f`]+ +0f05 +syscall' | head -n 1 | cut -d' ' -f1)
before=$(printf '%s\n' "$OUT" | grep -B1 -E '^[0-9a-f`]+ +0f05 +syscall' | head -n 1 | cut -d' ' -f1)
[ -n "$sys" ] && [ -n "$before" ] || fail "a syscall instruction in read"
for step in t p; do
	DR7_WATCH=pages dr7 "$PROGS/pwatch" readbuf <<CMDS
ba w 0n16 buf+8
bp $sys
g
$step
r rax
g
CMDS
	expect_seq "^$sys 0f05 +syscall" '^Breakpoint 0 hit \(written by read\)$' '^libc_so!read\+' '^rax=000000000000000c$'
	expect "^read 12 'hello, watch'\$"
	expect 'Process exited with code 0$'
done
DR7_WATCH=pages dr7 "$PROGS/pwatch" readbuf <<CMDS
ba w 0n16 buf+8
bp $before
g
t
t
r rax
g
CMDS
expect_seq "^$sys 0f05 +syscall" '^Breakpoint 0 hit \(written by read\)$' '^rax=000000000000000c$'
expect_count 1 'Breakpoint 0 hit'
expect "^read 12 'hello, watch'\$"
# A watch the call does not write: the step is a plain step, at the next instruction.
DR7_WATCH=pages dr7 "$PROGS/pwatch" readbuf <<CMDS
ba w4 buf+0n100
bp $sys
g
t
r rax
g
CMDS
expect_not 'Breakpoint 0 hit'
expect '^rax=000000000000000c$'
expect "^read 12 'hello, watch'\$"
# The first syscall instruction of each function named.
syscall_of() {
	dr7 "$PROGS/pwatch" remap >&2 <<CMDS
u libc_so!$1 L30
CMDS
	printf '%s\n' "$OUT" | grep -E '^[0-9a-f`]+ +0f05 +syscall' | head -n 1 | cut -d' ' -f1
}
mprotect_sys=$(syscall_of mprotect)
munmap_sys=$(syscall_of munmap)
mmap_sys=$(syscall_of mmap64)
[ -n "$mprotect_sys" ] && [ -n "$munmap_sys" ] && [ -n "$mmap_sys" ] || fail "syscall instructions of mprotect, munmap, mmap"
DR7_WATCH=pages dr7 "$PROGS/pwatch" remap <<CMDS
bp mapped_ready
g
ba w4 poi(mapped)+4 ".echo M; gc"
bp $mprotect_sys
bp $munmap_sys
bp $mmap_sys
g
t
g
t
g
t
g
t
g
CMDS
expect_count 4 '^Breakpoint [234] hit$'
expect_count 3 '^M$'
expect '^remap done 6$'
expect 'Process exited with code 0$'
done_test
