# The stop display and the formats of r, ?, k and the event lines.
. tests/lib.sh
dr7 "$PROGS/count" 3 <<'CMDS'
bp tick
g
? 0n1033
? -1
r rdi
r eax
r zf
CMDS
expect '^\([0-9a-f]+\.[0-9a-f]+\): Break instruction exception - code 80000003 \(first chance\)$'
expect_seq '^Breakpoint 0 hit$' \
	'^rax=[0-9a-f]{16} rbx=[0-9a-f]{16} rcx=[0-9a-f]{16}$' \
	'^rdx=[0-9a-f]{16} rsi=[0-9a-f]{16} rdi=[0-9a-f]{16}$' \
	'^rip=[0-9a-f]{16} rsp=[0-9a-f]{16} rbp=[0-9a-f]{16}$' \
	'^ r8=[0-9a-f]{16}  r9=[0-9a-f]{16} r10=[0-9a-f]{16}$' \
	'^r11=[0-9a-f]{16} r12=[0-9a-f]{16} r13=[0-9a-f]{16}$' \
	'^r14=[0-9a-f]{16} r15=[0-9a-f]{16}$' \
	'^iopl=0         (nv|ov) (up|dn) (ei|di) (pl|ng) (nz|zr) (na|ac) (pe|po) (nc|cy)$' \
	'^cs=0033  ss=002b  ds=0000  es=0000  fs=0000  gs=0000             efl=[0-9a-f]{8}$' \
	'^count!tick:$' \
	'^[0-9a-f]{8}`[0-9a-f]{8} [0-9a-f]+ +(push|endbr64) '
expect '^Evaluate expression: 1033 = 00000000`00000409$'
expect '^Evaluate expression: -1 = ffffffff`ffffffff$'
expect '^rdi=0000000000000000$'
expect '^eax=[0-9a-f]+$'
expect '^zf=[01]$'
done_test
