/*
 * cmd_trace.c — wt (Trace and Watch Data, windbg-commands.md §6.2): the
 * options, then, when the line runner carries the posted request out, the
 * header, the call tree as engine/trace.c grows it, the summary and the
 * system calls, in WinDbg's layout:
 *
 *   Tracing trace!leaf to return address 00005555`555551c8
 *
 *      12     0 [  0] trace!leaf
 *
 *   12 instructions were executed in 12 events (0 from other threads)
 *
 *   Function Name                               Invocations MinInst MaxInst AvgInst
 *   trace!leaf                                            1      12      12      12
 *
 * A tree line is "own children [depth] name" with the name indented two
 * columns per level.  The engine keeps counts by entry address; names are
 * given here, and the summary merges and sorts rows by name.
 */
#include "cmd/cmd.h"

#include <stdlib.h>
#include <string.h>

#include "cmd/fmt.h"
#include "engine/scope.h"
#include "engine/step.h"
#include "engine/trace.h"

static void func_name(struct cmd_ctx *c, uint64_t addr, struct sbuf *sb)
{
	if (session_describe(c->s, addr, sb) < 0)
		cmd_addr(sb, c, addr);
}

/* ---- options ---- */

static int module_option(struct cmd_ctx *c, const char *opt, const char **p, char (*list)[128], int *n)
{
	char *word = cmd_word(p);
	if (!word)
		return cmd_error(c, "Syntax error: wt %s needs a module name", opt);
	int rc = 0;
	if (*n >= WT_MAX_MODULES)
		rc = cmd_error(c, "wt: at most %d modules with %s", WT_MAX_MODULES, opt);
	else if (strlen(word) >= sizeof(list[0]))
		rc = cmd_error(c, "wt: module name too long: %.40s...", word);
	else
		snprintf(list[(*n)++], sizeof(list[0]), "%s", word);
	free(word);
	return rc;
}

static int depth_option(struct cmd_ctx *c, const char **p, int *depth)
{
	uint64_t v;
	if (cmd_word_expr(c, p, "Syntax error: wt -l needs a depth", &v) < 0)
		return -1;
	if (v == 0 || v > 100000)
		return cmd_error(c, "wt -l: the depth must be between 1 and 100000");
	*depth = (int)v;
	return 0;
}

/* wt [WatchOptions] [= StartAddress] [EndAddress] */
static int cmd_wt(struct cmd_ctx *c, const struct cmd_def *d, const char *args,
		  const struct thread_sel *sel, int id)
{
	struct wt_request w;
	memset(&w, 0, sizeof(w));
	const char *p = skip_ws(args);
	while (*p == '-') {
		const char *at = p;
		char *opt = cmd_word(&p);
		int rc = 0;
		if (!strcmp(opt, "-l"))
			rc = depth_option(c, &p, &w.max_depth);
		else if (!strcmp(opt, "-m"))
			rc = module_option(c, opt, &p, w.only, &w.nonly);
		else if (!strcmp(opt, "-i"))
			rc = module_option(c, opt, &p, w.ignore, &w.nignore);
		else if (!strcmp(opt, "-ni"))
			w.hide_ignored = 1;
		else if (!strcmp(opt, "-nc"))
			w.hide_calls = 1;
		else if (!strcmp(opt, "-ns"))
			w.hide_summary = 1;
		else if (!strcmp(opt, "-nw"))
			;	/* dr7 prints no warnings during a trace */
		else if (!strcmp(opt, "-or"))
			w.returns = 1;
		else if (!strcmp(opt, "-oR"))
			w.returns = 2;
		else if (!strcmp(opt, "-oa"))
			rc = cmd_error(c, "not supported: wt -oa (call site addresses)");
		else
			rc = cmd_error(c, "Syntax error: unknown wt option '%.20s' at '%.40s'", opt, at);
		free(opt);
		if (rc < 0)
			return -1;
		p = skip_ws(p);
	}
	int have_start;
	uint64_t start;
	if (cmd_start_address(c, &p, &have_start, &start) < 0)
		return -1;
	p = skip_ws(p);
	if (*p) {
		if (cmd_expr(c, &p, &w.end) < 0)
			return -1;
		w.have_end = 1;
		if (*skip_ws(p))
			return cmd_extra_chars(c);
	}
	if (have_start && cmd_set_pc(c, start) < 0)
		return -1;
	cmd_post_run(c, RUNREQ_TRACE, RUN_STEP_INTO, SIG_DEFAULT, 1);
	c->run.wt = w;
	return 0;
}

