/*
 * cexpr_eval.c — evaluating compiled C expressions (contract in cexpr.h):
 * a walk over the tree cexpr_parse.c built, reading memory and variables
 * through the cx_env and nothing else.
 *
 * Invariants: recursion follows the tree, whose depth the parser bounds
 * (CX_MAX_DEPTH); integer arithmetic is done on uint64_t and then narrowed
 * to the result type, so no input reaches C's undefined behaviour (division
 * of the most negative value by -1 included); rvalue bits are always
 * normalized (sign- or zero-extended from the type's width); a failed
 * memory read is an error naming the expression's text and the address.
 */
#include "expr/cexpr_internal.h"

#include <stdio.h>
#include <string.h>

/* Lives here, not in cexpr_fmt.c: evaluation errors name addresses, and
 * cexpr_fmt.c already depends on evaluation (it reads the values it shows). */
void cx_hex_addr(char *buf, size_t n, uint64_t a, int ptrsize)
{
	if (ptrsize == 4)
		snprintf(buf, n, "%08llx", (unsigned long long)(a & 0xffffffffu));
	else
		snprintf(buf, n, "%08llx`%08llx", (unsigned long long)(a >> 32),
			 (unsigned long long)(a & 0xffffffffu));
}

uint64_t cx_normalize(uint64_t bits, const struct cx_type *t)
{
	t = cx_strip(t);
	if (t->kind == CX_BOOL)
		return bits != 0;
	if (t->kind == CX_FLOAT || t->size >= 8 || t->size == 0)
		return bits;
	unsigned w = (unsigned)t->size * 8;
	uint64_t mask = (1ULL << w) - 1;
	uint64_t v = bits & mask;
	int sign = (t->kind == CX_INT || t->kind == CX_ENUM) && t->is_signed;
	if (sign && (v >> (w - 1)) & 1)
		v |= ~mask;
	return v;
}

static int eval_err_mem(const struct cx_expr *e, const struct cx_node *n, const struct cx_env *env,
			uint64_t addr, size_t len)
{
	char a[32];
	cx_hex_addr(a, sizeof(a), addr, env->ptrsize);
	return err_set("Memory access error at '%.*s': cannot read %zu byte%s at %s", (int)n->len,
		       e->text + n->pos, len, len == 1 ? "" : "s", a);
}

int cx_read_mem(const struct cx_env *env, uint64_t addr, void *buf, size_t n)
{
	if (!env->mem)
		return -1;
	if (n && addr + (n - 1) < addr)
		return -1;	/* wraps around the address space */
	return env->mem(env->user, addr, buf, n);
}

/* Scalar of a value; lvalues are read (bitfields extracted), arrays and functions decay. */
static int scalar_of(const struct cx_env *env, const struct cx_value *v, uint64_t *bits, double *f,
		     int *memfail, uint64_t *fail_addr, size_t *fail_len)
{
	const struct cx_type *t = cx_strip(v->type);
	*bits = 0;
	*f = 0;
	if (t->kind == CX_ARRAY || t->kind == CX_FUNC) {
		if (!v->lvalue)
			return err_set("an array or function that is not in memory has no address");
		*bits = v->addr;
		return 0;
	}
	if (t->kind == CX_STRUCT || t->kind == CX_UNION || t->kind == CX_VOID) {
		struct sbuf sb = { 0 };
		cx_type_name(&sb, v->type);
		err_set("Type error: %s is not a scalar", sb_str(&sb));
		sb_free(&sb);
		return -1;
	}
	if (!v->lvalue) {
		*bits = t->kind == CX_FLOAT ? 0 : cx_normalize(v->bits, t);
		*f = v->f;
		return 0;
	}
	if (v->bit_size) {
		unsigned bs = v->bit_size > 64 ? 64 : v->bit_size;
		size_t need = (v->bit_offset + bs + 7) / 8;
		uint8_t buf[16];
		if (need > sizeof(buf))
			return err_set("not supported: bitfield wider than 64 bits");
		if (cx_read_mem(env, v->addr, buf, need) != 0) {
			*memfail = 1;
			*fail_addr = v->addr;
			*fail_len = need;
			return -1;
		}
		uint64_t r = 0;
		for (unsigned i = 0; i < bs; i++) {
			unsigned b = v->bit_offset + i;
			r |= (uint64_t)((buf[b / 8] >> (b % 8)) & 1) << i;
		}
		if (t->is_signed && t->kind != CX_BOOL && bs < 64 && ((r >> (bs - 1)) & 1))
			r |= ~((1ULL << bs) - 1);
		*bits = t->kind == CX_BOOL ? r != 0 : r;
		return 0;
	}
	size_t n = (size_t)t->size;
	if (n == 0 || n > 8 || (t->kind == CX_FLOAT && n != 4 && n != 8)) {
		struct sbuf sb = { 0 };
		cx_type_name(&sb, v->type);
		err_set("not supported: values of type %s (%zu bytes)", sb_str(&sb), n);
		sb_free(&sb);
		return -1;
	}
	uint8_t buf[8] = { 0 };
	if (cx_read_mem(env, v->addr, buf, n) != 0) {
		*memfail = 1;
		*fail_addr = v->addr;
		*fail_len = n;
		return -1;
	}
	if (t->kind == CX_FLOAT) {
		if (n == 4) {
			float fl;
			memcpy(&fl, buf, 4);
			*f = fl;
		} else {
			memcpy(f, buf, 8);
		}
		return 0;
	}
	uint64_t r = 0;
	for (size_t i = 0; i < n; i++)
		r |= (uint64_t)buf[i] << (8 * i);
	*bits = cx_normalize(r, t);
	return 0;
}

