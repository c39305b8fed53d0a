/*
 * cexpr_parse.c — compiling C expressions (contract in cexpr.h): one
 * recursive-descent pass that builds a node tree and type-checks it.
 * Every node knows its static type, every name is resolved through the
 * cx_scope, struct members are found and element sizes for pointer
 * arithmetic are computed, so evaluation (cexpr_eval.c) only reads memory
 * and variables.
 *
 * Invariants: the parser's nesting depth and the tree's depth are bounded
 * by CX_MAX_DEPTH, so neither compiling nor evaluating can exhaust the
 * stack; texts longer than MAX_TEXT are refused before parsing; every node
 * records the text it was parsed from, for messages; nothing is allocated
 * outside the scope's pool.
 */
#include "expr/cexpr_internal.h"

#include <string.h>

#define MAX_TEXT 4096

/* ---- node construction and type rules ---- */

static struct cx_node *node_new(struct cx_parser *p, enum cx_nop op, const struct cx_type *type, size_t pos,
				struct cx_node *a, struct cx_node *b, struct cx_node *c)
{
	int depth = 0;
	struct cx_node *kids[3] = { a, b, c };
	for (int i = 0; i < 3; i++)
		if (kids[i] && kids[i]->depth > depth)
			depth = kids[i]->depth;
	if (depth + 1 > CX_MAX_DEPTH) {
		err_set("Expression too complex");
		return NULL;
	}
	struct cx_node *n = cx_alloc(p->pool, sizeof(*n));
	n->op = op;
	n->type = type;
	n->a = a;
	n->b = b;
	n->c = c;
	n->depth = depth + 1;
	n->pos = (unsigned)pos;
	n->len = (unsigned)(p->prev_end > pos ? p->prev_end - pos : 0);
	return n;
}

static const struct cx_type *bt(struct cx_parser *p, enum cx_builtin b)
{
	return cx_builtin(b, p->ptrsize);
}

/* Integer promotion: narrower than int becomes int; enums become their integer. */
static const struct cx_type *promote(struct cx_parser *p, const struct cx_type *t)
{
	const struct cx_type *s = cx_strip(t);
	if (s->kind == CX_FLOAT)
		return t;
	if (s->kind == CX_BOOL || s->size < 4)
		return bt(p, CXB_INT);
	if (s->kind == CX_ENUM) {
		if (s->size > 4)
			return bt(p, s->is_signed ? CXB_INT64 : CXB_UINT64);
		return bt(p, s->is_signed ? CXB_INT : CXB_UINT);
	}
	return t;
}

/* C's usual arithmetic conversions; keeps an operand's own type when it is the result. */
static const struct cx_type *usual(struct cx_parser *p, const struct cx_type *a, const struct cx_type *b)
{
	a = promote(p, a);
	b = promote(p, b);
	const struct cx_type *sa = cx_strip(a), *sb = cx_strip(b);
	if (sa->kind == CX_FLOAT || sb->kind == CX_FLOAT) {
		if (sa->kind == CX_FLOAT && sb->kind == CX_FLOAT && sa->size == 4 && sb->size == 4)
			return a;
		return bt(p, CXB_DOUBLE);
	}
	if (sa->is_signed == sb->is_signed)
		return sb->size > sa->size ? b : a;
	const struct cx_type *u = sa->is_signed ? b : a, *sg = sa->is_signed ? a : b;
	if (cx_strip(u)->size >= cx_strip(sg)->size)
		return u;
	return sg;
}

static int type_error(struct cx_parser *p, size_t pos, const char *why)
{
	return err_set("Type error at '%s': %s", p->text + pos, why);
}

/* Size of what a pointer of type t points at, for scaled arithmetic. */
static int elem_size(struct cx_parser *p, const struct cx_type *t, size_t pos, uint64_t *out)
{
	const struct cx_type *s = cx_strip(t);
	const struct cx_type *e = cx_strip(s->target);
	if (e->kind == CX_VOID || e->kind == CX_FUNC) {
		*out = 1;
		return 0;
	}
	if (e->size == 0)
		return type_error(p, pos, "pointer arithmetic on a type of unknown size");
	*out = e->size;
	return 0;
}

/* The pointer type an array or function decays to (pointers unchanged). */
static const struct cx_type *decay(struct cx_parser *p, const struct cx_type *t)
{
	const struct cx_type *s = cx_strip(t);
	if (s->kind == CX_ARRAY)
		return cx_pointer_to(p->pool, s->target, p->ptrsize);
	if (s->kind == CX_FUNC)
		return cx_pointer_to(p->pool, t, p->ptrsize);
	return t;
}

