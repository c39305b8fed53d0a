/*
 * ptrace_points.c — how the Linux backend realises the engine's points:
 * POINT_SOFTWARE as an int3 through target.c's shared sites, the others in
 * the debug registers through the allocator in dr.c, and moving a thread
 * past an int3 of ours by executing the instruction in dr7 (x86/emu).
 *
 * Invariants:
 *   - PT(t)->dr, the committed mirror, is what every stopped thread's
 *     debug registers hold (running threads and new ones get it before they
 *     next run); a change is committed only once every thread took it, and
 *     rolled back in every thread otherwise;
 *   - an access that a watch could see is never emulated: the CPU must
 *     make it, so the debug register fires.
 */
#include "target/ptrace/ptrace_internal.h"

#include <assert.h>
#include <errno.h>
#include <stddef.h>
#include <string.h>
#include <sys/ptrace.h>

#include "util/util.h"
#include "x86/emu.h"

static enum dr_rw rw_of(enum point_type type)
{
	switch (type) {
	case POINT_HW_EXEC:
		return DR_EXEC;
	case POINT_WATCH_WRITE:
		return DR_WRITE;
	case POINT_WATCH_RW:
		return DR_ACCESS;
	case POINT_SOFTWARE:
		break;
	}
	assert(!"a software point has no debug register");
	return DR_EXEC;
}

static enum point_type type_of(enum dr_rw rw)
{
	return rw == DR_EXEC ? POINT_HW_EXEC : rw == DR_WRITE ? POINT_WATCH_WRITE : POINT_WATCH_RW;
}

/* ---- debug registers in the threads ---- */

static int poke_dr(pid_t tid, int i, uint64_t v)
{
	return (int)ptrace(PTRACE_POKEUSER, tid, offsetof(struct user, u_debugreg[i]), (void *)v);
}

int pt_read_dr6(pid_t tid, uint64_t *dr6)
{
	errno = 0;
	long v = ptrace(PTRACE_PEEKUSER, tid, offsetof(struct user, u_debugreg[6]), 0);
	if (errno)
		return err_set("Cannot read DR6: %s", strerror(errno));
	*dr6 = (uint64_t)v;
	return 0;
}

int pt_get_debugreg(struct target *t, pid_t tid, int n, uint64_t *value)
{
	struct target_thread *th = target_thread_by_tid(t, tid);
	if (!th)
		return err_set("No thread %d", (int)tid);
	if (th->state != THREAD_STOPPED)
		return err_set("Thread %d is running", (int)tid);
	errno = 0;
	long v = ptrace(PTRACE_PEEKUSER, tid, offsetof(struct user, u_debugreg[n]), 0);
	if (errno)
		return err_set("Cannot read DR%d: %s", n, strerror(errno));
	*value = (uint64_t)v;
	return 0;
}

void pt_clear_dr6(pid_t tid)
{
	poke_dr(tid, 6, 0);
}

int pt_arm_thread(struct target_thread *th, const struct dr_state *m)
{
	struct pt_thread *p = PTH(th);
	uint64_t want7 = dr_dr7_for_thread(m, th->tid);
	int addr_change = 0;
	for (int i = 0; i < DR_SLOTS; i++)
		if (dr_slot_enabled(want7, i) && p->armed_addr[i] != m->addr[i])
			addr_change = 1;
	if (!addr_change && want7 == p->armed_dr7)
		return 0;
	/* The kernel validates each address against DR7; disarm first. */
	if (p->armed_dr7 && poke_dr(th->tid, 7, 0) < 0)
		goto fail;
	p->armed_dr7 = 0;
	for (int i = 0; i < DR_SLOTS; i++) {
		if (!dr_slot_enabled(want7, i) || p->armed_addr[i] == m->addr[i])
			continue;
		if (poke_dr(th->tid, i, m->addr[i]) < 0)
			goto fail;
		p->armed_addr[i] = m->addr[i];
	}
	if (want7 && poke_dr(th->tid, 7, want7) < 0)
		goto fail;
	p->armed_dr7 = want7;
	return 0;
fail:
	return err_set("Unable to set processor breakpoint in thread %d: %s", (int)th->tid,
		       strerror(errno));
}

/* Loads mirror m into every stopped thread (only tid, from scratch, when tid > 0). */
static int load_mirror(struct target *t, const struct dr_state *m, pid_t tid)
{
	int rc = 0;
	for (int i = 0; i < t->nthreads; i++) {
		struct target_thread *th = t->threads[i];
		if (tid > 0 && th->tid != tid)
			continue;
		if (tid > 0) {
			/* Re-arm from scratch: the thread may have lost its registers. */
			PTH(th)->armed_dr7 = (uint64_t)-1;
			memset(PTH(th)->armed_addr, 0xff, sizeof(PTH(th)->armed_addr));
		}
		if (PTH(th)->starting || th->state == THREAD_RUNNING)
			continue;	/* armed when it next runs */
		if (pt_arm_thread(th, m) < 0 && !PTH(th)->exiting)
			rc = -1;
	}
	return rc;
}

