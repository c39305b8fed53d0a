# Variables and /w conditions in an i386 program: parameters come from the
# stack (CFA-relative at the entry), pointers print with 8 hex digits, and a
# data breakpoint's condition reads a 32-bit global.
. tests/lib.sh
dr7 "$PROGS/vars32" 3 <<'CMDS'
ba w4 /w "counter > 198" counter ".echo h; gc"
bp /w "depth == 1" walk
g
dv
?? ptr->field[2] + 1
?? ptr->next
.frame 1
dv depth
dt origin
CMDS
expect_count 2 '^h$'
expect_seq '^0:000> dv$' '^              p = 0x[0-9a-f]{8}$' '^          depth = 0n1$' '^            tag = 0x[0-9a-f]{8} "t"$'
expect '^int 0n3$'
expect_seq '^struct point \* 0x[0-9a-f]{8}$' '^   \+0x000 x                : 0n1$'
expect_seq '^01 [0-9a-f]{8} [0-9a-f]{8} vars32!walk\+0x' '^          depth = 0n2$'
expect_seq '^struct point at [0-9a-f]{8}$' '^   \+0x028 next             : \(null\)$'
done_test
