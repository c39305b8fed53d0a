/*
 * ptrace_points.c — how the Linux backend realises the engine's points:
 * POINT_SOFTWARE as an int3 through target.c's shared sites, execute
 * breakpoints in the debug registers through the allocator in dr.c, and
 * watches wherever they are placed: in debug registers when their aligned
 * pieces fit the free slots, otherwise by page protection (pagewatch.c);
 * and moving a thread past an int3 of ours by executing the instruction in
 * dr7 (x86/emu).
 *
 * Invariants:
 *   - every watch inserted is in wps[] exactly once (identical points share
 *     an entry by reference count) and is served by exactly one mechanism;
 *     a debug-register hit names the watches whose pieces hold the slot;
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

#include <stdio.h>
#include <stdlib.h>

#include "target/ptrace/inject.h"
#include "target/ptrace/pagewatch.h"
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
	case POINT_WATCH_READ:
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

/* ---- placement: debug registers or pages ---- */

/*
 * The aligned pieces that cover [addr, addr+len) in debug registers, at
 * most max: their count, or -1 when more would be needed.
 */
static int dr_chunks(uint64_t addr, uint64_t len, int is32, uint64_t *ca, int *cl, int max)
{
	int n = 0;
	uint64_t end = addr + len;
	while (addr < end) {
		int sz = is32 ? 4 : 8;
		while (sz > 1 && ((addr & (uint64_t)(sz - 1)) || addr + (uint64_t)sz > end))
			sz /= 2;
		if (n == max)
			return -1;
		ca[n] = addr;
		cl[n++] = sz;
		addr += (uint64_t)sz;
	}
	return n;
}

static struct pt_watchpoint *wp_find(struct pt_target *pt, const struct point *p)
{
	for (int i = 0; i < pt->nwps; i++) {
		const struct point *q = &pt->wps[i].p;
		if (q->type == p->type && q->addr == p->addr && q->len == p->len && q->tid == p->tid)
			return &pt->wps[i];
	}
	return NULL;
}

/*
 * How well a stopped thread serves to run system calls in (everyone is
 * stopped here): 0 not at all, higher better.  A thread at an ordinary stop
 * is in user mode; at a syscall-exit stop its call is done; at an entry
 * stop ours is swapped in and its own entered again; at an event stop its
 * call must first finish (inject_leave_event), which a vfork parent cannot
 * before its child is done.  A pending syscall or event stop is not
 * touched: classifying it later needs that very stop.
 */
static int inject_rank(struct target *t, struct target_thread *th)
{
	struct pt_thread *p = PTH(th);
	if (th->state != THREAD_STOPPED || p->starting || p->exiting)
		return 0;
	switch (p->stop_kind) {
	case PT_STOP_NONE:
	case PT_STOP_ORDINARY:
		return p->has_pending ? 5 : 6;
	case PT_STOP_SYSCALL_EXIT:
		return p->has_pending ? 0 : 4;
	case PT_STOP_SYSCALL_ENTRY:
		return p->has_pending ? 0 : 3;
	case PT_STOP_EVENT:
		return p->has_pending || th->tid == PT(t)->vfork_parent ? 0 : 2;
	}
	return 0;
}

/* The stopped thread to run system calls in, out of an event stop if it was in one; NULL: none. */
static struct target_thread *inject_thread(struct target *t)
{
	struct target_thread *best = NULL;
	int best_rank = 0;
	for (int i = 0; i < t->nthreads; i++) {
		int r = inject_rank(t, t->threads[i]);
		if (r > best_rank) {
			best = t->threads[i];
			best_rank = r;
		}
	}
	if (!best || PTH(best)->stop_kind != PT_STOP_EVENT)
		return best;
	struct pt_thread *p = PTH(best);
	if (inject_leave_event(t, best) < 0)
		return NULL;
	/* Its exit stop is not seen: pages opened for the call at its entry close now. */
	if (p->in_syscall) {
		p->in_syscall = 0;
		p->sys_retried = 0;
		pw_close_after_syscall(t, best);
	}
	return best;
}

