/*
 * dap_bptab.c — the editor's side of dr7's breakpoint table.  Every dr7
 * breakpoint the editor knows has an entry: which request made it (source
 * lines, functions, instructions, data) or none (set from the REPL), the
 * logpoint message, and what the editor was last told, so that a change
 * made elsewhere (bc in the REPL, a deferred bu resolving when its module
 * loads) becomes a `breakpoint` event.
 *
 * Breakpoints are defined through the command layer (bp, bu, ba with the
 * id chosen here), the same path a typed command takes: its checks, its
 * messages, the engine's definition transaction (bpdef.c).
 */
#include "front/dap.h"

#include <assert.h>
#include <stdlib.h>
#include <string.h>

struct dap_bp *dap_bp_find(int id)
{
	for (int i = 0; i < dap->nbps; i++)
		if (dap->bps[i].id == id)
			return &dap->bps[i];
	return NULL;
}

struct dap_bp *dap_bp_add(int id, enum dap_bp_origin origin)
{
	dap_bp_forget(id);
	dap->bps = xrealloc(dap->bps, sizeof(*dap->bps) * (size_t)(dap->nbps + 1));
	struct dap_bp *b = &dap->bps[dap->nbps++];
	memset(b, 0, sizeof(*b));
	b->id = id;
	b->origin = origin;
	return b;
}

void dap_bp_forget(int id)
{
	for (int i = 0; i < dap->nbps; i++) {
		if (dap->bps[i].id != id)
			continue;
		free(dap->bps[i].source);
		free(dap->bps[i].log_message);
		dap_log_cache_free(dap->bps[i].log_cache);
		dap->bps[i] = dap->bps[--dap->nbps];
		return;
	}
}

void dap_bp_clear(enum dap_bp_origin origin, const char *source)
{
	for (int i = 0; i < dap->nbps;) {
		struct dap_bp *b = &dap->bps[i];
		if (b->origin != origin || (source && (!b->source || strcmp(b->source, source)))) {
			i++;
			continue;
		}
		int id = b->id;
		if (bp_find(&dap->s->bps, id))
			bp_delete(&dap->s->bps, dap->s->tgt, id);
		dap_bp_forget(id);	/* moves the last entry here: look at i again */
	}
}

const char *dap_unsafe_in_command(const char *text, const char *forbidden, char what[16])
{
	for (const unsigned char *p = (const unsigned char *)text; *p; p++) {
		if (*p < 0x20 || *p == 0x7f) {
			snprintf(what, 16, "0x%02x", *p);
			return what;
		}
		if (strchr(forbidden, *p)) {
			snprintf(what, 16, "'%c'", *p);
			return what;
		}
	}
	return NULL;
}

void dap_add_quoted(struct sbuf *sb, const char *text)
{
	/* The line splitter and cmd_quoted both take \" and \\ as escapes. */
	sb_addc(sb, '"');
	for (const char *p = text; *p; p++) {
		if (*p == '\n' || *p == '\t') {
			sb_add(sb, *p == '\n' ? "\\n" : "\\t");
			continue;
		}
		if (*p == '"' || *p == '\\')
			sb_addc(sb, '\\');
		sb_addc(sb, *p);
	}
	sb_addc(sb, '"');
}

int dap_bp_define(const char *rest, const char *cmd_name, char **why)
{
	/* Ids from 1: editors take a breakpoint id of 0 for none. */
	int id = 1;
	assert(dap->s->bps.first_id == 1);
	while (bp_find(&dap->s->bps, id))
		id++;
	char *line = NULL;
	size_t n = strlen(rest) + strlen(cmd_name) + 32;
	line = xmalloc(n);
	snprintf(line, n, "%s%d %s", cmd_name, id, rest);
	char *out = dap_run_command(line);
	free(line);
	if (bp_find(&dap->s->bps, id)) {
		free(out);
		return id;
	}
	size_t len = strlen(out);
	while (len && (out[len - 1] == '\n' || out[len - 1] == ' '))
		out[--len] = 0;
	if (!len) {
		free(out);
		out = xstrdup("the breakpoint could not be set");
	}
	*why = out;
	return -1;
}

