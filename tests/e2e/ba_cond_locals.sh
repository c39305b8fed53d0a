# /w on ba sees the locals and parameters in scope where the breakpoint was
# set (as gdb's `watch global if q > 10`): scoped()'s q is read at each
# write of global, in scoped()'s frame even when the write happens in its
# callee set_global().  Once scoped() has returned the condition cannot be
# evaluated: the write stops with that reason (dr7's choice; gdb deletes
# such a watchpoint).  scoped(15) writes global = 2q for q = 0..14, then
# main writes 1000.
. tests/lib.sh
dr7 "$PROGS/syntax" <<'CMDS'
bp scoped
g
ba w4 /w "nosuch > 1" global
ba w4 /w "q > 10" global ".echo q-hit; ? poi(global); gc"
bl
g
? poi(global)
CMDS
expect "^Couldn't resolve error at 'nosuch'$"
expect '^     1 e Disable Clear  [0-9a-f]{8}`[0-9a-f]{8} w 4 0001 \(0001\)  0:\*\*\*\* syntax!global /w "q > 10" '
# q = 11..14; then main's write: the condition cannot be evaluated, so the
# hit counts (its command string runs, as for any condition that fails).
expect_count 5 '^q-hit$'
expect_seq '^q-hit$' '^Evaluate expression: 22 = ' '^q-hit$' '^Evaluate expression: 24 = ' '^q-hit$' '^Evaluate expression: 26 = ' '^q-hit$' '^Evaluate expression: 28 = ' '^Breakpoint 1: condition cannot be evaluated here \(no frame of syntax!scoped is on this thread.s stack: the function where the breakpoint was set has returned\); stopping$' '^q-hit$' '^Evaluate expression: 1000 = '
expect '^syntax done global=1000 '
# Set in an outer frame (.frame 1): its function's locals, read from that frame.
dr7 "$PROGS/syntax" <<'CMDS'
bp set_global
g
.frame 1
ba w4 /w "q == 5 || n == 3" global
bc 0
g
? poi(global)
? (@$ip >= set_global) and (@$ip < scoped)
g
CMDS
expect_seq '^0:000> \? poi\(global\)$' '^Evaluate expression: 10 = ' '^Evaluate expression: 1 = '
expect_seq '^0:000> g$' '^Breakpoint 1: condition cannot be evaluated here \(no frame of syntax!scoped' '^Breakpoint 1 hit$' '^syntax!main\+0x[0-9a-f]+:$'
# A condition over globals only is bound as before: it holds after scoped() returns too.
dr7 "$PROGS/syntax" <<'CMDS'
bp scoped
g
ba w4 /w "global >= 1000" global
g
? poi(global)
g
CMDS
expect_not 'condition cannot be evaluated'
expect_seq '^Breakpoint 1 hit$' '^syntax!main\+' '^0:000> \? poi\(global\)$' '^Evaluate expression: 1000 = '
expect '^syntax done global=1000 '
done_test
