/*
 * cexpr.c — C expressions over typed values (contract in cexpr.h).
 *
 * Compilation is one recursive-descent pass that builds a node tree and
 * type-checks it: every node knows its static type, every name is resolved,
 * struct members are found, element sizes for pointer arithmetic are
 * computed.  Evaluation walks the tree and only reads memory and variables.
 *
 * Invariants: the parser's nesting depth and the tree's depth are bounded
 * (MAX_DEPTH), so neither compiling nor evaluating can exhaust the stack;
 * integer arithmetic is done on uint64_t and then narrowed to the result
 * type, so no input reaches C's undefined behaviour; rvalue bits are always
 * normalized (sign- or zero-extended from the type's width).
 */
#include "cexpr.h"

#include <ctype.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#define MAX_DEPTH 200
#define MAX_TEXT 4096
#define MAX_MEMBER_NEST 16

/* ---- pool ---- */

struct cx_block {
	struct cx_block *next;
	size_t used, cap;
	max_align_t data[];
};

struct cx_pool {
	struct cx_block *head;
};

struct cx_pool *cx_pool_new(void)
{
	return xcalloc(1, sizeof(struct cx_pool));
}

void cx_pool_free(struct cx_pool *p)
{
	if (!p)
		return;
	struct cx_block *b = p->head;
	while (b) {
		struct cx_block *next = b->next;
		free(b);
		b = next;
	}
	free(p);
}

void *cx_alloc(struct cx_pool *p, size_t n)
{
	size_t al = sizeof(max_align_t);
	n = (n + al - 1) / al * al;
	if (n == 0)
		n = al;
	struct cx_block *b = p->head;
	if (!b || b->cap - b->used < n) {
		size_t cap = n > 16384 ? n : 16384;
		b = xcalloc(1, sizeof(*b) + cap);
		b->cap = cap;
		b->next = p->head;
		p->head = b;
	}
	void *r = (char *)b->data + b->used;
	b->used += n;
	return r;
}

const char *cx_strndup(struct cx_pool *p, const char *s, size_t n)
{
	char *r = cx_alloc(p, n + 1);
	memcpy(r, s, n);
	r[n] = 0;
	return r;
}

struct cx_type *cx_type_new(struct cx_pool *p, enum cx_kind kind)
{
	struct cx_type *t = cx_alloc(p, sizeof(*t));
	t->kind = kind;
	return t;
}

const struct cx_type *cx_pointer_to(struct cx_pool *p, const struct cx_type *t, int ptrsize)
{
	struct cx_type *r = cx_type_new(p, CX_PTR);
	r->size = (uint64_t)ptrsize;
	r->target = t;
	return r;
}

/* ---- builtin types ---- */

#define BT(k, n, sz, sg, ch) { .kind = (k), .name = (n), .size = (sz), .is_signed = (sg), .is_char = (ch) }

static const struct cx_type builtin64[CXB_COUNT] = {
	[CXB_VOID] = BT(CX_VOID, "void", 1, 0, 0),
	[CXB_BOOL] = BT(CX_BOOL, "bool", 1, 0, 0),
	[CXB_CHAR] = BT(CX_INT, "char", 1, 1, 1),
	[CXB_SCHAR] = BT(CX_INT, "signed char", 1, 1, 1),
	[CXB_UCHAR] = BT(CX_INT, "unsigned char", 1, 0, 1),
	[CXB_SHORT] = BT(CX_INT, "short", 2, 1, 0),
	[CXB_USHORT] = BT(CX_INT, "unsigned short", 2, 0, 0),
	[CXB_INT] = BT(CX_INT, "int", 4, 1, 0),
	[CXB_UINT] = BT(CX_INT, "unsigned int", 4, 0, 0),
	[CXB_LONG] = BT(CX_INT, "long", 8, 1, 0),
	[CXB_ULONG] = BT(CX_INT, "unsigned long", 8, 0, 0),
	[CXB_LLONG] = BT(CX_INT, "long long", 8, 1, 0),
	[CXB_ULLONG] = BT(CX_INT, "unsigned long long", 8, 0, 0),
	[CXB_INT64] = BT(CX_INT, "int64", 8, 1, 0),
	[CXB_UINT64] = BT(CX_INT, "unsigned int64", 8, 0, 0),
	[CXB_FLOAT] = BT(CX_FLOAT, "float", 4, 1, 0),
	[CXB_DOUBLE] = BT(CX_FLOAT, "double", 8, 1, 0),
};

static const struct cx_type builtin32[CXB_COUNT] = {
	[CXB_VOID] = BT(CX_VOID, "void", 1, 0, 0),
	[CXB_BOOL] = BT(CX_BOOL, "bool", 1, 0, 0),
	[CXB_CHAR] = BT(CX_INT, "char", 1, 1, 1),
	[CXB_SCHAR] = BT(CX_INT, "signed char", 1, 1, 1),
	[CXB_UCHAR] = BT(CX_INT, "unsigned char", 1, 0, 1),
	[CXB_SHORT] = BT(CX_INT, "short", 2, 1, 0),
	[CXB_USHORT] = BT(CX_INT, "unsigned short", 2, 0, 0),
	[CXB_INT] = BT(CX_INT, "int", 4, 1, 0),
	[CXB_UINT] = BT(CX_INT, "unsigned int", 4, 0, 0),
	[CXB_LONG] = BT(CX_INT, "long", 4, 1, 0),
	[CXB_ULONG] = BT(CX_INT, "unsigned long", 4, 0, 0),
	[CXB_LLONG] = BT(CX_INT, "long long", 8, 1, 0),
	[CXB_ULLONG] = BT(CX_INT, "unsigned long long", 8, 0, 0),
	[CXB_INT64] = BT(CX_INT, "int64", 8, 1, 0),
	[CXB_UINT64] = BT(CX_INT, "unsigned int64", 8, 0, 0),
	[CXB_FLOAT] = BT(CX_FLOAT, "float", 4, 1, 0),
	[CXB_DOUBLE] = BT(CX_FLOAT, "double", 8, 1, 0),
};

const struct cx_type *cx_builtin(enum cx_builtin b, int ptrsize)
{
	if ((unsigned)b >= CXB_COUNT)
		b = CXB_INT;
	return ptrsize == 4 ? &builtin32[b] : &builtin64[b];
}

const struct cx_type *cx_strip(const struct cx_type *t)
{
	for (int i = 0; t && t->kind == CX_TYPEDEF && i < 64; i++)
		t = t->target;
	if (!t || t->kind == CX_TYPEDEF)
		return &builtin64[CXB_VOID];
	return t;
}

static int is_integer(const struct cx_type *t)
{
	t = cx_strip(t);
	return t->kind == CX_INT || t->kind == CX_BOOL || t->kind == CX_ENUM;
}

