/*
 * dap_requests_state.c — the stopped program's state: threads,
 * stackTrace, scopes, variables, setVariable, setExpression, evaluate and
 * completions.
 *
 * evaluate in the REPL context runs any dr7 command line (the WinDbg
 * language) in the frame the editor selected, its output being the result;
 * if the command ran the program, the editor then hears `continued` and
 * the stop.  Other contexts (watch, hover, clipboard) evaluate C
 * expressions, as `??` does.  Frame ids are tid * 1024 + frame.
 */
#include "front/dap.h"

#include <stdlib.h>
#include <string.h>

#define MAX_FRAMES 1000

static int need_process(json_t *req)
{
	if (session_has_process(dap->s))
		return 0;
	return dap_fail(req, "no program is being debugged");
}

static int frame_of(json_t *req, json_int_t id, pid_t *tid, int *frame)
{
	*tid = (pid_t)(id / 1024);
	*frame = (int)(id % 1024);
	if (id < 0 || !target_thread_by_tid(dap->s->tgt, *tid))
		return dap_fail(req, "frameId %lld is not a frame of this stop", (long long)id);
	return 0;
}

static void req_threads(json_t *req, json_t *args)
{
	(void)args;
	struct session *s = dap->s;
	json_t *arr = json_array();
	for (int i = 0; s->tgt && !s->tgt->exited && i < s->tgt->nthreads; i++) {
		struct target_thread *th = s->tgt->threads[i];
		char name[64] = "", label[128];
		target_thread_name(s->tgt, th->tid, name, sizeof(name));
		snprintf(label, sizeof(label), "%d %s (%d)", th->index, name, (int)th->tid);
		json_t *t = json_object();
		json_object_set_new(t, "id", json_integer(th->tid));
		json_object_set_new(t, "name", dap_text(label));
		json_array_append_new(arr, t);
	}
	json_t *body = json_object();
	json_object_set_new(body, "threads", arr);
	dap_respond(req, body);
}

/* A source object for a file the debug information names (dir: its unit's directory). */
static json_t *source_json(const char *file, const char *dir)
{
	json_t *src = json_object();
	struct sbuf path = { 0 };
	if (file[0] != '/' && dir)
		sb_addf(&path, "%s/%s", dir, file);
	else
		sb_add(&path, file);
	const char *slash = strrchr(sb_str(&path), '/');
	json_object_set_new(src, "name", dap_text(slash ? slash + 1 : sb_str(&path)));
	json_object_set_new(src, "path", dap_text(sb_str(&path)));
	sb_free(&path);
	return src;
}

static void req_stack_trace(json_t *req, json_t *args)
{
	struct session *s = dap->s;
	json_int_t tid, start = 0, levels = 0;
	if (dap_need_range(req, args, "threadId", 1, DAP_MAX_TID, &tid) < 0 ||
	    dap_arg_int(req, args, "startFrame", &start) < 0 ||
	    dap_arg_int(req, args, "levels", &levels) < 0 || need_process(req) < 0)
		return;
	if (!target_thread_by_tid(s->tgt, (pid_t)tid))
		return (void)dap_fail(req, "no thread %lld", (long long)tid);
	struct sym_frame *f = xcalloc(MAX_FRAMES, sizeof(*f));
	int n = session_frames(s, (pid_t)tid, f, MAX_FRAMES, 0);
	if (n < 0) {
		free(f);
		return (void)dap_fail(req, "%s", err_get());
	}
	json_t *arr = json_array();
	int first = start < 0 ? 0 : (int)(start > n ? n : start);
	int last = levels > 0 && levels < n - first ? first + (int)levels : n;
	for (int i = first; i < last; i++) {
		json_t *fr = json_object();
		json_object_set_new(fr, "id", json_integer(DAP_FRAME_ID(tid, i)));
		struct sbuf name = { 0 };
		if (!s->sym || sym_describe(s->sym, f[i].pc, &name) < 0)
			sb_addf(&name, "0x%llx", (unsigned long long)f[i].pc);
		json_object_set_new(fr, "name", dap_text(sb_str(&name)));
		sb_free(&name);
		uint64_t lookup = f[i].is_return_address ? f[i].pc - 1 : f[i].pc;
		const char *file, *dir;
		int line;
		if (s->sym && sym_source_line_dir(s->sym, lookup, &file, &line, &dir) == 0) {
			json_object_set_new(fr, "source", source_json(file, dir));
			json_object_set_new(fr, "line", json_integer(dap->client_lines_start_at1 ? line : line - 1));
		} else {
			json_object_set_new(fr, "line", json_integer(0));
			json_object_set_new(fr, "presentationHint", json_string("subtle"));
		}
		json_object_set_new(fr, "column", json_integer(dap->client_lines_start_at1 ? 1 : 0));
		json_object_set_new(fr, "instructionPointerReference", dap_addr_json(f[i].pc));
		json_array_append_new(arr, fr);
	}
	free(f);
	json_t *body = json_object();
	json_object_set_new(body, "stackFrames", arr);
	json_object_set_new(body, "totalFrames", json_integer(n));
	dap_respond(req, body);
}

