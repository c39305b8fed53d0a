# .printf with WinDbg's conversions (C's, with 32-bit integers unless a size
# prefix widens them, floats from the low 32 bits unless l, %p %N %y %ly,
# strings of the program: %ma %mu %msa %msu, and %s) and .formats, on a
# 64-bit and an i386 program.  A bad argument prints one error line and
# nothing of the text.
. tests/lib.sh
TZ=PST8	# .formats shows local time; the documentation's example was made at UTC-8
export TZ
dr7 "$PROGS/script" <<'CMDS'
.printf "d=%d i=%i u=%u x=%x X=%X o=%o\n", 0n-5, 0n42, 0n-1, 0xbeef, 0xbeef, 8
.printf "[%5d][%-5d][%05d][%+d][%#x][%.3d][%*d]\n", 0n42, 0n42, 0n42, 0n42, 0n255, 7, 4, 9
.printf "%x %I64x %llx %I32x %lx %hx %hhx %Ix\n", 0x123456789, 0x123456789, 0x123456789, 0x123456789, 0x123456789, 0x123456789, 0x123456789, 0x123456789
.printf "%d %ld %lld %I64d %hd\n", 0xffffffff, 0xffffffff, 0xffffffffffffffff, 0n-7, 0x18000
.printf "%c%c%c|%5c|\n", 0x44, 0x72, 0x37, 0x2a
.printf "%f %lf %.2f %e %g\n", dwo(script!ratio), qwo(script!precise), dwo(script!ratio), dwo(script!ratio), 0x3f800000
.printf "%ma|%mu|%msa|%msu\n", script!greeting, script!wide, script!ansi, script!unicode
.printf "%s|%ls|%S|%s\n", script!greeting, script!wide, script!wide, "a literal"
.printf "[%8.5ma][%-6s][%.2mu]\n", script!greeting, "ab", script!wide
? script!greeting
.printf "%p|%N\n", script!greeting, script!greeting
.printf "%y|%y|%ly\n", script!step+4, script!step, script!step
.printf "100%% \"quoted\" tab\tend\n"
.printf /D "<b>bold</b> &lt;tag&gt; &amp;\n"
.printf /ow "coloured only in WinDbg\n"
.printf "no newline"; .echo <- glued
.printf "%d\n"
.printf "%ma\n", 0
.printf "%k\n", 1
.printf "%d\n", 1, 2, nosuchsymbol
.printf "%d\n", 1 junk
.printf "%d\n", "text"
.printf no quotes
.formats 1c407e62
.formats -1
.formats 0
.formats
.formats 1 2
CMDS
expect '^d=-5 i=42 u=4294967295 x=beef X=BEEF o=10$'
expect '^\[   42\]\[42   \]\[00042\]\[\+42\]\[0xff\]\[007\]\[   9\]$'
expect '^23456789 123456789 123456789 23456789 23456789 6789 89 123456789$'
expect '^-1 -1 -1 -7 -32768$'
expect '^Dr7\|    \*\|$'
expect '^1\.500000 2\.250000 1\.50 1\.500000e\+00 1$'
expect '^hello, world\|wide é 😀\|counted!\|wide$'
expect '^hello, world\|wide é 😀\|wide é 😀\|a literal$'
expect '^\[   hello\]\[ab    \]\[wi\]$'
addr=$(printf '%s\n' "$OUT" | sed -n 's/^Evaluate expression: [0-9]* = \([0-9a-f`]*\)$/\1/p' | head -n 1)
upper=$(printf '%s' "$addr" | tr -d '`' | tr a-f A-F)
expect "^$addr\|$upper\$"
expect '^script!step\+0x4 \(00005555`[0-9a-f]{8}\)\|script!step \(00005555`[0-9a-f]{8}\)\|script!step \(00005555`[0-9a-f]{8}\) \[.*script\.c @ [0-9]+\]$'
expect '^100% "quoted" tab	end$'
expect '^bold <tag> &$'
expect '^coloured only in WinDbg$'
expect '^no newline<- glued$'
expect_seq '^0:000> \.printf "%d\\n"$' "^Syntax error: .printf needs an argument for '%d'\$" '^0:000> '
expect_seq '^0:000> \.printf "%ma\\n", 0$' '^Memory access error at 00000000`00000000$' '^0:000> '
expect "^Syntax error: unknown conversion '%k' in the format\$"
expect "^Couldn't resolve error at 'nosuchsymbol'"
expect "^Syntax error at 'junk'\$"
expect "^Syntax error: '%d' needs a number, not a string\$"
expect '^Syntax error: .printf needs a quoted format string$'
# An error prints nothing of the text.
expect_not '^1$'
# The documentation's example, at 64 bits.
expect_seq '^0:000> \.formats 1c407e62$' '^Evaluate expression:$' '^  Hex:     00000000`1c407e62$' '^  Decimal: 473988706$' \
	'^  Octal:   0000000000003420077142$' \
	'^  Binary:  00000000 00000000 00000000 00000000 00011100 01000000 01111110 01100010$' \
	'^  Chars:   \.\.\.\.\.@~b$' '^  Time:    Mon Jan 07 15:31:46 1985$' '^  Float:   low 6\.36908e-22 high 0$' \
	'^  Double:  2\.34182e-315$'
expect_seq '^0:000> \.formats -1$' '^  Hex:     ffffffff`ffffffff$' '^  Decimal: -1$' '^  Octal:   1777777777777777777777$' \
	'^  Binary:  11111111 11111111 11111111 11111111 11111111 11111111 11111111 11111111$' '^  Chars:   \.\.\.\.\.\.\.\.$' \
	'^  Time:    ' '^  Float:   low -?nan high -?nan$' '^  Double:  -?nan$'
expect_seq '^0:000> \.formats 0$' '^  Time:    Wed Dec 31 16:00:00 1969$' '^  Float:   low 0 high 0$' '^  Double:  0$'
expect '^Syntax error: .formats needs arguments: .formats Expression$'
expect "^\\^ Extra character error in '.formats 1 2'\$"
# An i386 program: addresses of 8 digits, pointer-sized structures, and
# the documentation's .formats example line for line.
dr7 "$PROGS/script32" <<'CMDS'
.printf "%p|%N|%msa|%msu|%y|%Ix\n", script32!greeting, script32!greeting, script32!ansi, script32!unicode, script32!step, 0x123456789
.formats 1c407e62
CMDS
expect '^[0-9a-f]{8}\|00000000[0-9A-F]{8}\|counted!\|wide\|script32!step \([0-9a-f]{8}\)\|23456789$'
expect_seq '^0:000> \.formats 1c407e62$' '^Evaluate expression:$' '^  Hex:     1c407e62$' '^  Decimal: 473988706$' \
	'^  Octal:   03420077142$' '^  Binary:  00011100 01000000 01111110 01100010$' '^  Chars:   \.@~b$' \
	'^  Time:    Mon Jan 07 15:31:46 1985$' '^  Float:   low 6\.36908e-22 high 0$' '^  Double:  2\.34182e-315$'
done_test
