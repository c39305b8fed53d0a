# /w condition on a parameter at a function's entry: bp /w "n == 3" fib runs
# its command exactly once per call with n == 3.  fib(12) makes
# c(12) such calls, c(n) = c(n-1) + c(n-2) with c(3) = c(4) = 1: 55.
# At the entry the parameter is still in rdi (the prologue has not stored
# it), so this also checks that dr7 reads it where the ABI passes it.  The
# second condition mixes the parameter with a global (calls counts entries
# before this one), set inside the prologue: 58 of the calls with n == 1
# come after the 280th.
. tests/lib.sh
dr7 "$PROGS/recurse" 12 <<'CMDS'
bp /w "n == 3" fib ".echo x; gc"
bp /w "n == 1 && calls > 280" fib+4 ".echo late; gc"
bl
g
CMDS
expect_count 55 '^x$'
expect_count 58 '^late$'
expect '^     0 e Disable Clear  [0-9a-f]{8}`[0-9a-f]{8}     0001 \(0001\)  0:\*\*\*\* recurse!fib /w "n == 3" "\.echo x; gc"$'
expect '^fib=144 calls=465$'
done_test