static json_t *scope(const char *name, const char *hint, int ref, int expensive)
{
	json_t *o = json_object();
	json_object_set_new(o, "name", dap_text(name));
	if (hint)
		json_object_set_new(o, "presentationHint", dap_text(hint));
	json_object_set_new(o, "variablesReference", json_integer(ref));
	json_object_set_new(o, "expensive", json_boolean(expensive));
	return o;
}

static void req_scopes(json_t *req, json_t *args)
{
	json_int_t id;
	pid_t tid;
	int frame;
	if (dap_need_range(req, args, "frameId", 0, DAP_MAX_FRAME_ID, &id) < 0 || need_process(req) < 0 || frame_of(req, id, &tid, &frame) < 0)
		return;
	json_t *arr = json_array();
	json_array_append_new(arr, scope("Locals", "locals", dap_var_ref(tid, frame, NULL, 1), 0));
	json_array_append_new(arr, scope("Globals", NULL, dap_var_ref(tid, frame, NULL, 2), 1));
	json_array_append_new(arr, scope("Registers", "registers", dap_var_ref(tid, frame, NULL, 3), 0));
	json_t *body = json_object();
	json_object_set_new(body, "scopes", arr);
	dap_respond(req, body);
}

static void req_variables(json_t *req, json_t *args)
{
	json_int_t ref, start = 0, count = 0;
	if (dap_need_range(req, args, "variablesReference", 0, DAP_MAX_REF, &ref) < 0 ||
	    dap_arg_int(req, args, "start", &start) < 0 ||
	    dap_arg_int(req, args, "count", &count) < 0 || need_process(req) < 0)
		return;
	struct dap_var *v = dap_var_get((int)ref);
	if (!v)
		return (void)dap_fail(req, "variablesReference %lld is not known (the program ran since)", (long long)ref);
	json_t *all = dap_var_children(v);
	json_t *arr = all;
	if (start > 0 || count > 0) {
		arr = json_array();
		size_t n = json_array_size(all);
		size_t from = start > 0 && (uint64_t)start < n ? (size_t)start : (start > 0 ? n : 0);
		size_t to = count > 0 && (uint64_t)count < n - from ? from + (size_t)count : n;
		for (size_t i = from; i < to; i++)
			json_array_append(arr, json_array_get(all, i));
		json_decref(all);
	}
	json_t *body = json_object();
	json_object_set_new(body, "variables", arr);
	dap_respond(req, body);
}

/* Sets a register of frame 0 (the Registers scope). */
static int set_register(pid_t tid, const char *name, const char *value, char *shown, size_t n)
{
	struct session *s = dap->s;
	struct reg_ref r;
	if (regs_lookup(name, strlen(name), session_is32(s), &r) < 0)
		return err_set("no register '%s'", name);
	uint64_t v;
	const char *end;
	pid_t saved = s->cur_tid;
	s->cur_tid = tid;
	int rc = session_eval_masm(s, value, &end, &v);
	s->cur_tid = saved;
	if (rc < 0)
		return -1;
	if (*skip_ws(end))
		return err_set("Syntax error at '%s'", end);
	struct regs regs;
	if (session_get_regs(s, tid, &regs) < 0)
		return -1;
	regs_set(&regs, &r, v);
	if (session_set_regs(s, tid, &regs) < 0)
		return -1;
	snprintf(shown, n, "0x%llx", (unsigned long long)regs_get(&regs, &r));
	return 0;
}

static void respond_value(json_t *req, pid_t tid, int frame, const char *expr)
{
	struct dap_value v;
	if (dap_eval_c(tid, frame, expr, &v) < 0)
		return (void)dap_fail(req, "%s", err_get());
	json_t *body = json_object();
	json_object_set_new(body, "value", dap_text(v.value));
	json_object_set_new(body, "type", dap_text(v.type));
	json_object_set_new(body, "variablesReference", json_integer(v.ref));
	dap_value_free(&v);
	dap_respond(req, body);
}

static void req_set_variable(json_t *req, json_t *args)
{
	json_int_t ref;
	const char *name, *value;
	if (dap_need_range(req, args, "variablesReference", 0, DAP_MAX_REF, &ref) < 0 ||
	    dap_need_str(req, args, "name", &name) < 0 ||
	    dap_need_str(req, args, "value", &value) < 0 || need_process(req) < 0)
		return;
	struct dap_var *v = dap_var_get((int)ref);
	if (!v)
		return (void)dap_fail(req, "variablesReference %lld is not known (the program ran since)", (long long)ref);
	pid_t tid = v->tid;
	int frame = v->frame;
	if (!v->expr && v->scope == 3) {
		char shown[32];
		if (frame != 0)
			return (void)dap_fail(req, "registers are set in the innermost frame only");
		if (set_register(tid, name, value, shown, sizeof(shown)) < 0)
			return (void)dap_fail(req, "%s", err_get());
		json_t *body = json_object();
		json_object_set_new(body, "value", dap_text(shown));
		dap_respond(req, body);
		return;
	}
	/* The child's own expression, as the editor was shown it. */
	json_t *children = dap_var_children(v);
	char *expr = NULL;
	size_t i;
	json_t *c;
	json_array_foreach(children, i, c) {
		json_t *n = json_object_get(c, "name"), *e = json_object_get(c, "evaluateName");
		if (json_is_string(n) && json_is_string(e) && !strcmp(json_string_value(n), name)) {
			expr = xstrdup(json_string_value(e));
			break;
		}
	}
	json_decref(children);
	if (!expr)
		return (void)dap_fail(req, "no variable '%s' there", name);
	if (dap_assign_c(tid, frame, expr, value) < 0)
		dap_fail(req, "%s", err_get());
	else
		respond_value(req, tid, frame, expr);
	free(expr);
}

