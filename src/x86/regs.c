/*
 * regs.c — register names and views (windbg-commands.md §7, §2.6).
 *
 * Two static tables, one per target width, map a WinDbg name to a view
 * (struct reg_ref) of struct regs.  Invariants:
 *   - every view lies inside one 64-bit slot: shift + bits <= 64, except
 *     xmm views (bits 128), which regs_get/regs_set ignore;
 *   - regs_set changes only the view's bits;
 *   - on x64, 32-bit sub-registers (eax, r8d, eip) read sign-extended, as
 *     MASM does; on an i386 target eax etc. are the full registers and are
 *     not sign-extended (they cannot hold more than 32 bits anyway).
 * Lookups are case-insensitive over a length-delimited name.
 */
#include "x86/regs.h"

#include <string.h>
#include <strings.h>

struct reg_name {
	const char *name;
	signed char index;
	unsigned char shift;
	unsigned char bits;
	unsigned char sign_extend;
	unsigned char is_xmm;
};

#define FULL(n, i) { n, i, 0, 64, 0, 0 }
#define VIEW(n, i, sh, b, se) { n, i, sh, b, se, 0 }
#define FLAG(n, bit) { n, REG_EFL, bit, 1, 0, 0 }
#define XMM(n, i) { n, i, 0, 128, 0, 1 }

/* Names both widths share: EFLAGS codes, segment selectors, legacy 16/8-bit parts. */
#define COMMON_NAMES \
	FLAG("of", 11), FLAG("df", 10), FLAG("if", 9), FLAG("sf", 7), FLAG("zf", 6), \
	FLAG("af", 4), FLAG("pf", 2), FLAG("cf", 0), FLAG("tf", 8), \
	VIEW("iopl", REG_EFL, 12, 2, 0), \
	VIEW("cs", REG_CS, 0, 16, 0), VIEW("ss", REG_SS, 0, 16, 0), \
	VIEW("ds", REG_DS, 0, 16, 0), VIEW("es", REG_ES, 0, 16, 0), \
	VIEW("fs", REG_FS, 0, 16, 0), VIEW("gs", REG_GS, 0, 16, 0), \
	VIEW("ax", REG_RAX, 0, 16, 0), VIEW("bx", REG_RBX, 0, 16, 0), \
	VIEW("cx", REG_RCX, 0, 16, 0), VIEW("dx", REG_RDX, 0, 16, 0), \
	VIEW("si", REG_RSI, 0, 16, 0), VIEW("di", REG_RDI, 0, 16, 0), \
	VIEW("bp", REG_RBP, 0, 16, 0), VIEW("sp", REG_RSP, 0, 16, 0), \
	VIEW("al", REG_RAX, 0, 8, 0), VIEW("bl", REG_RBX, 0, 8, 0), \
	VIEW("cl", REG_RCX, 0, 8, 0), VIEW("dl", REG_RDX, 0, 8, 0), \
	VIEW("ah", REG_RAX, 8, 8, 0), VIEW("bh", REG_RBX, 8, 8, 0), \
	VIEW("ch", REG_RCX, 8, 8, 0), VIEW("dh", REG_RDX, 8, 8, 0), \
	XMM("xmm0", 0), XMM("xmm1", 1), XMM("xmm2", 2), XMM("xmm3", 3), \
	XMM("xmm4", 4), XMM("xmm5", 5), XMM("xmm6", 6), XMM("xmm7", 7)

/* The eight legacy 32-bit names; se: whether they read sign-extended. */
#define LEGACY32(se) \
	VIEW("eax", REG_RAX, 0, 32, se), VIEW("ebx", REG_RBX, 0, 32, se), \
	VIEW("ecx", REG_RCX, 0, 32, se), VIEW("edx", REG_RDX, 0, 32, se), \
	VIEW("esi", REG_RSI, 0, 32, se), VIEW("edi", REG_RDI, 0, 32, se), \
	VIEW("ebp", REG_RBP, 0, 32, se), VIEW("esp", REG_RSP, 0, 32, se), \
	VIEW("eip", REG_RIP, 0, 32, se)

