/*
 * pagewatch.c — watches served by page protection (see pagewatch.h).
 *
 * At a SIGSEGV on a page of ours the faulting instruction is decoded
 * (x86/access.c): which bytes it reads and writes.  If the program's own
 * protection forbids one of them, the signal is the program's.  Otherwise
 * the access is completed — emulated (x86/emu.c) with loads and the store
 * checked against the program's own protection and made through
 * /proc/PID/mem, or, when the emulator cannot, run on the CPU by the caller
 * with the pages opened and every other thread stopped — and the watches
 * whose bytes it touched are its hits (none: nothing is reported).
 *
 * Invariants: see pagewatch.h.  Every mprotect goes through set_range(),
 * which keeps `now` true; the program's /proc/PID/maps is read only for
 * pages whose `now` dr7 does not know (new pages, after the program
 * changed its mappings).
 */
#include "target/ptrace/pagewatch.h"
#include "target/ptrace/inject.h"
#include "target/ptrace/ptrace_internal.h"
#include "target/ptrace/syscall_spans.h"

#include <assert.h>
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <sys/syscall.h>

#include "util/util.h"
#include "x86/emu.h"

#define PAGE 4096ULL
#define PAGE_OF(a) ((a) & ~(PAGE - 1))

/* ---- the program's own protection, from /proc/PID/maps ---- */

/* The program's mappings at one moment (lo, hi, PROT_* bits), sorted. */
struct maps_snap {
	uint64_t *v;		/* triples */
	int n;
};

static void maps_load(struct target *t, struct maps_snap *m)
{
	char path[64], line[512];
	m->v = NULL;
	m->n = 0;
	snprintf(path, sizeof(path), "/proc/%d/maps", (int)t->pid);
	FILE *f = fopen(path, "re");
	if (!f)
		return;
	int cap = 0;
	while (fgets(line, sizeof(line), f)) {
		unsigned long long lo, hi;
		char perm[8];
		if (sscanf(line, "%llx-%llx %7s", &lo, &hi, perm) != 3)
			continue;
		if (m->n == cap) {
			cap = cap ? cap * 2 : 256;
			m->v = xrealloc(m->v, sizeof(uint64_t) * 3 * (size_t)cap);
		}
		m->v[3 * m->n] = lo;
		m->v[3 * m->n + 1] = hi;
		m->v[3 * m->n + 2] = (uint64_t)((perm[0] == 'r' ? PROT_READ : 0) | (perm[1] == 'w' ? PROT_WRITE : 0) |
						(perm[2] == 'x' ? PROT_EXEC : 0));
		m->n++;
	}
	fclose(f);
}

/* The protection of the mapping holding addr (-1: not mapped). */
static int maps_find(const struct maps_snap *m, uint64_t addr)
{
	int lo = 0, hi = m->n;
	while (lo < hi) {
		int mid = (lo + hi) / 2;
		if (m->v[3 * mid + 1] <= addr)
			lo = mid + 1;
		else
			hi = mid;
	}
	return lo < m->n && m->v[3 * lo] <= addr ? (int)m->v[3 * lo + 2] : -1;
}

static int maps_prot(struct target *t, uint64_t addr)
{
	struct maps_snap m;
	maps_load(t, &m);
	int prot = maps_find(&m, addr);
	free(m.v);
	return prot;
}

static int can_read(int prot)
{
	return prot > 0;	/* x86 without protection keys: any access right reads */
}

static int can_write(int prot)
{
	return prot >= 0 && (prot & PROT_WRITE);
}

/* ---- the tables ---- */

struct pw_page *pw_page_find(struct pw_state *s, uint64_t addr)
{
	uint64_t a = PAGE_OF(addr);
	int lo = 0, hi = s->npages;
	while (lo < hi) {
		int mid = (lo + hi) / 2;
		if (s->pages[mid].addr < a)
			lo = mid + 1;
		else
			hi = mid;
	}
	return lo < s->npages && s->pages[lo].addr == a ? &s->pages[lo] : NULL;
}

static int same_point(const struct point *a, const struct point *b)
{
	return a->type == b->type && a->addr == b->addr && a->len == b->len && a->tid == b->tid;
}