/* DR7_WATCH=pages in dr7's environment serves every watch by pages (to measure them). */
static int pages_forced(void)
{
	const char *e = getenv("DR7_WATCH");
	return e && !strcmp(e, "pages");
}

/* Puts w into debug registers when its pieces fit the free slots: 0, or -1 (state unchanged). */
static int place_in_dr(struct target *t, struct pt_watchpoint *w)
{
	const struct point *p = &w->p;
	if (p->type == POINT_WATCH_READ || pages_forced())
		return -1;
	uint64_t ca[DR_SLOTS];
	int cl[DR_SLOTS];
	int n = dr_chunks(p->addr, (uint64_t)p->len, t->is32, ca, cl, DR_SLOTS);
	if (n < 0 || n > dr_free_slots(&PT(t)->dr) || (t->is32 && p->addr + (uint64_t)p->len > 0x100000000ULL) ||
	    (p->addr >> 63))
		return -1;
	struct dr_state next = PT(t)->dr;
	unsigned slots = 0;
	for (int i = 0; i < n; i++) {
		int slot = dr_insert(&next, ca[i], cl[i], rw_of(p->type), p->tid);
		if (slot < 0)
			return -1;
		slots |= 1u << slot;
	}
	if (commit_mirror(t, &next) < 0)
		return -1;
	w->mech = POINT_MECH_DEBUGREG;
	w->slots = slots;
	return 0;
}

static int unplace_dr(struct target *t, struct pt_watchpoint *w)
{
	const struct point *p = &w->p;
	uint64_t ca[DR_SLOTS];
	int cl[DR_SLOTS];
	int n = dr_chunks(p->addr, (uint64_t)p->len, t->is32, ca, cl, DR_SLOTS);
	struct dr_state next = PT(t)->dr;
	for (int i = 0; i < n; i++)
		if (dr_remove(&next, ca[i], cl[i], rw_of(p->type), p->tid) < 0)
			return -1;
	return commit_mirror(t, &next);
}

/* Within this distance of a thread's stack pointer a watch is on a stack. */
#define STACK_REACH (256u << 10)	/* without a memory map: this far around a stack pointer */

/*
 * Pages the kernel writes on its own, outside the program's system calls:
 * each thread's stack (signal frames go just below its stack pointer) and
 * its thread-control block at fs_base (glibc's rseq area, the tid the
 * kernel clears at thread exit, the robust-futex list).  A write there to
 * a page dr7 protected fails in the kernel — the program is killed, or a
 * pthread_join never returns — so watches there are served by debug
 * registers only.  (A stack page is busy with every call and push too.)
 */
#define TCB_REACH 4096u	/* glibc's struct pthread is about 2.3 KiB */

static int overlaps(uint64_t lo, uint64_t hi, uint64_t a, uint64_t b)
{
	return lo < b && a < hi;
}

static int on_kernel_written_page(struct target *t, const struct point *p)
{
	uint64_t lo = p->addr & ~0xfffull;
	uint64_t hi = ((p->addr + (uint64_t)p->len - 1) | 0xfffull) + 1;	/* 0 at the very top */
	if (hi == 0)
		hi = UINT64_MAX;
	struct target_region *rg;
	int nrg = pt_memory_regions(t, &rg);
	int hit = 0;
	for (int i = 0; i < nrg && !hit; i++)
		hit = rg[i].name && !strcmp(rg[i].name, "[stack]") && overlaps(lo, hi, rg[i].start, rg[i].end);
	for (int i = 0; i < t->nthreads && !hit; i++) {
		struct regs r;
		if (t->threads[i]->state != THREAD_STOPPED || pt_get_regs(t, t->threads[i]->tid, &r) < 0)
			continue;
		uint64_t sp = r.r[REG_RSP], tp = r.r[REG_FS_BASE];
		for (int j = 0; j < nrg && !hit; j++)
			hit = sp >= rg[j].start && sp < rg[j].end && overlaps(lo, hi, rg[j].start, rg[j].end);
		if (nrg <= 0)
			hit = overlaps(lo, hi, sp > STACK_REACH ? sp - STACK_REACH : 0, sp + STACK_REACH);
		if (tp && overlaps(lo, hi, tp & ~0xfffull, tp + TCB_REACH))
			hit = 1;
	}
	target_regions_free(rg, nrg > 0 ? nrg : 0);
	return hit;
}