json_t *dap_bp_json(int id, const char *message)
{
	json_t *o = json_object();
	struct bp *b = id >= 0 ? bp_find(&dap->s->bps, id) : NULL;
	struct dap_bp *db = id >= 0 ? dap_bp_find(id) : NULL;
	if (b && id > 0)	/* a REPL's explicit bp0 has no id an editor takes */
		json_object_set_new(o, "id", json_integer(id));
	int verified = b && b->resolved;
	json_object_set_new(o, "verified", json_boolean(verified));
	if (verified) {
		json_object_set_new(o, "instructionReference", dap_addr_json(b->addr));
		const char *file, *dir;
		int line;
		if (dap->s->sym && b->kind == BP_SOFTWARE &&
		    sym_source_line_dir(dap->s->sym, b->addr, &file, &line, &dir) == 0) {
			json_object_set_new(o, "line", json_integer(line));
			json_t *src = json_object();
			/* The editor's own path, else as stackTrace names it (absolute with its unit's directory). */
			struct sbuf path = { 0 };
			if (db && db->source)
				sb_add(&path, db->source);
			else if (file[0] != '/' && dir)
				sb_addf(&path, "%s/%s", dir, file);
			else
				sb_add(&path, file);
			const char *slash = strrchr(sb_str(&path), '/');
			json_object_set_new(src, "name", dap_text(slash ? slash + 1 : sb_str(&path)));
			json_object_set_new(src, "path", dap_text(sb_str(&path)));
			sb_free(&path);
			json_object_set_new(o, "source", src);
		} else if (b->kind == BP_HARDWARE && db && db->line > 0) {
			json_object_set_new(o, "line", json_integer(db->line));
		}
	} else if (db && db->line > 0) {
		json_object_set_new(o, "line", json_integer(db->line));
	}
	if (message)
		json_object_set_new(o, "message", dap_text(message));
	else if (b && !b->resolved)
		json_object_set_new(o, "message", json_string("pending: not resolved yet (it resolves when its module loads)"));
	return o;
}

static void tell(struct dap_bp *db, const struct bp *b)
{
	db->told_verified = b->resolved;
	db->told_addr = b->resolved ? b->addr : 0;
}

void dap_bp_sync_told(void)
{
	for (int i = 0; i < dap->s->bps.n; i++) {
		struct bp *b = dap->s->bps.v[i];
		struct dap_bp *db = dap_bp_find(b->id);
		if (!db)
			db = dap_bp_add(b->id, DAPBP_NONE);
		tell(db, b);
	}
	for (int i = 0; i < dap->nbps;) {
		if (!bp_find(&dap->s->bps, dap->bps[i].id))
			dap_bp_forget(dap->bps[i].id);
		else
			i++;
	}
}

static void announce(const char *reason, json_t *bp)
{
	json_t *body = json_object();
	json_object_set_new(body, "reason", dap_text(reason));
	json_object_set_new(body, "breakpoint", bp);
	dap_event("breakpoint", body);
}

void dap_bp_announce_changes(void)
{
	for (int i = 0; i < dap->s->bps.n; i++) {
		struct bp *b = dap->s->bps.v[i];
		struct dap_bp *db = dap_bp_find(b->id);
		if (!db) {
			db = dap_bp_add(b->id, DAPBP_NONE);
			tell(db, b);
			announce("new", dap_bp_json(b->id, NULL));
		} else if (db->told_verified != b->resolved || (b->resolved && db->told_addr != b->addr)) {
			tell(db, b);
			announce("changed", dap_bp_json(b->id, NULL));
		}
	}
	for (int i = 0; i < dap->nbps;) {
		int id = dap->bps[i].id;
		if (bp_find(&dap->s->bps, id)) {
			i++;
			continue;
		}
		json_t *o = json_object();
		json_object_set_new(o, "id", json_integer(id));
		json_object_set_new(o, "verified", json_false());
		announce("removed", o);
		dap_bp_forget(id);
	}
}
