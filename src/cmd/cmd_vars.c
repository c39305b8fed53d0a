/*
 * cmd_vars.c — variables from DWARF: dv, dt, ?? and .frame
 * (windbg-commands.md §2.7, §9).  Names resolve in the selected frame
 * (.frame, default the innermost) of the current thread: its locals and
 * parameters, then globals (symvar.h); expressions are C (cexpr.h).
 *
 * Output (dr7's choices where WinDbg leaves the details open):
 *   dv           one line per parameter, then per local, names right-aligned
 *                in a column at least 15 wide:   "              n = 0n3"
 *                /t puts the type before the name, /v the address in
 *                front, or the register holding it ("@rbx"), or
 *                "<computed>" for a value the debug information computes
 *                (a constant, pieces); a value that cannot be read shows
 *                "<why>" in place of the value.
 *   ?? expr      "<type> <value>": "int 0n4", "unsigned int 0x771e1a02",
 *                "struct point * 0x00005555`55558010", followed for a
 *                struct (or a pointer to one) by its fields, for an array by
 *                its elements.
 *   dt           "   +0x004 name             : <type or value>" lines, types by
 *                WinDbg's names (Int4B, Ptr64 Char, [4] Int4B, inner), under
 *                "module!Type" for a type named without its module, or under
 *                "<C type> at <address>" for a value; -r[N] expands nested
 *                structs N levels (-r alone 3, -b 8); -v adds "struct point,
 *                9 elements, 0x30 bytes" and verbose member types.
 *   .frame [N]   selects frame N for dv/??/dt and prints it as k does.
 *   kp, kP       (cmd_vars_frame_params, for cmd_k) "(int n = 0n3, char * s =
 *                0x... "abc")": the parameters in dv /t's type and value
 *                format, "(void)" when there are none; one that cannot be
 *                read shows "<not available>".  kP puts each on a line of
 *                its own, indented by three tabs, as WinDbg does.
 *
 * The frame selection belongs to the stop it was made at: it is dropped
 * when the thread's pc or stack pointer is no longer the one seen by
 * .frame (the program ran), so dv never shows a stale frame.  An outer
 * frame's registers are the ones the unwinder behind k restored for it
 * (session_frames), so k, .frame, kp and dv always agree on the frame.
 */
#include "cmd/cmd.h"

#include <ctype.h>
#include <stdlib.h>
#include <string.h>

#include "expr/cexpr.h"
#include "engine/scope.h"
#include "cmd/fmt.h"
#include "sym/symvar.h"

#define MAX_FRAME 4095

/* ---- the selected frame ---- */

/* The engine resets the selection at every stop and on ~s. */
static int selected_frame(struct cmd_ctx *c)
{
	return c->s->cur_frame > 0 ? c->s->cur_frame : 0;
}

/* ---- evaluation context of one command ---- */

/* The engine's view of the selected frame, and where this command prints. */
struct vctx {
	struct cmd_ctx *c;
	struct frame_scope fs;
};

/* The selected frame's registers and names; prints the error itself. */
static int vctx_open(struct cmd_ctx *c, struct vctx *x)
{
	x->c = c;
	if (session_scope_open(c->s, selected_frame(c), &x->fs) < 0)
		return cmd_fail(c);
	return 0;
}

static void vctx_close(struct vctx *x)
{
	session_scope_close(&x->fs);
}

/* ---- shared display ---- */

static void add_addr(struct vctx *x, struct sbuf *sb, uint64_t a)
{
	fmt_addr(sb, a, x->fs.fr.is32);
}

/* How show_value names member types: ??'s C spelling, or dt's names (plain or -v). */
enum field_names { NAMES_C, NAMES_DT, NAMES_DT_VERBOSE };

static void add_fields(struct vctx *x, struct sbuf *sb, const struct cx_type *t, const uint64_t *addr,
		       int depth, enum field_names names)
{
	if (names == NAMES_C)
		cx_format_fields(sb, &x->fs.env, t, addr, depth, 3);
	else
		cx_format_dt_fields(sb, &x->fs.env, t, addr, depth, 3, names == NAMES_DT_VERBOSE);
}

