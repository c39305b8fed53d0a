# Command-line options: -c, -cf, -g, -G, --help, --version; a stripped
# program works through its dynamic symbols; the program keeps its stdin.
. tests/lib.sh
dr7 --version
expect '^dr7 [0-9]+\.[0-9]+'
dr7 --help
expect '^usage: dr7 '
dr7 </dev/null
expect '^usage: dr7 '
printf 'bp tick ".echo from script; gc"\ng\n' >"$TMPD/script"
OUT=$(echo hello | timeout 60 "$DR7" -cf "$TMPD/script" "$PROGS/reader" 2>&1)
printf '%s\n' "$OUT"
expect '^from script$'
expect '^HELLO$'
dr7 -c "bp count!tick2; g" "$PROGS/count" 3 </dev/null
expect '^0:000> bp count!tick2; g$'
expect '^Breakpoint 0 hit$'
dr7 -g -G "$PROGS/count" 4 </dev/null
expect_not 'Break instruction exception'
expect_not 'Process exited'
expect '^counter=6$'
cp "$PROGS/count" "$TMPD/stripped"
strip "$TMPD/stripped"
dr7 "$TMPD/stripped" 2 <<'CMDS'
x stripped!tick
bu libc_so!printf
g
k 1
CMDS
expect_seq '^Breakpoint 0 hit$' '^libc_so!printf:$'
expect '^00 [0-9a-f]{8}`[0-9a-f]{8} 00005555`[0-9a-f]{8}     libc_so!printf'
done_test
