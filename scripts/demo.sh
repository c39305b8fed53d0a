#!/bin/sh
# make demo: a scripted dr7 session on a bundled program (tests/programs/count.c):
# a software breakpoint with a pass count, a processor write breakpoint, the
# breakpoint list, a stack, registers, and a logging breakpoint that resumes.
set -e
BUILD=${BUILD:-build}
mkdir -p "$BUILD/programs"
cc -g -O0 -o "$BUILD/programs/count" tests/programs/count.c
echo "== dr7 demo: $BUILD/dr7 $BUILD/programs/count 8 =="
"$BUILD/dr7" "$BUILD/programs/count" 8 <<'CMDS'
$$ stop at the 3rd call of tick, watch every write of counter
bp tick 3
ba w8 counter ".echo counter written: ; ? poi(counter); gc"
bl
g
k
r rdi
bc 0
bp tick2 ".echo tick2 called; gc"
.bpcmds
g
q
CMDS
