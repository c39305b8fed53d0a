/*
 * cxxeval.c — C++ expressions where a command wants a number: the default
 * evaluator after `.expr /s c++`, and @@c++(...) inside a MASM expression
 * (windbg-commands.md §2.2, §2.7).  The expression is compiled in the
 * selected frame's scope (scope.c) and evaluated at once; its value
 * becomes a number: integers, enums and bools as C converts them (sign
 * extended to 64 bits), a pointer's value, an array's or a function's
 * address, and a symbol without debug information (a type-less lvalue)
 * its address.  Floating-point values and aggregates are refused.
 *
 * Without symbols or a process the names are pseudo-registers only, so
 * `? 1 + 2` still works after .kill.  Invariant: every scope opened here
 * is closed before returning, and s->eval_nesting is restored.
 */
#include "engine/scope.h"

#include <string.h>

#include "engine/cond.h"

/* ---- a scope with pseudo-registers only (no symbols, no process) ---- */

struct bare_scope {
	struct session *s;
	struct cx_pool *pool;
	struct symvar_frame fr;
};

static int bare_var(void *user, const char *name, size_t len, int is_reg, struct cx_sym *out)
{
	struct bare_scope *b = user;
	if (!is_reg || !len || name[0] != '$')
		return 1;
	return cond_bind_name(b->s, NULL, b->pool, name, len, is_reg, out);
}

static int bare_pseudo(void *user, const char *name, uint64_t *v)
{
	struct bare_scope *b = user;
	return cond_pseudo_value(b->s, name, v);
}

static int bare_mem(void *user, uint64_t addr, void *buf, size_t n)
{
	struct bare_scope *b = user;
	return session_has_process(b->s) && session_read(b->s, addr, buf, n) == (int)n ? 0 : -1;
}

static int bare_masm(void *user, const char *text, uint64_t *v)
{
	struct bare_scope *b = user;
	const char *end;
	int rc = session_eval_masm(b->s, text, &end, v);
	if (rc == 0 && *skip_ws(end))
		rc = err_set("Syntax error at '%s'", end);
	return rc;
}

/* ---- the value as a number ---- */

static int as_number(const struct cx_env *env, const struct cx_value *v, const char *text, uint64_t *out)
{
	const struct cx_type *t = cx_strip(v->type);
	if (t->kind == CX_VOID && v->lvalue) {
		*out = v->addr;	/* a symbol without debug information: its address */
		return 0;
	}
	if (t->kind == CX_FLOAT)
		return err_set("Type error at '%s': a floating-point value is not an address or a count", text);
	double f;
	return cx_value_scalar(env, v, out, &f);
}

static int evaluate(struct session *s, const struct cx_scope *sc, const struct cx_env *env,
		    const char *text, const char **end, uint64_t *val)
{
	const char *e = text;
	struct cx_expr *x = cx_compile_prefix(sc, text, &e);
	if (end)
		*end = e;
	if (!x)
		return -1;
	struct cx_value v;
	if (cx_eval(x, env, &v) < 0)
		return -1;
	uint64_t n;
	if (as_number(env, &v, text, &n) < 0)
		return -1;
	if (val)
		*val = n;
	return 0;
}

int session_eval_cxx(struct session *s, const char *text, const char **end, uint64_t *val)
{
	if (end)
		*end = text;
	if (s->eval_nesting >= SESSION_MAX_EVAL_NESTING)
		return err_set("Expression nesting is too deep (more than %d @@ switches)", SESSION_MAX_EVAL_NESTING);
	s->eval_nesting++;
	int rc;
	struct frame_scope x;
	if (s->sym && session_has_process(s) && session_scope_open(s, s->cur_frame, &x) == 0) {
		rc = evaluate(s, &x.cxs, &x.env, text, end, val);
		session_scope_close(&x);
	} else {
		struct bare_scope b = { .s = s, .pool = cx_pool_new() };
		b.fr.is32 = session_is32(s);
		b.fr.mem = bare_mem;
		b.fr.pseudo = bare_pseudo;
		b.fr.masm = bare_masm;
		b.fr.user = &b;
		struct cx_scope sc = { .user = &b, .pool = b.pool, .ptrsize = b.fr.is32 ? 4 : 8, .var = bare_var };
		struct cx_env env;
		symvar_cx_env(&b.fr, &env);
		rc = evaluate(s, &sc, &env, text, end, val);
		cx_pool_free(b.pool);
	}
	s->eval_nesting--;
	return rc;
}
