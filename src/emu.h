/*
 * emu.h — emulation of the instruction under a software breakpoint, so a
 * hit that resumes needs no lift/single-step/re-insert (see emu.c).
 */
#ifndef DR7_EMU_H
#define DR7_EMU_H

#include <stddef.h>
#include <stdint.h>

#include "regs.h"

/* A memory store the instruction makes (at most one, e.g. push). */
struct emu_store {
	uint64_t addr;
	unsigned size;		/* 0: none */
	uint8_t bytes[8];
};

/*
 * Executes the instruction at addr (its original bytes in code[0..n)) on r.
 * On success r holds the state after it (rip advanced), *store says what to
 * write to memory, and the instruction's length is returned; -1 when the
 * instruction is not one emu.c can execute exactly (nothing changed).
 */
int emu_step(const uint8_t *code, size_t n, uint64_t addr, int is32, struct regs *r,
	     struct emu_store *store);

#endif
