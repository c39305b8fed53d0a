/*
 * dis.h — instruction decoding and WinDbg-style disassembly, a facade over
 * Zydis 4.  Pure: no process access; the formatters re-decode in->bytes; callers pass bytes (with breakpoint
 * bytes already hidden) and a symbolizer callback.
 *
 * Line format (windbg-commands.md §10.2):
 *   "<address> <hex bytes padded to 15> <mnemonic padded to 7> <operands>"
 * operands in MASM-flavoured Intel syntax: lowercase, no space after commas,
 * "qword ptr [rsp+18h]", hexadecimal with an h suffix and a leading 0 when
 * the first digit is a letter, values below 10 as plain digits.  Direct
 * branch and call targets print as "sym+0xNN (00007ff6`6e76b0a0)".
 */
#ifndef DR7_DIS_H
#define DR7_DIS_H

#include <stddef.h>
#include <stdint.h>

#include "util/util.h"

enum dis_flow {
	DIS_FLOW_NONE,		/* falls through */
	DIS_FLOW_CALL,
	DIS_FLOW_RET,
	DIS_FLOW_JUMP,		/* unconditional jmp, xabort */
	DIS_FLOW_COND,		/* jcc, loop, jrcxz, xbegin */
	DIS_FLOW_SYSCALL,	/* syscall, sysenter, int 80h */
	DIS_FLOW_INT,		/* int3, int n, ud2, hlt... */
};

struct dis_insn {
	uint64_t addr;
	unsigned len;
	uint8_t bytes[15];
	enum dis_flow flow;
	int has_target;		/* direct branch/call */
	uint64_t target;
	int repeats;		/* a rep/repe/repne string instruction: a single step may
				   stop after each iteration, with the pc unchanged */
	char mnemonic[32];	/* lowercase, e.g. "mov" */
};

/* Decodes one instruction.  is32 selects 32-bit mode.  Returns 0, or -1 when
 * the bytes are not a valid instruction (or too few were given). */
int dis_decode(const uint8_t *buf, size_t n, uint64_t addr, int is32, struct dis_insn *out);

/* Writes a symbolic name for addr ("mod!func+0x1a") into out; returns 0, or
 * -1 to make the formatter print the bare address. */
typedef int (*dis_symbolizer)(void *user, uint64_t addr, struct sbuf *out);

/* Appends the whole WinDbg line for one instruction (no newline):
 * address, bytes, mnemonic, operands. */
void dis_format_line(const struct dis_insn *in, int is32, dis_symbolizer sym, void *user,
		     struct sbuf *out);

/* Appends only "<mnemonic padded to 7> <operands>". */
void dis_format_text(const struct dis_insn *in, int is32, dis_symbolizer sym, void *user,
		     struct sbuf *out);

#endif
