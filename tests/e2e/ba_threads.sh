# A ba set before the threads exist fires in all 8 of them: 800 hits, each
# reported in the thread that wrote (never main, thread 0), and ~ agrees.
. tests/lib.sh
dr7 "$PROGS/wthreads" <<'CMDS'
ba w8 shared "~.; gc"
g
CMDS
expect_count 800 '^\. +[1-8]  Id: [0-9a-f]+\.[0-9a-f]+ Suspend: 1 Teb: '
expect_not '^\. +0  Id:'
expect '^shared=800$'
dr7 "$PROGS/wthreads" <<'CMDS'
ba w8 shared
g
~
k
CMDS
expect_seq '^Breakpoint 0 hit$' '^0:00[1-8]> ~$' '^\. +[1-8]  Id:' '^0:00[1-8]> k$' 'wthreads!run\+0x'
done_test
