# A trace runs only the current thread: while wt, ta, tc, tt and source-line
# t go, another thread that counts without pause does not move (its count
# is the same before and after); g lets it run again.
. tests/lib.sh
dr7 "$PROGS/trace" 10 threads <<'CMDS'
bp trace!twice
bp trace!fib
g
~
? poi(trace!spins)
wt
? poi(trace!spins)
g
bc *
? poi(trace!spins)
tc
? poi(trace!spins)
tt
? poi(trace!spins)
ta @$ra
? poi(trace!spins)
l+t
t
t
? poi(trace!spins)
g
CMDS
expect_count 2 '^[ .#] +[0-9]+  Id: '
printf '%s\n' "$OUT" | sed -n 's/^Evaluate expression: \([0-9]*\) = .*/\1/p' >"$TMPD/n"
[ "$(wc -l <"$TMPD/n")" = 7 ] || fail "expected 7 counts"
set -- $(cat "$TMPD/n")
[ "$1" -gt 0 ] || fail "the counting thread had not started ($1)"
[ "$1" = "$2" ] || fail "the other thread ran during wt ($1, then $2)"
[ "$3" = "$4" ] && [ "$4" = "$5" ] && [ "$5" = "$6" ] && [ "$6" = "$7" ] ||
	fail "the other thread ran during tc, tt, ta or t by line ($3 $4 $5 $6 $7)"
expect_seq '^Tracing trace!twice' '^Function Name' '^Breakpoint 1 hit$' '^0:000> tc$' 'call +trace!fib' '^0:000> tt$' 'ret$'
expect '^hi$'
done_test
