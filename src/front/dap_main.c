/*
 * dap_main.c — `dr7 --dap`: the Debug Adapter Protocol server's loop.
 *
 * A reader thread takes messages off stdin (Content-Length framing),
 * parses them (jansson) and queues them; the main thread, the only one
 * that touches the engine (ptrace has one tracer), answers them in order.
 * While the program runs, a `pause`, `disconnect` or `terminate` (or the
 * end of input) sets the interrupt flag run control polls and prods the
 * main thread out of its wait with SIGUSR2, so the program stops and the
 * request is answered.  Malformed messages, unknown requests and
 * arguments of the wrong type get an error response; the session goes on.
 * After a header that names no usable length the reader looks for the
 * next "Content-Length:" (resync) instead of losing every later message.
 *
 * Whatever ends the session — disconnect, end of input, SIGTERM/SIGHUP —
 * removes every int3 and clears DR7 in every thread before the program is
 * killed (launched) or let go (attached), as the command line does.
 */
#include "front/dap.h"

#include <errno.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include "target/ptrace/ptrace.h"

#define MAX_MESSAGE (64u << 20)

static volatile sig_atomic_t terminate_asked;

static void on_prod(int sig)
{
	(void)sig;	/* only interrupts the main thread's wait */
}

static void on_terminate(int sig)
{
	(void)sig;
	terminate_asked = 1;
	dap->interrupted = 1;
}

static void push(json_t *msg)
{
	pthread_mutex_lock(&dap->q_lock);
	if (dap->qn == dap->qcap) {
		dap->qcap = dap->qcap ? dap->qcap * 2 : 16;
		dap->queue = xrealloc(dap->queue, sizeof(json_t *) * (size_t)dap->qcap);
	}
	dap->queue[dap->qn++] = msg;
	pthread_cond_signal(&dap->q_cond);
	pthread_mutex_unlock(&dap->q_lock);
}

/*
 * Stops a running program for a request that cannot wait (reader thread).
 * The flag is set before the request is queued (the main thread clears it
 * when it answers: a late one would stop the next run at once).  For the
 * end of the session (ending) every run the main thread starts until it
 * gets there is stopped too: a REPL line may run the program again.
 */
static void interrupt_run(int ending)
{
	/* The signal may land just before the main thread blocks in waitpid:
	 * prod until run control has taken the interrupt or the run ended. */
	while (dap->running && (dap->interrupted || ending)) {
		dap->interrupted = 1;
		pthread_kill(dap->main_thread, SIGUSR2);
		struct timespec ts = { 0, 2000000 };
		nanosleep(&ts, NULL);
	}
}

/* Requests that read or change the stopped program's state: while dap_run
 * runs it the reader answers them at once (they would wait for the stop). */
static int needs_stopped_program(const char *cmd)
{
	static const char *const names[] = {
		"threads", "stackTrace", "scopes", "variables", "setVariable", "setExpression",
		"evaluate", "completions", "readMemory", "writeMemory", "disassemble",
		"dataBreakpointInfo", "exceptionInfo", "goto", "gotoTargets", "stepInTargets",
	};
	for (size_t i = 0; cmd && i < sizeof(names) / sizeof(names[0]); i++)
		if (!strcmp(cmd, names[i]))
			return 1;
	return 0;
}

static int read_full(int fd, char *buf, size_t n)
{
	size_t got = 0;
	while (got < n) {
		ssize_t r = read(fd, buf + got, n - got);
		if (r < 0 && errno == EINTR)
			continue;
		if (r <= 0)
			return -1;
		got += (size_t)r;
	}
	return 0;
}

/* Length of a "Content-Length: N" line (N and spaces or tabs around it):
 * 1 and *len, or -1 when it is no number. */
static int parse_length(const char *value, unsigned long long *len)
{
	while (*value == ' ' || *value == '\t')
		value++;
	if (*value < '0' || *value > '9')
		return -1;
	char *end;
	errno = 0;
	*len = strtoull(value, &end, 10);
	while (*end == ' ' || *end == '\t')
		end++;
	return errno || *end ? -1 : 1;
}

enum header { HDR_EOF, HDR_OK, HDR_BAD, HDR_TOO_BIG };

/*
 * One header block, up to its empty line: HDR_OK with *len, HDR_EOF at the
 * end of input, HDR_BAD when it names no usable length, HDR_TOO_BIG with
 * *len.  Resync after those two: the body that follows is read as header
 * lines, and the next header may start on its last line, so
 * "Content-Length:" is looked for anywhere in a line.
 */
