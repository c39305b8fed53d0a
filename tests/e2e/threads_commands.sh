# ~ lists threads, ~N s switches (the prompt follows), ~* runs a command
# for every thread, ~N r shows another thread's registers.
. tests/lib.sh
dr7 "$PROGS/gated" <<'CMDS'
bp gate
g
~
~0 s
~* r rip
~1 r rsp
CMDS
expect_seq '^Breakpoint 0 hit$' '^0:00[1-3]> ~$' '^   0  Id: ' '^0:00[1-3]> ~0 s$' '^0:000> ~\* r rip$'
threads=$(printf '%s\n' "$OUT" | sed -n '/^0:00[1-3]> ~$/,/^0:00[1-3]> ~0 s$/p' | grep -c 'Id:')
rips=$(printf '%s\n' "$OUT" | sed -n '/^0:000> ~\* r rip$/,/^0:000> ~1 r rsp$/p' | grep -c '^rip=')
[ "$threads" -ge 2 ] || fail "~ listed $threads threads"
[ "$threads" = "$rips" ] || fail "~* r rip printed $rips registers for $threads threads"
expect '^rsp=[0-9a-f]{16}$'
done_test