/* "<type> <value>" and what follows it for aggregates (?? and dt on an expression). */
static void show_value(struct vctx *x, const struct cx_value *v, int depth, int with_addr, enum field_names names)
{
	struct sbuf sb = { 0 };
	const struct cx_type *t = cx_strip(v->type);
	cx_type_name(&sb, v->type);
	if (t->kind == CX_STRUCT || t->kind == CX_UNION) {
		if (with_addr && v->lvalue) {
			sb_add(&sb, " at ");
			add_addr(x, &sb, v->addr);
		}
		sb_addc(&sb, '\n');
		if (v->lvalue)
			add_fields(x, &sb, t, &v->addr, depth, names);
		else
			sb_add(&sb, "   <not in memory>\n");
		cmd_print(x->c, "%s", sb_str(&sb));
		sb_free(&sb);
		return;
	}
	sb_addc(&sb, ' ');
	int rc = cx_format_value(&sb, &x->fs.env, v);
	sb_addc(&sb, '\n');
	if (rc == 0 && t->kind == CX_PTR) {
		const struct cx_type *pt = cx_strip(t->target);
		uint64_t p;
		double f;
		if ((pt->kind == CX_STRUCT || pt->kind == CX_UNION) && cx_value_scalar(&x->fs.env, v, &p, &f) == 0 && p)
			add_fields(x, &sb, pt, &p, depth, names);
	} else if (t->kind == CX_ARRAY && v->lvalue) {
		const struct cx_type *et = cx_strip(t->target);
		uint64_t n = t->count < 64 ? t->count : 64;
		int aggregate = et->kind == CX_STRUCT || et->kind == CX_UNION || et->kind == CX_ARRAY;
		for (uint64_t i = 0; i < n && !(et->kind == CX_INT && et->is_char && et->size == 1); i++) {
			sb_addf(&sb, "   [%llu] ", (unsigned long long)i);
			if (aggregate && names != NAMES_C) {
				cx_dt_type_name(&sb, t->target, x->fs.env.ptrsize, names == NAMES_DT_VERBOSE);
			} else if (aggregate) {
				cx_type_name(&sb, t->target);
			} else {
				struct cx_value ev = { .type = t->target, .lvalue = 1, .addr = v->addr + i * et->size };
				cx_format_value(&sb, &x->fs.env, &ev);
			}
			sb_addc(&sb, '\n');
		}
		if (t->count > n && !(et->kind == CX_INT && et->is_char))
			sb_addf(&sb, "   ... (%llu elements)\n", (unsigned long long)t->count);
	}
	cmd_print(x->c, "%s", sb_str(&sb));
	sb_free(&sb);
}

/* ---- ?? ---- */

static int cmd_cexpr(struct cmd_ctx *c, const struct cmd_def *d, const char *args,
		     const struct thread_sel *sel, int id)
{
	const char *p = skip_ws(args);
	struct vctx x;
	if (vctx_open(c, &x) < 0)
		return -1;
	int rc = -1;
	struct cx_expr *e = cx_compile(&x.fs.cxs, p);
	struct cx_value v;
	if (!e || cx_eval(e, &x.fs.env, &v) < 0) {
		cmd_fail(c);
		goto out;
	}
	show_value(&x, &v, 0, 0, NAMES_C);
	rc = 0;
out:
	vctx_close(&x);
	return rc;
}

/* ---- dv ---- */

struct dv_row {
	char *left;	/* "n", or "int n" with /t */
	char *where;	/* /v */
	char *value;
	int is_param;
	uint64_t size;	/* of its type (x * /v) */
};

struct dv_state {
	struct vctx *x;
	const char *pattern;
	int types, locations;
	struct dv_row *rows;
	int n, cap;
};

