# A launch whose exec fails late: a copy of a program with an absurd
# p_filesz in a PT_LOAD passes execve's checks, and the kernel kills the new
# image with SIGSEGV after the point of no return (run directly, it dies of
# SIGSEGV without running).  dr7 must say the program could not start and
# exit with a failure status, not spin forever waiting for its first stop.
. tests/lib.sh
DR7_LIMIT=10
"$PROGS/rc_badelf" "$PROGS/count" "$TMPD/badload" || fail "rc_badelf could not write the program"
"$TMPD/badload" 3 >/dev/null 2>&1
rc=$?
[ "$rc" = 139 ] || fail "precondition: the patched program should die of SIGSEGV (status 139), got $rc"
dr7 "$TMPD/badload" 3 </dev/null
expect '^dr7: .*(could not|cannot) (start|run)'
expect_not 'Break instruction exception'
expect_not '^counter='
[ "$RC" != 0 ] || fail "dr7 exited with status 0"
done_test
