/*
 * target.c — the contract's wrappers and what every backend may share:
 * software-breakpoint sites with their saved bytes, breakpoint-hiding
 * memory access, the thread list, and process facts parsed from what a
 * backend gives raw (the auxiliary vector).  See target.h for the invariants.
 *
 * A site exists while some POINT_SOFTWARE insert holds a reference to it;
 * it may be temporarily lifted (original byte back in memory) while one
 * thread is stepped over it with every other thread stopped.  Memory reads
 * always show the saved byte, lifted or not.
 */
#include "target/target.h"

#include <assert.h>
#include <stdlib.h>
#include <string.h>

#include "util/auxv.h"
#include "util/util.h"

int target_resume(struct target *t, const struct resume_req *req)
{
	return t->ops->resume(t, req);
}

int target_wait(struct target *t, struct stop_event *ev, volatile int *interrupted)
{
	if (t->ops->wait(t, ev, interrupted) < 0)
		return -1;
	assert(ev->nhits >= 0 && ev->nhits <= STOP_MAX_POINTS);
	/* The event's pc is already rewound onto the int3 that stopped it. */
	for (int i = 0; i < ev->nhits; i++)
		assert(ev->hits[i].type != POINT_SOFTWARE || ev->hits[i].addr == ev->pc);
	return 0;
}

int target_stop_all(struct target *t)
{
	if (t->exited || !t->ops->stop_all)
		return 0;
	return t->ops->stop_all(t);
}

/* Index of the first site with addr >= a. */
static int site_lower_bound(const struct target *t, uint64_t a)
{
	int lo = 0, hi = t->nsites;
	while (lo < hi) {
		int mid = (lo + hi) / 2;
		if (t->sites[mid].addr < a)
			lo = mid + 1;
		else
			hi = mid;
	}
	return lo;
}

const struct sw_site *target_sw_find(const struct target *t, uint64_t addr)
{
	int i = site_lower_bound(t, addr);
	return i < t->nsites && t->sites[i].addr == addr ? &t->sites[i] : NULL;
}

static struct sw_site *site_find(struct target *t, uint64_t addr)
{
	return (struct sw_site *)target_sw_find(t, addr);
}

/* Puts the saved byte of every inserted site inside [addr, addr+n) into buf. */
static void hide_sites(const struct target *t, uint64_t addr, uint8_t *buf, size_t n)
{
	for (int i = site_lower_bound(t, addr); i < t->nsites; i++) {
		const struct sw_site *s = &t->sites[i];
		if (s->addr >= addr + n)
			break;
		if (s->inserted)
			buf[s->addr - addr] = s->saved;
	}
}

int target_read(struct target *t, uint64_t addr, void *buf, size_t n)
{
	if (t->exited)
		return err_set("No process");
	int got = t->ops->read_mem(t, addr, buf, n);
	if (got <= 0)
		return got < 0 ? -1 : 0;
	hide_sites(t, addr, buf, (size_t)got);
	return got;
}

int target_write(struct target *t, uint64_t addr, const void *buf, size_t n)
{
	if (t->exited)
		return err_set("No process");
	const uint8_t *in = buf;
	int first = site_lower_bound(t, addr);
	int last = first;
	while (last < t->nsites && t->sites[last].addr < addr + n)
		last++;
	if (first == last)
		return t->ops->write_mem(t, addr, buf, n);
	/* The saved bytes take the new values; memory keeps 0xCC where inserted. */
	uint8_t *copy = xmalloc(n);
	memcpy(copy, in, n);
	for (int i = first; i < last; i++)
		if (t->sites[i].inserted)
			copy[t->sites[i].addr - addr] = 0xCC;
	int rc = t->ops->write_mem(t, addr, copy, n);
	free(copy);
	if (rc == 0)
		for (int i = first; i < last; i++)
			t->sites[i].saved = in[t->sites[i].addr - addr];
	return rc;
}

int target_read_as_program(struct target *t, uint64_t addr, void *buf, size_t n)
{
	if (t->exited || !t->ops->read_as_program || t->ops->read_as_program(t, addr, buf, n) < 0)
		return -1;
	hide_sites(t, addr, buf, n);
	return 0;
}

int target_write_as_program(struct target *t, uint64_t addr, const void *buf, size_t n)
{
	if (t->exited || !t->ops->write_as_program)
		return -1;
	int i = site_lower_bound(t, addr);
	if (i < t->nsites && t->sites[i].addr < addr + n)
		return -1;	/* over an int3: let the CPU do it */
	return t->ops->write_as_program(t, addr, buf, n);
}

int target_get_regs(struct target *t, pid_t tid, struct regs *r)
{
	if (t->exited)
		return err_set("No process");
	return t->ops->get_regs(t, tid, r);
}

int target_set_regs(struct target *t, pid_t tid, const struct regs *r)
{
	if (t->exited)
		return err_set("No process");
	return t->ops->set_regs(t, tid, r);
}

