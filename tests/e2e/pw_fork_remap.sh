# The program's own memory calls on watched pages are followed, and a fork
# child gets the program's protections back: the child writes the watched
# page and exits 0 (no SIGSEGV, no hit: it is not traced); the parent's
# writes hit (and the same for a vfork child).  mprotect, munmap and mmap MAP_FIXED at the watched address:
# the watch goes on hitting where the program writes, and never elsewhere.
. tests/lib.sh
DR7_WATCH=pages dr7 "$PROGS/pwatch" fork <<'CMDS'
ba w4 cells ".echo F; gc"
ba w4 cells+0n64 ".echo G; gc"
g
CMDS
expect_count 2 '^F$'
expect_not '^G$'
expect '^child exit 0 signal 0$'
# A vfork child runs in the program's memory untraced: the pages are the
# program's own while it runs (its write succeeds, unseen), ours again after.
DR7_WATCH=pages dr7 "$PROGS/pwatch" vfork <<'CMDS'
ba w4 cells ".echo F; gc"
ba w4 cells+0n64 ".echo G; gc"
g
CMDS
expect_count 2 '^F$'
expect_not '^G$'
expect '^vfork child exit 0 signal 0 cell1 2$'
DR7_WATCH=pages dr7 "$PROGS/pwatch" remap <<'CMDS'
bp mapped_ready
g
ba w4 poi(mapped)+4 ".echo M; gc"
bl
g
CMDS
expect ' w 4 0001 .*\[page\]$'
expect_count 3 '^M$'
expect '^remap done 6$'
done_test
