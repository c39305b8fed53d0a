# pc tc pct tct pt tt ph th stop on the next instruction of their kind (p*
# run calls, t* trace into them; one already on such an instruction runs it
# first); pa and ta show every step up to an address; a breakpoint reached on
# the way stops them; = StartAddress moves the pc first; in source mode pc
# passes the calls of the current line.
. tests/lib.sh
dr7 "$PROGS/trace" <<'CMDS'
bp trace!twice
g
pc
pc
tc
bc *
bp trace!fib
g
bc *
tt
k 3
.restart
bp trace!fib
g
bc *
pt
k 2
bp trace!spin
g
ph
th
pct
tct
CMDS
expect_seq '^0:000> pc$' 'call +trace!leaf ' '^0:000> pc$' 'call +trace!leaf ' '^0:000> tc$' 'call +trace!fib '
expect_seq '^0:000> tt$' '^trace!fib\+0x[0-9a-f]+:$' ' ret$' '^0:000> k 3$' '^00 .* trace!fib\+' '^01 .* trace!fib\+' '^02 .* trace!fib\+'
expect_seq '^0:000> pt$' '^trace!fib\+0x[0-9a-f]+:$' ' ret$' '^0:000> k 2$' '^00 .* trace!fib\+' '^01 .* trace!main\+'
expect_seq '^0:000> ph$' ' jmp +trace!spin\+' '^0:000> th$' ' j[a-z]+ +trace!spin\+' \
	'^0:000> pct$' ' ret$' '^0:000> tct$' ' call '

# pa shows every step, a call being one; ta stops at a breakpoint it reaches.
T=$(objdump -d --no-show-raw-insn "$PROGS/trace" | awk '$2 == "<twice>:" { on = 1; next } on && /^$/ { exit } on { n++ } END { print n + 0 }')
dr7 "$PROGS/trace" <<'CMDS'
bp trace!twice
g
pa @$ra
CMDS
expect_count $((T + 2)) '^rip='	# the initial stop, the hit, then T steps
expect_seq '^0:000> pa @\$ra$' '^trace!twice\+0x1:$' 'call +trace!leaf ' '^trace!main\+0x[0-9a-f]+:$'
dr7 "$PROGS/trace" <<'CMDS'
bp trace!twice
g
bp trace!leaf+1
ta @$ra
r rip
CMDS
expect_seq '^0:000> ta @\$ra$' '^trace!leaf:$' '^Breakpoint 1 hit$' '^trace!leaf\+0x1:$' '^0:000> r rip$'
expect_count 1 '^Breakpoint 1 hit$'

# Source mode: pc passes the call on the current line (fib's, to stop at
# spin's); = StartAddress.
dr7 -lines "$PROGS/trace" <<'CMDS'
bp trace!twice
g
gu
l+t
p
pc
l-t
p = trace!leaf
CMDS
expect_seq '^0:000> p$' '^> +[0-9]+: 	sink = fib\(5\);$' '^0:000> pc$' 'call +trace!spin ' \
	'^0:000> p = trace!leaf$' '^trace!leaf\+0x1 \['

# Bad input changes nothing.
dr7 "$PROGS/trace" <<'CMDS'
bp trace!twice
g
pa
pa = trace!leaf
pc 0
pc "kb"
tt junk
pa @$ra junk
l+x
l+s
l+
r rip
CMDS
expect '^Syntax error: pa needs arguments: \[~Thread\] pa \[= StartAddress\] StopAddress$'
expect '^Syntax error: pa needs a StopAddress$'
expect '^Step count must be between 1 and 1000000$'
expect '^not supported: a command string after pc$'
expect "^Couldn't resolve error at 'junk'|Syntax error"
expect "^\^ Extra character error in 'pa @\\\$ra junk'$"
expect '^Syntax error: l\+ takes one option: l, o, s, t or \*$'
# l+s and a bare l+ are source options of their own (cmd_source.c): they only show the options.
expect_seq '^0:000> l\+s$' '^Source options are 6:$' '^0:000> l\+$' '^Source options are 6:$'
expect_seq '^0:000> r rip$' '^rip=0000555555555[0-9a-f]{3}$'
done_test
