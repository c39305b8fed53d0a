# The kernel writes a thread's stack (signal frames) and its thread-control
# block (rseq, the tid cleared at thread exit) on its own: dr7 never
# protects those pages.  Watches there get debug registers; a fifth, and a
# loads-only watch (pages only), are refused with the reason; the program
# then handles a signal on that stack and joins a thread, and survives with
# its own values.
. tests/lib.sh
dr7 "$PROGS/pw_kernel" <<'CMDS'
bp ready
g
ba l4 @rsi
ba w4 @rdi "gc"
ba w4 @rdi+4 "gc"
ba w4 @rdi+8 "gc"
ba w4 @rsi "gc"
ba w4 @rdi+0n16
ba l4 @rdi+0n20
bl
g
CMDS
expect_seq '^0:000> ba l4 @rsi$' "^not supported: ba l on a thread's stack or thread-control block"
expect_seq '^0:000> ba w4 @rdi\+0n16$' "^Too many processor breakpoints: a watch on a thread's stack or thread-control block needs debug registers"
expect_seq '^0:000> ba l4 @rdi\+0n20$' "^not supported: ba l on a thread's stack"
expect_count 4 ' "gc" \[dr[0-3]\]$'
expect '^survived handled=1 local=15 tls=2$'
expect 'Process exited with code 0$'
done_test