static struct pw_watch *watch_find(struct pw_state *s, const struct point *p)
{
	for (int i = 0; i < s->nw; i++)
		if (same_point(&s->w[i].p, p))
			return &s->w[i];
	return NULL;
}

static unsigned sees_of(enum point_type type)
{
	return type == POINT_WATCH_WRITE ? ACCESS_WRITE : type == POINT_WATCH_READ ? ACCESS_READ
										: ACCESS_READ | ACCESS_WRITE;
}

static uint64_t watch_end(const struct point *p)
{
	return p->addr + (uint64_t)p->len;
}

/* What the page must allow now: the program's protection less what the watches on it see. */
static int imposed(const struct pw_state *s, const struct pw_page *pg)
{
	if (pg->own < 0)
		return -1;
	unsigned sees = 0;
	for (int i = 0; i < s->nw; i++) {
		const struct point *p = &s->w[i].p;
		if (p->addr < pg->addr + PAGE && pg->addr < watch_end(p))
			sees |= s->w[i].sees;
	}
	if (sees & ACCESS_READ)
		return PROT_NONE;
	if (sees & ACCESS_WRITE)
		return pg->own & ~PROT_WRITE;
	return pg->own;
}

static struct pw_page *page_add(struct target *t, struct pw_state *s, uint64_t a)
{
	struct pw_page *found = pw_page_find(s, a);
	if (found)
		return found;
	int at = 0;
	while (at < s->npages && s->pages[at].addr < a)
		at++;
	s->pages = xrealloc(s->pages, sizeof(*s->pages) * (size_t)(s->npages + 1));
	memmove(&s->pages[at + 1], &s->pages[at], sizeof(*s->pages) * (size_t)(s->npages - at));
	s->npages++;
	struct pw_page *pg = &s->pages[at];
	memset(pg, 0, sizeof(*pg));
	pg->addr = a;
	pg->own = maps_prot(t, a);
	pg->now = pg->own;
	return pg;
}

/* Drops pages no watch covers any more (their protection is the program's
 * again) and no call in progress holds open (a watch added again while it
 * runs must find it open). */
static void pages_prune(struct target *t, struct pw_state *s)
{
	int k = 0;
	for (int i = 0; i < s->npages; i++) {
		struct pw_page *pg = &s->pages[i];
		int used = 0;
		for (int j = 0; j < s->nw && !used; j++)
			used = s->w[j].p.addr < pg->addr + PAGE && pg->addr < watch_end(&s->w[j].p);
		if (used || pg->now != pg->own || pg->nopeners) {
			s->pages[k++] = *pg;
			continue;
		}
		for (int j = 0; j < t->nthreads; j++)
			if (PTH(t->threads[j])->stale_page == pg->addr + 1)
				PTH(t->threads[j])->stale_page = 0;	/* a fault there may be stale again */
		free(pg->openers);
		s->former[s->former_next] = pg->addr;
		s->former_next = (s->former_next + 1) % (int)ARRAY_SIZE(s->former);
		if (s->nformer < (int)ARRAY_SIZE(s->former))
			s->nformer++;
	}
	s->npages = k;
}

int pw_stale_fault(struct target *t, struct target_thread *th, const siginfo_t *si)
{
	struct pw_state *s = &PT(t)->pw;
	struct pt_thread *p = PTH(th);
	uint64_t a = PAGE_OF((uint64_t)(uintptr_t)si->si_addr);
	if (si->si_code != SEGV_ACCERR || pw_page_find(s, a))
		return 0;
	if (p->stale_page == a + 1) {
		p->stale_page = 0;	/* it faulted there again: the program's own */
		return 0;
	}
	for (int i = 0; i < s->nformer; i++) {
		if (s->former[i] == a) {
			p->stale_page = a + 1;
			return 1;
		}
	}
	return 0;
}

/* ---- changing protections in the program ---- */

static int mprotect_in(struct target *t, struct target_thread *inj, int at_entry, uint64_t a, uint64_t n,
		       int prot)
{
	uint64_t args[6] = { a, n, (uint64_t)prot, 0, 0, 0 };
	int64_t ret;
	int rc = at_entry ? inject_at_entry(t, inj, SYS_mprotect, args, &ret)
			  : inject_syscall(t, inj, SYS_mprotect, args, &ret);
	if (rc < 0)
		return -1;
	if (ret < 0)
		return err_set("mprotect in the program failed at %016llx: %s", (unsigned long long)a,
			       strerror((int)-ret));
	return 0;
}

