# Calls with effects before they could fault are never run twice: their
# memory is opened at entry.  wait4(2) with a watched status word reaps the
# child once (status right, a second wait4 finds none) and the kernel's
# write is reported naming wait4; accept(2) into a watched sockaddr and
# length keeps the connection, and each watch's hit names accept (served
# by pages, then by a debug register: the length the kernel fills is known
# either way).  A watch set while the call is blocked does not fail it.
. tests/lib.sh
DR7_WATCH=pages dr7 "$PROGS/pwsys" wait4 <<'CMDS'
ba w4 page
g
g
CMDS
expect_count 1 '^Breakpoint 0 hit'
expect_seq '^Breakpoint 0 hit \(written by wait4\)$' '^wait4 reaped the child status 7$' '^again: no child$'
for watch in 'w2 page+0n64' 'w4 page+0n32' 'w2 page+0n64 dr' 'w4 page+0n32 dr'; do
	mode=pages
	case "$watch" in *' dr') mode= watch=${watch% dr} ;; esac
	DR7_WATCH=$mode dr7 "$PROGS/pwsys" accept <<CMDS
ba $watch
g
g
g
CMDS
	expect_seq '^Breakpoint 0 hit \(written by accept\)$' '^accepted family 1 length right name right$' \
		"^message 'over the socket'\$"
	expect_count 1 '^Breakpoint 0 hit \(written by accept\)$'
done
# A watch set on the status word while a thread is blocked in wait4 (with
# no watch before, and with one elsewhere, so the call's entry was traced):
# the call still reaps the child once and its write is reported.
for run in 1 2 3; do
	for pre in '' 'ba w4 page2'; do
		DR7_WATCH=pages dr7 "$PROGS/pwsys" lateblock <<CMDS
bp pwsys!armed
$pre
g
ba w4 page
g
g
CMDS
		expect_seq '^Breakpoint 0 hit$' '^Breakpoint [12] hit \(written by wait4\)$' \
			'^lateblock reaped the child status 5$'
	done
done
done_test