/* r8..r15 and their d/w/b parts, one row per register. */
#define RN(n, i) FULL("r" #n, i), VIEW("r" #n "d", i, 0, 32, 1), \
	VIEW("r" #n "w", i, 0, 16, 0), VIEW("r" #n "b", i, 0, 8, 0)

static const struct reg_name names64[] = {
	FULL("rax", REG_RAX), FULL("rbx", REG_RBX), FULL("rcx", REG_RCX), FULL("rdx", REG_RDX),
	FULL("rsi", REG_RSI), FULL("rdi", REG_RDI), FULL("rbp", REG_RBP), FULL("rsp", REG_RSP),
	RN(8, REG_R8), RN(9, REG_R9), RN(10, REG_R10), RN(11, REG_R11),
	RN(12, REG_R12), RN(13, REG_R13), RN(14, REG_R14), RN(15, REG_R15),
	FULL("rip", REG_RIP),
	/* EFLAGS is 32 bits wide in practice (upper half reserved); WinDbg shows efl=%08x. */
	VIEW("efl", REG_EFL, 0, 32, 0), VIEW("eflags", REG_EFL, 0, 32, 0),
	VIEW("rflags", REG_EFL, 0, 32, 0),
	FULL("fs_base", REG_FS_BASE), FULL("gs_base", REG_GS_BASE),
	LEGACY32(1),
	VIEW("sil", REG_RSI, 0, 8, 0), VIEW("dil", REG_RDI, 0, 8, 0),
	VIEW("bpl", REG_RBP, 0, 8, 0), VIEW("spl", REG_RSP, 0, 8, 0),
	COMMON_NAMES,
	XMM("xmm8", 8), XMM("xmm9", 9), XMM("xmm10", 10), XMM("xmm11", 11),
	XMM("xmm12", 12), XMM("xmm13", 13), XMM("xmm14", 14), XMM("xmm15", 15),
};

static const struct reg_name names32[] = {
	LEGACY32(0),
	VIEW("efl", REG_EFL, 0, 32, 0), VIEW("eflags", REG_EFL, 0, 32, 0),
	COMMON_NAMES,
};

static const char *const full_names[REG_COUNT] = {
	"rax", "rbx", "rcx", "rdx", "rsi", "rdi", "rbp", "rsp",
	"r8", "r9", "r10", "r11", "r12", "r13", "r14", "r15",
	"rip", "efl", "cs", "ss", "ds", "es", "fs", "gs",
	"fs_base", "gs_base", "orig_rax",
};

int regs_lookup(const char *name, size_t len, int is32, struct reg_ref *out)
{
	const struct reg_name *tab = is32 ? names32 : names64;
	size_t n = is32 ? ARRAY_SIZE(names32) : ARRAY_SIZE(names64);

	if (!name || len == 0)
		return -1;
	for (size_t i = 0; i < n; i++) {
		if (strlen(tab[i].name) != len || strncasecmp(tab[i].name, name, len) != 0)
			continue;
		if (out) {
			out->index = tab[i].index;
			out->shift = tab[i].shift;
			out->bits = tab[i].bits;
			out->sign_extend = tab[i].sign_extend;
			out->is_xmm = tab[i].is_xmm;
		}
		return 0;
	}
	return -1;
}

/* False for views regs_get/regs_set must not touch (xmm, or a malformed ref). */
static int ref_ok(const struct reg_ref *ref)
{
	return ref && !ref->is_xmm && ref->index >= 0 && ref->index < REG_COUNT &&
	       ref->bits >= 1 && ref->bits <= 64 && ref->shift < 64 && ref->shift + ref->bits <= 64;
}

static uint64_t low_mask(unsigned bits)
{
	return bits >= 64 ? ~0ull : (1ull << bits) - 1;
}

uint64_t regs_get(const struct regs *r, const struct reg_ref *ref)
{
	if (!r || !ref_ok(ref))
		return 0;
	uint64_t v = (r->r[ref->index] >> ref->shift) & low_mask(ref->bits);
	if (ref->sign_extend && ref->bits < 64 && (v >> (ref->bits - 1)) & 1)
		v |= ~low_mask(ref->bits);
	return v;
}

void regs_set(struct regs *r, const struct reg_ref *ref, uint64_t value)
{
	if (!r || !ref_ok(ref))
		return;
	uint64_t mask = low_mask(ref->bits) << ref->shift;
	r->r[ref->index] = (r->r[ref->index] & ~mask) | ((value << ref->shift) & mask);
}

const char *regs_name(enum reg_index i)
{
	if ((int)i < 0 || (int)i >= REG_COUNT)
		return "?";
	return full_names[i];
}

/* Status mnemonics in display order; text[0] when the bit is clear. */
static const struct {
	unsigned bit;
	const char *text[2];
} flag_mnemonics[] = {
	{ 11, { "nv", "ov" } },
	{ 10, { "up", "dn" } },
	{ 9, { "di", "ei" } },
	{ 7, { "pl", "ng" } },
	{ 6, { "nz", "zr" } },
	{ 4, { "na", "ac" } },
	/* Current x64 WinDbg: PF=1 shows "po" (windbg-commands.md §7.3, §17).  Flip here. */
	{ 2, { "pe", "po" } },
	{ 0, { "nc", "cy" } },
};

void regs_flag_text(uint64_t efl, struct sbuf *out)
{
	for (size_t i = 0; i < ARRAY_SIZE(flag_mnemonics); i++) {
		if (i)
			sb_addc(out, ' ');
		sb_add(out, flag_mnemonics[i].text[(efl >> flag_mnemonics[i].bit) & 1]);
	}
}
