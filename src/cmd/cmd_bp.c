/*
 * cmd_bp.c — bp, bu, bm, ba, bl, bc, bd, be, br, bs, bsc, .bpcmds
 * (windbg-commands.md §5).
 *
 * Every command validates all of its arguments before it changes anything,
 * and a new breakpoint replaces the one it redefines only after it has been
 * armed, so a failure leaves the table exactly as it was.
 */
#include "cmd/cmd.h"

#include <ctype.h>
#include <stdlib.h>
#include <string.h>

#include "expr/expr.h"
#include "cmd/fmt.h"

struct bp_args {
	int oneshot;
	int max_depth;
	int min_depth;
	char *cond;
	char *expr;		/* location text; NULL = current instruction */
	int have_addr;		/* the location evaluated now */
	uint64_t addr;
	char *eval_error;	/* why it did not evaluate */
	unsigned passes;
	char *command;
	enum point_type type;	/* ba: POINT_HW_EXEC or a watch */
	int size;
	int bm_data;
	int bm_address;
};

/* WinDbg's access letter of a processor breakpoint: e, w or r (and dr7's l, loads only). */
static char access_letter(enum point_type type)
{
	return type == POINT_HW_EXEC ? 'e' : type == POINT_WATCH_WRITE ? 'w' : type == POINT_WATCH_READ ? 'l' : 'r';
}

/*
 * ba's size: decimal digits as WinDbg writes them ("w4", "r 8"), or a
 * number with a radix prefix (0n100, 0x64) for dr7's sizes beyond 8.
 */
static int parse_ba_size(struct cmd_ctx *c, const char **pp, int *size)
{
	const char *p = *pp;
	int base = 10;
	if (p[0] == '0' && (p[1] == 'n' || p[1] == 'N'))
		p += 2;
	else if (p[0] == '0' && (p[1] == 'x' || p[1] == 'X'))
		base = 16, p += 2;
	if (!isxdigit((unsigned char)*p) || (base == 10 && !isdigit((unsigned char)*p)))
		return cmd_error(c, "Syntax error: ba needs a size after the access type (1, 2, 4 or 8; "
				    "dr7 takes any size up to 16 MiB)");
	char *end;
	unsigned long long v = strtoull(p, &end, base);
	if (*end && *end != ' ' && *end != '\t')
		return cmd_error(c, "^ Syntax error in '%.*s'", c->text_len, c->text);
	if (v == 0 || v > POINT_WATCH_MAX)
		return cmd_error(c, "Size must be between 1 and 16 MiB (0n%u bytes)", POINT_WATCH_MAX);
	*size = (int)v;
	*pp = end;
	return 0;
}

/* How the backend serves b now: " [dr0]", " [dr1+dr2]", " [page]" (dr7's addition to bl). */
static void add_mechanism(struct sbuf *sb, struct session *s, const struct bp *b)
{
	if (!b->armed || !s->tgt)
		return;
	unsigned slots = 0;
	switch (target_point_mechanism(s->tgt, &(struct point){ .type = b->type, .addr = b->addr,
								 .len = b->size, .tid = b->tid }, &slots)) {
	case POINT_MECH_DEBUGREG: {
		const char *sep = " [";
		for (int i = 0; i < 4; i++) {
			if (slots & (1u << i)) {
				sb_addf(sb, "%sdr%d", sep, i);
				sep = "+";
			}
		}
		sb_add(sb, "]");
		break;
	}
	case POINT_MECH_PAGES:
		sb_add(sb, " [page]");
		break;
	default:
		break;
	}
}

static void bp_args_free(struct bp_args *a)
{
	free(a->cond);
	free(a->expr);
	free(a->eval_error);
	free(a->command);
}

/* An option's argument is one word ("/c 5 /C 8": the 5 is not "5 / C"). */
static int parse_depth(struct cmd_ctx *c, const char **p, int *out)
{
	uint64_t v;
	if (cmd_word_expr(c, p, "Syntax error: /c and /C need a depth", &v) < 0)
		return -1;
	if (v == 0 || v > 100000)
		return cmd_error(c, "Call depth must be between 1 and 100000");
	*out = (int)v;
	return 0;
}

