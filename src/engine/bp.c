/*
 * bp.c — the breakpoint table; see bp.h for the invariants.  Nothing here
 * evaluates conditions or command strings: the session does, through the
 * fields this module keeps.
 */
#include "engine/bp.h"

#include <stdlib.h>
#include <string.h>

#include "util/util.h"

struct bp *bp_new(void)
{
	struct bp *b = xcalloc(1, sizeof(*b));
	b->enabled = 1;
	b->passes_init = b->passes_left = 1;
	b->thread_index = -1;
	return b;
}

void bp_free(struct bp_table *t, struct bp *b)
{
	if (!b)
		return;
	if (b->cond && t && t->free_cond)
		t->free_cond(b->cond);
	free(b->expr);
	free(b->command);
	free(b->cond_text);
	free(b);
}

struct bp *bp_find(struct bp_table *t, int id)
{
	for (int i = 0; i < t->n; i++)
		if (t->v[i]->id == id)
			return t->v[i];
	return NULL;
}

int bp_lowest_free_id(struct bp_table *t)
{
	int id = 0;
	/* v is sorted by id. */
	for (int i = 0; i < t->n; i++) {
		if (t->v[i]->id == id)
			id++;
		else if (t->v[i]->id > id)
			break;
	}
	return id;
}

void bp_insert(struct bp_table *t, struct bp *b)
{
	int i = 0;
	while (i < t->n && t->v[i]->id < b->id)
		i++;
	t->v = xrealloc(t->v, sizeof(*t->v) * (size_t)(t->n + 1));
	memmove(&t->v[i + 1], &t->v[i], sizeof(*t->v) * (size_t)(t->n - i));
	t->v[i] = b;
	t->n++;
}

static struct site_ref *site_ref_find(const struct bp_table *t, uint64_t addr)
{
	for (int i = 0; i < t->nsites; i++)
		if (t->sites[i].addr == addr)
			return &t->sites[i];
	return NULL;
}

int bp_site_refs(const struct bp_table *t, uint64_t addr)
{
	struct site_ref *r = site_ref_find(t, addr);
	return r ? r->refs : 0;
}

int bp_site_acquire(struct bp_table *t, struct target *tg, uint64_t addr)
{
	struct site_ref *r = site_ref_find(t, addr);
	if (r) {
		r->refs++;
		return 0;
	}
	if (target_sw_insert(tg, addr) < 0)
		return -1;
	t->sites = xrealloc(t->sites, sizeof(*t->sites) * (size_t)(t->nsites + 1));
	t->sites[t->nsites++] = (struct site_ref){ .addr = addr, .refs = 1 };
	return 0;
}

void bp_site_release(struct bp_table *t, struct target *tg, uint64_t addr)
{
	struct site_ref *r = site_ref_find(t, addr);
	if (!r)
		return;
	if (--r->refs > 0)
		return;
	if (tg)
		target_sw_remove(tg, addr);
	*r = t->sites[--t->nsites];
}

int bp_arm(struct bp_table *t, struct target *tg, struct bp *b)
{
	if (b->armed)
		return 0;
	if (!tg || tg->exited || !b->resolved)
		return 0;
	if (b->kind == BP_SOFTWARE) {
		if (bp_site_acquire(t, tg, b->addr) < 0)
			return -1;
	} else {
		if (target_hw_insert(tg, b->addr, b->size, b->rw, b->tid) < 0)
			return -1;
	}
	b->armed = 1;
	return 0;
}

void bp_disarm(struct bp_table *t, struct target *tg, struct bp *b)
{
	if (!b->armed)
		return;
	b->armed = 0;
	if (!tg || tg->exited)
		return;
	if (b->kind == BP_SOFTWARE)
		bp_site_release(t, tg, b->addr);
	else
		target_hw_remove(tg, b->addr, b->size, b->rw, b->tid);
}

int bp_sync(struct bp_table *t, struct target *tg, struct bp *b)
{
	if (b->enabled && b->resolved)
		return bp_arm(t, tg, b);
	bp_disarm(t, tg, b);
	return 0;
}

int bp_delete(struct bp_table *t, struct target *tg, int id)
{
	for (int i = 0; i < t->n; i++) {
		struct bp *b = t->v[i];
		if (b->id != id)
			continue;
		bp_disarm(t, tg, b);
		memmove(&t->v[i], &t->v[i + 1], sizeof(*t->v) * (size_t)(t->n - i - 1));
		t->n--;
		bp_free(t, b);
		return 0;
	}
	return err_set("Breakpoint %d does not exist", id);
}

int bp_renumber(struct bp_table *t, int old_id, int new_id)
{
	struct bp *b = bp_find(t, old_id);
	if (!b)
		return err_set("Breakpoint %d does not exist", old_id);
	if (old_id == new_id)
		return 0;
	if (bp_find(t, new_id))
		return err_set("Breakpoint %d already exists", new_id);
	for (int i = 0; i < t->n; i++) {
		if (t->v[i] == b) {
			memmove(&t->v[i], &t->v[i + 1], sizeof(*t->v) * (size_t)(t->n - i - 1));
			t->n--;
			break;
		}
	}
	b->id = new_id;
	bp_insert(t, b);
	return 0;
}

void bp_forget_target(struct bp_table *t)
{
	for (int i = 0; i < t->n; i++)
		t->v[i]->armed = 0;
	free(t->sites);
	t->sites = NULL;
	t->nsites = 0;
}

int bp_collect_sw(struct bp_table *t, uint64_t addr, struct bp **out, int max)
{
	int n = 0;
	for (int i = 0; i < t->n && n < max; i++) {
		struct bp *b = t->v[i];
		if (b->armed && b->kind == BP_SOFTWARE && b->addr == addr)
			out[n++] = b;
	}
	return n;
}

int bp_collect_hw(struct bp_table *t, const struct target *tg, unsigned hw_hits, struct bp **out,
		  int max)
{
	int n = 0;
	for (int i = 0; i < t->n && n < max; i++) {
		struct bp *b = t->v[i];
		if (!b->armed || b->kind != BP_HARDWARE)
			continue;
		for (int slot = 0; slot < DR_SLOTS; slot++) {
			if (!(hw_hits & (1u << slot)) || !tg->dr.refs[slot])
				continue;
			if (tg->dr.addr[slot] == b->addr && dr_slot_rw(tg->dr.dr7, slot) == b->rw &&
			    dr_slot_len(tg->dr.dr7, slot) == b->size &&
			    (tg->dr.tid[slot] == 0 || tg->dr.tid[slot] == b->tid)) {
				out[n++] = b;
				break;
			}
		}
	}
	return n;
}
