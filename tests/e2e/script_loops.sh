# Loops and blocks: .for (several increment commands), .while, .do, .break
# and .continue (innermost loop), nested loops with .if inside, .foreach
# over a command's output, a string and a file with /pS and /ps, .block,
# ';' between a statement's elements (as scripts condensed by $>< have),
# g inside a loop body (the program runs and the body goes on after the
# stop), loops in a breakpoint's command string, and the iteration limit.
. tests/lib.sh
printf 'one\ttwo\n\n  three\r\nfour' >"$TMPD/tokens.txt"
dr7 "$PROGS/script" <<CMDS
r \$t1 = 0
.for (r \$t0 = 0; @\$t0 < 3; r \$t0 = @\$t0 + 1; r \$t1 = @\$t1 + 2) { .printf "for %d\n", @\$t0 }
? @\$t1
.while (@\$t0 > 0) { r \$t0 = @\$t0 - 1; .if (@\$t0 == 1) { .continue }; .printf "while %d\n", @\$t0 }
.do { .printf "do %d\n", @\$t0 } (@\$t0 != 0)
.do { r \$t0 = @\$t0 + 1; .if (@\$t0 == 2) { .break } .else { .printf "before break %d\n", @\$t0 } } (1)
? @\$t0
.for (r \$t2 = 0; @\$t2 < 2; r \$t2 = @\$t2 + 1) { .for (r \$t3 = 0; @\$t3 < 3; r \$t3 = @\$t3 + 1) { .if (@\$t3 == 2) { .break }; .printf "pair %d%d\n", @\$t2, @\$t3 } }
.foreach (v { dd script!values L4 }) { .echo token v }
.foreach /pS 1 (v { dd script!values L4 }) { .printf "value %d\n", v }
.foreach /pS 1 /ps 1 (v {dd script!values L4}) { .printf "every other %d\n", \${v} }
.foreach /s (w "alpha beta  gamma") { .echo word w; .if (\$spat("w", "b*")) { .break } }
.foreach /f (w "$TMPD/tokens.txt") { .echo [\${w}] }
.foreach (v { .echo }) { .echo never }
.block { .echo in a block }
.if (1) ; { .echo then } ; .else ; { .echo else }
.for (r \$t0 = 0;; @\$t0 < 2;; r \$t0 = @\$t0 + 1) ; { .echo condensed }
.while (@\$t0 > 0) ;  { r \$t0 = @\$t0 - 1 } ; .echo after the while
.break
.continue
.for (r \$t0 = 0; @\$t0 < 2) { }
.while (1) .echo x
.while (1) { } junk
.do { } 
.foreach (v) { }
.foreach /x (v {r}) { }
.foreach /f (v "$TMPD/no-such-file") { }
.while (1) { }
.echo still here
CMDS
expect_seq '^for 0$' '^for 1$' '^for 2$' '^Evaluate expression: 6 = '
expect_seq '^while 2$' '^while 0$'
expect_not '^while 1$'
expect_count 1 '^do 0$'
expect_seq '^before break 1$' '^Evaluate expression: 2 = '
expect_count 1 '^before break'
expect_seq '^pair 00$' '^pair 01$' '^pair 10$' '^pair 11$'
expect_not '^pair .2$'
expect_seq '^token 00005555`[0-9a-f]{8}$' '^token 00000003$' '^token 00000001$' '^token 00000004$' '^token 00000001$'
expect_seq '^value 3$' '^value 1$' '^value 4$' '^value 1$'
expect_seq '^every other 3$' '^every other 4$'
expect_count 2 '^every other'
expect_seq '^word alpha$' '^word beta$'
expect_not '^word gamma$'
expect_seq '^\[one\]$' '^\[two\]$' '^\[three\]$' '^\[four\]$'
expect_not '^never$'
expect '^in a block$'
expect '^then$'
expect_not '^else$'
expect_count 2 '^condensed$'
expect '^after the while$'
expect "^Syntax error: .break is only allowed in a .for, .while, .do or .foreach loop\$"
expect "^Syntax error: .continue is only allowed in a .for, .while, .do or .foreach loop\$"
expect '^Syntax error: \.for needs \(InitialCommand ; Condition ; IncrementCommands\)$'
expect "^Syntax error: expected '\\{' after the condition\$"
expect "^Syntax error at 'junk'\$"
expect '^Syntax error: \.do needs a \(Condition\) after its block$'
expect '^Syntax error: \.foreach needs \( Variable \{ InCommands \} \), or /s or /f$'
expect "^Syntax error: unknown .foreach option '/x'\$"
expect "^Cannot read '.*/no-such-file': No such file or directory\$"
expect '^\.while: stopped after 1000000 iterations$'
expect '^still here$'
# g in a loop body: each pass runs the program to the breakpoint, then
# prints; a command string holds loops and ends at its gc.
dr7 "$PROGS/script" <<'CMDS'
bp script!step
.for (r $t0 = 0; @$t0 < 3; r $t0 = @$t0 + 1) { g; .printf "stopped at step(%d)\n", @rdi }
bp script!step ".for (r $t4 = 0; @$t4 < 3; r $t4 = @$t4 + 1) { .printf \"%d\", @$t4 }; .printf \" for i=%d\\n\", @rdi; gc"
g
CMDS
expect_seq '^Breakpoint 0 hit$' '^stopped at step\(0\)$' '^Breakpoint 0 hit$' '^stopped at step\(1\)$' \
	'^Breakpoint 0 hit$' '^stopped at step\(2\)$' '^012 for i=3$' '^012 for i=4$' '^total=24$'
expect_count 3 '^Breakpoint 0 hit$'
done_test
