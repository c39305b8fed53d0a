# .bpcmds prints lines that, fed back, recreate every breakpoint.
. tests/lib.sh
dr7 "$PROGS/count" 3 <<'CMDS'
bp tick 3 ".echo x; gc"
bu tick2
bp /1 tick3
ba w8 counter
bd 1
.bpcmds
bl
CMDS
printf '%s\n' "$OUT" | sed -n '/^0:000> \.bpcmds$/,/^0:000> bl$/p' | sed '1d;$d' >"$TMPD/cmds"
printf '%s\n' "$OUT" | sed -n '/^0:000> bl$/,$p' | sed '1d' >"$TMPD/bl1"
cat "$TMPD/cmds"
expect '^bp0 0x[0-9a-f]{8}`[0-9a-f]{8} 0x3 "\.echo x; gc" ;$'
expect '^bu1 tick2;$'
expect '^bp2 /1 0x[0-9a-f]{8}`[0-9a-f]{8} ;$'
expect '^ba3 w8 0x[0-9a-f]{8}`[0-9a-f]{8} ;$'
{ cat "$TMPD/cmds"; echo "bd 1"; echo bl; } >"$TMPD/replay"
dr7 "$PROGS/count" 3 <"$TMPD/replay"
printf '%s\n' "$OUT" | sed -n '/^0:000> bl$/,$p' | sed '1d' >"$TMPD/bl2"
diff "$TMPD/bl1" "$TMPD/bl2" || fail "bl after replaying .bpcmds differs"
done_test