int cx_node_is_lvalue(const struct cx_node *n)
{
	return n->op == N_VAR || n->op == N_DEREF || n->op == N_MEMBER || n->op == N_ARROW ||
	       n->op == N_INDEX;
}

/* An ELF symbol without debug information (see symvar.c): only a cast or '&' can use it. */
static int untyped_node(const struct cx_node *n)
{
	return n && cx_strip(n->type)->kind == CX_VOID && cx_node_is_lvalue(n);
}

int cx_node_untyped_error(const char *text, const struct cx_node *n)
{
	return err_set("Type error at '%.*s': no type information (no debug information); cast it, as in (int)%.*s",
		       (int)n->len, text + n->pos, (int)n->len, text + n->pos);
}

static struct cx_node *untyped_error_at(struct cx_parser *p, const struct cx_node *n)
{
	cx_node_untyped_error(p->text, n);
	return NULL;
}

static struct cx_node *parse_cond(struct cx_parser *p);
static struct cx_node *parse_unary(struct cx_parser *p);
static int parse_type_name(struct cx_parser *p, const struct cx_type **out);

static struct cx_node *make_const(struct cx_parser *p, const struct cx_type *t, uint64_t bits, size_t pos)
{
	struct cx_node *n = node_new(p, N_CONST, t, pos, NULL, NULL, NULL);
	if (n)
		n->k = bits;
	return n;
}

/* Literal types as C gives them: the first of the candidates that holds the value. */
static const struct cx_type *literal_type(struct cx_parser *p, const struct cx_token *t)
{
	enum cx_builtin cands[4];
	int n = 0;
	int longs = t->num_long;
	int lsz = (int)bt(p, CXB_LONG)->size;
	if (!longs) {
		if (!t->num_unsigned)
			cands[n++] = CXB_INT;
		if (t->num_unsigned || !t->num_decimal)
			cands[n++] = CXB_UINT;
	}
	if (longs <= 1) {
		if (!t->num_unsigned)
			cands[n++] = lsz == 8 ? CXB_LONG : CXB_LLONG;
		if (t->num_unsigned || !t->num_decimal || lsz == 8)
			cands[n++] = lsz == 8 ? CXB_ULONG : CXB_ULLONG;
	} else {
		if (!t->num_unsigned)
			cands[n++] = CXB_LLONG;
		cands[n++] = CXB_ULLONG;
	}
	for (int i = 0; i < n; i++) {
		const struct cx_type *c = bt(p, cands[i]);
		unsigned bits = (unsigned)c->size * 8 - (c->is_signed ? 1 : 0);
		if (bits >= 64 || t->num < (1ULL << bits))
			return c;
	}
	return bt(p, CXB_ULLONG);
}

static struct cx_node *parse_primary(struct cx_parser *p)
{
	struct cx_token t = p->tok;
	size_t pos = t.start;
	switch (t.kind) {
	case T_NUM: {
		if (cx_lex(p) < 0)
			return NULL;
		return make_const(p, literal_type(p, &t), t.num, pos);
	}
	case T_FLOAT: {
		if (cx_lex(p) < 0)
			return NULL;
		struct cx_node *n = node_new(p, N_FCONST, bt(p, t.float4 ? CXB_FLOAT : CXB_DOUBLE), pos,
					     NULL, NULL, NULL);
		if (n)
			n->f = t.float4 ? (double)(float)t.fnum : t.fnum;
		return n;
	}
	case T_CHAR: {
		if (cx_lex(p) < 0)
			return NULL;
		return make_const(p, bt(p, CXB_CHAR), (uint64_t)(int64_t)(int8_t)(uint8_t)t.num, pos);
	}
	case T_REG:
	case T_IDENT: {
		struct cx_sym sym = { 0 };
		int is_reg = t.kind == T_REG;
		int rc = p->sc->var ? p->sc->var(p->sc->user, t.name, t.name_len, is_reg, &sym) : 1;
		if (rc < 0)
			return NULL;
		if (rc > 0) {
			if (!is_reg) {
				if (cx_lex_is_word(&t, "true") || cx_lex_is_word(&t, "false")) {
					if (cx_lex(p) < 0)
						return NULL;
					return make_const(p, bt(p, CXB_BOOL), t.name[0] == 't', pos);
				}
				if (cx_lex_is_word(&t, "NULL") || cx_lex_is_word(&t, "nullptr")) {
					if (cx_lex(p) < 0)
						return NULL;
					return make_const(p, cx_pointer_to(p->pool, bt(p, CXB_VOID), p->ptrsize), 0, pos);
				}
			}
			if (is_reg) {
				err_set("Bad register error at '%s'", p->text + pos);
			} else if (p->sc->where) {
				err_set("Couldn't resolve error at '%.*s' (no variable '%.*s' in scope at %s)",
					(int)t.len, p->text + pos, (int)t.name_len, t.name, p->sc->where);
			} else {
				err_set("Couldn't resolve error at '%.*s'", (int)t.len, p->text + pos);
			}
			return NULL;
		}
		if (cx_lex(p) < 0)
			return NULL;
		if (sym.is_constant) {
			const struct cx_type *ty = sym.type ? sym.type : bt(p, CXB_INT);
			return make_const(p, ty, (uint64_t)sym.value, pos);
		}
		if (!sym.type)
			sym.type = bt(p, CXB_INT);
		struct cx_node *n = node_new(p, N_VAR, sym.type, pos, NULL, NULL, NULL);
		if (n)
			n->loc = sym.loc;
		return n;
	}
	case T_MASM: {
		if (cx_lex(p) < 0)
			return NULL;
		struct cx_node *n = node_new(p, N_MASM, bt(p, CXB_UINT64), pos, NULL, NULL, NULL);
		if (n)
			n->loc = cx_strndup(p->pool, t.name, t.name_len);
		return n;
	}
	case T_PUNCT:
		if (t.punct == '(') {
			if (cx_lex(p) < 0)
				return NULL;
			struct cx_node *n = parse_cond(p);
			if (!n)
				return NULL;
			if (cx_lex_expect(p, ')') < 0)
				return NULL;
			return n;
		}
		/* fall through */
	default:
		cx_lex_syntax_error(p, pos);
		return NULL;
	}
}

