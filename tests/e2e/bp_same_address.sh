# Breakpoints at one address are separate when they differ in thread, /c or
# /C (bl shows what tells them apart, and each filters its own hits); a new
# one identical in those redefines the old one.  Two processor breakpoints
# that would differ only in their command string are refused, as WinDbg
# documents, and the refusal changes nothing.  fib(6): a call at recursion
# level L has depth L + 4 (see depth_filters.sh).
. tests/lib.sh
# number of fib calls at recursion levels lo..hi for fib(n)
count() { awk -v n="$1" -v lo="$2" -v hi="$3" 'function c(n, l) { if (l >= lo && l <= hi) hits++; if (n >= 2) { c(n-1, l+1); c(n-2, l+1) } } BEGIN { c(n, 1); print hits + 0 }'; }
dr7 "$PROGS/recurse" 6 <<'CMDS'
bp /c 7 fib ".echo shallow; gc"
bp /C 7 fib ".echo deep; gc"
bp fib ".echo any; gc"
bp fib ".echo again; gc"
ba w8 calls
ba w8 /c 7 calls
ba w8 calls ".echo other"
ba w8 /c 7 calls "gc"
ba4 w8 /c 7 calls "gc"
ba9 w8 calls
~0 ba w8 calls
bl
bd 3-5
g
CMDS
expect '^breakpoint 2 redefined$'
expect '^breakpoint 4 redefined$'
expect '^Processor breakpoint 3 has this address, access, size and options: processor breakpoints cannot differ only in their command string \(bs 3 changes it\)$'
expect '^Processor breakpoint 4 has this address, access, size and options: processor breakpoints cannot differ only in their command string \(bs 4 changes it\)$'
expect '^Processor breakpoint 3 already exists with this address, access, size and options; change it with ba3 or bs 3$'
expect '^     0 e Disable Clear  [0-9a-f]{8}`[0-9a-f]{8}     0001 \(0001\)  0:\*\*\*\* recurse!fib /c 0x7 "\.echo shallow; gc"$'
expect '^     1 e Disable Clear  [0-9a-f]{8}`[0-9a-f]{8}     0001 \(0001\)  0:\*\*\*\* recurse!fib /C 0x7 "\.echo deep; gc"$'
expect '^     2 e Disable Clear  [0-9a-f]{8}`[0-9a-f]{8}     0001 \(0001\)  0:\*\*\*\* recurse!fib "\.echo again; gc"$'
expect '^     3 e Disable Clear  [0-9a-f]{8}`[0-9a-f]{8} w 8 0001 \(0001\)  0:\*\*\*\* recurse!calls \[dr[0-3]\]$'
expect '^     4 e Disable Clear  [0-9a-f]{8}`[0-9a-f]{8} w 8 0001 \(0001\)  0:\*\*\*\* recurse!calls /c 0x7 "gc" \[dr[0-3]\]$'
expect '^     5 e Disable Clear  [0-9a-f]{8}`[0-9a-f]{8} w 8 0001 \(0001\)  0:0000 recurse!calls \[dr[0-3]\]$'
expect_count 6 '^ +[0-9]+ e Disable Clear'
expect_count "$(count 6 1 2)" '^shallow$'
expect_count "$(count 6 4 100)" '^deep$'
expect_count 25 '^again$'
expect_not '^any$'
expect_not '^other$'
expect '^fib=8 calls=25$'
# Two processor breakpoints on one debug register, each with its own filter.
dr7 "$PROGS/recurse" 6 <<'CMDS'
ba w8 /c 7 calls ".echo wshallow; gc"
ba w8 /C 7 calls ".echo wdeep; gc"
g
CMDS
expect_count "$(count 6 1 2)" '^wshallow$'
expect_count "$(count 6 4 100)" '^wdeep$'
expect '^fib=8 calls=25$'
done_test
