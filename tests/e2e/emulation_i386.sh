# Resuming breakpoints on every function entry of an optimised i386
# program (call thunk, loads, stores, ret executed by dr7): the program's
# output and exit code are those of a run without breakpoints.
. tests/lib.sh
plain=$("$PROGS/count32" 300)
dr7 "$PROGS/count32" 300 <<'CMDS'
bm count32!tick* ".echo h; gc"
bm count32!main ".echo m; gc"
g
CMDS
expect_count 302 '^h$'
expect "^$plain\$"
expect 'Process exited with code 3'
done_test
