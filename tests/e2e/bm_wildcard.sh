# bm with a wildcard: one breakpoint per matching function.
. tests/lib.sh
dr7 "$PROGS/count" 2 <<'CMDS'
bm count!tick*
bl
g
g
g
g
CMDS
expect_count 3 '^  [0-9]: [0-9a-f]{8}`[0-9a-f]{8} @!"count!tick[23]?"$'
expect_count 3 'e Disable Clear  .* count!tick[23]?$'
expect_seq 'Breakpoint [0-2] hit' 'count!tick:' 'Breakpoint [0-2] hit' 'count!tick:' 'Breakpoint [0-2] hit' 'count!tick2:' 'Breakpoint [0-2] hit' 'count!tick3:'
done_test
