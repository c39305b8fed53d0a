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
 *   - a data breakpoint (COND_PC_DATA): it stops wherever the data is
 *     touched, so its names are those in scope where it was set: the
 *     locals and parameters of the current thread's selected frame, then
 *     globals.  A condition that names no local is bound for globals only
 *     (pc 0).  One that does is read, at each hit, in the innermost frame of
 *     the hitting thread that runs the function where the breakpoint was
 *     set (gdb's rule for `watch global if q > 10`: any thread or
 *     recursion level running that function).  With no such frame left it
 *     cannot be evaluated, and the hit stops with that reason;
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
	/* A data breakpoint's condition over a function's locals: read in the
	 * innermost frame running [func_start, func_start + func_size). */
	uint64_t func_start, func_size;
	char *func_name;	/* "syntax!scoped", for messages */
};


/* Pseudo-registers go through the MASM evaluator, which knows them all. */
int cond_pseudo_value(struct session *s, const char *name, uint64_t *v)
{
	struct sbuf sb = { 0 };
	sb_addf(&sb, "@%s", name);
	const char *end;
	int rc = session_eval_masm(s, sb_str(&sb), &end, v);
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
	int rc = cond_bind_name(n->s, n->sc, n->pool, name, len, is_reg, out);
	if (rc == 0 && out->in_frame)
		n->in_frame = 1;
	return rc;
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

/* Compiles c->text with names bound at pc; replaces the previous binding on success.
 * *in_frame (if non-NULL) tells whether a local or parameter was named. */
static int cond_bind_at(struct session *s, struct cond *c, uint64_t pc, int *in_frame)
{
	if (!s->sym)
		return err_set("No symbols are loaded");
	struct cx_pool *pool = cx_pool_new();
	struct symvar_scope *sc = symvar_scope_new(s->sym, pc, c->is32, pool);
	struct cond_names names = { s, sc, pool, 0 };
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
	if (in_frame)
		*in_frame = names.in_frame;
	return 0;
}

static int cond_bind(struct session *s, struct cond *c, uint64_t pc)
{
	return cond_bind_at(s, c, pc, NULL);
}

/* The lookup pc of the current thread's selected frame (inside the call for outer frames). */
static int selected_frame_pc(struct session *s, uint64_t *pc)
{
	if (!session_has_process(s) || session_frame_pc(s, s->cur_tid, s->cur_frame, pc) < 0)
		return -1;
	if (s->cur_frame > 0)
		(*pc)--;
	return 0;
}

/*
 * A data breakpoint's condition: bound in the selected frame; kept there
 * (with the function it names locals of) only if it names a local, else
 * bound for globals only, as before.
 */
static int bind_data(struct session *s, struct cond *c)
{
	uint64_t pc;
	struct sym_func fn;
	int in_frame = 0;
	if (selected_frame_pc(s, &pc) < 0 || sym_function_at(s->sym, pc, &fn) < 0 || !fn.size)
		return cond_bind(s, c, 0);
	if (cond_bind_at(s, c, pc, &in_frame) < 0)
		return cond_bind(s, c, 0);	/* and its reason: the globals have no such name either */
	if (in_frame) {
		c->func_start = fn.start;
		c->func_size = fn.size;
		struct sbuf sb = { 0 };
		sb_addf(&sb, "%s!%s", fn.module ? fn.module : "?", fn.name ? fn.name : "?");
		c->func_name = xstrdup(sb_str(&sb));
		sb_free(&sb);
		return 0;
	}
	return cond_bind(s, c, 0);
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
	c->at_code = pc != 0 && pc != COND_PC_DATA;
	if (pc == COND_PC_LATE || !s->sym) {
		c->late = 1;
		rc = syntax_check(text);
	} else if (pc == COND_PC_DATA) {
		rc = bind_data(s, c);
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

/* @@masm(text) in a condition: evaluated as the hit thread sees it. */
static int hit_masm(void *user, const char *text, uint64_t *v)
{
	struct hit_ctx *h = user;
	pid_t saved = h->s->cur_tid;
	h->s->cur_tid = h->tid;
	const char *end;
	int rc = session_eval_masm(h->s, text, &end, v);
	h->s->cur_tid = saved;
	if (rc == 0 && *skip_ws(end))
		rc = err_set("Syntax error at '%s'", end);
	return rc;
}

#define MAX_COND_FRAMES 1024

/*
 * The innermost frame of tid that runs c's function: its registers into
 * fr, the pc to bind names at into *pc.  -1 (error slot set) when none.
 */
static int function_frame(struct session *s, struct cond *c, pid_t tid, struct symvar_frame *fr,
			  uint64_t *pc)
{
	struct sym_frame *f = xcalloc(MAX_COND_FRAMES, sizeof(*f));
	int n = session_frames(s, tid, f, MAX_COND_FRAMES, SYM_UNWIND_REGS);
	int found = -1;
	for (int i = 0; i < n && found < 0; i++) {
		uint64_t at = i > 0 ? f[i].pc - 1 : f[i].pc;
		if (at >= c->func_start && at - c->func_start < c->func_size) {
			found = i;
			*pc = at;
			fr->regs = f[i].regs;
			fr->valid = f[i].valid;
			fr->have_regs = 1;
			fr->fetch_regs = NULL;
		}
	}
	free(f);
	if (found < 0)
		return err_set("no frame of %s is on this thread's stack: the function where the "
			       "breakpoint was set has returned", c->func_name);
	return 0;
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
		.mem = hit_mem, .pseudo = hit_pseudo, .masm = hit_masm, .user = &h,
	};
	uint64_t pc = 0;
	if (c->func_size) {
		if (function_frame(s, c, tid, &fr, &pc) < 0)
			return -1;
	} else if (c->at_code) {
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
	free(c->func_name);
	free(c);
}