int cx_value_scalar(const struct cx_env *env, const struct cx_value *v, uint64_t *bits, double *f)
{
	int memfail = 0;
	uint64_t fa = 0;
	size_t fl = 0;
	if (scalar_of(env, v, bits, f, &memfail, &fa, &fl) == 0)
		return 0;
	if (memfail) {
		char a[32];
		cx_hex_addr(a, sizeof(a), fa, env->ptrsize);
		return err_set("Memory access error: cannot read %zu byte%s at %s", fl, fl == 1 ? "" : "s", a);
	}
	return -1;
}

static int node_scalar(const struct cx_expr *e, const struct cx_node *n, const struct cx_env *env,
		       const struct cx_value *v, uint64_t *bits, double *f)
{
	int memfail = 0;
	uint64_t fa = 0;
	size_t fl = 0;
	if (scalar_of(env, v, bits, f, &memfail, &fa, &fl) == 0)
		return 0;
	if (memfail)
		return eval_err_mem(e, n, env, fa, fl);
	return -1;
}

/* Converts a scalar (bits/f of type from) to type to. */
static void convert(uint64_t bits, double f, const struct cx_type *from, const struct cx_type *to,
		    uint64_t *obits, double *of)
{
	const struct cx_type *fs = cx_strip(from), *ts = cx_strip(to);
	int from_float = fs->kind == CX_FLOAT;
	*obits = 0;
	*of = 0;
	if (ts->kind == CX_FLOAT) {
		double d;
		if (from_float)
			d = f;
		else if ((fs->kind == CX_INT || fs->kind == CX_ENUM) && fs->is_signed)
			d = (double)(int64_t)bits;
		else
			d = (double)bits;
		*of = ts->size == 4 ? (double)(float)d : d;
		return;
	}
	if (ts->kind == CX_BOOL) {
		*obits = from_float ? f != 0 : bits != 0;
		return;
	}
	if (from_float) {
		uint64_t r = 0;
		if (f != f) {
			r = 0;
		} else if (f >= 18446744073709551616.0) {
			r = UINT64_MAX;
		} else if (f >= 9223372036854775808.0) {
			r = (uint64_t)f;
		} else if (f <= -9223372036854775808.0) {
			r = (uint64_t)INT64_MIN;
		} else {
			r = (uint64_t)(int64_t)f;
		}
		*obits = cx_normalize(r, ts);
		return;
	}
	*obits = cx_normalize(bits, ts);
}

static int eval_node(const struct cx_expr *e, const struct cx_node *n, const struct cx_env *env,
		     struct cx_value *out);

/* Evaluates n to a scalar converted to type to. */
static int eval_scalar_as(const struct cx_expr *e, const struct cx_node *n, const struct cx_env *env,
			  const struct cx_type *to, uint64_t *bits, double *f)
{
	struct cx_value v;
	if (eval_node(e, n, env, &v) < 0)
		return -1;
	uint64_t b;
	double fl;
	if (node_scalar(e, n, env, &v, &b, &fl) < 0)
		return -1;
	const struct cx_type *from = cx_strip(v.type);
	if (from->kind == CX_ARRAY || from->kind == CX_FUNC) {
		*bits = to ? cx_normalize(b, to) : b;
		*f = 0;
		return 0;
	}
	if (!to) {
		*bits = b;
		*f = fl;
		return 0;
	}
	convert(b, fl, v.type, to, bits, f);
	return 0;
}

