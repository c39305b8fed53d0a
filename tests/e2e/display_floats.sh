# dD and df show doubles and floats (8 and 4 bytes), 3 and 4 a line, with
# WinDbg's default counts (15 doubles, 16 floats); dd (lower case) still
# shows double words, and d repeats the last format.
. tests/lib.sh
dr7 "$PROGS/syntax" <<'CMDS'
dD doubles L4
df floats L5
dD doubles
df floats
d
dd doubles L2
DD doubles L1
df 0 L2
CMDS
expect '^([0-9a-f]{8}`[0-9a-f]{8})                     1\.5                  -2\.25            30000000000$'
expect '^[0-9a-f]{8}`[0-9a-f]{8}                   0\.125$'
expect '^[0-9a-f]{8}`[0-9a-f]{8}              1\.5           -0\.25             100            0\.75$'
expect '^[0-9a-f]{8}`[0-9a-f]{8}                2$'
# default counts: dD 15 doubles = 5 lines, df 16 floats = 4 lines, then d goes on in df
expect_seq '^0:000> dD doubles$' '                     1\.5 ' '^[0-9a-f`]{17}( +[^ ]+){3}$' '^[0-9a-f`]{17}( +[^ ]+){3}$' '^[0-9a-f`]{17}( +[^ ]+){3}$' '^[0-9a-f`]{17}( +[^ ]+){3}$' '^0:000> df floats$'
expect_seq '^0:000> df floats$' '              1\.5 ' '^[0-9a-f`]{17}( +[^ ]+){4}$' '^[0-9a-f`]{17}( +[^ ]+){4}$' '^[0-9a-f`]{17}( +[^ ]+){4}$' '^0:000> d$' '^[0-9a-f`]{17}( +[^ ]+){4}$'
expect '^[0-9a-f]{8}`[0-9a-f]{8}  00000000 3ff80000$'
expect_count 1 '^[0-9a-f]{8}`[0-9a-f]{8}  00000000$'
expect '^00000000`00000000         \?\?\?\?\?\?\?\?        \?\?\?\?\?\?\?\?$'
done_test
