# wt: WinDbg's call tree and summary, with counts that are exact: a
# straight-line function executes as many instructions as objdump lists for
# it, the tree agrees with ta stepping every instruction, a loop's count
# grows by the same number per iteration; options, system calls, signal
# handlers, breakpoints and watches met during a trace.
. tests/lib.sh

# Instructions objdump lists for a function of the trace program.
insns() {
	objdump -d --no-show-raw-insn "$1" | awk -v f="<$2>:" '$2 == f { on = 1; next } on && /^$/ { exit } on { n++ } END { print n + 0 }'
}
L=$(insns "$PROGS/trace" leaf)
T=$(insns "$PROGS/trace" twice)
[ "$L" -gt 3 ] && [ "$T" -gt 3 ] || fail "objdump found no leaf/twice ($L, $T)"

dr7 "$PROGS/trace" <<'CMDS'
bp trace!twice
g
wt
CMDS
expect_seq '^0:000> wt$' '^Tracing trace!twice to return address [0-9a-f]{8}`[0-9a-f]{8}$' '^$' \
	"^ +[0-9]+ +0 \[  0\] trace!twice$" "^ +$L +0 \[  1\]   trace!leaf$" \
	"^ +[0-9]+ +$L \[  0\] trace!twice$" "^ +$L +0 \[  1\]   trace!leaf$" \
	"^ +[0-9]+ +$((2 * L)) \[  0\] trace!twice$" '^$' \
	"^$((T + 2 * L)) instructions were executed in [0-9]+ events \(0 from other threads\)$" '^$' \
	'^Function Name                               Invocations MinInst MaxInst AvgInst$' \
	"^$(printf '%-44s%11s%8s%8s%8s' trace!leaf 2 "$L" "$L" "$L")$" \
	"^$(printf '%-44s%11s%8s%8s%8s' trace!twice 1 $((T + 2 * L)) $((T + 2 * L)) $((T + 2 * L)))$" \
	'^trace!main\+0x[0-9a-f]+:$'
expect '^trace!leaf +2 +'
expect "^ +$T +$((2 * L)) \[  0\] trace!twice$"

# The same function stepped instruction by instruction (ta): as many steps.
dr7 "$PROGS/trace" <<'CMDS'
bp trace!twice
g
ta @$ra
CMDS
expect_count $((T + 2 * L + 2)) '^rip='	# and the initial and hit stops

# Recursion: fib(5) is 15 invocations; the counts add up; -or shows the
# return values, -oR typed; -l 2 hides depth 2 and below.
dr7 "$PROGS/trace" <<'CMDS'
bp trace!fib
g
bc 0
wt -l 2 -or
CMDS
expect '^trace!fib +15 +'
expect_not '\[  2\]'
expect ' \[  0\] trace!fib rax = 5$'
expect ' \[  1\]   trace!fib rax = 3$'
expect ' \[  1\]   trace!fib rax = 2$'
total=$(printf '%s\n' "$OUT" | sed -n 's/^\([0-9]*\) instructions were executed.*/\1/p')
last=$(printf '%s\n' "$OUT" | grep ' \[  0\] trace!fib rax' | awk '{ print $1 + $2 }')
[ -n "$total" ] && [ "$total" = "$last" ] || fail "fib's own + children ($last) is not the total ($total)"
dr7 "$PROGS/trace" <<'CMDS'
bp trace!twice
g
wt -oR -nc
CMDS
expect_not 'trace!leaf rax'
expect '^trace!twice +1 +'
dr7 "$PROGS/trace" <<'CMDS'
bp trace!twice
g
wt -oR -ns
CMDS
expect ' \[  1\]   trace!leaf rax = int 0n4$'
expect ' \[  1\]   trace!leaf rax = int 0n5$'
expect ' \[  0\] trace!twice rax = int 0n9$'
expect '^[0-9]+ instructions were executed'
expect_not '^Function Name'

# A loop: every iteration adds the same count.
for n in 10 20 40; do
	dr7 "$PROGS/trace" $n <<'CMDS'
bp trace!spin
g
wt
CMDS
	eval "c$n=\$(printf '%s\n' \"\$OUT\" | sed -n 's/^\([0-9]*\) instructions were executed.*/\1/p')"
done
[ -n "$c10" ] && [ $((c20 - c10)) -gt 0 ] && [ $((2 * (c20 - c10))) = $((c40 - c20)) ] ||
	fail "spin's counts do not grow linearly ($c10, $c20, $c40)"

# System calls (write through libc), and a signal handler entered during
# the trace is traced as if called.
dr7 "$PROGS/trace" <<'CMDS'
bp trace!say
bp trace!ping
g
wt
g
wt
? poi(trace!pings)
CMDS
expect '^1 system call was executed$'
expect_seq '^Calls  System Call$' '^    1  libc_so!'
expect ' \[  [1-9]\] +libc_so!write$'
expect '^ +[0-9]+ +0 \[  [2-9]\] +trace!on_usr1$'
expect '^trace!on_usr1 +1 +'
expect_seq 'Tracing trace!ping' '^Function Name' '^trace!main\+0x[0-9a-f]+:$' 'Evaluate expression: 1 = '

