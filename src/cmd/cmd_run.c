/*
 * cmd_run.c — execution control: g gc gh gn gN p t pt tt pc tc pct tct ph
 * th pa ta gu, the stepping option l+t/l-t, and the end of a
 * session: q qq qd .detach .kill .restart (windbg-commands.md §6, §6.5).
 * These commands post run requests (cmd.h) instead of running the program
 * themselves, so that a resuming command inside a breakpoint's command
 * string ends that string, as WinDbg does.
 */
#include "cmd/cmd.h"

#include <string.h>

#include "engine/step.h"

static enum sig_disposition disposition_of(const struct cmd_def *d)
{
	return d->arg;
}

static int cmd_g(struct cmd_ctx *c, const struct cmd_def *d, const char *args,
		 const struct thread_sel *sel, int id)
{
	const char *p = skip_ws(args);
	/* WinDbg: "If the debugger is stopped at a breakpoint, gn will not work";
	 * gN says it means it (at dr7's own breakpoint nothing is pending: it is g). */
	if (!strcmp(d->name, "gn") && c->s->last.kind == REP_BREAKPOINT)
		return cmd_error(c, "gn does not continue from a breakpoint; use gN (capital N)");
	if (!*p) {
		cmd_post_run(c, RUNREQ_RUN, RUN_GO, disposition_of(d), 0);
		return 0;
	}
	/* g BreakAddress: one temporary stop, in any thread. */
	uint64_t addr;
	if (cmd_expr(c, &p, &addr) < 0)
		return -1;
	if (*skip_ws(p))
		return cmd_error(c, "not supported: g with several break addresses or = StartAddress");
	struct stop_report rep;
	if (exec_run_to(c->s, addr, disposition_of(d), &rep) < 0)
		return cmd_fail(c);
	cmd_show_stop(c, &rep);
	if (rep.kind == REP_GONE) {
		session_end(c->s);
		c->quit = 1;
	}
	return 0;
}

static int cmd_gc(struct cmd_ctx *c, const struct cmd_def *d, const char *args,
		  const struct thread_sel *sel, int id)
{
	cmd_post_run(c, RUNREQ_GC, RUN_GO, SIG_DEFAULT, 0);
	return 0;
}

/* p t pt tt pc tc pct tct ph th: [= StartAddress] [Count]; l+t makes them source-mode. */
static int cmd_step(struct cmd_ctx *c, const struct cmd_def *d, const char *args,
		    const struct thread_sel *sel, int id)
{
	const char *p = args;
	int have_start;
	uint64_t start, count = 1;
	if (cmd_start_address(c, &p, &have_start, &start) < 0)
		return -1;
	p = skip_ws(p);
	if (*p == '"')
		return cmd_error(c, "not supported: a command string after %s", d->name);
	if (*p) {
		if (cmd_expr(c, &p, &count) < 0)
			return -1;
		if (*skip_ws(p))
			return cmd_extra_chars(c);
		if (count == 0 || count > 1000000)
			return cmd_error(c, "Step count must be between 1 and 1000000");
	}
	if (sel && sel->kind == TSEL_ONE)
		c->s->cur_tid = sel->tid;
	if (have_start && cmd_set_pc(c, start) < 0)
		return -1;
	cmd_post_run(c, RUNREQ_RUN, (enum run_mode)d->arg, SIG_DEFAULT, (unsigned)count);
	if (cmd_source_steps_by_line(c))
		c->run.step_flags = STEP_BY_LINE;
	return 0;
}

/* pa ta: [= StartAddress] StopAddress; every step is shown, as p or t would show it. */
static int cmd_step_to(struct cmd_ctx *c, const struct cmd_def *d, const char *args,
		       const struct thread_sel *sel, int id)
{
	const char *p = args;
	int have_start;
	uint64_t start, stop;
	if (cmd_start_address(c, &p, &have_start, &start) < 0)
		return -1;
	p = skip_ws(p);
	if (!*p)
		return cmd_error(c, "Syntax error: %s needs a StopAddress", d->name);
	if (cmd_expr(c, &p, &stop) < 0)
		return -1;
	p = skip_ws(p);
	if (*p == '"')
		return cmd_error(c, "not supported: a command string after %s", d->name);
	if (*p)
		return cmd_extra_chars(c);
	if (sel && sel->kind == TSEL_ONE)
		c->s->cur_tid = sel->tid;
	if (have_start && cmd_set_pc(c, start) < 0)
		return -1;
	cmd_post_run(c, RUNREQ_RUN, (enum run_mode)d->arg, SIG_DEFAULT, 0);
	c->run.step_flags = STEP_CHECKED;
	c->run.until_set = 1;
	c->run.until = stop;
	return 0;
}

