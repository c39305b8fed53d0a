# No ELF or DWARF may crash dr7: 24 copies of a program with damaged
# symbol tables, DWARF and CFI (the program itself still runs).  Each
# session loads symbols, sets breakpoints, unwinds, reads variables and
# source lines, and must end normally with no sanitizer report.
. tests/lib.sh
for seed in $(seq 1 24); do
	"$PROGS/corrupt" "$PROGS/vars" "$TMPD/damaged" "$seed" $((seed * 8)) || { fail "corrupt failed"; break; }
	chmod +x "$TMPD/damaged"
	dr7 "$TMPD/damaged" 3 <<'CMDS'
lm
x damaged!*a*
bp damaged!walk
bp `vars.c:35`
bp /w "depth == 2" damaged!walk
g
k
kp
dv
?? ptr->field[2]
dt point_t
.lines
u @rip L3
ln @rip
.echo session alive
q
CMDS
	printf '%s\n' "$OUT" | grep -q '^session alive$' || fail "seed $seed: the session did not survive"
done
done_test
