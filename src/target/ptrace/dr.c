/*
 * dr.c — x86 debug-register model: request validation, DR0-DR3 slot
 * allocation with sharing, DR7 encoding and DR6 decoding.  Pure.
 *
 * Invariants of struct dr_state kept here:
 *   - a slot is in use exactly when refs[i] > 0; a free slot has addr 0,
 *     tid 0 and all of its DR7 bits (L, G, RW, LEN) clear, so an empty
 *     state has dr7 == 0;
 *   - every slot in use has its L bit set in dr7 (thread-specific slots
 *     too: dr_dr7_for_thread() masks them per thread);
 *   - a failed insert or remove leaves the state untouched.
 *
 * DR7 is kept minimal: only L<i>, RW<i> and LEN<i>.  Linux accepts either
 * L or G as "enabled" (ptrace_write_dr7 -> decode_dr7) and ignores LE/GE,
 * which modern CPUs ignore as well; so LE (bit 8) is not set.  A DR7 read
 * back from the kernel carries G bits and GE (bit 9) instead of L bits,
 * which is why the decoders treat L or G as enabled.
 */
#include "target/ptrace/dr.h"

#include <limits.h>
#include <stdio.h>

#include "util/util.h"

#define DR7_CTRL_SHIFT 16	/* RW0 at bit 16, LEN0 at 18, then 4 bits per slot */
#define DR7_ENABLE_BITS(i) (3ull << (2 * (i)))	/* L<i> and G<i> */
#define DR7_LOCAL_BIT(i) (1ull << (2 * (i)))
#define DR7_CTRL_MASK(i) (0xfull << (DR7_CTRL_SHIFT + 4 * (i)))

static int slot_ok(int slot)
{
	return slot >= 0 && slot < DR_SLOTS;
}

/* LEN field code for a byte length, -1 if the hardware has none. */
static int len_code(int len)
{
	switch (len) {
	case 1: return 0;
	case 2: return 1;
	case 4: return 3;
	case 8: return 2;
	default: return -1;
	}
}

static const char *addr_text(char *buf, size_t n, uint64_t addr, int is32)
{
	/* Same shape as fmt_addr; dr.c stays independent of fmt.c. */
	if (is32)
		snprintf(buf, n, "%08x", (unsigned)(addr & 0xffffffffu));
	else
		snprintf(buf, n, "%08x`%08x", (unsigned)(addr >> 32), (unsigned)(addr & 0xffffffffu));
	return buf;
}

int dr_check(uint64_t addr, int len, enum dr_rw rw, int is32)
{
	char a[24];

	if (rw == DR_IO)
		return err_set("I/O breakpoints (ba i) are kernel-mode only; "
			       "not supported in a user-mode Linux debugger");
	if (rw != DR_EXEC && rw != DR_WRITE && rw != DR_ACCESS)
		return err_set("Unknown processor breakpoint access type %d", (int)rw);
	/* Before the size rule: "ba e 4" is better answered with the exec rule. */
	if (rw == DR_EXEC && len != 1)
		return err_set("Execute breakpoints must have size 1");
	if (is32 && (len_code(len) < 0 || len == 8))
		return err_set("Data breakpoint size must be 1, 2 or 4 on a 32-bit target");
	if (len_code(len) < 0)
		return err_set("Data breakpoint size must be 1, 2, 4 or 8");
	/* The kernel refuses kernel-space addresses with a bare EINVAL; say why here. */
	if (is32 && addr > 0xffffffffu)
		return err_set("Breakpoint address %s is outside the 32-bit address space",
			       addr_text(a, sizeof(a), addr, 0));
	if (!is32 && (addr >> 63))
		return err_set("Breakpoint address %s is in kernel space; user-mode processor "
			       "breakpoints cannot watch it", addr_text(a, sizeof(a), addr, 0));
	if (addr & (uint64_t)(len - 1))
		return err_set("Data breakpoint address %s is not aligned to size %d",
			       addr_text(a, sizeof(a), addr, is32), len);
	return 0;
}

static uint64_t slot_bits(int slot, int len, enum dr_rw rw)
{
	uint64_t ctrl = ((uint64_t)len_code(len) << 2) | ((uint64_t)rw & 3);
	return DR7_LOCAL_BIT(slot) | (ctrl << (DR7_CTRL_SHIFT + 4 * slot));
}

