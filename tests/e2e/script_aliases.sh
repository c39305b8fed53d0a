# Aliases: as (rest of the line), aS (a phrase ending at ';'), the switches
# /x /e /f /c /ma /mu /msa /msu, ad, al, ${} with /d /f /n /v, and
# replacement as WinDbg does it: a name standing alone as a word, once when
# a line or block is entered (so a new alias shows only in a later block),
# never in a line that begins with as, aS, ad or al.
. tests/lib.sh
printf 'from a file' >"$TMPD/alias.txt"
DR7_ALIAS_TEST=from-the-environment
export DR7_ALIAS_TEST
dr7 "$PROGS/script" <<CMDS
as Short script!greeting
.printf "%ma\n", Short
as GoUp r \$t0 = @\$t0 + 1; r \$t1 = @\$t1 + 2
r \$t0 = 0; r \$t1 = 0
GoUp
GoUp
? @\$t0 + @\$t1
.echo [\${Short}] xShort Short "Short" Shortx
.echo \${/d:Short} \${/d:Nope} [\${/f:Nope}] \${/f:Short} \${/n:Short} \${/n:Nope} \${/v:Short} \${Nope}
aS /x myAlias 5 + 1; .block{.echo myAlias}
aS /x other 5 + 1; .echo other
.echo other
aS phrase "with; a semicolon" ; .echo after the phrase
aS bare not quoted ; .echo after bare
as line keeps; semicolons and "quotes"
aS /e env DR7_ALIAS_TEST
aS /f file $TMPD/alias.txt
as /ma s1 script!greeting
as /mu s2 script!wide
as /msa s3 script!ansi
as /msu s4 script!unicode
as /c out .echo one; .echo two
al
.block { .echo env file; .echo s1 s2 s3 s4 }
ad /q Nope; .echo myAlias
ad Nope
ad \${/v:other}
.echo other defined: \${/d:other}
as fred 2
r \$t5 = 1 + fred
as fred 6
? @\$t5
as alpha x
as lonely
aS /x bad nosuchsymbol
aS /e gone NO_SUCH_VARIABLE_DR7
aS /f gone2 $TMPD/no-such-file
as /ma gone3 0
as /q x 1
.echo failed ones defined: \${/d:bad} \${/d:gone} \${/d:gone2} \${/d:gone3} \${/d:lonely}
ad *
al
.echo Short
CMDS
expect '^hello, world$'
expect '^Evaluate expression: 6 = '
expect '^\[script!greeting\] xShort script!greeting "script!greeting" Shortx$'
expect '^1 0 \[\] script!greeting Short \$\{/n:Nope\} \$\{/v:Short\} \$\{Nope\}$'
# The documentation's two aS /x examples: a new alias shows in a new block only.
expect_seq '^0:000> aS /x myAlias 5 \+ 1; \.block\{\.echo myAlias\}$' '^0x6$'
expect_seq '^0:000> aS /x other 5 \+ 1; \.echo other$' '^other$' '^0:000> \.echo other$' '^0x6$'
expect '^after the phrase$'
expect '^after bare$'
expect_seq '^  Alias            Value$' '^ -------          -------$' '^ GoUp             r \$t0 = @\$t0 \+ 1; r \$t1 = @\$t1 \+ 2$' \
	'^ Short            script!greeting$' '^ bare             not quoted $' '^ env              from-the-environment$' \
	'^ file             from a file$' '^ line             keeps; semicolons and "quotes"$' '^ myAlias          0x6$' \
	'^ other            0x6$' '^ out              one$' '^two$' '^ phrase           with; a semicolon$' \
	'^ s1               hello, world$' '^ s2               wide é 😀$' '^ s3               counted!$' '^ s4               wide$'
expect_seq '^0:000> \.block \{ \.echo env file; \.echo s1 s2 s3 s4 \}$' '^from-the-environment from a file$' \
	'^hello, world wide é 😀 counted! wide$'
# A line that begins with ad keeps its aliases as written.
expect_seq '^0:000> ad /q Nope; \.echo myAlias$' '^myAlias$'
expect "^No alias named 'Nope'\$"
expect '^other defined: 0$'
# Each use is replaced when it is read: 1 + fred was 1 + 2.
expect '^Evaluate expression: 3 = '
expect "^Syntax error: an alias name may not begin with al, as, aS or ad, nor hold braces, ';' or '\"': 'alpha'\$"
expect '^Syntax error: as needs an alias name and its equivalent$'
expect "^Couldn't resolve error at 'nosuchsymbol'"
expect "^Environment variable 'NO_SUCH_VARIABLE_DR7' is not set\$"
expect "^Cannot read '.*/no-such-file': No such file or directory\$"
expect '^Memory access error at 00000000`00000000$'
expect "^Syntax error: unknown switch '/q'\$"
expect_seq '^0:000> ad \*$' '^0:000> al$' '^No aliases$' '^0:000> \.echo Short$' '^Short$'
expect '^failed ones defined: 0 0 0 0 0$'
# The documentation's .foreach example: a body that begins with as is not
# replaced (myAlias becomes "Token"); after a ';' it is (myAlias is 5).
dr7 "$PROGS/script" <<'CMDS'
r $t0 = 5
.foreach /pS 2 /ps 2 (Token {?@$t0}) {as myAlias Token}
al
ad myAlias
.foreach /pS 2 /ps 2 (Token {?@$t0}) {;as myAlias Token}
al
as Cmd ".echo in bp; gc"
bp script!step Cmd
bl
g
CMDS
expect_seq '^ myAlias          Token$' '^ myAlias          5$'
expect '^     0 e Disable Clear  00005555`[0-9a-f]{8}     0001 \(0001\)  0:\*\*\*\* script!step "\.echo in bp; gc"$'
expect_count 5 '^in bp$'
expect '^total=24$'
done_test
