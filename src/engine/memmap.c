/*
 * memmap.c — what each region of the address space is (memmap.h).
 *
 * The backend gives mappings with protections and names; the kinds come
 * from above it: a region inside a module's range is Image (the module
 * list, which also covers the vDSO and each module's anonymous .bss), a
 * region holding a thread's stack pointer is that thread's Stack, with
 * the inaccessible guard pages right below it (the
 * kernel's "[stack]" is the main thread's even when no pointer is in it
 * now), "[heap]" is the brk heap, other bracketed names are the kernel's
 * special regions, and what is left is a mapped file or anonymous memory.
 * Read-only: nothing here changes the program.
 */
#include "engine/memmap.h"

#include <stdlib.h>
#include <string.h>

static void classify(struct session *s, struct mem_region *r)
{
	struct sym_module m;
	r->usage = MEM_USAGE_ANON;
	r->thread_index = -1;
	/* A module's end is where its last segment ends; its page is the module's too. */
	if (s->sym && sym_module_at(s->sym, r->start, &m) == 0 && r->end <= ((m.end + 0xfff) & ~0xfffull)) {
		r->usage = MEM_USAGE_IMAGE;
		r->module = m.name;
		r->module_path = m.path;
		return;
	}
	if (!strcmp(r->name, "[heap]"))
		r->usage = MEM_USAGE_HEAP;
	else if (!strcmp(r->name, "[stack]"))
		r->usage = MEM_USAGE_STACK;
	else if (r->name[0] == '[')
		r->usage = MEM_USAGE_SPECIAL;
	else if (r->name[0])
		r->usage = MEM_USAGE_FILE;
}

/* Marks the regions holding each thread's stack pointer as its stack. */
static void find_stacks(struct session *s, struct mem_map *m)
{
	struct target *t = s->tgt;
	for (int i = 0; i < t->nthreads; i++) {
		const struct target_thread *th = t->threads[i];
		struct regs r;
		if (th->state == THREAD_RUNNING || target_get_regs(t, th->tid, &r) < 0)
			continue;
		uint64_t sp = r.r[REG_RSP];
		for (int k = 0; k < m->n; k++) {
			struct mem_region *reg = &m->v[k];
			if (sp < reg->start || sp >= reg->end)
				continue;
			if (reg->usage == MEM_USAGE_ANON || reg->usage == MEM_USAGE_STACK) {
				reg->usage = MEM_USAGE_STACK;
				reg->thread_index = th->index;
				reg->tid = th->tid;
			}
			break;
		}
	}
	/* The kernel's [stack] with no pointer in it now (a thread on a signal
	 * stack) is still the main thread's. */
	for (int k = 0; k < m->n; k++) {
		struct mem_region *reg = &m->v[k];
		if (reg->usage == MEM_USAGE_STACK && reg->thread_index < 0 && t->nthreads) {
			struct target_thread *main_th = target_thread_by_tid(t, t->pid);
			if (main_th) {
				reg->thread_index = main_th->index;
				reg->tid = main_th->tid;
			}
		}
	}
	/* The inaccessible guard pages right below a stack are part of it. */
	for (int k = 1; k < m->n; k++) {
		struct mem_region *guard = &m->v[k - 1], *stack = &m->v[k];
		if (stack->usage == MEM_USAGE_STACK && guard->usage == MEM_USAGE_ANON && !guard->prot &&
		    guard->end == stack->start) {
			guard->usage = MEM_USAGE_STACK;
			guard->thread_index = stack->thread_index;
			guard->tid = stack->tid;
			stack->alloc_start = guard->start;
		}
	}
}

int session_memory_map(struct session *s, struct mem_map *out)
{
	memset(out, 0, sizeof(*out));
	if (session_require_process(s) < 0)
		return -1;
	int n = target_memory_regions(s->tgt, &out->raw);
	if (n < 0)
		return -1;
	out->nraw = n;
	out->v = xcalloc((size_t)n + 1, sizeof(*out->v));
	for (int i = 0; i < n; i++) {
		const struct target_region *tr = &out->raw[i];
		struct mem_region *r = &out->v[i];
		r->start = tr->start;
		r->end = tr->end;
		r->prot = tr->prot;
		r->offset = tr->offset;
		r->name = tr->name;
		classify(s, r);
		r->alloc_start = r->start;
		if (i) {
			const struct mem_region *p = &out->v[i - 1];
			int same_module = r->module && p->module && !strcmp(r->module, p->module);
			int same_file = r->name[0] == '/' && !strcmp(r->name, p->name) && p->end == r->start &&
					r->offset == p->offset + (p->end - p->start);
			if (same_module || same_file)
				r->alloc_start = p->alloc_start;
		}
	}
	out->n = n;
	find_stacks(s, out);
	return 0;
}

void mem_map_free(struct mem_map *m)
{
	free(m->v);
	target_regions_free(m->raw, m->nraw);
	memset(m, 0, sizeof(*m));
}

const struct mem_region *mem_map_find(const struct mem_map *m, uint64_t addr)
{
	int lo = 0, hi = m->n - 1;
	while (lo <= hi) {
		int mid = (lo + hi) / 2;
		if (addr < m->v[mid].start)
			hi = mid - 1;
		else if (addr >= m->v[mid].end)
			lo = mid + 1;
		else
			return &m->v[mid];
	}
	return NULL;
}
