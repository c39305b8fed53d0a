/*
 * cexpr_internal.h — what the parts of the C expression module share; not
 * for other modules (they use cexpr.h).
 *
 *   cexpr.c        pool, builtin types, type classes and type names
 *   cexpr_lex.c    tokens
 *   cexpr_parse.c  compiling: parsing, name resolution, type checking
 *   cexpr_eval.c   evaluating a compiled tree
 *   cexpr_fmt.c    value text for ??, dv and dt
 *
 * Each part calls only the parts listed before it (scripts/check_layers.sh
 * refuses call cycles between files).
 *
 * Invariants the parts rely on: a compiled tree is at most CX_MAX_DEPTH
 * nodes deep (the parser refuses deeper ones, so evaluation may recurse
 * over it); every node's type is set and every name is resolved before
 * evaluation sees the tree; rvalue bits are normalized to their type.
 */
#ifndef DR7_CEXPR_INTERNAL_H
#define DR7_CEXPR_INTERNAL_H

#include "expr/cexpr.h"

#define CX_MAX_DEPTH 200
#define CX_MAX_MEMBER_NEST 16

/* ---- type classes (cexpr.c) ---- */

int cx_is_integer(const struct cx_type *t);
int cx_is_arith(const struct cx_type *t);
/* Scalars after array/function decay. */
int cx_is_scalar(const struct cx_type *t);
int cx_is_pointerish(const struct cx_type *t);

/* ---- tokens (cexpr_lex.c) ---- */

/* T_MASM: @@masm(text) or @@(text), the text in name/name_len. */
enum cx_tok { T_END, T_NUM, T_FLOAT, T_CHAR, T_IDENT, T_REG, T_PUNCT, T_MASM, T_BAD };

/* Two-character operators; single characters are their own code. */
enum cx_punct {
	P_ARROW = 256, P_SHL, P_SHR, P_LE, P_GE, P_EQ, P_NE, P_LAND, P_LOR,
};

struct cx_token {
	enum cx_tok kind;
	size_t start, len;	/* in the text */
	int punct;
	uint64_t num;
	int num_unsigned, num_long, num_decimal;
	double fnum;
	int float4;		/* 1.5f */
	const char *name;	/* identifiers and registers (without '@'), in the text */
	size_t name_len;
};

/* The lexer owns text, pos, tok and prev_end; the parser the rest. */
struct cx_parser {
	const struct cx_scope *sc;
	struct cx_pool *pool;
	const char *text;
	size_t pos;		/* next unread character */
	struct cx_token tok;	/* current token */
	size_t prev_end;	/* end of the token before it: where a finished node's text ends */
	int depth;
	int ptrsize;
	int prefix;		/* compiling a command's leading expression (cx_compile_prefix) */
};

/* Reads the next token into p->tok; -1 with the error slot set. */
int cx_lex(struct cx_parser *p);
/* "Syntax error at '<rest of the text from at>'"; returns -1. */
int cx_lex_syntax_error(struct cx_parser *p, size_t at);
int cx_lex_is_punct(const struct cx_parser *p, int code);
int cx_lex_is_word(const struct cx_token *t, const char *w);
/* The current token must be the punctuator code: consumes it, or a syntax error. */
int cx_lex_expect(struct cx_parser *p, int code);

/* ---- compiled trees (cexpr_parse.c) ---- */

enum cx_nop {
	N_CONST, N_FCONST, N_VAR, N_NEG, N_BNOT, N_LNOT, N_DEREF, N_ADDR, N_CAST,
	N_BIN, N_LAND, N_LOR, N_COND, N_MEMBER, N_ARROW, N_INDEX, N_PTRADD, N_PTRDIFF,
	N_MASM,		/* @@masm(text): loc is the NUL-terminated text, evaluated by cx_env.masm */
};

struct cx_node {
	enum cx_nop op;
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

int cx_node_is_lvalue(const struct cx_node *n);
/* n (an ELF symbol without debug information) used other than by a cast or '&'; returns -1. */
int cx_node_untyped_error(const char *text, const struct cx_node *n);

/* ---- evaluation (cexpr_eval.c) ---- */

/* bits sign- or zero-extended from t's width (bool: 0 or 1). */
uint64_t cx_normalize(uint64_t bits, const struct cx_type *t);
/* env->mem, refusing ranges that wrap around the address space. */
int cx_read_mem(const struct cx_env *env, uint64_t addr, void *buf, size_t n);
/* "00005555`55558010", or "5555a010" when ptrsize is 4: how addresses read in
 * evaluation errors and in value text. */
void cx_hex_addr(char *buf, size_t n, uint64_t a, int ptrsize);

#endif
