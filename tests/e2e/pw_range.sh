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
done_test
