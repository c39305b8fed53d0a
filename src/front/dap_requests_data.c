/*
 * dap_requests_data.c — data breakpoints: dataBreakpointInfo (a variable
 * by variablesReference and name, an expression in a frame, or an address
 * with a byte count when asAddress) and setDataBreakpoints.
 *
 * A data breakpoint is dr7's `ba` (the same definition as a typed one:
 * access letter, size, address), served by the engine's data-breakpoint
 * engine: write is `w`, readWrite `r`, read `l` (loads only).  What is
 * offered is what the engine accepts now: dataBreakpointInfo tries the
 * definitions (and takes them back) and answers with dr7's own message
 * when a size, an alignment or an access cannot be served.
 *
 * dataId: "0xADDRESS/SIZE".
 */
#include "front/dap.h"

#include <stdlib.h>
#include <string.h>

/* Tries `ba <letter><size> addr`: 0, or -1 with *why (malloc'ed). */
static int try_access(char letter, uint64_t addr, uint64_t size, char **why)
{
	/* One that exists already proves it (and a second identical one is refused). */
	for (int i = 0; i < dap->s->bps.n; i++) {
		struct bp *b = dap->s->bps.v[i];
		if (b->kind == BP_HARDWARE && b->addr == addr && (uint64_t)b->size == size &&
		    ((letter == 'w' && b->type == POINT_WATCH_WRITE) || (letter == 'r' && b->type == POINT_WATCH_RW)))
			return 0;
	}
	char cmd[96];
	snprintf(cmd, sizeof(cmd), "%c%llu 0x%llx", letter, (unsigned long long)size, (unsigned long long)addr);
	int id = dap_bp_define(cmd, "ba", why);
	if (id < 0)
		return -1;
	bp_delete(&dap->s->bps, dap->s->tgt, id);
	return 0;
}

static void info_answer(json_t *req, const char *name, uint64_t addr, uint64_t size)
{
	json_t *body = json_object();
	char *why = NULL;
	if (size == 0) {
		json_object_set_new(body, "dataId", json_null());
		json_object_set_new(body, "description", json_string("it has no size"));
	} else if (try_access('w', addr, size, &why) < 0) {
		json_object_set_new(body, "dataId", json_null());
		json_object_set_new(body, "description", dap_text(why));
	} else {
		char id[64];
		snprintf(id, sizeof(id), "0x%llx/%llu", (unsigned long long)addr, (unsigned long long)size);
		json_object_set_new(body, "dataId", dap_text(id));
		char desc[512];
		snprintf(desc, sizeof(desc), "%s (%llu bytes at 0x%llx)", name, (unsigned long long)size,
			 (unsigned long long)addr);
		json_object_set_new(body, "description", dap_text(desc));
		json_t *acc = json_array();
		json_array_append_new(acc, json_string("write"));
		json_array_append_new(acc, json_string("readWrite"));
		char *no = NULL;
		if (try_access('l', addr, size, &no) == 0)
			json_array_append_new(acc, json_string("read"));
		free(no);
		json_object_set_new(body, "accessTypes", acc);
		json_object_set_new(body, "canPersist", json_false());
	}
	free(why);
	free(dap_console_take());	/* the probes' own lines are no news */
	dap_respond(req, body);
}

/* The evaluateName of child `name` of reference ref (a variable the editor shows). */
static char *child_expr(struct dap_var *v, const char *name)
{
	if (v->scope == 3 && !v->expr)
		return NULL;
	json_t *children = dap_var_children(v);
	char *found = NULL;
	size_t i;
	json_t *c;
	json_array_foreach(children, i, c) {
		json_t *n = json_object_get(c, "name"), *e = json_object_get(c, "evaluateName");
		if (json_is_string(n) && json_is_string(e) && !strcmp(json_string_value(n), name)) {
			found = xstrdup(json_string_value(e));
			break;
		}
	}
	json_decref(children);
	return found;
}

