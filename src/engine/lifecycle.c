/*
 * lifecycle.c — a session's life: creating and freeing it, launching or
 * attaching through the backend the front end chose, and the ends of a
 * process (detach, kill, end, restart).
 *
 * Invariant: whatever way a process ends, every point of ours is out of
 * it first (target_remove_all / target_detach), the breakpoint table is
 * marked disarmed, and s->tgt and s->sym are gone with it.
 */
#include "engine/session.h"

#include <stdlib.h>
#include <string.h>

struct session *session_new(void)
{
	struct session *s = xcalloc(1, sizeof(*s));
	s->radix = 16;
	s->disable_aslr = 1;	/* stable addresses across runs, as gdb does */
	s->bps.free_cond = cond_free;
	s->cond_eval = cond_eval;
	s->cxx_eval = session_eval_cxx;
	filters_reset(&s->filters);
	return s;
}

void session_free(struct session *s)
{
	if (!s)
		return;
	for (int i = 0; i < s->bps.n; i++)
		bp_free(&s->bps, s->bps.v[i]);
	free(s->bps.v);
	filters_free(&s->filters);
	free(s->launch_io.cwd);
	if (s->launch_io.envp) {
		for (char **e = s->launch_io.envp; *e; e++)
			free(*e);
		free(s->launch_io.envp);
	}
	if (s->sym)
		sym_close(s->sym);
	target_destroy(s->tgt);
	if (s->argv) {
		for (char **a = s->argv; *a; a++)
			free(*a);
		free(s->argv);
	}
	free(s);
}


/* ct/et at "output" are told here; at "break" run control reports the stop instead. */
static void thread_hook(void *user, const struct target_thread *th, int created)
{
	struct session *s = user;
	const struct filter *f = &s->filters.ev[created ? FEV_CREATE_THREAD : FEV_EXIT_THREAD];
	struct engine_event ev = { .kind = created ? EV_THREAD_CREATED : EV_THREAD_EXITED,
				   .pid = s->tgt ? s->tgt->pid : 0, .tid = th->tid,
				   .thread_index = th->index, .notify = f->brk == FILTER_OUTPUT };
	session_emit(s, &ev);
}


int session_launch(struct session *s, char **argv, struct stop_report *rep)
{
	struct launch_opts o = { .argv = argv, .disable_aslr = s->disable_aslr,
				 .redirect = s->launch_io.redirect, .cwd = s->launch_io.cwd,
				 .envp = s->launch_io.envp };
	memcpy(o.stdio, s->launch_io.stdio, sizeof(o.stdio));
	if (s->argv != argv) {
		int n = 0;
		while (argv[n])
			n++;
		char **copy = xcalloc((size_t)n + 1, sizeof(char *));
		for (int i = 0; i < n; i++)
			copy[i] = xstrdup(argv[i]);
		if (s->argv) {
			for (char **a = s->argv; *a; a++)
				free(*a);
			free(s->argv);
		}
		s->argv = copy;
		o.argv = copy;
	}
	if (!s->backend)
		return err_set("No debugging backend");
	s->tgt = s->backend->launch(&o);
	if (!s->tgt)
		return -1;
	target_set_thread_hook(s->tgt, thread_hook, s);
	s->cur_tid = s->tgt->pid;
	return exec_start(s, rep);
}

int session_attach(struct session *s, pid_t pid, struct stop_report *rep)
{
	if (!s->backend)
		return err_set("No debugging backend");
	s->tgt = s->backend->attach(pid);
	if (!s->tgt)
		return -1;
	target_set_thread_hook(s->tgt, thread_hook, s);
	s->cur_tid = pid;
	return exec_start(s, rep);
}

int session_detach(struct session *s)
{
	if (!session_has_process(s))
		return err_set("No process is being debugged");
	int sig = s->signal_pending ? s->last.signo : 0;
	int rc = target_detach(s->tgt, sig);
	bp_forget_target(&s->bps);
	return rc;
}

void session_end(struct session *s)
{
	if (!s->tgt)
		return;
	if (!s->tgt->exited) {
		if (s->tgt->attached)
			target_detach(s->tgt, 0);
		else {
			/* Leave no int3 behind even in a dying process's fork children. */
			target_remove_all(s->tgt);
			target_kill(s->tgt);
		}
	}
	bp_forget_target(&s->bps);
	target_destroy(s->tgt);
	s->tgt = NULL;
	if (s->sym) {
		sym_close(s->sym);
		s->sym = NULL;
	}
}

int session_kill(struct session *s)
{
	if (!session_has_process(s))
		return err_set("No process is being debugged");
	target_remove_all(s->tgt);
	target_kill(s->tgt);
	session_end(s);
	return 0;
}

int session_restart(struct session *s, struct stop_report *rep)
{
	if (!s->argv || (s->tgt && s->tgt->attached))
		return err_set(".restart works only for a program dr7 started");
	if (s->tgt) {
		if (!s->tgt->exited) {
			target_remove_all(s->tgt);
			target_kill(s->tgt);
		}
		session_end(s);
	}
	memset(&s->last, 0, sizeof(s->last));
	int no_initial = s->no_initial_break;
	s->no_initial_break = 0;	/* .restart breaks in at once */
	int rc = session_launch(s, s->argv, rep);
	s->no_initial_break = no_initial;
	return rc;
}

