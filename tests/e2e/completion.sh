# TAB completion at a terminal: command names at the start of a command
# (after ';', after a ~ prefix, inside a breakpoint's command string),
# command names after help, and symbols (module!name, plain names) in
# arguments.  Each step types keys and waits for what the screen shows.
. tests/lib.sh
# KEYS<TAB>WAIT: \t is TAB, \r Enter, \x15 Ctrl-U (kill the line).
dr7_pty "$PROGS/count" 3 <<'STEPS'
# "b" cannot grow: the first TAB lists every command that starts with it.
b\t	bsc
\x15bl\t; .echo s1\r	\ns1\r\n
# A plain word: modules (count!) and symbols (counter) share "count";
# the second TAB on a word that cannot grow lists the candidates.
bp cou\t!ti\t\t	tick3
2\t; .echo s3\r	\ns3\r\n
.bpc\t; .echo s2\r	\ns2\r\n
bl; .ech\ts4\r	\ns4\r\n
# After ~N only commands that take a thread prefix.
~0 b\t	bu\r\n
\x15~0 kn\t; .echo s5\r	\ns5\r\n
# Inside a breakpoint's command string: commands again.
bp count!tick3 ".ech\thit3; g"; .echo s6\r	\ns6\r\n
# help takes a command name; a symbol is matched in any case.
help bs\t	bsc
c\t; .echo s7\r	\ns7\r\n
x COUNT!TICK\t\t	tick3
\x15x count!tick3\t; .echo s8\r	\ns8\r\n
# !name: a symbol of any module, kept in that form.
ln !tic\t\t	!tick3
\x15ln !tick3\t; .echo s9\r	\ns9\r\n
# Many candidates: the list stops at 100 and counts the rest.
bp m\t	more\r\n
\x15.echo s10\r	\ns10\r\n
STEPS
expect_seq '^0:000> b$' '^ba +bc +bd +be +bl +bm +bp +br +bs +bsc +bu$'
expect '^0:000> bl ; \.echo s1$'
expect_seq '^0:000> bp count!tick$' '^count!tick +count!tick2 +count!tick3$' '^0:000> bp count!tick2 ; \.echo s3$'
expect_seq '^0:000> \.bpcmds ; \.echo s2$' '^bp0 0x[0-9a-f]{8}`[0-9a-f]{8} ;$'
expect_seq '^0:000> bl; \.echo s4$' ' count!tick2$' '^s4$'
expect_seq '^0:000> ~0 b$' '^ba +bm +bp +bu$' '^0:000> ~0 kn ; \.echo s5$' '^ # Child-SP'
expect '^0:000> bp count!tick3 "\.echo hit3; g"; \.echo s6$'
expect_seq '^0:000> help bs$' '^bs +bsc$' '^0:000> help bsc ; \.echo s7$' '^bsc ID Condition \["CommandString"\]$'
expect_seq '^0:000> x count!tick$' '^count!tick +count!tick2 +count!tick3$' '^0:000> x count!tick3 ; \.echo s8$' \
	'^[0-9a-f]{8}`[0-9a-f]{8} count!tick3 \(void\)$'
expect_seq '^0:000> ln !tick$' '^!tick +!tick2 +!tick3$' '^0:000> ln !tick3 ; \.echo s9$' '\) +count!tick3 +\|'
expect_seq '^0:000> bp m$' '^\.\.\. and [0-9]+ more$'
expect '^exit status 0$'
done_test
