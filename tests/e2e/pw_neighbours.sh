# A watched word and an unwatched neighbour on one protected page: the
# neighbour's 5000 writes complete silently (emulated), the watched word's
# 5 writes hit exactly; the program's values are right.  Served by pages
# (DR7_WATCH=pages), and the same with four debug registers taken first.
. tests/lib.sh
DR7_WATCH=pages dr7 "$PROGS/pwatch" neighbours <<'CMDS'
ba w4 cells ".echo W; gc"
bl
g
CMDS
expect ' w 4 0001 .*pwatch!cells ".echo W; gc" \[page\]$'
expect_count 5 '^W$'
expect '^neighbours done 1003$'
dr7 "$PROGS/pwatch" neighbours <<'CMDS'
ba w4 cells+0n512
ba w4 cells+0n576
ba w4 cells+0n640
ba w4 cells+0n704
ba w4 cells ".echo W; gc"
bl
g
CMDS
expect ' w 4 0001 .*pwatch!cells ".echo W; gc" \[page\]$'
expect_count 5 '^W$'
expect '^neighbours done 1003$'
# Placement as the program runs: once a debug register is free (bc 0), the
# page's unrelated accesses move its watch there; the count stays exact.
dr7 "$PROGS/pwatch" neighbours <<'CMDS'
ba w4 cells+0n512
ba w4 cells+0n576
ba w4 cells+0n640
ba w4 cells+0n704
ba w4 cells ".echo W; gc"
bc 0
bl
bp exit
g
bl
g
CMDS
expect_seq ' w 4 0001 .*pwatch!cells ".echo W; gc" \[page\]$' '^W$' ' w 4 0001 .*pwatch!cells ".echo W; gc" \[dr0\]$'
expect_count 5 '^W$'
expect '^neighbours done 1003$'
done_test
