/*
 * dap.h — the Debug Adapter Protocol server's shared state and the calls
 * between its files.  `dr7 --dap` reads DAP messages on stdin and writes
 * responses and events on stdout; the engine is driven from the main thread
 * only (ptrace wants one tracer thread), while a reader thread takes
 * requests off stdin (so `pause` reaches a running program) and two threads
 * forward the program's stdout and stderr as output events.
 *
 * Files, each owning one thing, calling downward in this order:
 *   dap_proto.c      framing, the writer lock, responses, events, argument checks
 *   dap_console.c    dr7's own text (the command layer's output) as output events, capture
 *   dap_logpoint.c   a logpoint's message, its expressions compiled once
 *   dap_bptab.c      which dr7 breakpoints the editor owns (and logpoints); breakpoint events
 *   dap_vars.c       variable references and C expressions in a frame
 *   dap_program.c    the program's stdio pipes and their forwarding threads
 *   dap_stop.c       running the program and telling the editor about stops and the end
 *   dap_requests_*.c the requests, by concern
 *   dap_main.c       the reader thread, the queue, dispatch, the end of the session
 *
 * Invariant: a request gets exactly one response; bad arguments give
 * success false with a message and change nothing.
 */
#ifndef DR7_DAP_H
#define DR7_DAP_H

#include <jansson.h>
#include <pthread.h>
#include <signal.h>

#include "cmd/cmd.h"

/* The editor's view of a dr7 breakpoint (dap_bptab.c). */
enum dap_bp_origin {
	DAPBP_NONE,		/* set from the REPL: the editor only hears of it */
	DAPBP_SOURCE,		/* setBreakpoints */
	DAPBP_FUNCTION,		/* setFunctionBreakpoints */
	DAPBP_INSTRUCTION,	/* setInstructionBreakpoints */
	DAPBP_DATA,		/* setDataBreakpoints */
};

struct dap_log_cache;

struct dap_bp {
	int id;			/* the dr7 breakpoint's id */
	enum dap_bp_origin origin;
	char *source;		/* DAPBP_SOURCE: the source path as the editor sent it */
	int line;		/* the line the editor asked for */
	char *log_message;	/* a logpoint: printed at each hit, no stop */
	struct dap_log_cache *log_cache;	/* its expressions, compiled (dap_logpoint.c) */
	/* What the editor was last told (to find changes made elsewhere). */
	int told_verified;
	uint64_t told_addr;
};

struct dap {
	struct session *s;
	struct cmd_ctx c;	/* the command layer, its output going to console */
	FILE *console;		/* open_memstream behind c.out */
	char *console_buf;
	size_t console_len;

	int proto_fd;		/* where messages go (dr7's stdout, kept aside) */
	pthread_mutex_t out_lock;
	int seq;

	/* Requests the reader thread queued (json_t *), under q_lock. */
	pthread_mutex_t q_lock;
	pthread_cond_t q_cond;
	json_t **queue;
	int qn, qcap;
	int eof;		/* the editor closed stdin */
	int done;		/* disconnect: the session is over */

	pthread_t main_thread;
	volatile int interrupted;	/* the engine polls it (s->interrupted) */
	volatile int running;		/* the main thread is inside run control (or a REPL line) */
	volatile int program_running;	/* dap_run is running the program (not a REPL line) */

	int client_lines_start_at1;	/* lines and columns as the editor counts them */
	int initialized;
	int launched;		/* a process was started or attached to */
	int attached;
	int stop_on_entry;
	int configured;		/* configurationDone came */
	int ended;		/* exited and terminated were sent */
	int program_stdio[2];	/* the read ends of the program's stdout, stderr (-1: none) */
	pthread_t stdio_threads[2];

	struct dap_bp *bps;	/* sorted by nothing; few */
	int nbps;
	/* Data breakpoint accesses the engine accepts: probed once. */
	int data_read_probed, data_read_ok;

	/* Variable references: valid until the program runs again. */
	struct dap_var *vars;
	int nvars;
	int var_base;		/* references of this stop are var_base + 1...: a stale one names nothing */
};

