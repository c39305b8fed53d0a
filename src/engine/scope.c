/*
 * scope.c — frame scopes (scope.h): which registers a frame has and which
 * names are visible at its pc.  A frame above 0 is looked up at its return
 * address minus 1, inside the call, so the scope is the caller's at the
 * call and not whatever follows it.
 */
#include "engine/scope.h"

#include <stdlib.h>
#include <string.h>

#include "engine/cond.h"

static int fs_pseudo(void *user, const char *name, uint64_t *v)
{
	struct frame_scope *x = user;
	return cond_pseudo_value(x->s, name, v);
}

static int fs_mem(void *user, uint64_t addr, void *buf, size_t n)
{
	struct frame_scope *x = user;
	return session_read(x->s, addr, buf, n) == (int)n ? 0 : -1;
}

static void frame_init(struct session *s, struct frame_scope *x)
{
	memset(x, 0, sizeof(*x));
	x->s = s;
	x->fr.is32 = session_is32(s);
	x->fr.mem = fs_mem;
	x->fr.pseudo = fs_pseudo;
	x->fr.user = x;
	x->fr.have_regs = 1;
}

/* The scope at x->pc and the environments over it. */
static void open_names(struct frame_scope *x)
{
	uint64_t lookup = x->frame == 0 ? x->pc : x->pc - 1;
	x->pool = cx_pool_new();
	x->sc = symvar_scope_new(x->s->sym, lookup, x->fr.is32, x->pool);
	x->names = (struct cond_names){ x->s, x->sc, x->pool };
	cond_names_scope(&x->names, &x->cxs);
	symvar_cx_env(&x->fr, &x->env);
}

int session_scope_open_frame(struct session *s, const struct sym_frame *f, struct frame_scope *x)
{
	if (!s->sym)
		return err_set("No symbols are loaded");
	frame_init(s, x);
	x->frame = f->index;
	x->pc = f->pc;
	x->fr.regs = f->regs;
	x->fr.valid = f->valid;
	open_names(x);
	return 0;
}

int session_scope_open(struct session *s, int frame, struct frame_scope *x)
{
	if (!s->sym)
		return err_set("No symbols are loaded");
	if (frame > 0) {
		struct sym_frame *f = xcalloc((size_t)frame + 1, sizeof(*f));
		int n = session_frames(s, 0, f, frame + 1, SYM_UNWIND_REGS);
		int rc = n > frame ? session_scope_open_frame(s, &f[frame], x)
				   : err_set("Cannot find frame %d", frame);
		free(f);
		return rc;
	}
	struct regs r0;
	if (session_get_regs(s, 0, &r0) < 0)
		return -1;
	frame_init(s, x);
	x->fr.regs = r0;
	x->fr.valid = SYMVAR_ALL_REGS;
	x->pc = r0.r[REG_RIP];
	open_names(x);
	return 0;
}

void session_scope_close(struct frame_scope *x)
{
	symvar_scope_free(x->sc);
	cx_pool_free(x->pool);
	x->sc = NULL;
	x->pool = NULL;
}