/* Options: /1 /c N /C N /w "cond" (and /a /d for bm); /p /t are kernel-mode. */
static int parse_options(struct cmd_ctx *c, const char **pp, struct bp_args *a, int is_bm)
{
	const char *p = *pp;
	for (;;) {
		p = skip_ws(p);
		if (*p != '/')
			break;
		char o = p[1];
		if (o == '1' && !isalnum((unsigned char)p[2])) {
			a->oneshot = 1;
			p += 2;
		} else if (o == 'c' || o == 'C') {
			p += 2;
			if (parse_depth(c, &p, o == 'c' ? &a->max_depth : &a->min_depth) < 0)
				return -1;
		} else if (o == 'w') {
			p = skip_ws(p + 2);
			free(a->cond);
			a->cond = NULL;
			if (cmd_quoted(c, &p, &a->cond) < 0)
				return -1;
		} else if (is_bm && o == 'a') {
			a->bm_data = 1;
			p += 2;
		} else if (is_bm && o == 'd') {
			a->bm_address = 1;
			p += 2;
		} else if (o == 'p' || o == 't') {
			return cmd_error(c, "not supported: /%c filters on kernel-mode process and thread objects", o);
		} else {
			return cmd_error(c, "Syntax error: unknown option '/%c'", o ? o : ' ');
		}
	}
	if (a->max_depth && a->min_depth)
		return cmd_error(c, "/c and /C cannot be combined");
	*pp = p;
	return 0;
}

/*
 * [Address [Passes]] ["CommandString"].  The address is kept as text; it is
 * evaluated now when possible (the evaluator tells where it ends), else the
 * text up to the next space is kept for deferred resolution.
 */
/* The location as the engine stores it: MASM text, a C++ one (.expr /s c++) wrapped in @@c++(). */
static char *location_text(struct cmd_ctx *c, const char *text, size_t n)
{
	if (c->s->evaluator != EVAL_CXX)
		return xstrndup(text, n);
	struct sbuf sb = { 0 };
	sb_addf(&sb, "@@c++(%.*s)", (int)n, text);
	char *r = xstrdup(sb_str(&sb));
	sb_free(&sb);
	return r;
}

static int parse_location(struct cmd_ctx *c, const char **pp, struct bp_args *a)
{
	const char *p = skip_ws(*pp);
	if (*p && *p != '"') {
		const char *end;
		uint64_t v;
		if (session_eval(c->s, p, &end, &v) == 0) {
			size_t n = (size_t)(end - p);
			a->expr = location_text(c, p, n);
			a->addr = v;
			a->have_addr = 1;
			p = end;
		} else {
			a->eval_error = xstrdup(err_get());
			const char *q = p;
			char *word = cmd_word(&q);
			a->expr = location_text(c, word, strlen(word));
			free(word);
			p = q;
		}
		p = skip_ws(p);
		if (*p && *p != '"') {
			if (cmd_passes(c, &p, &a->passes) < 0)
				return -1;
			p = skip_ws(p);
		}
	}
	if (*p == '"') {
		if (cmd_quoted(c, &p, &a->command) < 0)
			return -1;
		p = skip_ws(p);
	}
	if (*p)
		return cmd_extra_chars(c);
	*pp = p;
	return 0;
}

static int current_ip(struct cmd_ctx *c, uint64_t *ip)
{
	struct regs r;
	if (session_get_regs(c->s, 0, &r) < 0)
		return cmd_fail(c);
	*ip = r.r[REG_RIP];
	return 0;
}

static struct bp *make_bp(struct cmd_ctx *c, const struct bp_args *a, const struct thread_sel *sel)
{
	struct bp *b = bp_new();
	b->oneshot = a->oneshot;
	b->max_depth = a->max_depth;
	b->min_depth = a->min_depth;
	b->passes_init = b->passes_left = a->passes ? a->passes : 1;
	b->command = a->command ? xstrdup(a->command) : NULL;
	b->light_command = cmd_command_is_light(b->command);
	b->cond_text = a->cond ? xstrdup(a->cond) : NULL;
	if (sel && sel->kind == TSEL_ONE) {
		b->tid = sel->tid;
		struct target_thread *th = target_thread_by_tid(c->s->tgt, sel->tid);
		b->thread_index = th ? th->index : -1;
	}
	return b;
}

