# Page watches set or cleared while the program is stopped at a fork or
# thread-creation event: dr7's mprotect runs in a thread whose own call is
# over (a thread at an event stop first finishes returning from its call),
# so fork() still returns the child's pid, pthread_create still succeeds,
# and the program's counts and exit are its own.
. tests/lib.sh
# Set at the fork event (the only thread is inside fork): its rax is the
# child's pid once the watch is in; the parent's write after the fork hits.
DR7_WATCH=pages dr7 "$PROGS/pwatch" fork <<'CMDS'
sxe cpr
g
ba w4 cells ".echo F; gc"
r rax
g
CMDS
child=$(printf '%s\n' "$OUT" | sed -n 's/.*Create process \([0-9a-f]*\) .*/\1/p' | head -n 1)
[ -n "$child" ] || fail "a Create process event"
expect "^rax=$(printf "%016x" "0x${child:-0}")$"
expect_count 1 '^F$'
expect_not 'fork returned|failed|not implemented'
expect '^child exit 0 signal 0$'
expect 'Process exited with code 0$'
# Cleared at the fork event, with the fork's entry seen under the watch.
DR7_WATCH=pages dr7 "$PROGS/pwatch" fork <<'CMDS'
ba w4 cells ".echo F; gc"
sxe cpr
g
bc *
r rax
g
CMDS
child=$(printf '%s\n' "$OUT" | sed -n 's/.*Create process \([0-9a-f]*\) .*/\1/p' | head -n 1)
expect "^rax=$(printf "%016x" "0x${child:-0}")$"
expect_count 1 '^F$'
expect_not 'fork returned|failed|not implemented'
expect '^child exit 0 signal 0$'
# At a thread-creation event (the creator inside clone): every thread is
# created and thread 0's 50 writes of cell 0 are the hits, in each of 3 runs.
run=0
while [ $run -lt 3 ]; do
	DR7_WATCH=pages dr7 "$PROGS/pwatch" threads <<'CMDS'
sxe ct
g
sxd ct
ba w4 cells ".echo A; gc"
g
CMDS
	expect_count 50 '^A$'
	expect '^threads done$'
	expect 'Process exited with code 0$'
	expect_not 'failed|not implemented|No thread'
	run=$((run + 1))
done
# The same with a watch already in when the thread is created, cleared there.
DR7_WATCH=pages dr7 "$PROGS/pwatch" threads <<'CMDS'
ba w4 cells+0n64 ".echo B; gc"
sxe ct
g
sxd ct
bc *
ba w4 cells+0n128 ".echo C; gc"
g
CMDS
expect_count 100 '^C$'
expect '^threads done$'
expect 'Process exited with code 0$'
expect_not 'failed|not implemented|No thread'
done_test
