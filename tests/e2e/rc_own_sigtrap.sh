# The program's own int3, with its own SIGTRAP handler: dr7 stops with the
# break exception; gn (not handled) delivers the SIGTRAP, so the handler
# runs once; gh (handled) keeps it, so the handler never runs.  Either way
# the program then goes on normally.
. tests/lib.sh
DR7_LIMIT=30
dr7 "$PROGS/rc_own_trap" <<'CMDS'
g
gn
CMDS
expect_seq '^0:000> g$' 'Break instruction exception - code 80000003 \(first chance\)$' '^rc_own_trap!main\+0x' \
	'^0:000> gn$' '^handler ran 1 times$' 'Process exited with code 0$'
dr7 "$PROGS/rc_own_trap" <<'CMDS'
g
gh
CMDS
expect_seq '^0:000> g$' 'Break instruction exception - code 80000003 \(first chance\)$' '^rc_own_trap!main\+0x' \
	'^0:000> gh$' '^handler ran 0 times$' 'Process exited with code 0$'
done_test