/*
 * Puts b into the table through the engine's transaction (bpdef.c): as a
 * redefinition of `old` (keeping its id) or with b->id; on failure nothing
 * changes and the reason is printed.
 */
static int install(struct cmd_ctx *c, struct bp *b, struct bp *old)
{
	int want_id = old ? old->id : b->id;
	if (session_bp_install(c->s, b, old) < 0)
		return cmd_fail(c);
	if (old)
		cmd_print(c, "breakpoint %d redefined\n", want_id);
	return 0;
}

static int cmd_bp_bu(struct cmd_ctx *c, const struct cmd_def *d, const char *args,
		     const struct thread_sel *sel, int id)
{
	struct session *s = c->s;
	struct bp_args a = { 0 };
	const char *p = args;
	int deferred = !strcasecmp(d->name, "bu");
	if (id == CMD_ID_EXPRESSION && cmd_id_expression(c, &p, &id) < 0)
		return -1;
	if (parse_options(c, &p, &a, 0) < 0 || parse_location(c, &p, &a) < 0)
		goto fail;
	if (!a.expr) {
		if (current_ip(c, &a.addr) < 0)
			goto fail;
		a.have_addr = 1;
		struct sbuf sb = { 0 };
		sb_addf(&sb, "0x%llx", (unsigned long long)a.addr);
		a.expr = xstrdup(sb_str(&sb));
		sb_free(&sb);
	}
	struct bp *b = make_bp(c, &a, sel);
	b->kind = BP_SOFTWARE;
	b->expr = xstrdup(a.expr);
	b->origin = deferred ? BP_BU : BP_BP;
	if (a.have_addr) {
		b->resolved = 1;
		b->addr = a.addr;
		if (session_bp_locate(s, b) < 0)
			cmd_print(c, "%s\n", err_get());	/* created, waiting unresolved */
	} else if (!deferred) {
		cmd_print(c, "Bp expression '%s' could not be resolved, adding deferred bp\n", a.expr);
		b->origin = BP_BU;
	}
	b->id = id >= 0 ? id : bp_lowest_free_id(&s->bps);
	struct bp *old;
	if (session_bp_find_redefined(s, b, id >= 0, &old) < 0) {
		bp_free(&s->bps, b);
		cmd_fail(c);
		goto fail;
	}
	int rc = install(c, b, old);
	bp_args_free(&a);
	return rc;
fail:
	bp_args_free(&a);
	return -1;
}

struct bm_state {
	struct cmd_ctx *c;
	struct bp_args *a;
	const struct thread_sel *sel;
	uint64_t *seen;
	int nseen;
	int created;
};

static int bm_each(void *user, const struct sym_module *mod, const char *name, uint64_t addr,
		   uint64_t size, int is_function)
{
	struct bm_state *st = user;
	struct session *s = st->c->s;
	for (int i = 0; i < st->nseen; i++)
		if (st->seen[i] == addr)
			return 0;
	st->seen = xrealloc(st->seen, sizeof(*st->seen) * (size_t)(st->nseen + 1));
	st->seen[st->nseen++] = addr;
	struct bp *b = make_bp(st->c, st->a, st->sel);
	b->kind = BP_SOFTWARE;
	struct sbuf sb = { 0 };
	if (st->a->bm_address) {
		sb_addf(&sb, "0x%llx", (unsigned long long)addr);
		b->origin = BP_BP;
	} else {
		sb_addf(&sb, "@!\"%s!%s\"", mod->name, name);
		b->origin = BP_BU;
	}
	b->expr = xstrdup(sb_str(&sb));
	b->resolved = 1;
	b->addr = addr;
	if (session_bp_locate(s, b) < 0)
		cmd_print(st->c, "%s\n", err_get());
	uint64_t at = b->addr;
	b->id = bp_lowest_free_id(&s->bps);
	int id = b->id;
	struct bp *old = session_bp_same_location(s, b);
	if (old)
		id = old->id;
	if (install(st->c, b, old) == 0) {
		struct sbuf line = { 0 };
		sb_addf(&line, "%3d: ", id);
		cmd_addr(&line, st->c, at);
		sb_addf(&line, " @!\"%s!%s\"", mod->name, name);
		cmd_print(st->c, "%s\n", sb_str(&line));
		sb_free(&line);
		st->created++;
	}
	sb_free(&sb);
	return 0;
}