/* ---- the tree ---- */

struct printer {
	struct cmd_ctx *c;
	const struct wt_request *w;
};

static void radix_number(struct cmd_ctx *c, struct sbuf *sb, uint64_t v)
{
	switch (c->s->radix) {
	case 10:
		sb_addf(sb, "%llu", (unsigned long long)v);
		break;
	case 8:
		sb_addf(sb, "%llo", (unsigned long long)v);
		break;
	default:
		sb_addf(sb, "%llx", (unsigned long long)v);
		break;
	}
}

/* -oR: the value in the function's DWARF return type, in the scope of the
 * caller it returned to; 0, or -1 when the type is not known there. */
static int typed_return(struct cmd_ctx *c, const struct trace_line *l, struct sbuf *out)
{
	struct sym_func sf;
	if (!c->s->sym || sym_function_at(c->s->sym, l->func, &sf) < 0 || sf.start != l->func)
		return -1;
	struct frame_scope fs;
	if (session_scope_open(c->s, 0, &fs) < 0)
		return -1;
	int rc = -1;
	struct cx_expr *e = cx_compile(&fs.cxs, sf.name);
	const struct cx_type *ft = e ? cx_strip(cx_expr_type(e)) : NULL;
	if (ft && ft->kind == CX_FUNC) {
		const struct cx_type *rt = ft->target ? cx_strip(ft->target) : NULL;
		if (!rt || rt->kind == CX_VOID) {
			rc = 0;	/* nothing is returned */
		} else if (rt->kind == CX_INT || rt->kind == CX_ENUM || rt->kind == CX_BOOL || rt->kind == CX_PTR) {
			uint64_t bits = l->rax;
			if (rt->size < 8) {
				unsigned shift = 64 - 8 * (unsigned)rt->size;
				bits = rt->is_signed ? (uint64_t)((int64_t)(bits << shift) >> shift)
						     : (bits << shift) >> shift;
			}
			struct cx_value v = { .type = ft->target, .bits = bits };
			sb_add(out, session_is32(c->s) ? " eax = " : " rax = ");
			cx_type_name(out, ft->target);
			sb_addc(out, ' ');
			cx_format_value(out, &fs.env, &v);
			rc = 0;
		} else if (rt->kind == CX_FLOAT && l->have_xmm0 && (rt->size == 4 || rt->size == 8)) {
			struct cx_value v = { .type = ft->target };
			if (rt->size == 4) {
				float f;
				memcpy(&f, &l->xmm0, sizeof(f));
				v.f = f;
			} else {
				memcpy(&v.f, &l->xmm0, sizeof(v.f));
			}
			sb_add(out, " xmm0 = ");
			cx_type_name(out, ft->target);
			sb_addc(out, ' ');
			cx_format_value(out, &fs.env, &v);
			rc = 0;
		}
	}
	session_scope_close(&fs);
	err_clear();
	return rc;
}

static void print_line(void *user, const struct trace_line *l)
{
	struct printer *pr = user;
	struct cmd_ctx *c = pr->c;
	const struct wt_request *w = pr->w;
	if (w->hide_calls || (w->max_depth && l->depth >= w->max_depth))
		return;
	if (l->event == TRACE_IGNORED && w->hide_ignored)
		return;
	struct sbuf sb = { 0 };
	sb_addf(&sb, "%5llu %5llu [%3d] %*s", (unsigned long long)l->own, (unsigned long long)l->children,
		l->depth, 2 * l->depth, "");
	func_name(c, l->func, &sb);
	if (l->event == TRACE_IGNORED)
		sb_add(&sb, " (ignored: not traced)");
	if (l->event == TRACE_RETURNS && w->returns) {
		if (w->returns == 1 || typed_return(c, l, &sb) < 0) {
			sb_add(&sb, session_is32(c->s) ? " eax = " : " rax = ");
			radix_number(c, &sb, l->rax);
		}
	}
	cmd_print(c, "%s\n", sb_str(&sb));
	sb_free(&sb);
}

/* ---- the summary ---- */

struct named_stats {
	char *name;
	uint64_t invocations, min, max, total;
};

static int by_name(const void *a, const void *b)
{
	const struct named_stats *x = a, *y = b;
	return strcmp(x->name, y->name);
}