/*
 * Gives each page of ours in [lo, hi) protection want(page) (-1: leave it),
 * one mprotect per run of adjacent pages that need the same.
 */
static int set_range(struct target *t, struct target_thread *inj, int at_entry, uint64_t lo, uint64_t hi,
		     int (*want)(const struct pw_state *, const struct pw_page *))
{
	struct pw_state *s = &PT(t)->pw;
	int rc = 0;
	for (int i = 0; i < s->npages; i++) {
		struct pw_page *pg = &s->pages[i];
		if (pg->addr + PAGE <= lo || pg->addr >= hi)
			continue;
		int w = want(s, pg);
		if (w < 0 || w == pg->now || pg->own < 0)
			continue;
		int j = i + 1;
		while (j < s->npages && s->pages[j].addr == s->pages[j - 1].addr + PAGE && s->pages[j].addr < hi &&
		       s->pages[j].own >= 0 && want(s, &s->pages[j]) == w)
			j++;
		if (mprotect_in(t, inj, at_entry, pg->addr, (uint64_t)(j - i) * PAGE, w) < 0) {
			rc = -1;
		} else {
			for (int k = i; k < j; k++)
				s->pages[k].now = w;
		}
		i = j - 1;
	}
	return rc;
}

static int want_imposed(const struct pw_state *s, const struct pw_page *pg)
{
	return pg->nopeners ? pg->own : imposed(s, pg);
}

static int want_own(const struct pw_state *s, const struct pw_page *pg)
{
	return pg->own;
}

static void opener_add(struct pw_page *pg, pid_t tid)
{
	for (int i = 0; i < pg->nopeners; i++)
		if (pg->openers[i] == tid)
			return;
	pg->openers = xrealloc(pg->openers, sizeof(*pg->openers) * (size_t)(pg->nopeners + 1));
	pg->openers[pg->nopeners++] = tid;
}

/*
 * A thread whose call dr7 saw enter and not yet return (stopped at its
 * entry, or stopped meanwhile) may still have the kernel touch its memory:
 * the pages of [lo, hi) that memory lies on get it as an opener, so
 * protecting them now does not make its call fail.
 */
static void openers_for_calls_in_progress(struct target *t, struct pw_state *s, uint64_t lo, uint64_t hi)
{
	for (int k = 0; k < t->nthreads; k++) {
		struct target_thread *th = t->threads[k];
		if (!PTH(th)->in_syscall)
			continue;
		struct sc_spans sp = { 0 };
		uint32_t len_in;
		sc_entry_spans(t, PTH(th)->sys_nr, PTH(th)->sys_args, &sp, &len_in);
		for (int i = 0; i < sp.n; i++) {
			uint64_t end = sp.v[i].addr + sp.v[i].len < sp.v[i].addr ? ~0ULL : sp.v[i].addr + sp.v[i].len;
			for (int j = 0; j < s->npages; j++) {
				struct pw_page *pg = &s->pages[j];
				if (pg->addr + PAGE > lo && pg->addr < hi && pg->addr + PAGE > sp.v[i].addr &&
				    pg->addr < end && pg->own >= 0)
					opener_add(pg, th->tid);
			}
		}
		sc_spans_free(&sp);
	}
}

int pw_insert(struct target *t, struct target_thread *inj, const struct point *p)
{
	struct pw_state *s = &PT(t)->pw;
	struct pw_watch *w = watch_find(s, p);
	if (w) {
		w->refs++;
		return 0;
	}
	if (t->is32)
		return err_set("not supported: page-protection watches in an i386 program (4 debug registers at most)");
	if (!PT(t)->syscall_insn && inject_find_syscall(t) < 0)
		return -1;
	s->w = xrealloc(s->w, sizeof(*s->w) * (size_t)(s->nw + 1));
	s->w[s->nw++] = (struct pw_watch){ .p = *p, .sees = sees_of(p->type), .refs = 1 };
	for (uint64_t a = PAGE_OF(p->addr); a < watch_end(p); a += PAGE)
		page_add(t, s, a);
	openers_for_calls_in_progress(t, s, p->addr, watch_end(p));
	if (set_range(t, inj, 0, p->addr, watch_end(p), want_imposed) < 0) {
		s->nw--;
		set_range(t, inj, 0, p->addr, watch_end(p), want_imposed);
		pages_prune(t, s);
		return -1;
	}
	return 0;
}