/* gu: runs until the current function returns to its caller. */
static int cmd_gu(struct cmd_ctx *c, const struct cmd_def *d, const char *args,
		  const struct thread_sel *sel, int id)
{
	cmd_post_run(c, RUNREQ_RUN, RUN_GO_UP, SIG_DEFAULT, 0);
	return 0;
}

static int cmd_q(struct cmd_ctx *c, const struct cmd_def *d, const char *args,
		 const struct thread_sel *sel, int id)
{
	if (d->arg && session_has_process(c->s)) {
		/* qd: leave the program running, clean, as .detach does. */
		c->s->signal_pending = 0;
		if (session_detach(c->s) < 0)
			cmd_fail(c);
		else
			cmd_print(c, "Detached\n");
	}
	session_end(c->s);
	c->quit = 1;
	return 0;
}

static int cmd_detach(struct cmd_ctx *c, const struct cmd_def *d, const char *args,
		      const struct thread_sel *sel, int id)
{
	const char *p = skip_ws(args);
	int deliver = 0;
	if (!strncmp(p, "/n", 2)) {
		deliver = 1;
		p += 2;
	} else if (!strncmp(p, "/h", 2)) {
		p += 2;
	}
	if (*skip_ws(p))
		return cmd_extra_chars(c);
	if (!deliver)
		c->s->signal_pending = 0;
	if (session_detach(c->s) < 0)
		return cmd_fail(c);
	cmd_print(c, "Detached\n");
	session_end(c->s);
	c->quit = 1;
	return 0;
}

static int cmd_kill(struct cmd_ctx *c, const struct cmd_def *d, const char *args,
		    const struct thread_sel *sel, int id)
{
	if (session_kill(c->s) < 0)
		return cmd_fail(c);
	/* The session stays: .restart starts the program again, q quits. */
	cmd_print(c, "Terminated.  Exit thread and process events will occur.\n");
	return 0;
}

static int cmd_restart(struct cmd_ctx *c, const struct cmd_def *d, const char *args,
		       const struct thread_sel *sel, int id)
{
	struct session *s = c->s;
	if (c->depth > 0)
		return cmd_error(c, ".restart is not allowed in a command string or script");
	struct stop_report rep;
	if (session_restart(s, &rep) < 0)
		return cmd_fail(c);
	cmd_show_stop(c, &rep);
	return 0;
}

/*
 * .apply_dbp: on Windows it copies the data breakpoints into a CONTEXT
 * record.  Linux has no such record; dr7 gives it the nearest meaning:
 * load the processor breakpoints into the debug registers of the current
 * (or ~N) thread again, e.g. after something else overwrote them.
 */
static int cmd_apply_dbp(struct cmd_ctx *c, const struct cmd_def *d, const char *args,
			 const struct thread_sel *sel, int id)
{
	if (*skip_ws(args))
		return cmd_error(c, "not supported: .apply_dbp /m Context (Linux has no CONTEXT record)");
	struct target_thread *th = cmd_thread_of(c, sel);
	if (!th)
		return cmd_error(c, "Illegal thread error");
	if (target_refresh_thread(c->s->tgt, th->tid) < 0)
		return cmd_fail(c);
	cmd_print(c, "Applied processor breakpoints to thread %d (%x)\n", th->index, (unsigned)th->tid);
	return 0;
}

