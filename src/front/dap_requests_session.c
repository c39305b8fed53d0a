/*
 * dap_requests_session.c — a session's life: initialize (the capabilities,
 * only what works), launch (program, args, cwd, env, stopOnEntry), attach
 * (pid), configurationDone, restart, disconnect and terminate.
 *
 * A launched program stops at dr7's initial breakpoint (its libraries
 * mapped, nothing of theirs run yet), where the editor's configuration
 * sets the breakpoints; configurationDone then reports the entry stop
 * (stopOnEntry) or lets it run.  disconnect kills a launched program and
 * detaches from an attached one unless terminateDebuggee says otherwise;
 * detaching is `.detach`'s: every int3 out, DR7 cleared in every thread.
 */
#include "front/dap.h"

#include <stdlib.h>
#include <string.h>

extern char **environ;

static void add_cap(json_t *o, const char *name)
{
	json_object_set_new(o, name, json_true());
}

static json_t *mode(const char *name, const char *label, const char *description)
{
	json_t *m = json_object();
	json_object_set_new(m, "mode", dap_text(name));
	json_object_set_new(m, "label", dap_text(label));
	json_object_set_new(m, "description", dap_text(description));
	json_t *applies = json_array();
	json_array_append_new(applies, json_string("source"));
	json_array_append_new(applies, json_string("function"));
	json_array_append_new(applies, json_string("instruction"));
	json_object_set_new(m, "appliesTo", applies);
	return m;
}

json_t *dap_capabilities(void)
{
	json_t *c = json_object();
	static const char *const caps[] = {
		"supportsConfigurationDoneRequest", "supportsFunctionBreakpoints",
		"supportsConditionalBreakpoints", "supportsHitConditionalBreakpoints",
		"supportsEvaluateForHovers", "supportsSetVariable", "supportsRestartRequest",
		"supportsCompletionsRequest", "supportsModulesRequest", "supportsLoadedSourcesRequest",
		"supportsLogPoints", "supportsTerminateRequest", "supportTerminateDebuggee",
		"supportsDataBreakpoints", "supportsDataBreakpointBytes", "supportsReadMemoryRequest",
		"supportsWriteMemoryRequest", "supportsDisassembleRequest", "supportsSteppingGranularity",
		"supportsInstructionBreakpoints", "supportsSetExpression",
		"supportsBreakpointLocationsRequest",
	};
	for (size_t i = 0; i < sizeof(caps) / sizeof(caps[0]); i++)
		add_cap(c, caps[i]);
	json_object_set_new(c, "exceptionBreakpointFilters", dap_exception_filters());
	json_t *modes = json_array();
	json_array_append_new(modes, mode("software", "Software", "an int3 in the code (bp, bu)"));
	json_array_append_new(modes, mode("hardware", "Hardware", "a debug register (ba e1); at most four"));
	json_object_set_new(c, "breakpointModes", modes);
	json_t *trig = json_array();
	json_array_append_new(trig, json_string("!"));
	json_object_set_new(c, "completionTriggerCharacters", trig);
	return c;
}

static void req_initialize(json_t *req, json_t *args)
{
	int one = 1;
	if (dap_arg_bool(req, args, "linesStartAt1", &one) < 0)
		return;
	dap->client_lines_start_at1 = one;
	dap->initialized = 1;
	dap_respond(req, dap_capabilities());
}

/* The environment: dr7's, with env's names set (a null value removes one). */
static int make_env(json_t *req, json_t *env, char ***out)
{
	int n = 0;
	while (environ[n])
		n++;
	char **e = xcalloc((size_t)n + json_object_size(env) + 1, sizeof(char *));
	int m = 0;
	for (int i = 0; i < n; i++) {
		const char *eq = strchr(environ[i], '=');
		size_t len = eq ? (size_t)(eq - environ[i]) : strlen(environ[i]);
		char *name = xstrndup(environ[i], len);
		int replaced = json_object_get(env, name) != NULL;
		free(name);
		if (!replaced)
			e[m++] = xstrdup(environ[i]);
	}
	const char *key;
	json_t *v;
	json_object_foreach(env, key, v) {
		if (json_is_null(v))
			continue;
		if (!json_is_string(v)) {
			for (int i = 0; i < m; i++)
				free(e[i]);
			free(e);
			return dap_fail(req, "env '%s' must be a string", key);
		}
		size_t len = strlen(key) + strlen(json_string_value(v)) + 2;
		e[m] = xmalloc(len);
		snprintf(e[m++], len, "%s=%s", key, json_string_value(v));
	}
	*out = e;
	return 0;
}

static void after_start(json_t *req)
{
	dap->launched = 1;
	dap->ended = 0;
	dap->configured = 0;	/* this program's configurationDone is still to come */
	dap_respond(req, NULL);
	dap_console_flush();
	dap_event("initialized", NULL);
}

