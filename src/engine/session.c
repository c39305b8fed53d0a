/*
 * session.c — the session object's basic services: whether there is a
 * process, its registers and memory (breakpoint bytes hidden), events to
 * the listener, and the evaluation context of MASM expressions (registers
 * of the current thread, pseudo-registers, memory, symbols).
 *
 * Invariant: s->tgt is NULL or a live (or just-exited) process; every
 * breakpoint's armed flag matches what is really in that process.
 */
#include "engine/session.h"

#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>


void session_emit(struct session *s, const struct engine_event *ev)
{
	if (s->listener)
		s->listener(s->listener_user, ev);
}

void session_emit_bp(struct session *s, enum engine_event_kind kind, int bp_id,
		     enum bp_removal removal, const char *message)
{
	struct engine_event ev = { .kind = kind, .bp_id = bp_id, .removal = removal, .message = message };
	session_emit(s, &ev);
}

int session_filter_change(struct session *s, struct filter_key key, const struct filter_change *ch)
{
	return filter_apply(&s->filters, key, ch);
}

const struct filter *session_filter_of_stop(struct session *s, const struct stop_report *rep)
{
	switch (rep->kind) {
	case REP_SIGNAL:
		return filter_for_signal(&s->filters, rep->signo);
	case REP_TRAP:
		return &s->filters.ev[FEV_BREAK_INSTRUCTION];
	case REP_EVENT:
		return &s->filters.ev[rep->event];
	case REP_EXIT:
		return &s->filters.ev[FEV_EXIT_PROCESS];
	default:
		return NULL;
	}
}


int session_has_process(struct session *s)
{
	return s->tgt && !s->tgt->exited;
}

int session_require_process(struct session *s)
{
	if (!session_has_process(s))
		return err_set("No process is being debugged");
	return 0;
}

int session_is32(struct session *s)
{
	return s->tgt ? s->tgt->is32 : 0;
}

int session_read(struct session *s, uint64_t addr, void *buf, size_t n)
{
	if (session_require_process(s) < 0)
		return -1;
	return target_read(s->tgt, addr, buf, n);
}

int session_get_regs(struct session *s, pid_t tid, struct regs *r)
{
	if (session_require_process(s) < 0)
		return -1;
	return target_get_regs(s->tgt, tid ? tid : s->cur_tid, r);
}

int session_set_regs(struct session *s, pid_t tid, const struct regs *r)
{
	if (session_require_process(s) < 0)
		return -1;
	return target_set_regs(s->tgt, tid ? tid : s->cur_tid, r);
}

int session_describe(struct session *s, uint64_t addr, struct sbuf *out)
{
	if (!s->sym)
		return -1;
	return sym_describe(s->sym, addr, out);
}
