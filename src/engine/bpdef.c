/*
 * bpdef.c — defining, redefining and retiring breakpoints: the
 * transaction from a breakpoint the user described (cmd/ parses it into a
 * struct bp) to one armed in the table, and the removal of one-shot
 * breakpoints after their hit.
 *
 * Invariant: a definition either takes effect whole (condition compiled,
 * point armed when there is a process, an older definition at the same
 * location replaced under its id) or changes nothing.
 */
#include "engine/session.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

/*
 * A breakpoint's identity: kind, thread and the /c, /C depth filters (the
 * restrictions WinDbg lets breakpoints at one address differ in), then the
 * place: the address (and, for a processor breakpoint, access and size),
 * or the location text of one not resolved yet.
 */
struct bp *session_bp_same_location(struct session *s, const struct bp *b)
{
	for (int i = 0; i < s->bps.n; i++) {
		struct bp *o = s->bps.v[i];
		if (o->kind != b->kind || o->tid != b->tid || o->max_depth != b->max_depth ||
		    o->min_depth != b->min_depth)
			continue;
		if (b->kind == BP_HARDWARE) {
			if (o->resolved && o->addr == b->addr && o->type == b->type && o->size == b->size)
				return o;
			continue;
		}
		if (b->resolved && o->resolved && o->addr == b->addr)
			return o;
		if (!b->resolved && !o->resolved && o->expr && b->expr && !strcmp(o->expr, b->expr))
			return o;
	}
	return NULL;
}

static int same_command(const struct bp *a, const struct bp *b)
{
	if (!a->command || !b->command)
		return !a->command && !b->command;
	return !strcmp(a->command, b->command);
}

int session_bp_find_redefined(struct session *s, const struct bp *b, int by_id, struct bp **old)
{
	struct bp *same = session_bp_same_location(s, b);
	*old = by_id ? bp_find(&s->bps, b->id) : same;
	if (b->kind != BP_HARDWARE || !same)
		return 0;
	/* WinDbg: processor breakpoints at one address may differ in their
	 * restrictions, not only in their command string. */
	if (same != *old)
		return err_set("Processor breakpoint %d already exists with this address, access, size and "
			       "options; change it with ba%d or bs %d", same->id, same->id, same->id);
	if (!by_id && !same_command(same, b))
		return err_set("Processor breakpoint %d has this address, access, size and options: processor "
			       "breakpoints cannot differ only in their command string (bs %d changes it)",
			       same->id, same->id);
	return 0;
}

/*
 * Compiles the /w condition; fails when the text does not parse or names
 * something that does not exist.  Names are bound at the breakpoint's
 * address (its locals, then globals); a data breakpoint stops wherever the
 * data is touched, so it sees what is in scope where it was set (cond.c);
 * an unresolved one binds at its first hit.
 */
static int compile_condition(struct session *s, struct bp *b)
{
	if (!b->cond_text)
		return 0;
	uint64_t pc = COND_PC_LATE;
	if (b->kind == BP_HARDWARE && b->type != POINT_HW_EXEC)
		pc = COND_PC_DATA;
	else if (b->resolved)
		pc = b->addr;
	return cond_compile(s, b->cond_text, pc, &b->cond);
}

int session_bp_install(struct session *s, struct bp *b, struct bp *old)
{
	if (compile_condition(s, b) < 0) {
		bp_free(&s->bps, b);
		return -1;
	}
	int want_id = old ? old->id : b->id;
	b->id = bp_lowest_free_id(&s->bps);	/* temporary: never old's, renumbered below */
	bp_insert(&s->bps, b);
	if (session_has_process(s) && bp_sync(&s->bps, s->tgt, b) < 0) {
		char msg[512];
		snprintf(msg, sizeof(msg), "%s", err_get());
		bp_delete(&s->bps, s->tgt, b->id);
		return err_set("%s", msg);
	}
	if (old)
		bp_delete(&s->bps, s->tgt, old->id);
	bp_renumber(&s->bps, b->id, want_id);
	return 0;
}

void session_bp_retire_oneshots(struct session *s, const int *ids, int n)
{
	for (int i = 0; i < n; i++) {
		struct bp *b = bp_find(&s->bps, ids[i]);
		if (!b || !b->oneshot)
			continue;
		int id = b->id;
		bp_delete(&s->bps, s->tgt, id);
		session_emit_bp(s, EV_BP_REMOVED, id, BP_REMOVAL_ONESHOT, NULL);
	}
}
