# dt with WinDbg's type names: a type named without its module gets a
# "module!Type" line first (dt module!Type does not); members show Char,
# UChar, Int2B ... Uint8B, Float, Double, Bool, Ptr64 Void, [10] Int4B,
# Ptr64 Ptr64 Char, a function pointer as "Ptr64     int ", structs and
# enums by their tags; -v adds "struct kinds, N elements, 0xNN bytes" and
# verbose member types; -r[N] expands nested structs N levels; "dt Address
# Type" is WinDbg's other order.  i386 pointers are Ptr32.
. tests/lib.sh
dr7 "$PROGS/srcview" <<'CMDS'
bp meet
g
dt kinds
dt srcview!kinds
dt -v srcview!kinds
dt mode
dt sample
dt srcview!sample kinds
CMDS
expect_seq '^0:000> dt kinds$' '^srcview!kinds$' \
	'^   \+0x000 c                : Char$' \
	'^   \+0x001 uc               : UChar$' \
	'^   \+0x002 sc               : Char$' \
	'^   \+0x004 s                : Int2B$' \
	'^   \+0x006 us               : Uint2B$' \
	'^   \+0x008 i                : Int4B$' \
	'^   \+0x00c ui               : Uint4B$' \
	'^   \+0x010 l                : Int8B$' \
	'^   \+0x018 ul               : Uint8B$' \
	'^   \+0x020 ll               : Int8B$' \
	'^   \+0x028 ull              : Uint8B$' \
	'^   \+0x030 f                : Float$' \
	'^   \+0x038 d                : Double$' \
	'^   \+0x040 b                : Bool$' \
	'^   \+0x048 vp               : Ptr64 Void$' \
	'^   \+0x050 str              : Ptr64 Char$' \
	'^   \+0x058 arr              : \[10\] Int4B$' \
	'^   \+0x080 grid             : \[3\] \[4\] Int4B$' \
	'^   \+0x0b0 self             : Ptr64 kinds$' \
	'^   \+0x0b8 fn               : Ptr64     int $' \
	'^   \+0x0c0 argvp            : Ptr64 Ptr64 Char$' \
	'^   \+0x0c8 u                : <unnamed-tag>$' \
	'^   \+0x0cc m                : mode$' \
	'^   \+0x0d0 bits             : Pos 0, 3 Bits$' \
	'^0:000> dt srcview!kinds$' '^   \+0x000 c                : Char$'
# With the module given, no "module!Type" line.
expect_count 1 '^srcview!kinds$'
expect_seq '^0:000> dt -v srcview!kinds$' '^struct kinds, 24 elements, 0xd8 bytes$' \
	'^   \+0x048 vp               : Ptr64 to Void$' \
	'^   \+0x0b0 self             : Ptr64 to struct kinds, 24 elements, 0xd8 bytes$' \
	'^   \+0x0c8 u                : union <unnamed-tag>, 2 elements, 0x4 bytes$' \
	'^   \+0x0cc m                : Enum mode,  2 total enums$' \
	'^   \+0x0d0 bits             : Bitfield Pos 0, 3 Bits$'
expect_seq '^0:000> dt mode$' '^srcview!mode$' '^   MODE_A = 0n0$' '^   MODE_B = 0n7$'
# Values: the members' values, nested aggregates by dt's names.
expect_seq '^0:000> dt sample$' '^struct kinds at [0-9a-f]{8}`[0-9a-f]{8}$' \
	"^   \\+0x000 c                : 0n107 'k'\$" \
	'^   \+0x008 i                : 0n-5$' \
	'^   \+0x00c ui               : 0x7$' \
	'^   \+0x038 d                : 1.5$' \
	'^   \+0x040 b                : true$' \
	'^   \+0x050 str              : 0x[0-9a-f]{8}`[0-9a-f]{8} "kinds"$' \
	'^   \+0x080 grid             : \[3\] \[4\] Int4B$' \
	'^   \+0x0c8 u                : <unnamed-tag>$' \
	'^   \+0x0cc m                : MODE_B \(0n7\)$' \
	'^   \+0x0d0 bits             : 0y101$'
addr=$(printf '%s\n' "$OUT" | sed -n 's/^struct kinds at \(.*\)$/\1/p' | head -n 1)
expect_seq '^0:000> dt srcview!sample kinds$' "^struct kinds at $addr\$" "^   \\+0x000 c                : 0n107 'k'\$"

# -r and -r1 nest; -b all levels; i386 pointers.
dr7 "$PROGS/vars32" 3 <<'CMDS'
bp walk
g
dt point
dt -r1 vars32!point
dt -b vars32!point
dt -r12 point
dt -q point
CMDS
expect_seq '^0:000> dt point$' '^vars32!point$' '^   \+0x000 x                : Int4B$' \
	'^   \+0x018 in               : inner$' '^   \+0x01c flag             : Pos 0, 1 Bit$' \
	'^   \+0x028 next             : Ptr32 point$'
expect_seq '^0:000> dt -r1 vars32!point$' '^   \+0x018 in               : inner$' \
	'^      \+0x000 a                : Int2B$' '^      \+0x002 b                : UChar$' '^   \+0x01c flag '
expect_seq '^0:000> dt -b vars32!point$' '^   \+0x018 in               : inner$' '^      \+0x000 a                : Int2B$'
expect '^Syntax error: dt -r takes a depth from 1 to 9$'
expect '^not supported: dt -q \(dr7 takes -r\[Depth\], -b and -v\)$'
done_test