/* A member by name, looking inside anonymous structs and unions. */
static const struct cx_member *find_member(const struct cx_type *t, const char *name, size_t len,
					   uint64_t *offset, int depth)
{
	t = cx_strip(t);
	if (depth > CX_MAX_MEMBER_NEST || (t->kind != CX_STRUCT && t->kind != CX_UNION))
		return NULL;
	for (size_t i = 0; i < t->nmembers; i++) {
		const struct cx_member *m = &t->members[i];
		if (m->name && strlen(m->name) == len && !memcmp(m->name, name, len)) {
			*offset = m->offset;
			return m;
		}
	}
	for (size_t i = 0; i < t->nmembers; i++) {
		const struct cx_member *m = &t->members[i];
		uint64_t inner = 0;
		const struct cx_member *r;
		if (!m->name && (r = find_member(m->type, name, len, &inner, depth + 1)) != NULL) {
			*offset = m->offset + inner;
			return r;
		}
	}
	return NULL;
}

static struct cx_node *parse_postfix(struct cx_parser *p)
{
	size_t pos = p->tok.start;
	struct cx_node *n = parse_primary(p);
	while (n) {
		if (untyped_node(n) && (cx_lex_is_punct(p, '.') || cx_lex_is_punct(p, P_ARROW) || cx_lex_is_punct(p, '[')))
			return untyped_error_at(p, n);
		if (cx_lex_is_punct(p, '.') || cx_lex_is_punct(p, P_ARROW)) {
			int arrow = cx_lex_is_punct(p, P_ARROW);
			size_t at = p->tok.start;
			if (cx_lex(p) < 0)
				return NULL;
			if (p->tok.kind != T_IDENT || memchr(p->tok.name, '!', p->tok.name_len)) {
				cx_lex_syntax_error(p, p->tok.start);
				return NULL;
			}
			const struct cx_type *st = n->type;
			if (arrow) {
				const struct cx_type *d = cx_strip(decay(p, n->type));
				if (d->kind != CX_PTR) {
					type_error(p, pos, "'->' needs a pointer to a struct or union");
					return NULL;
				}
				st = d->target;
			}
			const struct cx_type *ss = cx_strip(st);
			if (ss->kind != CX_STRUCT && ss->kind != CX_UNION) {
				type_error(p, pos, arrow ? "'->' needs a pointer to a struct or union"
							 : "'.' needs a struct or union");
				return NULL;
			}
			if (ss->incomplete) {
				struct sbuf sb = { 0 };
				cx_type_name(&sb, ss);
				err_set("Type error at '%s': %s has no known members", p->text + at, sb_str(&sb));
				sb_free(&sb);
				return NULL;
			}
			uint64_t off = 0;
			const struct cx_member *m = find_member(ss, p->tok.name, p->tok.name_len, &off, 0);
			if (!m) {
				struct sbuf sb = { 0 };
				cx_type_name(&sb, ss);
				err_set("Couldn't resolve error at '%.*s' (%s has no member '%.*s')",
					(int)p->tok.len, p->text + p->tok.start, sb_str(&sb), (int)p->tok.name_len,
					p->tok.name);
				sb_free(&sb);
				return NULL;
			}
			if (cx_lex(p) < 0)
				return NULL;
			struct cx_node *m_node = node_new(p, arrow ? N_ARROW : N_MEMBER, m->type, pos, n, NULL, NULL);
			if (!m_node)
				return NULL;
			m_node->k = off;
			m_node->member = m;
			n = m_node;
		} else if (cx_lex_is_punct(p, '[')) {
			if (cx_lex(p) < 0)
				return NULL;
			p->depth++;
			struct cx_node *idx = p->depth > CX_MAX_DEPTH ? NULL : parse_cond(p);
			p->depth--;
			if (!idx) {
				if (p->depth >= CX_MAX_DEPTH)
					err_set("Expression too complex");
				return NULL;
			}
			if (cx_lex_expect(p, ']') < 0)
				return NULL;
			struct cx_node *base = n;
			if (!cx_is_pointerish(base->type) && cx_is_pointerish(idx->type)) {
				struct cx_node *tmp = base;
				base = idx;
				idx = tmp;
			}
			const struct cx_type *d = cx_strip(decay(p, base->type));
			if (d->kind != CX_PTR || !cx_is_integer(idx->type)) {
				type_error(p, pos, "'[]' needs a pointer or array and an integer");
				return NULL;
			}
			if (cx_strip(d->target)->kind == CX_VOID) {
				type_error(p, pos, "cannot index a void pointer");
				return NULL;
			}
			uint64_t es;
			if (elem_size(p, d, pos, &es) < 0)
				return NULL;
			struct cx_node *in = node_new(p, N_INDEX, d->target, pos, base, idx, NULL);
			if (!in)
				return NULL;
			in->k = es;
			n = in;
		} else {
			break;
		}
	}
	return n;
}