static int is_arith(const struct cx_type *t)
{
	return is_integer(t) || cx_strip(t)->kind == CX_FLOAT;
}

/* Scalars after array/function decay. */
static int is_scalar(const struct cx_type *t)
{
	enum cx_kind k = cx_strip(t)->kind;
	return is_arith(t) || k == CX_PTR || k == CX_ARRAY || k == CX_FUNC;
}

static int is_pointerish(const struct cx_type *t)
{
	enum cx_kind k = cx_strip(t)->kind;
	return k == CX_PTR || k == CX_ARRAY || k == CX_FUNC;
}

/* ---- type names ---- */

static void type_name_rec(struct sbuf *sb, const struct cx_type *t, const char *inner, int depth)
{
	if (!t) {
		sb_add(sb, "void");
		if (*inner)
			sb_addf(sb, " %s", inner);
		return;
	}
	if (depth > 32) {
		sb_add(sb, "...");
		return;
	}
	struct sbuf in = { 0 };
	switch (t->kind) {
	case CX_PTR: {
		const struct cx_type *tt = t->target ? t->target : NULL;
		enum cx_kind k = tt ? tt->kind : CX_VOID;
		if (k == CX_ARRAY || k == CX_FUNC)
			sb_addf(&in, "(*%s)", inner);
		else
			sb_addf(&in, "*%s", inner);
		type_name_rec(sb, tt, sb_str(&in), depth + 1);
		break;
	}
	case CX_ARRAY:
		if (t->count)
			sb_addf(&in, "%s[%llu]", inner, (unsigned long long)t->count);
		else
			sb_addf(&in, "%s[]", inner);
		type_name_rec(sb, t->target, sb_str(&in), depth + 1);
		break;
	case CX_FUNC:
		sb_addf(&in, "%s()", inner);
		type_name_rec(sb, t->target, sb_str(&in), depth + 1);
		break;
	default:
		switch (t->kind) {
		case CX_STRUCT:
			sb_addf(sb, "struct %s", t->name ? t->name : "<unnamed-tag>");
			break;
		case CX_UNION:
			sb_addf(sb, "union %s", t->name ? t->name : "<unnamed-tag>");
			break;
		case CX_ENUM:
			sb_addf(sb, "enum %s", t->name ? t->name : "<unnamed-tag>");
			break;
		default:
			sb_add(sb, t->name ? t->name : "<unnamed>");
			break;
		}
		if (*inner)
			sb_addf(sb, " %s", inner);
		break;
	}
	sb_free(&in);
}

void cx_type_name(struct sbuf *sb, const struct cx_type *t)
{
	type_name_rec(sb, t, "", 0);
}

/* ---- lexer ---- */

enum tok { T_END, T_NUM, T_FLOAT, T_CHAR, T_IDENT, T_REG, T_PUNCT, T_BAD };

enum punct {
	P_ARROW = 256, P_SHL, P_SHR, P_LE, P_GE, P_EQ, P_NE, P_LAND, P_LOR,
};

struct token {
	enum tok kind;
	size_t start, len;	/* in the text */
	int punct;
	uint64_t num;
	int num_unsigned, num_long, num_decimal;
	double fnum;
	int float4;		/* 1.5f */
	const char *name;	/* identifiers and registers (without '@'), in the text */
	size_t name_len;
};

enum nop {
	N_CONST, N_FCONST, N_VAR, N_NEG, N_BNOT, N_LNOT, N_DEREF, N_ADDR, N_CAST,
	N_BIN, N_LAND, N_LOR, N_COND, N_MEMBER, N_ARROW, N_INDEX, N_PTRADD, N_PTRDIFF,
};

struct cx_node {
	enum nop op;
	int sub;			/* N_BIN: operator; N_PTRADD: '+' or '-' */
	const struct cx_type *type;	/* static type of the result */
	const struct cx_type *optype;	/* N_BIN: operands are converted to this */
	struct cx_node *a, *b, *c;
	uint64_t k;			/* constant bits, member offset, element size */
	double f;
	const struct cx_member *member;
	const void *loc;
	unsigned pos, len;		/* source text for messages */
	int depth;
};

struct cx_expr {
	struct cx_node *root;
	const char *text;
	int ptrsize;
};

struct parser {
	const struct cx_scope *sc;
	struct cx_pool *pool;
	const char *text;
	size_t pos;		/* next unread character */
	struct token tok;	/* current token */
	size_t prev_end;	/* end of the token before it: where a finished node's text ends */
	int depth;
	int ptrsize;
};

static int perr_syntax(struct parser *p, size_t at)
{
	return err_set("Syntax error at '%s'", p->text + at);
}

static int is_ident_start(int c)
{
	return isalpha(c) || c == '_';
}

static int is_ident_char(int c)
{
	return isalnum(c) || c == '_';
}

static int lex_escape(const char *s, size_t *i, uint64_t *v)
{
	char c = s[*i];
	(*i)++;
	switch (c) {
	case 'n': *v = '\n'; return 0;
	case 't': *v = '\t'; return 0;
	case 'r': *v = '\r'; return 0;
	case 'a': *v = '\a'; return 0;
	case 'b': *v = '\b'; return 0;
	case 'f': *v = '\f'; return 0;
	case 'v': *v = '\v'; return 0;
	case '\\': *v = '\\'; return 0;
	case '\'': *v = '\''; return 0;
	case '"': *v = '"'; return 0;
	case '?': *v = '?'; return 0;
	case 'x': {
		uint64_t r = 0;
		int n = 0;
		while (isxdigit((unsigned char)s[*i]) && n < 2) {
			char d = s[*i];
			r = r * 16 + (uint64_t)(isdigit((unsigned char)d) ? d - '0' : tolower((unsigned char)d) - 'a' + 10);
			(*i)++;
			n++;
		}
		if (!n)
			return -1;
		*v = r;
		return 0;
	}
	default:
		if (c >= '0' && c <= '7') {
			uint64_t r = (uint64_t)(c - '0');
			for (int n = 1; n < 3 && s[*i] >= '0' && s[*i] <= '7'; n++)
				r = r * 8 + (uint64_t)(s[(*i)++] - '0');
			*v = r & 0xff;
			return 0;
		}
		return -1;
	}
}

