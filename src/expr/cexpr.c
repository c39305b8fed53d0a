/*
 * cexpr.c — the type side of C expressions (contract in cexpr.h): the pool
 * everything compiled lives in, the builtin types, the type classes the
 * parser and evaluator share (cexpr_internal.h) and C spellings of types.
 *
 * The rest of the module: cexpr_lex.c (tokens), cexpr_parse.c (compiling),
 * cexpr_eval.c (evaluating), cexpr_fmt.c (value text).
 *
 * Invariants: pool memory is zeroed, max_align_t aligned and lives until
 * cx_pool_free; builtin types are static and never change; cx_strip always
 * returns a non-typedef type (void when a typedef chain is broken or longer
 * than 64), so callers never see NULL from it.
 */
#include "expr/cexpr_internal.h"

#include <stdlib.h>
#include <string.h>

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

/* One table per data model; only long differs (8 bytes on x86-64, 4 on i386). */
#define BUILTINS(longsz) {							\
	[CXB_VOID] = BT(CX_VOID, "void", 1, 0, 0),				\
	[CXB_BOOL] = BT(CX_BOOL, "bool", 1, 0, 0),				\
	[CXB_CHAR] = BT(CX_INT, "char", 1, 1, 1),				\
	[CXB_SCHAR] = BT(CX_INT, "signed char", 1, 1, 1),			\
	[CXB_UCHAR] = BT(CX_INT, "unsigned char", 1, 0, 1),			\
	[CXB_SHORT] = BT(CX_INT, "short", 2, 1, 0),				\
	[CXB_USHORT] = BT(CX_INT, "unsigned short", 2, 0, 0),			\
	[CXB_INT] = BT(CX_INT, "int", 4, 1, 0),					\
	[CXB_UINT] = BT(CX_INT, "unsigned int", 4, 0, 0),			\
	[CXB_LONG] = BT(CX_INT, "long", (longsz), 1, 0),			\
	[CXB_ULONG] = BT(CX_INT, "unsigned long", (longsz), 0, 0),		\
	[CXB_LLONG] = BT(CX_INT, "long long", 8, 1, 0),				\
	[CXB_ULLONG] = BT(CX_INT, "unsigned long long", 8, 0, 0),		\
	[CXB_INT64] = BT(CX_INT, "int64", 8, 1, 0),				\
	[CXB_UINT64] = BT(CX_INT, "unsigned int64", 8, 0, 0),			\
	[CXB_FLOAT] = BT(CX_FLOAT, "float", 4, 1, 0),				\
	[CXB_DOUBLE] = BT(CX_FLOAT, "double", 8, 1, 0),				\
}

static const struct cx_type builtin64[CXB_COUNT] = BUILTINS(8);
static const struct cx_type builtin32[CXB_COUNT] = BUILTINS(4);

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

/* ---- type classes ---- */

int cx_is_integer(const struct cx_type *t)
{
	t = cx_strip(t);
	return t->kind == CX_INT || t->kind == CX_BOOL || t->kind == CX_ENUM;
}

int cx_is_arith(const struct cx_type *t)
{
	return cx_is_integer(t) || cx_strip(t)->kind == CX_FLOAT;
}

int cx_is_scalar(const struct cx_type *t)
{
	enum cx_kind k = cx_strip(t)->kind;
	return cx_is_arith(t) || k == CX_PTR || k == CX_ARRAY || k == CX_FUNC;
}

int cx_is_pointerish(const struct cx_type *t)
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
