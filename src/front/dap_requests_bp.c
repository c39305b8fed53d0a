/*
 * dap_requests_bp.c — code breakpoints and exceptions: setBreakpoints
 * (source lines), setFunctionBreakpoints, setInstructionBreakpoints,
 * setExceptionBreakpoints, breakpointLocations.
 *
 * Each breakpoint is a dr7 command (dap_bp_define): a source line or a
 * function is `bu` (deferred: it follows a library that loads later), an
 * instruction `bp`, and mode "hardware" `ba e1`.  condition is the /w C
 * condition, hitCondition the Passes count (a decimal number), and a
 * logMessage makes the breakpoint a logpoint (dap_stop.c prints it and
 * goes on).  A definition dr7 refuses comes back unverified with dr7's
 * own message.  Exceptions are signals, one filter each, set through the
 * engine's event filters (the `sx` table): a signal whose filter is chosen
 * stops at first chance, the others only when the program would die of
 * them (sxd).
 */
#include "front/dap.h"

#include <stdlib.h>
#include <string.h>

#include "cmd/evtext.h"

/* The signals offered as exception filters. */
static const int filter_signals[] = {
	SIGSEGV, SIGBUS, SIGFPE, SIGILL, SIGABRT, SIGTRAP, SIGUSR1, SIGUSR2, SIGPIPE, SIGALRM, SIGTERM, SIGCHLD,
};
#define NSIGNALS ((int)(sizeof(filter_signals) / sizeof(filter_signals[0])))

json_t *dap_exception_filters(void)
{
	struct filter_table defaults;
	memset(&defaults, 0, sizeof(defaults));
	filters_reset(&defaults);
	json_t *arr = json_array();
	for (int i = 0; i < NSIGNALS; i++) {
		int sig = filter_signals[i];
		struct sbuf name = { 0 }, label = { 0 };
		evtext_signal_name(&name, sig);
		evtext_exception_title(&label, sig);
		json_t *f = json_object();
		json_object_set_new(f, "filter", dap_text(sb_str(&name)));
		json_object_set_new(f, "label", dap_text(sb_str(&label)));
		json_object_set_new(f, "description", dap_text(evtext_signal_meaning(sig)));
		json_object_set_new(f, "default", json_boolean(filter_for_signal(&defaults, sig)->brk == FILTER_BREAK));
		json_array_append_new(arr, f);
		sb_free(&name);
		sb_free(&label);
	}
	filters_free(&defaults);
	return arr;
}

/* The options of one breakpoint, as dr7's words: /w "cond", and the passes. */
struct bp_opts {
	const char *condition;
	const char *hit;
	const char *log;
	int hardware;
};

static int read_opts(json_t *req, json_t *b, struct bp_opts *o)
{
	memset(o, 0, sizeof(*o));
	const char *mode = NULL;
	if (dap_arg_str(req, b, "condition", &o->condition) < 0 || dap_arg_str(req, b, "hitCondition", &o->hit) < 0 ||
	    dap_arg_str(req, b, "logMessage", &o->log) < 0 || dap_arg_str(req, b, "mode", &mode) < 0)
		return -1;
	if (mode && strcmp(mode, "software") && strcmp(mode, "hardware"))
		return dap_fail(req, "unknown breakpoint mode '%s' (software or hardware)", mode);
	o->hardware = mode && !strcmp(mode, "hardware");
	if (o->condition && !*o->condition)
		o->condition = NULL;
	if (o->hit && !*o->hit)
		o->hit = NULL;
	return 0;
}

/*
 * Defines one breakpoint at location (a MASM expression) with the options;
 * the Breakpoint object for the response, and the dr7 entry made.
 */
