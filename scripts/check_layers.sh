#!/bin/sh
# check_layers.sh — keeps dr7's layers honest: prints one line per violation
# of the architecture's rules and fails on any that scripts/layers.allow does
# not list.
#
#   check_layers.sh [-v] [-r ROOT] [-a ALLOW]
#     ROOT   the tree holding src/ (default: this script's ..)
#     ALLOW  the allow-list (default: ROOT/scripts/layers.allow)
#     -v     details (where, which symbols) for allowed violations too
#   $BUILD   the build directory holding src/**/*.o, relative to ROOT (default: build)
#
# The rules (layer = first folder under src/):
#   include  `#include "X/..."` names a layer X that is the file's own or ranks lower:
#            util 0 < x86 1, expr 1 < target 2, sym 2 < engine 3 < cmd 4 < front 5.
#            Layers of equal rank do not include each other; nothing outside
#            src/target/ptrace/ includes a target/ptrace/ header.
#   calls    the same ranks for the file graph of the objects (A -> B when A's
#            object leaves undefined a symbol B's object defines).
#   include-cycle, call-cycle   no strongly connected component of more than one file
#            (nor a file that includes itself).
#   api      outside src/target/ptrace/: no ptrace, wait/waitpid/wait4/waitid,
#            process_vm_readv/writev, dwfl_linux_proc_* (undefined symbols of the
#            objects, and calls in the sources), no raw syscall numbers for them, no
#            "/proc string, and nothing declared in src/target/ptrace/dr.h.
#   tree     no .c or .h directly in src/, every folder of src/ is a layer.
#
# Invariants: the sources are read with comments removed (and, for names, string
# literals emptied), so a comment never makes or hides a violation; a violation's
# line holds no line number, so it stays the same while the file around it
# changes and can be allow-listed by its exact text.  Every allow-list entry must
# still occur: a stale one fails too, so the list only shrinks.
# Exit status: 0 clean or only allowed, 1 a new violation or a stale entry,
# 2 the check could not run (no objects: build first).
set -u

usage() {
	echo "usage: $0 [-v] [-r ROOT] [-a ALLOW]" >&2
	exit 2
}

verbose=0
root=""
allow=""
while getopts vr:a: opt; do
	case $opt in
	v) verbose=1 ;;
	r) root=$OPTARG ;;
	a) allow=$OPTARG ;;
	*) usage ;;
	esac
done
shift $((OPTIND - 1))
[ $# = 0 ] || usage

here=$(pwd)
case $allow in "" | /*) ;; *) allow="$here/$allow" ;; esac
case $root in "" | /*) ;; *) root="$here/$root" ;; esac
[ -n "$root" ] || root=$(cd "$(dirname "$0")/.." && pwd)
cd "$root" || exit 2
[ -n "$allow" ] || allow=scripts/layers.allow
BUILD=${BUILD:-build}
BUILD=${BUILD%/}

if [ ! -d src ]; then
	echo "check_layers: no src/ in $root" >&2
	exit 2
fi

tmp=$(mktemp -d "${TMPDIR:-/tmp}/check_layers.XXXXXX") || exit 2
trap 'rm -rf "$tmp"' EXIT

LC_ALL=C
export LC_ALL
srcs=$(find src -type f \( -name '*.c' -o -name '*.h' \) | sort)
find "$BUILD/src" -type f -name '*.o' 2>/dev/null | sort >"$tmp/objs"

# The objects' external symbols, "FILE: NAME TYPE ...".  An object without
# external symbols is not an error.
if [ -s "$tmp/objs" ]; then
	# shellcheck disable=SC2046
	if ! nm -A -P -g $(cat "$tmp/objs") >"$tmp/nm" 2>"$tmp/nm.err"; then
		if grep -v ': no symbols$' "$tmp/nm.err" >&2; then
			echo "check_layers: nm failed" >&2
			exit 2
		fi
	fi
else
	: >"$tmp/nm"
fi

# Arguments in this order: the sources, then the object list, then nm's output.
# shellcheck disable=SC2086
awk -v verbose="$verbose" -v build="$BUILD" -v allowfile="$allow" \
	-v objsfile="$tmp/objs" -v nmfile="$tmp/nm" '
BEGIN {
	n = split("util 0 x86 1 expr 1 target 2 sym 2 engine 3 cmd 4 front 5", a, " ")
	for (i = 1; i < n; i += 2) rank[a[i]] = a[i + 1]
	n = split("ptrace wait waitpid wait4 waitid process_vm_readv process_vm_writev", a, " ")
	for (i = 1; i <= n; i++) forbcall[a[i]] = 1
	for (i = 1; i <= n; i++) { forbtok["SYS_" a[i]] = 1; forbtok["__NR_" a[i]] = 1 }
	PT = "src/target/ptrace/"
	DRH = PT "dr.h"
	read_drh()
	# Lines without any of these words need no token scan.
	words = ""
	for (t in drid) words = words "|" t
	for (t in forbtok) words = words "|" t
	for (t in forbcall) words = words "|" t
	words = "dwfl_linux_proc_" words
	nv = 0
	missing = ""
}

# Sets CODE (the line without comments; literals kept) and BARE (literals
# emptied too).  incom carries an open /* comment to the next line.
function strip(s,    out, bare, c, j, ch, n) {
	out = ""; bare = ""
	while (s != "") {
		if (incom) {
			j = index(s, "*/")
			if (!j) break
			s = substr(s, j + 2); incom = 0
			out = out " "; bare = bare " "
			continue
		}
		if (!match(s, "/\\*|//|[\"\047]")) { out = out s; bare = bare s; break }
		out = out substr(s, 1, RSTART - 1); bare = bare substr(s, 1, RSTART - 1)
		c = substr(s, RSTART, RLENGTH); s = substr(s, RSTART + RLENGTH)
		if (c == "//") break
		if (c == "/*") { incom = 1; continue }
		n = length(s)
		for (j = 1; j <= n; j++) {
			ch = substr(s, j, 1)
			if (ch == "\\") j++
			else if (ch == c) break
		}
		out = out c substr(s, 1, j); bare = bare c c
		s = substr(s, j + 1)
	}
	CODE = out; BARE = bare
}