static int slot_find(const struct dr_state *s, uint64_t addr, int len, enum dr_rw rw, int tid)
{
	for (int i = 0; i < DR_SLOTS; i++) {
		if (s->refs[i] <= 0 || s->addr[i] != addr || s->tid[i] != tid)
			continue;
		if (dr_slot_rw(s->dr7, i) == rw && dr_slot_len(s->dr7, i) == len)
			return i;
	}
	return -1;
}

int dr_insert(struct dr_state *s, uint64_t addr, int len, enum dr_rw rw, int tid)
{
	if (len_code(len) < 0 || (unsigned)rw > 3u)
		return err_set("Invalid processor breakpoint (size %d, access %d)", len, (int)rw);

	int i = slot_find(s, addr, len, rw, tid);
	if (i >= 0) {
		if (s->refs[i] == INT_MAX)
			return err_set("Processor breakpoint slot %d is shared too many times", i);
		s->refs[i]++;
		return i;
	}
	for (i = 0; i < DR_SLOTS; i++) {
		if (s->refs[i] > 0)
			continue;
		s->addr[i] = addr;
		s->refs[i] = 1;
		s->tid[i] = tid;
		s->dr7 &= ~(DR7_ENABLE_BITS(i) | DR7_CTRL_MASK(i));
		s->dr7 |= slot_bits(i, len, rw);
		return i;
	}
	return err_set("Too many processor breakpoints: x86 has 4 debug registers (DR0-DR3), "
		       "all in use");
}

int dr_remove(struct dr_state *s, uint64_t addr, int len, enum dr_rw rw, int tid)
{
	int i = slot_find(s, addr, len, rw, tid);
	if (i < 0)
		return err_set("No matching processor breakpoint to remove");
	if (--s->refs[i] == 0) {
		s->addr[i] = 0;
		s->tid[i] = 0;
		s->dr7 &= ~(DR7_ENABLE_BITS(i) | DR7_CTRL_MASK(i));
	}
	return i;
}

int dr_free_slots(const struct dr_state *s)
{
	int n = 0;
	for (int i = 0; i < DR_SLOTS; i++)
		n += s->refs[i] <= 0;
	return n;
}

uint64_t dr_dr7_for_thread(const struct dr_state *s, int tid)
{
	uint64_t dr7 = s->dr7;
	for (int i = 0; i < DR_SLOTS; i++) {
		/* Clear the whole slot, not only L: the kernel validates RW/LEN even of
		 * disabled slots, and a zero slot is always acceptable. */
		if (s->refs[i] <= 0 || (s->tid[i] != 0 && s->tid[i] != tid))
			dr7 &= ~(DR7_ENABLE_BITS(i) | DR7_CTRL_MASK(i));
	}
	return dr7;
}

unsigned dr_hits(uint64_t dr6, uint64_t dr7)
{
	unsigned hits = 0;
	for (int i = 0; i < DR_SLOTS; i++) {
		if ((dr6 >> i) & 1 && dr_slot_enabled(dr7, i))
			hits |= 1u << i;
	}
	return hits;
}

int dr_slot_enabled(uint64_t dr7, int slot)
{
	return slot_ok(slot) && (dr7 & DR7_ENABLE_BITS(slot)) != 0;
}

enum dr_rw dr_slot_rw(uint64_t dr7, int slot)
{
	if (!slot_ok(slot))
		return DR_EXEC;
	return (enum dr_rw)((dr7 >> (DR7_CTRL_SHIFT + 4 * slot)) & 3);
}

int dr_slot_len(uint64_t dr7, int slot)
{
	static const int len_of_code[4] = { 1, 2, 8, 4 };
	if (!slot_ok(slot))
		return 0;
	return len_of_code[(dr7 >> (DR7_CTRL_SHIFT + 4 * slot + 2)) & 3];
}

int dr_commit(struct dr_state *committed, const struct dr_state *next, dr_load_fn load, void *user)
{
	if (load(user, next) < 0) {
		char msg[512];
		snprintf(msg, sizeof(msg), "%s", err_get());
		load(user, committed);
		return err_set("%s", msg);
	}
	*committed = *next;
	return 0;
}