/* Whether the current '(' starts a cast: a type keyword or a name that is a type, not a variable. */
static int starts_type_name(struct cx_parser *p, const struct cx_token *t)
{
	static const char *const kw[] = {
		"void", "char", "short", "int", "long", "signed", "unsigned", "float", "double",
		"_Bool", "bool", "struct", "union", "enum", "const", "volatile", "restrict",
	};
	if (t->kind != T_IDENT)
		return 0;
	for (size_t i = 0; i < ARRAY_SIZE(kw); i++)
		if (cx_lex_is_word(t, kw[i]))
			return 1;
	if (memchr(t->name, '!', t->name_len) || !p->sc->type)
		return 0;
	struct cx_sym sym;
	if (p->sc->var && p->sc->var(p->sc->user, t->name, t->name_len, 0, &sym) == 0)
		return 0;
	const struct cx_type *ty;
	return p->sc->type(p->sc->user, CX_TYPEDEF, t->name, t->name_len, &ty) == 0;
}

static struct cx_node *parse_cast_rest(struct cx_parser *p, size_t pos)
{
	const struct cx_type *to;
	if (parse_type_name(p, &to) < 0)
		return NULL;
	if (cx_lex_expect(p, ')') < 0)
		return NULL;
	struct cx_node *a = parse_unary(p);
	if (!a)
		return NULL;
	const struct cx_type *ts = cx_strip(to), *as = cx_strip(a->type);
	int ok;
	if (as->kind == CX_VOID && cx_node_is_lvalue(a))
		ok = ts->kind != CX_ARRAY && ts->kind != CX_FUNC;	/* an untyped symbol: read as 'to' */
	else if (ts->kind == CX_VOID)
		ok = 1;
	else if (ts->kind == CX_STRUCT || ts->kind == CX_UNION)
		ok = as == ts;
	else if (ts->kind == CX_ARRAY || ts->kind == CX_FUNC)
		ok = 0;
	else if (ts->kind == CX_FLOAT)
		ok = cx_is_arith(a->type);
	else
		ok = cx_is_scalar(a->type);
	if (!ok) {
		type_error(p, pos, "invalid cast");
		return NULL;
	}
	return node_new(p, N_CAST, to, pos, a, NULL, NULL);
}