static int cmd_bm(struct cmd_ctx *c, const struct cmd_def *d, const char *args,
		  const struct thread_sel *sel, int id)
{
	struct bp_args a = { 0 };
	const char *p = args;
	if (parse_options(c, &p, &a, 1) < 0)
		goto fail;
	char *pattern = cmd_word(&p);
	if (!pattern) {
		cmd_error(c, "Syntax error: bm needs a symbol pattern");
		goto fail;
	}
	p = skip_ws(p);
	if (*p && *p != '"') {
		if (cmd_passes(c, &p, &a.passes) < 0) {
			free(pattern);
			goto fail;
		}
		p = skip_ws(p);
	}
	if (*p == '"' && cmd_quoted(c, &p, &a.command) < 0) {
		free(pattern);
		goto fail;
	}
	if (*skip_ws(p)) {
		cmd_extra_chars(c);
		free(pattern);
		goto fail;
	}
	if (!c->s->sym) {
		free(pattern);
		cmd_error(c, "No symbols are loaded");
		goto fail;
	}
	char *bang = strchr(pattern, '!');
	const char *modpat = NULL, *sympat = pattern;
	if (bang) {
		*bang = 0;
		modpat = pattern;
		sympat = bang + 1;
	}
	struct bm_state st = { .c = c, .a = &a, .sel = sel };
	sym_enumerate(c->s->sym, modpat, sympat, !a.bm_data, bm_each, &st);
	if (st.created == 0 && st.nseen == 0)
		cmd_error(c, "No matching code symbols found, no breakpoints set for '%s%s%s'",
			  modpat ? modpat : "", modpat ? "!" : "", sympat);
	free(st.seen);
	free(pattern);
	bp_args_free(&a);
	return 0;
fail:
	bp_args_free(&a);
	return -1;
}

static int cmd_ba(struct cmd_ctx *c, const struct cmd_def *d, const char *args,
		  const struct thread_sel *sel, int id)
{
	struct session *s = c->s;
	struct bp_args a = { 0 };
	const char *p = args;
	if (id == CMD_ID_EXPRESSION && cmd_id_expression(c, &p, &id) < 0)
		return -1;
	p = skip_ws(p);
	switch (tolower((unsigned char)*p)) {
	case 'e': a.type = POINT_HW_EXEC; break;
	case 'r': a.type = POINT_WATCH_RW; break;
	case 'w': a.type = POINT_WATCH_WRITE; break;
	case 'l': a.type = POINT_WATCH_READ; break;
	case 'i':
		return cmd_error(c, "I/O breakpoints (ba i) are kernel-mode only; "
				    "not supported in a user-mode Linux debugger");
	default:
		return cmd_error(c, "Syntax error: ba needs an access type e, r, w, l or i (as in 'ba w4 address')");
	}
	p = skip_ws(p + 1);
	if (parse_ba_size(c, &p, &a.size) < 0)
		return -1;
	if (parse_options(c, &p, &a, 0) < 0 || parse_location(c, &p, &a) < 0)
		goto fail;
	if (!a.expr) {
		if (current_ip(c, &a.addr) < 0)
			goto fail;
		a.have_addr = 1;
	}
	if (!a.have_addr) {
		cmd_error(c, "%s", a.eval_error ? a.eval_error : "Couldn't resolve the address");
		goto fail;
	}
	struct point want = { .type = a.type, .addr = a.addr, .len = a.size };
	if (target_check_point(s->tgt, &want) < 0) {
		cmd_fail(c);
		goto fail;
	}
	struct bp *b = make_bp(c, &a, sel);
	b->kind = BP_HARDWARE;
	b->origin = BP_BA;
	b->type = a.type;
	b->size = a.size;
	b->resolved = 1;
	b->addr = a.addr;
	b->expr = xstrdup(a.expr ? a.expr : "");
	b->id = id >= 0 ? id : bp_lowest_free_id(&s->bps);
	struct bp *old;
	if (session_bp_find_redefined(s, b, id >= 0, &old) < 0) {
		bp_free(&s->bps, b);
		cmd_fail(c);
		goto fail;
	}
	/* A redefinition reuses the old slot: free it first so the new one fits. */
	int was_armed = old && old->armed;
	if (was_armed)
		bp_disarm(&s->bps, s->tgt, old);
	int rc = install(c, b, old);
	if (rc < 0 && was_armed)
		bp_sync(&s->bps, s->tgt, old);
	bp_args_free(&a);
	return rc;
fail:
	bp_args_free(&a);
	return -1;
}