# -i: code in the module is not traced; -m: only the module and the first
# level of its calls; -ni hides the ignored entries.
dr7 "$PROGS/trace" <<'CMDS'
bp trace!say
g
wt -i libc_so
CMDS
expect ' libc_so!write \(ignored: not traced\)$'
expect_not 'system call'
dr7 "$PROGS/trace" <<'CMDS'
bp trace!ping
g
wt -m trace
CMDS
expect '^ +[0-9]+ +[0-9]+ \[  1\]   libc_so!raise$'
expect '\[  2\]     libc_so!.* \(ignored: not traced\)$'
expect_not '\[  3\]'
dr7 "$PROGS/trace" <<'CMDS'
bp trace!ping
g
wt -m trace -ni
CMDS
expect '\[  1\]   libc_so!raise$'
expect_not 'ignored'

# EndAddress; on a call instruction (until it returns there); elsewhere wt
# is one p.
main=$(objdump -d --no-show-raw-insn "$PROGS/trace" | awk '$2 == "<main>:" { print $1; exit }')
call=$(objdump -d --no-show-raw-insn "$PROGS/trace" | awk '/call.*<twice>/ { sub(":", "", $1); print $1; exit }')
off=$((0x$call - 0x$main))
dr7 "$PROGS/trace" <<CMDS
bp trace!twice
g
wt @\$ra
bc *
.restart
bp trace!main+0n$off
g
wt
p
wt
CMDS
expect_seq 'Tracing trace!twice to address ' "^$((T + 2 * L)) instructions were executed"
expect_seq "Tracing trace!main\+0x[0-9a-f]+ to return address " "^ +[0-9]+ +$((2 * L + T)) \[  0\] trace!main$" \
	"^$((T + 2 * L + 1)) instructions were executed"
expect_count 2 '^Tracing '
# To an address in the caller: the trace goes on there after the return.
between=$(objdump -d --no-show-raw-insn "$PROGS/trace" | awk '/call.*<twice>/ { on = 1; next } on && /call.*<fib>/ { print n + 0; exit } on { n++ }')
fibcall=$(objdump -d --no-show-raw-insn "$PROGS/trace" | awk '/call.*<twice>/ { on = 1 } on && /call.*<fib>/ { sub(":", "", $1); print $1; exit }')
dr7 "$PROGS/trace" <<CMDS
bp trace!twice
g
wt trace!main+0n$((0x$fibcall - 0x$main))
CMDS
expect_seq "^ +[0-9]+ +$((2 * L)) \\[  0\\] trace!twice$" "^ +$between +0 \\[  0\\] trace!main$" \
	"^$((T + 2 * L + between)) instructions were executed" ' call +trace!fib '

# A breakpoint met during the trace stops it, reported once; g goes on to the
# next hit.  A watch stops it too.
dr7 "$PROGS/trace" <<'CMDS'
bp trace!twice
g
bp trace!leaf
wt
g
g
CMDS
expect_seq '^Tracing trace!twice' "^ +[0-9]+ +0 \[  0\] trace!twice$" '^ +0 +0 \[  1\]   trace!leaf$' \
	'instructions were executed' '^Breakpoint 1 hit$' '^trace!leaf:$' '^0:000> g$' '^Breakpoint 1 hit$' '^0:000> g$'
expect_count 2 '^Breakpoint 1 hit$'
dr7 "$PROGS/trace" <<'CMDS'
bp trace!main
g
ba w4 trace!sink
wt trace!say
CMDS
expect_seq '^Tracing trace!main to address ' 'instructions were executed' '^Breakpoint 1 hit$'
expect_not '\] +trace!say$'

# An i386 program: eax for -or, system calls through the vDSO, and the tree
# agrees with ta again.
dr7 "$PROGS/trace32" <<'CMDS'
bp trace32!twice
bp trace32!say
g
wt -or
g
wt
CMDS
expect ' \[  1\]   trace32!leaf eax = 4$'
expect ' \[  0\] trace32!twice eax = 9$'
expect_seq 'Tracing trace32!say' '^1 system call was executed$' '^    1  linux_gate_so!__kernel_vsyscall$'
expect ' \[  1\]   libc_so!write$'
total=$(printf '%s\n' "$OUT" | sed -n 's/^\([0-9]*\) instructions were executed.*/\1/p' | head -n 1)
dr7 "$PROGS/trace32" <<'CMDS'
bp trace32!twice
g
ta @$ra
CMDS
expect_count $((total + 2)) '^eax='

# Bad options change nothing.
dr7 "$PROGS/trace" <<'CMDS'
bp trace!twice
g
wt -x
wt -l
wt -l 0
wt -oa
wt -m
wt trace!twice junk
r rip
CMDS
expect "^Syntax error: unknown wt option '-x'"
expect '^Syntax error: wt -l needs a depth$'
expect '^wt -l: the depth must be between 1 and 100000$'
expect '^not supported: wt -oa'
expect '^Syntax error: wt -m needs a module name$'
expect "^\^ Extra character error in 'wt trace!twice junk'$"
expect_not '^Tracing'
expect '^rip=0000555555555[0-9a-f]{3}$'
done_test
