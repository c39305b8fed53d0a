/*
 * auxv.h — reading the ELF auxiliary vector the kernel gives a process at
 * exec (AT_* type/value pairs, ended by AT_NULL), as raw bytes from a
 * backend (target_read_auxv).  Pure: the caller says the word size (4 for
 * i386 processes, 8 for x86-64); a truncated last pair is ignored.
 */
#ifndef DR7_AUXV_H
#define DR7_AUXV_H

#include <stddef.h>
#include <stdint.h>

/* Type numbers from the System V ABI (<elf.h> spells them too). */
enum {
	AUXV_NULL = 0,
	AUXV_PHDR = 3,		/* program headers of the main program (runtime address) */
	AUXV_PHNUM = 5,
	AUXV_BASE = 7,		/* load address of the interpreter (dynamic linker), 0 if none */
	AUXV_ENTRY = 9,		/* entry point of the main program */
	AUXV_SYSINFO_EHDR = 33,	/* ELF header of the vDSO */
};

/* Room for any auxv Linux writes (some 30 pairs today, 16 bytes each). */
#define AUXV_MAX 4096

/* The value of the first pair of that type before AT_NULL: 0, or -1 when
 * there is none. */
int auxv_find(const void *raw, size_t n, int is32, uint64_t type, uint64_t *value);

#endif
