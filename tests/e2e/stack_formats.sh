# k's WinDbg layouts on srcview, stopped in meet(2, "two") with two
# workers waiting in level1(id) under level2(id) (they passed a barrier
# with main, so they are there before meet runs):
#   kp   module!function(params)+0xNN [file @ line], "(void)" for none
#   kP   the parameters one per line, three tabs in, ")+0xNN" after the last
#   kv   kb's stack words, then the CFI rule that located the frame
#   ~*k  every thread's stack under its line of the ~ list, a blank line before
# Three sessions: the workers' stacks must be right every time.
. tests/lib.sh
A='[0-9a-f]{8}`[0-9a-f]{8}'
row="^[0-9a-f]{2} $A $A     "
src='/nonexistent/dr7-src/srcview\.c'
for run in 1 2 3; do
	dr7 "$PROGS/srcview" <<'CMDS'
bp meet
g
kp 2
kP 2
kv 2
~*k
~*kp 0n10
CMDS
	expect_seq '^0:000> kp 2$' '^ # Child-SP          RetAddr               Call Site$' \
		"${row}srcview!meet\\(int rounds = 0n2, char \\* label = 0x$A \"two\"\\) \\[$src @ [0-9]+\\]\$" \
		"${row}srcview!main\\(void\\)\\+0x[0-9a-f]+ \\[$src @ [0-9]+\\]\$" '^0:000> kP 2$'
	expect_seq '^0:000> kP 2$' '^ # Child-SP' "${row}srcview!meet\\(\$" \
		"^			int rounds = 0n2, \$" \
		"^			char \\* label = 0x$A \"two\"\\) \\[$src @ [0-9]+\\]\$" \
		"${row}srcview!main\\(void\\)\\+0x[0-9a-f]+ \\[$src @ [0-9]+\\]\$" '^0:000> kv 2$'
	# meet's first instruction: the CFA is rsp+8 (only the return address is pushed); main keeps rbp.
	expect_seq '^0:000> kv 2$' \
		'^ # Child-SP          RetAddr           : Args to Child                                                           : Call Site$' \
		"^00 $A $A : $A $A $A $A : srcview!meet \\(CFI: CFA=rsp\\+0x8\\) \\[$src @ [0-9]+\\]\$" \
		"^01 $A $A : $A $A $A $A : srcview!main\\+0x[0-9a-f]+ \\(CFI: CFA=rbp\\+0x10\\) \\[$src @ [0-9]+\\]\$"
	# ~*k: three threads, each "blank line, thread line, header, frames".
	seg=$(printf '%s\n' "$OUT" | sed -n '/^0:000> ~\*k$/,/^0:000> ~\*kp 0n10$/p')
	n=$(printf '%s\n' "$seg" | grep -cE '^[.# ] +[0-9]+  Id: [0-9a-f]+\.[0-9a-f]+ Suspend: 1 Teb: [0-9a-f]{8}`[0-9a-f]{8} Unfrozen')
	[ "$n" = 3 ] || fail "run $run: ~*k showed $n thread lines, not 3"
	h=$(printf '%s\n' "$seg" | grep -A1 -E '  Id: ' | grep -c '^ # Child-SP          RetAddr               Call Site$')
	[ "$h" = 3 ] || fail "run $run: $h thread lines followed by k's header, not 3"
	b=$(printf '%s\n' "$seg" | grep -B1 -E '  Id: ' | grep -c '^$')
	[ "$b" = 3 ] || fail "run $run: $b blank lines before the thread lines, not 3"
	expect_seq '^0:000> ~\*k$' '^$' '^\.  0  Id: ' '^ # Child-SP' "${row}srcview!meet \\[" "${row}srcview!main\\+0x"
	[ "$(printf '%s\n' "$seg" | grep -cE "${row}srcview!level1\\+0x[0-9a-f]+ \\[$src @ [0-9]+\\]\$")" = 2 ] ||
		fail "run $run: ~*k did not show level1 in both workers"
	[ "$(printf '%s\n' "$seg" | grep -cE "${row}srcview!level2\\+0x[0-9a-f]+ \\[$src @ [0-9]+\\]\$")" = 2 ] ||
		fail "run $run: ~*k did not show level2 in both workers"
	# ~*kp: each worker's own id in its frames.
	seg=$(printf '%s\n' "$OUT" | sed -n '/^0:000> ~\*kp 0n10$/,$p')
	for id in 1 2; do
		printf '%s\n' "$seg" | grep -qE "srcview!level2\\(int id = 0n$id\\)\\+0x" ||
			fail "run $run: ~*kp did not show level2(int id = 0n$id)"
	done
done
done_test
