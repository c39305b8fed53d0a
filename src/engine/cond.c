/*
 * cond.c — /w breakpoint conditions (windbg-commands.md §5.10): C
 * expressions (cexpr.h) whose names are bound, through symvar.h, at the
 * breakpoint's address when the breakpoint is set.
 *
 * A compiled condition is a cexpr tree whose variables carry their resolved
 * locations (a global's address, a parameter's register or frame slot, the
 * CFA rule at the breakpoint address), so evaluating it at a hit reads only
 * the thread's registers (cached by the backend) and a few bytes of memory:
 * no symbol or DWARF work on the hit path.
 *
 * Binding follows the breakpoint's address:
 *   - a code breakpoint: locals and parameters at its address, then globals;
 *   - a data breakpoint (pc 0): globals only, since it stops wherever the
 *     data is touched;
 *   - a breakpoint not resolved yet (COND_PC_LATE): only the syntax is
 *     checked when it is set; names are bound at the first hit.
 * A code breakpoint's condition is valid only at the pc it was bound for
 * (locals are located for that pc; a global's address belongs to the
 * module loaded there): when a hit comes from another pc (a deferred
 * breakpoint resolved again after its module was reloaded elsewhere) it is
 * bound again for the new pc.
 *
 * Invariant: cond->expr, when set, was compiled in cond->pool for cond->pc.
 */
#include <stdlib.h>
#include <string.h>

#include "expr/cexpr.h"
#include "engine/cond.h"
#include "engine/session.h"
#include "sym/symvar.h"

struct cond {
	char *text;
	uint64_t pc;		/* where names were bound (0: globals only) */
	int late;		/* not bound yet: bind at the first hit */
	int at_code;		/* a code breakpoint's: bound to the pc of its hits */
	int is32;
	struct cx_pool *pool;
	struct cx_expr *expr;
};


/* Pseudo-registers go through the MASM evaluator, which knows them all. */
int cond_pseudo_value(struct session *s, const char *name, uint64_t *v)
{
	struct sbuf sb = { 0 };
	sb_addf(&sb, "@%s", name);
	const char *end;
	int rc = session_eval(s, sb_str(&sb), &end, v);
	if (rc == 0 && *skip_ws(end))
		rc = err_set("Bad register error at '%s'", sb_str(&sb));
	sb_free(&sb);
	return rc;
}

int cond_bind_name(struct session *s, struct symvar_scope *sc, struct cx_pool *pool, const char *name,
		   size_t len, int is_reg, struct cx_sym *out)
{
	if (is_reg && len && name[0] == '$') {
		char buf[64];
		uint64_t v;
		if (len >= sizeof(buf))
			return 1;
		memcpy(buf, name, len);
		buf[len] = 0;
		if (cond_pseudo_value(s, buf, &v) < 0)
			return 1;
		memset(out, 0, sizeof(*out));
		out->type = cx_builtin(CXB_UINT64, session_is32(s) ? 4 : 8);
		out->loc = symvar_pseudo_loc(pool, name, len);
		return 0;
	}
	return symvar_var(sc, name, len, is_reg, out);
}

static int names_var(void *user, const char *name, size_t len, int is_reg, struct cx_sym *out)
{
	struct cond_names *n = user;
	return cond_bind_name(n->s, n->sc, n->pool, name, len, is_reg, out);
}

static int names_type(void *user, enum cx_kind tag, const char *name, size_t len, const struct cx_type **out)
{
	struct cond_names *n = user;
	return symvar_type(n->sc, tag, name, len, out);
}

void cond_names_scope(struct cond_names *n, struct cx_scope *out)
{
	symvar_cx_scope(n->sc, out);
	out->user = n;
	out->var = names_var;
	out->type = names_type;
}