/* Moves w from its debug registers to pages, all or nothing (protected before the slots go). */
static int demote_to_pages(struct target *t, struct target_thread *inj, struct pt_watchpoint *w)
{
	if (pw_insert(t, inj, &w->p) < 0)
		return -1;
	if (unplace_dr(t, w) < 0) {
		pw_remove(t, inj, &w->p);
		return -1;
	}
	w->mech = POINT_MECH_PAGES;
	w->slots = 0;
	return 0;
}

/* Makes room in the debug registers for a stack watch: other watches move to pages. */
static int place_stack_watch(struct target *t, struct pt_watchpoint *nw)
{
	struct pt_target *pt = PT(t);
	struct target_thread *inj = inject_thread(t);
	for (int i = pt->nwps - 1; i >= 0 && inj; i--) {
		struct pt_watchpoint *w = &pt->wps[i];
		if (w->mech != POINT_MECH_DEBUGREG || w->stack)
			continue;
		if (demote_to_pages(t, inj, w) < 0)
			return -1;
		if (place_in_dr(t, nw) == 0)
			return 0;
	}
	return -1;
}

static int insert_watch(struct target *t, const struct point *p)
{
	struct pt_target *pt = PT(t);
	struct pt_watchpoint *w = wp_find(pt, p);
	if (w) {
		w->refs++;
		return 0;
	}
	struct pt_watchpoint nw = { .p = *p, .refs = 1 };
	nw.stack = on_kernel_written_page(t, p);
	if (place_in_dr(t, &nw) < 0 && !(nw.stack && !t->is32 && place_stack_watch(t, &nw) == 0)) {
		if (nw.stack && p->type == POINT_WATCH_READ)
			return err_set("not supported: ba l on a thread's stack or thread-control block (the kernel "
				       "writes there directly, so dr7 cannot protect the page; ba r watches it)");
		if (nw.stack)
			return err_set("Too many processor breakpoints: a watch on a thread's stack or "
				       "thread-control block needs debug registers (the kernel writes there "
				       "directly, so dr7 cannot protect the page), and the four serve such watches");
		struct target_thread *inj = inject_thread(t);
		if (!inj)
			return err_set("No stopped thread to protect pages in");
		if (t->is32)
			return err_set("not supported: more than the 4 debug registers hold in an i386 program "
				       "(page-protection watches are x86-64 only)");
		if (pw_insert(t, inj, p) < 0)
			return -1;
		nw.mech = POINT_MECH_PAGES;
	}
	pt->wps = xrealloc(pt->wps, sizeof(*pt->wps) * (size_t)(pt->nwps + 1));
	pt->wps[pt->nwps++] = nw;
	return 0;
}

static int remove_watch(struct target *t, const struct point *p)
{
	struct pt_target *pt = PT(t);
	struct pt_watchpoint *w = wp_find(pt, p);
	if (!w)
		return err_set("No such watch");
	if (--w->refs > 0)
		return 0;
	int rc;
	if (w->mech == POINT_MECH_DEBUGREG) {
		rc = unplace_dr(t, w);
	} else {
		struct target_thread *inj = inject_thread(t);
		rc = inj ? pw_remove(t, inj, p) : err_set("No stopped thread to restore pages in");
	}
	*w = pt->wps[--pt->nwps];
	return rc;
}