static void print_functions(struct cmd_ctx *c, const struct trace_result *res)
{
	struct named_stats *v = xcalloc(res->nfuncs ? res->nfuncs : 1, sizeof(*v));
	size_t n = 0;
	for (size_t i = 0; i < res->nfuncs; i++) {
		const struct trace_func_stats *f = &res->funcs[i];
		struct sbuf sb = { 0 };
		func_name(c, f->func, &sb);
		v[n++] = (struct named_stats){ .name = xstrdup(sb_str(&sb)), .invocations = f->invocations,
					       .min = f->min, .max = f->max, .total = f->total };
		sb_free(&sb);
	}
	qsort(v, n, sizeof(*v), by_name);
	cmd_print(c, "%-44s%11s%8s%8s%8s\n", "Function Name", "Invocations", "MinInst", "MaxInst", "AvgInst");
	for (size_t i = 0; i < n; i++) {
		/* Entries with one name (a function entered at two addresses) are one row. */
		size_t j = i;
		struct named_stats m = v[i];
		while (j + 1 < n && !strcmp(v[j + 1].name, m.name)) {
			j++;
			m.invocations += v[j].invocations;
			m.total += v[j].total;
			m.min = v[j].min < m.min ? v[j].min : m.min;
			m.max = v[j].max > m.max ? v[j].max : m.max;
		}
		cmd_print(c, "%-44s%11llu%8llu%8llu%8llu\n", m.name, (unsigned long long)m.invocations,
			  (unsigned long long)m.min, (unsigned long long)m.max,
			  (unsigned long long)(m.total / m.invocations));
		i = j;
	}
	for (size_t i = 0; i < n; i++)
		free(v[i].name);
	free(v);
}

static void print_syscalls(struct cmd_ctx *c, const struct trace_result *res)
{
	uint64_t total = 0;
	for (size_t i = 0; i < res->nsyscalls; i++)
		total += res->syscalls[i].count;
	if (!total)
		return;
	cmd_print(c, "\n%llu system call%s executed\n\nCalls  System Call\n", (unsigned long long)total,
		  total == 1 ? " was" : "s were");
	for (size_t i = 0; i < res->nsyscalls; i++) {
		struct sbuf sb = { 0 };
		func_name(c, res->syscalls[i].func, &sb);
		cmd_print(c, "%5llu  %s\n", (unsigned long long)res->syscalls[i].count, sb_str(&sb));
		sb_free(&sb);
	}
}

int cmd_trace_run(struct cmd_ctx *c, const struct wt_request *w, struct stop_report *rep)
{
	struct session *s = c->s;
	const char *only[WT_MAX_MODULES], *ignore[WT_MAX_MODULES];
	for (int i = 0; i < w->nonly; i++)
		only[i] = w->only[i];
	for (int i = 0; i < w->nignore; i++)
		ignore[i] = w->ignore[i];
	struct trace_options o = { .have_end = w->have_end, .end = w->end,
				   .only = only, .nonly = w->nonly,
				   .ignore = ignore, .nignore = w->nonly ? 0 : w->nignore,
				   .want_returns = w->returns != 0, .want_fp_return = w->returns == 2 };
	struct trace_plan plan;
	if (trace_plan(s, &o, &plan) < 0)
		return -1;
	if (plan.kind == TRACE_NONE)
		return step_run(s, RUN_STEP_OVER, 0, SIG_DEFAULT, rep);	/* as WinDbg: behaves like p */

	struct sbuf sb = { 0 };
	func_name(c, plan.start, &sb);
	sb_add(&sb, plan.kind == TRACE_TO_ADDRESS ? " to address " : " to return address ");
	cmd_addr(&sb, c, plan.end);
	cmd_print(c, "Tracing %s\n\n", sb_str(&sb));
	sb_free(&sb);

	struct printer pr = { .c = c, .w = w };
	struct trace_result res;
	int rc = trace_run(s, &o, &plan, print_line, &pr, &res, rep);
	if (rc == 0) {
		cmd_print(c, "\n%llu instructions were executed in %llu events (0 from other threads)\n",
			  (unsigned long long)res.instructions, (unsigned long long)res.events);
		if (!w->hide_summary) {
			cmd_print(c, "\n");
			print_functions(c, &res);
			print_syscalls(c, &res);
		}
		cmd_print(c, "\n");
	}
	trace_result_free(&res);
	return rc;
}

const struct cmd_def cmd_trace_table[] = {
	{ "wt", cmd_wt, CMD_NEED_PROCESS, 0, ARGS_ANY,
	  "wt [-l Depth] [-m Module] [-i Module] [-ni] [-nc] [-ns] [-nw] [-or] [-oR] [= StartAddress] [EndAddress]",
	  "Trace the function: its call tree and instruction counts" },
	{ NULL, NULL, 0, 0, ARGS_ANY, NULL, NULL },
};
