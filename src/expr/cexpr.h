/*
 * cexpr.h — C expressions over typed values: the language of `??`, `dt`
 * and /w breakpoint conditions (windbg-commands.md §2.7, §5.10).
 *
 * Pure: libc and util.h only.  Names, types and variable locations come
 * from a compile-time environment (struct cx_scope); memory and variable
 * values from an evaluation-time environment (struct cx_env).  Compiling
 * resolves every name and computes every static type once, so evaluating
 * a compiled expression only reads memory and registers: that is what makes
 * a /w condition cheap at each hit.
 *
 * Implemented in cexpr.c (types), cexpr_lex.c, cexpr_parse.c, cexpr_eval.c
 * and cexpr_fmt.c, which share cexpr_internal.h.
 *
 * Language: identifiers (and mod!name), @registers and @$pseudo-registers,
 * integer literals (decimal, 0x hex, 0 octal, 0n decimal, backticks allowed
 * inside hex digits, u/l suffixes), character literals, unary - + ! ~ * &,
 * sizeof, casts to scalar, pointer, struct/union/enum and typedef types,
 * binary * / % + - << >> < > <= >= == != & ^ | && || with C precedence,
 * ?:, member access . ->, indexing [], and the evaluator switch:
 * @@c++(e) is e, @@masm(text) and @@(text) are MASM expressions of type
 * unsigned int64, evaluated through cx_env.masm (expr.h finds their extent).
 * Integer arithmetic follows C's
 * promotions and conversions (wrapping, never undefined); pointer
 * arithmetic is scaled; comparisons and logical operators give bool.
 * There are no assignments and no side effects.
 *
 * Everything a compiled expression refers to (nodes, types, locations)
 * lives in one struct cx_pool, freed at once.  Types are immutable once
 * built; struct/union member arrays may be filled after the type is created
 * (the environment converts recursive types that way) but never change
 * after compilation.
 *
 * Errors (return -1 / NULL, util.h error slot set), one line each:
 *   "Syntax error at '<rest>'", "Couldn't resolve error at '<name>' ...",
 *   "Type error at '<text>': <why>", "Memory access error at '<text>': ...",
 *   "Division by zero at '<text>'", "Expression too complex".
 * A variable whose type is CX_VOID and that is an lvalue stands for a
 * symbol without debug information: it can only be cast (which reads the
 * memory as the cast's type) or have its address taken.
 */
#ifndef DR7_CEXPR_H
#define DR7_CEXPR_H

#include <stddef.h>
#include <stdint.h>

#include "util/util.h"

/* ---- types ---- */

enum cx_kind {
	CX_VOID,
	CX_BOOL,
	CX_INT,		/* every integer and character type */
	CX_FLOAT,	/* float (4) and double (8); others are not evaluated */
	CX_PTR,
	CX_ARRAY,
	CX_STRUCT,
	CX_UNION,
	CX_ENUM,
	CX_FUNC,
	CX_TYPEDEF,
};

struct cx_type;

struct cx_member {
	const char *name;	/* NULL: an anonymous struct/union whose members are visible */
	uint64_t offset;	/* bytes from the start of the aggregate */
	unsigned bit_offset;	/* bitfields: first bit, counted from bit 0 of the byte at offset */
	unsigned bit_size;	/* 0: not a bitfield */
	const struct cx_type *type;
};

struct cx_enumerator {
	const char *name;
	int64_t value;
};

struct cx_type {
	enum cx_kind kind;
	const char *name;	/* "int", a typedef name, a struct tag (no "struct "); NULL: anonymous */
	uint64_t size;
	int is_signed;		/* CX_INT, CX_ENUM */
	int is_char;		/* character type: values also show as 'c' */
	int incomplete;		/* struct/union whose members are unknown (declaration only) */
	const struct cx_type *target;	/* PTR pointee, ARRAY element, TYPEDEF alias, FUNC return */
	uint64_t count;		/* ARRAY: elements (0: unknown bound) */
	struct cx_member *members;
	size_t nmembers;
	struct cx_enumerator *enums;
	size_t nenums;
};