static struct cx_node *parse_unary_inner(struct cx_parser *p)
{
	size_t pos = p->tok.start;
	if (p->tok.kind == T_PUNCT) {
		int op = p->tok.punct;
		if (op == '-' || op == '+' || op == '!' || op == '~' || op == '*' || op == '&') {
			if (cx_lex(p) < 0)
				return NULL;
			struct cx_node *a = parse_unary(p);
			if (!a)
				return NULL;
			if (op != '&' && untyped_node(a))
				return untyped_error_at(p, a);
			switch (op) {
			case '-':
			case '+':
				if (!cx_is_arith(a->type)) {
					type_error(p, pos, "unary minus or plus needs a number");
					return NULL;
				}
				if (op == '+')
					return node_new(p, N_CAST, promote(p, a->type), pos, a, NULL, NULL);
				return node_new(p, N_NEG, promote(p, a->type), pos, a, NULL, NULL);
			case '~':
				if (!cx_is_integer(a->type)) {
					type_error(p, pos, "'~' needs an integer");
					return NULL;
				}
				return node_new(p, N_BNOT, promote(p, a->type), pos, a, NULL, NULL);
			case '!':
				if (!cx_is_scalar(a->type)) {
					type_error(p, pos, "'!' needs a scalar");
					return NULL;
				}
				return node_new(p, N_LNOT, bt(p, CXB_BOOL), pos, a, NULL, NULL);
			case '*': {
				const struct cx_type *d = cx_strip(decay(p, a->type));
				if (d->kind != CX_PTR) {
					type_error(p, pos, "'*' needs a pointer");
					return NULL;
				}
				if (cx_strip(d->target)->kind == CX_VOID) {
					type_error(p, pos, "cannot dereference a void pointer");
					return NULL;
				}
				return node_new(p, N_DEREF, d->target, pos, a, NULL, NULL);
			}
			default: /* '&' */
				if (!cx_node_is_lvalue(a)) {
					type_error(p, pos, "'&' needs a variable or memory location");
					return NULL;
				}
				if (a->member && a->member->bit_size) {
					type_error(p, pos, "cannot take the address of a bitfield");
					return NULL;
				}
				return node_new(p, N_ADDR, cx_pointer_to(p->pool, a->type, p->ptrsize), pos, a,
						NULL, NULL);
			}
		}
		if (op == '(') {
			size_t save_pos = p->pos;
			struct cx_token save = p->tok;
			if (cx_lex(p) < 0)
				return NULL;
			if (starts_type_name(p, &p->tok))
				return parse_cast_rest(p, pos);
			p->pos = save_pos;
			p->tok = save;
		}
	}
	if (cx_lex_is_word(&p->tok, "sizeof")) {
		if (cx_lex(p) < 0)
			return NULL;
		const struct cx_type *t = NULL;
		if (cx_lex_is_punct(p, '(')) {
			size_t save_pos = p->pos;
			struct cx_token save = p->tok;
			if (cx_lex(p) < 0)
				return NULL;
			if (starts_type_name(p, &p->tok)) {
				if (parse_type_name(p, &t) < 0)
					return NULL;
				if (cx_lex_expect(p, ')') < 0)
					return NULL;
			} else {
				p->pos = save_pos;
				p->tok = save;
			}
		}
		if (!t) {
			struct cx_node *a = parse_unary(p);
			if (!a)
				return NULL;
			t = a->type;
		}
		const struct cx_type *s = cx_strip(t);
		if (s->kind == CX_VOID || s->kind == CX_FUNC || (s->size == 0 && s->kind != CX_ARRAY)) {
			type_error(p, pos, "sizeof of a type of unknown size");
			return NULL;
		}
		return make_const(p, bt(p, CXB_UINT64), s->size, pos);
	}
	return parse_postfix(p);
}

/* fn one nesting level deeper: the bound on the parser's recursion. */
static struct cx_node *nested(struct cx_parser *p, struct cx_node *(*fn)(struct cx_parser *))
{
	if (++p->depth > CX_MAX_DEPTH) {
		err_set("Expression too complex");
		return NULL;
	}
	struct cx_node *n = fn(p);
	p->depth--;
	return n;
}

static struct cx_node *parse_unary(struct cx_parser *p)
{
	return nested(p, parse_unary_inner);
}

/* Binary operator levels, lowest precedence first (below ?: and above unary). */
static const int levels[][5] = {
	{ P_LOR, 0 },
	{ P_LAND, 0 },
	{ '|', 0 },
	{ '^', 0 },
	{ '&', 0 },
	{ P_EQ, P_NE, 0 },
	{ '<', '>', P_LE, P_GE, 0 },
	{ P_SHL, P_SHR, 0 },
	{ '+', '-', 0 },
	{ '*', '/', '%', 0 },
};
#define NLEVELS ((int)ARRAY_SIZE(levels))

static int level_has(int level, int op)
{
	for (int i = 0; levels[level][i]; i++)
		if (levels[level][i] == op)
			return 1;
	return 0;
}

