# exec clears debug registers: dr7 re-arms the ba in the new image and says so.
. tests/lib.sh
dr7 "$PROGS/execself" <<'CMDS'
ba w4 value ".echo v; gc"
g
CMDS
expect_seq '^v$' 'replaced its image \(exec\)' 'Breakpoint 0 re-armed after exec' '^v$' '^v$' '^v$' '^v$' '^after exec value=3$'
expect_count 5 '^v$'
expect_count 1 'Break instruction exception'
done_test
