# The source at stops, WinDbg's way: .lines turns source line support on
# (off at start, as in CDB); under it the source options decide what a stop
# shows: l the line number after the symbol line, s the source line above
# it, o (with s) only the source line.  l+ / l- show the options after each
# change, and .lines -d silences them all.  Each hit of walk(depth) stops
# at the function's first line.
. tests/lib.sh
open=$(grep -n '^int walk\|^__attribute__((noinline)) int walk' tests/programs/vars.c | cut -d: -f1)
open=$((open + 1))	# the '{' line is where walk's first instruction belongs
dr7 "$PROGS/vars" 6 <<'CMDS'
bp walk
g
.lines
g
l-s
g
l-l
g
l+s
l+o
g
l-o
l-s
l-l
l+
l+*
.lines -d
g
.lines -e
l-*
l+l
~0 s
l+z
l+t
CMDS
src="^> +$open: \\{\$"
sym="^vars!walk \\[.*vars\\.c @ $open\\]:\$"
# Before .lines: the plain display.
expect_seq '^Breakpoint 0 hit$' '^rax=' '^vars!walk:$' '^0:000> \.lines$'
expect_seq '^0:000> \.lines$' '^Line number information will be loaded$'
# .lines with the default options (l, s): source line, then symbol line with its line.
expect_seq '^Line number information will be loaded$' '^Breakpoint 0 hit$' '^rax=' "$src" "$sym" '^[0-9a-f]{8}`[0-9a-f]{8} '
# l-s: the line number stays on the symbol line, the source line goes.
expect_seq '^0:000> l-s$' '^Source options are 2:$' '^    2/l - List source line at prompt$' \
	'^Breakpoint 0 hit$' '^rax=' "$sym" '^0:000> l-l$'
# l-l too: nothing of the source.
expect_seq '^0:000> l-l$' '^Source options are 0:$' '^    None$' '^Breakpoint 0 hit$' '^rax=' '^vars!walk:$' '^0:000> l\+s$'
# l+s, l+o: only the source line after the event line.
expect_seq '^0:000> l\+o$' '^Source options are c:$' '^    4/s - List source code at prompt$' \
	'^    8/o - Only show source code at prompt$' '^Breakpoint 0 hit$' "$src" '^0:000> l-o$'
seg=$(printf '%s\n' "$OUT" | sed -n '/^0:000> l+o$/,/^0:000> l-o$/p')
printf '%s\n' "$seg" | grep -q '^rax=' && fail "l+o still showed the registers"
printf '%s\n' "$seg" | grep -q '^vars!walk' && fail "l+o still showed the symbol line"
expect_seq '^0:000> l\+$' '^Source options are 0:$' '^    None$'
expect_seq '^0:000> l\+\*$' '^Source options are e:$' '^    2/l - ' '^    4/s - ' '^    8/o - '
# .lines -d: the options stay, their effect goes.
expect_seq '^0:000> \.lines -d$' '^Line number information will not be loaded$' \
	'^Breakpoint 0 hit$' '^rax=' '^vars!walk:$'
# l+l alone: the symbol line carries the line, here for ~0 s as for stops.
expect_seq '^0:000> ~0 s$' "$sym"
expect "^Syntax error: l\\+ takes one option: l, o, s, t or \\*$"
done_test