static enum header read_header(int fd, unsigned long long *len)
{
	static const char key[] = "Content-Length:";
	char line[1024];
	size_t n = 0;
	int have = 0, bad = 0, any = 0;
	for (;;) {
		char ch;
		ssize_t r = read(fd, &ch, 1);
		if (r < 0 && errno == EINTR)
			continue;
		if (r <= 0)
			return HDR_EOF;
		any = 1;
		if (ch != '\n') {
			if (n == sizeof(line) - 1) {
				/* A long line (a stray body): keep its end, where a header may start. */
				memmove(line, line + n - 64, 64);
				n = 64;
			}
			line[n++] = ch;
			continue;
		}
		if (n && line[n - 1] == '\r')
			n--;
		line[n] = 0;
		if (n == 0) {
			if (!any)
				return HDR_EOF;
			if (bad || !have)
				return HDR_BAD;
			return *len > MAX_MESSAGE ? HDR_TOO_BIG : HDR_OK;
		}
		const char *at = strncasecmp(line, key, sizeof(key) - 1) ? strstr(line, key) : line;
		if (at) {
			have = 1;
			bad = parse_length(at + sizeof(key) - 1, len) < 0;
		}
		n = 0;
	}
}

static void *reader(void *arg)
{
	(void)arg;
	for (;;) {
		unsigned long long len = 0;
		enum header h = read_header(STDIN_FILENO, &len);
		if (h == HDR_EOF)
			break;
		if (h == HDR_BAD) {
			dap_fail(NULL, "malformed message header: expected 'Content-Length: N' and an empty line");
			continue;
		}
		if (h == HDR_TOO_BIG) {
			/* Not skipped by its length: a header that lies would wait forever.
			 * The next header is found by looking for it (read_header). */
			dap_fail(NULL, "message of %llu bytes refused: the limit is %u bytes", len, MAX_MESSAGE);
			continue;
		}
		char *body = xmalloc((size_t)len + 1);
		if (read_full(STDIN_FILENO, body, (size_t)len) < 0) {
			free(body);
			break;
		}
		body[len] = 0;
		json_error_t err;
		json_t *msg = json_loadb(body, (size_t)len, 0, &err);
		free(body);
		if (!msg || !json_is_object(msg)) {
			if (msg)
				dap_fail(NULL, "malformed message: a DAP message is a JSON object");
			else
				dap_fail(NULL, "malformed JSON at line %d column %d: %s", err.line, err.column, err.text);
			json_decref(msg);
			continue;
		}
		const char *cmd = json_string_value(json_object_get(msg, "command"));
		if (dap->program_running && needs_stopped_program(cmd)) {
			dap_fail(msg, "the program is running: pause it first");
			json_decref(msg);
			continue;
		}
		int ending = cmd && (!strcmp(cmd, "disconnect") || !strcmp(cmd, "terminate"));
		int urgent = ending || (cmd && !strcmp(cmd, "pause"));
		if (urgent)
			dap->interrupted = 1;
		push(msg);
		if (urgent)
			interrupt_run(ending);
	}
	pthread_mutex_lock(&dap->q_lock);
	dap->eof = 1;
	pthread_cond_signal(&dap->q_cond);
	pthread_mutex_unlock(&dap->q_lock);
	dap->interrupted = 1;
	interrupt_run(1);
	return NULL;
}

/* The next request, or NULL when input ended (or a signal asks to end). */
static json_t *pop(void)
{
	json_t *m = NULL;
	pthread_mutex_lock(&dap->q_lock);
	while (!dap->qn && !dap->eof && !terminate_asked) {
		struct timespec ts;
		clock_gettime(CLOCK_REALTIME, &ts);
		ts.tv_sec += 1;	/* a signal's flag is seen within a second */
		pthread_cond_timedwait(&dap->q_cond, &dap->q_lock, &ts);
	}
	if (dap->qn && !terminate_asked) {
		m = dap->queue[0];
		memmove(dap->queue, dap->queue + 1, sizeof(json_t *) * (size_t)--dap->qn);
	}
	pthread_mutex_unlock(&dap->q_lock);
	return m;
}

static const struct dap_request_def *const tables[] = {
	dap_session_requests, dap_bp_requests, dap_data_requests,
	dap_state_requests, dap_memory_requests, dap_run_requests,
};

