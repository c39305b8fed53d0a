#!/bin/sh
# Makes sure the Debian packages dr7 needs are installed.  As root it installs
# what is missing with apt-get; otherwise it names the packages and fails.
#   deps.sh build   libraries and headers to build dr7
#   deps.sh test    adds what the tests need (cmocka, gcc-multilib for i386 programs,
#                   debuginfod: a local server for the symbol-path test; Node and npm
#                   for the DAP suite)
#   deps.sh bench   adds gdb and lldb-19 (lldb-dap, W7's peer)
set -e
what=${1:-build}
pkgs="gcc make libelf-dev libdw-dev libdebuginfod-dev libzydis-dev libedit-dev libjansson-dev pkg-config"
case $what in
test) pkgs="$pkgs libcmocka-dev gcc-multilib elfutils binutils gdb debuginfod" ;;
bench) pkgs="$pkgs gdb lldb-19" ;;
esac
missing=""
for p in $pkgs; do
	dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q "ok installed" || missing="$missing $p"
done
# The DAP suite runs in Node: Debian's nodejs and npm unless a node with npm
# is there already (a nodejs package of another origin bundles npm).
if [ "$what" = test ] && ! { command -v node && command -v npm; } >/dev/null 2>&1; then
	missing="$missing nodejs npm"
fi
[ -z "$missing" ] && exit 0
if [ "$(id -u)" = 0 ] && command -v apt-get >/dev/null 2>&1; then
	echo "deps: installing$missing"
	export DEBIAN_FRONTEND=noninteractive
	apt-get update -qq >/dev/null
	# shellcheck disable=SC2086
	apt-get install -y -qq $missing >/dev/null
	exit 0
fi
echo "dr7 needs these Debian packages:$missing" >&2
echo "install them with: sudo apt-get install$missing" >&2
exit 1