struct cx_pool;

struct cx_pool *cx_pool_new(void);
void cx_pool_free(struct cx_pool *p);
/* Zeroed memory that lives as long as the pool. */
void *cx_alloc(struct cx_pool *p, size_t n);
const char *cx_strndup(struct cx_pool *p, const char *s, size_t n);
struct cx_type *cx_type_new(struct cx_pool *p, enum cx_kind kind);
const struct cx_type *cx_pointer_to(struct cx_pool *p, const struct cx_type *t, int ptrsize);

enum cx_builtin {
	CXB_VOID, CXB_BOOL, CXB_CHAR, CXB_SCHAR, CXB_UCHAR, CXB_SHORT, CXB_USHORT,
	CXB_INT, CXB_UINT, CXB_LONG, CXB_ULONG, CXB_LLONG, CXB_ULLONG,
	CXB_INT64, CXB_UINT64, CXB_FLOAT, CXB_DOUBLE,
	CXB_COUNT
};
/* Static types; long is 4 bytes when ptrsize is 4. */
const struct cx_type *cx_builtin(enum cx_builtin b, int ptrsize);

/* Typedefs removed (cv-qualifiers never reach a cx_type). */
const struct cx_type *cx_strip(const struct cx_type *t);
/* C spelling: "int", "struct point *", "char *[4]", "int (*)[4]". */
void cx_type_name(struct sbuf *sb, const struct cx_type *t);

/* ---- values ---- */

struct cx_value {
	const struct cx_type *type;
	int lvalue;		/* the object is in memory at addr */
	uint64_t addr;
	unsigned bit_offset;	/* lvalue bitfield: bits from addr */
	unsigned bit_size;	/* 0: not a bitfield */
	uint64_t bits;		/* rvalue integer/pointer/bool, sign- or zero-extended to 64 bits */
	double f;		/* rvalue CX_FLOAT */
};

/* ---- compiling ---- */

struct cx_sym {
	const struct cx_type *type;
	const void *loc;	/* handed back to cx_env.load at evaluation */
	int is_constant;	/* an enumerator: value, no loc */
	int64_t value;
	int in_frame;		/* a local or parameter: its value depends on the stack frame read */
};

struct cx_scope {
	void *user;
	struct cx_pool *pool;	/* where types and nodes go */
	int ptrsize;		/* 8, or 4 for i386 */
	/*
	 * A variable (is_reg 0) or a register (is_reg 1, name without '@',
	 * "$t0" for pseudo-registers).  0 found, 1 no such name, -1 error
	 * (error slot set: e.g. a variable that exists but cannot be used).
	 */
	int (*var)(void *user, const char *name, size_t len, int is_reg, struct cx_sym *out);
	/*
	 * A type by name.  tag is CX_STRUCT, CX_UNION or CX_ENUM after those
	 * keywords, CX_TYPEDEF for a bare name (typedef or base type name).
	 * 0 found, 1 none, -1 error.  May be NULL (only the C keywords work).
	 */
	int (*type)(void *user, enum cx_kind tag, const char *name, size_t len,
		    const struct cx_type **out);
	const char *where;	/* "demo!fib" for messages, or NULL */
};

struct cx_expr;

/* Compiles text (the whole string); NULL with the error slot set. */
struct cx_expr *cx_compile(const struct cx_scope *sc, const char *text);
/*
 * Compiles the expression at the start of text, stopping at the first
 * token that cannot continue it ("&x L4" stops before "L4"); *end points
 * there (spaces before it are left).  NULL with the error slot set.
 */
