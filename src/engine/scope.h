/*
 * scope.h — the C-expression view of one stack frame of the current
 * thread, for `??`, `dt`, `dv`, `kp` and `.frame`: the frame's registers
 * (the thread's own for frame 0, those the unwinder behind `k` restored for
 * the others), a DWARF scope at its pc, and the cexpr environments over
 * them (names through cond_bind_name, memory with int3 bytes hidden).
 *
 * Lifetime: everything compiled or evaluated through a frame_scope lives
 * in its pool and dies with session_scope_close.
 */
#ifndef DR7_SCOPE_H
#define DR7_SCOPE_H

#include <stdint.h>

#include "engine/cond.h"
#include "engine/session.h"
#include "expr/cexpr.h"
#include "sym/symvar.h"

struct frame_scope {
	struct session *s;
	int frame;		/* as k numbers it */
	uint64_t pc;		/* frames above 0: the return address */
	struct symvar_frame fr;
	struct cx_pool *pool;
	struct symvar_scope *sc;
	struct cond_names names;
	struct cx_scope cxs;	/* compile-time names and types */
	struct cx_env env;	/* evaluation: memory and variable values */
};

/* Frame `frame` of the current thread: 0, or -1 with the error slot set. */
int session_scope_open(struct session *s, int frame, struct frame_scope *x);
/* A frame the caller already unwound (with SYM_UNWIND_REGS). */
int session_scope_open_frame(struct session *s, const struct sym_frame *f, struct frame_scope *x);
void session_scope_close(struct frame_scope *x);

#endif
