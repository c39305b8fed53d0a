# A WinDbg command dr7 knows but lacks answers "not supported: <cmd> (<why>)"
# in one line and changes nothing; a typo still says the unknown-command
# error; help lists the gaps after the commands dr7 has.
. tests/lib.sh
dr7 "$PROGS/count" 3 <<'CMDS'
bp tick
.cxr
~* .cxr
~0 n
tb
dx @$curprocess
$$ a comment that says nothing
!analyze -v
|
bpx tick
.frobnicate
!frobnicate
help
g
? @rdi
CMDS
# Examples that stay unsupported: Windows-only ideas (the list shrinks as
# commands land; these do not).
expect '^not supported: \.cxr \(Windows CONTEXT records have no Linux equivalent\)$'
expect_count 2 '^not supported: \.cxr '
expect '^not supported: ~n \(Windows thread suspend counts have no Linux equivalent\)$'
expect '^not supported: tb \(branch tracing needs processor support ptrace does not give\)$'
expect '^not supported: dx \(the data-model evaluator is Windows-only; dt and \?\? cover C\)$'
expect '^not supported: !analyze \(Windows crash analysis\)$'
expect '^not supported: \| \(dr7 debugs one process, process 0\)$'
expect "^\^ Unknown command in 'bpx'$"
expect "^\^ Unknown command in '\.frobnicate'$"
expect "^\^ Unknown command in '!frobnicate'$"
expect_seq '^Breakpoints$' '^Help$' '^Known WinDbg commands dr7 does not support$' '^  \.cxr +Windows CONTEXT records have no Linux equivalent$' '^help Command shows'
# Nothing changed: the breakpoint still hits at the first call.
expect_seq '^Breakpoint 0 hit$' 'Evaluate expression: 0 = '
done_test