extern struct dap *dap;

/* ---- dap_proto.c ---- */
void dap_send(json_t *msg);	/* takes ownership; adds seq */
void dap_event(const char *event, json_t *body);
void dap_respond(json_t *req, json_t *body);	/* success */
int dap_fail(json_t *req, const char *fmt, ...) PRINTF_LIKE(2, 3);	/* returns -1 */
/* Arguments: 0 (absent: *out untouched) or 1 found; -1 after a failure response. */
int dap_arg_str(json_t *req, json_t *args, const char *name, const char **out);
int dap_arg_int(json_t *req, json_t *args, const char *name, json_int_t *out);
/* An integer from lo to hi (ids: thread, frame, reference), else a failure naming the range. */
int dap_arg_range(json_t *req, json_t *args, const char *name, json_int_t lo, json_int_t hi, json_int_t *out);
int dap_need_range(json_t *req, json_t *args, const char *name, json_int_t lo, json_int_t hi, json_int_t *out);
int dap_arg_bool(json_t *req, json_t *args, const char *name, int *out);
int dap_arg_array(json_t *req, json_t *args, const char *name, json_t **out);
int dap_arg_object(json_t *req, json_t *args, const char *name, json_t **out);
/* A required argument: 1, or -1 after a failure response naming it. */
int dap_need_str(json_t *req, json_t *args, const char *name, const char **out);
int dap_need_int(json_t *req, json_t *args, const char *name, json_int_t *out);
int dap_need_array(json_t *req, json_t *args, const char *name, json_t **out);
int dap_need_object(json_t *req, json_t *args, const char *name, json_t **out);
json_t *dap_args(json_t *req);	/* the arguments object (an empty one when absent) */
/* Any text (paths, names, values) as a JSON string, never NULL for non-NULL
 * text: bytes that are not UTF-8 become '?'.  Everything external goes through it. */
json_t *dap_text(const char *text);
void dap_output(const char *category, const char *text, size_t len);
/* An address as DAP spells memory references: "0x...". */
json_t *dap_addr_json(uint64_t addr);
/* "0x1234" / "1234": 0 and *addr, or -1. */
int dap_parse_addr(const char *text, uint64_t *addr);

/* ---- dap_console.c ---- */
/* What the command layer printed since the last call (NUL-terminated, owned by the caller). */
char *dap_console_take(void);
/* Sends what the command layer printed as console output. */
void dap_console_flush(void);
/* Runs a command line through the command layer; its output is returned (malloc'ed). */
char *dap_run_command(const char *line);
/* A DAP Module object (id: its start address). */
json_t *dap_module_json(const char *path, uint64_t start, uint64_t end);
/* The engine listener: dr7's line for the event (console), then the DAP event. */
void dap_listener(void *user, const struct engine_event *ev);

/* ---- dap_logpoint.c ---- */
/* Sends msg for a hit of tid ({expression} replaced), compiling into *cache once. */
void dap_log_message(struct dap_log_cache **cache, const char *msg, pid_t tid);
void dap_log_cache_free(struct dap_log_cache *c);

/* ---- dap_bptab.c ---- */
struct dap_bp *dap_bp_find(int id);
struct dap_bp *dap_bp_add(int id, enum dap_bp_origin origin);
void dap_bp_forget(int id);
/* Deletes the dr7 breakpoints of one origin (and source), as a set request replaces them. */
void dap_bp_clear(enum dap_bp_origin origin, const char *source);
/* The Breakpoint object for dr7 breakpoint id (verified, line, address, message). */
json_t *dap_bp_json(int id, const char *message);
/* Remembers what the editor now knows of every breakpoint (after a set request). */
void dap_bp_sync_told(void);
/* Breakpoint events for what changed elsewhere (the REPL, module loads). */
void dap_bp_announce_changes(void);
/*
 * Text from the editor (a path, a name) that is written into a command
 * line: NULL when it is safe, else the offending character's description.
 * Control characters are never safe; forbidden lists the others (the
 * command grammar's ';', '`', '"', braces, '$' as the caller needs).
 */
