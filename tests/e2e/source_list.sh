# Source listings as WinDbg prints them ("%c%5d: text", the line the scope
# executes marked '>'): lsa around an address, ls on from the last line
# listed, lsc, ls . after .frame, lsf / lsf- for any file.  srcview's debug
# information names its source under a directory that does not exist, so
# it is found only through the source path (.srcpath, .srcpath+, searched
# with the name's trailing parts); the stop display finds it the same way.
. tests/lib.sh
SRC=tests/programs/srcview.c
line_of() { grep -n "$1" "$SRC" | head -n 1 | cut -d: -f1; }
first=$(line_of 'MEET_FIRST')
call=$(line_of 'MAIN_MEET')
open=$((first - 2))	# meet's '{': where its first instruction belongs
nlines=$(wc -l <"$SRC")
SRC_RE='/nonexistent/dr7-src/srcview\.c'
text_of() { sed -n "$1p" "$SRC" | sed 's/[][\\.*^$+?(){}|]/\\&/g'; }
dr7 "$PROGS/srcview" <<CMDS
bp meet
g
lsa .
.srcpath /nonexistent/a;/nonexistent/b
.srcpath+ tests/programs
lsa .
ls
lsc
ls 0n1, 3
.frame 1
ls .
lsa meet, 0n$first, 2
.srcpath
.lines
~0 s
lsf tests/programs/count.c
ls
lsf- tests/programs/count.c
lsc
lsa 0
ls 0n$((nlines + 5))
lsf /nonexistent/nothing.c
CMDS
# Before the source path knows the directory: the name the debug information gives.
expect "^No source found for '/nonexistent/dr7-src/srcview\\.c'\$"
# ';' separates directories (not commands) in .srcpath; + appends.
expect '^Source search path is: /nonexistent/a;/nonexistent/b$'
expect '^Source search path is: /nonexistent/a;/nonexistent/b;tests/programs$'
# lsa .: 20 lines, half of them before the current line, which is marked.
expect_seq '^0:000> lsa \.$' "^ +$((open - 10)): $(text_of $((open - 10)))\$" "^> +$open: \\{\$" \
	"^ +$((open + 9)): $(text_of $((open + 9)))\$" '^0:000> ls$'
expect_count 2 "^> +$open: \\{\$"
lsa_rows=$(printf '%s\n' "$OUT" | sed -n '/^0:000> lsa \.$/,/^0:000> ls$/p' | grep -c '^[ >] *[0-9]*: ')
[ "$lsa_rows" = 20 ] || fail "lsa . listed $lsa_rows lines, not 20"
# ls goes on after the last line lsa showed; lsc names the file and the next line.
last=$((open + 29))
[ "$last" -le "$nlines" ] || last=$nlines	# the listing stops at the end of the file
expect_seq '^0:000> ls$' "^ +$((open + 10)): " "^ +$last: " '^0:000> lsc$' \
	"^Current: /nonexistent/dr7-src/srcview\\.c\\($((last + 1))\\)\$"
expect_seq '^0:000> ls 0n1, 3$' "^ +1: $(text_of 1)\$" "^ +2: " "^ +3: " '^0:000> \.frame 1$'
# ls . after .frame 1: main's line of the call is current and marked.
expect_seq '^0:000> ls \.$' "^> +$call: $(text_of "$call")\$" "^ +$((call + 1)): "
expect_seq "^0:000> lsa meet, 0n$first, 2\$" "^ +$first: $(text_of "$first")\$" "^ +$((first + 1)): " '^0:000> \.srcpath$'
# The stop display finds the file through the source path too.
expect_seq '^0:000> ~0 s$' "^> +$open: \\{\$" "^srcview!meet \\[/nonexistent/dr7-src/srcview\\.c @ $open\\]:\$"
# lsf: any file, from line 1; lsf- forgets it and the listing follows the scope again.
expect_seq '^0:000> ls$' "^ +1: /\\* count: " '^0:000> lsf- '
expect "^Current: /nonexistent/dr7-src/srcview\\.c\\($open\\)\$"
expect '^No source line information for 00000000`00000000$'
expect "^No source found for '/nonexistent/nothing\\.c'\$"
# Past the end: nothing, and no error.
expect_seq "^0:000> ls 0n$((nlines + 5))\$" '^0:000> lsf /nonexistent/nothing\.c$'

# -srcpath and -lines on the command line: the first stop already shows the source.
dr7 -lines -srcpath "/nonexistent/c;tests/programs" "$PROGS/srcview" <<'CMDS'
.srcpath
bp meet
g
CMDS
expect '^Source search path is: /nonexistent/c;tests/programs$'
expect_seq '^Breakpoint 0 hit$' '^rax=' "^> +$open: \\{\$" "^srcview!meet \\[$SRC_RE @ $open\\]:\$"
done_test