static void dispatch(json_t *msg)
{
	const char *type = json_string_value(json_object_get(msg, "type"));
	json_t *command = json_object_get(msg, "command");
	if (!type || strcmp(type, "request")) {
		if (type && !strcmp(type, "response"))
			return;	/* answers to reverse requests: dr7 sends none */
		dap_fail(msg, "only requests are accepted (type \"request\")");
		return;
	}
	if (!json_is_string(command)) {
		dap_fail(msg, "a request needs a 'command' string");
		return;
	}
	json_t *args = json_object_get(msg, "arguments");
	if (args && !json_is_object(args) && !json_is_null(args)) {
		dap_fail(msg, "'arguments' must be an object");
		return;
	}
	const char *name = json_string_value(command);
	for (size_t t = 0; t < sizeof(tables) / sizeof(tables[0]); t++)
		for (const struct dap_request_def *d = tables[t]; d->command; d++)
			if (!strcmp(d->command, name)) {
				if (!dap->initialized && strcmp(name, "initialize")) {
					dap_fail(msg, "initialize comes first");
					return;
				}
				d->fn(msg, json_is_object(args) ? args : NULL);
				return;
			}
	dap_fail(msg, "unknown request '%s'", name);
}

static void install_signals(void)
{
	struct sigaction sa;
	memset(&sa, 0, sizeof(sa));
	sigemptyset(&sa.sa_mask);
	sa.sa_flags = 0;	/* no SA_RESTART: waitpid must return */
	sa.sa_handler = on_prod;
	sigaction(SIGUSR2, &sa, NULL);
	sa.sa_handler = on_terminate;
	sigaction(SIGTERM, &sa, NULL);
	sigaction(SIGHUP, &sa, NULL);
	sigaction(SIGINT, &sa, NULL);
	signal(SIGPIPE, SIG_IGN);
}

int dap_main(void)
{
	static struct dap d;
	dap = &d;
	d.program_stdio[0] = d.program_stdio[1] = -1;
	d.client_lines_start_at1 = 1;
	/* Only the protocol goes to stdout: anything else printed ends on stderr. */
	d.proto_fd = dup(STDOUT_FILENO);
	if (d.proto_fd < 0 || dup2(STDERR_FILENO, STDOUT_FILENO) < 0) {
		perror("dr7: --dap");
		return 1;
	}
	pthread_mutex_init(&d.out_lock, NULL);
	pthread_mutex_init(&d.q_lock, NULL);
	pthread_cond_init(&d.q_cond, NULL);
	d.main_thread = pthread_self();
	install_signals();

	struct session *s = session_new();
	s->backend = &ptrace_backend;
	s->launch_io.stdio[0] = s->launch_io.stdio[1] = s->launch_io.stdio[2] = -1;
	d.s = s;
	d.console = open_memstream(&d.console_buf, &d.console_len);
	d.c = (struct cmd_ctx){ .s = s, .out = d.console, .line_support = 1 };
	s->interrupted = &d.interrupted;
	/* Editors take a breakpoint id of 0 for none: the REPL's bp starts at 1 too. */
	s->bps.first_id = 1;
	s->listener = dap_listener;
	s->listener_user = &d.c;
	/* The editor shows the end of the process: no final breakpoint (sxi epr). */
	struct filter_change ch = { .set_break = 1, .brk = FILTER_IGNORE };
	session_filter_change(s, (struct filter_key){ FKEY_EVENT, FEV_EXIT_PROCESS }, &ch);

	sigset_t all, old;
	sigfillset(&all);
	pthread_sigmask(SIG_BLOCK, &all, &old);	/* signals are the main thread's */
	pthread_t rt;
	int have_reader = pthread_create(&rt, NULL, reader, NULL) == 0;
	pthread_sigmask(SIG_SETMASK, &old, NULL);
	if (have_reader)
		pthread_detach(rt);

	while (have_reader && !d.done && !terminate_asked) {
		json_t *msg = pop();
		if (!msg)
			break;
		dispatch(msg);
		json_decref(msg);
		dap_console_flush();
	}
	if (session_has_process(s)) {
		/* End of input or a signal: as the command line at its end. */
		session_end(s);
	}
	cmd_end(&d.c);
	free(dap_console_take());
	dap_vars_reset();
	while (d.nbps)
		dap_bp_forget(d.bps[0].id);
	free(d.bps);
	session_free(s);
	fclose(d.console);
	free(d.console_buf);
	/* The queue stays: the reader thread may still be adding to it as dr7 exits. */
	return 0;
}
