# Command-string conditions on a recursive function: j, .if and bsc print
# exactly as many lines as there are calls with n == 3.
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
done_test
