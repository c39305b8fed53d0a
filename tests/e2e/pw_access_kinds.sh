# The program reads a word 3 times and writes it twice: ba l counts the
# reads only (a new access letter, loads only), ba r both, ba w the writes;
# ba r served by a page says which each hit was.
. tests/lib.sh
for kind in l:3 r:5 w:2; do
	dr7 "$PROGS/pwatch" rw <<CMDS
ba ${kind%:*}4 cells ".echo H; gc"
bl
g
CMDS
	expect_count "${kind#*:}" '^H$'
	expect '^rw done 3 reads 2 writes$'
done
expect_not 'Breakpoint 0 hit'
DR7_WATCH=pages dr7 "$PROGS/pwatch" rw <<'CMDS'
ba r4 cells
g
g
g
g
g
g
CMDS
expect_seq '^Breakpoint 0 hit \(read\)$' '^Breakpoint 0 hit \(read\)$' '^Breakpoint 0 hit \(write\)$' \
	'^Breakpoint 0 hit \(read\)$' '^Breakpoint 0 hit \(write\)$' '^rw done'
expect_count 5 '^Breakpoint 0 hit'
dr7 "$PROGS/pwatch" rw <<'CMDS'
ba l4 cells
bl
CMDS
expect ' l 4 0001 .*pwatch!cells \[page\]$'
done_test