/* ---- listing ---- */

static void bl_row(struct cmd_ctx *c, const struct bp *b)
{
	struct sbuf sb = { 0 };
	sb_addf(&sb, "%6d %c %s ", b->id, b->enabled ? 'e' : 'd',
		b->enabled ? "Disable Clear" : "Enable Clear");
	if (!b->resolved) {
		sb_add(&sb, "u");
		sb_addf(&sb, "%*s", session_is32(c->s) ? 8 + 5 : 17 + 5, "");
		sb_addf(&sb, "%04x (%04x) (%s)", b->passes_left, b->passes_init, b->expr ? b->expr : "");
	} else {
		sb_add(&sb, " ");
		cmd_addr(&sb, c, b->addr);
		if (b->kind == BP_HARDWARE)
			sb_addf(&sb, " %c %d ", access_letter(b->type), b->size);
		else
			sb_add(&sb, "     ");
		sb_addf(&sb, "%04x (%04x)  0:", b->passes_left, b->passes_init);
		if (b->tid)
			sb_addf(&sb, "%04d", b->thread_index);
		else
			sb_add(&sb, "****");
		sb_add(&sb, " ");
		session_describe(c->s, b->addr, &sb);
	}
	/* What tells breakpoints at one address apart (dr7's addition to WinDbg's columns). */
	if (b->max_depth)
		sb_addf(&sb, " /c 0x%x", b->max_depth);
	if (b->min_depth)
		sb_addf(&sb, " /C 0x%x", b->min_depth);
	if (b->cond_text)
		sb_addf(&sb, " /w \"%s\"", b->cond_text);
	if (b->command)
		sb_addf(&sb, " \"%s\"", b->command);
	if (b->kind == BP_HARDWARE)
		add_mechanism(&sb, c->s, b);
	cmd_print(c, "%s\n", sb_str(&sb));
	sb_free(&sb);
}