const struct cmd_def cmd_run_table[] = {
	{ "g", cmd_g, CMD_NEED_PROCESS, SIG_DEFAULT, ARGS_ANY, "g [BreakAddress]",
	  "Resume, passing a pending signal on; BreakAddress: stop there" },
	{ "gh", cmd_g, CMD_NEED_PROCESS, SIG_HANDLED, ARGS_ANY, "gh [BreakAddress]",
	  "Resume, suppressing the signal that stopped the program" },
	{ "gn", cmd_g, CMD_NEED_PROCESS, SIG_NOT_HANDLED, ARGS_ANY, "gn [BreakAddress]",
	  "Resume, delivering the signal that stopped the program" },
	{ "gN", cmd_g, CMD_NEED_PROCESS | CMD_CASE, SIG_NOT_HANDLED, ARGS_ANY, "gN [BreakAddress]",
	  "Resume, delivering the signal that stopped the program (as gn)" },
	{ "gc", cmd_gc, CMD_NEED_PROCESS, 0, ARGS_NONE, "gc",
	  "Resume in the mode that reached the breakpoint (go or step)" },
	{ "p", cmd_step, CMD_NEED_PROCESS | CMD_REPEAT | CMD_THREADS, RUN_STEP_OVER, ARGS_ANY,
	  "p [= StartAddress] [Count]", "Step an instruction or source line (or Count), over calls" },
	{ "t", cmd_step, CMD_NEED_PROCESS | CMD_REPEAT | CMD_THREADS, RUN_STEP_INTO, ARGS_ANY,
	  "t [= StartAddress] [Count]", "Step an instruction or source line (or Count), into calls" },
	{ "pt", cmd_step, CMD_NEED_PROCESS | CMD_REPEAT | CMD_THREADS, RUN_TO_RETURN, ARGS_ANY,
	  "pt [= StartAddress] [Count]", "Step (over calls) to the next return instruction" },
	{ "tt", cmd_step, CMD_NEED_PROCESS | CMD_REPEAT | CMD_THREADS, RUN_TRACE_TO_RETURN, ARGS_ANY,
	  "tt [= StartAddress] [Count]", "Trace (into calls) to the next return instruction" },
	{ "pc", cmd_step, CMD_NEED_PROCESS | CMD_REPEAT | CMD_THREADS, RUN_STEP_TO_CALL, ARGS_ANY,
	  "pc [= StartAddress] [Count]", "Step (over calls) to the next call instruction" },
	{ "tc", cmd_step, CMD_NEED_PROCESS | CMD_REPEAT | CMD_THREADS, RUN_TRACE_TO_CALL, ARGS_ANY,
	  "tc [= StartAddress] [Count]", "Trace (into calls) to the next call instruction" },
	{ "pct", cmd_step, CMD_NEED_PROCESS | CMD_REPEAT | CMD_THREADS, RUN_STEP_TO_CALL_OR_RETURN, ARGS_ANY,
	  "pct [= StartAddress] [Count]", "Step (over calls) to the next call or return instruction" },
	{ "tct", cmd_step, CMD_NEED_PROCESS | CMD_REPEAT | CMD_THREADS, RUN_TRACE_TO_CALL_OR_RETURN, ARGS_ANY,
	  "tct [= StartAddress] [Count]", "Trace (into calls) to the next call or return instruction" },
	{ "ph", cmd_step, CMD_NEED_PROCESS | CMD_REPEAT | CMD_THREADS, RUN_STEP_TO_BRANCH, ARGS_ANY,
	  "ph [= StartAddress] [Count]", "Step (over calls) to the next branching instruction" },
	{ "th", cmd_step, CMD_NEED_PROCESS | CMD_REPEAT | CMD_THREADS, RUN_TRACE_TO_BRANCH, ARGS_ANY,
	  "th [= StartAddress] [Count]", "Trace (into calls) to the next branching instruction" },
	{ "pa", cmd_step_to, CMD_NEED_PROCESS | CMD_THREADS, RUN_STEP_OVER, ARGS_NEEDED,
	  "pa [= StartAddress] StopAddress", "Step (over calls) until StopAddress, showing every step" },
	{ "ta", cmd_step_to, CMD_NEED_PROCESS | CMD_THREADS, RUN_STEP_INTO, ARGS_NEEDED,
	  "ta [= StartAddress] StopAddress", "Trace (into calls) until StopAddress, showing every step" },
	{ "gu", cmd_gu, CMD_NEED_PROCESS, 0, ARGS_NONE, "gu", "Run until the current function returns" },
	{ "q", cmd_q, 0, 0, ARGS_NONE, "q", "Quit: kill a program dr7 started, detach from an attached one" },
	{ "qq", cmd_q, 0, 0, ARGS_NONE, "qq", "Quit (as q)" },
	{ "qd", cmd_q, 0, 1, ARGS_NONE, "qd", "Quit and detach, leaving the program running" },
	{ ".detach", cmd_detach, CMD_NEED_PROCESS, 0, ARGS_ANY, ".detach [/h | /n]",
	  "Detach, leaving the program running; /n delivers its signal" },
	{ ".kill", cmd_kill, CMD_NEED_PROCESS, 0, ARGS_NONE, ".kill", "Kill the program" },
	{ ".restart", cmd_restart, 0, 0, ARGS_NONE, ".restart",
	  "Start the program again: same arguments, same breakpoints" },
	{ ".apply_dbp", cmd_apply_dbp, CMD_NEED_PROCESS | CMD_THREADS, 0, ARGS_ANY, ".apply_dbp",
	  "Load the processor breakpoints into the thread's DR0-DR7 again" },
	{ NULL, NULL, 0, 0, ARGS_ANY, NULL, NULL },
};
