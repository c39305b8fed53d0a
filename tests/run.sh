#!/bin/sh
# Runs every test of dr7 and ends with one line "N passed, N failed".
#   unit: the cmocka programs built by make in $BUILD/tests/
#   e2e:  tests/e2e/*.sh, each driving $BUILD/dr7 on a program from
#         tests/programs/ (built here) and checking what a user sees.
# Each e2e test runs under a time limit only to turn a hang into a failure;
# nothing here measures time.
BUILD=${BUILD:-build}
export BUILD
top=$(cd "$(dirname "$0")/.." && pwd)
cd "$top" || exit 2
passed=0
failed=0
failures=""

# ---- test programs ----
progs="$BUILD/programs"
mkdir -p "$progs"
for src in tests/programs/*.c; do
	name=$(basename "$src" .c)
	flags=$(sed -n '1,3s/.*build: *\([^*]*\).*/\1/p' "$src" | head -n 1)
	out="$progs/$name"
	case " $flags " in *" -shared "*) out="$progs/lib$name.so" ;; esac
	if [ ! -e "$out" ] || [ "$src" -nt "$out" ]; then
		# shellcheck disable=SC2086
		if ! cc -g -O0 $flags -o "$out" "$src"; then
			echo "FAIL build $src"
			failed=$((failed + 1))
			failures="$failures build:$name"
		fi
	fi
done

# ---- unit tests ----
for t in "$BUILD"/tests/test_*; do
	[ -x "$t" ] || continue
	name=$(basename "$t")
	log="$BUILD/tests/$name.log"
	if "$t" >"$log" 2>&1; then rc=0; else rc=$?; fi
	p=$(sed -n 's/^\[  PASSED  \] \([0-9]*\) test.*/\1/p' "$log" | tail -n 1)
	f=$(sed -n 's/^\[  FAILED  \] \([0-9]*\) test.*/\1/p' "$log" | tail -n 1)
	p=${p:-0}
	f=${f:-0}
	if [ "$rc" != 0 ] && [ "$f" = 0 ]; then f=1; fi
	passed=$((passed + p))
	failed=$((failed + f))
	if [ "$f" != 0 ]; then
		echo "FAIL unit $name (see $log)"
		grep -E '^\[  (FAILED|ERROR) \]|Failure|error' "$log" | head -n 10
		failures="$failures $name"
	else
		echo "ok   unit $name ($p)"
	fi
done

# ---- end-to-end tests ----
mkdir -p "$BUILD/e2e"
for t in tests/e2e/*.sh; do
	[ -e "$t" ] || continue
	name=$(basename "$t" .sh)
	log="$BUILD/e2e/$name.log"
	if timeout 300 sh "$t" >"$log" 2>&1; then
		passed=$((passed + 1))
		echo "ok   e2e  $name"
	else
		failed=$((failed + 1))
		failures="$failures $name"
		echo "FAIL e2e  $name (see $log)"
		tail -n 25 "$log" | sed 's/^/     /'
	fi
done

[ -n "$failures" ] && echo "failed:$failures"
echo "$passed passed, $failed failed"
[ "$failed" = 0 ]