/* An N_BIN node: operands converted to optype, result of type type. */
static struct cx_node *bin_node(struct cx_parser *p, int op, const struct cx_type *type,
				const struct cx_type *optype, size_t pos, struct cx_node *a, struct cx_node *b)
{
	struct cx_node *n = node_new(p, N_BIN, type, pos, a, b, NULL);
	if (n) {
		n->sub = op;
		n->optype = optype;
	}
	return n;
}

static struct cx_node *build_binary(struct cx_parser *p, int op, struct cx_node *a, struct cx_node *b,
				    size_t pos)
{
	const struct cx_type *ta = a->type, *tb = b->type;
	switch (op) {
	case P_LAND:
	case P_LOR:
		if (!cx_is_scalar(ta) || !cx_is_scalar(tb))
			break;
		return node_new(p, op == P_LAND ? N_LAND : N_LOR, bt(p, CXB_BOOL), pos, a, b, NULL);
	case '+':
	case '-': {
		int pa = cx_is_pointerish(ta), pb = cx_is_pointerish(tb);
		if (op == '-' && pa && pb) {
			uint64_t ea, eb;
			const struct cx_type *da = decay(p, ta), *db = decay(p, tb);
			if (elem_size(p, da, pos, &ea) < 0 || elem_size(p, db, pos, &eb) < 0)
				return NULL;
			if (ea != eb) {
				type_error(p, pos, "subtracting pointers to different types");
				return NULL;
			}
			struct cx_node *n = node_new(p, N_PTRDIFF, bt(p, CXB_INT64), pos, a, b, NULL);
			if (n)
				n->k = ea;
			return n;
		}
		if (pa || pb) {
			if (pa && pb)
				break;
			if (op == '-' && pb)
				break;
			struct cx_node *ptr = pa ? a : b, *i = pa ? b : a;
			if (!cx_is_integer(i->type))
				break;
			const struct cx_type *d = decay(p, ptr->type);
			uint64_t es;
			if (elem_size(p, d, pos, &es) < 0)
				return NULL;
			struct cx_node *n = node_new(p, N_PTRADD, d, pos, ptr, i, NULL);
			if (n) {
				n->k = es;
				n->sub = op;
			}
			return n;
		}
		if (!cx_is_arith(ta) || !cx_is_arith(tb))
			break;
		const struct cx_type *t = usual(p, ta, tb);
		return bin_node(p, op, t, t, pos, a, b);
	}
	case '*':
	case '/':
	case '%':
	case '&':
	case '|':
	case '^': {
		int need_int = op != '*' && op != '/';
		if (need_int ? !(cx_is_integer(ta) && cx_is_integer(tb)) : !(cx_is_arith(ta) && cx_is_arith(tb)))
			break;
		const struct cx_type *t = usual(p, ta, tb);
		return bin_node(p, op, t, t, pos, a, b);
	}
	case P_SHL:
	case P_SHR: {
		if (!cx_is_integer(ta) || !cx_is_integer(tb))
			break;
		const struct cx_type *t = promote(p, ta);
		return bin_node(p, op, t, t, pos, a, b);
	}
	default: {	/* comparisons */
		const struct cx_type *opt;
		if (cx_is_arith(ta) && cx_is_arith(tb))
			opt = usual(p, ta, tb);
		else if (cx_is_scalar(ta) && cx_is_scalar(tb) && (cx_is_pointerish(ta) || cx_is_pointerish(tb)) &&
			 cx_strip(ta)->kind != CX_FLOAT && cx_strip(tb)->kind != CX_FLOAT)
			opt = bt(p, p->ptrsize == 4 ? CXB_UINT : CXB_UINT64);
		else
			break;
		return bin_node(p, op, bt(p, CXB_BOOL), opt, pos, a, b);
	}
	}
	if (untyped_node(a) || untyped_node(b))
		return untyped_error_at(p, untyped_node(a) ? a : b);
	type_error(p, pos, "invalid operands");
	return NULL;
}

static struct cx_node *parse_binary(struct cx_parser *p, int level)
{
	if (level >= NLEVELS)
		return parse_unary(p);
	size_t pos = p->tok.start;
	struct cx_node *a = parse_binary(p, level + 1);
	while (a && p->tok.kind == T_PUNCT && level_has(level, p->tok.punct)) {
		int op = p->tok.punct;
		if (cx_lex(p) < 0)
			return NULL;
		struct cx_node *b = parse_binary(p, level + 1);
		if (!b)
			return NULL;
		a = build_binary(p, op, a, b, pos);
	}
	return a;
}

