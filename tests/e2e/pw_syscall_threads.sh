# A page opened for one thread's system call stays open until every thread
# whose call needs it has left its call: thread B's read(2) into a watched
# page enters first, thread A's read(2) (then wait4(2), which must not run
# twice) into the same page enters while B's is blocked, and B's returns
# first.  Every round A gets its data (its child's status) and the kernel's
# write into A's watched bytes is reported once per round.
. tests/lib.sh
DR7_WATCH=pages dr7 "$PROGS/pwsys" tworeads 200 <<'CMDS'
ba w4 page+8 ".echo hitA; gc"
g
CMDS
expect '^tworeads 200 of 200$'
expect_count 200 '^hitA$'
expect_not '^round '
DR7_WATCH=pages dr7 "$PROGS/pwsys" waitread 100 <<'CMDS'
ba w4 page ".echo hitA; gc"
g
CMDS
expect '^waitread 100 of 100$'
expect_count 100 '^hitA$'
expect_not '^round '
done_test
