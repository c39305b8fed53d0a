/*
 * evalctx.c — the evaluation context of MASM expressions: registers of the
 * current thread, pseudo-registers ($ip, $ra, $t0...), memory with
 * breakpoint bytes hidden, symbols and source lines.
 */
#include "engine/session.h"

#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <unistd.h>

#include "expr/expr.h"

static int pseudo_register(struct session *s, const char *name, size_t len, uint64_t *v)
{
	char buf[32];
	if (len >= sizeof(buf))
		return -1;
	memcpy(buf, name, len);
	buf[len] = 0;
	struct regs r;
	int have_regs = session_has_process(s) && session_get_regs(s, 0, &r) == 0;

	if (!strcasecmp(buf, "$ip") || !strcasecmp(buf, "$eventip") || !strcasecmp(buf, "$scopeip")) {
		if (!have_regs)
			return -1;
		*v = !strcasecmp(buf, "$eventip") ? s->last.pc : r.r[REG_RIP];
		return 0;
	}
	if (!strcasecmp(buf, "$csp")) {
		if (!have_regs)
			return -1;
		*v = r.r[REG_RSP];
		return 0;
	}
	if (!strcasecmp(buf, "$retreg") || !strcasecmp(buf, "$retreg64")) {
		if (!have_regs)
			return -1;
		*v = r.r[REG_RAX];
		return 0;
	}
	if (!strcasecmp(buf, "$ra")) {
		if (!have_regs)
			return -1;
		return session_return_address(s, s->cur_tid, v);
	}
	if (!strcasecmp(buf, "$thread") || !strcasecmp(buf, "$teb")) {
		if (!have_regs)
			return -1;
		*v = r.r[REG_FS_BASE];
		return 0;
	}
	if (!strcasecmp(buf, "$exentry")) {
		if (!session_has_process(s))
			return -1;
		*v = s->exentry;
		return 0;
	}
	if (!strcasecmp(buf, "$tid")) {
		if (!session_has_process(s))
			return -1;
		*v = (uint64_t)s->cur_tid;
		return 0;
	}
	if (!strcasecmp(buf, "$tpid")) {
		if (!session_has_process(s))
			return -1;
		*v = (uint64_t)s->tgt->pid;
		return 0;
	}
	if (!strcasecmp(buf, "$ptrsize")) {
		*v = session_is32(s) ? 4 : 8;
		return 0;
	}
	if (!strcasecmp(buf, "$pagesize")) {
		*v = (uint64_t)sysconf(_SC_PAGESIZE);
		return 0;
	}
	if (!strcasecmp(buf, "$exp")) {
		*v = s->last_exp;
		return 0;
	}
	if (!strcasecmp(buf, "$previp")) {
		*v = s->previp;
		return 0;
	}
	if (!strncasecmp(buf, "$t", 2) && buf[2] >= '0' && buf[2] <= '9') {
		char *end;
		long n = strtol(buf + 2, &end, 10);
		if (*end || n < 0 || n > 19)
			return -1;
		*v = s->tregs[n];
		return 0;
	}
	if (!strncasecmp(buf, "$bp", 3) && buf[3] >= '0' && buf[3] <= '9') {
		char *end;
		long n = strtol(buf + 3, &end, 10);
		if (*end)
			return -1;
		struct bp *b = bp_find(&s->bps, (int)n);
		*v = b && b->resolved ? b->addr : 0;
		return 0;
	}
	return -1;
}

static int ctx_reg(void *user, const char *name, size_t len, uint64_t *v)
{
	struct session *s = user;
	if (len && name[0] == '$')
		return pseudo_register(s, name, len, v);
	if (len == 3 && !strncasecmp(name, "dr", 2) && strchr("012367", name[2])) {
		if (!session_has_process(s))
			return -1;
		return target_get_debugreg(s->tgt, s->cur_tid, name[2] - '0', v);
	}
	struct reg_ref ref;
	if (regs_lookup(name, len, session_is32(s), &ref) < 0 || ref.is_xmm)
		return -1;
	struct regs r;
	if (!session_has_process(s) || session_get_regs(s, 0, &r) < 0)
		return -1;
	*v = regs_get(&r, &ref);
	return 0;
}

static int ctx_mem(void *user, uint64_t addr, void *buf, size_t n)
{
	struct session *s = user;
	if (!session_has_process(s))
		return -1;
	return target_read(s->tgt, addr, buf, n) == (int)n ? 0 : -1;
}

static int ctx_sym(void *user, const char *name, size_t len, uint64_t *v)
{
	struct session *s = user;
	if (!s->sym)
		return -1;
	char *n = xstrndup(name, len);
	int rc = sym_lookup(s->sym, n, v);
	free(n);
	return rc;
}

static int ctx_srcline(void *user, const char *text, size_t len, uint64_t *v)
{
	struct session *s = user;
	if (!s->sym)
		return err_set("No symbols are loaded");
	char *spec = xstrndup(text, len);
	int rc = sym_line_address(s->sym, spec, v);
	free(spec);
	return rc;
}

/* @@c++(text) inside a MASM expression: the whole text must be one C++ expression. */
static int ctx_cxx(void *user, const char *text, uint64_t *v)
{
	struct session *s = user;
	if (!s->cxx_eval)
		return err_set("Syntax error at '%s' (no C++ evaluator)", text);
	const char *end;
	if (s->cxx_eval(s, text, &end, v) < 0)
		return -1;
	if (*skip_ws(end))
		return err_set("Syntax error at '%s'", end);
	return 0;
}

int session_eval(struct session *s, const char *text, const char **end, uint64_t *val)
{
	if (s->evaluator == EVAL_CXX && s->cxx_eval)
		return s->cxx_eval(s, text, end, val);
	return session_eval_masm(s, text, end, val);
}

int session_eval_masm(struct session *s, const char *text, const char **end, uint64_t *val)
{
	if (s->eval_nesting >= SESSION_MAX_EVAL_NESTING) {
		if (end)
			*end = text;
		return err_set("Expression nesting is too deep (more than %d @@ switches)", SESSION_MAX_EVAL_NESTING);
	}
	struct expr_env env = {
		.user = s,
		.radix = s->radix,
		.ptrsize = session_is32(s) ? 4 : 8,
		.reg = ctx_reg,
		.mem = ctx_mem,
		.sym = ctx_sym,
		.srcline = ctx_srcline,
		.cxx = ctx_cxx,
	};
	const char *e;
	s->eval_nesting++;
	int rc = expr_eval(&env, text, &e, val);
	s->eval_nesting--;
	if (end)
		*end = e;
	return rc;
}
