# Signals: an unhandled SIGSEGV stops as second chance and g ends the
# program; a handled one stops as first chance and g lets the handler run.
. tests/lib.sh
dr7 "$PROGS/segv" <<'CMDS'
g
g
CMDS
expect '^\([0-9a-f]+\.[0-9a-f]+\): Access violation \(SIGSEGV\) - code 0000000b \(!!! second chance !!!\)$'
expect 'Process killed by signal SIGSEGV'
dr7 "$PROGS/segv" handled <<'CMDS'
g
g
CMDS
expect_seq 'Access violation \(SIGSEGV\) - code 0000000b \(first chance\)$' '^First chance exceptions are reported before any exception handling\.$' '^survived$'
dr7 "$PROGS/segv" handled <<'CMDS'
g
gh
CMDS
expect_count 0 '^survived$'
done_test
