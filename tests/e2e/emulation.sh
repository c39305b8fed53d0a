# A breakpoint on each instruction kind dr7 executes itself (emulates) when a
# hit resumes: registers, flags and memory afterwards equal those of a run
# without breakpoints.
. tests/lib.sh
dr7 "$PROGS/emulate" <<'CMDS'
g
CMDS
printf '%s\n' "$OUT" | grep '^out\[' >"$TMPD/plain"
[ "$(wc -l <"$TMPD/plain")" = 22 ] || fail "the plain run printed no results"
dr7 "$PROGS/emulate" <<'CMDS'
bm /a emulate!emu_i* ".echo hit; gc"
g
CMDS
expect_count 35 '^ *[0-9]+: [0-9a-f]{8}`[0-9a-f]{8} @!"emulate!emu_i[0-9]+"$'
expect_count 35 '^hit$'
printf '%s\n' "$OUT" | grep '^out\[' >"$TMPD/bp"
diff "$TMPD/plain" "$TMPD/bp" || fail "state differs with breakpoints on the emulated instructions"
done_test
