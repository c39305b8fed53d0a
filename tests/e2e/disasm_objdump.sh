# u on a function shows the instructions objdump shows at the same addresses.
. tests/lib.sh
dr7 "$PROGS/deep" <<'CMDS'
u level1 L6
u level2 L6
CMDS
base=$(printf '%s\n' "$OUT" | grep -E '^deep!level1:$' -A1 | tail -n 1 | cut -c1-17 | tr -d '`')
off=$(nm "$PROGS/deep" | awk '$3 == "level1" { print $1 }')
bias=$(( 0x$base - 0x$off ))
printf '%s\n' "$OUT" | grep -E '^[0-9a-f]{8}`[0-9a-f]{8} [0-9a-f]+ ' | grep -v 'c3  *ret$' | while read -r addr bytes mnem rest; do
	a=$(printf '%x' $(( 0x$(printf '%s' "$addr" | tr -d '`') - bias )))
	want=$(objdump -d --no-show-raw-insn -M intel "$PROGS/deep" | awk -v a="$a" '$1 == a":" { print $2; exit }')
	objbytes=$(objdump -d -M intel "$PROGS/deep" | awk -v a="$a" -F'\t' '$1 ~ "^ *"a":" { gsub(/ /, "", $2); print $2; exit }')
	echo "$a $bytes/$objbytes $mnem/$want"
	[ "$bytes" = "$objbytes" ] || echo "MISMATCH bytes at $a"
	case "$want" in "$mnem"*|*"$mnem") ;; *) echo "MISMATCH mnemonic at $a: $mnem vs $want" ;; esac
done >"$TMPD/cmp"
cat "$TMPD/cmp"
[ "$(wc -l <"$TMPD/cmp")" -ge 10 ] || fail "too few instructions compared"
if grep -q MISMATCH "$TMPD/cmp"; then fail "u and objdump disagree"; fi
done_test
