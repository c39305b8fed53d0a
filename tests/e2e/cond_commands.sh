# Conditions on a recursive function: /w, j, .if and bsc each print exactly
# as many lines as there are calls with n == 3; z repeats commands while
# its condition holds.
. tests/lib.sh
# calls of fib(k) made by fib(n): c(n,k) = [n==k] + c(n-1,k) + c(n-2,k)
want=$(awk 'function c(n, k) { if (n < 0) return 0; return (n == k) + (n >= 2 ? c(n-1, k) + c(n-2, k) : 0) } BEGIN { print c(9, 3) }')
dr7 "$PROGS/recurse" 9 <<'CMDS'
bp fib "j (@rdi == 3) '.echo x; gc' ; 'gc'"
g
CMDS
expect_count "$want" '^x$'
expect '^fib=34 calls=109$'
dr7 "$PROGS/recurse" 9 <<'CMDS'
bp fib ".if (@edi = 3) { .echo x; gc } .else { gc }"
g
CMDS
expect_count "$want" '^x$'
dr7 "$PROGS/recurse" 9 <<'CMDS'
bp fib
bsc 0 (@rdi == 3) ".echo x; gc"
bl
g
CMDS
expect_count "$want" '^x$'
expect "j \\(\\(@rdi == 3\\)\\) '\\.echo x; gc'; 'gc'"
dr7 "$PROGS/recurse" 9 <<'CMDS'
bp /w "n == 3" fib ".echo x; gc"
g
CMDS
expect_count "$want" '^x$'
dr7 "$PROGS/recurse" 9 <<'CMDS'
r $t0 = 0; r $t1 = 0
r $t0 = @$t0 + 1; r $t1 = @$t1 + @$t0; z(@$t0 < 5); .echo after the loop; ? @$t1
r $t2 = 0n10; z(0); ? @$t2
CMDS
expect_seq '^after the loop$' '^Evaluate expression: 15 = ' '^Evaluate expression: 10 = '
expect_count 1 '^after the loop$'
done_test