static int load_all(void *user, const struct dr_state *m)
{
	return load_mirror(user, m, 0);
}

/* Commits next as the mirror once every thread holds it (dr_commit). */
static int commit_mirror(struct target *t, const struct dr_state *next)
{
	return dr_commit(&PT(t)->dr, next, load_all, t);
}

/* ---- the contract's point operations ---- */

int pt_check_point(struct target *t, const struct point *p)
{
	if (p->type == POINT_SOFTWARE)
		return 0;
	return dr_check(p->addr, p->len, rw_of(p->type), t->is32);
}

int pt_insert_point(struct target *t, const struct point *p)
{
	if (p->type == POINT_SOFTWARE)
		return target_sw_insert(t, p->addr);
	target_stop_all(t);	/* a running thread would miss the new mirror */
	if (dr_check(p->addr, p->len, rw_of(p->type), t->is32) < 0)
		return -1;
	struct dr_state next = PT(t)->dr;
	if (dr_insert(&next, p->addr, p->len, rw_of(p->type), p->tid) < 0)
		return -1;
	return commit_mirror(t, &next);
}

int pt_remove_point(struct target *t, const struct point *p)
{
	if (p->type == POINT_SOFTWARE)
		return target_sw_remove(t, p->addr);
	target_stop_all(t);
	struct dr_state next = PT(t)->dr;
	if (dr_remove(&next, p->addr, p->len, rw_of(p->type), p->tid) < 0)
		return -1;
	return commit_mirror(t, &next);
}

int pt_refresh_thread(struct target *t, pid_t tid)
{
	target_stop_all(t);
	return load_mirror(t, &PT(t)->dr, tid);
}

int pt_remove_all(struct target *t)
{
	/* Remember where the int3 bytes were: a trap of theirs may still be in flight. */
	struct pt_target *pt = PT(t);
	pt->former_sites = xrealloc(pt->former_sites, sizeof(uint64_t) * (size_t)(pt->nformer + t->nsites + 1));
	for (int i = 0; i < t->nsites; i++)
		pt->former_sites[pt->nformer++] = t->sites[i].addr;
	int rc = target_sw_remove_all(t);
	struct dr_state none;
	memset(&none, 0, sizeof(none));
	if (load_mirror(t, &none, 0) < 0)
		rc = -1;
	PT(t)->dr = none;
	return rc;
}

void pt_points_for_slots(struct target *t, unsigned slots, struct stop_event *ev)
{
	const struct dr_state *m = &PT(t)->dr;
	for (int i = 0; i < DR_SLOTS && ev->nhits < STOP_MAX_POINTS; i++) {
		if (!(slots & (1u << i)) || !m->refs[i])
			continue;
		ev->hits[ev->nhits++] = (struct point){
			.type = type_of(dr_slot_rw(m->dr7, i)),
			.addr = m->addr[i],
			.len = dr_slot_len(m->dr7, i),
			.tid = m->tid[i],
		};
	}
}

int pt_slots_have_exec(struct target *t, unsigned slots)
{
	const struct dr_state *m = &PT(t)->dr;
	for (int i = 0; i < DR_SLOTS; i++)
		if ((slots & (1u << i)) && m->refs[i] && dr_slot_rw(m->dr7, i) == DR_EXEC)
			return 1;
	return 0;
}

/* ---- moving a thread past an int3 by emulation ---- */

/*
 * True when a processor breakpoint could see an access to [addr, addr+n):
 * any data slot for a store, read/write slots for a load.
 */
static int access_is_watched(struct target *t, uint64_t addr, size_t n, int is_store)
{
	const struct dr_state *m = &PT(t)->dr;
	for (int i = 0; i < DR_SLOTS; i++) {
		enum dr_rw rw = dr_slot_rw(m->dr7, i);
		if (!m->refs[i] || rw == DR_EXEC || (!is_store && rw != DR_ACCESS))
			continue;
		uint64_t a = m->addr[i], len = (uint64_t)dr_slot_len(m->dr7, i);
		if (addr < a + len && a < addr + n)
			return 1;
	}
	return 0;
}

static int emu_load(void *user, uint64_t addr, void *buf, size_t n)
{
	struct target *t = user;
	if (access_is_watched(t, addr, n, 0))
		return -1;
	return target_read_as_program(t, addr, buf, n);
}

int pt_emulate_over_site(struct target *t, struct target_thread *th)
{
	struct regs r;
	if (pt_get_regs(t, th->tid, &r) < 0)
		return -1;
	uint8_t code[16];
	int n = target_read(t, r.r[REG_RIP], code, sizeof(code));
	if (n <= 0)
		return -1;
	struct emu_store st;
	if (emu_step(code, (size_t)n, r.r[REG_RIP], t->is32, &r, emu_load, t, &st) < 0)
		return -1;
	if (st.size) {
		if (access_is_watched(t, st.addr, st.size, 1))
			return -1;
		if (target_write_as_program(t, st.addr, st.bytes, st.size) < 0)
			return -1;	/* the program would fault here: let the CPU do it */
	}
	return pt_set_regs(t, th->tid, &r);
}
