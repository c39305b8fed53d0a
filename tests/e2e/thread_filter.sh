# ~. bp at a stop in one thread counts only that thread's calls; bl shows
# the thread.
. tests/lib.sh
dr7 "$PROGS/gated" <<'CMDS'
bp gate
g
? @rdi
~. bp gated!f ".echo f; gc"
bl
bc 0
g
CMDS
n=$(printf '%s\n' "$OUT" | sed -n 's/^Evaluate expression: \([0-9]*\) = .*/\1/p' | head -n 1)
case "$n" in 10|20|30) ;; *) fail "gate's argument not seen ($n)" ;; esac
expect_count "$n" '^f$'
expect '^     1 e Disable Clear  [0-9a-f]{8}`[0-9a-f]{8}     0001 \(0001\)  0:000[1-3] gated!f "\.echo f; gc"$'
expect '^fcalls=60$'
# ~. ba: a processor breakpoint armed only in that thread.
dr7 "$PROGS/gated" <<'CMDS'
bp gate
g
? @rdi
~. ba w8 fcalls ".echo w; gc"
bl
bc 0
g
CMDS
n=$(printf '%s\n' "$OUT" | sed -n 's/^Evaluate expression: \([0-9]*\) = .*/\1/p' | head -n 1)
case "$n" in 10|20|30) ;; *) fail "gate's argument not seen ($n)" ;; esac
expect_count "$n" '^w$'
expect ' w 8 0001 \(0001\)  0:000[1-3] gated!fcalls "\.echo w; gc" \[dr[0-3]\]$'
done_test
