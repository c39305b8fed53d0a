#!/bin/sh
# Runs every test of dr7 and ends with one line "N passed, N failed".
#   unit: the cmocka programs built by make in $BUILD/tests/
#   e2e:  tests/e2e/*.sh, each driving $BUILD/dr7 on a program from
#         tests/programs/ (built here) and checking what a user sees.
#   dap:  tests/dap/dap.test.js (Node), each scenario a test, against
#         $BUILD/dr7 --dap.
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

# ---- the DAP suite (Node) ----
# tests/dap/dap.test.js with Microsoft's DAP test client, installed from npm
# into tests/dap/node_modules the first time (package-lock.json pins it).
# Each scenario counts as a test; one the engine cannot serve yet is skipped.
skipped=0
dap_log="$BUILD/e2e/dap.log"
if ! command -v node >/dev/null 2>&1 || ! command -v npm >/dev/null 2>&1; then
	echo "FAIL dap  Node and npm are needed for the DAP suite (Debian: apt-get install nodejs npm)"
	failed=$((failed + 1))
	failures="$failures dap"
elif [ ! -d tests/dap/node_modules/@vscode/debugadapter-testsupport ] &&
	! (cd tests/dap && npm ci --no-audit --no-fund >"../../$BUILD/e2e/npm.log" 2>&1); then
	echo "FAIL dap  cannot fetch @vscode/debugadapter-testsupport from the npm registry (see $BUILD/e2e/npm.log)"
	tail -n 5 "$BUILD/e2e/npm.log" | sed 's/^/     /'
	failed=$((failed + 1))
	failures="$failures dap"
else
	(cd tests/dap && BUILD="$BUILD" timeout 1800 node --test --test-reporter=tap dap.test.js) >"$dap_log" 2>&1
	p=$(sed -n 's/^# pass \([0-9]*\)$/\1/p' "$dap_log" | tail -n 1)
	f=$(sed -n 's/^# fail \([0-9]*\)$/\1/p' "$dap_log" | tail -n 1)
	c=$(sed -n 's/^# cancelled \([0-9]*\)$/\1/p' "$dap_log" | tail -n 1)
	k=$(sed -n 's/^# skipped \([0-9]*\)$/\1/p' "$dap_log" | tail -n 1)
	p=${p:-0}
	f=$((${f:-0} + ${c:-0}))
	k=${k:-0}
	[ "$p" = 0 ] && [ "$f" = 0 ] && f=1	# no report: the suite did not run
	passed=$((passed + p))
	failed=$((failed + f))
	skipped=$((skipped + k))
	if [ "$f" != 0 ]; then
		echo "FAIL dap  $f of the DAP scenarios (see $dap_log)"
		grep -E '^not ok' "$dap_log" | head -n 20 | sed 's/^/     /'
		failures="$failures dap"
	else
		if [ "$k" != 0 ]; then echo "ok   dap  $p scenarios, $k skipped"; else echo "ok   dap  $p scenarios"; fi
		grep -E '# SKIP' "$dap_log" | sed 's/^/     /'
	fi
fi

[ -n "$failures" ] && echo "failed:$failures"
if [ "$skipped" != 0 ]; then
	echo "$passed passed, $failed failed, $skipped skipped"
else
	echo "$passed passed, $failed failed"
fi
[ "$failed" = 0 ]
