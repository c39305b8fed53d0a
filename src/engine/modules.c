/*
 * modules.c — the process image as the engine tracks it: the symbol table
 * over the target (the symbol layer reaches the process only through these
 * callbacks), the module list the dynamic linker's rendezvous keeps current
 * (announcing loads and unloads as events), and breakpoints resolved against it (deferred ones
 * re-resolved as modules appear, address ones removed with their module).
 */
#include "engine/session.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

/* The symbol layer sees the process only through the target. */
static int symproc_is32(void *user)
{
	struct session *s = user;
	return s->tgt && s->tgt->is32;
}

static int symproc_read(void *user, uint64_t addr, void *buf, size_t n)
{
	struct session *s = user;
	return s->tgt ? target_read(s->tgt, addr, buf, n) : -1;
}

static int symproc_read_auxv(void *user, void *buf, size_t n)
{
	struct session *s = user;
	return s->tgt ? target_read_auxv(s->tgt, buf, n) : err_set("No process");
}

static int symproc_exe_path(void *user, char *buf, size_t n)
{
	struct session *s = user;
	return s->tgt ? target_exe_path(s->tgt, buf, n) : err_set("No process");
}

struct sym_table *session_sym_open(struct session *s)
{
	const struct sym_process proc = {
		.user = s, .is32 = symproc_is32, .read = symproc_read,
		.read_auxv = symproc_read_auxv, .exe_path = symproc_exe_path,
	};
	return sym_open(&proc);
}

int session_resolve_bp(struct session *s, struct bp *b)
{
	if (!b->expr)
		return 0;
	uint64_t addr;
	const char *end;
	/* Locations are stored as MASM text (C++ ones wrapped in @@c++()). */
	if (!session_has_process(s) || session_eval_masm(s, b->expr, &end, &addr) < 0 ||
	    *skip_ws(end)) {
		if (b->resolved)
			bp_disarm(&s->bps, s->tgt, b);
		b->resolved = 0;
		return -1;
	}
	uint64_t at = addr;
	if (b->kind == BP_SOFTWARE && session_ifunc_place(s, addr, &at) < 0) {
		if (b->resolved)
			bp_disarm(&s->bps, s->tgt, b);
		b->resolved = 0;
		b->ifunc_pending = 1;
		return -1;
	}
	b->ifunc_pending = 0;
	if (b->resolved && b->addr == at)
		return 0;
	bp_disarm(&s->bps, s->tgt, b);
	b->addr = at;
	b->resolved = 1;
	return 0;
}

int session_bp_locate(struct session *s, struct bp *b)
{
	uint64_t at;
	if (b->kind != BP_SOFTWARE || !b->resolved)
		return 0;
	if (session_ifunc_place(s, b->addr, &at) < 0) {
		b->resolved = 0;
		b->ifunc_pending = 1;
		return -1;
	}
	b->addr = at;
	return 0;
}

void session_resolve_deferred(struct session *s)
{
	for (int i = 0; i < s->bps.n; i++) {
		struct bp *b = s->bps.v[i];
		if (b->origin == BP_BU || b->ifunc_pending)
			session_resolve_bp(s, b);
		if (b->armed || !b->enabled || !b->resolved)
			continue;
		/* Not armed yet (new module, restart): try again; an address whose
		 * module is not mapped yet stays pending without a message. */
		if (bp_sync(&s->bps, s->tgt, b) < 0 && b->origin == BP_BU)
			session_emit_bp(s, EV_BP_ARM_FAILED, b->id, BP_REMOVAL_DEFERRED, err_get());
	}
}

/*
 * A module loaded or unloaded, as the ld/ud filter says: told (notify) at
 * output or break, and noted for run control as a stop when the filter
 * breaks for this module or has commands to run (the first such one of a
 * refresh is the stop; the others are told only).
 */
