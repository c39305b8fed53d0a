/*
 * cond.h — the session's bridge between C expressions and the program:
 * plain names resolve to variables of a DWARF scope, $-names to the MASM
 * evaluator's pseudo-registers.  Serves /w conditions (cond.c) and the
 * ?? / dv / dt commands alike.
 */
#ifndef DR7_COND_H
#define DR7_COND_H

#include <stddef.h>
#include <stdint.h>

#include "expr/cexpr.h"
#include "engine/session.h"
#include "sym/symvar.h"

int cond_pseudo_value(struct session *s, const char *name, uint64_t *v);
/* cexpr's name callback: 0 bound, 1 unknown, -1 error (slot set). */
int cond_bind_name(struct session *s, struct symvar_scope *sc, struct cx_pool *pool, const char *name,
		   size_t len, int is_reg, struct cx_sym *out);

/* The names of a DWARF scope as a cexpr compile-time scope (cond_bind_name,
 * symvar_type); n must outlive out. */
struct cond_names {
	struct session *s;
	struct symvar_scope *sc;
	struct cx_pool *pool;
};
void cond_names_scope(struct cond_names *n, struct cx_scope *out);

#endif