static json_t *define(const struct bp_opts *o, const char *location, enum dap_bp_origin origin,
		      const char *source, int line)
{
	unsigned passes = 0;
	if (o->hit) {
		char *end;
		long v = strtol(o->hit, &end, 10);
		while (*end == ' ')
			end++;
		if (*end || v < 1 || v > 0xffff)
			return dap_bp_json(-1, "hitCondition must be a number of hits from 1 to 65535 (dr7's Passes)");
		passes = (unsigned)v;
	}
	char what[16];
	for (const char *p = o->condition; p && *p; p++)
		if ((unsigned char)*p < 0x20 && *p != '\n' && *p != '\t') {
			dap_unsafe_in_command(p, "", what);
			char msg[96];
			snprintf(msg, sizeof(msg), "a condition cannot hold the control character %s", what);
			return dap_bp_json(-1, msg);
		}
	struct sbuf cmd = { 0 };
	if (o->hardware)
		sb_add(&cmd, "e1 ");
	if (o->condition) {
		sb_add(&cmd, "/w ");
		dap_add_quoted(&cmd, o->condition);
		sb_addc(&cmd, ' ');
	}
	sb_add(&cmd, location);
	if (passes)
		sb_addf(&cmd, " 0n%u", passes);
	char *why = NULL;
	const char *name = o->hardware ? "ba" : origin == DAPBP_INSTRUCTION ? "bp" : "bu";
	int id = dap_bp_define(sb_str(&cmd), name, &why);
	sb_free(&cmd);
	if (id < 0) {
		json_t *r = dap_bp_json(-1, why);
		if (line > 0)
			json_object_set_new(r, "line", json_integer(line));
		free(why);
		return r;
	}
	struct dap_bp *db = dap_bp_add(id, origin);
	db->source = source ? xstrdup(source) : NULL;
	db->line = line;
	db->log_message = o->log ? xstrdup(o->log) : NULL;
	return dap_bp_json(id, NULL);
}

/* "`path:line`", or with the file's name alone when the debug information
 * names it relative to its unit (a deferred one keeps the name alone too). */
static void line_location(struct sbuf *sb, const char *path, int line)
{
	struct session *s = dap->s;
	char spec[4200];
	uint64_t addr;
	snprintf(spec, sizeof(spec), "%s:%d", path, line);
	if (!s->sym || sym_line_address(s->sym, spec, &addr) < 0) {
		const char *slash = strrchr(path, '/');
		snprintf(spec, sizeof(spec), "%s:%d", slash ? slash + 1 : path, line);
	}
	sb_addf(sb, "`%s`", spec);
}

static void req_set_breakpoints(json_t *req, json_t *args)
{
	json_t *source = NULL, *list = NULL;
	const char *path = NULL;
	if (dap_arg_object(req, args, "source", &source) < 0 || dap_arg_array(req, args, "breakpoints", &list) < 0)
		return;
	if (!source)
		return (void)dap_fail(req, "argument 'source' is required");
	if (dap_need_str(req, source, "path", &path) < 0)
		return;
	size_t n = list ? json_array_size(list) : 0;
	for (size_t i = 0; i < n; i++) {
		json_t *b = json_array_get(list, i);
		json_int_t line;
		struct bp_opts o;
		if (!json_is_object(b))
			return (void)dap_fail(req, "breakpoints[%zu] must be an object", i);
		if (dap_need_int(req, b, "line", &line) < 0 || read_opts(req, b, &o) < 0)
			return;
	}
	/* The path goes into a `path:line` expression of a dr7 command: text
	 * that would end it (or the command) is refused, never escaped. */
	char what[16];
	if (n && dap_unsafe_in_command(path, "`;\"{}$\\", what))
		return (void)dap_fail(req, "dr7 cannot set breakpoints in '%s': its path holds %s, which a dr7 "
				      "source-line expression cannot hold", path, what);
	dap_bp_announce_changes();
	dap_bp_clear(DAPBP_SOURCE, path);
	json_t *out = json_array();
	for (size_t i = 0; i < n; i++) {
		json_t *b = json_array_get(list, i);
		json_int_t line = 0;
		struct bp_opts o;
		dap_arg_int(req, b, "line", &line);
		read_opts(req, b, &o);
		if (!dap->client_lines_start_at1)
			line++;
		if (line < 1 || line > 0x7fffffff) {
			json_array_append_new(out, dap_bp_json(-1, "no such line"));
			continue;
		}
		struct sbuf loc = { 0 };
		line_location(&loc, path, (int)line);
		json_array_append_new(out, define(&o, sb_str(&loc), DAPBP_SOURCE, path, (int)line));
		sb_free(&loc);
	}
	dap_bp_sync_told();
	json_t *body = json_object();
	json_object_set_new(body, "breakpoints", out);
	dap_respond(req, body);
}

