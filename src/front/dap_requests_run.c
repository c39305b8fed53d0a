/*
 * dap_requests_run.c — running the program: continue, next, stepIn,
 * stepOut (granularity "instruction", or "line"/"statement": source lines
 * as p and t under l+t) and pause.
 *
 * The response comes first, then the program runs (dap_stop.c) and the
 * stop arrives as an event.  pause reaches a running program through the
 * reader thread (dap_main.c), which sets the interrupt flag run control
 * polls; when its turn in the queue comes the program has stopped already.
 */
#include "front/dap.h"

#include <string.h>

static int prepare(json_t *req, json_t *args, pid_t *tid, int *by_instruction)
{
	json_int_t t = 0;
	const char *gran = NULL;
	if (dap_arg_range(req, args, "threadId", 0, DAP_MAX_TID, &t) < 0 || dap_arg_str(req, args, "granularity", &gran) < 0)
		return -1;
	if (!session_has_process(dap->s))
		return dap_fail(req, "no program is being debugged");
	if (t && !target_thread_by_tid(dap->s->tgt, (pid_t)t))
		return dap_fail(req, "no thread %lld", (long long)t);
	if (gran && strcmp(gran, "instruction") && strcmp(gran, "line") && strcmp(gran, "statement"))
		return dap_fail(req, "granularity '%s' is not instruction, line or statement", gran);
	*tid = (pid_t)t;
	*by_instruction = gran && !strcmp(gran, "instruction");
	return 0;
}

static void run(json_t *req, json_t *args, enum dap_run how)
{
	pid_t tid;
	int by_instruction;
	if (prepare(req, args, &tid, &by_instruction) < 0)
		return;
	json_t *body = NULL;
	if (how == DAPRUN_CONTINUE) {
		body = json_object();
		json_object_set_new(body, "allThreadsContinued", json_true());
	}
	dap_respond(req, body);
	dap_run(how, by_instruction, tid);
}

static void req_continue(json_t *req, json_t *args)
{
	run(req, args, DAPRUN_CONTINUE);
}

static void req_next(json_t *req, json_t *args)
{
	run(req, args, DAPRUN_NEXT);
}

static void req_step_in(json_t *req, json_t *args)
{
	run(req, args, DAPRUN_STEP_IN);
}

static void req_step_out(json_t *req, json_t *args)
{
	run(req, args, DAPRUN_STEP_OUT);
}

static void req_pause(json_t *req, json_t *args)
{
	json_int_t t = 0;
	if (dap_arg_range(req, args, "threadId", 0, DAP_MAX_TID, &t) < 0)
		return;
	/* The interrupt did its work while the program ran (or it was stopped). */
	dap->interrupted = 0;
	dap_respond(req, NULL);
}

const struct dap_request_def dap_run_requests[] = {
	{ "continue", req_continue },
	{ "next", req_next },
	{ "stepIn", req_step_in },
	{ "stepOut", req_step_out },
	{ "pause", req_pause },
	{ NULL, NULL },
};