static int eval_truth(const struct cx_expr *e, const struct cx_node *n, const struct cx_env *env, int *truth)
{
	uint64_t b;
	double f;
	if (eval_scalar_as(e, n, env, NULL, &b, &f) < 0)
		return -1;
	*truth = cx_strip(n->type)->kind == CX_FLOAT ? f != 0 : b != 0;
	return 0;
}

static void set_rvalue(struct cx_value *out, const struct cx_type *t, uint64_t bits, double f)
{
	memset(out, 0, sizeof(*out));
	out->type = t;
	out->bits = cx_normalize(bits, t);
	out->f = f;
}

static uint64_t ptr_mask(const struct cx_env *env, uint64_t a)
{
	return env->ptrsize == 4 ? a & 0xffffffffu : a;
}

static int eval_binary(const struct cx_expr *e, const struct cx_node *n, const struct cx_env *env,
		       struct cx_value *out)
{
	const struct cx_type *ot = cx_strip(n->optype);
	uint64_t a, b;
	double fa, fb;
	if (eval_scalar_as(e, n->a, env, n->optype, &a, &fa) < 0 ||
	    eval_scalar_as(e, n->b, env, n->sub == P_SHL || n->sub == P_SHR ? NULL : n->optype, &b, &fb) < 0)
		return -1;
	int op = n->sub;
	int cmp = op == '<' || op == '>' || op == P_LE || op == P_GE || op == P_EQ || op == P_NE;
	if (ot->kind == CX_FLOAT) {
		double r = 0;
		if (cmp) {
			int t = op == '<' ? fa < fb : op == '>' ? fa > fb : op == P_LE ? fa <= fb
				: op == P_GE ? fa >= fb : op == P_EQ ? fa == fb : fa != fb;
			set_rvalue(out, n->type, (uint64_t)t, 0);
			return 0;
		}
		switch (op) {
		case '+': r = fa + fb; break;
		case '-': r = fa - fb; break;
		case '*': r = fa * fb; break;
		default: r = fa / fb; break;
		}
		if (ot->size == 4)
			r = (double)(float)r;
		set_rvalue(out, n->type, 0, r);
		return 0;
	}
	int sg = ot->is_signed && ot->kind != CX_BOOL;
	if (cmp) {
		int t;
		if (sg) {
			int64_t x = (int64_t)a, y = (int64_t)b;
			t = op == '<' ? x < y : op == '>' ? x > y : op == P_LE ? x <= y : op == P_GE ? x >= y
				: op == P_EQ ? x == y : x != y;
		} else {
			t = op == '<' ? a < b : op == '>' ? a > b : op == P_LE ? a <= b : op == P_GE ? a >= b
				: op == P_EQ ? a == b : a != b;
		}
		set_rvalue(out, n->type, (uint64_t)t, 0);
		return 0;
	}
	uint64_t r = 0;
	unsigned width = ot->size >= 8 || ot->size == 0 ? 64 : (unsigned)ot->size * 8;
	switch (op) {
	case '+': r = a + b; break;
	case '-': r = a - b; break;
	case '*': r = a * b; break;
	case '&': r = a & b; break;
	case '|': r = a | b; break;
	case '^': r = a ^ b; break;
	case '/':
	case '%':
		if (b == 0)
			return err_set("Division by zero at '%.*s'", (int)n->len, e->text + n->pos);
		if (sg) {
			int64_t x = (int64_t)a, y = (int64_t)b;
			if (y == -1)
				r = op == '/' ? 0 - a : 0;
			else
				r = (uint64_t)(op == '/' ? x / y : x % y);
		} else {
			r = op == '/' ? a / b : a % b;
		}
		break;
	case P_SHL:
	case P_SHR: {
		const struct cx_type *bt_ = cx_strip(n->b->type);
		int neg = bt_->is_signed && (int64_t)b < 0;
		if (neg || b >= width) {
			r = op == P_SHR && sg && (int64_t)a < 0 ? UINT64_MAX : 0;
		} else if (op == P_SHL) {
			r = a << b;
		} else if (sg && (int64_t)a < 0) {
			r = ~(~a >> b);
		} else {
			r = a >> b;
		}
		break;
	}
	}
	set_rvalue(out, n->type, r, 0);
	return 0;
}

