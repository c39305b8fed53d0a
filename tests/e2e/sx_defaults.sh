# sx lists the event filters in WinDbg's layout (code - title - break
# status [- handling status]): events first, then exceptions (signals by
# WinDbg code where Windows has one, else by Linux name), then "*".  -G is
# sxd epr; sxr puts every default back.
. tests/lib.sh
dr7 "$PROGS/count" 1 <<'CMDS'
sx
sxe -c "r rip" -c2 "k" av
sxe ld:libplug
sxi SIGCHLD
sxe 0n40
sx
sxr
sx
CMDS
expect_count 3 '^  ct - Create thread - ignore$'
expect_count 3 '^  et - Exit thread - ignore$'
expect_count 3 '^ cpr - Create process - ignore$'
expect_count 3 '^ epr - Exit process - break$'
expect_count 2 '^  ld - Load module - output$'
expect_count 3 '^  ud - Unload module - ignore$'
expect_count 3 '^  av - Access violation \(SIGSEGV\) - break - not handled$'
expect_count 3 '^ bpe - Break instruction exception - break$'
expect_count 3 '^bpec - Break instruction exception continue - handled$'
expect_count 3 '^ cce - Control-C exception \(SIGINT\) - break$'
expect_count 3 '^  cc - Control-C exception continue - not handled$'
expect_count 3 '^  ii - Illegal instruction \(SIGILL\) - second-chance break - not handled$'
expect_count 3 '^  dz - Floating-point or integer divide error \(SIGFPE\) - break - not handled$'
expect_count 3 '^SIGBUS - Bus error - break - not handled$'
expect_count 3 '^SIGABRT - Abort - break - not handled$'
expect_count 3 '^SIGUSR1 - User defined signal 1 - second-chance break - not handled$'
expect_count 3 '^SIGCHLD - Child exited - ignore - not handled$'
expect_count 3 '^   \* - Other signal - second-chance break - not handled$'
expect_not 'SIGKILL'
# After the changes: the ld module, both command strings, a real-time signal's own entry.
expect_seq '^0:000> sxe 0n40$' '^  ld - Load module - break$' '^       \(only break for libplug\)$' \
	'^  av - Access violation \(SIGSEGV\) - break - not handled$' '^       Command: "r rip"$' \
	'^       Second command: "k"$' '^SIG40 - Real-time signal - break - not handled$' '^0:000> sxr$'
expect_count 1 '^SIG40 - '
expect_count 1 'only break for'
# sxr: the third list is the first again.
expect_seq '^0:000> sxr$' '^  ld - Load module - output$' '^   \* - Other signal'
dr7 -G "$PROGS/count" 1 <<'CMDS'
sx
CMDS
expect '^ epr - Exit process - second-chance break$'
done_test