/* Compiles c->text with names bound at pc; replaces the previous binding on success. */
static int cond_bind(struct session *s, struct cond *c, uint64_t pc)
{
	if (!s->sym)
		return err_set("No symbols are loaded");
	struct cx_pool *pool = cx_pool_new();
	struct symvar_scope *sc = symvar_scope_new(s->sym, pc, c->is32, pool);
	struct cond_names names = { s, sc, pool };
	struct cx_scope cxs;
	cond_names_scope(&names, &cxs);
	struct cx_expr *e = cx_compile(&cxs, c->text);
	symvar_scope_free(sc);
	if (!e) {
		cx_pool_free(pool);
		return -1;
	}
	cx_pool_free(c->pool);
	c->pool = pool;
	c->expr = e;
	c->pc = pc;
	c->late = 0;
	return 0;
}

/* Syntax check for a late-bound condition: every name is accepted as an int. */
static int any_var(void *user, const char *name, size_t len, int is_reg, struct cx_sym *out)
{
	memset(out, 0, sizeof(*out));
	out->type = cx_builtin(CXB_INT, 8);
	out->loc = user;
	return 0;
}

static int syntax_check(const char *text)
{
	struct cx_pool *pool = cx_pool_new();
	struct cx_scope sc = { .user = pool, .pool = pool, .ptrsize = 8, .var = any_var };
	int rc = cx_compile(&sc, text) ? 0 : -1;
	cx_pool_free(pool);
	return rc;
}

int cond_compile(struct session *s, const char *text, uint64_t pc, void **out)
{
	*out = NULL;
	if (!text || !*skip_ws(text))
		return err_set("Syntax error: empty condition");
	struct cond *c = xcalloc(1, sizeof(*c));
	c->text = xstrdup(text);
	c->is32 = session_is32(s);
	int rc;
	c->at_code = pc != 0;
	if (pc == COND_PC_LATE || !s->sym) {
		c->late = 1;
		rc = syntax_check(text);
	} else {
		rc = cond_bind(s, c, pc);
	}
	if (rc < 0) {
		cond_free(c);
		return -1;
	}
	*out = c;
	return 0;
}

/* ---- evaluation at a hit ---- */

struct hit_ctx {
	struct session *s;
	pid_t tid;
};

static int hit_regs(void *user, struct regs *r)
{
	struct hit_ctx *h = user;
	return target_get_regs(h->s->tgt, h->tid, r);
}

static int hit_mem(void *user, uint64_t addr, void *buf, size_t n)
{
	struct hit_ctx *h = user;
	return target_read(h->s->tgt, addr, buf, n) == (int)n ? 0 : -1;
}

static int hit_pseudo(void *user, const char *name, uint64_t *v)
{
	struct hit_ctx *h = user;
	return cond_pseudo_value(h->s, name, v);
}

int cond_eval(struct session *s, void *cond, pid_t tid, int *result)
{
	struct cond *c = cond;
	*result = 1;
	if (!c)
		return 0;
	if (!session_has_process(s))
		return err_set("No process is being debugged");
	struct hit_ctx h = { s, tid };
	struct symvar_frame fr = {
		.is32 = c->is32, .valid = SYMVAR_ALL_REGS, .fetch_regs = hit_regs,
		.mem = hit_mem, .pseudo = hit_pseudo, .user = &h,
	};
	uint64_t pc = 0;
	if (c->at_code) {
		if (target_get_regs(s->tgt, tid, &fr.regs) < 0)
			return -1;
		fr.have_regs = 1;
		pc = fr.regs.r[REG_RIP];
	}
	if ((c->late || pc != c->pc) && cond_bind(s, c, pc) < 0)
		return -1;
	struct cx_env env;
	symvar_cx_env(&fr, &env);
	int truth = 0;
	if (cx_eval_bool(c->expr, &env, &truth) < 0)
		return -1;
	*result = truth != 0;
	return 0;
}

void cond_free(void *cond)
{
	struct cond *c = cond;
	if (!c)
		return;
	cx_pool_free(c->pool);
	free(c->text);
	free(c);
}