static int lex_number(struct parser *p, struct token *t)
{
	const char *s = p->text;
	size_t i = p->pos;
	int base = 10;
	t->num_decimal = 1;
	if (!(s[i] == '0' && (s[i + 1] == 'x' || s[i + 1] == 'X' || s[i + 1] == 'n' || s[i + 1] == 'N'))) {
		size_t j = i;
		while (isdigit((unsigned char)s[j]))
			j++;
		int frac = s[j] == '.' && isdigit((unsigned char)s[j + 1]);
		int expo = (s[j] == 'e' || s[j] == 'E') &&
			   (isdigit((unsigned char)s[j + 1]) ||
			    ((s[j + 1] == '+' || s[j + 1] == '-') && isdigit((unsigned char)s[j + 2])));
		if (frac || expo) {
			char *end = NULL;
			t->fnum = strtod(s + i, &end);
			size_t k = (size_t)(end - s);
			if (s[k] == 'f' || s[k] == 'F') {
				t->float4 = 1;
				k++;
			}
			if (is_ident_char((unsigned char)s[k]) || s[k] == '.')
				return perr_syntax(p, t->start);
			t->kind = T_FLOAT;
			p->pos = k;
			return 0;
		}
	}
	if (s[i] == '0' && (s[i + 1] == 'x' || s[i + 1] == 'X')) {
		base = 16;
		i += 2;
		t->num_decimal = 0;
	} else if (s[i] == '0' && (s[i + 1] == 'n' || s[i + 1] == 'N')) {
		i += 2;
	} else if (s[i] == '0' && isdigit((unsigned char)s[i + 1])) {
		base = 8;
		i++;
		t->num_decimal = 0;
	}
	uint64_t v = 0;
	int digits = 0, overflow = 0;
	for (;; i++) {
		int c = (unsigned char)s[i];
		if (c == '`' && base == 16 && digits && isxdigit((unsigned char)s[i + 1]))
			continue;	/* 00005555`55558010, as dr7 prints addresses */
		int d;
		if (isdigit(c))
			d = c - '0';
		else if (isalpha(c) && base == 16 && isxdigit(c))
			d = tolower(c) - 'a' + 10;
		else
			break;
		if (d >= base)
			return perr_syntax(p, t->start);
		if (v > (UINT64_MAX - (uint64_t)d) / (uint64_t)base)
			overflow = 1;
		v = v * (uint64_t)base + (uint64_t)d;
		digits++;
	}
	if (!digits && base != 8)
		return perr_syntax(p, t->start);
	if (overflow)
		return err_set("Numeric overflow at '%s'", s + t->start);
	for (;;) {
		int c = s[i];
		if (c == 'u' || c == 'U') {
			t->num_unsigned = 1;
			i++;
		} else if (c == 'l' || c == 'L') {
			t->num_long++;
			i++;
		} else {
			break;
		}
	}
	if (is_ident_char((unsigned char)s[i]))
		return perr_syntax(p, t->start);
	t->num = v;
	t->kind = T_NUM;
	p->pos = i;
	return 0;
}

/* Reads the next token into p->tok. */
static int lex(struct parser *p)
{
	const char *s = p->text;
	p->prev_end = p->tok.start + p->tok.len;
	while (isspace((unsigned char)s[p->pos]))
		p->pos++;
	struct token *t = &p->tok;
	memset(t, 0, sizeof(*t));
	t->start = p->pos;
	int c = (unsigned char)s[p->pos];
	if (!c) {
		t->kind = T_END;
		return 0;
	}
	if (isdigit(c)) {
		if (lex_number(p, t) < 0)
			return -1;
		t->len = p->pos - t->start;
		return 0;
	}
	if (c == '\'') {
		size_t i = p->pos + 1;
		uint64_t v;
		if (s[i] == '\\') {
			i++;
			if (lex_escape(s, &i, &v) < 0)
				return perr_syntax(p, t->start);
		} else if (s[i] && s[i] != '\'') {
			v = (unsigned char)s[i++];
		} else {
			return perr_syntax(p, t->start);
		}
		if (s[i] != '\'')
			return perr_syntax(p, t->start);
		t->kind = T_CHAR;
		t->num = v;
		p->pos = i + 1;
		t->len = p->pos - t->start;
		return 0;
	}
	if (is_ident_start(c) || (c == '@' && (is_ident_start((unsigned char)s[p->pos + 1]) || s[p->pos + 1] == '$'))) {
		size_t i = p->pos;
		if (c == '@') {
			t->kind = T_REG;
			i++;
			if (s[i] == '$')
				i++;
		} else {
			t->kind = T_IDENT;
		}
		size_t name_at = c == '@' ? p->pos + 1 : p->pos;
		while (is_ident_char((unsigned char)s[i]))
			i++;
		/* mod!name: a module-qualified symbol ("demo!counter"), never "a != b". */
		if (t->kind == T_IDENT && s[i] == '!' && s[i + 1] != '=' && is_ident_start((unsigned char)s[i + 1])) {
			i++;
			while (is_ident_char((unsigned char)s[i]))
				i++;
		}
		t->name = s + name_at;
		t->name_len = i - name_at;
		p->pos = i;
		t->len = i - t->start;
		return 0;
	}
	static const struct {
		const char *text;
		int code;
	} multi[] = {
		{ "->", P_ARROW }, { "<<", P_SHL }, { ">>", P_SHR }, { "<=", P_LE }, { ">=", P_GE },
		{ "==", P_EQ }, { "!=", P_NE }, { "&&", P_LAND }, { "||", P_LOR },
	};
	for (size_t k = 0; k < ARRAY_SIZE(multi); k++) {
		if (s[p->pos] == multi[k].text[0] && s[p->pos + 1] == multi[k].text[1]) {
			t->kind = T_PUNCT;
			t->punct = multi[k].code;
			p->pos += 2;
			t->len = 2;
			return 0;
		}
	}
	if (strchr("()[].,?:+-*/%&|^!~<>=", c)) {
		t->kind = T_PUNCT;
		t->punct = c;
		p->pos++;
		t->len = 1;
		return 0;
	}
	return perr_syntax(p, t->start);
}

static int is_punct(const struct parser *p, int code)
{
	return p->tok.kind == T_PUNCT && p->tok.punct == code;
}

static int tok_is_word(const struct token *t, const char *w)
{
	size_t n = strlen(w);
	return t->kind == T_IDENT && t->name_len == n && !memcmp(t->name, w, n);
}

/* ---- node construction and type rules ---- */