static int eval_node(const struct cx_expr *e, const struct cx_node *n, const struct cx_env *env,
		     struct cx_value *out)
{
	memset(out, 0, sizeof(*out));
	out->type = n->type;
	switch (n->op) {
	case N_CONST:
		set_rvalue(out, n->type, n->k, 0);
		return 0;
	case N_FCONST:
		set_rvalue(out, n->type, 0, n->f);
		return 0;
	case N_VAR: {
		if (!env->load)
			return err_set("Couldn't resolve error at '%.*s'", (int)n->len, e->text + n->pos);
		struct cx_value v = { 0 };
		if (env->load(env->user, n->loc, n->type, &v) < 0)
			return -1;
		*out = v;
		out->type = n->type;
		if (!out->lvalue)
			out->bits = cx_normalize(out->bits, n->type);
		return 0;
	}
	case N_MASM: {
		uint64_t v;
		if (!env->masm)
			return err_set("Syntax error at '%.*s' (no MASM evaluator here)", (int)n->len, e->text + n->pos);
		if (env->masm(env->user, n->loc, &v) < 0)
			return -1;
		memset(out, 0, sizeof(*out));
		out->type = n->type;
		out->bits = v;
		return 0;
	}
	case N_NEG:
	case N_BNOT:
	case N_CAST: {
		const struct cx_type *to = n->type;
		const struct cx_type *ts = cx_strip(to);
		if (n->op == N_CAST && cx_strip(n->a->type)->kind == CX_VOID && cx_node_is_lvalue(n->a)) {
			struct cx_value v;
			if (eval_node(e, n->a, env, &v) < 0)
				return -1;
			if (!v.lvalue)
				return err_set("'%.*s' is not in memory", (int)n->a->len, e->text + n->a->pos);
			out->lvalue = 1;
			out->addr = v.addr;
			if (ts->kind == CX_STRUCT || ts->kind == CX_UNION || ts->kind == CX_VOID)
				return 0;
			uint64_t b;
			double f;
			if (node_scalar(e, n, env, out, &b, &f) < 0)
				return -1;
			set_rvalue(out, to, b, f);
			return 0;
		}
		if (n->op == N_CAST && (ts->kind == CX_STRUCT || ts->kind == CX_UNION)) {
			if (eval_node(e, n->a, env, out) < 0)
				return -1;
			out->type = to;
			return 0;
		}
		if (n->op == N_CAST && ts->kind == CX_VOID) {
			struct cx_value v;
			if (eval_node(e, n->a, env, &v) < 0)
				return -1;
			set_rvalue(out, to, 0, 0);
			return 0;
		}
		uint64_t b;
		double f;
		if (eval_scalar_as(e, n->a, env, to, &b, &f) < 0)
			return -1;
		if (n->op == N_NEG) {
			b = 0 - b;
			f = -f;
		} else if (n->op == N_BNOT) {
			b = ~b;
		}
		set_rvalue(out, to, b, f);
		return 0;
	}
	case N_LNOT: {
		int t;
		if (eval_truth(e, n->a, env, &t) < 0)
			return -1;
		set_rvalue(out, n->type, !t, 0);
		return 0;
	}
	case N_LAND:
	case N_LOR: {
		int t;
		if (eval_truth(e, n->a, env, &t) < 0)
			return -1;
		if (n->op == N_LAND ? t : !t) {
			if (eval_truth(e, n->b, env, &t) < 0)
				return -1;
		}
		set_rvalue(out, n->type, (uint64_t)t, 0);
		return 0;
	}
	case N_COND: {
		int t;
		if (eval_truth(e, n->a, env, &t) < 0)
			return -1;
		const struct cx_node *br = t ? n->b : n->c;
		const struct cx_type *ts = cx_strip(n->type);
		if (ts->kind == CX_STRUCT || ts->kind == CX_UNION) {
			if (eval_node(e, br, env, out) < 0)
				return -1;
			out->type = n->type;
			return 0;
		}
		uint64_t b;
		double f;
		if (eval_scalar_as(e, br, env, n->type, &b, &f) < 0)
			return -1;
		set_rvalue(out, n->type, b, f);
		return 0;
	}
	case N_BIN:
		return eval_binary(e, n, env, out);
	case N_DEREF: {
		uint64_t b;
		double f;
		if (eval_scalar_as(e, n->a, env, NULL, &b, &f) < 0)
			return -1;
		out->lvalue = 1;
		out->addr = ptr_mask(env, b);
		return 0;
	}
	case N_ADDR: {
		struct cx_value v;
		if (eval_node(e, n->a, env, &v) < 0)
			return -1;
		if (!v.lvalue)
			return err_set("'%.*s' is not in memory: it has no address", (int)n->a->len,
				       e->text + n->a->pos);
		set_rvalue(out, n->type, v.addr, 0);
		return 0;
	}
	case N_MEMBER:
	case N_ARROW: {
		uint64_t base;
		if (n->op == N_MEMBER) {
			struct cx_value v;
			if (eval_node(e, n->a, env, &v) < 0)
				return -1;
			if (!v.lvalue)
				return err_set("not supported: '%.*s' is not in memory (a struct held in registers)",
					       (int)n->a->len, e->text + n->a->pos);
			base = v.addr;
		} else {
			double f;
			if (eval_scalar_as(e, n->a, env, NULL, &base, &f) < 0)
				return -1;
		}
		out->lvalue = 1;
		out->addr = ptr_mask(env, base + n->k);
		if (n->member) {
			out->bit_offset = n->member->bit_offset;
			out->bit_size = n->member->bit_size;
		}
		return 0;
	}
	case N_INDEX:
	case N_PTRADD: {
		uint64_t p, i;
		double f;
		if (eval_scalar_as(e, n->a, env, NULL, &p, &f) < 0 ||
		    eval_scalar_as(e, n->b, env, NULL, &i, &f) < 0)
			return -1;
		uint64_t off = i * n->k;
		uint64_t r = n->op == N_PTRADD && n->sub == '-' ? p - off : p + off;
		r = ptr_mask(env, r);
		if (n->op == N_INDEX) {
			out->lvalue = 1;
			out->addr = r;
		} else {
			set_rvalue(out, n->type, r, 0);
		}
		return 0;
	}
	case N_PTRDIFF: {
		uint64_t a, b;
		double f;
		if (eval_scalar_as(e, n->a, env, NULL, &a, &f) < 0 ||
		    eval_scalar_as(e, n->b, env, NULL, &b, &f) < 0)
			return -1;
		uint64_t d = ptr_mask(env, a - b);
		int64_t sd = env->ptrsize == 4 ? (int64_t)(int32_t)(uint32_t)d : (int64_t)d;
		int64_t k = (int64_t)(n->k ? n->k : 1);
		set_rvalue(out, n->type, (uint64_t)(sd / k), 0);
		return 0;
	}
	}
	return err_set("internal error: unknown expression node");
}

