# dv, dt, ?? and .frame on a -O0 program: parameters with the values passed
# (read where the ABI passes them at the function's entry, from their frame
# slots after the prologue), a caller's locals through .frame, struct
# layouts and values, and C expressions with members, indexing and pointer
# arithmetic.
. tests/lib.sh
dr7 "$PROGS/vars" 3 <<'CMDS'
bp walk
g
dv
dv /t
?? ptr->field[2] + 1
?? magic
?? ratio * 2
?? paint
?? depth == 3 && tag[0] == 't'
?? &ptr->field[3] - &ptr->field[0]
?? ptr
g
.frame 1
dv
.frame 2
dv
?? argv[argc - 1]
.frame 0
dv depth
dt point
dt origin
dt point_t poi(ptr)
dt -r ptr
dt enum color
?? nosuch + 1
?? *(int *)0
.frame 7
CMDS
expect_seq '^0:000> dv$' '^              p = 0x[0-9a-f]{8}`[0-9a-f]{8}$' '^          depth = 0n3$' '^            tag = 0x[0-9a-f]{8}`[0-9a-f]{8} "t"$'
expect '^struct point \* p = 0x'
expect '^       int depth = 0n3$'
expect '^int 0n3$'
expect '^unsigned int 0x771e1a02$'
expect '^double 5$'
expect '^enum color GREEN \(0n5\)$'
expect '^bool true$'
expect '^int64 0n3$'
expect_seq '^point_t \* 0x[0-9a-f]{8}`[0-9a-f]{8}$' '^   \+0x000 x                : 0n3$' '^   \+0x008 field            : \[4\] 0n0 0n1 0n2 0n3$' '^   \+0x01c mode             : 0y010$' '^   \+0x01d name             : "second"$'
expect '^01 [0-9a-f]{8}`[0-9a-f]{8} [0-9a-f]{8}`[0-9a-f]{8}     vars!walk\+0x[0-9a-f]+ \[.*vars.c @ [0-9]+\]$'
expect_seq '^01 ' '^          depth = 0n3$' '^02 ' '^           argc = 0n2$' '^              n = 0n3$'
expect '^char \* 0x[0-9a-f]{8}`[0-9a-f]{8} "3"$'
expect_seq '^00 ' '^          depth = 0n2$'
expect_seq '^vars!point$' '^   \+0x000 x                : Int4B$' '^   \+0x008 field            : \[4\] Int4B$' '^   \+0x01c flag             : Pos 0, 1 Bit$' '^   \+0x01c mode             : Pos 1, 3 Bits$' '^   \+0x028 next             : Ptr64 point$'
expect_seq '^struct point at [0-9a-f]{8}`[0-9a-f]{8}$' '^   \+0x000 x                : 0n1$' '^   \+0x004 y                : 0n2$' '^   \+0x008 field            : \[4\] 0n10 0n20 0n30 0n40$' '^   \+0x01c flag             : 0y1$' '^   \+0x01d name             : "orig"$' '^   \+0x028 next             : \(null\)$'
expect_seq '^point_t at ' '^   \+0x000 x                : 0n3$'
expect_seq '^   \+0x018 in               : inner$' '^      \+0x000 a                : 0n0$'
expect_seq '^vars!color$' '^   RED = 0n0$' '^   GREEN = 0n5$' '^   BLUE = 0n6$'
expect "^Couldn't resolve error at 'nosuch' \(no variable 'nosuch' in scope at vars!walk\)$"
expect "^Memory access error at '\*\(int \*\)0': cannot read 4 bytes at 00000000\`00000000$"
expect '^Cannot find frame 0x7, previous scope unchanged$'
done_test
