# k at a function three calls deep in -O2 -fomit-frame-pointer code lists
# the callers in order, down to main and beyond.
. tests/lib.sh
dr7 "$PROGS/deep" <<'CMDS'
bp level3
g
k
CMDS
expect_seq '^ # Child-SP          RetAddr               Call Site$' \
	'^00 [0-9a-f]{8}`[0-9a-f]{8} [0-9a-f]{8}`[0-9a-f]{8}     deep!level3 ' \
	'^01 .*deep!level2\+0x' '^02 .*deep!level1\+0x' '^03 .*deep!main\+0x' '^04 .*libc_so!'
done_test