const char *dap_unsafe_in_command(const char *text, const char *forbidden, char what[16]);
/* text as a "..." string of the command grammar (quotes, backslashes, \n and \t escaped). */
void dap_add_quoted(struct sbuf *sb, const char *text);
/* Defines a breakpoint through the command layer: id set, or -1 with *why (malloc'ed). */
int dap_bp_define(const char *command_without_id, const char *cmd_name, char **why);

/* ---- dap_vars.c ---- */
struct dap_var {
	pid_t tid;
	int frame;		/* the stack frame (k's number) */
	char *expr;		/* a C expression naming the object; NULL: a scope */
	int scope;		/* 1 locals, 2 globals, 3 registers (when expr is NULL) */
};
/* Forgets every reference (the program ran). */
void dap_vars_reset(void);
/* A reference for expr in frame (0: not expandable). */
int dap_var_ref(pid_t tid, int frame, const char *expr, int scope);
struct dap_var *dap_var_get(int ref);
/* Evaluates a C expression in a frame: its value text and type, whether it
 * expands (*ref), its address and size when it is an object (lvalue). */
struct dap_value {
	char *value;
	char *type;
	int ref;
	int lvalue;
	uint64_t addr;
	uint64_t size;
};
int dap_eval_c(pid_t tid, int frame, const char *expr, struct dap_value *out);
void dap_value_free(struct dap_value *v);
/* Writes value (a C expression) into the object expr names. */
int dap_assign_c(pid_t tid, int frame, const char *expr, const char *value);
/* The children of a reference, as a JSON array of Variables. */
json_t *dap_var_children(struct dap_var *v);
/* frameId of DAP (thread, frame) <-> dr7: frameId = tid * 1024 + frame. */
#define DAP_FRAME_ID(tid, frame) ((json_int_t)(tid) * 1024 + (frame))
/* The ranges of ids the editor sends back: a tid is a positive int, a
 * reference an int, a frame id one DAP_FRAME_ID makes. */
#define DAP_MAX_TID 0x7fffffff
#define DAP_MAX_REF 0x7fffffff
#define DAP_MAX_FRAME_ID DAP_FRAME_ID(DAP_MAX_TID, 1023)

/* ---- dap_program.c ---- */
/* Pipes for the program's stdout and stderr (once a session), set into the
 * session's launch options, and their forwarding threads. */
int dap_program_pipes(void);
/* Returns when everything the program wrote so far has been sent. */
void dap_program_drain(void);

/* ---- dap_stop.c ---- */
enum dap_run { DAPRUN_CONTINUE, DAPRUN_NEXT, DAPRUN_STEP_IN, DAPRUN_STEP_OUT };
/* Runs the program (granularity instruction when by_instruction) and reports the stop. */
void dap_run(enum dap_run how, int by_instruction, pid_t tid);
/* The editor hears of a stop the session just made (launch, REPL). */
void dap_report_stop(const struct stop_report *rep, int entry);
/* The process ended: exited (once), terminated. */
void dap_report_end(int exit_code);
/* After a command line ran: a stop or the end it caused reaches the editor. */
void dap_after_command(const struct timespec *before, int had_process);

/* ---- handler table (dap_requests_*.c) ---- */
typedef void (*dap_handler)(json_t *req, json_t *args);
struct dap_request_def {
	const char *command;
	dap_handler fn;
};
extern const struct dap_request_def dap_session_requests[];
extern const struct dap_request_def dap_bp_requests[];
extern const struct dap_request_def dap_data_requests[];
extern const struct dap_request_def dap_state_requests[];
extern const struct dap_request_def dap_memory_requests[];
extern const struct dap_request_def dap_run_requests[];
/* The capabilities initialize answers (dap_requests_session.c). */
json_t *dap_capabilities(void);
/* Exception filters for capabilities (dap_requests_bp.c). */
json_t *dap_exception_filters(void);

int dap_main(void);

#endif