int pw_remove(struct target *t, struct target_thread *inj, const struct point *p)
{
	struct pw_state *s = &PT(t)->pw;
	struct pw_watch *w = watch_find(s, p);
	if (!w)
		return err_set("No such watch");
	if (--w->refs > 0)
		return 0;
	*w = s->w[--s->nw];
	int rc = set_range(t, inj, 0, p->addr, watch_end(p), want_imposed);
	pages_prune(t, s);
	return rc;
}

int pw_remove_all(struct target *t, struct target_thread *inj)
{
	struct pw_state *s = &PT(t)->pw;
	int rc = 0;
	if (s->npages && inj)
		rc = set_range(t, inj, 0, 0, ~0ULL, want_own);
	else if (s->npages)
		rc = err_set("no stopped thread to restore page protections in");
	for (int i = 0; i < s->npages; i++) {
		free(s->pages[i].openers);	/* every page is the program's: nothing to keep open */
		s->pages[i].openers = NULL;
		s->pages[i].nopeners = 0;
	}
	s->nw = 0;
	pages_prune(t, s);
	return rc;
}

void pw_forget(struct target *t)
{
	struct pw_state *s = &PT(t)->pw;
	free(s->w);
	for (int i = 0; i < s->npages; i++)
		free(s->pages[i].openers);
	free(s->pages);
	memset(s, 0, sizeof(*s));	/* the old image's pages are gone: no stale faults either */
	PT(t)->syscall_insn = 0;
}

/* Gives every page of ours the program's protection, run in task tid; shared
 * memory (a vfork child's) records it, a fork child's copy does not. */
static void own_back_in(struct target *t, pid_t tid, int shared)
{
	struct pw_state *s = &PT(t)->pw;
	for (int i = 0; i < s->npages; i++) {
		struct pw_page *pg = &s->pages[i];
		if (pg->own < 0 || pg->now == pg->own)
			continue;
		uint64_t args[6] = { pg->addr, PAGE, (uint64_t)pg->own, 0, 0, 0 };
		int64_t ret;
		if (inject_syscall_tid(t, tid, SYS_mprotect, args, &ret) == 0 && ret == 0 && shared)
			pg->now = pg->own;
	}
}

void pw_restore_child(struct target *t, pid_t child)
{
	own_back_in(t, child, 0);
}

void pw_vfork_open(struct target *t, pid_t child)
{
	own_back_in(t, child, 1);
}

void pw_vfork_close(struct target *t, struct target_thread *parent)
{
	if (PT(t)->pw.npages && inject_leave_syscall(t, parent) == 0)
		set_range(t, parent, 0, 0, ~0ULL, want_imposed);
}

/* ---- faults ---- */

/* Whether the program's own protection allows [a, a+n) for rw on every page of ours it covers. */
static int own_allows(struct pw_state *s, uint64_t a, uint64_t n, unsigned rw)
{
	for (uint64_t pa = PAGE_OF(a); pa < a + n && pa >= PAGE_OF(a); pa += PAGE) {
		struct pw_page *pg = pw_page_find(s, pa);
		if (!pg)
			continue;
		if ((rw & ACCESS_READ) && !can_read(pg->own))
			return 0;
		if ((rw & ACCESS_WRITE) && !can_write(pg->own))
			return 0;
	}
	return 1;
}

/* Whether [a, a+n) lies on pages of ours only, or on none. */
static int all_ours(struct pw_state *s, uint64_t a, uint64_t n)
{
	for (uint64_t pa = PAGE_OF(a); pa < a + n && pa >= PAGE_OF(a); pa += PAGE)
		if (!pw_page_find(s, pa))
			return 0;
	return 1;
}

struct emu_ctx {
	struct target *t;
};

