# .lastevent: "Last event: pid.tid: <event>" and the debugger time;
# .exr -1: the last signal as WinDbg's EXCEPTION_RECORD (the signal number
# is the code, si_code Parameter[0], then si_addr for a fault or the
# sender's pid and uid for a sent signal).
. tests/lib.sh
dr7 "$PROGS/segv" handled <<'CMDS'
.lastevent
.exr -1
g
.lastevent
.exr -1
r rip
.exr 1234
bp main
.restart
g
.lastevent
CMDS
expect_seq '^0:000> \.lastevent$' \
	'^Last event: [0-9a-f]+\.[0-9a-f]+: Break instruction exception - code 80000003 \(first chance\)$' \
	'^  debugger time: ... ... [ 0-9]{2} [0-9]{2}:[0-9]{2}:[0-9]{2}\.[0-9]{3} [0-9]{4} \(UTC [+-] [0-9]+:[0-9]{2}\)$' \
	'^ExceptionAddress: [0-9a-f]{16} \(ld_linux_x86_64_so!_dl_debug_state\)$' \
	'^   ExceptionCode: 80000003 \(Break instruction exception\)$' '^  ExceptionFlags: 00000000$' \
	'^NumberParameters: 0$' \
	'^Last event: [0-9a-f.]+: Access violation \(SIGSEGV\) - code 0000000b \(first chance\)$' \
	'^ExceptionAddress: 0000[0-9a-f]{12} \(segv!main\+0x0000000000000[0-9a-f]{3}\)$' \
	'^   ExceptionCode: 0000000b \(Access violation, SIGSEGV\)$' '^  ExceptionFlags: 00000000$' \
	'^NumberParameters: 2$' '^   Parameter\[0\]: 0000000000000001$' '^   Parameter\[1\]: 0000000000000010$' \
	'^Attempt to access address 0000000000000010 \(SEGV_MAPERR: address not mapped\)$'
# ExceptionAddress is where the program stopped.
addr=$(printf '%s\n' "$OUT" | sed -n 's/^ExceptionAddress: \(0000[0-9a-f]*\) (segv.*/\1/p')
expect "^rip=$addr\$"
expect '^not supported: \.exr Address'
expect_seq '^Breakpoint 0 hit$' '^0:000> \.lastevent$' '^Last event: [0-9a-f.]+: Hit breakpoint 0$'
# A sent signal: the sender's pid (the program's own, from kill) and si_code SI_USER.
dr7 "$PROGS/sigevents" usr2 <<'CMDS'
g
.exr -1
CMDS
pid=$(printf '%s\n' "$OUT" | sed -n 's/^(\([0-9a-f]*\)\.[0-9a-f]*): User defined signal 2.*/\1/p' | head -n 1)
expect_seq '^   ExceptionCode: 0000000c \(User defined signal 2, SIGUSR2\)$' '^NumberParameters: 3$' \
	'^   Parameter\[0\]: 0000000000000000$' "^   Parameter\\[1\\]: 0*$pid\$" '^   Parameter\[2\]: [0-9a-f]{16}$' \
	"^Sent by process $pid \\(uid [0-9]+\\): SI_USER: sent by kill\$"
# An event is not an exception.
dr7 "$PROGS/threads" <<'CMDS'
sxe ct
g
.lastevent
.exr -1
CMDS
expect '^Last event: [0-9a-f.]+: Create thread 1:[0-9a-f]+$'
expect '^The last event is not an exception'
# gn does not continue a breakpoint, gN does.
dr7 "$PROGS/count" 3 <<'CMDS'
bp tick
g
gn
gN
CMDS
expect '^gn does not continue from a breakpoint; use gN \(capital N\)$'
expect_count 2 '^Breakpoint 0 hit$'
done_test