static void selected_frame(json_t *req, json_t *args, pid_t *tid, int *frame, int *bad)
{
	json_int_t id = -1;
	*tid = dap->s->cur_tid;
	*frame = 0;
	*bad = 0;
	if (dap_arg_range(req, args, "frameId", 0, DAP_MAX_FRAME_ID, &id) < 0) {
		*bad = 1;
		return;
	}
	if (id >= 0 && session_has_process(dap->s) && frame_of(req, id, tid, frame) < 0)
		*bad = 1;
}

static void req_set_expression(json_t *req, json_t *args)
{
	const char *expr, *value;
	pid_t tid;
	int frame, bad;
	if (dap_need_str(req, args, "expression", &expr) < 0 || dap_need_str(req, args, "value", &value) < 0)
		return;
	selected_frame(req, args, &tid, &frame, &bad);
	if (bad || need_process(req) < 0)
		return;
	if (dap_assign_c(tid, frame, expr, value) < 0)
		return (void)dap_fail(req, "%s", err_get());
	respond_value(req, tid, frame, expr);
}

static void req_evaluate(json_t *req, json_t *args)
{
	struct session *s = dap->s;
	const char *expr, *context = "hover";
	pid_t tid;
	int frame, bad;
	if (dap_need_str(req, args, "expression", &expr) < 0 || dap_arg_str(req, args, "context", &context) < 0)
		return;
	selected_frame(req, args, &tid, &frame, &bad);
	if (bad)
		return;
	if (!strcmp(context, "repl")) {
		if (strchr(expr, '\n'))
			return (void)dap_fail(req, "one command line at a time");
		struct timespec before = s->last.when;
		int had = session_has_process(s);
		if (had) {
			s->cur_tid = tid;
			s->cur_frame = frame;
		}
		/* The line may run the program (g, p, .restart): pause, disconnect
		 * and the end of input interrupt it as they do dap_run. */
		dap->running = 1;
		char *out = dap_run_command(expr);
		dap->running = 0;
		json_t *body = json_object();
		json_object_set_new(body, "result", dap_text(out));
		json_object_set_new(body, "variablesReference", json_integer(0));
		free(out);
		dap_respond(req, body);
		dap_after_command(&before, had);
		return;
	}
	if (need_process(req) < 0)
		return;
	struct dap_value v;
	if (dap_eval_c(tid, frame, expr, &v) < 0)
		return (void)dap_fail(req, "%s", err_get());
	json_t *body = json_object();
	json_object_set_new(body, "result", dap_text(v.value));
	json_object_set_new(body, "type", dap_text(v.type));
	json_object_set_new(body, "variablesReference", json_integer(v.ref));
	if (v.lvalue)
		json_object_set_new(body, "memoryReference", dap_addr_json(v.addr));
	dap_value_free(&v);
	dap_respond(req, body);
}

static void req_completions(json_t *req, json_t *args)
{
	const char *text;
	json_int_t column;
	if (dap_need_str(req, args, "text", &text) < 0 || dap_need_int(req, args, "column", &column) < 0)
		return;
	size_t len = strlen(text);
	json_int_t cursor = dap->client_lines_start_at1 ? column - 1 : column;
	if (cursor < 0 || (size_t)cursor > len)
		return (void)dap_fail(req, "column %lld is outside the text", (long long)column);
	struct cmd_completion cc;
	int n = cmd_complete(&dap->c, text, (size_t)cursor, &cc);
	json_t *arr = json_array();
	for (int i = 0; i < n; i++) {
		json_t *t = json_object();
		json_object_set_new(t, "label", dap_text(cc.items[i]));
		json_object_set_new(t, "text", dap_text(cc.items[i]));
		json_object_set_new(t, "start", json_integer((json_int_t)cc.start + (dap->client_lines_start_at1 ? 1 : 0)));
		json_object_set_new(t, "length", json_integer((json_int_t)((size_t)cursor - cc.start)));
		json_array_append_new(arr, t);
	}
	cmd_completion_free(&cc);
	json_t *body = json_object();
	json_object_set_new(body, "targets", arr);
	dap_respond(req, body);
}

const struct dap_request_def dap_state_requests[] = {
	{ "threads", req_threads },
	{ "stackTrace", req_stack_trace },
	{ "scopes", req_scopes },
	{ "variables", req_variables },
	{ "setVariable", req_set_variable },
	{ "setExpression", req_set_expression },
	{ "evaluate", req_evaluate },
	{ "completions", req_completions },
	{ NULL, NULL },
};