static void req_data_breakpoint_info(json_t *req, json_t *args)
{
	struct session *s = dap->s;
	const char *name;
	json_int_t ref = 0, frame_id = -1, bytes = 0;
	int as_address = 0;
	if (dap_need_str(req, args, "name", &name) < 0 || dap_arg_range(req, args, "variablesReference", 0, DAP_MAX_REF, &ref) < 0 ||
	    dap_arg_range(req, args, "frameId", 0, DAP_MAX_FRAME_ID, &frame_id) < 0 || dap_arg_int(req, args, "bytes", &bytes) < 0 ||
	    dap_arg_bool(req, args, "asAddress", &as_address) < 0)
		return;
	if (!session_has_process(s))
		return (void)dap_fail(req, "no program is being debugged");
	if (as_address) {
		uint64_t addr;
		if (dap_parse_addr(name, &addr) < 0)
			return (void)dap_fail(req, "'%s' is not an address (0x...)", name);
		if (bytes <= 0)
			return (void)dap_fail(req, "an address needs 'bytes', the size to watch");
		return info_answer(req, name, addr, (uint64_t)bytes);
	}
	pid_t tid = s->cur_tid;
	int frame = 0;
	char *expr = NULL;
	if (ref > 0) {
		struct dap_var *v = dap_var_get((int)ref);
		if (!v)
			return (void)dap_fail(req, "variablesReference %lld is not known (the program ran since)",
					      (long long)ref);
		tid = v->tid;
		frame = v->frame;
		expr = child_expr(v, name);
		if (!expr)
			return (void)dap_fail(req, "'%s' cannot be watched: no such variable there (registers are not memory)",
					      name);
	} else {
		if (frame_id >= 0) {
			tid = (pid_t)(frame_id / 1024);
			frame = (int)(frame_id % 1024);
		}
		expr = xstrdup(name);
	}
	struct dap_value v;
	if (dap_eval_c(tid, frame, expr, &v) < 0) {
		dap_fail(req, "%s", err_get());
		free(expr);
		return;
	}
	free(expr);
	if (!v.lvalue) {
		dap_value_free(&v);
		return (void)dap_fail(req, "'%s' is not an object in memory", name);
	}
	uint64_t addr = v.addr, size = v.size;
	dap_value_free(&v);
	info_answer(req, name, addr, size);
}

static void req_set_data_breakpoints(json_t *req, json_t *args)
{
	json_t *list = NULL;
	if (dap_need_array(req, args, "breakpoints", &list) < 0)
		return;
	size_t n = json_array_size(list);
	for (size_t i = 0; i < n; i++) {
		json_t *b = json_array_get(list, i);
		const char *id, *access = NULL, *cond = NULL, *hit = NULL;
		if (!json_is_object(b))
			return (void)dap_fail(req, "breakpoints[%zu] must be an object", i);
		if (dap_need_str(req, b, "dataId", &id) < 0 || dap_arg_str(req, b, "accessType", &access) < 0 ||
		    dap_arg_str(req, b, "condition", &cond) < 0 || dap_arg_str(req, b, "hitCondition", &hit) < 0)
			return;
		if (access && strcmp(access, "read") && strcmp(access, "write") && strcmp(access, "readWrite"))
			return (void)dap_fail(req, "accessType '%s' is not read, write or readWrite", access);
	}
	dap_bp_announce_changes();
	dap_bp_clear(DAPBP_DATA, NULL);
	json_t *out = json_array();
	for (size_t i = 0; i < n; i++) {
		json_t *b = json_array_get(list, i);
		const char *id = NULL, *access = NULL, *cond = NULL, *hit = NULL;
		dap_arg_str(req, b, "dataId", &id);
		dap_arg_str(req, b, "accessType", &access);
		dap_arg_str(req, b, "condition", &cond);
		dap_arg_str(req, b, "hitCondition", &hit);
		unsigned long long addr, size;
		char tail;
		if (sscanf(id, "0x%llx/%llu%c", &addr, &size, &tail) != 2) {
			json_array_append_new(out, dap_bp_json(-1, "dataId is not one dataBreakpointInfo gave"));
			continue;
		}
		char letter = !access || !strcmp(access, "write") ? 'w' : !strcmp(access, "read") ? 'l' : 'r';
		long passes = 0;
		if (hit && *hit) {
			char *end;
			passes = strtol(hit, &end, 10);
			if (*end || passes < 1 || passes > 0xffff) {
				json_array_append_new(out, dap_bp_json(-1, "hitCondition must be a number of hits from 1 to 65535"));
				continue;
			}
		}
		int control = 0;
		for (const char *p = cond; p && *p; p++)
			control |= (unsigned char)*p < 0x20 && *p != '\n' && *p != '\t';
		if (control) {
			json_array_append_new(out, dap_bp_json(-1, "a condition cannot hold control characters"));
			continue;
		}
		struct sbuf cmd = { 0 };
		sb_addf(&cmd, "%c%llu ", letter, size);
		if (cond && *cond) {
			sb_add(&cmd, "/w ");
			dap_add_quoted(&cmd, cond);
			sb_addc(&cmd, ' ');
		}
		sb_addf(&cmd, "0x%llx", addr);
		if (passes)
			sb_addf(&cmd, " 0n%ld", passes);
		char *why = NULL;
		int bid = dap_bp_define(sb_str(&cmd), "ba", &why);
		sb_free(&cmd);
		if (bid < 0) {
			json_array_append_new(out, dap_bp_json(-1, why));
			free(why);
			continue;
		}
		dap_bp_add(bid, DAPBP_DATA);
		json_array_append_new(out, dap_bp_json(bid, NULL));
	}
	dap_bp_sync_told();
	json_t *body = json_object();
	json_object_set_new(body, "breakpoints", out);
	dap_respond(req, body);
}

const struct dap_request_def dap_data_requests[] = {
	{ "dataBreakpointInfo", req_data_breakpoint_info },
	{ "setDataBreakpoints", req_set_data_breakpoints },
	{ NULL, NULL },
};
