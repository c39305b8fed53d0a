/*
 * dap_stop.c — running the program for the editor and telling it what
 * happened: `stopped` with the reason DAP names (entry, breakpoint with
 * hitBreakpointIds, data breakpoint, step, pause, exception with the
 * signal's description), `continued` for a resume the editor did not ask
 * for (a REPL command), and at the end `exited` then `terminated`.
 *
 * Run control is the engine's (exec_run, exec_continue, step_run with
 * STEP_BY_LINE for line granularity, as p and t under l+t); a logpoint hit
 * prints its message and carries on in the mode that reached it (gc), so a
 * logpoint inside a `next` does not end the step.
 *
 * Invariant: every stop the editor hears of comes after dr7's own lines
 * for it (console output) and after the breakpoint events it caused.
 */
#include "front/dap.h"

#include <stdlib.h>
#include <string.h>

#include "cmd/evtext.h"
#include "engine/step.h"

/* Whether every breakpoint of a hit is a logpoint: then it does not stop. */
static int only_logpoints(const struct stop_report *rep)
{
	if (rep->kind != REP_BREAKPOINT || rep->nhits == 0)
		return 0;
	for (int i = 0; i < rep->nhits; i++) {
		struct dap_bp *db = dap_bp_find(rep->hit_ids[i]);
		if (!db || !db->log_message)
			return 0;
	}
	return 1;
}

static const char *hit_reason(const struct stop_report *rep)
{
	for (int i = 0; i < rep->nhits; i++) {
		struct bp *b = bp_find(&dap->s->bps, rep->hit_ids[i]);
		if (b && b->kind == BP_HARDWARE && b->type != POINT_HW_EXEC)
			return "data breakpoint";
	}
	struct dap_bp *db = rep->nhits ? dap_bp_find(rep->hit_ids[0]) : NULL;
	if (db && db->origin == DAPBP_FUNCTION)
		return "function breakpoint";
	if (db && db->origin == DAPBP_INSTRUCTION)
		return "instruction breakpoint";
	return "breakpoint";
}

static int end_code(const struct stop_report *rep)
{
	return rep->term_signal ? 128 + rep->term_signal : rep->exit_code;
}

void dap_report_stop(const struct stop_report *rep, int entry)
{
	struct session *s = dap->s;
	if (rep->kind == REP_GONE || !session_has_process(s)) {
		/* The process is gone (an interrupt that came as it exited): the
		 * editor hears of the end, never of a stop of a dead process. */
		if (session_has_process(s))
			session_end(s);
		dap_report_end(end_code(rep));
		return;
	}
	dap_console_flush();
	dap_bp_announce_changes();
	dap_vars_reset();
	json_t *b = json_object();
	const char *reason = "pause";
	struct sbuf desc = { 0 };
	switch (rep->kind) {
	case REP_INITIAL:
		reason = "entry";
		break;
	case REP_BREAKIN:
		reason = entry ? "entry" : "pause";
		break;
	case REP_BREAKPOINT: {
		reason = hit_reason(rep);
		json_t *ids = json_array();
		for (int i = 0; i < rep->nhits; i++)
			json_array_append_new(ids, json_integer(rep->hit_ids[i]));
		json_object_set_new(b, "hitBreakpointIds", ids);
		break;
	}
	case REP_STEP:
		reason = "step";
		break;
	case REP_SIGNAL:
		reason = "exception";
		evtext_exception(&desc, rep->signo, rep->second_chance);
		json_object_set_new(b, "text", dap_text(evtext_signal_meaning(rep->signo)));
		break;
	case REP_TRAP:
		reason = "exception";
		evtext_exception_title(&desc, 0);
		break;
	case REP_EXIT:
		evtext_process_end(&desc, rep->exit_code, rep->term_signal);
		break;
	case REP_EVENT:
		evtext_stop(&desc, s, rep);
		break;
	case REP_NONE:
	case REP_GONE:
		break;
	}
	if (entry)
		reason = "entry";
	json_object_set_new(b, "reason", dap_text(reason));
	if (desc.len)
		json_object_set_new(b, "description", dap_text(sb_str(&desc)));
	sb_free(&desc);
	pid_t tid = rep->tid && s->tgt && target_thread_by_tid(s->tgt, rep->tid) ? rep->tid : s->cur_tid;
	json_object_set_new(b, "threadId", json_integer(tid));
	json_object_set_new(b, "allThreadsStopped", json_true());
	dap_event("stopped", b);
}