static void announce_module(struct session *s, enum filter_event fe, struct engine_event *ev,
			    const char *name)
{
	const struct filter *f = &s->filters.ev[fe];
	ev->notify = f->brk == FILTER_BREAK || f->brk == FILTER_OUTPUT;
	session_emit(s, ev);
	if (s->module_stop.pending || !(f->brk == FILTER_BREAK || f->cmd1) ||
	    !filter_module_matches(f, name, ev->path, ev->start))
		return;
	s->module_stop.pending = 1;
	s->module_stop.event = fe;
	s->module_stop.start = ev->start;
	s->module_stop.end = ev->end;
	snprintf(s->module_stop.path, sizeof(s->module_stop.path), "%s", ev->path ? ev->path : "");
}

int session_reload_symbols(struct session *s)
{
	if (session_require_process(s) < 0 || !s->sym)
		return -1;
	int rc = sym_reload(s->sym);
	session_resolve_deferred(s);
	return rc;
}

void session_refresh_modules(struct session *s)
{
	if (!s->sym)
		return;
	int before = sym_module_count(s->sym);
	struct sym_module *old = xcalloc((size_t)before + 1, sizeof(*old));
	char **oldpaths = xcalloc((size_t)before + 1, sizeof(char *));
	char **oldnames = xcalloc((size_t)before + 1, sizeof(char *));
	for (int i = 0; i < before; i++) {
		sym_module_get(s->sym, i, &old[i]);
		oldpaths[i] = xstrdup(old[i].path ? old[i].path : "");
		oldnames[i] = xstrdup(old[i].name ? old[i].name : "");
	}
	int changed = 0;
	sym_refresh(s->sym, &changed);
	if (changed) {
		int n = sym_module_count(s->sym);
		for (int i = 0; i < n; i++) {
			struct sym_module m;
			if (sym_module_get(s->sym, i, &m) < 0)
				continue;
			int seen = 0;
			for (int j = 0; j < before; j++)
				if (old[j].start == m.start && !strcmp(oldpaths[j], m.path ? m.path : ""))
					seen = 1;
			if (seen)
				continue;
			struct engine_event ev = { .kind = EV_MODULE_LOADED, .start = m.start, .end = m.end,
						   .path = m.path ? m.path : m.name, .is32 = session_is32(s) };
			announce_module(s, FEV_LOAD_MODULE, &ev, m.name);
		}
		for (int j = 0; j < before; j++) {
			int kept = 0;
			for (int i = 0; i < n && !kept; i++) {
				struct sym_module m;
				kept = sym_module_get(s->sym, i, &m) == 0 && m.start == old[j].start &&
				       !strcmp(oldpaths[j], m.path ? m.path : "");
			}
			if (kept)
				continue;
			struct engine_event ev = { .kind = EV_MODULE_UNLOADED, .start = old[j].start,
						   .end = old[j].end, .is32 = session_is32(s),
						   .path = oldpaths[j][0] ? oldpaths[j] : oldnames[j] };
			announce_module(s, FEV_UNLOAD_MODULE, &ev, oldnames[j]);
		}
		/* Address breakpoints whose module went away are removed (WinDbg's bp rule). */
		for (int i = 0; i < s->bps.n; i++) {
			struct bp *b = s->bps.v[i];
			struct sym_module m;
			if (b->origin != BP_BP || b->kind != BP_SOFTWARE || !b->resolved)
				continue;
			if (sym_module_at(s->sym, b->addr, &m) == 0)
				continue;
			int was_mapped = 0;
			for (int j = 0; j < before; j++)
				if (b->addr >= old[j].start && b->addr < old[j].end)
					was_mapped = 1;
			if (!was_mapped)
				continue;
			int id = b->id;
			/* Its memory is gone: the backend drops the point, restoring nothing. */
			bp_delete(&s->bps, s->tgt, id);
			session_emit_bp(s, EV_BP_REMOVED, id, BP_REMOVAL_UNLOADED, NULL);
			i--;
		}
	}
	for (int i = 0; i < before; i++) {
		free(oldpaths[i]);
		free(oldnames[i]);
	}
	free(oldpaths);
	free(oldnames);
	free(old);
	session_resolve_deferred(s);
}