int target_get_fpregs(struct target *t, pid_t tid, struct fpregs *f)
{
	if (t->exited)
		return err_set("No process");
	if (!t->ops->get_fpregs)
		return err_set("not supported: floating-point registers on this target");
	return t->ops->get_fpregs(t, tid, f);
}

int target_get_debugreg(struct target *t, pid_t tid, int n, uint64_t *value)
{
	if (t->exited)
		return err_set("No process");
	if (n < 0 || n > 7 || n == 4 || n == 5)
		return err_set("Bad register error: no debug register dr%d", n);
	if (!t->ops->get_debugreg)
		return err_set("not supported: debug registers (the %s backend does not expose them)",
			       t->ops->name ? t->ops->name : "current");
	return t->ops->get_debugreg(t, tid, n, value);
}

int target_check_point(struct target *t, const struct point *p)
{
	if (t->exited)
		return err_set("No process");
	return t->ops->check_point(t, p);
}

int target_insert_point(struct target *t, const struct point *p)
{
	if (t->exited)
		return err_set("No process");
	return t->ops->insert_point(t, p);
}

int target_remove_point(struct target *t, const struct point *p)
{
	if (t->exited)
		return 0;
	return t->ops->remove_point(t, p);
}

int target_refresh_thread(struct target *t, pid_t tid)
{
	if (t->exited)
		return err_set("No process");
	return t->ops->refresh_thread ? t->ops->refresh_thread(t, tid) : 0;
}

int target_sw_insert(struct target *t, uint64_t addr)
{
	struct sw_site *found = site_find(t, addr);
	if (found) {
		assert(found->refs > 0);
		found->refs++;
		return 0;
	}
	uint8_t orig;
	if (t->ops->read_mem(t, addr, &orig, 1) != 1)
		return err_set("Unable to insert breakpoint at %016llx: memory not accessible",
			       (unsigned long long)addr);
	uint8_t cc = 0xCC;
	if (t->ops->write_mem(t, addr, &cc, 1) < 0)
		return err_set("Unable to insert breakpoint at %016llx: memory not writable",
			       (unsigned long long)addr);
	int i = site_lower_bound(t, addr);
	assert(i == t->nsites || t->sites[i].addr > addr);	/* sorted, one site per address */
	t->sites = xrealloc(t->sites, sizeof(*t->sites) * (size_t)(t->nsites + 1));
	memmove(&t->sites[i + 1], &t->sites[i], sizeof(*t->sites) * (size_t)(t->nsites - i));
	t->sites[i] = (struct sw_site){ .addr = addr, .saved = orig, .inserted = 1, .refs = 1 };
	t->nsites++;
	return 0;
}

int target_sw_moribund(const struct target *t, uint64_t addr)
{
	for (int i = 0; i < t->nmoribund; i++)
		if (t->moribund[i] == addr)
			return 1;
	return 0;
}

static void note_moribund(struct target *t, uint64_t addr)
{
	if (t->nmoribund == (int)ARRAY_SIZE(t->moribund)) {
		memmove(t->moribund, t->moribund + 1, sizeof(t->moribund) - sizeof(t->moribund[0]));
		t->nmoribund--;
	}
	t->moribund[t->nmoribund++] = addr;
}

/* Puts the original byte back unless the program rewrote it since (its new code wins). */
static int restore_site(struct target *t, const struct sw_site *s)
{
	uint8_t now;
	if (!s->inserted || t->exited)
		return 0;
	if (t->ops->read_mem(t, s->addr, &now, 1) == 1 && now != 0xCC)
		return 0;
	return t->ops->write_mem(t, s->addr, &s->saved, 1);
}

int target_sw_remove(struct target *t, uint64_t addr)
{
	int i = site_lower_bound(t, addr);
	if (i >= t->nsites || t->sites[i].addr != addr)
		return 0;
	assert(t->sites[i].refs > 0);
	if (--t->sites[i].refs > 0)
		return 0;
	struct sw_site s = t->sites[i];
	note_moribund(t, addr);
	memmove(&t->sites[i], &t->sites[i + 1], sizeof(*t->sites) * (size_t)(t->nsites - i - 1));
	t->nsites--;
	return restore_site(t, &s);
}

int target_sw_lift(struct target *t, uint64_t addr)
{
	struct sw_site *s = site_find(t, addr);
	if (!s || !s->inserted)
		return 0;
	if (t->ops->write_mem(t, addr, &s->saved, 1) < 0)
		return -1;
	s->inserted = 0;
	return 0;
}

int target_sw_drop(struct target *t, uint64_t addr)
{
	struct sw_site *s = site_find(t, addr);
	if (!s || s->inserted)
		return 0;
	uint8_t cc = 0xCC;
	if (t->ops->write_mem(t, addr, &cc, 1) < 0)
		return -1;
	s->inserted = 1;
	return 0;
}

