# Filter command strings: -c runs at first chance whatever the break status
# (at ignore too, and the program then goes on by itself), -c2 at the second
# chance; a stop that is both chances runs -c then -c2 (unless -c resumed
# with gh); sx- changes only the commands.
. tests/lib.sh
# -c at ignore: the commands run at each signal, nothing else is shown, no prompt in between.
dr7 "$PROGS/sigevents" usr1 <<'CMDS'
sxi -c ".echo seen usr1" SIGUSR1
g
CMDS
expect_count 3 '^seen usr1$'
expect_not 'User defined signal 1 \(SIGUSR1\)'
expect_count 2 '^0:000> '
expect '^handler saw 3$'
# -c at break: the commands run at the stop, before the prompt; their g resumes.
dr7 "$PROGS/sigevents" usr1 <<'CMDS'
sxe -c ".echo stopped; r rip" SIGUSR1
g
g
sx- -c ".echo again; g" SIGUSR1
sx
g
CMDS
expect_seq '^0:000> g$' '\(SIGUSR1\) - code 0000000a \(first chance\)$' '^libc_so!' '^stopped$' '^rip=' \
	'^0:000> g$' '^stopped$' '^0:000> sx- ' '^SIGUSR1 - User defined signal 1 - break - not handled$' \
	'^       Command: "\.echo again; g"$' '^0:000> g$' '^again$' '^handler saw 3$'
# Both chances at once (no handler): -c, then -c2; the -c's g brings the second chance.
dr7 "$PROGS/segv" <<'CMDS'
sxe -c ".echo first; g" -c2 ".echo second" av
g
g
CMDS
expect_seq 'Access violation \(SIGSEGV\) - code 0000000b \(!!! second chance !!!\)$' '^segv!main\+' \
	'^first$' '^second$' '^0:000> g$' 'Process killed by signal SIGSEGV$'
# sxn with -c2 only: no stop; the second-chance commands run, then the program dies of it.
dr7 "$PROGS/segv" <<'CMDS'
sxn -c2 ".echo dying; k 1" av
g
CMDS
expect_seq 'Access violation \(SIGSEGV\) - code 0000000b \(!!! second chance !!!\)$' '^dying$' \
	'^00 .* segv!main\+0x[0-9a-f]+ ' 'Process killed by signal SIGSEGV$'
expect_count 2 '^0:000> '
# Event commands: at each thread creation, then on by themselves.
dr7 "$PROGS/threads" <<'CMDS'
sxn -c ".echo made" ct
g
CMDS
expect_count 4 '^made$'
expect '^total=4000$'
# sxe ld with commands that resume: every load runs them.
dr7 "$PROGS/dlopen_main" "$PROGS/libplug.so" <<'CMDS'
sxe -c ".echo loaded; lm m libplug; g" ld:libplug
g
CMDS
expect_seq '^ModLoad: .*/libplug\.so$' '^loaded$' 'libplug' '^plug=42$'
done_test
