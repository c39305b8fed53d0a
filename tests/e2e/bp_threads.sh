# 4 threads x 1000 calls: exactly 4000 hits and the program's result unchanged.
. tests/lib.sh
dr7 "$PROGS/threads" <<'CMDS'
bp work ".echo hit; gc"
g
CMDS
expect_count 4000 '^hit$'
expect '^total=4000$'
expect 'Process exited with code 0'
done_test