int target_sw_remove_all(struct target *t)
{
	int rc = 0;
	for (int i = 0; i < t->nsites; i++)
		if (restore_site(t, &t->sites[i]) < 0)
			rc = -1;
	target_sw_forget(t);
	return rc;
}

void target_sw_forget(struct target *t)
{
	free(t->sites);
	t->sites = NULL;
	t->nsites = 0;
	t->nmoribund = 0;
}

int target_read_auxv(struct target *t, void *buf, size_t n)
{
	if (t->exited || !t->ops->read_auxv)
		return err_set("not supported: the auxiliary vector on this target");
	return t->ops->read_auxv(t, buf, n);
}

int target_exe_path(struct target *t, char *buf, size_t n)
{
	if (n)
		buf[0] = 0;
	if (t->exited || !t->ops->exe_path)
		return err_set("not supported: the executable's path on this target");
	return t->ops->exe_path(t, buf, n);
}

int target_auxv(struct target *t, uint64_t *entry, uint64_t *interp_base)
{
	unsigned char raw[AUXV_MAX];
	*entry = *interp_base = 0;
	int n = target_read_auxv(t, raw, sizeof(raw));
	if (n < 0)
		return -1;
	auxv_find(raw, (size_t)n, t->is32, AUXV_ENTRY, entry);
	auxv_find(raw, (size_t)n, t->is32, AUXV_BASE, interp_base);
	return 0;
}

int target_signal_handled(struct target *t, int signo)
{
	return t->ops->signal_handled ? t->ops->signal_handled(t, signo) : 0;
}

int target_memory_regions(struct target *t, struct target_region **out)
{
	*out = NULL;
	if (t->exited || !t->ops->memory_regions)
		return err_set("not supported: the memory map on this target");
	return t->ops->memory_regions(t, out);
}

void target_regions_free(struct target_region *v, int n)
{
	for (int i = 0; i < n; i++)
		free(v[i].name);
	free(v);
}

int target_thread_name(struct target *t, pid_t tid, char *buf, size_t n)
{
	if (n)
		buf[0] = 0;
	return t->ops->thread_name ? t->ops->thread_name(t, tid, buf, n) : -1;
}

int target_remove_all(struct target *t)
{
	if (t->exited)
		return 0;
	target_stop_all(t);
	int rc = t->ops->remove_all(t);
	/* A backend that used the shared sites forgot them all. */
	assert(rc < 0 || t->nsites == 0);
	return rc;
}

int target_detach(struct target *t, int signo)
{
	int rc = target_remove_all(t);
	if (t->ops->detach(t, signo) < 0)
		rc = -1;
	return rc;
}

int target_kill(struct target *t)
{
	return t->ops->kill(t);
}

void target_destroy(struct target *t)
{
	if (!t)
		return;
	t->ops->destroy(t);
	for (int i = 0; i < t->nthreads; i++) {
		free(t->threads[i]->backend);
		free(t->threads[i]);
	}
	free(t->threads);
	free(t->sites);
	free(t);
}

struct target_thread *target_thread_by_tid(struct target *t, pid_t tid)
{
	for (int i = 0; i < t->nthreads; i++)
		if (t->threads[i]->tid == tid)
			return t->threads[i];
	return NULL;
}

struct target_thread *target_thread_by_index(struct target *t, int index)
{
	for (int i = 0; i < t->nthreads; i++)
		if (t->threads[i]->index == index)
			return t->threads[i];
	return NULL;
}

void target_set_thread_hook(struct target *t,
			    void (*hook)(void *user, const struct target_thread *th, int created),
			    void *user)
{
	t->thread_hook = hook;
	t->thread_hook_user = user;
}

struct target_thread *target_thread_add(struct target *t, pid_t tid)
{
	struct target_thread *th = target_thread_by_tid(t, tid);
	if (th)
		return th;
	th = xcalloc(1, sizeof(*th));
	th->tid = tid;
	th->index = t->next_index++;
	/* Discovery order, never reused: the list stays sorted by index. */
	assert(t->nthreads == 0 || t->threads[t->nthreads - 1]->index < th->index);
	th->state = THREAD_STOPPED;
	t->threads = xrealloc(t->threads, sizeof(*t->threads) * (size_t)(t->nthreads + 1));
	t->threads[t->nthreads++] = th;
	if (t->thread_hook)
		t->thread_hook(t->thread_hook_user, th, 1);
	return th;
}

void target_thread_remove(struct target *t, pid_t tid)
{
	for (int i = 0; i < t->nthreads; i++) {
		if (t->threads[i]->tid != tid)
			continue;
		if (t->thread_hook)
			t->thread_hook(t->thread_hook_user, t->threads[i], 0);
		free(t->threads[i]->backend);
		free(t->threads[i]);
		memmove(&t->threads[i], &t->threads[i + 1],
			sizeof(*t->threads) * (size_t)(t->nthreads - i - 1));
		t->nthreads--;
		return;
	}
}
