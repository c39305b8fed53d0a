# Script files: $< and $$< run a file line by line, each line echoed after
# the prompt; $>< and $$>< condense it into one block (line breaks become
# ';'), so debugger command programs may span lines; $$>a< passes
# arguments as ${$arg1}... (${$arg0} the file) and echoes nothing; the $$
# forms end at ';', $< and $>< take the rest of the line as the name.
# Scripts nest and recurse; -cf runs a startup script as $< does.
. tests/lib.sh
cat >"$TMPD/my script.txt" <<'EOF'
.echo The first argument is ${$arg1}.
.echo The fifth argument is ${$arg5}.
.echo The fourth argument is ${$arg4}.
.echo Arguments 2 and 7 given: ${/d:$arg2} ${/d:$arg7}, file ${$arg0}
EOF
cat >"$TMPD/program.txt" <<'EOF'
$$ The documentation's example: a new alias seen in a new block.
.foreach (value {dd script!values L4})
{
   as /x ${/v:myAlias} value + 1
   .block{.echo value myAlias}
}
ad myAlias
.for (r $t1 = 0;
      @$t1 < 2;
      r $t1 = @$t1 + 1)
{
    .if (@$t1 == 0)
    {
        .echo zero
    }
    .else
    {
        .echo not zero
    }
}
EOF
printf '.echo line one\nr $t0 = 7\n? @$t0\n' >"$TMPD/lines.txt"
cp "$TMPD/lines.txt" "$TMPD/semi;colon.txt"
printf '.echo outer begins\n$$<%s\n.echo outer ends\n' "$TMPD/lines.txt" >"$TMPD/outer.txt"
printf '.echo deeper\n$$>a< ${$arg0}\n' >"$TMPD/forever.txt"
cat >"$TMPD/countdown.txt" <<'EOF'
.if (${$arg1} > 0) { .printf "level %d\n", ${$arg1}; $$>a< ${$arg0} ${$arg1}-1 }
EOF
dr7 "$PROGS/script" <<CMDS
\$\$>a< "$TMPD/my script.txt" "First one" Two "Three More" Four; .echo after the arguments
\$\$><$TMPD/program.txt
\$<  $TMPD/lines.txt
\$\$<$TMPD/lines.txt; .echo after lines
\$<$TMPD/semi;colon.txt
\$\$<$TMPD/outer.txt
\$\$>a<$TMPD/countdown.txt 3
\$<$TMPD/no-such-script
\$\$>a<$TMPD/forever.txt
\$\$>a<
.echo still here
CMDS
expect_seq '^The first argument is First one\.$' '^The fifth argument is \$\{\$arg5\}\.$' \
	'^The fourth argument is Four\.$' "^Arguments 2 and 7 given: 1 0, file $TMPD/my script.txt\$" '^after the arguments$'
expect_not '^0:000> \.echo The first'
# $$>< echoes the condensed block once, then the output of its commands.
expect '^0:000> \$\$ The documentation.s example: a new alias seen in a new block\.;\.foreach \(value \{dd script!values L4\}\);\{;   as /x'
expect_seq '^00005555`[0-9a-f]{8} 0x5555[0-9a-f]{8}$' '^00000003 0x4$' '^00000001 0x2$' '^00000004 0x5$' '^00000001 0x2$' \
	'^zero$' '^not zero$'
expect_count 4 '^0:000> \.echo line one$'
expect_count 4 '^line one$'
expect_count 4 '^Evaluate expression: 7 = '
expect_seq '^0:000> \$\$<.*/lines.txt; \.echo after lines$' '^0:000> \.echo line one$' '^0:000> \? @\$t0$' '^after lines$'
expect_seq '^outer begins$' '^0:000> \.echo line one$' '^line one$' '^0:000> \.echo outer ends$' '^outer ends$'
expect_seq '^level 3$' '^level 2$' '^level 1$'
expect_not '^level 0$'
expect "^Cannot open script file '.*/no-such-script': No such file or directory\$"
expect '^Syntax error: \$\$>a< needs arguments: \$\$>a<Filename \[Arg1 Arg2 \.\.\.\]$'
# A script that calls itself for ever stops at the nesting limit.
expect_seq '^deeper$' '^Command nesting is too deep$' '^0:000> \$\$>a<$'
expect_count 64 '^deeper$'
expect '^still here$'
# -cf: a startup script, run as $< runs one (echoed, a line at a time):
# aliases, loops and g inside it.
cat >"$TMPD/startup.txt" <<'EOF'
as Where script!step
bp Where
.for (r $t0 = 0; @$t0 < 2; r $t0 = @$t0 + 1) { g; .printf "in step(%d)\n", @rdi }
bc *
EOF
dr7 -cf "$TMPD/startup.txt" "$PROGS/script" <<'CMDS'
.echo from the terminal
CMDS
expect_seq '^0:000> as Where script!step$' '^0:000> bp Where$' '^0:000> \.for ' '^Breakpoint 0 hit$' '^in step\(0\)$' \
	'^Breakpoint 0 hit$' '^in step\(1\)$' '^0:000> bc \*$' '^0:000> \.echo from the terminal$' '^from the terminal$'
dr7 -cf "$TMPD/no-such-startup" "$PROGS/script" </dev/null
expect "^Cannot open script file '.*/no-such-startup': No such file or directory\$"
done_test
