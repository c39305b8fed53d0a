# uf with source lines, as WinDbg prints a function whose lines are known:
# a label line "mod!f [file @ line]:" for every block (a blank line before
# all but the first), each instruction led by its line number in five
# columns; uf /c lists only the calls ("call to mod!g (address)", an
# indirect call by its operand).  The lines must be the line table's: every
# one is checked against ln for the same address.
. tests/lib.sh
SRC=tests/programs/srcview.c
line_of() { grep -n "$1" "$SRC" | head -n 1 | cut -d: -f1; }
first=$(line_of 'MEET_FIRST')
open=$((first - 2))
A='[0-9a-f]{8}`[0-9a-f]{8}'
src='/nonexistent/dr7-src/srcview\.c'
dr7 "$PROGS/srcview" <<'CMDS'
uf meet
uf /c meet
uf /o /c srcview!level1
uf srcview!level1
uf /x meet
CMDS
expect_seq '^0:000> uf meet$' "^srcview!meet \\[$src @ $open\\]:\$" "^ +$open $A [0-9a-f]+ +push +rbp\$"
# The call to helper belongs to the line that calls it.
expect "^ +$first $A [0-9a-f]+ +call +srcview!helper \\($A\\)\$"
# Every instruction line's number is the line ln gives for its address.
printf '%s\n' "$OUT" | sed -n '/^0:000> uf meet$/,/^0:000> uf \/c meet$/p' |
	grep -E "^ +[0-9]+ $A " | awk '{ print $1, $2 }' >"$TMPD/lines"
[ "$(wc -l <"$TMPD/lines")" -ge 10 ] || fail "uf meet listed fewer than 10 instructions"
{
	while read -r ln addr; do
		printf 'ln %s\n.echo want %s\n' "$addr" "$ln"
	done <"$TMPD/lines"
} >"$TMPD/cmds"
uf_out=$OUT
dr7 "$PROGS/srcview" <"$TMPD/cmds"
printf '%s\n' "$OUT" | awk '
	/^ \[.* @ [0-9]+\] / { n = $0; sub(/^ \[.* @ /, "", n); sub(/\].*/, "", n); got = n }
	/^want / { if (got != $2) { print "line " got " for an instruction uf put at " $2; bad = 1 } got = "" }
	END { exit bad }' || fail "uf's line numbers differ from ln's"
OUT=$uf_out
# Blocks: meet has no branches; level1's if makes one after the read's test.
expect_seq '^0:000> uf /c meet$' "^srcview!meet \\($A\\)\$" \
	"^  srcview!meet\\+0x[0-9a-f]+ \\($A\\) \\[$src @ $first\\]:\$" \
	"^    call to srcview!helper \\($A\\)\$" \
	"^  srcview!meet\\+0x[0-9a-f]+ \\($A\\) \\[$src @ $((first + 1))\\]:\$" \
	'^    call to r[a-z0-9]+$|^    call to qword ptr ' \
	"^  srcview!meet\\+0x[0-9a-f]+ \\($A\\) \\[$src @ [0-9]+\\]:\$" \
	"^    call to srcview(!|\\+)"
calls=$(printf '%s\n' "$OUT" | sed -n '/^0:000> uf \/c meet$/,/^0:000> uf \/o/p' | grep -c '^    call to ')
[ "$calls" = 3 ] || fail "uf /c meet listed $calls calls, not 3"
expect_seq '^0:000> uf /o /c srcview!level1$' "^srcview!level1 \\($A\\)\$" '^    call to ' '^    call to '
# level1's if: the conditional jump's target starts a block of its own.
seg=$(printf '%s\n' "$OUT" | sed -n '/^0:000> uf srcview!level1$/,/^0:000> uf \/x/p')
target=$(printf '%s\n' "$seg" | grep -E " j(e|ne|z|nz) +srcview!level1\+0x[0-9a-f]+ \($A\)\$" | head -n 1 | sed 's/.*(\(.*\))$/\1/')
[ -n "$target" ] || fail "uf level1 shows no conditional jump inside level1"
printf '%s\n' "$seg" | grep -A2 '^$' | grep -qE "^srcview!level1\+0x[0-9a-f]+ \[$src @ [0-9]+\]:\$" ||
	fail "uf level1: no block label after a blank line"
printf '%s\n' "$seg" | grep -B1 -E "^ +[0-9]+ $target " | head -n 1 | grep -qE '^srcview!level1\+0x[0-9a-f]+ \[' ||
	fail "uf level1: the jump target $target does not start a block"
expect '^not supported: uf /x \(dr7 takes /c and /o\)$'
done_test