/* Frees debug registers for an execute breakpoint: the last watch they serve goes to pages. */
static int move_watch_to_pages(struct target *t)
{
	struct pt_target *pt = PT(t);
	struct target_thread *inj = inject_thread(t);
	for (int i = pt->nwps - 1; i >= 0 && inj && !t->is32; i--) {
		struct pt_watchpoint *w = &pt->wps[i];
		if (w->mech != POINT_MECH_DEBUGREG)
			continue;
		return demote_to_pages(t, inj, w);
	}
	return -1;
}

/* Unrelated faults on a page after which its watches are offered free debug registers. */
#define HOT_PAGE_FAULTS 256

int pt_placement_due(struct target *t, const siginfo_t *si)
{
	struct pw_page *pg = pw_page_find(&PT(t)->pw, (uint64_t)(uintptr_t)si->si_addr);
	return pg && pg->unrelated >= HOT_PAGE_FAULTS && dr_free_slots(&PT(t)->dr) > 0 && !t->is32;
}

void pt_place_hot(struct target *t, const siginfo_t *si)
{
	struct pt_target *pt = PT(t);
	uint64_t page = (uint64_t)(uintptr_t)si->si_addr & ~4095ULL;
	struct pw_page *pg = pw_page_find(&pt->pw, page);
	if (pg)
		pg->unrelated = 0;	/* counted again from here, whatever happens */
	struct target_thread *inj = inject_thread(t);
	for (int i = 0; i < pt->nwps && inj; i++) {
		struct pt_watchpoint *w = &pt->wps[i];
		if (w->mech != POINT_MECH_PAGES || w->p.addr >= page + 4096 || w->p.addr + (uint64_t)w->p.len <= page)
			continue;
		if (place_in_dr(t, w) < 0)
			continue;	/* does not fit: stays on pages */
		if (pw_remove(t, inj, &w->p) < 0) {
			unplace_dr(t, w);	/* keep one mechanism */
			w->mech = POINT_MECH_PAGES;
			w->slots = 0;
		}
	}
}

enum point_mechanism pt_point_mechanism(struct target *t, const struct point *p, unsigned *slots)
{
	if (p->type == POINT_SOFTWARE)
		return target_sw_find(t, p->addr) ? POINT_MECH_SOFTWARE : POINT_MECH_NONE;
	if (p->type == POINT_HW_EXEC) {
		const struct dr_state *m = &PT(t)->dr;
		for (int i = 0; i < DR_SLOTS; i++)
			if (m->refs[i] && m->addr[i] == p->addr && dr_slot_rw(m->dr7, i) == DR_EXEC && m->tid[i] == p->tid)
				*slots |= 1u << i;
		return *slots ? POINT_MECH_DEBUGREG : POINT_MECH_NONE;
	}
	struct pt_watchpoint *w = wp_find(PT(t), p);
	if (!w)
		return POINT_MECH_NONE;
	*slots = w->slots;
	return w->mech;
}

/* ---- the contract's point operations ---- */

static const char *addr_text(char *buf, size_t n, uint64_t addr)
{
	snprintf(buf, n, "%08x`%08x", (unsigned)(addr >> 32), (unsigned)(addr & 0xffffffffu));
	return buf;
}

int pt_check_point(struct target *t, const struct point *p)
{
	char a[24];
	if (p->type == POINT_SOFTWARE)
		return 0;
	if (p->type == POINT_HW_EXEC)
		return dr_check(p->addr, p->len, rw_of(p->type), t->is32);
	if (p->len < 1 || (uint64_t)p->len > POINT_WATCH_MAX)
		return err_set("Data breakpoint size must be between 1 and 16 MiB");
	if ((p->addr >> 63) || p->addr + (uint64_t)p->len < p->addr)
		return err_set("Breakpoint address %s is in kernel space; user-mode watches cannot watch it",
			       addr_text(a, sizeof(a), p->addr));
	if (t->is32) {
		/* i386: debug registers only (page protection needs the x86-64 injection). */
		uint64_t ca[DR_SLOTS];
		int cl[DR_SLOTS];
		if (p->type == POINT_WATCH_READ)
			return err_set("not supported: ba l (loads only) in an i386 program");
		if (dr_chunks(p->addr, (uint64_t)p->len, 1, ca, cl, DR_SLOTS) < 0)
			return err_set("not supported: a watch that 4 debug registers do not cover in an i386 program");
		if (p->addr + (uint64_t)p->len > 0x100000000ULL)
			return err_set("Breakpoint address %s is outside the 32-bit address space",
				       addr_text(a, sizeof(a), p->addr));
	}
	return 0;
}

