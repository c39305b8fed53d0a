# Events through the filters: sxe ld:Module stops at that module's load
# (a real stop: registers, location, k), ud:Module at its unload; sxi ld
# hides ModLoad lines; ct/et stop at each thread's creation and exit (in
# that thread), sxn only prints; cpr stops when the program forks (the
# child is not debugged); epr is the final breakpoint (sxn: a line, no stop).
. tests/lib.sh
dr7 "$PROGS/dlopen_main" "$PROGS/libplug.so" reload <<'CMDS'
sxe ld:libplug
g
.lastevent
k 2
lm m libplug
g
sxe ud:libplug*
g
.lastevent
g
CMDS
expect_seq '^0:000> g$' '^ModLoad: [0-9a-f`]+ [0-9a-f`]+   .*/libplug\.so$' '^rax=' \
	'^ld_linux_x86_64_so!_dl_debug_state:$' '^0:000> \.lastevent$' \
	'^Last event: [0-9a-f]+\.[0-9a-f]+: Load module .*/libplug\.so at [0-9a-f]{8}`[0-9a-f]{8}$' \
	'^  debugger time: ... ... [ 0-9]{2} [0-9]{2}:[0-9]{2}:[0-9]{2}\.[0-9]{3} [0-9]{4} \(UTC [+-] [0-9]+:[0-9]{2}\)$' \
	'^00 .* ld_linux_x86_64_so!_dl_debug_state' '^0:000> lm m libplug$' 'libplug' \
	'^0:000> sxe ud:libplug\*$' '^0:000> g$' '^Unload module .*/libplug\.so at ' '^rax=' \
	'^Last event: [0-9a-f.]+: Unload module .*/libplug\.so at ' '^0:000> g$' 'Process exited with code 0$'
# Loaded twice (reload), broken twice; unloaded twice but ud set after the first.
expect_count 2 'ModLoad: .*/libplug\.so$'
# the initial breakpoint, two loads, one unload
expect_count 4 '^ld_linux_x86_64_so!_dl_debug_state:$'
expect_count 1 '^Unload module '
# sxi ld: no ModLoad line for the library dlopen loads.
dr7 "$PROGS/dlopen_main" "$PROGS/libplug.so" <<'CMDS'
sxi ld
g
CMDS
expect_not 'ModLoad: .*libplug'
expect '^plug=42$'
# sxn ud: a line, no stop.
dr7 "$PROGS/dlopen_main" "$PROGS/libplug.so" <<'CMDS'
sxn ud
g
CMDS
expect_count 1 '^Unload module .*/libplug\.so at '
expect_count 1 '^rax='	# the initial breakpoint's
# ct/et: each of the 4 threads stops once at its creation (current thread: the new
# one) and once at its exit.
dr7 "$PROGS/threads" <<'CMDS'
sxe ct
sxe et
g
~.
g
g
g
g
g
g
g
g
CMDS
expect_count 4 '^\([0-9a-f]+\.([0-9a-f]+)\): Create thread [1-4]:[0-9a-f]+$'
expect_count 4 '^\([0-9a-f]+\.([0-9a-f]+)\): Exit thread [1-4]:[0-9a-f]+$'
expect_seq '^0:000> g$' '^\([0-9a-f]+\.[0-9a-f]+\): Create thread 1:' '^rax=' '^0:001> ~\.$' '^\.  1  Id: '
expect '^total=4000$'
expect 'Process exited with code 0$'
# The event line names the thread the prompt then shows.
printf '%s\n' "$OUT" | grep -E '^\([0-9a-f]+\.[0-9a-f]+\): (Create|Exit) thread' | while read -r line; do
	tid=$(printf '%s' "$line" | sed -E 's/^\([0-9a-f]+\.([0-9a-f]+)\).* [0-9]+:([0-9a-f]+)$/\1 \2/')
	set -- $tid
	[ "$1" = "$2" ] || echo "EXPECTATION FAILED: $line"
done | grep -q 'EXPECTATION FAILED' && fail "an event line's thread differs from the thread it names"
# Repeated: a thread that exits just before the process does is announced too,
# before the process's exit.
for rep in 1 2 3 4 5 6; do
dr7 "$PROGS/threads" <<'CMDS'
sxn ct
sxn et
g
CMDS
expect_count 4 'Create thread [1-4]:'
expect_count 4 'Exit thread [1-4]:'
printf '%s\n' "$OUT" | sed -n '/Process exited/,$p' | grep -q 'Exit thread' &&
	fail "a thread's exit announced after the process's"
expect_count 0 '^0:00[1-4]> '
expect '^total=4000$'
done
# cpr: the fork stops the parent; the child runs undebugged and finishes.
dr7 "$PROGS/forker" <<'CMDS'
sxe cpr
g
.lastevent
g
CMDS
expect_seq '^\([0-9a-f]+\.[0-9a-f]+\): Create process [0-9a-f]+ \(a fork child: dr7 does not debug it\)$' \
	'^libc_so!_Fork\+0x[0-9a-f]+:$' '^Last event: [0-9a-f.]+: Create process ' '^child=5 parent=2$'
# epr: sxn prints the end without a stop; sxi says nothing; sxe is the default.
dr7 "$PROGS/count" 1 <<'CMDS'
sxn epr
g
CMDS
expect_seq '^0:000> g$' 'Process exited with code [0-9]+$'
expect_count 2 '^0:000> '
dr7 "$PROGS/count" 1 <<'CMDS'
sxi epr
g
CMDS
expect_not 'Process exited'
done_test
