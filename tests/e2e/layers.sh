# The layer check: dr7's own tree passes it with no known violation left
# (scripts/layers.allow is empty), and on a small tree
# built here each rule reports exactly the planted violations, no more: not
# the ones hidden in comments, strings or member calls.
. tests/lib.sh

check() {
	OUT=$(sh scripts/check_layers.sh "$@" 2>&1)
	RC=$?
	printf '%s\n' "---- check_layers.sh $* (rc=$RC)" "$OUT"
}

expect_rc() {
	[ "$RC" = "$1" ] || fail "exit status $1, got $RC"
}

# The whole line, as text (the lines are full of regex characters).
expect_line() {
	printf '%s\n' "$OUT" | grep -qxF -- "$1" || fail "the line: $1"
}

# ---- dr7 itself ----
check
expect_rc 0
expect_line 'layers: ok (0 allowed (known))'
expect_not '^violation: '
expect_not '^stale allow-list entry'
expect_not '^allowed \(known\): '

# ---- a tree with one violation of each kind ----
T="$TMPD/tree"
mkdir -p "$T/src/util" "$T/src/x86" "$T/src/expr" "$T/src/sym" "$T/src/engine" \
	"$T/src/target/ptrace" "$T/src/misc"
cat >"$T/src/util/u.h" <<'EOF'
int u_base(void);
int u_up(void);
EOF
# util calls engine: a call upward.
cat >"$T/src/util/u.c" <<'EOF'
#include "util/u.h"
int e_top(void);
int u_base(void) { return 1; }
int u_up(void) { return e_top(); }
EOF
# x86 and expr have the same rank: neither includes the other.
cat >"$T/src/x86/a.c" <<'EOF'
#include "util/u.h"
#include "expr/p.h"
int a_fn(void) { return u_base(); }
EOF
cat >"$T/src/expr/p.h" <<'EOF'
int p_fn(int n);
int q_fn(int n);
EOF
# p.c and q.c call each other: a call cycle.
cat >"$T/src/expr/p.c" <<'EOF'
#include "expr/p.h"
int p_fn(int n) { return n ? q_fn(n - 1) : 0; }
EOF
cat >"$T/src/expr/q.c" <<'EOF'
#include "expr/p.h"
int q_fn(int n) { return n ? p_fn(n - 1) : 1; }
EOF
# s1.h and s2.h include each other: an include cycle.
cat >"$T/src/sym/s1.h" <<'EOF'
#ifndef S1_H
#define S1_H
#include "sym/s2.h"
#endif
EOF
cat >"$T/src/sym/s2.h" <<'EOF'
#ifndef S2_H
#define S2_H
#include "sym/s1.h"
#endif
EOF
cat >"$T/src/sym/s.c" <<'EOF'
#include "sym/s1.h"
#include "engine/e.h"
int s_fn(void) { return 0; }
EOF
cat >"$T/src/target/ptrace/dr.h" <<'EOF'
/* dr.h: its names are private to target/ptrace/ (DR_SLOTS, dr_insert). */
#ifndef T_DR_H
#define T_DR_H
#define DR_SLOTS 4
enum dr_rw { DR_EXEC = 0, DR_WRITE = 1 };
struct dr_state { unsigned long addr[DR_SLOTS]; };
int dr_insert(struct dr_state *s, unsigned long addr);
#endif
EOF
cat >"$T/src/target/ptrace/dr.c" <<'EOF'
#include "target/ptrace/dr.h"
int dr_insert(struct dr_state *s, unsigned long addr) { s->addr[0] = addr; return 0; }
EOF
# The backend may do all of it.
cat >"$T/src/target/ptrace/pt.c" <<'EOF'
#include <sys/ptrace.h>
#include <sys/wait.h>
#include <stdio.h>
#include "target/ptrace/dr.h"
long pt_fn(int pid)
{
	struct dr_state s = { { 0 } };
	FILE *f = fopen("/proc/self/maps", "r");
	if (f) fclose(f);
	waitpid(pid, 0, 0);
	return ptrace(PTRACE_CONT, pid, 0, 0) + dr_insert(&s, 0);
}
EOF
cat >"$T/src/engine/e.h" <<'EOF'
int e_top(void);
EOF
# Everything the engine must not do, and things that only look like it.
cat >"$T/src/engine/e.c" <<'EOF'
#include <stdio.h>
#include <sys/wait.h>
#include "engine/e.h"
#include "target/ptrace/dr.h"
struct ops { int (*wait)(int); };
/* ptrace(PTRACE_CONT) reads "/proc/PID/maps", says DR_SLOTS */
// waitpid(pid) and dr_insert
static int by_member(struct ops *o) { return o->wait(1); }
int e_top(void)
{
	struct ops o = { 0 };
	char path[64];
	snprintf(path, sizeof(path), "/proc/%d/maps", 1);
	puts("ptrace( and DR_SLOTS only in a string");
	if (o.wait) by_member(&o);
	waitpid(-1, 0, 0);
	return DR_SLOTS + dr_insert(0, 0);
}
EOF
cat >"$T/src/misc/m.c" <<'EOF'
int m_fn(void) { return 0; }
EOF
cat >"$T/src/stray.c" <<'EOF'
int stray(void) { return 0; }
EOF
for c in "$T"/src/*/*.c "$T"/src/*/*/*.c; do
	rel=${c#"$T"/}
	mkdir -p "$T/build/$(dirname "$rel")"
	cc -c -I"$T/src" -o "$T/build/${rel%.c}.o" "$c" || fail "cc $rel"
done

: >"$TMPD/empty.allow"
BUILD=build check -r "$T" -a "$TMPD/empty.allow"
expect_rc 1
expect_line 'violation: calls src/util/u.c -> src/engine/e.c: util (0) may not call engine (3)'
expect_line '    uses e_top'
expect_line 'violation: include src/x86/a.c -> expr/p.h: x86 (1) may not include expr (1)'
expect_line '    at src/x86/a.c:2'
expect_line 'violation: include src/sym/s.c -> engine/e.h: sym (2) may not include engine (3)'
expect_line 'violation: call-cycle src/expr/p.c src/expr/q.c'
expect_line '    src/expr/p.c -> src/expr/q.c: q_fn'
expect_line 'violation: include-cycle src/sym/s1.h src/sym/s2.h'
expect_line 'violation: include src/engine/e.c -> target/ptrace/dr.h: only src/target/ptrace/ may include it'
expect_line 'violation: api src/engine/e.c: "/proc'
expect_line '    at src/engine/e.c:13'
expect_line 'violation: api src/engine/e.c: waitpid'
expect_line '    at src/engine/e.c:16'
expect_line '    undefined symbol in build/src/engine/e.o'
expect_line 'violation: api src/engine/e.c: DR_SLOTS (declared in target/ptrace/dr.h)'
expect_line '    at src/engine/e.c:17'
expect_line 'violation: api src/engine/e.c: dr_insert (declared in target/ptrace/dr.h)'
expect_line 'violation: tree src/stray.c: a file directly in src/ (it belongs in a layer folder)'
expect_line 'violation: tree src/misc/m.c: src/misc/ is not a layer folder'
expect_line 'layers: FAILED: 12 new violation(s), 0 stale allow-list entries, 0 allowed (known)'
expect_count 12 '^violation: '
# Not from comments, strings, member calls, nor from the backend itself.
expect_not 'api src/engine/e.c: ptrace'
expect_not 'api src/engine/e.c: wait$'
expect_not 'api src/target/'
expect_not 'include src/target/'
expect_not 'DR_EXEC|dr_rw|dr_state'

# Allowed, and stale: an entry that no longer occurs fails as a new violation does.
printf '%s\n' '# known' '' \
	'call-cycle src/expr/p.c src/expr/q.c' \
	'api src/engine/e.c: ptrace' >"$TMPD/some.allow"
BUILD=build check -r "$T" -a "$TMPD/some.allow"
expect_rc 1
expect_line 'allowed (known): call-cycle src/expr/p.c src/expr/q.c'
expect_not '^violation: call-cycle'
expect 'stale allow-list entry .*: api src/engine/e\.c: ptrace$'
expect_line 'layers: FAILED: 11 new violation(s), 1 stale allow-list entry, 1 allowed (known)'

# Every violation allowed: the check passes, and still names each one.
printf '%s\n' "$OUT" | sed -n 's/^violation: //p;s/^allowed (known): //p' >"$TMPD/all.allow"
BUILD=build check -r "$T" -a "$TMPD/all.allow"
expect_rc 0
expect_count 12 '^allowed \(known\): '
expect_line 'layers: ok (12 allowed (known))'
expect_not '^    at '
BUILD=build check -v -r "$T" -a "$TMPD/all.allow"
expect_rc 0
expect_line '    at src/engine/e.c:17'

# No object for a source: the check cannot run, and says why.
rm "$T/build/src/expr/q.o"
BUILD=build check -r "$T" -a "$TMPD/all.allow"
expect_rc 2
expect 'no object in build/ for src/expr/q\.c; build first'
done_test
