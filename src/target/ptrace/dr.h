/*
 * dr.h — x86 debug-register model: validation, slot allocation, DR7
 * encoding and DR6 decoding.  Pure, no syscalls.
 *
 * The allocator works on a mirror of DR0-DR3 and DR7 (GDB's design):
 * callers copy the state, change the copy, and commit it only when the
 * backend has written it to every thread.  Identical requests (same
 * address, length, access and thread) share a slot by reference count.
 * A slot reserved for one thread (`~N ba`) is reserved in all threads but
 * armed only in that thread.
 */
#ifndef DR7_DR_H
#define DR7_DR_H

#include <stdint.h>

#define DR_SLOTS 4

/* RW field values of DR7.  x86 has no read-only watch: DR_ACCESS is read or write. */
enum dr_rw { DR_EXEC = 0, DR_WRITE = 1, DR_IO = 2, DR_ACCESS = 3 };

struct dr_state {
	uint64_t addr[DR_SLOTS];
	uint64_t dr7;
	int refs[DR_SLOTS];
	int tid[DR_SLOTS];	/* 0: every thread; else only that thread (kernel tid) */
};

/* Checks a request against the hardware's and the kernel's rules; on error
 * returns -1 with a one-line message in the util.h error slot.  is32: i386
 * tracee (LEN 8 not available). */
int dr_check(uint64_t addr, int len, enum dr_rw rw, int is32);

/* Slot used (0..3), or -1 with an error message when all four are taken. */
int dr_insert(struct dr_state *s, uint64_t addr, int len, enum dr_rw rw, int tid);
/* Drops one reference; returns the slot, or -1 if no such request exists. */
int dr_remove(struct dr_state *s, uint64_t addr, int len, enum dr_rw rw, int tid);
int dr_free_slots(const struct dr_state *s);

/* DR7 value to load into thread tid (slots reserved for other threads are off). */
uint64_t dr_dr7_for_thread(const struct dr_state *s, int tid);

/* Bit i set when slot i is enabled in dr7 and its B-bit is set in dr6. */
unsigned dr_hits(uint64_t dr6, uint64_t dr7);

/*
 * Makes next the committed state: load writes a state into every thread
 * (0 / -1).  When load fails, committed is loaded back into every thread,
 * stays unchanged, and the first error is kept.  0 / -1.
 */
typedef int (*dr_load_fn)(void *user, const struct dr_state *m);
int dr_commit(struct dr_state *committed, const struct dr_state *next, dr_load_fn load, void *user);

/* Decoded view of one slot of a DR7 value (for tests and diagnostics). */
int dr_slot_enabled(uint64_t dr7, int slot);
enum dr_rw dr_slot_rw(uint64_t dr7, int slot);
int dr_slot_len(uint64_t dr7, int slot);

#endif
