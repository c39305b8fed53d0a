/*
 * regs.h — the x86 register file as dr7 sees it, and register names.
 *
 * struct regs holds the integer state of one thread in a backend-neutral
 * layout (the ptrace backend converts from user_regs_struct; a remote backend
 * would convert from 'g' packets).  For i386 tracees the same struct is used
 * with the upper halves zero.  Names follow WinDbg (windbg-commands.md §7):
 * full registers, sub-registers (eax, ax, al, ah, r8d, r8w, r8b, sil...),
 * and the flag codes of `r` (of df if sf zf af pf cf tf, iopl).
 * Pure module: libc and util.h only.
 */
#ifndef DR7_REGS_H
#define DR7_REGS_H

#include <stdint.h>

#include "util/util.h"

enum reg_index {
	REG_RAX, REG_RBX, REG_RCX, REG_RDX, REG_RSI, REG_RDI, REG_RBP, REG_RSP,
	REG_R8, REG_R9, REG_R10, REG_R11, REG_R12, REG_R13, REG_R14, REG_R15,
	REG_RIP, REG_EFL,
	REG_CS, REG_SS, REG_DS, REG_ES, REG_FS, REG_GS,
	REG_FS_BASE, REG_GS_BASE, REG_ORIG_RAX,
	REG_COUNT
};

struct regs {
	uint64_t r[REG_COUNT];
};

/* SSE/x87 state, fetched only when a user asks for it. */
struct fpregs {
	uint8_t xmm[16][16];
	uint32_t mxcsr;
	uint16_t fcw, fsw;
	uint8_t st[8][10];
};

/*
 * A named view of part of a register: bits [shift, shift+bits) of r[index].
 * sign_extend: MASM sign-extends 32-bit register values when read
 * (windbg-commands.md §2.6).  A flag is a 1-bit view of REG_EFL (2 bits for
 * iopl).  is_xmm names an SSE register (index = xmm number), whose value
 * lives in struct fpregs.
 */
struct reg_ref {
	int index;
	unsigned shift;
	unsigned bits;
	int sign_extend;
	int is_xmm;
};

/* Looks up a register name (case-insensitive, no '@').  is32 selects the
 * i386 register set (no r8..r15, no rax).  Returns 0 or -1 (not a register). */
int regs_lookup(const char *name, size_t len, int is32, struct reg_ref *out);

/* Value of a view; sign-extended when the view says so. */
uint64_t regs_get(const struct regs *r, const struct reg_ref *ref);
/* Stores value into the view, leaving the register's other bits unchanged. */
void regs_set(struct regs *r, const struct reg_ref *ref, uint64_t value);

/* Canonical lowercase name of a full register ("rax", "efl", "fs_base"). */
const char *regs_name(enum reg_index i);

/* Flag status mnemonics in WinDbg's order: "nv up ei pl zr na po nc". */
void regs_flag_text(uint64_t efl, struct sbuf *out);

#endif
