# .logopen, .logappend, .logclose: the log holds what dr7 shows (the echoed
# commands, their output, events) from the open to the close, and not the
# program's own output; /t names the file with the process id and the time,
# /u writes UTF-16LE.  .cls clears a terminal (at a terminal the earlier
# lines are gone) and prints nothing in a piped transcript.
. tests/lib.sh
log="$TMPD/session.log"
dr7 "$PROGS/dlopen_main" "$PROGS/libplug.so" <<CMDS
.echo before the log
.logopen $log
bu libplug!plug_func
g
? @rdi
.logopen /nonexistent-dir/x.log
.echo still logged
.logclose
.echo not logged
.logappend $log
.echo appended
.logopen "$TMPD/second.log"
.echo in the second
.logclose
.logclose
.logopen /t $TMPD/stamped.txt
.logclose
.logopen /u $TMPD/wide.log
.echo héllo 😀
.logclose
.logopen /x $TMPD/bad.log
.cls
.echo after cls
bc *
g
CMDS
expect "^Opened log file '$log'\$"
expect "^Cannot open log file '/nonexistent-dir/x.log': No such file or directory\$"
expect_seq "^0:000> \\.logopen \"$TMPD/second.log\"\$" "^Closing open log file $log\$" "^Opened log file '$TMPD/second.log'\$"
expect_seq '^0:000> \.cls$' '^0:000> \.echo after cls$'
expect "^Syntax error: unknown .logopen option '/x'\$"
expect '^plug=42$'
stamped=$(printf '%s\n' "$OUT" | sed -n "s/^Opened log file '\\(.*stamped_.*\\)'\$/\\1/p")
case $stamped in
"$TMPD"/stamped_[0-9A-F][0-9A-F][0-9A-F][0-9A-F]*_[0-9][0-9][0-9][0-9]-[0-9][0-9]-[0-9][0-9]_[0-9][0-9]-[0-9][0-9]-[0-9][0-9]-[0-9][0-9][0-9].txt) ;;
*) fail "a /t log name: stamped_PID_YYYY-MM-DD_HH-MM-SS-mmm.txt, got '$stamped'" ;;
esac
[ -f "$stamped" ] || fail "the /t log file exists"
pid=$(printf '%s\n' "$OUT" | sed -n 's/^(\([0-9a-f]*\)\.[0-9a-f]*): Break instruction.*/\1/p' | head -n 1)
printf '%s\n' "$stamped" | grep -qi "stamped_0*${pid}_" || fail "the /t name holds the process id $pid"
# What the first log holds.
OUT=$(cat "$log")
printf '%s\n' "---- $log" "$OUT"
expect_seq "^Opened log file '$log'\$" '^0:000> bu libplug!plug_func$' '^0:000> g$' 'ModLoad: .*libplug.so' \
	'^Breakpoint 0 hit$' '^libplug!plug_func:$' '^0:000> \? @rdi$' '^Evaluate expression: 20 = ' \
	'^Cannot open log file' '^still logged$' '^0:000> \.logclose$' "^Closing open log file $log\$" \
	"^Opened log file '$log'\$" '^0:000> \.echo appended$' '^appended$' '^0:000> \.logopen "'
expect_not 'before the log'
expect_not 'not logged'
expect_not 'in the second'
expect_not 'plug=42'
OUT=$(cat "$TMPD/second.log")
expect_seq "^Opened log file '$TMPD/second.log'\$" '^in the second$' "^Closing open log file $TMPD/second.log\$"
OUT=$(python3 -c 'import sys; d = open(sys.argv[1], "rb").read(); print("BOM" if d[:2] == b"\xff\xfe" else "no BOM"); print(d[2:].decode("utf-16-le"))' "$TMPD/wide.log")
printf '%s\n' "---- wide.log" "$OUT"
expect_seq '^BOM$' "^Opened log file '$TMPD/wide.log'\$" '^héllo 😀$' '^Closing open log file'
# At a terminal: what was typed goes to the log with its prompt, and .cls
# clears the screen.
dr7_pty "$PROGS/script" <<STEPS
.echo before cls\r	before cls\r\n
.logopen $TMPD/tty.log\r	Opened log file
? 0n7\r	Evaluate expression: 7
.logclose\r	Closing open log file
.cls\r	\\x1b.2J
.echo after cls\r	after cls\r\n
STEPS
expect '^after cls$'
expect_not 'before cls'
expect_not 'Evaluate expression: 7'
OUT=$(cat "$TMPD/tty.log")
printf '%s\n' "---- tty.log" "$OUT"
expect_seq "^Opened log file '$TMPD/tty.log'\$" '^0:000> \? 0n7$' '^Evaluate expression: 7 = 00000000`00000007$' \
	'^0:000> \.logclose$' "^Closing open log file $TMPD/tty.log\$"
done_test