static void dv_each(void *user, const char *name, int is_param, const struct cx_sym *sym)
{
	struct dv_state *st = user;
	if (st->pattern && !wild_match(st->pattern, name, 0))
		return;
	if (st->n == st->cap) {
		st->cap = st->cap ? st->cap * 2 : 16;
		st->rows = xrealloc(st->rows, (size_t)st->cap * sizeof(*st->rows));
	}
	struct dv_row *r = &st->rows[st->n++];
	r->is_param = is_param;
	r->size = cx_strip(sym->type)->size;
	struct sbuf sb = { 0 };
	if (st->types) {
		cx_type_name(&sb, sym->type);
		sb_addc(&sb, ' ');
	}
	sb_add(&sb, name);
	r->left = xstrdup(sb_str(&sb));
	sb_reset(&sb);
	struct cx_value v;
	int ok = !sym->is_constant && symvar_load(&st->x->fs.fr, sym->loc, sym->type, &v) == 0;
	if (sym->is_constant) {
		v = (struct cx_value){ .type = sym->type, .bits = (uint64_t)sym->value };
		ok = 1;
	}
	if (ok) {
		cx_format_value(&sb, &st->x->fs.env, &v);
		r->value = xstrdup(sb_str(&sb));
		sb_reset(&sb);
		const char *reg = cmd_dwarf_reg_name(st->x->fs.fr.is32, symvar_loc_register(sym->loc));
		if (v.lvalue)
			add_addr(st->x, &sb, v.addr);
		else if (reg)
			sb_addf(&sb, "@%s", reg);
		else
			sb_add(&sb, "<computed>");
	} else {
		sb_addf(&sb, "<%s>", err_get());
		r->value = xstrdup(sb_str(&sb));
		sb_reset(&sb);
		sb_add(&sb, "?");
	}
	r->where = xstrdup(sb_str(&sb));
	sb_free(&sb);
}

static int cmd_dv(struct cmd_ctx *c, const struct cmd_def *d, const char *args,
		  const struct thread_sel *sel, int id)
{
	struct dv_state st = { 0 };
	const char *p = skip_ws(args);
	while (*p == '/') {
		char o = (char)tolower((unsigned char)p[1]);
		if (o == 't')
			st.types = 1;
		else if (o == 'v')
			st.locations = 1;
		else if (o != 'i' && o != 'a' && o != 'n' && o != 'z')
			return cmd_error(c, "Syntax error: dv options are /t (types) and /v (addresses)");
		p = skip_ws(p + 2);
	}
	char *pattern = cmd_word(&p);
	if (*skip_ws(p)) {
		free(pattern);
		return cmd_extra_chars(c);
	}
	struct vctx x;
	if (vctx_open(c, &x) < 0) {
		free(pattern);
		return -1;
	}
	st.x = &x;
	st.pattern = pattern;
	int rc = symvar_locals(x.fs.sc, dv_each, &st);
	if (rc < 0) {
		cmd_fail(c);
	} else {
		int width = 15;
		int wwidth = 0;
		for (int i = 0; i < st.n; i++) {
			int l = (int)strlen(st.rows[i].left);
			if (l > width)
				width = l;
			l = (int)strlen(st.rows[i].where);
			if (l > wwidth)
				wwidth = l;
		}
		for (int i = 0; i < st.n; i++) {
			if (st.locations)
				cmd_print(c, "%-*s ", wwidth, st.rows[i].where);
			cmd_print(c, "%*s = %s\n", width, st.rows[i].left, st.rows[i].value);
		}
		rc = 0;
	}
	for (int i = 0; i < st.n; i++) {
		free(st.rows[i].left);
		free(st.rows[i].where);
		free(st.rows[i].value);
	}
	free(st.rows);
	free(pattern);
	vctx_close(&x);
	return rc;
}

/* ---- kp: the parameters of any frame ---- */

struct kp_state {
	struct vctx *x;
	int n;
	int one_per_line;	/* kP */
	struct sbuf sb;
};

