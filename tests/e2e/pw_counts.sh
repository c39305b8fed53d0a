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
done_test