static struct cx_node *parse_cond_inner(struct cx_parser *p)
{
	size_t pos = p->tok.start;
	struct cx_node *c = parse_binary(p, 0);
	if (!c || !cx_lex_is_punct(p, '?'))
		return c;
	if (!cx_is_scalar(c->type)) {
		type_error(p, pos, "'?:' needs a scalar condition");
		return NULL;
	}
	if (cx_lex(p) < 0)
		return NULL;
	struct cx_node *a = parse_cond(p);
	if (!a)
		return NULL;
	if (cx_lex_expect(p, ':') < 0)
		return NULL;
	struct cx_node *b = parse_cond(p);
	if (!b)
		return NULL;
	const struct cx_type *t;
	if (cx_is_arith(a->type) && cx_is_arith(b->type))
		t = usual(p, a->type, b->type);
	else if (cx_is_pointerish(a->type) && (cx_is_pointerish(b->type) || cx_is_integer(b->type)))
		t = decay(p, a->type);
	else if (cx_is_pointerish(b->type) && cx_is_integer(a->type))
		t = decay(p, b->type);
	else if (cx_strip(a->type) == cx_strip(b->type))
		t = a->type;
	else {
		type_error(p, pos, "'?:' branches have incompatible types");
		return NULL;
	}
	return node_new(p, N_COND, t, pos, c, a, b);
}

static struct cx_node *parse_cond(struct cx_parser *p)
{
	return nested(p, parse_cond_inner);
}

/* Type names: specifiers, then any number of '*'. */
static int parse_type_name(struct cx_parser *p, const struct cx_type **out)
{
	int is_signed = 0, is_unsigned = 0, shorts = 0, longs = 0;
	enum { B_NONE, B_VOID, B_BOOL, B_CHAR, B_INT, B_FLOAT, B_DOUBLE, B_NAMED } base = B_NONE;
	const struct cx_type *named = NULL;
	size_t pos = p->tok.start;
	int any = 0;
	for (;;) {
		struct cx_token *t = &p->tok;
		if (t->kind != T_IDENT)
			break;
		if (cx_lex_is_word(t, "const") || cx_lex_is_word(t, "volatile") || cx_lex_is_word(t, "restrict")) {
		} else if (cx_lex_is_word(t, "signed")) {
			is_signed = 1;
		} else if (cx_lex_is_word(t, "unsigned")) {
			is_unsigned = 1;
		} else if (cx_lex_is_word(t, "short")) {
			shorts++;
		} else if (cx_lex_is_word(t, "long")) {
			longs++;
		} else if (base == B_NONE && cx_lex_is_word(t, "void")) {
			base = B_VOID;
		} else if (base == B_NONE && (cx_lex_is_word(t, "_Bool") || cx_lex_is_word(t, "bool"))) {
			base = B_BOOL;
		} else if (base == B_NONE && cx_lex_is_word(t, "char")) {
			base = B_CHAR;
		} else if (base == B_NONE && cx_lex_is_word(t, "int")) {
			base = B_INT;
		} else if (base == B_NONE && cx_lex_is_word(t, "float")) {
			base = B_FLOAT;
		} else if (base == B_NONE && cx_lex_is_word(t, "double")) {
			base = B_DOUBLE;
		} else if (base == B_NONE && (cx_lex_is_word(t, "struct") || cx_lex_is_word(t, "union") ||
					      cx_lex_is_word(t, "enum"))) {
			enum cx_kind tag = t->name[0] == 's' ? CX_STRUCT : t->name[0] == 'u' ? CX_UNION : CX_ENUM;
			if (cx_lex(p) < 0)
				return -1;
			if (p->tok.kind != T_IDENT)
				return cx_lex_syntax_error(p, p->tok.start);
			int rc = p->sc->type ? p->sc->type(p->sc->user, tag, p->tok.name, p->tok.name_len, &named) : 1;
			if (rc < 0)
				return -1;
			if (rc > 0)
				return err_set("Couldn't resolve error at '%s' (no type %s %.*s)",
					       p->text + pos, tag == CX_STRUCT ? "struct" : tag == CX_UNION ? "union" : "enum",
					       (int)p->tok.name_len, p->tok.name);
			base = B_NAMED;
		} else if (base == B_NONE && !is_signed && !is_unsigned && !shorts && !longs &&
			   !memchr(t->name, '!', t->name_len) && p->sc->type) {
			int rc = p->sc->type(p->sc->user, CX_TYPEDEF, t->name, t->name_len, &named);
			if (rc < 0)
				return -1;
			if (rc > 0)
				break;
			base = B_NAMED;
		} else {
			break;
		}
		any = 1;
		if (cx_lex(p) < 0)
			return -1;
	}
	if (!any)
		return cx_lex_syntax_error(p, pos);
	const struct cx_type *t;
	int mods = is_signed || is_unsigned || shorts || longs;
	switch (base) {
	case B_VOID:
	case B_BOOL:
	case B_FLOAT:
	case B_NAMED:
		if (mods)
			return type_error(p, pos, "invalid type specifiers");
		t = base == B_VOID ? bt(p, CXB_VOID) : base == B_BOOL ? bt(p, CXB_BOOL)
			: base == B_FLOAT ? bt(p, CXB_FLOAT) : named;
		break;
	case B_DOUBLE:
		if (mods)
			return err_set("not supported: long double at '%s'", p->text + pos);
		t = bt(p, CXB_DOUBLE);
		break;
	case B_CHAR:
		if (shorts || longs || (is_signed && is_unsigned))
			return type_error(p, pos, "invalid type specifiers");
		t = bt(p, is_unsigned ? CXB_UCHAR : is_signed ? CXB_SCHAR : CXB_CHAR);
		break;
	default:
		if ((is_signed && is_unsigned) || (shorts && longs) || shorts > 1 || longs > 2)
			return type_error(p, pos, "invalid type specifiers");
		if (shorts)
			t = bt(p, is_unsigned ? CXB_USHORT : CXB_SHORT);
		else if (longs == 2)
			t = bt(p, is_unsigned ? CXB_ULLONG : CXB_LLONG);
		else if (longs == 1)
			t = bt(p, is_unsigned ? CXB_ULONG : CXB_LONG);
		else
			t = bt(p, is_unsigned ? CXB_UINT : CXB_INT);
		break;
	}
	while (cx_lex_is_punct(p, '*') || cx_lex_is_word(&p->tok, "const") || cx_lex_is_word(&p->tok, "volatile")) {
		if (cx_lex_is_punct(p, '*'))
			t = cx_pointer_to(p->pool, t, p->ptrsize);
		if (cx_lex(p) < 0)
			return -1;
	}
	*out = t;
	return 0;
}

