# The program protects a page itself and opens it from its SIGSEGV
# handler, three times: its handler runs exactly as without dr7, with no
# watch, and with watches served by that page (followed through the
# program's own mprotect), which hit for each write after the handler.
. tests/lib.sh
dr7 "$PROGS/pwatch" ownsegv <<'CMDS'
sxd av
g
CMDS
expect '^ownsegv handled 3$'
DR7_WATCH=pages dr7 "$PROGS/pwatch" ownsegv <<'CMDS'
sxd av
ba w4 cells+0n4096+0n128 ".echo O; gc"
ba w4 cells+0n4096+0n1024 ".echo N; gc"
bl
g
CMDS
expect_count 2 ' w 4 0001 .*\[page\]$'
expect_count 3 'Access violation'
expect_count 3 '^O$'
expect_not '^N$'
expect '^ownsegv handled 3$'
done_test
