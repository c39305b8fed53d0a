/*
 * dap_vars.c — variables as the editor sees them: a reference names a C
 * expression in one frame of one thread ("p->next", "(table)[3]") or one
 * of a frame's scopes (Locals, Globals of the frame's module, Registers).
 * Values come from the same C-expression evaluator as `??` (engine
 * scope.h, expr cexpr.h), so what the editor shows is what `??` prints.
 *
 * Invariants: references live until the program runs again
 * (dap_vars_reset), as DAP asks, and are never given again (they count on
 * across stops), so a stale one fails instead of naming another variable; the thread's selection (s->cur_tid,
 * s->cur_frame) is restored after every evaluation in another thread.
 */
#include "front/dap.h"

#include <stdlib.h>
#include <string.h>

#include "engine/scope.h"

#define MAX_CHILDREN 1000
#define MAX_GLOBALS 300

void dap_vars_reset(void)
{
	for (int i = 0; i < dap->nvars; i++)
		free(dap->vars[i].expr);
	free(dap->vars);
	dap->vars = NULL;
	/* Numbers go on from the last one given; they start again only near the int limit. */
	dap->var_base = dap->var_base < 0x40000000 ? dap->var_base + dap->nvars : 0;
	dap->nvars = 0;
}

int dap_var_ref(pid_t tid, int frame, const char *expr, int scope)
{
	dap->vars = xrealloc(dap->vars, sizeof(*dap->vars) * (size_t)(dap->nvars + 1));
	struct dap_var *v = &dap->vars[dap->nvars++];
	v->tid = tid;
	v->frame = frame;
	v->expr = expr ? xstrdup(expr) : NULL;
	v->scope = scope;
	return dap->var_base + dap->nvars;	/* references count from var_base + 1 */
}

struct dap_var *dap_var_get(int ref)
{
	long long i = (long long)ref - dap->var_base;
	return i >= 1 && i <= dap->nvars ? &dap->vars[i - 1] : NULL;
}

/* Opens frame `frame` of tid; *saved gets the selection to restore. */
static int open_frame(pid_t tid, int frame, struct frame_scope *x, pid_t *saved)
{
	struct session *s = dap->s;
	if (session_require_process(s) < 0)
		return -1;
	if (!target_thread_by_tid(s->tgt, tid))
		return err_set("No thread %d", (int)tid);
	*saved = s->cur_tid;
	s->cur_tid = tid;
	if (session_scope_open(s, frame, x) < 0) {
		s->cur_tid = *saved;
		return -1;
	}
	return 0;
}

static void close_frame(struct frame_scope *x, pid_t saved)
{
	session_scope_close(x);
	dap->s->cur_tid = saved;
}

/* Whether a value of type t has children to show. */
static int expandable(const struct cx_type *t, const struct cx_env *env, const struct cx_value *v)
{
	t = cx_strip(t);
	switch (t->kind) {
	case CX_STRUCT:
	case CX_UNION:
		return t->nmembers > 0 && v->lvalue;
	case CX_ARRAY:
		return t->count > 0 && v->lvalue;
	case CX_PTR: {
		const struct cx_type *pt = cx_strip(t->target);
		if (!pt || pt->kind == CX_VOID || pt->kind == CX_FUNC || pt->incomplete)
			return 0;
		uint64_t bits;
		double f;
		return cx_value_scalar(env, v, &bits, &f) == 0 && bits != 0;
	}
	default:
		return 0;
	}
}

static void describe(struct frame_scope *x, const struct cx_value *v, struct dap_value *out)
{
	struct sbuf sb = { 0 };
	const struct cx_type *t = cx_strip(v->type);
	if (t->kind == CX_STRUCT || t->kind == CX_UNION) {
		sb_add(&sb, "{...}");
	} else {
		cx_format_value(&sb, &x->env, v);
	}
	out->value = xstrdup(sb_str(&sb));
	sb_reset(&sb);
	cx_type_name(&sb, v->type);
	out->type = xstrdup(sb_str(&sb));
	sb_free(&sb);
	out->lvalue = v->lvalue;
	out->addr = v->addr;
	out->size = v->type ? v->type->size : 0;
	if (t->kind == CX_TYPEDEF || v->type->kind == CX_TYPEDEF)
		out->size = t->size;
}

int dap_eval_c(pid_t tid, int frame, const char *expr, struct dap_value *out)
{
	memset(out, 0, sizeof(*out));
	struct frame_scope x;
	pid_t saved;
	if (open_frame(tid, frame, &x, &saved) < 0)
		return -1;
	struct cx_expr *e = cx_compile(&x.cxs, expr);
	struct cx_value v;
	int rc = -1;
	if (e && cx_eval(e, &x.env, &v) == 0) {
		if (cx_strip(v.type)->kind == CX_VOID && v.lvalue) {
			rc = err_set("'%s' has no type information (cast it: (int)%s)", expr, expr);
		} else {
			describe(&x, &v, out);
			if (expandable(v.type, &x.env, &v))
				out->ref = dap_var_ref(tid, frame, expr, 0);
			rc = 0;
		}
	}
	close_frame(&x, saved);
	return rc;
}