int cx_eval(const struct cx_expr *e, const struct cx_env *env, struct cx_value *out)
{
	if (!e || !env)
		return err_set("No expression");
	if (eval_node(e, e->root, env, out) < 0)
		return -1;
	enum cx_kind k = cx_strip(out->type)->kind;
	if (k == CX_VOID && out->lvalue)
		return cx_node_untyped_error(e->text, e->root);
	/* A scalar in memory is read now, so an unreadable one is this expression's error. */
	if (out->lvalue && k != CX_STRUCT && k != CX_UNION && k != CX_ARRAY && k != CX_FUNC && k != CX_VOID) {
		uint64_t b;
		double f;
		if (node_scalar(e, e->root, env, out, &b, &f) < 0)
			return -1;
	}
	return 0;
}

int cx_eval_bool(const struct cx_expr *e, const struct cx_env *env, int *truth)
{
	if (!e || !env)
		return err_set("No expression");
	if (cx_strip(e->root->type)->kind == CX_VOID && cx_node_is_lvalue(e->root))
		return cx_node_untyped_error(e->text, e->root);
	if (!cx_is_scalar(e->root->type)) {
		struct sbuf sb = { 0 };
		cx_type_name(&sb, e->root->type);
		err_set("Type error: a condition must be a scalar, not %s", sb_str(&sb));
		sb_free(&sb);
		return -1;
	}
	return eval_truth(e, e->root, env, truth);
}

