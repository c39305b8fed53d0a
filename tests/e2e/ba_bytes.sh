# A 1-byte write inside a w4 range triggers; a write to the byte just past it does not.
. tests/lib.sh
dr7 "$PROGS/watch" bytes <<'CMDS'
ba w4 g4 ".echo inside; gc"
g
CMDS
expect_count 1 '^inside$'
expect '^bytes done$'
done_test
