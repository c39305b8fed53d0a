# Help comes from the command table: ? alone and .help list every command
# with its summary, help CMD shows the syntax, ? Expression still evaluates,
# and the shared argument checks print one line and change nothing.
. tests/lib.sh
dr7 "$PROGS/count" 3 <<'CMDS'
?
help bp
.help ba
help xyz
? 0n41 + 1
bp tick
.bpcmds now
gc extra
bs
bl
.echo still alive
CMDS
expect_seq '^0:000> \?$' '^Breakpoints$' '^  bp +Set a software \(int3\) breakpoint' '^  ba +.*r means read or write$' \
	'^Threads$' '^  ~s +Make the thread current' '^Help$' '^  help +List the commands'
expect_count 1 '^  \.bpcmds +Print commands that recreate every breakpoint$'
expect_seq '^0:000> help bp$' '^\[~Thread\] bp\[ID\] \[/1\] .*\["CommandString"\]$' '^    Set a software'
expect_seq '^0:000> \.help ba$' '^\[~Thread\] ba\[ID\] e\|r\|w\|l Size ' '^    Set a processor breakpoint'
expect_seq '^0:000> help xyz$' "^No command named 'xyz' \(\.help lists them\)$" '^0:000> \? 0n41 \+ 1$'
expect '^Evaluate expression: 42 = 00000000`0000002a$'
expect "^\^ Extra character error in '\.bpcmds now'$"
expect "^\^ Extra character error in 'gc extra'$"
expect '^Syntax error: bs needs arguments: bs ID \["CommandString"\]$'
# gc refused: the session did not resume, the breakpoint is still there.
expect_count 1 'Disable Clear'
expect_not 'Breakpoint 0 hit'
expect '^still alive$'
done_test