# Every name dr.h declares: macros (not its include guard), struct, union and
# enum tags, enumerators, typedefs and functions.
function read_drh(    line, guard, depth, inenum, m, t, parts, i, n) {
	incom = 0; depth = 0; inenum = 0; guard = ""
	while ((getline line < DRH) > 0) {
		strip(line); line = BARE
		if (match(line, /^[ \t]*#[ \t]*ifndef[ \t]+[A-Za-z_][A-Za-z0-9_]*/)) {
			t = substr(line, RSTART, RLENGTH); sub(/.*[ \t]/, "", t); if (guard == "") guard = t
			continue
		}
		if (match(line, /^[ \t]*#[ \t]*define[ \t]+[A-Za-z_][A-Za-z0-9_]*/)) {
			t = substr(line, RSTART, RLENGTH); sub(/.*[ \t]/, "", t)
			if (t != guard) drid[t] = t
			continue
		}
		if (line ~ /^[ \t]*#/) continue
		m = line
		while (match(m, /(struct|union|enum)[ \t]+[A-Za-z_][A-Za-z0-9_]*/)) {
			t = substr(m, RSTART, RLENGTH); m = substr(m, RSTART + RLENGTH)
			split(t, parts, /[ \t]+/)
			drid[parts[2]] = parts[1] " " parts[2]
			if (parts[1] == "enum" && m ~ /^[ \t]*\{/) inenum = 1
		}
		if (inenum) {
			m = line; sub(/.*\{/, "", m); sub(/\}.*/, "", m)
			n = split(m, parts, ",")
			for (i = 1; i <= n; i++)
				if (match(parts[i], /[A-Za-z_][A-Za-z0-9_]*/)) drid[substr(parts[i], RSTART, RLENGTH)] = substr(parts[i], RSTART, RLENGTH)
			if (line ~ /\}/) inenum = 0
			continue
		}
		if (depth == 0 && line ~ /^[ \t]*typedef/ && match(line, /\([ \t]*\*[ \t]*[A-Za-z_][A-Za-z0-9_]*[ \t]*\)/)) {
			t = substr(line, RSTART, RLENGTH); gsub(/[()* \t]/, "", t); drid[t] = t
			t = line; depth += gsub(/\{/, "", t); t = line; depth -= gsub(/\}/, "", t)
			continue
		}
		if (depth == 0 && match(line, /[A-Za-z_][A-Za-z0-9_]*[ \t]*\(/)) {
			t = substr(line, RSTART, RLENGTH); sub(/[ \t]*\($/, "", t)
			drid[t] = t; drfunc[t] = 1
		}
		if (depth == 0 && line ~ /^[ \t]*typedef/ && match(line, /[A-Za-z_][A-Za-z0-9_]*[ \t]*;/)) {
			t = substr(line, RSTART, RLENGTH); sub(/[ \t]*;$/, "", t); drid[t] = t
		}
		t = line; depth += gsub(/\{/, "", t); t = line; depth -= gsub(/\}/, "", t)
	}
	close(DRH)
	incom = 0
}

function layer(path,    p) {
	p = path; sub(/^src\//, "", p)
	if (p !~ /\//) return ""
	sub(/\/.*/, "", p)
	return p
}

# How an api violation names what it uses.
function apiname(t) { return (t in drid) ? drid[t] " (declared in target/ptrace/dr.h)" : t }

function private_pt(path) { return substr(path, 1, length(PT)) == PT }

# Records violation v; where (optional) is one more detail line to show.
function add(v, where) {
	if (!(v in vio)) { vio[v] = 1; vlist[++nv] = v; nwhere[v] = 0 }
	if (where != "" && !((v, where) in seenwhere)) {
		seenwhere[v, where] = 1
		wh[v, ++nwhere[v]] = where
	}
}

# Records violation v at a line of the source being read: "at FILE:L1, L2, ...".
function addat(v) {
	add(v, "")
	if (lastat[v] == FNR) return
	lastat[v] = FNR
	if (!(v in atline)) { atline[v] = ++nwhere[v]; wh[v, atline[v]] = "at " FILENAME ":" FNR; natl[v] = 1 }
	else if (natl[v] < 8) { wh[v, atline[v]] = wh[v, atline[v]] ", " FNR; natl[v]++ }
	else if (natl[v] == 8) { wh[v, atline[v]] = wh[v, atline[v]] ", ..."; natl[v]++ }
}

# Why a dependency from layer lf to layer lt is wrong, or "" when it is fine.
function against(lf, lt, verb) {
	if (lf == lt) return ""
	if (!(lt in rank)) return lt " is not a layer"
	if (!(lf in rank)) return ""	# reported once as a tree violation
	if (rank[lf] > rank[lt]) return ""
	return lf " (" rank[lf] ") may not " verb " " lt " (" rank[lt] ")"
}

function edge(g, from, to) {
	if ((g, from, to) in has) return
	has[g, from, to] = 1
	adj[g, from, ++deg[g, from]] = to
}

# Tarjan: every strongly connected component of graph g reachable from v.
function scc(g, v,    i, w, members, n, list, j, k, t) {
	idx[g, v] = low[g, v] = ++counter[g]
	stk[g, ++sp[g]] = v; onst[g, v] = 1
	for (i = 1; i <= deg[g, v]; i++) {
		w = adj[g, v, i]
		if (!((g, w) in idx)) {
			scc(g, w)
			if (low[g, w] < low[g, v]) low[g, v] = low[g, w]
		} else if (onst[g, w] && idx[g, w] < low[g, v])
			low[g, v] = idx[g, w]
	}
	if (low[g, v] != idx[g, v]) return
	n = 0
	do {
		w = stk[g, sp[g]--]; onst[g, w] = 0
		list[++n] = w
	} while (w != v)
	if (n == 1 && !((g, v, v) in has)) return
	for (i = 2; i <= n; i++) {
		t = list[i]
		for (j = i - 1; j >= 1 && list[j] > t; j--) list[j + 1] = list[j]
		list[j + 1] = t
	}
	members = list[1]
	for (i = 2; i <= n; i++) members = members " " list[i]
	t = (g == "inc" ? "include-cycle " : "call-cycle ") members
	add(t, "")
	for (i = 1; i <= n; i++)
		for (j = 1; j <= n; j++)
			if ((g, list[i], list[j]) in has)
				add(t, list[i] " -> " list[j] (g == "call" ? ": " esyms[list[i], list[j]] : ""))
}

# ---- the sources ----
FILENAME ~ /^src\// {
	if (FNR == 1) {
		incom = 0
		issrc[FILENAME] = 1; srcs[++nsrc] = FILENAME
		L = layer(FILENAME)
		if (L == "") add("tree " FILENAME ": a file directly in src/ (it belongs in a layer folder)", "")
		else if (!(L in rank)) add("tree " FILENAME ": src/" L "/ is not a layer folder", "")
		outside = !private_pt(FILENAME)
	}
	strip($0)
	if (match(CODE, /^[ \t]*#[ \t]*include[ \t]*"[^"]*"/)) {
		h = substr(CODE, RSTART, RLENGTH); sub(/^[^"]*"/, "", h); sub(/"$/, "", h)
		if (h !~ /\//)
			addat("include " FILENAME " -> " h ": an include names its layer folder")
		else {
			# The front end picks the backend: it alone may name ptrace.h.
			if (outside && substr(h, 1, 14) == "target/ptrace/" && \
			    !(h == "target/ptrace/ptrace.h" && layer(FILENAME) == "front"))
				addat("include " FILENAME " -> " h ": only src/target/ptrace/ may include it")
			why = against(L, layer("src/" h), "include")
			if (why != "") addat("include " FILENAME " -> " h ": " why)
			incs[++ninc] = FILENAME SUBSEP "src/" h
		}
	}
	if (!outside) next
	if (index(CODE, "\"/proc")) addat("api " FILENAME ": \"/proc")
	if (BARE !~ words) next
	s = BARE
	while (match(s, /[A-Za-z_][A-Za-z0-9_]*/)) {
		t = substr(s, RSTART, RLENGTH); pre = substr(s, 1, RSTART - 1); s = substr(s, RSTART + RLENGTH)
		if (t in drid)
			addat("api " FILENAME ": " apiname(t))
		else if ((t in forbtok) || t ~ /^dwfl_linux_proc_/)
			addat("api " FILENAME ": " t)
		else if ((t in forbcall) && s ~ /^[ \t]*\(/ && pre !~ /(->|\.)[ \t]*$/)
			addat("api " FILENAME ": " t)
	}
	next
}

# ---- the objects: build/src/x/y.o is src/x/y.c ----
FILENAME == objsfile {
	c = substr($0, length(build) + 2); sub(/\.o$/, ".c", c)
	if (c in issrc) { obj2src[$0] = c; hasobj[c] = 1 }
	next
}

FILENAME == nmfile {
	o = $1; sub(/:$/, "", o)
	if (!(o in obj2src)) next	# an object whose source is gone
	c = obj2src[o]
	if ($3 == "U" || $3 == "w" || $3 == "v") { uses[++nuse] = c SUBSEP $2; next }
	if ($2 in def && def[$2] != c) ambiguous[$2] = 1
	else def[$2] = c
	next
}

END {
	for (i = 1; i <= nsrc; i++)
		if (srcs[i] ~ /\.c$/ && layer(srcs[i]) != "" && !(srcs[i] in hasobj))
			missing = missing " " srcs[i]
	if (missing != "") {
		print "check_layers: no object in " build "/ for" missing "; build first (make)" > "/dev/stderr"
		exit 2
	}

	for (i = 1; i <= ninc; i++) {
		split(incs[i], e, SUBSEP)
		if (e[2] in issrc) edge("inc", e[1], e[2])
	}
	for (i = 1; i <= nuse; i++) {
		split(uses[i], e, SUBSEP)
		c = e[1]; sym = e[2]
		if (!private_pt(c) && ((sym in forbcall) || (sym in drfunc) || sym ~ /^dwfl_linux_proc_/))
			add("api " c ": " apiname(sym), "undefined symbol in " build "/" substr(c, 1, length(c) - 2) ".o")
		if (!(sym in def) || (sym in ambiguous) || def[sym] == c) continue
		d = def[sym]
		if (!((c, d) in esyms)) esyms[c, d] = sym
		else if (length(esyms[c, d]) < 60) esyms[c, d] = esyms[c, d] ", " sym
		else if (esyms[c, d] !~ /\.\.\.$/) esyms[c, d] = esyms[c, d] ", ..."
		edge("call", c, d)
	}
	for (i = 1; i <= nsrc; i++)
		for (j = 1; j <= deg["call", srcs[i]]; j++) {
			c = srcs[i]; d = adj["call", c, j]
			why = against(layer(c), layer(d), "call")
			if (why != "") add("calls " c " -> " d ": " why, "uses " esyms[c, d])
		}
	for (i = 1; i <= nsrc; i++) {
		if (!(("inc", srcs[i]) in idx)) scc("inc", srcs[i])
		if (!(("call", srcs[i]) in idx)) scc("call", srcs[i])
	}

	# Sorted, so that the report reads the same every time.
	for (i = 2; i <= nv; i++) {
		t = vlist[i]
		for (j = i - 1; j >= 1 && vlist[j] > t; j--) vlist[j + 1] = vlist[j]
		vlist[j + 1] = t
	}

	nallow = 0
	while ((getline line < allowfile) > 0) {
		sub(/[ \t\r]+$/, "", line)
		if (line == "" || line ~ /^#/) continue
		if (!(line in allowed)) { allowed[line] = 1; alist[++nallow] = line }
	}
	close(allowfile)

	nok = 0; nnew = 0; nstale = 0
	for (i = 1; i <= nv; i++) {
		v = vlist[i]
		if (!(v in allowed)) continue
		nok++
		print "allowed (known): " v
		if (verbose) for (j = 1; j <= nwhere[v]; j++) print "    " wh[v, j]
	}
	for (i = 1; i <= nallow; i++)
		if (!(alist[i] in vio)) {
			nstale++
			print "stale allow-list entry (fixed: delete it from " allowfile "): " alist[i]
		}
	for (i = 1; i <= nv; i++) {
		v = vlist[i]
		if (v in allowed) continue
		nnew++
		print "violation: " v
		for (j = 1; j <= nwhere[v]; j++) print "    " wh[v, j]
	}
	if (nnew + nstale == 0) {
		print "layers: ok (" nok " allowed (known))"
		exit 0
	}
	print "layers: FAILED: " nnew " new violation(s), " nstale " stale allow-list entr" (nstale == 1 ? "y" : "ies") ", " nok " allowed (known)"
	exit 1
}
' $srcs "$tmp/objs" "$tmp/nm"