static void kp_each(void *user, const char *name, int is_param, const struct cx_sym *sym)
{
	struct kp_state *st = user;
	if (!is_param)
		return;
	if (st->n++)
		sb_add(&st->sb, st->one_per_line ? ", \n" : ", ");
	if (st->one_per_line)
		sb_add(&st->sb, "\t\t\t");
	cx_type_name(&st->sb, sym->type);
	sb_addf(&st->sb, " %s = ", name);
	struct cx_value v;
	int ok;
	if (sym->is_constant) {
		v = (struct cx_value){ .type = sym->type, .bits = (uint64_t)sym->value };
		ok = 1;
	} else {
		ok = symvar_load(&st->x->fs.fr, sym->loc, sym->type, &v) == 0;
	}
	/* A value half-formatted before a read failed must not be shown. */
	struct sbuf val = { 0 };
	if (ok && cx_format_value(&val, &st->x->fs.env, &v) == 0)
		sb_add(&st->sb, sb_str(&val));
	else
		sb_add(&st->sb, "<not available>");
	sb_free(&val);
}

int cmd_vars_frame_params(struct cmd_ctx *c, const struct sym_frame *frame, int one_per_line, struct sbuf *out)
{
	struct vctx x = { .c = c };
	if (session_scope_open_frame(c->s, frame, &x.fs) < 0)
		return -1;
	/* A register the unwinder could not restore makes its parameter "<not available>". */
	struct kp_state st = { .x = &x, .one_per_line = one_per_line };
	int rc = symvar_locals(x.fs.sc, kp_each, &st);
	if (rc >= 0 && st.n == 0)
		sb_add(out, "(void)");
	else if (rc >= 0)
		sb_addf(out, "(%s%s)", one_per_line ? "\n" : "", sb_str(&st.sb));
	sb_free(&st.sb);
	vctx_close(&x);
	return rc < 0 ? -1 : 0;
}

/* ---- x and ln: what the debug information says about a symbol ---- */

struct note_state {
	int n;
	struct sbuf sb;
};

static void param_type_each(void *user, const char *name, int is_param, const struct cx_sym *sym)
{
	struct note_state *st = user;
	if (!is_param)
		return;
	sb_add(&st->sb, st->n++ ? ", " : "");
	cx_type_name(&st->sb, sym->type);
}

int cmd_vars_symbol_note(struct cmd_ctx *c, const char *module, const char *name, uint64_t addr,
			 int is_function, struct sbuf *note, struct sbuf *type)
{
	/* Not a frame: the scope at the function's first instruction, or the globals (pc 0). */
	struct sym_frame f = { .pc = is_function ? addr : 0 };
	struct vctx x = { .c = c };
	if (session_scope_open_frame(c->s, &f, &x.fs) < 0)
		return -1;
	int rc = -1;
	struct sbuf qualified = { 0 };
	sb_addf(&qualified, "%s!%s", module, name);
	/* A function's name is compiled only for its return type (/t): the lookup costs. */
	struct cx_expr *e = !is_function || type ? cx_compile(&x.fs.cxs, sb_str(&qualified)) : NULL;
	const struct cx_type *t = e ? cx_expr_type(e) : NULL;
	if (is_function) {
		struct note_state st = { 0 };
		if (symvar_locals(x.fs.sc, param_type_each, &st) >= 0) {
			sb_addf(note, " (%s)", st.n ? sb_str(&st.sb) : "void");
			if (type && t && cx_strip(t)->kind == CX_FUNC) {
				if (cx_strip(t)->target)
					cx_type_name(type, cx_strip(t)->target);
				else
					sb_add(type, "void");
			}
			rc = 0;
		}
		sb_free(&st.sb);
	} else if (t && cx_strip(t)->kind != CX_FUNC) {
		struct cx_value v;
		struct sbuf val = { 0 };
		const struct cx_type *st = cx_strip(t);
		if (st->kind == CX_STRUCT || st->kind == CX_UNION || (st->kind == CX_ARRAY && !cx_strip(st->target)->is_char))
			cx_type_name(&val, t);	/* an aggregate: its type, as dt would head it */
		else if (cx_eval(e, &x.fs.env, &v) < 0 || cx_format_value(&val, &x.fs.env, &v) < 0)
			sb_addf(&val, "<%s>", err_get());
		sb_addf(note, " = %s", sb_str(&val));
		sb_free(&val);
		if (type)
			cx_type_name(type, t);
		rc = 0;
	}
	sb_free(&qualified);
	vctx_close(&x);
	return rc;
}

