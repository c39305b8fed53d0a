# Rejected ba requests print one error and change nothing; bd frees a debug
# register for a fifth ba; be of the disabled one then fails clearly.
. tests/lib.sh
dr7 "$PROGS/watch" loop 3 <<'CMDS'
ba w4 g4+1
ba w3 g4
ba e4 target
ba i4 g4
ba w4 /p 0 g4
ba w4 g4
ba w8 g8
ba r1 after_g4
ba e1 target
bl
ba w2 sink
bl
bd 0
ba w2 sink
be 0
bl
CMDS
expect 'is not aligned to size 4'
expect 'size must be 1, 2, 4 or 8'
expect 'Execute breakpoints must have size 1'
expect 'I/O breakpoints .* not supported'
expect 'not supported: /p'
expect 'debug registers .*all in use|4 debug registers'
expect_seq '^0:000> bl$' '^     0 e ' '^     1 e ' '^     2 e ' '^     3 e ' '^0:000> ba w2 sink$' '4 debug registers' '^0:000> bl$' '^     0 e ' '^     3 e '
expect_seq '^0:000> bd 0$' '^0:000> ba w2 sink$' '^0:000> be 0$' 'Breakpoint 0 could not be enabled: .*4 debug registers'
expect_seq '^0:000> be 0$' '^0:000> bl$' '^     0 d Enable Clear ' '^     4 e Disable Clear .* w 2 '
done_test
