/*
 * access.h — which bytes of memory an instruction is about to touch, and how.
 *
 * A watch served by page protection learns of an access from the fault it
 * causes, at the instruction that makes it, before it executes.  Whether
 * that access touches watched bytes, which ones, and whether it reads or
 * writes them is decided from the instruction and the thread's registers
 * alone (see access.c).
 */
#ifndef DR7_ACCESS_H
#define DR7_ACCESS_H

#include <stddef.h>
#include <stdint.h>

#include "x86/regs.h"

enum {
	ACCESS_READ = 1,
	ACCESS_WRITE = 2,
	/* The access may not happen, or may cover less than [addr, addr+len):
	 * a conditional store (cmpxchg), or the iterations a repe/repne string
	 * instruction may stop short of. */
	ACCESS_MAYBE = 4,
};

struct mem_access {
	uint64_t addr;		/* linear address (segment base added) */
	uint64_t len;		/* bytes, >= 1 */
	unsigned rw;		/* ACCESS_* */
};

#define ACCESS_MAX 4

/*
 * Decodes the instruction at pc (its bytes in code[0..n)) and lists in
 * out[0..*count) the memory it will access when it executes with the
 * registers r: explicit operands, the stack of push/pop/call/ret/enter/
 * leave, the implicit operands of string instructions (a rep prefix makes
 * them the whole range rcx iterations cover, in the direction EFLAGS.DF
 * says; rcx = 0 touches nothing).  Address-generation operands (lea, nop,
 * prefetch) touch nothing.  Returns the instruction's length, or -1 when it
 * cannot be decoded or its accesses cannot be known from the registers
 * (gathers and scatters, MPX tables, enter with a nesting level, more than
 * max accesses).
 */
int x86_accesses(const uint8_t *code, size_t n, uint64_t pc, int is32, const struct regs *r,
		 struct mem_access *out, int max, int *count);

#endif
