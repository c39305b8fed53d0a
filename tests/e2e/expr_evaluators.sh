# @@c++(), @@masm() and @@() switch evaluators inside any expression (MASM
# symbols are addresses, C++ symbols are values); .expr shows and sets the
# default evaluator that commands use; ?? always reads C++.
. tests/lib.sh
dr7 "$PROGS/syntax" <<'CMDS'
.expr
.expr /q
bp scoped
g
? sh
? @@c++(sh)
? @@(sh) + 1
? @@c++(@@masm(sh)) == sh
? @@c++(floats[1] < 0) + @@c++(sizeof(doubles))
?? @@masm(poi(@@c++(&doubles)) != 0)
dd @@c++(&global) L1
.expr /s c++
? sh
? n * 2
? &sh == @@masm(sh)
? @@(sh) == @@masm(sh)
? doubles[0]
dd &floats L1
r $t0 = n + 1
? @$t0
bp set_global "j (v == 8) ''; 'gc'"
bu nowhere_yet
bl
g
? v
.expr /s masm
? @@c++(@@masm(@@c++(@@(1+1))))
? @@c++(1
? @@c++(1 2)
.expr /s pascal
.expr
CMDS
expect_seq '^0:000> \.expr$' '^Current expression evaluator: MASM - Microsoft Assembler expressions$'
expect_seq '^0:000> \.expr /q$' '^Available expression evaluators:$' '^MASM - Microsoft Assembler expressions$' '^C\+\+ - C\+\+ source expressions$' '^$' '^Current expression evaluator: MASM'
# MASM: sh is an address; C++: its value (main stored 2)
expect_seq '^0:000> \? sh$' '^Evaluate expression: [0-9]{10,} = 00005555`' '^0:000> \? @@c\+\+\(sh\)$' '^Evaluate expression: 2 = 00000000`00000002$' '^0:000> \? @@\(sh\) \+ 1$' '^Evaluate expression: 3 = '
expect_seq '^0:000> \? @@c\+\+\(@@masm\(sh\)\) == sh$' '^Evaluate expression: 1 = '
expect_seq '^0:000> \? @@c\+\+\(floats\[1\] < 0\) \+ @@c\+\+\(sizeof\(doubles\)\)$' '^Evaluate expression: 33 = 00000000`00000021$'
expect '^unsigned int64 0x1$'
expect_seq '^0:000> dd @@c\+\+\(&global\) L1$' '^[0-9a-f]{8}`[0-9a-f]{8}  00000000$'
expect_seq '^0:000> \.expr /s c\+\+$' '^Current expression evaluator: C\+\+ - C\+\+ source expressions$' '^0:000> \? sh$' '^Evaluate expression: 2 = '
expect_seq '^0:000> \? n \* 2$' '^Evaluate expression: 30 = 00000000`0000001e$'
expect_count 3 '^Evaluate expression: 1 = 00000000`00000001$'
expect "^Type error at 'doubles\[0\]': a floating-point value is not an address or a count$"
expect_seq '^0:000> dd &floats L1$' '^[0-9a-f]{8}`[0-9a-f]{8}  3fc00000$'
expect_seq '^0:000> \? @\$t0$' '^Evaluate expression: 16 = 00000000`00000010$'
# A C++ location is kept as @@c++(...), so it resolves the same way later.
expect '^     2 e Disable Clear u +0001 \(0001\) \(@@c\+\+\(nowhere_yet\)\)$'
expect_seq '^0:000> \? v$' '^Evaluate expression: 8 = 00000000`00000008$'
expect_seq '^0:000> \? @@c\+\+\(@@masm\(@@c\+\+\(@@\(1\+1\)\)\)\)$' '^Evaluate expression: 2 = '
expect "^Syntax error at '@@c\+\+\(1' \(no closing parenthesis\)$"
expect "^Syntax error at ' 2'$"
expect '^Syntax error: \.expr /s takes masm or c\+\+$'
expect_seq '^0:000> \.expr /s pascal$' '^Syntax error' '^0:000> \.expr$' '^Current expression evaluator: MASM - Microsoft Assembler expressions$'
done_test
