# Any size and alignment: a 100-byte range at an odd address hits once per
# byte written inside it and never for the bytes just around it (pages);
# a 3-byte ba r at an odd address is split over two debug registers.
. tests/lib.sh
dr7 "$PROGS/pwatch" range <<'CMDS'
ba w 0n100 bytes+3 ".echo B; gc"
bl
g
CMDS
expect ' w 100 0001 .*pwatch!bytes\+0x3 ".echo B; gc" \[page\]$'
expect_count 100 '^B$'
expect '^range done 100$'
dr7 "$PROGS/pwatch" range <<'CMDS'
ba r 3 bytes+5 ".echo B; gc"
bl
g
CMDS
expect ' r 3 0001 .*pwatch!bytes\+0x5 ".echo B; gc" \[dr0\+dr1\]$'
expect_count 3 '^B$'
expect '^range done 100$'
# repne scasb may scan 200 bytes but stops at the 0 at bytes[10]: a load
# watch on bytes[5] hits once, one on bytes[50] never (none invented).
dr7 "$PROGS/pwatch" scan <<'CMDS'
ba l 1 bytes+5 ".echo S5; gc"
ba l 1 bytes+0n50 ".echo S50; gc"
g
CMDS
expect_count 1 '^S5$'
expect_not '^S50$'
expect '^scan stopped after 11 bytes$'
done_test