/* Parses a breakpoint list (ids, ranges, *, [expr]); calls fn for each existing id. */
static int for_each_listed(struct cmd_ctx *c, const char *args, int (*fn)(struct cmd_ctx *, struct bp *))
{
	struct session *s = c->s;
	const char *p = skip_sep(args);
	if (!*p)
		return cmd_error(c, "Syntax error: a breakpoint list is required (ids, ranges like 1-3, or *)");
	int *ids = NULL, n = 0;
	while (*p) {
		long lo, hi;
		if (*p == '*') {
			for (int i = 0; i < s->bps.n; i++) {
				ids = xrealloc(ids, sizeof(int) * (size_t)(n + 1));
				ids[n++] = s->bps.v[i]->id;
			}
			p = skip_sep(p + 1);
			continue;
		}
		if (*p == '[') {
			const char *q = p + 1;
			uint64_t v;
			if (cmd_expr(c, &q, &v) < 0)
				goto fail;
			q = skip_ws(q);
			if (*q != ']') {
				cmd_error(c, "Syntax error: expected ']'");
				goto fail;
			}
			lo = hi = (long)v;
			p = q + 1;
		} else if (isdigit((unsigned char)*p)) {
			char *e;
			lo = hi = strtol(p, &e, 10);
			p = e;
			if (*p == '-' && isdigit((unsigned char)p[1])) {
				hi = strtol(p + 1, &e, 10);
				p = e;
			}
		} else {
			cmd_error(c, "Syntax error: bad breakpoint list at '%s'", p);
			goto fail;
		}
		if (*p && *p != ' ' && *p != ',' && *p != '\t') {
			cmd_error(c, "Syntax error: bad breakpoint list at '%s'", p);
			goto fail;
		}
		if (lo < 0 || hi < lo || hi - lo > 100000) {
			cmd_error(c, "Syntax error: bad breakpoint range");
			goto fail;
		}
		for (long i = lo; i <= hi; i++) {
			if (!bp_find(&s->bps, (int)i)) {
				if (lo == hi)
					cmd_error(c, "Breakpoint %ld does not exist", i);
				continue;
			}
			ids = xrealloc(ids, sizeof(int) * (size_t)(n + 1));
			ids[n++] = (int)i;
		}
		p = skip_sep(p);
	}
	for (int i = 0; i < n; i++) {
		struct bp *b = bp_find(&s->bps, ids[i]);
		if (b)
			fn(c, b);
	}
	free(ids);
	return 0;
fail:
	free(ids);
	return -1;
}

static int do_clear(struct cmd_ctx *c, struct bp *b)
{
	return bp_delete(&c->s->bps, c->s->tgt, b->id);
}

static int do_disable(struct cmd_ctx *c, struct bp *b)
{
	b->enabled = 0;
	bp_sync(&c->s->bps, c->s->tgt, b);
	return 0;
}

static int do_enable(struct cmd_ctx *c, struct bp *b)
{
	if (b->enabled)
		return 0;
	b->enabled = 1;
	if (bp_sync(&c->s->bps, c->s->tgt, b) < 0) {
		b->enabled = 0;
		return cmd_error(c, "Breakpoint %d could not be enabled: %s", b->id, err_get());
	}
	return 0;
}

static int cmd_bc(struct cmd_ctx *c, const struct cmd_def *d, const char *args,
		  const struct thread_sel *sel, int id)
{
	return for_each_listed(c, args, do_clear);
}

static int cmd_bd(struct cmd_ctx *c, const struct cmd_def *d, const char *args,
		  const struct thread_sel *sel, int id)
{
	return for_each_listed(c, args, do_disable);
}

static int cmd_be(struct cmd_ctx *c, const struct cmd_def *d, const char *args,
		  const struct thread_sel *sel, int id)
{
	return for_each_listed(c, args, do_enable);
}

static int do_list(struct cmd_ctx *c, struct bp *b)
{
	bl_row(c, b);
	return 0;
}

static void bp_list_all(struct cmd_ctx *c)
{
	for (int i = 0; i < c->s->bps.n; i++)
		bl_row(c, c->s->bps.v[i]);
}

static int cmd_bl(struct cmd_ctx *c, const struct cmd_def *d, const char *args,
		  const struct thread_sel *sel, int id)
{
	const char *p = skip_ws(args);
	if (!strncmp(p, "/L", 2))
		p = skip_ws(p + 2);
	if (!*p) {
		bp_list_all(c);
		return 0;
	}
	return for_each_listed(c, p, do_list);
}

