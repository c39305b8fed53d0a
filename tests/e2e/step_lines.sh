# l+t: p and t step by source line (DWARF line table).  p runs a line's
# calls, t enters those with line information and steps over the others
# (write through libc's PLT); the end of a function returns to the caller's
# line; a breakpoint on the way stops the step.  l-t steps instructions again.
. tests/lib.sh
SRC=tests/programs/trace.c
line() { grep -n -F -- "$1" "$SRC" | head -n 1 | cut -d: -f1; }
n_arg=$(line 'long n = argc')
n_sig=$(line 'signal(SIGUSR1')
n_if=$(line 'if (argc > 2')
n_twice=$(line 'sink = twice(3)')
n_fib=$(line 'sink = fib(5)')
n_a=$(line 'int a = leaf(x)')
n_b=$(line 'int b = leaf(a)')
n_ret=$(line 'return a + b')
n_leaf=$(line 'return x + 1')
n_write=$(line 'write(1,')

dr7 -lines "$PROGS/trace" <<'CMDS'
.lines -e
bp trace!main
g
l+t
p
p
p
t
t
t
t
t
t
p
p
p
l-t
p
p
CMDS
expect_seq '^0:000> l\+t$' '^Source options are 7:$' '^    1/t - Step/trace by source line$' \
	'^0:000> p$' "^> +$n_arg: " '^0:000> p$' "^> +$n_sig: " '^0:000> p$' "^> +$n_if: " \
	'^0:000> t$' "^> +$n_twice: " "^trace!main\+0x[0-9a-f]+ \[tests/programs/trace.c @ $n_twice\]:$" \
	'^0:000> t$' '^trace!twice \[tests/programs/trace.c @ [0-9]+\]:$' \
	'^0:000> t$' "^> +$n_a: " '^0:000> t$' '^trace!leaf \[' '^0:000> t$' "^> +$n_leaf: " \
	'^0:000> t$' '^trace!leaf\+0x[0-9a-f]+ \[' \
	'^0:000> p$' "^trace!twice\+0x[0-9a-f]+ \[tests/programs/trace.c @ $n_a\]:$" \
	'^0:000> p$' "^> +$n_b: " '^0:000> p$' "^> +$n_ret: " \
	'^0:000> l-t$' '^Source options are 6:$' \
	'^0:000> p$' "^trace!twice\+0x[0-9a-f]+ \[tests/programs/trace.c @ $n_ret\]:$" \
	'^0:000> p$' "^trace!twice\+0x[0-9a-f]+ \[tests/programs/trace.c @ $n_ret\]:$"

# t on a line whose call has no line information (write@plt) steps over it;
# a breakpoint inside a line's call stops the step.
dr7 "$PROGS/trace" <<'CMDS'
.lines -e
bp trace!say
g
l+t
t
t
bc *
bp trace!twice
.restart
g
l+t
t
bp trace!leaf
p
p
CMDS
expect_seq "^> +$n_write: " '^0:000> t$' '^hi$' '^trace!say\+0x[0-9a-f]+ \[' '^0:000> bc \*$'
expect_seq "^> +$n_a: " '^0:000> bp trace!leaf$' '^0:000> p$' '^Breakpoint 1 hit$' '^trace!leaf \[' \
	'^0:000> p$' "^> +$n_leaf: "
done_test
