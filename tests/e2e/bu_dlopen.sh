# bu on a function of a library loaded later by dlopen: unresolved in bl
# before the load, hit after it.
. tests/lib.sh
dr7 "$PROGS/dlopen_main" "$PROGS/libplug.so" <<'CMDS'
bu libplug!plug_func
bl
g
bl
? @rdi
g
? @rdi
g
CMDS
expect '^     0 e Disable Clear u                      0001 \(0001\) \(libplug!plug_func\)$'
expect 'ModLoad: .*libplug.so'
expect_count 2 '^Breakpoint 0 hit$'
expect_seq '^Breakpoint 0 hit$' '^libplug!plug_func:$' '0001 \(0001\)  0:\*\*\*\* libplug!plug_func$' 'Evaluate expression: 20 = ' 'Evaluate expression: 1 = '
expect '^plug=42$'
done_test