static int cmd_br(struct cmd_ctx *c, const struct cmd_def *d, const char *args,
		  const struct thread_sel *sel, int id)
{
	const char *p = args;
	int pairs[64][2], n = 0;
	for (;;) {
		p = skip_sep(p);
		if (!*p)
			break;
		uint64_t a, b;
		if (n == 64)
			return cmd_error(c, "Too many pairs for br");
		if (cmd_expr(c, &p, &a) < 0)
			return -1;
		p = skip_sep(p);
		if (!*p)
			return cmd_error(c, "Syntax error: br needs pairs of OldID NewID");
		if (cmd_expr(c, &p, &b) < 0)
			return -1;
		pairs[n][0] = (int)a;
		pairs[n][1] = (int)b;
		n++;
	}
	if (n == 0)
		return cmd_error(c, "Syntax error: br needs pairs of OldID NewID");
	for (int i = 0; i < n; i++)
		if (bp_renumber(&c->s->bps, pairs[i][0], pairs[i][1]) < 0)
			return cmd_fail(c);
	return 0;
}

static int set_command(struct cmd_ctx *c, int bpid, char *command)
{
	struct bp *b = bp_find(&c->s->bps, bpid);
	if (!b) {
		free(command);
		return cmd_error(c, "Breakpoint %d does not exist", bpid);
	}
	free(b->command);
	b->command = command;
	b->light_command = cmd_command_is_light(b->command);
	return 0;
}

static int cmd_bs(struct cmd_ctx *c, const struct cmd_def *d, const char *args,
		  const struct thread_sel *sel, int id)
{
	const char *p = args;
	uint64_t v;
	if (cmd_expr(c, &p, &v) < 0)
		return -1;
	p = skip_ws(p);
	char *command = NULL;
	if (*p && cmd_quoted(c, &p, &command) < 0)
		return -1;
	if (*skip_ws(p)) {
		free(command);
		return cmd_extra_chars(c);
	}
	return set_command(c, (int)v, command);
}

static int cmd_bsc(struct cmd_ctx *c, const struct cmd_def *d, const char *args,
		   const struct thread_sel *sel, int id)
{
	const char *p = args;
	uint64_t v;
	if (cmd_expr(c, &p, &v) < 0)
		return -1;
	p = skip_ws(p);
	/* The condition is a MASM expression: check it parses by its end. */
	const char *cond = p;
	uint64_t dummy;
	const char *end;
	if (!*cond)
		return cmd_error(c, "Syntax error: bsc needs a condition");
	if (session_eval(c->s, cond, &end, &dummy) < 0) {
		/* Keep the condition even if it cannot be evaluated now, up to the string. */
		end = strchr(cond, '"');
		if (!end)
			end = cond + strlen(cond);
	}
	char *cond_text = xstrndup(cond, (size_t)(end - cond));
	p = skip_ws(end);
	char *inner = NULL;
	if (*p && cmd_quoted(c, &p, &inner) < 0) {
		free(cond_text);
		return -1;
	}
	if (*skip_ws(p)) {
		free(cond_text);
		free(inner);
		return cmd_extra_chars(c);
	}
	struct sbuf sb = { 0 };
	sb_addf(&sb, "j (%s) '%s'; 'gc'", cond_text, inner ? inner : "");
	free(cond_text);
	free(inner);
	char *command = xstrdup(sb_str(&sb));
	sb_free(&sb);
	return set_command(c, (int)v, command);
}

static void quote_into(struct sbuf *sb, const char *text)
{
	sb_addc(sb, '"');
	for (const char *p = text; *p; p++) {
		if (*p == '"' || *p == '\\')
			sb_addc(sb, '\\');
		sb_addc(sb, *p);
	}
	sb_addc(sb, '"');
}

