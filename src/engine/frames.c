/*
 * frames.c — stacks of the process's threads for everything that needs
 * them (k, .frame, gu, /c and /C, kp, dv): one unwinder (sym_unwind) fed
 * with the thread's registers and the target's memory, breakpoint bytes
 * hidden.
 */
#include "engine/session.h"

#include <stdlib.h>

struct frame_array {
	struct sym_frame *f;
	int n;
	int max;
};

static int collect_frame(void *user, const struct sym_frame *f)
{
	struct frame_array *a = user;
	if (a->n < a->max)
		a->f[a->n++] = *f;
	return a->n >= a->max;
}

static int count_frame(void *user, const struct sym_frame *f)
{
	(void)f;
	(*(int *)user)++;
	return 0;
}

int session_unwind(struct session *s, pid_t tid, int max, unsigned flags, sym_frame_fn fn, void *user)
{
	struct regs r;
	if (session_require_process(s) < 0 || !s->sym)
		return -1;
	if (target_get_regs(s->tgt, tid ? tid : s->cur_tid, &r) < 0)
		return -1;
	return sym_unwind(s->sym, &r, s->tgt->is32, max, flags, fn, user);
}

int session_frames(struct session *s, pid_t tid, struct sym_frame *out, int max, unsigned flags)
{
	struct frame_array a = { .f = out, .max = max };
	if (session_unwind(s, tid, max, flags, collect_frame, &a) < 0 && a.n == 0)
		return -1;
	return a.n;
}

int session_frame_pc(struct session *s, pid_t tid, int index, uint64_t *pc)
{
	struct sym_frame *f = xcalloc((size_t)index + 1, sizeof(*f));
	int n = session_frames(s, tid, f, index + 1, 0);
	if (n > index)
		*pc = f[index].pc;
	free(f);
	return n > index ? 0 : err_set("Cannot find frame %d", index);
}

int session_return_address(struct session *s, pid_t tid, uint64_t *ra)
{
	if (session_frame_pc(s, tid, 1, ra) < 0)
		return err_set("Cannot find the return address of the current function");
	return 0;
}

int session_stack_depth(struct session *s, pid_t tid)
{
	int n = 0;
	if (session_unwind(s, tid, 4096, 0, count_frame, &n) < 0)
		return -1;
	return n;
}