static void parser_init(struct cx_parser *p, const struct cx_scope *sc, const char *text)
{
	memset(p, 0, sizeof(*p));
	p->sc = sc;
	p->pool = sc->pool;
	p->ptrsize = sc->ptrsize == 4 ? 4 : 8;
	p->text = cx_strndup(sc->pool, text, strlen(text));
}

/* The expression at the start of text; *end_at gets the offset of the first token after it. */
static struct cx_expr *compile(const struct cx_scope *sc, const char *text, int whole, size_t *end_at)
{
	if (!sc || !sc->pool || !text) {
		err_set("Syntax error at ''");
		return NULL;
	}
	if (strlen(text) > MAX_TEXT) {
		err_set("Expression too long (more than %d characters)", MAX_TEXT);
		return NULL;
	}
	struct cx_parser p;
	parser_init(&p, sc, text);
	p.prefix = !whole;
	if (cx_lex(&p) < 0)
		return NULL;
	if (p.tok.kind == T_END) {
		err_set("Syntax error at ''");
		return NULL;
	}
	struct cx_node *root = parse_cond(&p);
	if (!root)
		return NULL;
	*end_at = p.prev_end;
	if (whole && p.tok.kind != T_END) {
		if (cx_lex_is_punct(&p, '=') )
			err_set("Syntax error at '%s' (assignments are not supported; '==' compares)",
				p.text + p.tok.start);
		else
			cx_lex_syntax_error(&p, p.tok.start);
		return NULL;
	}
	struct cx_expr *e = cx_alloc(sc->pool, sizeof(*e));
	e->root = root;
	e->text = p.text;
	e->ptrsize = p.ptrsize;
	return e;
}

struct cx_expr *cx_compile(const struct cx_scope *sc, const char *text)
{
	size_t end_at;
	return compile(sc, text, 1, &end_at);
}

struct cx_expr *cx_compile_prefix(const struct cx_scope *sc, const char *text, const char **end)
{
	size_t end_at = 0;
	struct cx_expr *e = compile(sc, text, 0, &end_at);
	*end = e ? text + end_at : text;
	return e;
}

const struct cx_type *cx_expr_type(const struct cx_expr *e)
{
	return e ? e->root->type : NULL;
}

int cx_parse_type(const struct cx_scope *sc, const char *text, const struct cx_type **out)
{
	if (!sc || !sc->pool || !text || strlen(text) > MAX_TEXT)
		return 1;
	struct cx_parser p;
	parser_init(&p, sc, text);
	if (cx_lex(&p) < 0 || !starts_type_name(&p, &p.tok)) {
		return 1;
	}
	const struct cx_type *t;
	if (parse_type_name(&p, &t) < 0)
		return -1;
	if (p.tok.kind != T_END)
		return cx_lex_syntax_error(&p, p.tok.start);
	*out = t;
	return 0;
}

