# A /w condition that names something that does not exist, or does not
# parse, is refused when the breakpoint is set: one error line, and the
# breakpoint list is unchanged.  A data breakpoint set at the initial
# breakpoint sees the loader's names and the globals: n is neither.
. tests/lib.sh
dr7 "$PROGS/recurse" 5 <<'CMDS'
bp fib
bp /w "nosuchvar == 1" main
bp /w "n ==" main
bp /w "n = 3" fib
bp /w "argc->x" main
ba w8 /w "n == 1" calls
bl
.echo end
CMDS
expect_count 1 "^Couldn't resolve error at 'nosuchvar' \(no variable 'nosuchvar' in scope at recurse!main\)$"
expect_count 1 "^Syntax error at ''$"
expect_count 1 "^Syntax error at '= 3' \(assignments are not supported; '==' compares\)$"
expect_count 1 "^Type error at 'argc->x': '->' needs a pointer to a struct or union$"
expect_count 1 "^Couldn't resolve error at 'n'$"
expect_count 1 'Disable Clear'
expect '^     0 e Disable Clear  [0-9a-f]{8}`[0-9a-f]{8}     0001 \(0001\)  0:\*\*\*\* recurse!fib$'
expect '^end$'
done_test