/* x *: the selected frame's locals in x's line format. */
int cmd_vars_x_locals(struct cmd_ctx *c, const char *pattern, int types, int verbose)
{
	struct dv_state st = { .pattern = pattern, .types = types };
	struct vctx x;
	if (vctx_open(c, &x) < 0)
		return -1;
	st.x = &x;
	int rc = symvar_locals(x.fs.sc, dv_each, &st);
	if (rc < 0)
		cmd_fail(c);
	for (int i = 0; rc >= 0 && i < st.n; i++) {
		const struct dv_row *r = &st.rows[i];
		if (verbose)
			cmd_print(c, "prv %-6s %s %4llx %s = %s\n", r->is_param ? "param" : "local", r->where,
				  (unsigned long long)r->size, r->left, r->value);
		else
			cmd_print(c, "%s %s = %s\n", r->where, r->left, r->value);
	}
	for (int i = 0; i < st.n; i++) {
		free(st.rows[i].left);
		free(st.rows[i].where);
		free(st.rows[i].value);
	}
	free(st.rows);
	vctx_close(&x);
	return rc < 0 ? -1 : 0;
}

/* ---- dt ---- */

struct dt_opts {
	int depth;	/* -r[N]: nested structs expanded N levels */
	int verbose;	/* -v */
};

/* A type by name: C spelling ("struct point", "unsigned int", "point_t") or a bare tag ("point"). */
static int dt_type(struct vctx *x, const char *text, const struct cx_type **out)
{
	size_t len = strlen(text);
	int word = len > 0;
	for (size_t i = 0; i < len; i++)
		if (!isalnum((unsigned char)text[i]) && text[i] != '_' && text[i] != '!')
			word = 0;
	/* One search finds a tag, a typedef or a base type; C keywords need the parser. */
	if (word && symvar_type(x->fs.sc, CX_VOID, text, len, out) == 0)
		return 0;
	return cx_parse_type(&x->fs.cxs, text, out);
}

/* Whether text is one identifier that names a variable in scope (dt prefers variables). */
static int dt_is_variable(struct vctx *x, const char *text)
{
	size_t len = strlen(text);
	for (size_t i = 0; i < len; i++)
		if (!isalnum((unsigned char)text[i]) && text[i] != '_' && text[i] != '!')
			return 0;
	struct cx_sym sym;
	return len && symvar_var(x->fs.sc, text, len, 0, &sym) == 0;
}

/*
 * "module!Name", the line WinDbg prints first when dt is given a type
 * without its module; NULL when the name carried one (or the type is a C
 * keyword type that no module defines).
 */
static char *dt_header(struct vctx *x, const char *text, const struct cx_type *type)
{
	if (strchr(text, '!'))
		return NULL;
	const struct cx_type *t = type->kind == CX_TYPEDEF ? type : cx_strip(type);
	if (!t->name)
		return NULL;
	enum cx_kind tag = t->kind == CX_STRUCT || t->kind == CX_UNION || t->kind == CX_ENUM ? t->kind : CX_TYPEDEF;
	const char *module;
	if (symvar_type_module(x->fs.sc, tag, t->name, strlen(t->name), &module) != 0 || !module)
		return NULL;
	struct sbuf sb = { 0 };
	sb_addf(&sb, "%s!%s", module, t->name);
	char *h = xstrdup(sb_str(&sb));
	sb_free(&sb);
	return h;
}