void dap_value_free(struct dap_value *v)
{
	free(v->value);
	free(v->type);
	v->value = v->type = NULL;
}

int dap_assign_c(pid_t tid, int frame, const char *expr, const char *value)
{
	struct frame_scope x;
	pid_t saved;
	if (open_frame(tid, frame, &x, &saved) < 0)
		return -1;
	int rc = -1;
	struct cx_expr *target = cx_compile(&x.cxs, expr);
	struct cx_expr *val = target ? cx_compile(&x.cxs, value) : NULL;
	struct cx_value tv, vv;
	if (!val || cx_eval(target, &x.env, &tv) < 0 || cx_eval(val, &x.env, &vv) < 0)
		goto out;
	const struct cx_type *t = cx_strip(tv.type);
	if (!tv.lvalue || tv.bit_size) {
		err_set("'%s' is not an object in memory that can be set", expr);
		goto out;
	}
	if (t->kind != CX_INT && t->kind != CX_BOOL && t->kind != CX_ENUM && t->kind != CX_PTR &&
	    t->kind != CX_FLOAT) {
		err_set("'%s' is not a number or pointer: set its members one by one", expr);
		goto out;
	}
	uint64_t bits;
	double f;
	if (cx_value_scalar(&x.env, &vv, &bits, &f) < 0) {
		err_set("'%s' has no value", value);
		goto out;
	}
	int vfloat = cx_strip(vv.type)->kind == CX_FLOAT;
	unsigned char buf[8];
	size_t n = (size_t)t->size;
	if (n == 0 || n > 8) {
		err_set("'%s' has a size dr7 does not write (%zu bytes)", expr, n);
		goto out;
	}
	if (t->kind == CX_FLOAT) {
		double d = vfloat ? f : (cx_strip(vv.type)->is_signed ? (double)(int64_t)bits : (double)bits);
		if (n == 4) {
			float fl = (float)d;
			memcpy(buf, &fl, 4);
		} else {
			memcpy(buf, &d, 8);
		}
	} else {
		if (vfloat)
			bits = (uint64_t)(int64_t)f;
		memcpy(buf, &bits, n);	/* little-endian: the low n bytes */
	}
	rc = target_write(dap->s->tgt, tv.addr, buf, n);
out:
	close_frame(&x, saved);
	return rc;
}

static json_t *variable(const char *name, const char *value, const char *type, int ref, const char *evaluate)
{
	json_t *o = json_object();
	json_object_set_new(o, "name", dap_text(name));
	json_object_set_new(o, "value", dap_text(value));
	if (type)
		json_object_set_new(o, "type", dap_text(type));
	json_object_set_new(o, "variablesReference", json_integer(ref));
	if (evaluate)
		json_object_set_new(o, "evaluateName", dap_text(evaluate));
	return o;
}

/* One child: expr evaluated, shown as name (skip_unusable: a global
 * without debug information is left out rather than shown as an error). */
static void add_child(json_t *arr, struct dap_var *parent, const char *name, const char *expr, int skip_unusable)
{
	struct dap_value v;
	if (dap_eval_c(parent->tid, parent->frame, expr, &v) < 0) {
		if (skip_unusable)
			return;
		char msg[512];
		snprintf(msg, sizeof(msg), "<%s>", err_get());
		json_array_append_new(arr, variable(name, msg, NULL, 0, expr));
		return;
	}
	json_t *o = variable(name, v.value, v.type, v.ref, expr);
	if (v.lvalue)
		json_object_set_new(o, "memoryReference", dap_addr_json(v.addr));
	json_array_append_new(arr, o);
	dap_value_free(&v);
}

struct locals_state {
	char **names;
	int n;
};

static void collect_local(void *user, const char *name, int is_param, const struct cx_sym *sym)
{
	(void)is_param;
	(void)sym;
	struct locals_state *st = user;
	for (int i = 0; i < st->n; i++)
		if (!strcmp(st->names[i], name))
			return;	/* an inner block's variable hides an outer one */
	st->names = xrealloc(st->names, sizeof(char *) * (size_t)(st->n + 1));
	st->names[st->n++] = xstrdup(name);
}

static int collect_global(void *user, const struct sym_module *mod, const char *name, uint64_t addr,
			  uint64_t size, int is_function)
{
	(void)mod;
	(void)addr;
	(void)size;
	struct locals_state *st = user;
	/* The program's own data: not the toolchain's (_start's helpers, local labels). */
	if (is_function || name[0] == '_' || strchr(name, '.') || strchr(name, '@'))
		return 0;
	collect_local(user, name, 0, NULL);
	return st->n >= MAX_GLOBALS;
}

/* The members' names, an anonymous struct's or union's members being the parent's. */
static void member_names(struct locals_state *st, const struct cx_type *t)
{
	for (size_t i = 0; i < t->nmembers; i++) {
		const struct cx_member *m = &t->members[i];
		if (m->name)
			collect_local(st, m->name, 0, NULL);
		else
			member_names(st, cx_strip(m->type));
	}
}