struct cx_expr *cx_compile_prefix(const struct cx_scope *sc, const char *text, const char **end);
const struct cx_type *cx_expr_type(const struct cx_expr *e);
/*
 * A C type name as a cast would spell it ("struct point *", "unsigned
 * char", "size_t").  0 and *out, 1 when text is not a type name (error
 * slot untouched), -1 on an error inside something that is one.
 */
int cx_parse_type(const struct cx_scope *sc, const char *text, const struct cx_type **out);

/* ---- evaluating ---- */

struct cx_env {
	void *user;
	int ptrsize;
	/* 0 when all n bytes were read, -1 otherwise (no message needed). */
	int (*mem)(void *user, uint64_t addr, void *buf, size_t n);
	/*
	 * The value of a variable or register: out->lvalue with addr, or an
	 * rvalue in bits/f.  type is the cx_sym's type.  0, or -1 with the
	 * error slot set ("'x' is optimized out here").
	 */
	int (*load)(void *user, const void *loc, const struct cx_type *type, struct cx_value *out);
	/* @@masm(text) and @@(text): the MASM value of text; 0, or -1 (error
	 * slot set).  NULL: not available where this expression is evaluated. */
	int (*masm)(void *user, const char *text, uint64_t *v);
};

int cx_eval(const struct cx_expr *e, const struct cx_env *env, struct cx_value *out);
/* Evaluates a scalar expression as a condition: *truth = value != 0. */
int cx_eval_bool(const struct cx_expr *e, const struct cx_env *env, int *truth);
/* The scalar value of v (reads memory for lvalues; arrays give their address). */
int cx_value_scalar(const struct cx_env *env, const struct cx_value *v, uint64_t *bits, double *f);

/* ---- formatting ---- */

/*
 * The value text WinDbg's `??` and dv show: signed integers "0n-3",
 * unsigned "0x1f", characters "0n65 'A'", bool "true", enums "RED (0n0)",
 * pointers "0x00005555`55558010" (8 hex digits when ptrsize is 4) with
 * ` "text"` after char pointers, floats "2.5".  Arrays show their
 * address (and text for char arrays), structs their type name.
 * Unreadable memory gives "<Memory access error>"; returns -1 then.
 */
int cx_format_value(struct sbuf *sb, const struct cx_env *env, const struct cx_value *v);

/*
 * dt-style lines, one per member of the struct/union t:
 *   "   +0x004 name             : <value or type>\n"
 * With addr NULL the right column is the member's type (bitfields:
 * "Pos 3, 2 Bits"); with an address it is the member's value (bitfields
 * "0y101", NULL pointers "(null)", char arrays as text, other arrays
 * "[4] 0n1 0n2 0n3 0n4").  depth > 0 expands nested structs (dt -r),
 * indented three more columns per level.
 */
void cx_format_fields(struct sbuf *sb, const struct cx_env *env, const struct cx_type *t,
		      const uint64_t *addr, int depth, int indent);
/*
 * The same lines as dt prints them: types by dt's names (below), with
 * verbose (dt -v) bitfields as "Bitfield Pos 0, 1 Bit".
 */
void cx_format_dt_fields(struct sbuf *sb, const struct cx_env *env, const struct cx_type *t,
			 const uint64_t *addr, int depth, int indent, int verbose);
/*
 * A type as WinDbg's dt names it, typedefs resolved: "Char" "UChar"
 * "Int2B" "Uint2B" "Int4B" "Uint4B" "Int8B" "Uint8B" "Float" "Double"
 * "Bool" "Void" "Wchar", "Ptr64 Char" (Ptr32 when ptrsize is 4), "[10]
 * Int4B", a struct, union or enum by its tag ("point", "<unnamed-tag>"),
 * a function pointer "Ptr64     int ".  verbose (dt -v): "struct point, 9
 * elements, 0x30 bytes", "Ptr64 to struct point, ...", "Enum color,  3
 * total enums".  A long double keeps its C name.
 */
void cx_dt_type_name(struct sbuf *sb, const struct cx_type *t, int ptrsize, int verbose);

#endif