static void dt_type_only(struct vctx *x, const struct cx_type *type, const char *header, const struct dt_opts *o)
{
	struct sbuf sb = { 0 };
	const struct cx_type *t = cx_strip(type);
	int ptrsize = x->fs.env.ptrsize;
	if (header)
		sb_addf(&sb, "%s\n", header);
	if (t->kind == CX_STRUCT || t->kind == CX_UNION) {
		if (o->verbose) {
			cx_dt_type_name(&sb, t, ptrsize, 1);
			sb_addc(&sb, '\n');
		}
		cx_format_dt_fields(&sb, &x->fs.env, t, NULL, o->depth, 3, o->verbose);
	} else if (t->kind == CX_ENUM) {
		if (o->verbose) {
			cx_dt_type_name(&sb, t, ptrsize, 1);
			sb_addc(&sb, '\n');
		}
		for (size_t i = 0; i < t->nenums; i++)
			sb_addf(&sb, "   %s = 0n%lld\n", t->enums[i].name, (long long)t->enums[i].value);
	} else {
		cx_dt_type_name(&sb, type, ptrsize, o->verbose);
		sb_addc(&sb, '\n');
	}
	cmd_print(x->c, "%s", sb_str(&sb));
	sb_free(&sb);
}

/* dt's display options: -r[Depth] (1 to 9; -r alone: 3), -v, -b (every level). */
static int dt_options(struct cmd_ctx *c, const char **pp, struct dt_opts *o)
{
	const char *p = skip_ws(*pp);
	while (*p == '-' && isalpha((unsigned char)p[1])) {
		switch (p[1]) {
		case 'r':
			p += 2;
			o->depth = 3;
			if (isdigit((unsigned char)*p)) {
				o->depth = *p++ - '0';
				if (isdigit((unsigned char)*p))
					return cmd_error(c, "Syntax error: dt -r takes a depth from 1 to 9");
			}
			break;
		case 'b':
			p += 2;
			o->depth = 8;
			break;
		case 'v':
			p += 2;
			o->verbose = 1;
			break;
		default:
			return cmd_error(c, "not supported: dt -%c (dr7 takes -r[Depth], -b and -v)", p[1]);
		}
		if (*p && *p != ' ' && *p != '\t')
			return cmd_error(c, "Syntax error: dt options are -r[Depth], -b and -v, each after its own '-'");
		p = skip_ws(p);
	}
	*pp = p;
	return 0;
}