void dap_report_end(int exit_code)
{
	if (dap->ended)
		return;
	dap->ended = 1;
	dap_console_flush();
	dap_program_drain();
	dap_bp_announce_changes();
	json_t *b = json_object();
	json_object_set_new(b, "exitCode", json_integer(exit_code));
	dap_event("exited", b);
	dap_event("terminated", NULL);
}

/* After a stop: the process may be gone; REP_GONE ends the session's process. */
static void process_gone(const struct stop_report *rep)
{
	session_end(dap->s);
	dap_report_end(end_code(rep));
}

void dap_run(enum dap_run how, int by_instruction, pid_t tid)
{
	struct session *s = dap->s;
	if (tid && s->tgt && target_thread_by_tid(s->tgt, tid))
		s->cur_tid = tid;
	dap_vars_reset();
	struct stop_report rep;
	int resume = 0;	/* carry on in the mode that reached a logpoint */
	for (;;) {
		int rc;
		dap->running = 1;
		dap->program_running = 1;
		if (resume) {
			rc = exec_continue(s, &rep);
		} else {
			switch (how) {
			case DAPRUN_CONTINUE:
				rc = exec_run(s, RUN_GO, SIG_DEFAULT, &rep);
				break;
			case DAPRUN_NEXT:
				rc = step_run(s, RUN_STEP_OVER, by_instruction ? 0 : STEP_BY_LINE, SIG_DEFAULT, &rep);
				break;
			case DAPRUN_STEP_IN:
				rc = step_run(s, RUN_STEP_INTO, by_instruction ? 0 : STEP_BY_LINE, SIG_DEFAULT, &rep);
				break;
			default:
				rc = exec_run(s, RUN_GO_UP, SIG_DEFAULT, &rep);
				break;
			}
		}
		dap->program_running = 0;
		dap->running = 0;
		if (rc < 0) {
			char msg[600];
			snprintf(msg, sizeof(msg), "%s\n", err_get());
			dap_output("console", msg, strlen(msg));
			if (!session_has_process(s)) {
				dap_report_end(-1);
				return;
			}
			rep = s->last;
			break;
		}
		if (rep.kind == REP_GONE) {
			process_gone(&rep);
			return;
		}
		if (only_logpoints(&rep)) {
			for (int i = 0; i < rep.nhits; i++) {
				struct dap_bp *db = dap_bp_find(rep.hit_ids[i]);
				dap_log_message(&db->log_cache, db->log_message, rep.tid);
			}
			session_bp_retire_oneshots(s, rep.hit_ids, rep.nhits);
			resume = 1;
			continue;
		}
		if (rep.brk != FILTER_BREAK && rep.kind != REP_BREAKPOINT) {
			/* An event filter stopped only for its command strings, which the
			 * REPL's sx commands would run: here the program goes on. */
			resume = 1;
			continue;
		}
		break;
	}
	dap_report_stop(&rep, 0);
}

static void continued(void)
{
	struct session *s = dap->s;
	json_t *b = json_object();
	json_object_set_new(b, "threadId", json_integer(s->last.tid ? s->last.tid : s->cur_tid));
	json_object_set_new(b, "allThreadsContinued", json_true());
	dap_event("continued", b);
}

void dap_after_command(const struct timespec *before, int had_process)
{
	struct session *s = dap->s;
	if (dap->c.quit) {
		/* q, qq, qd: the process goes as at the end of a command-line session. */
		dap->c.quit = 0;
		session_end(s);
	}
	int ran = s->last.when.tv_sec != before->tv_sec || s->last.when.tv_nsec != before->tv_nsec;
	if (had_process && !session_has_process(s)) {
		if (ran)
			continued();
		dap_report_end(s->last.kind == REP_GONE ? end_code(&s->last) : 0);
		return;
	}
	if (session_has_process(s) && ran) {
		/* The command ran the program (g, p, t...) or started it again (.restart). */
		dap_vars_reset();
		continued();
		dap->ended = 0;
		dap_report_stop(&s->last, 0);
		return;
	}
	dap_bp_announce_changes();
}
