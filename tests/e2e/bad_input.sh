# Bad input: one clear error line each, and the session goes on.
. tests/lib.sh
long=$(head -c 102400 /dev/zero | tr '\0' 'x')
dr7 "$PROGS/count" 3 <<CMDS
frobnicate
? 1 +* 2
? nosuchsymbol
r zz9
bp tick 1 2 3
db 0 L4
$long
bl
bp tick
bl
.echo still alive
CMDS
expect '\^ Unknown command in .frobnicate.'
expect 'Syntax error at'
expect "Couldn't resolve error at 'nosuchsymbol'"
expect "Bad register error in 'r zz9'"
expect "Extra character error in 'bp tick 1 2 3'"
expect '^00000000`00000000  \?\? \?\? \?\? \?\?'
expect 'Command line is too long|Unknown command'
expect_count 1 'Disable Clear'
expect '^still alive$'
done_test
