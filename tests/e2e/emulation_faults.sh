# An emulated store must fault where the program's store would: a
# breakpoint on a store into a read-only page still ends in the program's
# SIGSEGV handler, never in a silent successful write.
. tests/lib.sh
"$PROGS/rofault" >"$TMPD/plain"
grep -q '^faulted$' "$TMPD/plain" || fail "the program does not fault by itself"
dr7 "$PROGS/rofault" <<'CMDS'
bp poke "gc"
g
g
CMDS
expect 'Access violation \(SIGSEGV\) - code 0000000b \(first chance\)'
expect '^faulted$'
expect_not '^stored'
done_test