int pt_insert_point(struct target *t, const struct point *p)
{
	if (p->type == POINT_SOFTWARE)
		return target_sw_insert(t, p->addr);
	target_stop_all(t);	/* a running thread would miss the new mirror */
	if (pt_check_point(t, p) < 0)
		return -1;
	if (point_is_watch(p->type))
		return insert_watch(t, p);
	struct dr_state next = PT(t)->dr;
	if (dr_insert(&next, p->addr, p->len, rw_of(p->type), p->tid) < 0) {
		/* Only debug registers execute-break: a watch there moves to pages. */
		if (dr_free_slots(&PT(t)->dr) > 0 || move_watch_to_pages(t) < 0)
			return -1;
		next = PT(t)->dr;
		if (dr_insert(&next, p->addr, p->len, rw_of(p->type), p->tid) < 0)
			return -1;
	}
	return commit_mirror(t, &next);
}

int pt_remove_point(struct target *t, const struct point *p)
{
	if (p->type == POINT_SOFTWARE)
		return target_sw_remove(t, p->addr);
	target_stop_all(t);
	if (point_is_watch(p->type))
		return remove_watch(t, p);
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
	if (pw_remove_all(t, inject_thread(t)) < 0)
		rc = -1;
	pt->nwps = 0;
	return rc;
}

void pt_watch_kernel_access(struct target *t, pid_t tid, uint64_t addr, uint64_t len, unsigned rw,
			    struct stop_event *ev)
{
	struct pt_target *pt = PT(t);
	for (int i = 0; i < pt->nwps && ev->nhits < STOP_MAX_POINTS; i++) {
		const struct point *p = &pt->wps[i].p;
		int sees = p->type == POINT_WATCH_RW || (rw == POINT_ACCESS_WRITE ? p->type == POINT_WATCH_WRITE
										 : p->type == POINT_WATCH_READ);
		if (!sees || (p->tid && p->tid != tid))
			continue;
		if (addr < p->addr + (uint64_t)p->len && p->addr < addr + len) {
			int dup = 0;
			for (int k = 0; k < ev->nhits; k++)
				dup |= ev->hits[k].type == p->type && ev->hits[k].addr == p->addr &&
				       ev->hits[k].len == p->len && ev->hits[k].tid == p->tid;
			if (dup)
				continue;
			ev->hit_rw[ev->nhits] = rw;
			ev->hits[ev->nhits++] = *p;
		}
	}
}

int pt_watches_active(struct target *t)
{
	return PT(t)->nwps > 0 && !t->is32;	/* (watchsys.c knows x86-64 calls only) */
}

void pt_points_for_slots(struct target *t, unsigned slots, struct stop_event *ev)
{
	const struct dr_state *m = &PT(t)->dr;
	struct pt_target *pt = PT(t);
	/* Watches: the engine's points whose pieces hold the slots (each named once). */
	for (int k = 0; k < pt->nwps && ev->nhits < STOP_MAX_POINTS; k++) {
		if (pt->wps[k].mech != POINT_MECH_DEBUGREG || !(pt->wps[k].slots & slots))
			continue;
		ev->hit_rw[ev->nhits] = pt->wps[k].p.type == POINT_WATCH_WRITE ? POINT_ACCESS_WRITE : 0;
		ev->hits[ev->nhits++] = pt->wps[k].p;
	}
	for (int i = 0; i < DR_SLOTS && ev->nhits < STOP_MAX_POINTS; i++) {
		if (!(slots & (1u << i)) || !m->refs[i] || dr_slot_rw(m->dr7, i) != DR_EXEC)
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