static int cmd_dt(struct cmd_ctx *c, const struct cmd_def *d, const char *args,
		  const struct thread_sel *sel, int id)
{
	const char *p = args;
	struct dt_opts o = { 0 };
	if (dt_options(c, &p, &o) < 0)
		return -1;
	if (!*p)
		return cmd_error(c, "Syntax error: dt needs a type or a variable (dt point, dt var, dt point 0x1000)");
	enum field_names names = o.verbose ? NAMES_DT_VERBOSE : NAMES_DT;
	struct vctx x;
	if (vctx_open(c, &x) < 0)
		return -1;
	int rc = -1;
	/* The longest run of leading words that names a type; what follows is an address. */
	const char *words[8];
	size_t lens[8];
	int nw = 0;
	for (const char *q = p; *q && nw < 8;) {
		q = skip_ws(q);
		if (!*q)
			break;
		words[nw] = q;
		while (*q && *q != ' ' && *q != '\t')
			q++;
		lens[nw] = (size_t)(q - words[nw]);
		nw++;
	}
	const struct cx_type *type = NULL;
	const char *rest = NULL;
	char *type_text = NULL;
	if (nw == 0)
		goto out;
	char *first = xstrndup(words[0], lens[0]);
	int is_var = nw == 1 && dt_is_variable(&x, first);
	free(first);
	for (int k = nw < 4 ? nw : 4; k >= 1 && !type && !is_var; k--) {
		char *text = xstrndup(words[0], (size_t)(words[k - 1] + lens[k - 1] - words[0]));
		/* An error here only means these words are not a type name. */
		if (dt_type(&x, text, &type) == 0) {
			rest = skip_ws(words[k - 1] + lens[k - 1]);
			type_text = text;
		} else {
			type = NULL;
			free(text);
		}
	}
	if (type && !*rest) {
		char *header = dt_header(&x, type_text, type);
		dt_type_only(&x, type, header, &o);
		free(header);
		rc = 0;
		goto out;
	}
	if (type) {
		uint64_t addr;
		if (cmd_expr(c, &rest, &addr) < 0)
			goto out;
		if (*skip_ws(rest)) {
			cmd_extra_chars(c);
			goto out;
		}
		struct cx_value v = { .type = type, .lvalue = 1, .addr = addr };
		show_value(&x, &v, o.depth, 1, names);
		rc = 0;
		goto out;
	}
	/* WinDbg's other order, "dt Address Type": a type after the first word. */
	if (nw >= 2 && !is_var) {
		char *text = xstrdup(skip_ws(words[1]));
		size_t tl = strlen(text);
		while (tl && (text[tl - 1] == ' ' || text[tl - 1] == '\t'))
			text[--tl] = 0;
		const struct cx_type *t2;
		if (dt_type(&x, text, &t2) == 0) {
			free(text);
			char *addr_text = xstrndup(words[0], lens[0]);
			const char *q = addr_text;
			uint64_t addr;
			int ok = cmd_expr(c, &q, &addr) == 0;
			if (ok && *skip_ws(q))
				ok = cmd_extra_chars(c) == 0;
			free(addr_text);
			if (ok) {
				struct cx_value v = { .type = t2, .lvalue = 1, .addr = addr };
				show_value(&x, &v, o.depth, 1, names);
				rc = 0;
			}
			goto out;
		}
		free(text);
	}
	struct cx_expr *e = cx_compile(&x.fs.cxs, p);
	struct cx_value v;
	if (!e || cx_eval(e, &x.fs.env, &v) < 0) {
		cmd_fail(c);
		goto out;
	}
	show_value(&x, &v, o.depth, 1, names);
	rc = 0;
out:
	free(type_text);
	vctx_close(&x);
	return rc;
}

/* ---- .frame ---- */

/*
 * .frame /r: the frame's registers in r's block, then its symbol line and
 * instruction, as WinDbg prints them.  Above frame 0 a register the
 * unwinder could not restore shows as '?' digits (WinDbg would show the
 * inner frame's value, which the frame never had); rip and rsp are the
 * frame's pc and stack pointer, the segment registers the thread's (they
 * are the same in every frame), efl is unknown.
 */
static void frame_registers(struct cmd_ctx *c, const struct sym_frame *f)
{
	struct session *s = c->s;
	if (f->index == 0) {
		cmd_show_registers(c, 0);
		cmd_show_location(c, f->pc);
		return;
	}
	int is32 = session_is32(s);
	struct regs r = f->regs, thread;
	uint64_t known = 1ULL << REG_RIP | 1ULL << REG_RSP;
	r.r[REG_RIP] = f->pc;
	r.r[REG_RSP] = f->sp;
	for (int dw = 0; dw < 32; dw++) {
		int idx = sym_dwarf_reg(is32, (uint64_t)dw);
		if (idx >= 0 && (f->valid >> dw & 1))
			known |= 1ULL << idx;
	}
	if (session_get_regs(s, 0, &thread) == 0) {
		static const int segs[] = { REG_CS, REG_SS, REG_DS, REG_ES, REG_FS, REG_GS };
		for (size_t i = 0; i < ARRAY_SIZE(segs); i++) {
			r.r[segs[i]] = thread.r[segs[i]];
			known |= 1ULL << segs[i];
		}
	}
	struct sbuf sb = { 0 };
	fmt_regs_known(&sb, &r, is32, known);
	cmd_print(c, "%s", sb_str(&sb));
	sb_free(&sb);
	cmd_show_location(c, f->pc);
}

