/*
 * bp.c — the breakpoint table; see bp.h for the invariants.  Nothing here
 * evaluates conditions or command strings: the session does, through the
 * fields this module keeps.
 */
#include "engine/bp.h"

#include <assert.h>
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
	int id = t->first_id;
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
	assert(i == t->n || t->v[i]->id != b->id);	/* ids are unique */
	t->v = xrealloc(t->v, sizeof(*t->v) * (size_t)(t->n + 1));
	memmove(&t->v[i + 1], &t->v[i], sizeof(*t->v) * (size_t)(t->n - i));
	t->v[i] = b;
	t->n++;
}

struct point bp_code_point(uint64_t addr)
{
	return (struct point){ .type = POINT_SOFTWARE, .addr = addr, .len = 1 };
}

struct point bp_point(const struct bp *b)
{
	assert(b->resolved);
	if (b->kind == BP_SOFTWARE)
		return bp_code_point(b->addr);
	return (struct point){ .type = b->type, .addr = b->addr, .len = b->size, .tid = b->tid };
}

int bp_arm(struct bp_table *t, struct target *tg, struct bp *b)
{
	if (b->armed)
		return 0;
	if (!tg || tg->exited || !b->resolved)
		return 0;
	assert(b->enabled);	/* armed implies enabled */
	struct point p = bp_point(b);
	if (target_insert_point(tg, &p) < 0)
		return -1;
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
	struct point p = bp_point(b);
	target_remove_point(tg, &p);
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
}

/* Whether hit (a point the backend reported) is b's point. */
static int point_is_bp(const struct point *hit, const struct bp *b)
{
	struct point p = bp_point(b);
	return hit->type == p.type && hit->addr == p.addr && hit->len == p.len && hit->tid == p.tid;
}

unsigned bp_hit_access(const struct bp *b, const struct stop_event *ev)
{
	unsigned rw = 0;
	for (int k = 0; k < ev->nhits; k++)
		if (point_is_bp(&ev->hits[k], b))
			rw |= ev->hit_rw[k];
	return rw;
}

int bp_collect_hits(struct bp_table *t, const struct stop_event *ev, struct bp **out, int max)
{
	int n = 0;
	for (int i = 0; i < t->n && n < max; i++) {
		struct bp *b = t->v[i];
		if (!b->armed)
			continue;
		assert(b->enabled && b->resolved);
		for (int k = 0; k < ev->nhits; k++) {
			if (point_is_bp(&ev->hits[k], b)) {
				out[n++] = b;
				break;
			}
		}
	}
	return n;
}