/* A load the emulated instruction makes, with the program's own permissions. */
static int emu_load(void *user, uint64_t a, void *buf, size_t n)
{
	struct emu_ctx *e = user;
	struct pw_state *s = &PT(e->t)->pw;
	if (all_ours(s, a, n)) {
		if (!own_allows(s, a, n, ACCESS_READ))
			return -1;
		return target_read(e->t, a, buf, n) == (int)n ? 0 : -1;
	}
	return target_read_as_program(e->t, a, buf, n);
}

static void add_hit(struct pw_fault *f, const struct point *p, unsigned rw)
{
	for (int i = 0; i < f->nhits; i++) {
		if (same_point(&f->hits[i], p)) {
			f->hit_rw[i] |= rw;
			return;
		}
	}
	if (f->nhits < STOP_MAX_POINTS) {
		f->hits[f->nhits] = *p;
		f->hit_rw[f->nhits++] = rw;
	}
}

/* The debug-register watches (ptrace_points.c's table) that access a sees, as hits of f. */
static void add_dr_hits(struct target *t, pid_t tid, const struct mem_access *a, struct pw_fault *f)
{
	struct pt_target *pt = PT(t);
	unsigned rw = a->rw & (ACCESS_READ | ACCESS_WRITE);
	for (int k = 0; k < pt->nwps; k++) {
		const struct point *p = &pt->wps[k].p;
		if (pt->wps[k].mech != POINT_MECH_DEBUGREG || (p->tid && p->tid != tid))
			continue;
		unsigned sees = sees_of(p->type);
		if ((sees & rw) && a->addr < watch_end(p) && p->addr < a->addr + a->len)
			add_hit(f, p, sees & rw);
	}
}

static void open_add(struct pw_fault *f, uint64_t lo, uint64_t hi)
{
	if (f->nopen < PW_MAX_OPEN) {
		f->open[f->nopen++] = lo;
		f->open[f->nopen++] = hi;
	}
}

/* f's hits: the page-served watches its accesses touch (for thread tid). */
static void match_hits(struct pw_state *s, pid_t tid, struct pw_fault *f)
{
	for (int i = 0; i < f->nacc; i++) {
		const struct mem_access *a = &f->acc[i];
		unsigned rw = a->rw & (ACCESS_READ | ACCESS_WRITE);
		for (int k = 0; k < s->nw; k++) {
			const struct pw_watch *w = &s->w[k];
			if (w->p.tid && w->p.tid != tid)
				continue;
			if ((w->sees & rw) && a->addr < watch_end(&w->p) && w->p.addr < a->addr + a->len)
				add_hit(f, &w->p, w->sees & rw);
		}
	}
}

void pw_after_step(struct target *t, pid_t tid, struct pw_fault *f, uint64_t rcx_after)
{
	if (f->unknown || rcx_after == f->rcx || rcx_after > f->rcx)
		return;	/* not a repeated string instruction that stopped early (cmpxchg writes back anyway) */
	int trimmed = 0;
	for (int i = 0; i < f->nacc; i++) {
		struct mem_access *a = &f->acc[i];
		if (!(a->rw & ACCESS_MAYBE) || !f->rcx || a->len % f->rcx)
			continue;
		/* The iterations that ran, from the end the instruction starts at (EFLAGS.DF). */
		uint64_t done = (f->rcx - rcx_after) * (a->len / f->rcx);
		if (f->df)
			a->addr += a->len - done;
		a->len = done;
		trimmed = 1;
	}
	if (!trimmed)
		return;
	f->nhits = 0;
	match_hits(&PT(t)->pw, tid, f);
}

