# 4 threads over 6 watches (4 debug registers, 2 on a protected page that
# unwatched words share): each thread writes its two words (t+1)*50 times;
# the counts are exact in each of 5 runs.
. tests/lib.sh
run=0
while [ $run -lt 5 ]; do
	dr7 "$PROGS/pwatch" threads <<'CMDS'
ba w4 cells ".echo h0; gc"
ba w4 cells+0n64 ".echo h1; gc"
ba w4 cells+0n128 ".echo h2; gc"
ba w4 cells+0n192 ".echo h3; gc"
ba w4 cells+0n256 ".echo h4; gc"
ba w4 cells+0n320 ".echo h5; gc"
g
CMDS
	expect_count 50 '^h0$'
	expect_count 50 '^h1$'
	expect_count 100 '^h2$'
	expect_count 100 '^h3$'
	expect_count 150 '^h4$'
	expect_count 150 '^h5$'
	expect '^threads done$'
	run=$((run + 1))
done
# 16 threads, each writing its watched word and an unwatched one of the same
# page 100 times; 16 watches (12 by pages): 100 hits each.
dr7 "$PROGS/pwatch" threads16 <<CMDS
$(t=0; while [ $t -lt 16 ]; do echo "ba w4 cells+0n$((t * 64)) \".echo t$t; gc\""; t=$((t + 1)); done)
g
CMDS
t=0
while [ $t -lt 16 ]; do
	expect_count 100 "^t$t\$"
	t=$((t + 1))
done
expect '^threads16 done$'
done_test
