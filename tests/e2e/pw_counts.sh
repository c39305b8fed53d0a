# Any number of ba: 8 and then 64 write watches on words 64 bytes apart
# (four in debug registers, the rest by page protection, as bl shows);
# each hits exactly as often as the program writes its word (j%3+1 times).
. tests/lib.sh
for n in 8 64; do
	cmds=$(j=0; while [ $j -lt $n ]; do echo "ba w4 cells+0n$((j * 64)) \".echo h$j; gc\""; j=$((j + 1)); done)
	dr7 "$PROGS/pwatch" count $n <<CMDS
$cmds
bl
g
CMDS
	expect_count 4 ' w 4 0001 .* \[dr[0-3]\]$'
	expect_count $((n - 4)) ' w 4 0001 .* \[page\]$'
	j=0
	while [ $j -lt $n ]; do
		expect_count $((j % 3 + 1)) "^h$j\$"
		j=$((j + 1))
	done
	expect "^count done $(j=0; t=0; while [ $j -lt $n ]; do t=$((t + j % 3 + 1)); j=$((j + 1)); done; echo $t)\$"
done
# Placement: a watch on the stack takes a debug register from a global one,
# which moves to pages; the counts stay exact.
dr7 "$PROGS/pwatch" count 8 <<'CMDS'
ba w4 cells ".echo h0; gc"
ba w4 cells+0n64 ".echo h1; gc"
ba w4 cells+0n128 ".echo h2; gc"
ba w4 cells+0n192 ".echo h3; gc"
ba w8 @rsp-0n4096 "gc"
bl
g
CMDS
expect '^     3 e Disable Clear .* w 4 0001 .*pwatch!cells\+0xc0 ".echo h3; gc" \[page\]$'
expect '^     4 e Disable Clear .* w 8 0001 .* "gc" \[dr[0-3]\]$'
expect_count 1 '^h0$'
expect_count 2 '^h1$'
expect_count 3 '^h2$'
expect_count 1 '^h3$'
done_test