static void req_launch(json_t *req, json_t *args)
{
	struct session *s = dap->s;
	const char *program, *cwd = NULL;
	json_t *argv_json = NULL, *env = NULL;
	int stop = 0;
	if (dap->launched && session_has_process(s))
		return (void)dap_fail(req, "a program is being debugged already");
	if (dap_need_str(req, args, "program", &program) < 0 || dap_arg_str(req, args, "cwd", &cwd) < 0 ||
	    dap_arg_array(req, args, "args", &argv_json) < 0 || dap_arg_object(req, args, "env", &env) < 0 ||
	    dap_arg_bool(req, args, "stopOnEntry", &stop) < 0)
		return;
	size_t n = argv_json ? json_array_size(argv_json) : 0;
	for (size_t i = 0; i < n; i++)
		if (!json_is_string(json_array_get(argv_json, i)))
			return (void)dap_fail(req, "args[%zu] must be a string", i);
	char **envp = NULL;
	if (env && make_env(req, env, &envp) < 0)
		return;
	if (dap_program_pipes() < 0) {
		dap_fail(req, "%s", err_get());
		goto free_env;
	}
	free(s->launch_io.cwd);
	s->launch_io.cwd = cwd ? xstrdup(cwd) : NULL;
	if (s->launch_io.envp) {
		for (char **e = s->launch_io.envp; *e; e++)
			free(*e);
		free(s->launch_io.envp);
	}
	s->launch_io.envp = envp;
	envp = NULL;
	char **argv = xcalloc(n + 2, sizeof(char *));
	argv[0] = (char *)program;
	for (size_t i = 0; i < n; i++)
		argv[i + 1] = (char *)json_string_value(json_array_get(argv_json, i));
	struct stop_report rep;
	int rc = session_launch(s, argv, &rep);
	free(argv);
	if (rc < 0 || rep.kind == REP_GONE) {
		dap_console_flush();
		dap_fail(req, "cannot launch '%s': %s", program,
			 rc < 0 ? err_get() : "the program ended before its first instruction");
		session_end(s);
		return;
	}
	dap->stop_on_entry = stop;
	dap->attached = 0;
	after_start(req);
	return;
free_env:
	if (envp) {
		for (char **e = envp; *e; e++)
			free(*e);
		free(envp);
	}
}

static void req_attach(json_t *req, json_t *args)
{
	json_int_t pid;
	int stop = 0;
	if (dap->launched && session_has_process(dap->s))
		return (void)dap_fail(req, "a program is being debugged already");
	if (dap_need_range(req, args, "pid", 1, DAP_MAX_TID, &pid) < 0 || dap_arg_bool(req, args, "stopOnEntry", &stop) < 0)
		return;
	if (pid <= 0 || pid > 0x7fffffff)
		return (void)dap_fail(req, "pid %lld is not a process id", (long long)pid);
	struct stop_report rep;
	if (session_attach(dap->s, (pid_t)pid, &rep) < 0) {
		dap_fail(req, "cannot attach to %lld: %s", (long long)pid, err_get());
		session_end(dap->s);
		return;
	}
	dap->stop_on_entry = stop;
	dap->attached = 1;
	after_start(req);
}

static void req_configuration_done(json_t *req, json_t *args)
{
	(void)args;
	if (!session_has_process(dap->s))
		return (void)dap_fail(req, "no program: launch or attach first");
	if (dap->configured)
		return (void)dap_fail(req, "configurationDone came already for this program");
	dap->configured = 1;
	dap_respond(req, NULL);
	if (dap->stop_on_entry)
		dap_report_stop(&dap->s->last, 1);
	else
		dap_run(DAPRUN_CONTINUE, 0, 0);
}

static void req_restart(json_t *req, json_t *args)
{
	(void)args;
	struct session *s = dap->s;
	if (!dap->launched || dap->attached)
		return (void)dap_fail(req, "restart works only for a program dr7 launched");
	struct stop_report rep;
	if (session_restart(s, &rep) < 0 || rep.kind == REP_GONE) {
		dap_fail(req, "restart: %s", err_get());
		return;
	}
	dap->ended = 0;
	dap_respond(req, NULL);
	if (dap->stop_on_entry)
		dap_report_stop(&rep, 1);
	else
		dap_run(DAPRUN_CONTINUE, 0, 0);
}

static void req_disconnect(json_t *req, json_t *args)
{
	struct session *s = dap->s;
	int kill = !dap->attached;
	dap->interrupted = 0;	/* taken by the run it stopped, if any; never by the next */
	if (dap_arg_bool(req, args, "terminateDebuggee", &kill) < 0)
		return;
	if (session_has_process(s)) {
		if (kill) {
			session_kill(s);
		} else {
			s->signal_pending = 0;	/* as .detach: the program's own signal is not re-sent */
			if (session_detach(s) < 0) {
				dap_fail(req, "detach: %s", err_get());
				return;
			}
			session_end(s);
		}
	}
	dap_respond(req, NULL);
	dap->done = 1;	/* the session is over: dap_main leaves its loop */
}

static void req_terminate(json_t *req, json_t *args)
{
	(void)args;
	struct session *s = dap->s;
	dap->interrupted = 0;	/* taken by the run it stopped, if any; never by the next */
	if (!session_has_process(s))
		return (void)dap_fail(req, "no program is being debugged");
	int code = 128 + 9;
	session_kill(s);
	dap_respond(req, NULL);
	dap_report_end(code);
}

const struct dap_request_def dap_session_requests[] = {
	{ "initialize", req_initialize },
	{ "launch", req_launch },
	{ "attach", req_attach },
	{ "configurationDone", req_configuration_done },
	{ "restart", req_restart },
	{ "disconnect", req_disconnect },
	{ "terminate", req_terminate },
	{ NULL, NULL },
};
