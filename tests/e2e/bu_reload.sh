# bu follows its library across dlclose and dlopen: unresolved while the
# library is unloaded, hit again after the reload.
. tests/lib.sh
dr7 "$PROGS/dlopen_main" "$PROGS/libplug.so" reload <<'CMDS'
bu libplug!plug_func ".echo plug hit; gc"
bp between_loads
g
bl
g
CMDS
expect_count 3 '^plug hit$'
expect '^plug=42$'
expect '^again=10$'
expect_seq '^Breakpoint 1 hit$' '^0:000> bl$' '^     0 e Disable Clear u  +0001 \(0001\) \(libplug!plug_func\) "\.echo plug hit; gc"$' '^plug hit$'
done_test
