# Helpers for end-to-end tests (sourced by tests/e2e/*.sh).
#   dr7 ARGS...      runs $BUILD/dr7 with the commands on standard input;
#                    its output goes to $OUT (and the test's log)
#   dr7_pty ARGS...  runs $BUILD/dr7 at a pseudo-terminal, typing the steps
#                    on standard input (tests/pty_session.py); $OUT is the screen
#   expect RE        some line matches the extended regular expression
#   expect_count N RE exactly N lines match
#   expect_not RE    no line matches
#   expect_seq RE... the lines appear in this order
#   done_test        exits 0 when every expectation held
# DR7_LIMIT (seconds, default 240) bounds each dr7 run, only so that a hang
# becomes a failure (SIGTERM, then SIGKILL 5 s later if dr7 is stuck); a
# test that expects quick runs may set it lower.
BUILD=${BUILD:-build}
DR7="$BUILD/dr7"
PROGS="$BUILD/programs"
fails=0
OUT=""
TMPD=$(mktemp -d "${TMPDIR:-/tmp}/dr7-e2e.XXXXXX")
trap 'rm -rf "$TMPD"' EXIT

dr7() {
	OUT=$(timeout -k 5 "${DR7_LIMIT:-240}" "$DR7" "$@" 2>&1)
	RC=$?
	printf '%s\n' "---- dr7 $* (rc=$RC)" "$OUT"
	# A sanitizer report, a crash or a hang is a failure whatever else matched.
	if printf '%s\n' "$OUT" | grep -Eq 'ERROR: (Address|Leak)Sanitizer|runtime error:|SUMMARY: .*Sanitizer'; then
		fail "a sanitizer report in dr7's output"
	fi
	[ "$RC" -lt 124 ] || fail "dr7 ended with status $RC (crash or time limit)"
}

dr7_pty() {
	OUT=$(python3 tests/pty_session.py "$DR7" "$@" 2>&1)
	RC=$?
	printf '%s\n' "---- dr7 (at a terminal) $* (rc=$RC)" "$OUT"
	if printf '%s\n' "$OUT" | grep -Eq 'ERROR: (Address|Leak)Sanitizer|runtime error:|SUMMARY: .*Sanitizer'; then
		fail "a sanitizer report in dr7's output"
	fi
	[ "$RC" = 0 ] || fail "the terminal session failed (status $RC)"
}

fail() {
	echo "EXPECTATION FAILED: $*"
	fails=$((fails + 1))
}

expect() {
	printf '%s\n' "$OUT" | grep -Eq -- "$1" || fail "a line matching: $1"
}

expect_count() {
	got=$(printf '%s\n' "$OUT" | grep -Ec -- "$2")
	[ "$got" = "$1" ] || fail "$1 lines matching '$2', got $got"
}

expect_not() {
	if printf '%s\n' "$OUT" | grep -Eq -- "$1"; then fail "no line matching: $1"; fi
}

expect_seq() {
	rest=$OUT
	for re in "$@"; do
		line=$(printf '%s\n' "$rest" | grep -En -- "$re" | head -n 1 | cut -d: -f1)
		if [ -z "$line" ]; then
			fail "in order, a line matching: $re"
			return
		fi
		rest=$(printf '%s\n' "$rest" | tail -n +$((line + 1)))
	done
}

done_test() {
	[ "$fails" = 0 ] && exit 0
	exit 1
}
