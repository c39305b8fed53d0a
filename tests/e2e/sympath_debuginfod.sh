# .sympath and .reload drive the search for separate debug information: a
# stripped copy of memmap has only its dynamic symbols until .sympath names
# a debuginfod server (Debian's debuginfod, started here on 127.0.0.1 with
# a private database and serving only the program's debug file) and
# .reload reads it again; lm and lmv then say where the symbols came from;
# srv*Cache*URL puts the file in that cache; a local directory with a
# .build-id tree serves the same file; a server that does not answer
# leaves the module as it was (a cache of its own: the client remembers
# misses).  The server, its database and every cache
# are removed however the test ends.
. tests/lib.sh
srv_pid=""
cleanup() {
	if [ -n "$srv_pid" ]; then
		kill "$srv_pid" 2>/dev/null
		wait "$srv_pid" 2>/dev/null
	fi
	rm -rf "$TMPD"
}
trap cleanup EXIT
trap 'exit 1' INT TERM HUP
command -v debuginfod >/dev/null && command -v debuginfod-find >/dev/null || {
	echo "debuginfod is not installed (scripts/deps.sh test installs it)"
	exit 1
}
prog="$TMPD/prog"
cp "$PROGS/memmap" "$prog"
mkdir -p "$TMPD/served" "$TMPD/local"
objcopy --only-keep-debug "$prog" "$TMPD/served/prog.debug"
objcopy --strip-debug --strip-unneeded "$prog"
id=$(readelf -n "$prog" | sed -n 's/.*Build ID: *\([0-9a-f]*\).*/\1/p')
[ -n "$id" ] || fail "the program has a build id"
dir2=$(printf %s "$id" | cut -c1-2)
rest=$(printf %s "$id" | cut -c3-)
mkdir -p "$TMPD/local/.build-id/$dir2"
cp "$TMPD/served/prog.debug" "$TMPD/local/.build-id/$dir2/$rest.debug"
if readelf -S "$prog" | grep -q 'debug_info\|\.symtab'; then fail "the copy is stripped"; fi

# A free port on 127.0.0.1, then the server; another process may take the
# port between the two, so a server that dies at once is started again.
unset DEBUGINFOD_URLS
export DEBUGINFOD_CACHE_PATH="$TMPD/cache"
tries=0
while :; do
	port=$(python3 -c 'import socket; s = socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1])')
	debuginfod -F -p "$port" -d "$TMPD/db.sqlite" -t 0 -g 0 "$TMPD/served" >"$TMPD/server.log" 2>&1 &
	srv_pid=$!
	# Ready when it answers for the program's build id (a probe cache of its
	# own, emptied before each try: the client remembers a miss).
	n=0
	until rm -rf "$TMPD/probe" && DEBUGINFOD_URLS="http://127.0.0.1:$port" DEBUGINFOD_CACHE_PATH="$TMPD/probe" \
		debuginfod-find debuginfo "$id" >/dev/null 2>&1; do
		kill -0 "$srv_pid" 2>/dev/null || break
		n=$((n + 1))
		[ "$n" -lt 5000 ] || break
	done
	if kill -0 "$srv_pid" 2>/dev/null && [ "$n" -lt 5000 ]; then break; fi
	kill "$srv_pid" 2>/dev/null; wait "$srv_pid" 2>/dev/null; srv_pid=""
	tries=$((tries + 1))
	[ "$tries" -lt 5 ] || { fail "debuginfod did not start: $(tail -n 3 "$TMPD/server.log")"; done_test; }
done
url="http://127.0.0.1:$port"
dead=$(python3 -c 'import socket; s = socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1])')

dr7 "$prog" <<CMDS
lmv m prog
x prog!stopped_here
.sympath srv*$TMPD/deadcache*http://127.0.0.1:$dead
.reload
lm m prog
.sympath srv*$url
.reload
lmv m prog
lm m prog
x prog!stopped_here
x prog!counter
bp stopped_here
g
kp 1
.sympath srv*$TMPD/cache2*$url
.reload /f
lmv m prog
.sympath $TMPD/local
.sympath
.reload
lmv m prog
.sympath+ srv*$url
.sympath ""
.reload
lm m prog
q
CMDS
expect_seq '^0:000> lmv m prog$' '   prog +\(export symbols\) ' "^    Build ID: +$id\$" \
	'^    Symbols from: +the image.s dynamic symbols only'
expect_seq '^0:000> x prog!stopped_here$' '^0:000> \.sympath srv\*'
expect_not '^[0-9a-f`]+ prog!stopped_here$'
# A server that does not answer: nothing changes, no error of the session's.
expect_seq "^0:000> \\.sympath srv\\*$TMPD/deadcache\\*http://127\\.0\\.0\\.1:$dead\$" \
	"^Symbol search path is: srv\\*$TMPD/deadcache\\*http://127\\.0\\.0\\.1:$dead\$" \
	'^0:000> \.reload$' '^Reloading current modules$' '^0:000> lm m prog$' '   prog +\(export symbols\) '
# From the server.
expect_seq "^0:000> \\.sympath srv\\*$url\$" "^Symbol search path is: srv\\*$url\$" '^0:000> \.reload$' \
	'^0:000> lmv m prog$' "   prog +\\(private pdb symbols\\) +$TMPD/cache/$id/debuginfo\$" \
	"^    Image path: $prog\$" "^    Symbol file: +$TMPD/cache/$id/debuginfo\$" "^    Symbols from: +debuginfod $url\$"
[ -s "$TMPD/cache/$id/debuginfo" ] || fail "the debug file is in the private cache"
cmp -s "$TMPD/cache/$id/debuginfo" "$TMPD/served/prog.debug" || fail "the cached file is the served one"
expect_seq '^0:000> x prog!stopped_here$' '^[0-9a-f]{8}`[0-9a-f]{8} prog!stopped_here \(int, char \*\)$'
expect_seq '^0:000> x prog!counter$' '^[0-9a-f]{8}`[0-9a-f]{8} prog!counter = 0n5$'
expect_seq '^0:000> kp 1$' 'prog!stopped_here\(int depth = 0n3, char \* why = 0x[0-9a-f`]+ "test"\) \[tests/programs/memmap\.c @ 40\]$'
# srv*Cache*URL: that cache.
expect_seq "^0:000> \\.sympath srv\\*$TMPD/cache2\\*$url\$" '^0:000> lmv m prog$' \
	"^    Symbol file: +$TMPD/cache2/$id/debuginfo\$" "^    Symbols from: +debuginfod $url\$"
[ -s "$TMPD/cache2/$id/debuginfo" ] || fail "srv*Cache*URL used its cache"
# A local directory's .build-id tree.
expect_seq "^0:000> \\.sympath $TMPD/local\$" "^Symbol search path is: $TMPD/local\$" '^0:000> lmv m prog$' \
	"^    Symbol file: +$TMPD/local/.build-id/$dir2/$rest\\.debug\$" '^    Symbols from: +a separate debug file found locally$'
# .sympath+ appends an entry.
expect_seq "^0:000> \\.sympath\\+ srv\\*$url\$" "^Symbol search path is: $TMPD/local;srv\\*$url\$"
expect_seq '^0:000> \.sympath$' "^Symbol search path is: $TMPD/local\$"
# An empty path: back to the image's own symbols.
expect_seq '^0:000> \.sympath ""$' '^Symbol search path is: <empty>$' '^0:000> \.reload$' '^0:000> lm m prog$' \
	'   prog +\(export symbols\) '
done_test
