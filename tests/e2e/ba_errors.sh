# Rejected ba requests print one error and change nothing.  Any size and
# alignment is accepted for watches (dr7's extension: debug registers where
# aligned pieces fit, pages otherwise); execute breakpoints need debug
# registers: a watch there moves to pages for one, and with four execute
# breakpoints a fifth fails; bd frees one; be of the disabled one then
# fails clearly.
. tests/lib.sh
dr7 "$PROGS/watch" loop 3 <<'CMDS'
ba w4 g4+1
ba w3 g4
ba w0 g4
ba w 0x1000001 g4
ba w 0n16777217 g4
ba w2x g4
ba e4 target
ba i4 g4
ba w4 /p 0 g4
ba x4 g4
bl
ba e1 target
ba e1 target+1
ba e1 target+2
ba e1 target+3
bl
ba e1 target+4
bl
bd 4
ba e1 target+4
be 4
bl
CMDS
expect '^     0 e Disable Clear  [0-9a-f]{8}`[0-9a-f]{8} w 4 0001 \(0001\)  0:\*\*\*\* watch!g4\+0x1 \[dr0\+dr1\+dr2\]$'
expect '^     1 e Disable Clear  [0-9a-f]{8}`[0-9a-f]{8} w 3 0001 \(0001\)  0:\*\*\*\* watch!g4 \[page\]$'
expect_count 3 'Size must be between 1 and 16 MiB'
expect_seq '^0:000> ba w2x g4$' 'Syntax error'
expect 'Execute breakpoints must have size 1'
expect 'I/O breakpoints .* not supported'
expect 'not supported: /p'
expect 'ba needs an access type e, r, w, l or i'
expect_seq '^0:000> ba e1 target\+3$' '^0:000> bl$' ' w 4 0001 .* watch!g4\+0x1 \[page\]$' ' w 3 0001 .*\[page\]$' ' e 1 0001 .*watch!target \[dr[0-3]\]$'
expect_seq '^0:000> ba e1 target\+4$' '4 debug registers|all in use'
expect_seq '^0:000> bd 4$' '^0:000> ba e1 target\+4$' '^0:000> be 4$' 'Breakpoint 4 could not be enabled: .*4 debug registers|all in use'
done_test
