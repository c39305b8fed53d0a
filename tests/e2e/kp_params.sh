# kp: every frame whose function has debug information shows its parameters
# with types and values between the function and its offset, as WinDbg
# prints them, each frame with its own values
# (outer walk frames their own depth), in the same format as dv /t; frames
# without debug information and plain k print as before.  The values are
# cross-checked against ?? and dv in the same run.
. tests/lib.sh
A='[0-9a-f]{8}`[0-9a-f]{8}'
dr7 "$PROGS/vars" 3 <<'CMDS'
bp walk
g
g
g
kp
?? ptr
.frame 3
dv /t argv
.frame 0
k
kp 2
~0kp 1
CMDS
row="^[0-9a-f]{2} $A $A     "
src=' \[.*vars\.c @ [0-9]+\]$'
walk_args="\(struct point \* p = 0x($A), int depth = 0n"
tag_arg=", char \* tag = 0x$A \"t\"\)"
expect_seq '^0:000> kp$' \
	"^00 $A $A     vars!walk${walk_args}1$tag_arg$src" \
	"^01 $A $A     vars!walk${walk_args}2$tag_arg\+0x[0-9a-f]+$src" \
	"^02 $A $A     vars!walk${walk_args}3$tag_arg\+0x[0-9a-f]+$src" \
	"^03 $A $A     vars!main\(int argc = 0n2, char \*\* argv = 0x$A\)\+0x[0-9a-f]+$src"
# _start has no debug information: no parameter list.
expect "^0[0-9a-f] $A $A     vars!_start\+0x[0-9a-f]+$"
# p is the global ptr in every walk frame; main's argv is what dv shows.
ptr=$(printf '%s\n' "$OUT" | sed -n 's/^point_t \* 0x\([0-9a-f`]*\)$/\1/p' | head -n 1)
[ -n "$ptr" ] || fail "?? ptr printed a pointer"
expect_count 6 "\(struct point \* p = 0x$ptr, "
expect_count 6 '\(struct point \* p = 0x'
argv=$(printf '%s\n' "$OUT" | sed -n 's/^ *char \*\* argv = 0x\([0-9a-f`]*\)$/\1/p' | head -n 1)
[ -n "$argv" ] || fail "dv /t printed argv"
expect "^03 .*vars!main\(int argc = 0n2, char \*\* argv = 0x$argv\)\+0x[0-9a-f]+ "
# k is unchanged; kp N and ~0kp N limit the rows.
expect_seq '^0:000> k$' "^00 $A $A     vars!walk$src" "^01 $A $A     vars!walk\+0x[0-9a-f]+$src"
expect_seq '^0:000> kp 2$' '^ # Child-SP' "^00 .*vars!walk${walk_args}1" "^01 .*vars!walk${walk_args}2$tag_arg\+0x[0-9a-f]+" \
	'^0:000> ~0kp 1$' '^ # Child-SP' "^00 .*vars!walk${walk_args}1"
expect_count 3 "^00 .*vars!walk${walk_args}1$tag_arg"
expect_count 2 "^01 .*vars!walk${walk_args}2$tag_arg\+0x"
expect_count 1 "^02 .*vars!walk${walk_args}3$tag_arg\+0x"
expect_not 'vars(32)?!.*<not available>'

# i386: parameters from the stack, 8-digit pointers.
B='[0-9a-f]{8}'
dr7 "$PROGS/vars32" 3 <<'CMDS'
bp walk
g
g
kp 3
CMDS
expect_seq '^0:000> kp 3$' \
	"^00 $B $B vars32!walk\(struct point \* p = 0x$B, int depth = 0n2, char \* tag = 0x$B \"t\"\)$src" \
	"^01 $B $B vars32!walk\(struct point \* p = 0x$B, int depth = 0n3, char \* tag = 0x$B \"t\"\)\+0x[0-9a-f]+$src" \
	"^02 $B $B vars32!main\(int argc = 0n2, char \*\* argv = 0x$B\)\+0x[0-9a-f]+$src"
expect_not 'vars(32)?!.*<not available>'
done_test
