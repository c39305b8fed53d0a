# .lines shows the source line at stops; dps resolves pointers to symbols;
# a repeated d* continues where the last one stopped.
. tests/lib.sh
dr7 "$PROGS/count" 3 <<'CMDS'
.lines
bp tick
g
dps @rsp L1
dd counter L1
dd
db counter La
db counter L0n3
CMDS
expect '^Line number information will be loaded$'
expect_seq '^Breakpoint 0 hit$' '^>    [0-9]: \{?$|^>    [0-9]: ' '^count!tick \[.*count\.c @ [0-9]+\]:$'
expect '^[0-9a-f]{8}`[0-9a-f]{8}  [0-9a-f]{8}`[0-9a-f]{8} count!main\+0x[0-9a-f]+$'
first=$(printf '%s\n' "$OUT" | grep -A1 '^0:000> dd counter L1$' | tail -n 1 | cut -c1-17 | tr -d '`')
second=$(printf '%s\n' "$OUT" | grep -A1 '^0:000> dd$' | tail -n 1 | cut -c1-17 | tr -d '`')
[ -n "$first" ] && [ $((0x$second - 0x$first)) = 4 ] || fail "dd did not continue after the last display ($first, $second)"
# L is always the length, as in WinDbg: La is ten bytes (hex digits may be letters).
expect_seq '^0:000> db counter La$' '^[0-9a-f]{8}`[0-9a-f]{8}  ([0-9a-f]{2}[ -]){9}[0-9a-f]{2} +[^ ]{10}$' '^0:000> db counter L0n3$' '^[0-9a-f]{8}`[0-9a-f]{8}  [0-9a-f]{2} [0-9a-f]{2} [0-9a-f]{2} +[^ ]{3}$'
done_test