static void free_names(struct locals_state *st)
{
	for (int i = 0; i < st->n; i++)
		free(st->names[i]);
	free(st->names);
}

static json_t *registers(struct dap_var *v)
{
	json_t *arr = json_array();
	struct session *s = dap->s;
	struct frame_scope x;
	pid_t saved;
	if (open_frame(v->tid, v->frame, &x, &saved) < 0)
		return arr;
	int is32 = x.fr.is32;
	for (int i = 0; i < REG_COUNT; i++) {
		const char *name = regs_name((enum reg_index)i);
		if (!name)
			continue;
		int dw = sym_reg_dwarf(is32, i);
		int known = v->frame == 0 || (dw >= 0 && (x.fr.valid & (1u << dw)));
		char val[32];
		if (!known)
			snprintf(val, sizeof(val), "<not restored in this frame>");
		else if (is32)
			snprintf(val, sizeof(val), "0x%08llx", (unsigned long long)(x.fr.regs.r[i] & 0xffffffffu));
		else
			snprintf(val, sizeof(val), "0x%016llx", (unsigned long long)x.fr.regs.r[i]);
		char ev[40];
		snprintf(ev, sizeof(ev), "@%s", name);
		json_array_append_new(arr, variable(name, val, NULL, 0, ev));
	}
	close_frame(&x, saved);
	(void)s;
	return arr;
}

static json_t *children(struct dap_var *v);

json_t *dap_var_children(struct dap_var *ref)
{
	/* A copy: evaluating the children makes references, which may move the array. */
	struct dap_var v = *ref;
	v.expr = ref->expr ? xstrdup(ref->expr) : NULL;
	json_t *arr = children(&v);
	free(v.expr);
	return arr;
}

static json_t *children(struct dap_var *v)
{
	struct session *s = dap->s;
	json_t *arr = json_array();
	if (v->expr) {
		struct frame_scope x;
		pid_t saved;
		if (open_frame(v->tid, v->frame, &x, &saved) < 0)
			return arr;
		struct cx_expr *e = cx_compile(&x.cxs, v->expr);
		struct cx_value val;
		enum cx_kind kind = CX_VOID;
		uint64_t count = 0;
		struct locals_state members = { 0 };
		if (e && cx_eval(e, &x.env, &val) == 0) {
			/* What is needed of the type, before its pool goes with the frame. */
			const struct cx_type *t = cx_strip(val.type);
			kind = t->kind;
			count = t->kind == CX_ARRAY ? t->count : 0;
			if (kind == CX_STRUCT || kind == CX_UNION)
				member_names(&members, t);
		}
		close_frame(&x, saved);
		if (kind == CX_STRUCT || kind == CX_UNION) {
			for (int i = 0; i < members.n; i++) {
				struct sbuf sb = { 0 };
				sb_addf(&sb, "(%s).%s", v->expr, members.names[i]);
				add_child(arr, v, members.names[i], sb_str(&sb), 0);
				sb_free(&sb);
			}
			free_names(&members);
		} else if (kind == CX_ARRAY) {
			for (uint64_t i = 0; i < count && i < MAX_CHILDREN; i++) {
				char name[32];
				snprintf(name, sizeof(name), "[%llu]", (unsigned long long)i);
				struct sbuf sb = { 0 };
				sb_addf(&sb, "(%s)[%llu]", v->expr, (unsigned long long)i);
				add_child(arr, v, name, sb_str(&sb), 0);
				sb_free(&sb);
			}
		} else if (kind == CX_PTR) {
			struct sbuf sb = { 0 };
			sb_addf(&sb, "*(%s)", v->expr);
			struct sbuf name = { 0 };
			sb_addf(&name, "*%s", v->expr);
			add_child(arr, v, sb_str(&name), sb_str(&sb), 0);
			sb_free(&sb);
			sb_free(&name);
		}
		return arr;
	}
	if (v->scope == 3) {
		json_decref(arr);
		return registers(v);
	}
	struct locals_state st = { 0 };
	if (v->scope == 1) {
		struct frame_scope x;
		pid_t saved;
		if (open_frame(v->tid, v->frame, &x, &saved) < 0)
			return arr;
		symvar_locals(x.sc, collect_local, &st);
		close_frame(&x, saved);
	} else if (v->scope == 2 && s->sym) {
		uint64_t pc = 0;
		pid_t saved = s->cur_tid;
		s->cur_tid = v->tid;
		int ok = session_frame_pc(s, v->tid, v->frame, &pc) == 0;
		s->cur_tid = saved;
		struct sym_module mod;
		if (ok && sym_module_at(s->sym, pc, &mod) == 0)
			sym_enumerate(s->sym, mod.name, "*", 0, collect_global, &st);
	}
	for (int i = 0; i < st.n; i++)
		add_child(arr, v, st.names[i], st.names[i], v->scope == 2);
	free_names(&st);
	return arr;
}
