# ba w4 with a "gc" command on a global written N times: exactly N hits,
# writes of an unchanged value included (every other write keeps the value).
. tests/lib.sh
dr7 "$PROGS/watch" loop 40 <<'CMDS'
ba w4 g4 ".echo w; gc"
bl
g
CMDS
expect '^     0 e Disable Clear  [0-9a-f]{8}`[0-9a-f]{8} w 4 0001 \(0001\)  0:\*\*\*\* watch!g4 "\.echo w; gc" \[dr[0-3]\]$'
expect_count 40 '^w$'
expect '^loop done 19$'
done_test
