# ba with a /w condition: the data breakpoint goes through the same condition
# machinery and stops only when the condition holds.  bump() adds 1 to the
# global counter 200 times, so "counter > 100" holds after writes 101..200.
. tests/lib.sh
dr7 "$PROGS/vars" <<'CMDS'
ba w4 /w "counter > 100" counter ".echo hit; ?? counter; gc"
ba e1 /w "by != 1" bump
bl
g
CMDS
expect_count 100 '^hit$'
expect_seq '^int 0n101$' '^int 0n102$' '^int 0n200$'
expect_not '^int 0n100$'
expect_not 'Breakpoint 1 hit'
expect '^     0 e Disable Clear  [0-9a-f]{8}`[0-9a-f]{8} w 4 0001 \(0001\)  0:\*\*\*\* vars!counter /w "counter > 100" "\.echo hit; \?\? counter; gc" \[dr[0-3]\]$'
expect '^walk=34 counter=200 paint=5 ratio=2.5 hello$'
done_test