static void req_set_function_breakpoints(json_t *req, json_t *args)
{
	json_t *list = NULL;
	if (dap_need_array(req, args, "breakpoints", &list) < 0)
		return;
	size_t n = json_array_size(list);
	for (size_t i = 0; i < n; i++) {
		json_t *b = json_array_get(list, i);
		const char *name;
		struct bp_opts o;
		if (!json_is_object(b))
			return (void)dap_fail(req, "breakpoints[%zu] must be an object", i);
		if (dap_need_str(req, b, "name", &name) < 0 || read_opts(req, b, &o) < 0)
			return;
	}
	dap_bp_announce_changes();
	dap_bp_clear(DAPBP_FUNCTION, NULL);
	json_t *out = json_array();
	for (size_t i = 0; i < n; i++) {
		json_t *b = json_array_get(list, i);
		const char *name = NULL;
		struct bp_opts o;
		dap_arg_str(req, b, "name", &name);
		read_opts(req, b, &o);
		char what[16];
		if (!*name || dap_unsafe_in_command(name, " ;\"`${}\\", what)) {
			json_array_append_new(out, dap_bp_json(-1, "a function breakpoint names one function"));
			continue;
		}
		json_array_append_new(out, define(&o, name, DAPBP_FUNCTION, NULL, 0));
	}
	dap_bp_sync_told();
	json_t *body = json_object();
	json_object_set_new(body, "breakpoints", out);
	dap_respond(req, body);
}

static void req_set_instruction_breakpoints(json_t *req, json_t *args)
{
	json_t *list = NULL;
	if (dap_need_array(req, args, "breakpoints", &list) < 0)
		return;
	size_t n = json_array_size(list);
	for (size_t i = 0; i < n; i++) {
		json_t *b = json_array_get(list, i);
		const char *ref;
		json_int_t off = 0;
		struct bp_opts o;
		if (!json_is_object(b))
			return (void)dap_fail(req, "breakpoints[%zu] must be an object", i);
		if (dap_need_str(req, b, "instructionReference", &ref) < 0 || dap_arg_int(req, b, "offset", &off) < 0 ||
		    read_opts(req, b, &o) < 0)
			return;
	}
	dap_bp_announce_changes();
	dap_bp_clear(DAPBP_INSTRUCTION, NULL);
	json_t *out = json_array();
	for (size_t i = 0; i < n; i++) {
		json_t *b = json_array_get(list, i);
		const char *ref = NULL;
		json_int_t off = 0;
		struct bp_opts o;
		dap_arg_str(req, b, "instructionReference", &ref);
		dap_arg_int(req, b, "offset", &off);
		read_opts(req, b, &o);
		uint64_t addr;
		if (dap_parse_addr(ref, &addr) < 0) {
			json_array_append_new(out, dap_bp_json(-1, "instructionReference must be an address (0x...)"));
			continue;
		}
		char loc[32];
		snprintf(loc, sizeof(loc), "0x%llx", (unsigned long long)(addr + (uint64_t)off));
		json_array_append_new(out, define(&o, loc, DAPBP_INSTRUCTION, NULL, 0));
	}
	dap_bp_sync_told();
	json_t *body = json_object();
	json_object_set_new(body, "breakpoints", out);
	dap_respond(req, body);
}

static int signal_of_filter(const char *id)
{
	for (int i = 0; i < NSIGNALS; i++) {
		struct sbuf name = { 0 };
		evtext_signal_name(&name, filter_signals[i]);
		int same = !strcmp(sb_str(&name), id);
		sb_free(&name);
		if (same)
			return filter_signals[i];
	}
	return 0;
}

