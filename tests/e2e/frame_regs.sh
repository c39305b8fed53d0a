# .frame /r prints the frame line, then the frame's registers in r's block,
# then its symbol line and instruction; dv /v puts each variable's place in
# front: its address, or "@reg" for one held in a register.  saved_o2's
# outer keeps `keep` (N * 7 + 3 = 0x26) in rbx across middle and leaf: in
# frame 2 rbx is that value, rip the return address k shows, rsp the
# frame's Child-SP, and a caller-saved register the unwinder cannot restore
# prints as '?' digits.  In -O0 code dv /v gives the addresses ?? & gives.
. tests/lib.sh
A='[0-9a-f]{8}`[0-9a-f]{8}'
dr7 "$PROGS/saved_o2" 5 <<'CMDS'
bp leaf
g
k 3
.frame /r 2
dv /v
.frame /r 0
CMDS
line=$(printf '%s\n' "$OUT" | grep -E "^02 $A $A     saved_o2!outer\\+0x[0-9a-f]+ " | head -n 1)
[ -n "$line" ] || fail "k shows frame 02 in outer"
sp=$(printf '%s' "$line" | cut -d' ' -f2 | tr -d '`')
ra=$(printf '%s\n' "$OUT" | grep -E "^01 $A $A " | head -n 1 | cut -d' ' -f3 | tr -d '`')
expect_seq '^0:000> \.frame /r 2$' "^$(printf '%s' "$line" | sed 's/[][\\.*^$+?(){}|]/\\&/g')\$" \
	'^rax=\?{16} rbx=0000000000000026 rcx=\?{16}$' \
	'^rdx=\?{16} rsi=\?{16} rdi=\?{16}$' \
	"^rip=$ra rsp=$sp rbp=[0-9a-f]{16}\$" \
	'^ r8=\?{16}  r9=\?{16} r10=\?{16}$' \
	'^r11=\?{16} r12=[0-9a-f]{16} r13=[0-9a-f]{16}$' \
	'^r14=[0-9a-f]{16} r15=[0-9a-f]{16}$' \
	'^iopl=\?         \?\? \?\? \?\? \?\? \?\? \?\? \?\? \?\?$' \
	'^cs=0033  ss=002b  ds=[0-9a-f]{4}  es=[0-9a-f]{4}  fs=[0-9a-f]{4}  gs=[0-9a-f]{4}             efl=\?{8}$' \
	'^saved_o2!outer\+0x[0-9a-f]+:$' \
	"^$(printf '%s' "$ra" | sed 's/^\(.\{8\}\)/\1`/') [0-9a-f]+ " \
	'^0:000> dv /v$'
expect_seq '^0:000> dv /v$' '^@rbx +keep = 0n38$'
# Frame 0: the thread's own registers, every one known.
expect_seq '^0:000> \.frame /r 0$' "^00 $A $A     saved_o2!leaf " '^rax=[0-9a-f]{16} rbx=0000000000000026 ' \
	'^iopl=[0-3] ' '^cs=0033 .* efl=[0-9a-f]{8}$' '^saved_o2!leaf:$'

# -O0 at walk's first instruction: the parameters are still where the ABI
# passes them; after the prologue every variable is in memory, at the
# address ?? & gives.
body=$(grep -n 'int sum = p->x' tests/programs/vars.c | cut -d: -f1)
dr7 "$PROGS/vars" 3 <<CMDS
bp walk
g
dv /v
bc *
bp \`vars.c:$body\`
g
dv /v
?? &depth
?? &tag
CMDS
expect_seq '^0:000> dv /v$' "^@rdi +p = 0x$A\$" "^@rsi +depth = 0n3\$" "^@rdx +tag = 0x$A \"t\"\$"
depth=$(printf '%s\n' "$OUT" | sed -n 's/^int \* 0x\([0-9a-f`]*\)$/\1/p' | head -n 1)
tag=$(printf '%s\n' "$OUT" | sed -n 's/^char \*\* 0x\([0-9a-f`]*\)$/\1/p' | head -n 1)
[ -n "$depth" ] && [ -n "$tag" ] || fail "?? & printed the addresses"
expect_seq '^0:000> bc \*$' '^0:000> dv /v$' "^$A +p = 0x$A\$" "^$depth +depth = 0n3\$" "^$tag +tag = 0x$A \"t\"\$" "^$A +sum = "

# i386: the 32-bit register names.
dr7 "$PROGS/saved32_o2" 5 <<'CMDS'
bp leaf
g
.frame /r 2
dv /v
CMDS
expect_seq '^0:000> \.frame /r 2$' '^02 ' '^eax=\?{8} ebx=00000026 ecx=\?{8} edx=\?{8} esi=[0-9a-f?]{8} edi=[0-9a-f?]{8}$' \
	'^eip=[0-9a-f]{8} esp=[0-9a-f]{8} ebp=[0-9a-f?]{8} iopl=\?         \?\? ' '^cs=0023 ' '^saved32_o2!outer\+0x'
expect '^@ebx +keep = 0n38$'
done_test