static int cmd_frame(struct cmd_ctx *c, const struct cmd_def *d, const char *args,
		     const struct thread_sel *sel, int id)
{
	struct session *s = c->s;
	const char *p = skip_ws(args);
	int want = selected_frame(c);
	int show_regs = 0;
	while (*p == '/') {
		if (p[1] == 'r' && (!p[2] || p[2] == ' ' || p[2] == '\t'))
			show_regs = 1;
		else if (p[1] == 'c')
			return cmd_error(c, "not supported: .frame /c (a local override context)");
		else
			return cmd_error(c, "Syntax error: .frame [/r] [FrameNumber]");
		p = skip_ws(p + 2);
	}
	if (*p == '=')
		return cmd_error(c, "not supported: .frame = BasePtr (frames are chosen by number)");
	if (*p) {
		uint64_t n;
		if (cmd_expr(c, &p, &n) < 0)
			return -1;
		if (*skip_ws(p))
			return cmd_extra_chars(c);
		if (n > MAX_FRAME)
			return cmd_error(c, "Cannot find frame 0x%llx, previous scope unchanged", (unsigned long long)n);
		want = (int)n;
	}
	/* One frame more than wanted: its pc is the wanted frame's return address. */
	struct frame_list {
		struct sym_frame f[MAX_FRAME + 2];
		int n;
	} *l = xcalloc(1, sizeof(*l));
	l->n = session_frames(s, 0, l->f, want + 2, show_regs ? SYM_UNWIND_REGS : 0);
	if (l->n < 0) {
		free(l);
		return cmd_fail(c);
	}
	if (want >= l->n) {
		free(l);
		return cmd_error(c, "Cannot find frame 0x%x, previous scope unchanged", want);
	}
	s->cur_frame = want;
	const struct sym_frame *f = &l->f[want];
	struct sbuf sb = { 0 };
	sb_addf(&sb, "%02x ", want);
	cmd_addr(&sb, c, f->sp);
	sb_add(&sb, " ");
	cmd_addr(&sb, c, want + 1 < l->n ? l->f[want + 1].pc : 0);
	sb_add(&sb, session_is32(s) ? " " : "     ");
	if (session_describe(s, f->pc, &sb) < 0) {
		sb_add(&sb, "0x");
		cmd_addr(&sb, c, f->pc);
	}
	const char *file;
	int line;
	uint64_t at = f->is_return_address ? f->pc - 1 : f->pc;
	if (s->sym && sym_source_line(s->sym, at, &file, &line) == 0)
		sb_addf(&sb, " [%s @ %d]", file, line);
	cmd_print(c, "%s\n", sb_str(&sb));
	sb_free(&sb);
	if (show_regs)
		frame_registers(c, f);
	free(l);
	return 0;
}

const struct cmd_def cmd_vars_table[] = {
	{ "dv", cmd_dv, CMD_NEED_PROCESS, 0, ARGS_ANY, "dv [/t] [/v] [Pattern]",
	  "Show the locals and parameters of the selected frame" },
	{ "dt", cmd_dt, CMD_NEED_PROCESS, 0, ARGS_NEEDED,
	  "dt [-r[Depth]] [-b] [-v] [Module!]Type [Address] | dt [Options] Address Type | dt [Options] Variable",
	  "Show a type's layout, a variable, or a type at an address" },
	{ "??", cmd_cexpr, CMD_NEED_PROCESS, 0, ARGS_NEEDED, "?? Expression",
	  "Evaluate a C expression over the program's variables" },
	{ ".frame", cmd_frame, CMD_NEED_PROCESS, 0, ARGS_ANY, ".frame [/r] [FrameNumber]",
	  "Select the frame dv and ?? see; /r also shows its registers" },
	{ NULL, NULL, 0, 0, ARGS_ANY, NULL, NULL },
};
