# A WinDbg command dr7 knows but lacks answers "not supported: <cmd> (<why>)"
# in one line and changes nothing; a typo still says the unknown-command
# error; help lists the gaps after the commands dr7 has.
. tests/lib.sh
dr7 "$PROGS/count" 3 <<'CMDS'
bp tick
wt
~* wt
~0 n
pct
sxe av
.foreach (x {k}) {.echo x}
$$<script.txt
$$ a comment that says nothing
l+t
!address
|
bpx tick
.frobnicate
!frobnicate
help
g
? @rdi
CMDS
expect '^not supported: wt \(trace and watch data: not implemented yet\)$'
expect_count 2 '^not supported: wt '
expect '^not supported: ~n \(Windows thread suspend counts have no Linux equivalent\)$'
expect '^not supported: pct \(step to the next call or return: not implemented yet\)$'
expect '^not supported: sxe \(event filters: not implemented yet; README, Signals, has the rules\)$'
expect '^not supported: \.foreach \(not implemented yet\)$'
expect '^not supported: \$\$< \(script files: not implemented yet; dr7 -cf File runs one\)$'
expect '^not supported: l\+t \(source-line stepping: not implemented yet\)$'
expect '^not supported: !address \(not implemented yet; lm shows the modules\)$'
expect '^not supported: \| \(dr7 debugs one process, process 0\)$'
expect "^\^ Unknown command in 'bpx'$"
expect "^\^ Unknown command in '\.frobnicate'$"
expect "^\^ Unknown command in '!frobnicate'$"
expect_seq '^Breakpoints$' '^Help$' '^Known WinDbg commands dr7 does not support$' '^  wt +trace and watch data: not implemented yet$' '^help Command shows'
# Nothing changed: the breakpoint still hits at the first call.
expect_seq '^Breakpoint 0 hit$' 'Evaluate expression: 0 = '
done_test
