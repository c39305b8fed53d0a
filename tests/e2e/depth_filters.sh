# /c MaxDepth and /C MinDepth on a recursive function count only the calls
# at the chosen depths (depth = frames k shows: fib levels + main + 3 libc/start frames).
. tests/lib.sh
# number of fib calls at recursion level L (outermost = 1) for fib(n)
count() { awk -v n="$1" -v lo="$2" -v hi="$3" 'function c(n, l) { if (l >= lo && l <= hi) hits++; if (n >= 2) { c(n-1, l+1); c(n-2, l+1) } } BEGIN { c(n, 1); print hits + 0 }'; }
dr7 "$PROGS/recurse" 7 <<'CMDS'
bp fib
g
k
CMDS
frames=$(printf '%s\n' "$OUT" | grep -Ec '^0[0-9] [0-9a-f]{8}`')
[ "$frames" = 5 ] || fail "outermost fib should show 5 frames, saw $frames"
dr7 "$PROGS/recurse" 7 <<'CMDS'
bp /c 8 fib ".echo c; gc"
g
CMDS
expect_count "$(count 7 1 3)" '^c$'
dr7 "$PROGS/recurse" 7 <<'CMDS'
bp /C 8 fib ".echo C; gc"
g
CMDS
expect_count "$(count 7 5 100)" '^C$'
dr7 "$PROGS/recurse" 7 <<'CMDS'
bp /c 3 /C 8 fib
CMDS
expect '/c and /C cannot be combined'
done_test
