/*
 * emu.h — emulation of the instruction under a software breakpoint, so a
 * hit that resumes needs no lift/single-step/re-insert (see emu.c).
 */
#ifndef DR7_EMU_H
#define DR7_EMU_H

#include <stddef.h>
#include <stdint.h>

#include "x86/regs.h"

/* A memory store the instruction makes (at most one, e.g. push). */
struct emu_store {
	uint64_t addr;
	unsigned size;		/* 0: none */
	uint8_t bytes[8];
};

/* Reads n bytes the instruction loads; 0, or -1 to refuse the emulation
 * (unreadable, or a processor breakpoint must see this read). */
typedef int (*emu_load_fn)(void *user, uint64_t addr, void *buf, size_t n);

/*
 * Executes the instruction at addr (its original bytes in code[0..n)) on r.
 * Loads go through load(); the one store an instruction may make is
 * returned in *store for the caller to write.  On success r holds the state
 * after the instruction (rip advanced) and its length is returned; -1 when
 * it is not one emu.c can execute exactly (r unchanged).
 */
int emu_step(const uint8_t *code, size_t n, uint64_t addr, int is32, struct regs *r,
	     emu_load_fn load, void *user, struct emu_store *store);

#endif