static struct cx_node *node_new(struct parser *p, enum nop op, const struct cx_type *type, size_t pos,
				struct cx_node *a, struct cx_node *b, struct cx_node *c)
{
	int depth = 0;
	struct cx_node *kids[3] = { a, b, c };
	for (int i = 0; i < 3; i++)
		if (kids[i] && kids[i]->depth > depth)
			depth = kids[i]->depth;
	if (depth + 1 > MAX_DEPTH) {
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

static const struct cx_type *bt(struct parser *p, enum cx_builtin b)
{
	return cx_builtin(b, p->ptrsize);
}

/* Integer promotion: narrower than int becomes int; enums become their integer. */
static const struct cx_type *promote(struct parser *p, const struct cx_type *t)
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
static const struct cx_type *usual(struct parser *p, const struct cx_type *a, const struct cx_type *b)
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

static int type_error(struct parser *p, size_t pos, const char *why)
{
	return err_set("Type error at '%s': %s", p->text + pos, why);
}

/* Size of what a pointer of type t points at, for scaled arithmetic. */
static int elem_size(struct parser *p, const struct cx_type *t, size_t pos, uint64_t *out)
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
static const struct cx_type *decay(struct parser *p, const struct cx_type *t)
{
	const struct cx_type *s = cx_strip(t);
	if (s->kind == CX_ARRAY)
		return cx_pointer_to(p->pool, s->target, p->ptrsize);
	if (s->kind == CX_FUNC)
		return cx_pointer_to(p->pool, t, p->ptrsize);
	return t;
}

static int is_lvalue_node(const struct cx_node *n)
{
	return n->op == N_VAR || n->op == N_DEREF || n->op == N_MEMBER || n->op == N_ARROW ||
	       n->op == N_INDEX;
}

/* An ELF symbol without debug information (see symvar.c): only a cast or '&' can use it. */
static int untyped_node(const struct cx_node *n)
{
	return n && cx_strip(n->type)->kind == CX_VOID && is_lvalue_node(n);
}

static struct cx_node *untyped_error_at(struct parser *p, const struct cx_node *n)
{
	err_set("Type error at '%.*s': no type information (no debug information); cast it, as in (int)%.*s",
		(int)n->len, p->text + n->pos, (int)n->len, p->text + n->pos);
	return NULL;
}

static struct cx_node *parse_cond(struct parser *p);
static struct cx_node *parse_unary(struct parser *p);
static int parse_type_name(struct parser *p, const struct cx_type **out);

static struct cx_node *make_const(struct parser *p, const struct cx_type *t, uint64_t bits, size_t pos)
{
	struct cx_node *n = node_new(p, N_CONST, t, pos, NULL, NULL, NULL);
	if (n)
		n->k = bits;
	return n;
}

/* Literal types as C gives them: the first of the candidates that holds the value. */
static const struct cx_type *literal_type(struct parser *p, const struct token *t)
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

static struct cx_node *parse_primary(struct parser *p)
{
	struct token t = p->tok;
	size_t pos = t.start;
	switch (t.kind) {
	case T_NUM: {
		if (lex(p) < 0)
			return NULL;
		return make_const(p, literal_type(p, &t), t.num, pos);
	}
	case T_FLOAT: {
		if (lex(p) < 0)
			return NULL;
		struct cx_node *n = node_new(p, N_FCONST, bt(p, t.float4 ? CXB_FLOAT : CXB_DOUBLE), pos,
					     NULL, NULL, NULL);
		if (n)
			n->f = t.float4 ? (double)(float)t.fnum : t.fnum;
		return n;
	}
	case T_CHAR: {
		if (lex(p) < 0)
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
				if (tok_is_word(&t, "true") || tok_is_word(&t, "false")) {
					if (lex(p) < 0)
						return NULL;
					return make_const(p, bt(p, CXB_BOOL), t.name[0] == 't', pos);
				}
				if (tok_is_word(&t, "NULL") || tok_is_word(&t, "nullptr")) {
					if (lex(p) < 0)
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
		if (lex(p) < 0)
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
	case T_PUNCT:
		if (t.punct == '(') {
			if (lex(p) < 0)
				return NULL;
			struct cx_node *n = parse_cond(p);
			if (!n)
				return NULL;
			if (!is_punct(p, ')')) {
				perr_syntax(p, p->tok.start);
				return NULL;
			}
			if (lex(p) < 0)
				return NULL;
			return n;
		}
		/* fall through */
	default:
		perr_syntax(p, pos);
		return NULL;
	}
}

/* A member by name, looking inside anonymous structs and unions. */
static const struct cx_member *find_member(const struct cx_type *t, const char *name, size_t len,
					   uint64_t *offset, int depth)
{
	t = cx_strip(t);
	if (depth > MAX_MEMBER_NEST || (t->kind != CX_STRUCT && t->kind != CX_UNION))
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

static struct cx_node *parse_postfix(struct parser *p)
{
	size_t pos = p->tok.start;
	struct cx_node *n = parse_primary(p);
	while (n) {
		if (untyped_node(n) && (is_punct(p, '.') || is_punct(p, P_ARROW) || is_punct(p, '[')))
			return untyped_error_at(p, n);
		if (is_punct(p, '.') || is_punct(p, P_ARROW)) {
			int arrow = is_punct(p, P_ARROW);
			size_t at = p->tok.start;
			if (lex(p) < 0)
				return NULL;
			if (p->tok.kind != T_IDENT || memchr(p->tok.name, '!', p->tok.name_len)) {
				perr_syntax(p, p->tok.start);
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
			if (lex(p) < 0)
				return NULL;
			struct cx_node *m_node = node_new(p, arrow ? N_ARROW : N_MEMBER, m->type, pos, n, NULL, NULL);
			if (!m_node)
				return NULL;
			m_node->k = off;
			m_node->member = m;
			n = m_node;
		} else if (is_punct(p, '[')) {
			if (lex(p) < 0)
				return NULL;
			p->depth++;
			struct cx_node *idx = p->depth > MAX_DEPTH ? NULL : parse_cond(p);
			p->depth--;
			if (!idx) {
				if (p->depth >= MAX_DEPTH)
					err_set("Expression too complex");
				return NULL;
			}
			if (!is_punct(p, ']')) {
				perr_syntax(p, p->tok.start);
				return NULL;
			}
			if (lex(p) < 0)
				return NULL;
			struct cx_node *base = n;
			if (!is_pointerish(base->type) && is_pointerish(idx->type)) {
				struct cx_node *tmp = base;
				base = idx;
				idx = tmp;
			}
			const struct cx_type *d = cx_strip(decay(p, base->type));
			if (d->kind != CX_PTR || !is_integer(idx->type)) {
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
static int starts_type_name(struct parser *p, const struct token *t)
{
	static const char *const kw[] = {
		"void", "char", "short", "int", "long", "signed", "unsigned", "float", "double",
		"_Bool", "bool", "struct", "union", "enum", "const", "volatile", "restrict",
	};
	if (t->kind != T_IDENT)
		return 0;
	for (size_t i = 0; i < ARRAY_SIZE(kw); i++)
		if (tok_is_word(t, kw[i]))
			return 1;
	if (memchr(t->name, '!', t->name_len) || !p->sc->type)
		return 0;
	struct cx_sym sym;
	if (p->sc->var && p->sc->var(p->sc->user, t->name, t->name_len, 0, &sym) == 0)
		return 0;
	const struct cx_type *ty;
	return p->sc->type(p->sc->user, CX_TYPEDEF, t->name, t->name_len, &ty) == 0;
}

static struct cx_node *parse_cast_rest(struct parser *p, size_t pos)
{
	const struct cx_type *to;
	if (parse_type_name(p, &to) < 0)
		return NULL;
	if (!is_punct(p, ')')) {
		perr_syntax(p, p->tok.start);
		return NULL;
	}
	if (lex(p) < 0)
		return NULL;
	struct cx_node *a = parse_unary(p);
	if (!a)
		return NULL;
	const struct cx_type *ts = cx_strip(to), *as = cx_strip(a->type);
	int ok;
	if (as->kind == CX_VOID && is_lvalue_node(a))
		ok = ts->kind != CX_ARRAY && ts->kind != CX_FUNC;	/* an untyped symbol: read as 'to' */
	else if (ts->kind == CX_VOID)
		ok = 1;
	else if (ts->kind == CX_STRUCT || ts->kind == CX_UNION)
		ok = as == ts;
	else if (ts->kind == CX_ARRAY || ts->kind == CX_FUNC)
		ok = 0;
	else if (ts->kind == CX_FLOAT)
		ok = is_arith(a->type);
	else
		ok = is_scalar(a->type);
	if (!ok) {
		type_error(p, pos, "invalid cast");
		return NULL;
	}
	return node_new(p, N_CAST, to, pos, a, NULL, NULL);
}

static struct cx_node *parse_unary_inner(struct parser *p)
{
	size_t pos = p->tok.start;
	if (p->tok.kind == T_PUNCT) {
		int op = p->tok.punct;
		if (op == '-' || op == '+' || op == '!' || op == '~' || op == '*' || op == '&') {
			if (lex(p) < 0)
				return NULL;
			struct cx_node *a = parse_unary(p);
			if (!a)
				return NULL;
			if (op != '&' && untyped_node(a))
				return untyped_error_at(p, a);
			switch (op) {
			case '-':
			case '+':
				if (!is_arith(a->type)) {
					type_error(p, pos, "unary minus or plus needs a number");
					return NULL;
				}
				if (op == '+')
					return node_new(p, N_CAST, promote(p, a->type), pos, a, NULL, NULL);
				return node_new(p, N_NEG, promote(p, a->type), pos, a, NULL, NULL);
			case '~':
				if (!is_integer(a->type)) {
					type_error(p, pos, "'~' needs an integer");
					return NULL;
				}
				return node_new(p, N_BNOT, promote(p, a->type), pos, a, NULL, NULL);
			case '!':
				if (!is_scalar(a->type)) {
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
				if (!is_lvalue_node(a)) {
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
			struct token save = p->tok;
			if (lex(p) < 0)
				return NULL;
			if (starts_type_name(p, &p->tok))
				return parse_cast_rest(p, pos);
			p->pos = save_pos;
			p->tok = save;
		}
	}
	if (tok_is_word(&p->tok, "sizeof")) {
		if (lex(p) < 0)
			return NULL;
		const struct cx_type *t = NULL;
		if (is_punct(p, '(')) {
			size_t save_pos = p->pos;
			struct token save = p->tok;
			if (lex(p) < 0)
				return NULL;
			if (starts_type_name(p, &p->tok)) {
				if (parse_type_name(p, &t) < 0)
					return NULL;
				if (!is_punct(p, ')')) {
					perr_syntax(p, p->tok.start);
					return NULL;
				}
				if (lex(p) < 0)
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

static struct cx_node *parse_unary(struct parser *p)
{
	if (++p->depth > MAX_DEPTH) {
		err_set("Expression too complex");
		return NULL;
	}
	struct cx_node *n = parse_unary_inner(p);
	p->depth--;
	return n;
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

static struct cx_node *build_binary(struct parser *p, int op, struct cx_node *a, struct cx_node *b,
				    size_t pos)
{
	const struct cx_type *ta = a->type, *tb = b->type;
	switch (op) {
	case P_LAND:
	case P_LOR:
		if (!is_scalar(ta) || !is_scalar(tb))
			break;
		return node_new(p, op == P_LAND ? N_LAND : N_LOR, bt(p, CXB_BOOL), pos, a, b, NULL);
	case '+':
	case '-': {
		int pa = is_pointerish(ta), pb = is_pointerish(tb);
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
			if (!is_integer(i->type))
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
		if (!is_arith(ta) || !is_arith(tb))
			break;
		const struct cx_type *t = usual(p, ta, tb);
		struct cx_node *n = node_new(p, N_BIN, t, pos, a, b, NULL);
		if (n) {
			n->sub = op;
			n->optype = t;
		}
		return n;
	}
	case '*':
	case '/':
	case '%':
	case '&':
	case '|':
	case '^': {
		int need_int = op != '*' && op != '/';
		if (need_int ? !(is_integer(ta) && is_integer(tb)) : !(is_arith(ta) && is_arith(tb)))
			break;
		const struct cx_type *t = usual(p, ta, tb);
		struct cx_node *n = node_new(p, N_BIN, t, pos, a, b, NULL);
		if (n) {
			n->sub = op;
			n->optype = t;
		}
		return n;
	}
	case P_SHL:
	case P_SHR: {
		if (!is_integer(ta) || !is_integer(tb))
			break;
		const struct cx_type *t = promote(p, ta);
		struct cx_node *n = node_new(p, N_BIN, t, pos, a, b, NULL);
		if (n) {
			n->sub = op;
			n->optype = t;
		}
		return n;
	}
	default: {	/* comparisons */
		const struct cx_type *opt;
		if (is_arith(ta) && is_arith(tb))
			opt = usual(p, ta, tb);
		else if (is_scalar(ta) && is_scalar(tb) && (is_pointerish(ta) || is_pointerish(tb)) &&
			 cx_strip(ta)->kind != CX_FLOAT && cx_strip(tb)->kind != CX_FLOAT)
			opt = bt(p, p->ptrsize == 4 ? CXB_UINT : CXB_UINT64);
		else
			break;
		struct cx_node *n = node_new(p, N_BIN, bt(p, CXB_BOOL), pos, a, b, NULL);
		if (n) {
			n->sub = op;
			n->optype = opt;
		}
		return n;
	}
	}
	if (untyped_node(a) || untyped_node(b))
		return untyped_error_at(p, untyped_node(a) ? a : b);
	type_error(p, pos, "invalid operands");
	return NULL;
}

static struct cx_node *parse_binary(struct parser *p, int level)
{
	if (level >= NLEVELS)
		return parse_unary(p);
	size_t pos = p->tok.start;
	struct cx_node *a = parse_binary(p, level + 1);
	while (a && p->tok.kind == T_PUNCT && level_has(level, p->tok.punct)) {
		int op = p->tok.punct;
		if (lex(p) < 0)
			return NULL;
		struct cx_node *b = parse_binary(p, level + 1);
		if (!b)
			return NULL;
		a = build_binary(p, op, a, b, pos);
	}
	return a;
}

static struct cx_node *parse_cond_inner(struct parser *p)
{
	size_t pos = p->tok.start;
	struct cx_node *c = parse_binary(p, 0);
	if (!c || !is_punct(p, '?'))
		return c;
	if (!is_scalar(c->type)) {
		type_error(p, pos, "'?:' needs a scalar condition");
		return NULL;
	}
	if (lex(p) < 0)
		return NULL;
	struct cx_node *a = parse_cond(p);
	if (!a)
		return NULL;
	if (!is_punct(p, ':')) {
		perr_syntax(p, p->tok.start);
		return NULL;
	}
	if (lex(p) < 0)
		return NULL;
	struct cx_node *b = parse_cond(p);
	if (!b)
		return NULL;
	const struct cx_type *t;
	if (is_arith(a->type) && is_arith(b->type))
		t = usual(p, a->type, b->type);
	else if (is_pointerish(a->type) && (is_pointerish(b->type) || is_integer(b->type)))
		t = decay(p, a->type);
	else if (is_pointerish(b->type) && is_integer(a->type))
		t = decay(p, b->type);
	else if (cx_strip(a->type) == cx_strip(b->type))
		t = a->type;
	else {
		type_error(p, pos, "'?:' branches have incompatible types");
		return NULL;
	}
	return node_new(p, N_COND, t, pos, c, a, b);
}

static struct cx_node *parse_cond(struct parser *p)
{
	if (++p->depth > MAX_DEPTH) {
		err_set("Expression too complex");
		return NULL;
	}
	struct cx_node *n = parse_cond_inner(p);
	p->depth--;
	return n;
}

/* Type names: specifiers, then any number of '*'. */
static int parse_type_name(struct parser *p, const struct cx_type **out)
{
	int is_signed = 0, is_unsigned = 0, shorts = 0, longs = 0;
	enum { B_NONE, B_VOID, B_BOOL, B_CHAR, B_INT, B_FLOAT, B_DOUBLE, B_NAMED } base = B_NONE;
	const struct cx_type *named = NULL;
	size_t pos = p->tok.start;
	int any = 0;
	for (;;) {
		struct token *t = &p->tok;
		if (t->kind != T_IDENT)
			break;
		if (tok_is_word(t, "const") || tok_is_word(t, "volatile") || tok_is_word(t, "restrict")) {
		} else if (tok_is_word(t, "signed")) {
			is_signed = 1;
		} else if (tok_is_word(t, "unsigned")) {
			is_unsigned = 1;
		} else if (tok_is_word(t, "short")) {
			shorts++;
		} else if (tok_is_word(t, "long")) {
			longs++;
		} else if (base == B_NONE && tok_is_word(t, "void")) {
			base = B_VOID;
		} else if (base == B_NONE && (tok_is_word(t, "_Bool") || tok_is_word(t, "bool"))) {
			base = B_BOOL;
		} else if (base == B_NONE && tok_is_word(t, "char")) {
			base = B_CHAR;
		} else if (base == B_NONE && tok_is_word(t, "int")) {
			base = B_INT;
		} else if (base == B_NONE && tok_is_word(t, "float")) {
			base = B_FLOAT;
		} else if (base == B_NONE && tok_is_word(t, "double")) {
			base = B_DOUBLE;
		} else if (base == B_NONE && (tok_is_word(t, "struct") || tok_is_word(t, "union") ||
					      tok_is_word(t, "enum"))) {
			enum cx_kind tag = t->name[0] == 's' ? CX_STRUCT : t->name[0] == 'u' ? CX_UNION : CX_ENUM;
			if (lex(p) < 0)
				return -1;
			if (p->tok.kind != T_IDENT)
				return perr_syntax(p, p->tok.start);
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
		if (lex(p) < 0)
			return -1;
	}
	if (!any)
		return perr_syntax(p, pos);
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
	while (is_punct(p, '*') || tok_is_word(&p->tok, "const") || tok_is_word(&p->tok, "volatile")) {
		if (is_punct(p, '*'))
			t = cx_pointer_to(p->pool, t, p->ptrsize);
		if (lex(p) < 0)
			return -1;
	}
	*out = t;
	return 0;
}

static void parser_init(struct parser *p, const struct cx_scope *sc, const char *text)
{
	memset(p, 0, sizeof(*p));
	p->sc = sc;
	p->pool = sc->pool;
	p->ptrsize = sc->ptrsize == 4 ? 4 : 8;
	p->text = cx_strndup(sc->pool, text, strlen(text));
}

struct cx_expr *cx_compile(const struct cx_scope *sc, const char *text)
{
	if (!sc || !sc->pool || !text) {
		err_set("Syntax error at ''");
		return NULL;
	}
	if (strlen(text) > MAX_TEXT) {
		err_set("Expression too long (more than %d characters)", MAX_TEXT);
		return NULL;
	}
	struct parser p;
	parser_init(&p, sc, text);
	if (lex(&p) < 0)
		return NULL;
	if (p.tok.kind == T_END) {
		err_set("Syntax error at ''");
		return NULL;
	}
	struct cx_node *root = parse_cond(&p);
	if (!root)
		return NULL;
	if (p.tok.kind != T_END) {
		if (is_punct(&p, '=') )
			err_set("Syntax error at '%s' (assignments are not supported; '==' compares)",
				p.text + p.tok.start);
		else
			perr_syntax(&p, p.tok.start);
		return NULL;
	}
	struct cx_expr *e = cx_alloc(sc->pool, sizeof(*e));
	e->root = root;
	e->text = p.text;
	e->ptrsize = p.ptrsize;
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
	struct parser p;
	parser_init(&p, sc, text);
	if (lex(&p) < 0 || !starts_type_name(&p, &p.tok)) {
		return 1;
	}
	const struct cx_type *t;
	if (parse_type_name(&p, &t) < 0)
		return -1;
	if (p.tok.kind != T_END)
		return perr_syntax(&p, p.tok.start);
	*out = t;
	return 0;
}

/* ---- evaluation ---- */

static uint64_t normalize(uint64_t bits, const struct cx_type *t)
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

static void fmt_hex_addr(char *buf, size_t n, uint64_t a, int ptrsize)
{
	if (ptrsize == 4)
		snprintf(buf, n, "%08llx", (unsigned long long)(a & 0xffffffffu));
	else
		snprintf(buf, n, "%08llx`%08llx", (unsigned long long)(a >> 32),
			 (unsigned long long)(a & 0xffffffffu));
}

static int eval_err_mem(const struct cx_expr *e, const struct cx_node *n, const struct cx_env *env,
			uint64_t addr, size_t len)
{
	char a[32];
	fmt_hex_addr(a, sizeof(a), addr, env->ptrsize);
	return err_set("Memory access error at '%.*s': cannot read %zu byte%s at %s", (int)n->len,
		       e->text + n->pos, len, len == 1 ? "" : "s", a);
}

static int read_mem(const struct cx_env *env, uint64_t addr, void *buf, size_t n)
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
		*bits = t->kind == CX_FLOAT ? 0 : normalize(v->bits, t);
		*f = v->f;
		return 0;
	}
	if (v->bit_size) {
		unsigned bs = v->bit_size > 64 ? 64 : v->bit_size;
		size_t need = (v->bit_offset + bs + 7) / 8;
		uint8_t buf[16];
		if (need > sizeof(buf))
			return err_set("not supported: bitfield wider than 64 bits");
		if (read_mem(env, v->addr, buf, need) != 0) {
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
	if (read_mem(env, v->addr, buf, n) != 0) {
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
	*bits = normalize(r, t);
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
		fmt_hex_addr(a, sizeof(a), fa, env->ptrsize);
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
		*obits = normalize(r, ts);
		return;
	}
	*obits = normalize(bits, ts);
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
		*bits = to ? normalize(b, to) : b;
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
	out->bits = normalize(bits, t);
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
			out->bits = normalize(out->bits, n->type);
		return 0;
	}
	case N_NEG:
	case N_BNOT:
	case N_CAST: {
		const struct cx_type *to = n->type;
		const struct cx_type *ts = cx_strip(to);
		if (n->op == N_CAST && cx_strip(n->a->type)->kind == CX_VOID && is_lvalue_node(n->a)) {
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
	case N_MEMBER: {
		struct cx_value v;
		if (eval_node(e, n->a, env, &v) < 0)
			return -1;
		if (!v.lvalue)
			return err_set("not supported: '%.*s' is not in memory (a struct held in registers)",
				       (int)n->a->len, e->text + n->a->pos);
		out->lvalue = 1;
		out->addr = ptr_mask(env, v.addr + n->k);
		if (n->member) {
			out->bit_offset = n->member->bit_offset;
			out->bit_size = n->member->bit_size;
		}
		return 0;
	}
	case N_ARROW: {
		uint64_t b;
		double f;
		if (eval_scalar_as(e, n->a, env, NULL, &b, &f) < 0)
			return -1;
		out->lvalue = 1;
		out->addr = ptr_mask(env, b + n->k);
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

static int untyped_error(const struct cx_expr *e)
{
	const struct cx_node *n = e->root;
	return err_set("Type error at '%.*s': no type information (no debug information); cast it, as in (int)%.*s",
		       (int)n->len, e->text + n->pos, (int)n->len, e->text + n->pos);
}

int cx_eval(const struct cx_expr *e, const struct cx_env *env, struct cx_value *out)
{
	if (!e || !env)
		return err_set("No expression");
	if (eval_node(e, e->root, env, out) < 0)
		return -1;
	enum cx_kind k = cx_strip(out->type)->kind;
	if (k == CX_VOID && out->lvalue)
		return untyped_error(e);
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
	if (cx_strip(e->root->type)->kind == CX_VOID && is_lvalue_node(e->root))
		return untyped_error(e);
	if (!is_scalar(e->root->type)) {
		struct sbuf sb = { 0 };
		cx_type_name(&sb, e->root->type);
		err_set("Type error: a condition must be a scalar, not %s", sb_str(&sb));
		sb_free(&sb);
		return -1;
	}
	return eval_truth(e, e->root, env, truth);
}

/* ---- formatting ---- */

static void add_ptr(struct sbuf *sb, uint64_t v, int ptrsize)
{
	char a[32];
	fmt_hex_addr(a, sizeof(a), v, ptrsize);
	sb_addf(sb, "0x%s", a);
}

static void add_char_escaped(struct sbuf *sb, unsigned char c, char quote)
{
	switch (c) {
	case '\n': sb_add(sb, "\\n"); return;
	case '\t': sb_add(sb, "\\t"); return;
	case '\r': sb_add(sb, "\\r"); return;
	case '\\': sb_add(sb, "\\\\"); return;
	default:
		if (c == (unsigned char)quote)
			sb_addf(sb, "\\%c", quote);
		else if (c >= 0x20 && c < 0x7f)
			sb_addc(sb, (char)c);
		else
			sb_addf(sb, "\\x%02x", c);
	}
}

/* " \"text\"" for a C string at addr (at most max bytes); nothing when unreadable. */
static void add_string(struct sbuf *sb, const struct cx_env *env, uint64_t addr, uint64_t max)
{
	char buf[256];
	size_t n = 0;
	int ended = 0;
	if (max > sizeof(buf))
		max = sizeof(buf);
	while (n < max) {
		/* Byte-wise at page ends: a string may end just before an unmapped page. */
		size_t chunk = 16;
		if (chunk > max - n)
			chunk = (size_t)(max - n);
		uint64_t a = addr + n;
		uint64_t to_page = 4096 - (a & 4095);
		if (chunk > to_page)
			chunk = (size_t)to_page;
		if (read_mem(env, a, buf + n, chunk) != 0)
			break;
		void *z = memchr(buf + n, 0, chunk);
		if (z) {
			n = (size_t)((char *)z - buf);
			ended = 1;
			break;
		}
		n += chunk;
	}
	if (!n && !ended) {
		if (max)
			sb_add(sb, " <Memory access error>");
		return;
	}
	sb_add(sb, " \"");
	for (size_t i = 0; i < n; i++)
		add_char_escaped(sb, (unsigned char)buf[i], '"');
	sb_add(sb, ended || n < max ? "\"" : "\"...");
}

static int is_char_type(const struct cx_type *t)
{
	t = cx_strip(t);
	return t->kind == CX_INT && t->is_char && t->size == 1;
}

static void add_double(struct sbuf *sb, double d)
{
	char buf[64];
	snprintf(buf, sizeof(buf), "%.15g", d);
	if (strtod(buf, NULL) != d)
		snprintf(buf, sizeof(buf), "%.17g", d);
	sb_add(sb, buf);
}

static void add_scalar_text(struct sbuf *sb, const struct cx_env *env, const struct cx_type *type,
			    uint64_t bits, double f)
{
	const struct cx_type *t = cx_strip(type);
	switch (t->kind) {
	case CX_BOOL:
		sb_add(sb, bits ? "true" : "false");
		return;
	case CX_FLOAT:
		add_double(sb, f);
		return;
	case CX_ENUM:
		for (size_t i = 0; i < t->nenums; i++) {
			if ((uint64_t)t->enums[i].value == bits ||
			    normalize((uint64_t)t->enums[i].value, t) == bits) {
				sb_addf(sb, "%s (0n%lld)", t->enums[i].name, (long long)(int64_t)bits);
				return;
			}
		}
		sb_addf(sb, "0n%lld", (long long)(int64_t)bits);
		return;
	case CX_PTR:
	case CX_ARRAY:
	case CX_FUNC:
		add_ptr(sb, bits, env->ptrsize);
		return;
	default:
		if (t->is_signed)
			sb_addf(sb, "0n%lld", (long long)(int64_t)bits);
		else
			sb_addf(sb, "0x%llx", (unsigned long long)bits);
		if (t->is_char && t->size == 1) {
			unsigned char c = (unsigned char)bits;
			if (c >= 0x20 && c < 0x7f) {
				sb_add(sb, " '");
				add_char_escaped(sb, c, '\'');
				sb_add(sb, "'");
			}
		}
		return;
	}
}

int cx_format_value(struct sbuf *sb, const struct cx_env *env, const struct cx_value *v)
{
	const struct cx_type *t = cx_strip(v->type);
	if (t->kind == CX_STRUCT || t->kind == CX_UNION) {
		cx_type_name(sb, v->type);
		return 0;
	}
	if (t->kind == CX_VOID) {
		sb_add(sb, "void");
		return 0;
	}
	uint64_t bits;
	double f;
	if (cx_value_scalar(env, v, &bits, &f) < 0) {
		sb_add(sb, "<Memory access error>");
		return -1;
	}
	add_scalar_text(sb, env, v->type, bits, f);
	if (t->kind == CX_PTR && is_char_type(t->target) && bits)
		add_string(sb, env, bits, 256);
	else if (t->kind == CX_ARRAY && is_char_type(t->target) && v->lvalue)
		add_string(sb, env, v->addr, t->count ? t->count : 256);
	return 0;
}

static void field_value(struct sbuf *sb, const struct cx_env *env, const struct cx_member *m,
			uint64_t addr)
{
	struct cx_value v = { .type = m->type, .lvalue = 1, .addr = addr,
			      .bit_offset = m->bit_offset, .bit_size = m->bit_size };
	const struct cx_type *t = cx_strip(m->type);
	if (m->bit_size) {
		uint64_t bits;
		double f;
		if (cx_value_scalar(env, &v, &bits, &f) < 0) {
			sb_add(sb, "<Memory access error>");
			return;
		}
		sb_add(sb, "0y");
		unsigned bs = m->bit_size > 64 ? 64 : m->bit_size;
		for (unsigned i = bs; i-- > 0;)
			sb_addc(sb, (char)('0' + ((bits >> i) & 1)));
		return;
	}
	if (t->kind == CX_ARRAY) {
		const struct cx_type *et = cx_strip(t->target);
		if (is_char_type(et) && t->count) {
			struct sbuf tmp = { 0 };
			add_string(&tmp, env, addr, t->count);
			sb_add(sb, sb_str(&tmp) + (tmp.len ? 1 : 0));	/* no leading space here */
			sb_free(&tmp);
			return;
		}
		sb_addf(sb, "[%llu]", (unsigned long long)t->count);
		if (et->kind == CX_STRUCT || et->kind == CX_UNION || et->kind == CX_ARRAY || !et->size) {
			sb_add(sb, " ");
			cx_type_name(sb, t->target);
			return;
		}
		uint64_t show = t->count < 8 ? t->count : 8;
		for (uint64_t i = 0; i < show; i++) {
			struct cx_value ev = { .type = t->target, .lvalue = 1, .addr = addr + i * et->size };
			uint64_t bits;
			double f;
			sb_add(sb, " ");
			if (cx_value_scalar(env, &ev, &bits, &f) < 0) {
				sb_add(sb, "<Memory access error>");
				return;
			}
			add_scalar_text(sb, env, t->target, bits, f);
		}
		if (t->count > show)
			sb_add(sb, " ...");
		return;
	}
	if (t->kind == CX_PTR) {
		uint64_t bits;
		double f;
		if (cx_value_scalar(env, &v, &bits, &f) < 0) {
			sb_add(sb, "<Memory access error>");
			return;
		}
		if (!bits) {
			sb_add(sb, "(null)");
			return;
		}
	}
	cx_format_value(sb, env, &v);
}

static void fields_rec(struct sbuf *sb, const struct cx_env *env, const struct cx_type *t,
		       const uint64_t *addr, uint64_t base, int depth, int indent, int nest)
{
	t = cx_strip(t);
	if (nest > MAX_MEMBER_NEST || (t->kind != CX_STRUCT && t->kind != CX_UNION))
		return;
	if (t->incomplete) {
		sb_addf(sb, "%*s<members unknown: ", indent, "");
		cx_type_name(sb, t);
		sb_add(sb, " is only declared>\n");
		return;
	}
	for (size_t i = 0; i < t->nmembers; i++) {
		const struct cx_member *m = &t->members[i];
		uint64_t off = base + m->offset;
		if (!m->name) {
			/* Anonymous struct/union: its members belong to this one. */
			fields_rec(sb, env, m->type, addr, off, depth, indent, nest + 1);
			continue;
		}
		sb_addf(sb, "%*s+0x%03llx %-16s : ", indent, "", (unsigned long long)off, m->name);
		const struct cx_type *mt = cx_strip(m->type);
		int aggregate = mt->kind == CX_STRUCT || mt->kind == CX_UNION;
		if (!addr) {
			if (m->bit_size)
				sb_addf(sb, "Pos %u, %u Bit%s", m->bit_offset, m->bit_size, m->bit_size == 1 ? "" : "s");
			else
				cx_type_name(sb, m->type);
		} else if (aggregate) {
			cx_type_name(sb, m->type);
		} else {
			field_value(sb, env, m, *addr + off);
		}
		sb_addc(sb, '\n');
		if (aggregate && depth > 0) {
			uint64_t inner = addr ? *addr + off : 0;
			fields_rec(sb, env, mt, addr ? &inner : NULL, 0, depth - 1, indent + 3, nest + 1);
		}
	}
}

void cx_format_fields(struct sbuf *sb, const struct cx_env *env, const struct cx_type *t,
		      const uint64_t *addr, int depth, int indent)
{
	if (depth > 8)
		depth = 8;
	fields_rec(sb, env, t, addr, 0, depth, indent, 0);
}