void pw_on_fault(struct target *t, struct target_thread *th, const siginfo_t *si, struct pw_fault *f)
{
	struct pw_state *s = &PT(t)->pw;
	memset(f, 0, sizeof(*f));
	f->verdict = PW_NOT_OURS;
	uint64_t fa = (uint64_t)(uintptr_t)si->si_addr;
	struct pw_page *pg = pw_page_find(s, fa);
	/* (A page opened for another thread's system call since the fault is
	 * still decided: the access has not happened yet.) */
	if (si->si_code != SEGV_ACCERR || !pg)
		return;
	struct regs r;
	if (pt_get_regs(t, th->tid, &r) < 0)
		return;
	f->pc = r.r[REG_RIP];
	uint8_t code[16];
	int n = target_read(t, f->pc, code, sizeof(code));
	struct mem_access acc[ACCESS_MAX];
	int nacc = 0;
	int len = n > 0 ? x86_accesses(code, (size_t)n, f->pc, t->is32, &r, acc, ACCESS_MAX, &nacc) : -1;
	if (len < 0 || (fa >= f->pc && fa < f->pc + (uint64_t)len)) {
		/* Not decodable, or the fetch of the instruction itself: run it with
		 * the page opened (watched bytes it stores to are found by comparing). */
		f->unknown = len < 0;
		if (!can_read(pg->own))
			return;	/* the program's own fault */
		f->verdict = PW_STEP;
		open_add(f, PAGE_OF(fa), PAGE_OF(fa) + PAGE);
		if (len >= 0)
			open_add(f, PAGE_OF(f->pc), PAGE_OF(f->pc + (uint64_t)len - 1) + PAGE);
		return;
	}
	int touches_fault_page = 0;
	for (int i = 0; i < nacc; i++) {
		if (!own_allows(s, acc[i].addr, acc[i].len, acc[i].rw & (ACCESS_READ | ACCESS_WRITE)))
			return;	/* the program's own protection faults too: its signal */
		if (fa >= PAGE_OF(acc[i].addr) && fa < acc[i].addr + acc[i].len)
			touches_fault_page = 1;
	}
	if (!touches_fault_page)
		return;	/* not the access we decoded (cannot be ours) */
	int has_store = 0, big = 0;
	memcpy(f->acc, acc, sizeof(acc[0]) * (size_t)nacc);
	f->nacc = nacc;
	f->rcx = r.r[REG_RCX];
	f->df = (r.r[REG_EFL] >> 10) & 1;
	match_hits(s, th->tid, f);
	for (int i = 0; i < nacc; i++) {
		unsigned rw = acc[i].rw & (ACCESS_READ | ACCESS_WRITE);
		has_store |= (rw & ACCESS_WRITE) != 0;
		big |= acc[i].len > 8 || (acc[i].rw & ACCESS_MAYBE);
		open_add(f, PAGE_OF(acc[i].addr), PAGE_OF(acc[i].addr + acc[i].len - 1) + PAGE);
	}
	if (!f->nhits)
		pg->unrelated++;
	/* Emulated when the emulator knows the instruction exactly. */
	struct emu_ctx ctx = { .t = t };
	struct regs next = r;
	struct emu_store st;
	if (!big && emu_step(code, (size_t)n, f->pc, t->is32, &next, emu_load, &ctx, &st) == len &&
	    (st.size > 0) == has_store) {
		int ok = 1;
		if (st.size) {
			if (all_ours(s, st.addr, st.size))
				ok = own_allows(s, st.addr, st.size, ACCESS_WRITE) &&
				     target_write(t, st.addr, st.bytes, st.size) == 0;
			else
				ok = target_write_as_program(t, st.addr, st.bytes, st.size) == 0;
		}
		if (ok && pt_set_regs(t, th->tid, &next) == 0) {
			/* The CPU did not run it: what debug registers would have seen is ours to report. */
			for (int i = 0; i < nacc; i++)
				add_dr_hits(t, th->tid, &acc[i], f);
			f->verdict = PW_EMULATED;
			return;
		}
	}
	f->verdict = PW_STEP;
}

int pw_set_open(struct target *t, struct target_thread *th, const struct pw_fault *f, int open)
{
	int rc = 0;
	for (int i = 0; i + 1 < f->nopen; i += 2)
		if (set_range(t, th, 0, f->open[i], f->open[i + 1], open ? want_own : want_imposed) < 0)
			rc = -1;
	return rc;
}

/* The bytes of store watches on f's open pages, concatenated in watch order. */
void pw_snapshot(struct target *t, struct pw_fault *f, uint8_t **snap)
{
	struct pw_state *s = &PT(t)->pw;
	struct sbuf sb = { 0 };
	for (int k = 0; k < s->nw; k++) {
		const struct point *p = &s->w[k].p;
		uint8_t buf[256];
		for (uint64_t a = p->addr; a < watch_end(p); a += sizeof(buf)) {
			size_t n = (size_t)(watch_end(p) - a < sizeof(buf) ? watch_end(p) - a : sizeof(buf));
			memset(buf, 0, n);
			target_read(t, a, buf, n);
			sb_addn(&sb, (const char *)buf, n);
		}
	}
	*snap = (uint8_t *)sb.buf;
}

