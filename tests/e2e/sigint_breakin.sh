# Ctrl-C (SIGINT to dr7) while the program runs breaks in; q then ends the
# program.  The program itself sends the signal, so no timing is guessed.
. tests/lib.sh
dr7 "$PROGS/waiter" "$TMPD/never" interrupt-parent <<'CMDS'
g
? poi(ticks) >= 0n10
q
CMDS
expect_seq '^0:000> g$' 'Break instruction exception - code 80000003 \(first chance\)' 'Evaluate expression: 1 = '
expect_not '^done$'
done_test
