# r sets a register and the program computes with it; ed then ? dwo reads
# the new value; eb over a breakpoint's byte reads back and the breakpoint
# still traps.
. tests/lib.sh
dr7 "$PROGS/count" 3 <<'CMDS'
bp tick
g
r rdi = 0n100
r rdi
r xmm0
r efl
r zf = 1
r zf
r eax, ax, al, ah
bc 0
ed counter 0n42
? dwo(counter)
bp tick2
eb tick2 90
db tick2 L1
u tick2 L1
eb tick2 55
db tick2 L1
g
g
CMDS
expect '^rdi=0000000000000064$'
expect '^xmm0=[^ ]+ [^ ]+ [^ ]+ [^ ]+$'
expect '^efl=[0-9a-f]+$'
expect_seq '^0:000> r zf = 1$' '^0:000> r zf$' '^zf=1$'
expect_seq '^0:000> r eax, ax, al, ah$' '^eax=[0-9a-f]+$' '^ax=[0-9a-f]+$' '^al=[0-9a-f]+$' '^ah=[0-9a-f]+$'
expect 'Evaluate expression: 42 = 00000000`0000002a'
expect_seq 'eb tick2 90' '^[0-9a-f]{8}`[0-9a-f]{8}  90 ' 'nop' 'eb tick2 55' '^[0-9a-f]{8}`[0-9a-f]{8}  55 '
expect_seq '^Breakpoint 0 hit$' '^count!tick2:$'
# 42 + 100 (first call) + 1 + 2, then tick2 +1, tick3 -1
expect '^counter=145$'
done_test
