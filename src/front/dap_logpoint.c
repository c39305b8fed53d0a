/*
 * dap_logpoint.c — a logpoint's message: the text with each {expression}
 * replaced by its value as `??` shows it ({{ and }} are braces).
 *
 * A logpoint is hit many times at one address, so its expressions are
 * compiled once, in the scope of that address (names, types and locations
 * bound there, as a /w condition is), and each hit only evaluates them with
 * the hitting thread's registers.  The compiled form is kept while the
 * address, the process and its symbol table stay the same; an expression
 * that does not compile shows dr7's message in its place.
 */
#include "front/dap.h"

#include <stdlib.h>
#include <string.h>

#include "engine/scope.h"

struct piece {
	char *text;		/* literal text, or NULL for an expression */
	char *source;		/* the expression as written */
	struct cx_expr *expr;	/* compiled; NULL: it did not compile */
	char *error;		/* why it did not */
};

struct dap_log_cache {
	uint64_t pc;
	struct target *tgt;
	struct sym_table *sym;
	struct frame_scope x;	/* its pool holds the compiled expressions */
	struct piece *pieces;
	int n;
};

static void add_piece(struct dap_log_cache *c, char *text, char *source)
{
	c->pieces = xrealloc(c->pieces, sizeof(*c->pieces) * (size_t)(c->n + 1));
	c->pieces[c->n++] = (struct piece){ .text = text, .source = source };
}

void dap_log_cache_free(struct dap_log_cache *c)
{
	if (!c)
		return;
	for (int i = 0; i < c->n; i++) {
		free(c->pieces[i].text);
		free(c->pieces[i].source);
		free(c->pieces[i].error);
	}
	free(c->pieces);
	session_scope_close(&c->x);
	free(c);
}

/* Splits msg and compiles its expressions at the current thread's pc. */
static struct dap_log_cache *compile(const char *msg, uint64_t pc)
{
	struct session *s = dap->s;
	struct dap_log_cache *c = xcalloc(1, sizeof(*c));
	c->pc = pc;
	c->tgt = s->tgt;
	c->sym = s->sym;
	int scope_ok = session_scope_open(s, 0, &c->x) == 0;
	const char *scope_error = scope_ok ? NULL : err_get();
	struct sbuf lit = { 0 };
	for (const char *p = msg; *p; p++) {
		if ((p[0] == '{' && p[1] == '{') || (p[0] == '}' && p[1] == '}')) {
			sb_addc(&lit, *p++);
			continue;
		}
		const char *close = *p == '{' ? strchr(p, '}') : NULL;
		if (!close) {
			sb_addc(&lit, *p);
			continue;
		}
		if (lit.len) {
			add_piece(c, xstrdup(sb_str(&lit)), NULL);
			sb_reset(&lit);
		}
		char *source = xstrndup(p + 1, (size_t)(close - p - 1));
		add_piece(c, NULL, source);
		struct piece *pc_ = &c->pieces[c->n - 1];
		if (scope_ok)
			pc_->expr = cx_compile(&c->x.cxs, source);
		if (!pc_->expr)
			pc_->error = xstrdup(scope_ok ? err_get() : scope_error);
		p = close;
	}
	if (lit.len)
		add_piece(c, xstrdup(sb_str(&lit)), NULL);
	sb_free(&lit);
	if (scope_ok) {
		/* Compiled: the DWARF scope is not needed to evaluate. */
		symvar_scope_free(c->x.sc);
		c->x.sc = NULL;
	}
	return c;
}

void dap_log_message(struct dap_log_cache **cache, const char *msg, pid_t tid)
{
	struct session *s = dap->s;
	struct regs r;
	pid_t saved = s->cur_tid;
	if (session_get_regs(s, tid, &r) < 0) {
		char line[600];
		snprintf(line, sizeof(line), "<%s>\n", err_get());
		dap_output("console", line, strlen(line));
		return;
	}
	uint64_t pc = r.r[REG_RIP];
	struct dap_log_cache *c = *cache;
	if (c && (c->pc != pc || c->tgt != s->tgt || c->sym != s->sym)) {
		dap_log_cache_free(c);
		c = NULL;
	}
	if (!c) {
		s->cur_tid = tid;
		c = compile(msg, pc);
		s->cur_tid = saved;
		*cache = c;
	}
	c->x.fr.regs = r;	/* this hit's thread and registers */
	c->x.fr.valid = SYMVAR_ALL_REGS;
	struct sbuf out = { 0 };
	for (int i = 0; i < c->n; i++) {
		struct piece *p = &c->pieces[i];
		struct cx_value v;
		if (p->text)
			sb_add(&out, p->text);
		else if (!p->expr)
			sb_addf(&out, "<%s>", p->error);
		else if (cx_eval(p->expr, &c->x.env, &v) < 0)
			sb_addf(&out, "<%s>", err_get());
		else if (cx_strip(v.type)->kind == CX_STRUCT || cx_strip(v.type)->kind == CX_UNION)
			sb_add(&out, "{...}");
		else
			cx_format_value(&out, &c->x.env, &v);
	}
	sb_addc(&out, '\n');
	dap_output("console", sb_str(&out), out.len);
	sb_free(&out);
}
