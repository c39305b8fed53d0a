# 3000 lines of random WinDbg tokens (fixed seed) against a live session:
# no crash, no sanitizer report, and the session still answers afterwards.
# Commands that run or end the program are left out so every line meets
# the same stopped process.
. tests/lib.sh
awk 'BEGIN {
	srand(7);
	n = split("bp bu bm ba bl bc bd be br bs bsc .bpcmds r rM d db dw dd dq dp dc da du dps eb ed eq ea ? ?? ~ ~* ~. ~# ~0 ~9 x ln lm k kb kn u ub uf dv dt .frame .echo j .if .elsif .else { } ( ) [ ] \" \x27 ; poi( by( dwo( @rip @rsp @$t0 @$ip @eax @xmm0 $t1 . 0x 0n 0y 0t L L? L- 1 ff -1 7fffffffffffffff ` * / + - , /1 /c /C /w /a /d e r w i 1 2 4 8 e1 w4 r8 w3 i1 tick count!tick count!* main* @!\"count!tick\" `count.c:9` and or xor not mod hi low $$ zf cf rax=1 eax al", tok, " ");
	for (i = 0; i < 3000; i++) {
		k = int(rand() * 7);
		line = "";
		for (j = 0; j <= k; j++)
			line = line tok[int(rand() * n) + 1] (rand() < 0.7 ? " " : "");
		print line;
	}
	print ".echo alive";
}' >"$TMPD/lines"
dr7 "$PROGS/count" 3 <"$TMPD/lines"
expect '^alive$'
done_test
