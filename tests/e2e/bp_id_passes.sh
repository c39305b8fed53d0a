# bp[ID] and ba[ID] take any expression as the ID; passes is a 16-bit
# value for bp, bu, bm and ba alike, refused above 0xffff with nothing
# changed, and bl keeps its columns at the largest count.
. tests/lib.sh
dr7 "$PROGS/syntax" <<'CMDS'
ba[2+5] r2 sh
bp[5] scoped
bp[@$t0+1] set_global
bp[ 0n12 ] compare 3
bp[5 tick
bp[0x80000000] set_global
bp set_global 0x10000
bu compare 0x100000000
bm syntax!set_g* 0x100000000
ba w4 global 0x10000
bp set_global ffff
bl
g
? @$bp5 == scoped
CMDS
expect_not 'Syntax error$'
expect '^     1 e Disable Clear  [0-9a-f]{8}`[0-9a-f]{8}     ffff \(ffff\)  0:\*\*\*\* syntax!set_global$'
expect '^     5 e Disable Clear  [0-9a-f]{8}`[0-9a-f]{8}     0001 \(0001\)  0:\*\*\*\* syntax!scoped$'
expect '^     7 e Disable Clear  [0-9a-f]{8}`[0-9a-f]{8} r 2 0001 \(0001\)  0:\*\*\*\* syntax!sh \[dr[0-3]\]$'
expect '^    12 e Disable Clear  [0-9a-f]{8}`[0-9a-f]{8}     0003 \(0003\)  0:\*\*\*\* syntax!compare$'
expect "^Syntax error: expected '\]' after the breakpoint ID in 'bp\[5 tick'$"
expect "^Breakpoint ID is too large in 'bp\[0x80000000\] set_global'$"
expect_count 2 '^Pass count 0x10000 is too large: passes is a 16-bit value \(at most 0xffff\)$'
expect_count 2 '^Pass count 0x100000000 is too large: passes is a 16-bit value \(at most 0xffff\)$'
expect_count 4 '^ +[0-9]+ e Disable Clear'
expect '^breakpoint 1 redefined$'
# main writes sh = 2 before it calls scoped(): breakpoint 7 (ba r2) stops first
expect_seq '^Breakpoint 7 hit$' '^Evaluate expression: 1 = '
done_test
