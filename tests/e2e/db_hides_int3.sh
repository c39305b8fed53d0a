# Memory reads and disassembly show the original bytes under a breakpoint.
. tests/lib.sh
dr7 "$PROGS/count" 3 <<'CMDS'
db tick L8
u tick L2
bp tick
bp tick+1
db tick L8
u tick L2
CMDS
before=$(printf '%s\n' "$OUT" | grep -E '^[0-9a-f]{8}`[0-9a-f]{8}  ' | head -n 1)
after=$(printf '%s\n' "$OUT" | grep -E '^[0-9a-f]{8}`[0-9a-f]{8}  ' | sed -n 2p)
[ -n "$before" ] && [ "$before" = "$after" ] || fail "db before and after bp differ: '$before' vs '$after'"
expect_not '^[0-9a-f]{8}`[0-9a-f]{8}  cc'
expect_not 'int     3'
ub=$(printf '%s\n' "$OUT" | grep -Ec '^[0-9a-f]{8}`[0-9a-f]{8} [0-9a-f]+ +[a-z]')
[ "$ub" = 5 ] || fail "5 disassembly lines (initial stop + 2 x 2) expected, got $ub"
done_test
