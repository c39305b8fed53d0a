# !address: every mapping of /proc/PID/maps (copied by the program itself)
# is listed with its range and WinDbg's protection, and each kind of region
# is named: the program's image, the brk heap, both threads' stacks (and
# the guard page below the second's), a mapped file, anonymous pages, an
# inaccessible page, the free space between; !address Address shows one.
. tests/lib.sh
maps="$TMPD/maps"
file="$TMPD/mapped.txt"
echo "a file mapped by memmap" >"$file"
dr7 "$PROGS/memmap" "$file" "$maps" <<'CMDS'
bp stopped_here
g
!address
!address poi(anon_base)
!address poi(anon_base)+1000
!address stopped_here
!address poi(heap_text)
!address poi(mapped_file)
!address @rsp
!address 10
!address -summary
!address nosuchsymbol
q
CMDS
[ -s "$maps" ] || fail "the program wrote its maps"
# WinDbg's listing form of an address: the high half unpadded, a backtick, 8 digits.
# (Split as text: the shell's arithmetic is signed 64-bit.)
la() {
	hi=$(printf '%s' "$1" | sed 's/........$//')
	printf '%9s`%s' "${hi:-0}" "${1#"$hi"}"
}
prot() {
	case $1 in
	r-x*) echo PAGE_EXECUTE_READ ;; rwx*) echo PAGE_EXECUTE_READWRITE ;; --x*) echo PAGE_EXECUTE ;;
	rw-*) echo PAGE_READWRITE ;; r--*) echo PAGE_READONLY ;; *) echo PAGE_NOACCESS ;;
	esac
}
n=0
while read -r range perms _ _ _ _; do
	lo=${range%-*}; hi=${range#*-}
	# Sizes fit in 48 bits: the last 12 digits of each end give them.
	size=$(printf '%08x' $(( 0x$(printf '%s' "$hi" | rev | cut -c1-12 | rev) - 0x$(printf '%s' "$lo" | rev | cut -c1-12 | rev) )))
	re="^[+ ]$(la "$lo") $(la "$hi") $(la "$size") .* $(prot "$perms") "
	printf '%s\n' "$OUT" | grep -Eq -- "$re" || fail "the mapping $range $perms listed: $re"
	n=$((n + 1))
done <"$maps"
[ "$n" -gt 10 ] || fail "more than 10 mappings checked (got $n)"
expect '^ +BaseAddress +EndAddress\+1 +RegionSize +Type +State +Protect +Usage$'
exe=$(readlink -f "$PROGS/memmap")
code=$(awk -v p="$exe" '$6 == p && $2 ~ /x/ { print $1; exit }' "$maps")
expect "^ $(la "${code%-*}") $(la "${code#*-}") .*MEM_IMAGE   MEM_COMMIT  PAGE_EXECUTE_READ +Image +\\[memmap; \"$exe\"\\]$"
heap=$(awk '$6 == "[heap]" { print $1 }' "$maps")
expect "^\\+$(la "${heap%-*}") $(la "${heap#*-}") .*MEM_PRIVATE MEM_COMMIT  PAGE_READWRITE +Heap +\\[brk heap\\]$"
mainstack=$(awk '$6 == "[stack]" { print $1 }' "$maps")
expect "^\\+$(la "${mainstack%-*}") $(la "${mainstack#*-}") .* Stack +\\[~0; [0-9a-f]+\\.[0-9a-f]+\\]$"
info=$(printf '%s\n' "$OUT" | grep '^memmap-info' | head -n 1)
anon=$(printf '%s\n' "$info" | sed 's/.* anon=\([0-9a-f]*\).*/\1/')
stack_lo=$(printf '%s\n' "$info" | sed 's/.* stack=\([0-9a-f]*\)-.*/\1/')
stack_hi=$(printf '%s\n' "$info" | sed 's/.* stack=[0-9a-f]*-\([0-9a-f]*\).*/\1/')
[ -n "$anon" ] && [ -n "$stack_lo" ] || fail "the program said where its objects are"
# The second thread's stack, under its guard page (one allocation: the stack line continues it).
expect "^ $(la "$stack_lo") $(la "$stack_hi") .*MEM_COMMIT  PAGE_READWRITE +Stack +\\[~1; "
guard=$(printf %x $(( 0x$stack_lo - 0x1000 )))
expect "^\\+$(la "$guard") $(la "$stack_lo") .*MEM_RESERVE PAGE_NOACCESS +Stack +\\[~1; "
fileline=$(awk -v p="$file" '$6 == p { print $1 }' "$maps")
expect "^\\+$(la "${fileline%-*}") $(la "${fileline#*-}") .*MEM_MAPPED  MEM_COMMIT  PAGE_READONLY +MappedFile \"$file\"$"
a1=$(printf %x $(( 0x$anon + 0x1000 ))); a2=$(printf %x $(( 0x$anon + 0x2000 )))
expect "^\\+$(la "$anon") $(la "$a1") .*MEM_PRIVATE MEM_COMMIT  PAGE_READWRITE +<unknown>$"
expect "^\\+$(la "$a1") $(la "$a2") .*MEM_PRIVATE MEM_RESERVE PAGE_NOACCESS +<unknown>$"
expect "^\\+        0\`00000000 +$(la "${exe_lo:-$(head -n 1 "$maps" | cut -d- -f1)}") .* MEM_FREE    PAGE_NOACCESS +Free$"
# One region at a time.
fa() { printf '%08x`%08x' $(( 0x$1 >> 32 )) $(( 0x$1 & 0xffffffff )); }
expect_seq "^0:000> !address poi\\(anon_base\\)$" '^Usage: +<unknown>$' "^Base Address: +$(fa "$anon")$" \
	"^End Address: +$(fa "$a1")$" '^Region Size: +00000000`00001000 \(   4\.000 kB\)$' \
	'^State: +00001000 +MEM_COMMIT$' '^Protect: +00000004 +PAGE_READWRITE$' '^Type: +00020000 +MEM_PRIVATE$'
expect_seq "^0:000> !address poi\\(anon_base\\)\\+1000$" '^Usage: +<unknown>$' "^Base Address: +$(fa "$a1")$" \
	'^State: +00002000 +MEM_RESERVE$' '^Protect: +00000001 +PAGE_NOACCESS$'
expect_seq '^0:000> !address stopped_here$' '^Usage: +Image$' "^Base Address: +$(fa "${code%-*}")$" \
	'^Protect: +00000020 +PAGE_EXECUTE_READ$' '^Type: +01000000 +MEM_IMAGE$' \
	"^Allocation Base: +$(fa "$(head -n 1 "$maps" | cut -d- -f1)")$" '^Module Name: +memmap$' \
	"^Loaded Image Name: +$exe$" '^More info: +lmv m memmap$'
expect_seq '^0:000> !address poi\(heap_text\)$' '^Usage: +Heap$' "^Base Address: +$(fa "${heap%-*}")$"
expect_seq '^0:000> !address poi\(mapped_file\)$' '^Usage: +MappedFile$' '^Type: +00040000 +MEM_MAPPED$' \
	"^Mapped file name: +$file$"
expect_seq '^0:000> !address @rsp$' '^Usage: +Stack$' "^Base Address: +$(fa "${mainstack%-*}")$" \
	'^Stack of thread: +~0 ' '^More info: +~0k$'
expect_seq '^0:000> !address 10$' '^Usage: +Free$' '^Base Address: +00000000`00000000$' '^State: +00010000 +MEM_FREE$'
expect_seq '^0:000> !address -summary$' '^not supported: !address -summary'
expect_seq '^0:000> !address nosuchsymbol$' "Couldn't resolve error at 'nosuchsymbol'"
done_test