static int cmd_bpcmds(struct cmd_ctx *c, const struct cmd_def *d, const char *args,
		      const struct thread_sel *sel, int id)
{
	struct session *s = c->s;
	for (int i = 0; i < s->bps.n; i++) {
		struct bp *b = s->bps.v[i];
		struct sbuf sb = { 0 };
		if (b->tid)
			sb_addf(&sb, "~%d ", b->thread_index);
		sb_addf(&sb, "%s%d ", b->origin == BP_BA ? "ba" : b->origin == BP_BU ? "bu" : "bp", b->id);
		if (b->origin == BP_BA)
			sb_addf(&sb, "%c%d ", access_letter(b->type), b->size);
		if (b->oneshot)
			sb_add(&sb, "/1 ");
		if (b->max_depth)
			sb_addf(&sb, "/c 0x%x ", b->max_depth);
		if (b->min_depth)
			sb_addf(&sb, "/C 0x%x ", b->min_depth);
		if (b->cond_text) {
			sb_add(&sb, "/w ");
			quote_into(&sb, b->cond_text);
			sb_add(&sb, " ");
		}
		if (b->origin == BP_BU) {
			sb_add(&sb, b->expr ? b->expr : "");
		} else {
			sb_add(&sb, "0x");
			cmd_addr(&sb, c, b->addr);
		}
		if (b->passes_init != 1)
			sb_addf(&sb, " 0x%x", b->passes_init);
		if (b->command) {
			sb_add(&sb, " ");
			quote_into(&sb, b->command);
		}
		sb_add(&sb, b->origin == BP_BU ? ";" : " ;");
		cmd_print(c, "%s\n", sb_str(&sb));
		sb_free(&sb);
	}
	return 0;
}

const struct cmd_def cmd_bp_table[] = {
	{ "bp", cmd_bp_bu, CMD_ID_SUFFIX | CMD_THREADS | CMD_SEL_SELF | CMD_COMMAND_STRING, 0, ARGS_ANY,
	  "bp[ID] [/1] [/c MaxDepth] [/C MinDepth] [/w \"Condition\"] [Address [Passes]] [\"CommandString\"]",
	  "Set a software (int3) breakpoint; Address defaults to $ip" },
	{ "bu", cmd_bp_bu, CMD_ID_SUFFIX | CMD_THREADS | CMD_SEL_SELF | CMD_COMMAND_STRING, 0, ARGS_ANY,
	  "bu[ID] [Options] [Address [Passes]] [\"CommandString\"]",
	  "Set a deferred breakpoint, resolved again when modules change" },
	{ "bm", cmd_bm, CMD_THREADS | CMD_SEL_SELF | CMD_COMMAND_STRING, 0, ARGS_NEEDED,
	  "bm [/a] [/d] [Options] SymbolPattern [Passes] [\"CommandString\"]",
	  "Set a deferred breakpoint on each function matching a pattern" },
	{ "ba", cmd_ba, CMD_ID_SUFFIX | CMD_THREADS | CMD_SEL_SELF | CMD_NEED_PROCESS | CMD_COMMAND_STRING, 0,
	  ARGS_NEEDED, "ba[ID] e|r|w|l Size [Options] [Address [Passes]] [\"CommandString\"]",
	  "Set a processor breakpoint (l: loads only); r means read or write" },
	{ "bl", cmd_bl, 0, 0, ARGS_ANY, "bl [/L] [Breakpoints]", "List breakpoints" },
	{ "bc", cmd_bc, 0, 0, ARGS_NEEDED, "bc Breakpoints",
	  "Clear breakpoints: IDs, ranges 1-3, lists 1,3, * or [Expression]" },
	{ "bd", cmd_bd, 0, 0, ARGS_NEEDED, "bd Breakpoints",
	  "Disable breakpoints (a disabled ba frees its debug register)" },
	{ "be", cmd_be, 0, 0, ARGS_NEEDED, "be Breakpoints", "Enable breakpoints" },
	{ "br", cmd_br, 0, 0, ARGS_NEEDED, "br OldID NewID [OldID2 NewID2 ...]", "Renumber breakpoints" },
	{ "bs", cmd_bs, CMD_COMMAND_STRING, 0, ARGS_NEEDED, "bs ID [\"CommandString\"]",
	  "Replace a breakpoint's command string (none: remove it)" },
	{ "bsc", cmd_bsc, CMD_COMMAND_STRING, 0, ARGS_NEEDED, "bsc ID Condition [\"CommandString\"]",
	  "Make a breakpoint conditional: bs ID \"j (Condition) 'Cmds'; 'gc'\"" },
	{ ".bpcmds", cmd_bpcmds, 0, 0, ARGS_NONE, ".bpcmds", "Print commands that recreate every breakpoint" },
	{ NULL, NULL, 0, 0, ARGS_ANY, NULL, NULL },
};
