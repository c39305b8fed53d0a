# Signals through the event filters: break at first chance (sxe), second
# chance only (sxd: a line at first chance), output (sxn), ignore (sxi);
# handling status (-h) decides what a plain g does; exceptions by WinDbg
# code, Linux name or number (current radix, as WinDbg reads it).
. tests/lib.sh
# SIGUSR1 has a handler: by default (second-chance break) a line per signal, no stop.
dr7 "$PROGS/sigevents" usr1 <<'CMDS'
g
CMDS
expect_count 3 '^\([0-9a-f]+\.[0-9a-f]+\): User defined signal 1 \(SIGUSR1\) - code 0000000a \(first chance\)$'
expect_not 'First chance exceptions are reported'
expect '^handler saw 3$'
# sxe: it stops; g delivers it (not handled), gh suppresses it.
dr7 "$PROGS/sigevents" usr1 <<'CMDS'
sxe SIGUSR1
g
g
gh
g
CMDS
expect_count 3 '^First chance exceptions are reported before any exception handling\.$'
expect_seq '^0:000> g$' 'User defined signal 1 \(SIGUSR1\) - code 0000000a \(first chance\)$' \
	'^libc_so!' '^0:000> g$' '\(first chance\)$' '^0:000> gh$' '\(first chance\)$' '^0:000> g$' '^handler saw 2$'
# By number in the default radix 16 (a = 10) and by decimal number: the same signal.
dr7 "$PROGS/sigevents" usr1 <<'CMDS'
sxe a
sx
sxd 0n10
sx
CMDS
expect_seq '^0:000> sxe a$' '^SIGUSR1 - User defined signal 1 - break - not handled$' \
	'^0:000> sxd 0n10$' '^SIGUSR1 - User defined signal 1 - second-chance break - not handled$'
# sxi: nothing shown, the program gets every one; sxi with -h handled: the program gets none.
dr7 "$PROGS/sigevents" usr1 <<'CMDS'
sxi SIGUSR1
g
CMDS
expect_not 'User defined signal 1'
expect '^handler saw 3$'
dr7 "$PROGS/sigevents" usr1 <<'CMDS'
sxe -h usr1
sxn sigusr1
g
CMDS
expect_count 3 'User defined signal 1 \(SIGUSR1\) - code 0000000a \(first chance\)$'
expect '^handler saw 0$'
# No handler, fatal default: one stop, second chance; g ends it.
dr7 "$PROGS/sigevents" usr2 <<'CMDS'
g
g
CMDS
expect_seq 'User defined signal 2 \(SIGUSR2\) - code 0000000c \(!!! second chance !!!\)$' \
	'^libc_so!kill\+0x[0-9a-f]+:$' 'Process killed by signal SIGUSR2$'
expect_not 'not reached'
# dz (SIGFPE) breaks at first chance; sxd dz only prints the line.
dr7 "$PROGS/sigevents" fpe <<'CMDS'
g
g
CMDS
expect_seq 'Floating-point or integer divide error \(SIGFPE\) - code 00000008 \(first chance\)$' \
	'^sigevents!divide\+0x[0-9a-f]+:$' 'idiv' '^fpe skipped$'
dr7 "$PROGS/sigevents" fpe <<'CMDS'
sxd dz
g
CMDS
expect_count 1 '\(SIGFPE\) - code 00000008 \(first chance\)$'
expect_not '^sigevents!divide'
expect '^fpe skipped$'
# ii (SIGILL) is second-chance break by default (WinDbg's); sxe ii breaks.
dr7 "$PROGS/sigevents" ill <<'CMDS'
g
CMDS
expect_count 1 'Illegal instruction \(SIGILL\) - code 00000004 \(first chance\)$'
expect '^ill skipped$'
dr7 "$PROGS/sigevents" ill <<'CMDS'
sxe ii
g
g
CMDS
expect_seq 'Illegal instruction \(SIGILL\) - code 00000004 \(first chance\)$' 'ud2' '^ill skipped$'
# SIGSEGV without a handler: sxd av still stops (it is the second chance); sxi av does not.
dr7 "$PROGS/segv" <<'CMDS'
sxd av
g
g
CMDS
expect_seq 'Access violation \(SIGSEGV\) - code 0000000b \(!!! second chance !!!\)$' '^segv!main\+' \
	'Process killed by signal SIGSEGV$'
dr7 "$PROGS/segv" <<'CMDS'
sxi av
g
CMDS
expect_not 'Access violation'
expect 'Process killed by signal SIGSEGV$'
# cce/cc: a SIGINT sent to the program breaks; g delivers it (dr7's cc default: not
# handled), sxe cc makes it handled so g keeps it from the program.
dr7 "$PROGS/sigevents" int <<'CMDS'
g
g
CMDS
expect_seq 'Control-C exception \(SIGINT\) - code 00000002 \(first chance\)$' '^handler saw 1$'
dr7 "$PROGS/sigevents" int <<'CMDS'
sxe cc
g
g
CMDS
expect_seq 'Control-C exception \(SIGINT\) - code 00000002 \(first chance\)$' '^handler saw 0$'
# bpe/bpec: the program's own int3 breaks and is handled (g goes on after it);
# sxn bpe only prints; gn delivers its SIGTRAP (no handler: it dies).
dr7 "$PROGS/sigevents" trap <<'CMDS'
g
g
CMDS
expect_seq 'Break instruction exception - code 80000003 \(first chance\)$' '^sigevents!main\+' '^after int3$'
dr7 "$PROGS/sigevents" trap <<'CMDS'
sxn bpe
g
CMDS
# (the initial breakpoint's line, then the int3's, which does not stop)
expect_count 2 '^\([0-9a-f]+\.[0-9a-f]+\): Break instruction exception - code 80000003 \(first chance\)$'
expect_count 0 '^sigevents!main'
expect '^after int3$'
dr7 "$PROGS/sigevents" trap <<'CMDS'
g
gn
CMDS
expect 'Process killed by signal SIGTRAP$'
expect_not '^after int3$'
done_test
