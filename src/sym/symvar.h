/*
 * symvar.h — DWARF variables and types (through libdw) for the C
 * expression evaluator: the names visible at a code address, their types
 * as cx_types and their locations compiled into small programs that need
 * only registers and memory to run.
 *
 * Implemented in symvar.c (scope, lookup), symtype.c, symloc.c, symeval.c
 * and symdie.c, which share symvar_internal.h.  The registers of an outer
 * frame come from sym_unwind (sym.h), the one unwinder.
 *
 * Name lookup at pc (windbg-commands.md §2.7): the locals and parameters of
 * the function containing pc, innermost block first; then the globals,
 * statics and enumerators of pc's compilation unit, of the other units of
 * its module, and of the other modules (the main program first); then
 * functions.  "mod!name" searches one module's globals.  A global known
 * only by a declaration takes its address from the ELF symbol table; a
 * symbol with no debug information at all gets a type-less lvalue that C
 * expressions may only cast or take the address of ((int)counter).
 * Other modules are searched for a variable only when their ELF symbol
 * table has the name (big libraries with debug information are slow to
 * walk).
 *
 * Locations are bound to pc when a name is resolved: a location list
 * entry is chosen for pc, DW_OP_fbreg is tied to the function's
 * DW_AT_frame_base, DW_OP_call_frame_cfa to the CFA rule that the CFI
 * (.eh_frame, else .debug_frame) gives for pc.  So a compiled expression is
 * only valid for the pc it was compiled at (a breakpoint's address).
 *
 * Function entry: before the prologue has stored the parameters (pc from
 * the function's first address up to the end of its prologue, from the
 * line table), a -O0 parameter's DWARF location (a frame slot) does not yet
 * hold its value.  There, parameters that have a single (non-list)
 * location are read where the ABI passes them: x86-64 SysV integer and
 * pointer arguments from rdi, rsi, rdx, rcx, r8, r9 and then the stack
 * (CFA + 8k), i386 arguments from the stack (CFA + offset).  Parameters the
 * ABI passes in SSE registers or as register-split aggregates are reported
 * as not available there instead of showing the slot's stale contents.
 *
 * Values never come out wrong silently: an optimized-out variable, an entry
 * value that cannot be recovered, a register the unwinder could not restore
 * or an unsupported DWARF operation gives an error naming the variable.
 */
#ifndef DR7_SYMVAR_H
#define DR7_SYMVAR_H

#include <stdint.h>

#include "expr/cexpr.h"
#include "x86/regs.h"
#include "sym/sym.h"

struct symvar_scope;

/*
 * Names visible at pc in st (pc 0: globals only).  For a frame above the
 * innermost, pass its return address minus 1.  Types and locations are
 * allocated in pool, which must outlive everything compiled with the
 * scope; the scope itself (which holds libdw state) is freed right after
 * compiling.  Never NULL.
 */
struct symvar_scope *symvar_scope_new(struct sym_table *st, uint64_t pc, int is32, struct cx_pool *pool);
void symvar_scope_free(struct symvar_scope *sc);

/* cx_scope callbacks (user = the symvar_scope).  symvar_type also takes
 * tag CX_VOID: a struct, union or enum tag, a typedef or a base type. */
int symvar_var(void *scope, const char *name, size_t len, int is_reg, struct cx_sym *out);
int symvar_type(void *scope, enum cx_kind tag, const char *name, size_t len, const struct cx_type **out);
/* The module (WinDbg name) whose debug information defines the type
 * symvar_type finds for the same arguments: 0 with *module (NULL when it
 * cannot be told), 1 when there is no such type. */
int symvar_type_module(struct symvar_scope *sc, enum cx_kind tag, const char *name, size_t len, const char **module);
/* Fills a cx_scope that resolves names through sc. */
void symvar_cx_scope(struct symvar_scope *sc, struct cx_scope *out);
/* "demo!fib" for the function at pc, or NULL. */
const char *symvar_where(struct symvar_scope *sc);

/*
 * dv: calls fn for the parameters (in order) and then the locals (outer
 * blocks first) visible at pc.  Returns how many, or -1 (error slot set)
 * when pc is in no function with debug information.
 */
typedef void (*symvar_local_fn)(void *user, const char *name, int is_param, const struct cx_sym *sym);
int symvar_locals(struct symvar_scope *sc, symvar_local_fn fn, void *user);

/* A location that reads a pseudo-register through symvar_frame.pseudo. */
const void *symvar_pseudo_loc(struct cx_pool *pool, const char *name, size_t len);

/* ---- evaluation ---- */

/* One stack frame's machine state, for cx_env (user = the frame). */
struct symvar_frame {
	int is32;
	struct regs regs;
	uint32_t valid;		/* bit n: DWARF register n is known in this frame */
	int have_regs;
	/* Frame 0: registers fetched on first use (NULL when have_regs is set). */
	int (*fetch_regs)(void *user, struct regs *r);
	/* 0 when all n bytes were read, -1 otherwise. */
	int (*mem)(void *user, uint64_t addr, void *buf, size_t n);
	/* "$t0" (no '@'): 0 and *v, or -1 with the error slot set. */
	int (*pseudo)(void *user, const char *name, uint64_t *v);
	/* @@masm(text) in a C expression: 0 and *v, or -1 (error slot set); may be NULL. */
	int (*masm)(void *user, const char *text, uint64_t *v);
	void *user;
};

/* Every register of the innermost frame (sym_frame.valid of frame 0). */
#define SYMVAR_ALL_REGS SYM_ALL_REGS

int symvar_load(void *frame, const void *loc, const struct cx_type *type, struct cx_value *out);
/* The DWARF register a location is wholly in (dv /v shows "@rbx"), or -1:
 * in memory, computed, split into pieces, or not available. */
int symvar_loc_register(const void *loc);
int symvar_mem(void *frame, uint64_t addr, void *buf, size_t n);
/* A cx_env over frame. */
void symvar_cx_env(struct symvar_frame *frame, struct cx_env *out);

#endif