void pw_finish_step(struct target *t, pid_t tid, struct pw_fault *f, uint8_t *snap)
{
	struct pw_state *s = &PT(t)->pw;
	size_t off = 0;
	for (int k = 0; snap && k < s->nw; k++) {
		const struct point *p = &s->w[k].p;
		uint8_t buf[256];
		int changed = 0;
		for (uint64_t a = p->addr; a < watch_end(p); a += sizeof(buf)) {
			size_t n = (size_t)(watch_end(p) - a < sizeof(buf) ? watch_end(p) - a : sizeof(buf));
			memset(buf, 0, n);
			target_read(t, a, buf, n);
			if (memcmp(buf, snap + off, n))
				changed = 1;
			off += n;
		}
		if (changed && (s->w[k].sees & ACCESS_WRITE) && (!p->tid || p->tid == tid))
			add_hit(f, p, ACCESS_WRITE);
	}
	free(snap);
}

/* ---- system calls ---- */

static int want_opened(const struct pw_state *s, const struct pw_page *pg)
{
	return pg->nopeners ? pg->own : -1;
}

static int opener_index(const struct pw_page *pg, pid_t tid)
{
	for (int i = 0; i < pg->nopeners; i++)
		if (pg->openers[i] == tid)
			return i;
	return -1;
}

int pw_open_for_syscall(struct target *t, struct target_thread *th, uint64_t addr, uint64_t len, int at_entry)
{
	struct pw_state *s = &PT(t)->pw;
	if (len == 0)
		return 0;
	uint64_t end = addr + len < addr ? ~0ULL : addr + len;
	int n = 0;
	for (int i = 0; i < s->npages; i++) {
		struct pw_page *pg = &s->pages[i];
		if (pg->addr + PAGE <= addr || pg->addr >= end || pg->own < 0)
			continue;
		/* Already open (another thread's call, or nothing imposed): th
		 * still needs it, so it is an opener too. */
		opener_add(pg, th->tid);
		if (pg->now != pg->own)
			n++;
	}
	if (n && set_range(t, th, at_entry, addr, end, want_opened) < 0)
		return -1;
	return n;
}

int pw_close_after_syscall(struct target *t, struct target_thread *th)
{
	struct pw_state *s = &PT(t)->pw;
	int any = 0;
	for (int i = 0; i < s->npages; i++) {
		struct pw_page *pg = &s->pages[i];
		int at = opener_index(pg, th->tid);
		if (at >= 0) {
			pg->openers[at] = pg->openers[--pg->nopeners];
			any = 1;
		}
	}
	return any ? set_range(t, th, 0, 0, ~0ULL, want_imposed) : 0;
}

int pw_program_mapped(struct target *t, struct target_thread *th, uint64_t addr, uint64_t len, int new_prot)
{
	struct pw_state *s = &PT(t)->pw;
	uint64_t end = addr + len < addr ? ~0ULL : addr + len;
	int any = 0;
	struct maps_snap maps = { 0 };
	if (new_prot == -2)
		maps_load(t, &maps);
	for (int i = 0; i < s->npages; i++) {
		struct pw_page *pg = &s->pages[i];
		if (pg->addr + PAGE <= addr || pg->addr >= end)
			continue;
		if (new_prot != -2) {
			pg->own = new_prot;
		} else {
			/* maps tells the truth for pages opened at the call's entry and
			 * pages that were not mapped; of the others only whether they went. */
			int m = maps_find(&maps, pg->addr);
			if (pg->nopeners || pg->own < 0 || m < 0)
				pg->own = m;
			else
				m = pg->now;
			pg->now = m;
			any = 1;
			continue;
		}
		/* (Its openers stay: a call in progress still needs the page open.) */
		pg->now = pg->own;
		any = 1;
	}
	free(maps.v);
	return any ? set_range(t, th, 0, addr, end, want_imposed) : 0;
}
