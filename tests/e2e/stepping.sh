# p steps over calls, t into them, gu returns to the caller, an empty line
# repeats p; a breakpoint inside a call stepped over with p still stops.
. tests/lib.sh
dr7 "$PROGS/deep" <<'CMDS'
bp level1
g
t
t
pt
gu
p

k 2
CMDS
expect_seq '^Breakpoint 0 hit$' '^deep!level1:$' '^0:000> t$' '^0:000> t$' '^0:000> pt$' 'ret$' '^0:000> gu$' '^deep!main\+0x' '^0:000> p$' '^0:000> $' '^deep!main\+0x'
# level1 (-O2): its call to level2 is a tail call or a call; t twice reaches level2 either way.
expect 'deep!level2'
dr7 "$PROGS/count" 3 <<'CMDS'
bp main
g
bp tick ".echo in tick; gc"
p
p
p
p
p
p
p
p
p
p
p
p
p
p
p
p
CMDS
expect 'in tick'
done_test
