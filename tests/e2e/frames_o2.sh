# k, .frame, kp and dv share one unwinder: in -O2 code, frame 2 as .frame
# selects it is the line k prints for it, and its variables are read with
# the registers that unwinder restored.  outer keeps `keep` (5 * 7 + 3) in
# a callee-saved register that middle never saves, so the value holds in
# outer's frame by the ABI alone; a caller-saved register is unknown there,
# never shown with a callee's value.  x86-64 and i386.
. tests/lib.sh
dr7 "$PROGS/saved_o2" 5 <<'CMDS'
bp leaf
g
k
kp
.frame 2
dv /v
?? keep
?? @rbx
?? @rax
.frame 1
?? @rbx
CMDS
line=$(printf '%s\n' "$OUT" | grep -E '^02 [0-9a-f]{8}`[0-9a-f]{8} [0-9a-f]{8}`[0-9a-f]{8}     saved_o2!outer\+0x[0-9a-f]+ ' | head -n 1)
[ -n "$line" ] || fail "k shows frame 02 in outer"
expect_count 2 "^$(printf '%s' "$line" | sed 's/[][\\.*^$+?(){}|]/\\&/g')\$"
expect_seq '^ # Child-SP' '^00 .*saved_o2!leaf ' '^01 .*saved_o2!middle\+0x' '^02 .*saved_o2!outer\+0x' '^03 .*saved_o2!main\+0x'
expect '^02 .*saved_o2!outer\(int n = (0n5|<not available>)\)\+0x[0-9a-f]+ '
expect '^@rbx +keep = 0n38$'
expect_seq '^@rbx +keep = 0n38$' '^int 0n38$' '^unsigned int64 0x26$' \
	'^@rax is not known in this frame \(the unwinder could not restore it\)$' '^unsigned int64 0x26$'

dr7 "$PROGS/saved32_o2" 5 <<'CMDS'
bp leaf
g
k
kp
.frame 2
dv /v
?? keep
?? @ebx
?? @eax
CMDS
line=$(printf '%s\n' "$OUT" | grep -E '^02 [0-9a-f]{8} [0-9a-f]{8} saved32_o2!outer\+0x[0-9a-f]+ ' | head -n 1)
[ -n "$line" ] || fail "k shows frame 02 in outer (i386)"
expect_count 2 "^$(printf '%s' "$line" | sed 's/[][\\.*^$+?(){}|]/\\&/g')\$"
expect '^02 .*saved32_o2!outer\(int n = 0n5\)\+0x[0-9a-f]+ '
expect '^[0-9a-f]{8} +n = 0n5$'
expect '^@ebx +keep = 0n38$'
expect_seq '^@ebx +keep = 0n38$' '^int 0n38$' '^unsigned int 0x26$' \
	'^@eax is not known in this frame \(the unwinder could not restore it\)$'
done_test
