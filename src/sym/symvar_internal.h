/*
 * symvar_internal.h — what the parts of the DWARF variable module share;
 * not for other modules (they use symvar.h).
 *
 *   symvar.c     the scope at a pc and name lookup (variables, registers,
 *                types, dv's locals)
 *   symtype.c    DWARF types converted to cx_types
 *   symloc.c     DWARF locations compiled into vloc programs bound to a pc
 *   symeval.c    vloc programs run against one frame's registers and memory
 *   symdie.c     DIE names and flags, walking units and modules in lookup order
 *
 * Calls between them go one way: symvar -> symloc -> symtype -> symdie,
 * symvar -> symtype, symvar -> symeval -> symloc (operation names), and
 * each may call sym.h.  Nothing below calls back up.
 *
 * Invariants: a vloc and everything it points to lives in the scope's
 * cx_pool and refers to nothing of libdw, so it outlives the scope; the
 * scope (libdw state, memo tables) lives only while one expression is
 * compiled; location and CFA programs hold at most SYMVAR_MAX_OPS
 * operations, none of them a branch.
 */
#ifndef DR7_SYMVAR_INTERNAL_H
#define DR7_SYMVAR_INTERNAL_H

#include <elfutils/libdw.h>
#include <elfutils/libdwfl.h>

#include "sym/symvar.h"

#define SYMVAR_MAX_OPS 64

/* ---- location programs (built by symloc.c, run by symeval.c) ---- */

struct vop {
	uint8_t atom;
	uint64_t n1, n2;
};

/* The frame base and CFA programs of one function at one pc. */
struct fbase {
	const struct vop *fb;
	size_t nfb;
	const char *fb_why;	/* NULL when fb is usable */
	const struct vop *cfa;
	size_t ncfa;
	const char *cfa_why;
};

enum loc_kind { LK_EXPR, LK_REGISTER, LK_PSEUDO, LK_BYTES, LK_UNAVAIL, LK_ADDR };

struct vloc {
	enum loc_kind kind;
	const char *name;	/* the variable, for messages */
	const char *why;	/* LK_UNAVAIL */
	const struct vop *ops;	/* LK_EXPR */
	size_t nops;
	const struct fbase *fb;
	struct reg_ref reg;	/* LK_REGISTER */
	int reg_dwarf;		/* its DWARF number, -1 when it has none */
	uint8_t bytes[16];	/* LK_BYTES */
	size_t nbytes;
	uint64_t addr;		/* LK_ADDR */
};

/* ---- the scope ---- */

struct memo_ent;	/* symtype.c */
struct pending;		/* symtype.c */
struct abi_slot;	/* symloc.c */

struct symvar_scope {
	struct sym_table *st;
	Dwfl *dwfl;
	struct cx_pool *pool;
	int is32, ptrsize;
	uint64_t pc;
	Dwfl_Module *mod;
	Dwarf_Addr bias;
	Dwarf_Die cudie;
	int have_cu;
	Dwarf_Die *scopes;
	int nscopes;
	int fn_idx;		/* innermost function (subprogram or inlined instance), -1 if none */
	int sub_idx;		/* the concrete subprogram (owner of the frame base), -1 if none */
	char *where;

	/* symloc.c: computed on first need */
	struct fbase *fbase;
	int fbase_done;
	int prologue_done, in_prologue, at_entry;
	struct abi_slot *slots;
	int nslots;

	/* symtype.c */
	struct memo_ent *memo;
	size_t memo_cap, memo_n;
	struct pending *pend;
	size_t npend, pend_cap;
	int ntypes;
	int def_searches;
};

/* ---- symdie.c ---- */

const char *symdie_name(Dwarf_Die *die);
int symdie_flag(Dwarf_Die *die, unsigned name);
/* fn returns 1 to stop the walk. */
typedef int (*symdie_fn)(struct symvar_scope *sc, Dwarf_Die *die, Dwarf_Addr bias, void *arg);
/*
 * Calls fn for each top-level DIE of the scope's unit, its module and the
 * other modules (only: that module alone); with symbol set, a module other
 * than the scope's is walked only when its ELF symbol table has symbol.
 * 1 when fn stopped the walk, else 0.
 */
int symdie_walk(struct symvar_scope *sc, Dwfl_Module *only, symdie_fn fn, void *arg, const char *symbol);
/* The definition (not a declaration) of a struct, union or enum tag by name, in any unit. */
int symdie_find_definition(struct symvar_scope *sc, int tag, const char *name, Dwarf_Die *out);

/* ---- symtype.c ---- */
/* The cx_type of a type DIE, members filled. */
const struct cx_type *symtype_convert(struct symvar_scope *sc, Dwarf_Die *die);
/* The cx_type of the DW_AT_type of die (void when it has none). */
const struct cx_type *symtype_of_die(struct symvar_scope *sc, Dwarf_Die *die);

/* ---- symloc.c ---- */

struct vloc *symloc_new(struct symvar_scope *sc, enum loc_kind k, const char *name);
/* A fixed address; name is copied into the pool. */
struct vloc *symloc_addr(struct symvar_scope *sc, const char *name, uint64_t addr);
/* Type and location of a variable DIE; in_frame: a local or parameter of the scope's function. */
void symloc_var_sym(struct symvar_scope *sc, Dwarf_Die *var, Dwarf_Addr bias, const char *name,
		    int in_frame, struct cx_sym *out);
int symloc_op_is_reg(uint8_t atom);
/* A printable name for an operation the evaluator does not run. */
const char *symloc_op_name(uint8_t atom, char *buf, size_t n);

/* ---- symeval.c ---- */

enum eres_kind { R_NONE, R_MEM, R_REG, R_VALUE };

/* What a location program computed. */
struct eres {
	enum eres_kind kind;
	uint64_t v;		/* R_MEM address, R_REG/R_VALUE value */
	uint8_t bytes[16];	/* pieces */
	size_t nbytes;
	int pieces;
};

/* One run's context: the frame, the variable's name for messages, its frame base and CFA. */
struct ectx {
	struct symvar_frame *fr;
	const char *name;
	const struct fbase *fb;
	int have_cfa;
	uint64_t cfa;
};

/* Runs ops (depth: nesting through the frame base, at most 3); -1 with the error slot set. */
int symeval_run(struct ectx *c, const struct vop *ops, size_t n, int depth, struct eres *res);

#endif
