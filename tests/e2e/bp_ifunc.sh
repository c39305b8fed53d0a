# A breakpoint on a GNU indirect function (glibc's memcmp, strlen, strstr)
# lands in the implementation the program calls, not in its resolver, and
# hits at every call, the first included: from libc's relocated IRELATIVE
# slot (memcmp, strlen: known at the initial breakpoint), from the
# program's bound JUMP_SLOT, or by watching the resolver return (strstr:
# reached only through a lazily bound PLT slot).  compare(3) calls each
# three times.
. tests/lib.sh
dr7 "$PROGS/syntax" <<'CMDS'
bu memcmp
bp strlen ".echo l; gc"
bu strstr ".echo s; gc"
bl
g
? @$bp0 == memcmp
? @$bp1 == strlen
k 2
bc 0
g
bl
CMDS
expect_not 'memcmp is a GNU indirect function'
expect '^strstr is a GNU indirect function whose implementation is not chosen yet: the breakpoint waits for its resolver to choose$'
expect '^     2 e Disable Clear u +0001 \(0001\) \(strstr\) "\.echo s; gc"$'
expect_seq '^Breakpoint 0 hit$' '^libc_so!' '^0:000> \? @\$bp0 == memcmp$' '^Evaluate expression: 0 = ' '^Evaluate expression: 0 = '
expect_seq '^0:000> k 2$' '^00 [0-9a-f`]{17} [0-9a-f`]{17}     libc_so!' '^01 [0-9a-f`]{17} [0-9a-f`]{17}     syntax!compare\+'
expect_count 3 '^l$'
expect_count 3 '^s$'
expect_seq '^l$' '^s$' '^l$' '^s$' '^l$' '^s$' '^syntax done '
# Placed now: an address of its own (bl names the implementation when libc has symbols for it).
expect_seq '^syntax done ' '^0:000> bl$' '^     1 e Disable Clear  [0-9a-f`]{17} ' '^     2 e Disable Clear  [0-9a-f`]{17}     0001 \(0001\)  0:\*\*\*\* libc_so[!+]'
expect_not 'Disable Clear  [0-9a-f`]{17}     0001 \(0001\)  0:\*\*\*\* libc_so!(strstr|strlen|memcmp) '
# Set once the program's own slot is bound (after the first strstr call).
dr7 "$PROGS/syntax" <<'CMDS'
bp strlen 2
g
bc 0
bu strstr ".echo s2; gc"
g
CMDS
expect_not 'waits for its resolver'
expect_count 2 '^s2$'
# bm and the i386 program: the resolver is watched, every call is seen.
dr7 "$PROGS/syntax32" <<'CMDS'
bm libc_so!memcmp ".echo m; gc"
bu strlen ".echo l; gc"
g
CMDS
expect_count 3 '^m$'
expect_count 3 '^l$'
expect '^syntax done global=1000 '
done_test