static void req_set_exception_breakpoints(json_t *req, json_t *args)
{
	json_t *filters = NULL, *options = NULL;
	if (dap_arg_array(req, args, "filters", &filters) < 0 || dap_arg_array(req, args, "filterOptions", &options) < 0)
		return;
	int chosen[FILTER_MAX_SIGNAL + 1] = { 0 };
	size_t nf = filters ? json_array_size(filters) : 0, no = options ? json_array_size(options) : 0;
	for (size_t i = 0; i < nf + no; i++) {
		json_t *f = i < nf ? json_array_get(filters, i) : json_array_get(options, i - nf);
		const char *id = NULL;
		if (i >= nf) {
			if (!json_is_object(f))
				return (void)dap_fail(req, "filterOptions[%zu] must be an object", i - nf);
			if (dap_need_str(req, f, "filterId", &id) < 0)
				return;
		} else if (json_is_string(f)) {
			id = json_string_value(f);
		} else {
			return (void)dap_fail(req, "filters[%zu] must be a string", i);
		}
		int sig = signal_of_filter(id);
		if (!sig)
			return (void)dap_fail(req, "unknown exception filter '%s'", id);
		chosen[sig] = 1;
	}
	json_t *out = json_array();
	for (int i = 0; i < NSIGNALS; i++) {
		int sig = filter_signals[i];
		struct filter_change ch = { .set_break = 1, .brk = chosen[sig] ? FILTER_BREAK : FILTER_SECOND_CHANCE };
		session_filter_change(dap->s, (struct filter_key){ FKEY_SIGNAL, sig }, &ch);
	}
	for (size_t i = 0; i < nf + no; i++) {
		json_t *v = json_object();
		json_object_set_new(v, "verified", json_true());
		json_array_append_new(out, v);
	}
	json_t *body = json_object();
	json_object_set_new(body, "breakpoints", out);
	dap_respond(req, body);
}

static void req_breakpoint_locations(json_t *req, json_t *args)
{
	json_t *source = NULL;
	const char *path = NULL;
	json_int_t line, end_line = 0;
	if (dap_need_object(req, args, "source", &source) < 0)
		return;
	if (dap_need_str(req, source, "path", &path) < 0 || dap_need_int(req, args, "line", &line) < 0 ||
	    dap_arg_int(req, args, "endLine", &end_line) < 0)
		return;
	if (!end_line)
		end_line = line;
	if (line < 1 || end_line < line || end_line - line > 10000)
		return (void)dap_fail(req, "lines %lld to %lld are not a range of lines", (long long)line,
				      (long long)end_line);
	struct session *s = dap->s;
	json_t *out = json_array();
	for (json_int_t l = line; s->sym && l <= end_line; l++) {
		char spec[4200];
		uint64_t addr;
		const char *file;
		int at;
		snprintf(spec, sizeof(spec), "%s:%lld", path, (long long)l);
		if (sym_line_address(s->sym, spec, &addr) < 0) {
			const char *slash = strrchr(path, '/');
			snprintf(spec, sizeof(spec), "%s:%lld", slash ? slash + 1 : path, (long long)l);
			if (sym_line_address(s->sym, spec, &addr) < 0)
				continue;
		}
		/* A line without code resolves to the next one that has some. */
		if (sym_source_line(s->sym, addr, &file, &at) < 0 || at != l)
			continue;
		json_t *loc = json_object();
		json_object_set_new(loc, "line", json_integer(l));
		json_array_append_new(out, loc);
	}
	json_t *body = json_object();
	json_object_set_new(body, "breakpoints", out);
	dap_respond(req, body);
}

const struct dap_request_def dap_bp_requests[] = {
	{ "setBreakpoints", req_set_breakpoints },
	{ "setFunctionBreakpoints", req_set_function_breakpoints },
	{ "setInstructionBreakpoints", req_set_instruction_breakpoints },
	{ "setExceptionBreakpoints", req_set_exception_breakpoints },
	{ "breakpointLocations", req_breakpoint_locations },
	{ NULL, NULL },
};
