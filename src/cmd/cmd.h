/*
 * cmd.h — the command layer: the only code that prints.  One command
 * table (cmd_table.c lists the families; each family file holds its rows)
 * drives dispatch (cmd.c), the argument checks, help and completion
 * (cmd_complete.c).  A command receives its argument text (after the name
 * and any ID suffix) and the thread prefix the user gave (~N, ~*, ~., ~#).
 *
 * Invariant: a command either does what it says or prints one error line
 * and changes nothing.  Commands that resume the program do not run it
 * themselves: they post a run request, which the line runner carries out
 * (at top level) or which ends the current breakpoint command string (when
 * nested), as windbg-commands.md §5.6 requires.  Calls inside the layer
 * point one way: cmd.c -> cmd_table.c -> families -> cmd_util.c.
 */
#ifndef DR7_CMD_H
#define DR7_CMD_H

#include <stdio.h>

#include "engine/session.h"

enum thread_sel_kind { TSEL_NONE, TSEL_ONE, TSEL_ALL };

struct thread_sel {
	enum thread_sel_kind kind;
	pid_t tid;		/* TSEL_ONE */
};

enum run_request_kind { RUNREQ_NONE, RUNREQ_RUN, RUNREQ_GC };

struct run_request {
	enum run_request_kind kind;
	enum run_mode mode;
	enum sig_disposition sig;
	unsigned count;		/* p/t Count */
};

enum z_state { Z_NONE, Z_AGAIN, Z_DONE, Z_FAILED };

struct cmd_ctx {
	struct session *s;
	FILE *out;
	int depth;		/* nesting of breakpoint command strings and blocks */
	struct run_request run;
	int quit;		/* q, qd, end of session */
	int exit_code;
	/* continuation state of d* and u when repeated without an address */
	uint64_t next_dump;
	int have_next_dump;
	char last_dump[8];
	uint64_t next_unasm;
	int have_next_unasm;
	int show_source;	/* .lines */
	int repeat_ok;		/* last command may be repeated by an empty line */
	const char *text;	/* the command being run as typed, for error messages */
	int text_len;
	char *then_run;		/* commands posted by j/.if, run after the command returns */
	enum z_state z;		/* posted by z for the line runner */
};

struct cmd_def;
typedef int (*cmd_fn)(struct cmd_ctx *c, const struct cmd_def *d, const char *args,
		      const struct thread_sel *sel, int id);

enum cmd_flags {
	CMD_NEED_PROCESS = 1 << 0,
	CMD_ID_SUFFIX = 1 << 1,		/* bp7, ba1 */
	CMD_CASE = 1 << 2,		/* name is case-sensitive (gN, dD) */
	CMD_GLUED = 1 << 3,		/* arguments may follow the name without a space (reax=1) */
	CMD_REPEAT = 1 << 4,		/* an empty line repeats it (p, t) */
	CMD_THREADS = 1 << 5,		/* takes a ~ prefix */
	CMD_SEL_SELF = 1 << 6,		/* interprets ~* itself (bp: "any thread") */
	CMD_REST_OF_LINE = 1 << 7,	/* its arguments run to the end of the line, ';' included (j) */
	CMD_COMMAND_STRING = 1 << 8,	/* a "quoted" argument other than /w's holds commands (bp) */
	CMD_ARG_COMMAND = 1 << 9,	/* its argument names a command (help) */
};

/* What the dispatcher checks before the command runs, each with one shared message. */
enum cmd_args {
	ARGS_ANY,	/* the command reads its own arguments (cmd_extra_chars for leftovers) */
	ARGS_NONE,	/* takes no arguments: "^ Extra character error in '<command>'" */
	ARGS_NEEDED,	/* needs some: "Syntax error: <name> needs arguments: <syntax>" */
};

/*
 * One row of the command table.  The dispatcher, help, the argument checks
 * and completion all read it; a command exists exactly when it has a row.
 * A row without fn is part of the line grammar (~, $$, *): the dispatcher
 * handles it before looking names up, and the row is there for help.
 */
struct cmd_def {
	const char *name;
	cmd_fn fn;
	unsigned flags;
	int arg;		/* per-row parameter, e.g. unit size of e* */
	enum cmd_args args;
	const char *syntax;	/* WinDbg's syntax as dr7 accepts it, without "[~Thread] " */
	const char *summary;	/* one line for .help */
};

/* Runs one line (commands separated by ';'), carrying out run requests. */
void cmd_run_line(struct cmd_ctx *c, const char *line);
/* The prompt for the current state: "0:000> ". */
void cmd_prompt(struct cmd_ctx *c, char *buf, size_t n);
/* A breakpoint command string that prints only constant text, then resumes. */
int cmd_command_is_light(const char *cmds);
/* The session's listener (user = the cmd_ctx): prints an engine event. */
void cmd_show_event(void *user, const struct engine_event *ev);
/* Prints the first stop of a new session (after launch or attach). */
void cmd_show_stop(struct cmd_ctx *c, const struct stop_report *rep);

/* ---- helpers shared by the command families (cmd_util.c) ---- */
int cmd_error(struct cmd_ctx *c, const char *fmt, ...) PRINTF_LIKE(2, 3);
/* The one message for text a command does not take: "^ Extra character error in '<command>'". */
int cmd_extra_chars(struct cmd_ctx *c);
/* A row's syntax as help shows it: "[~Thread] " first when it takes a thread prefix. */
void cmd_syntax(struct sbuf *sb, const struct cmd_def *d);
/* Prints the error slot's message. */
int cmd_fail(struct cmd_ctx *c);
void cmd_print(struct cmd_ctx *c, const char *fmt, ...) PRINTF_LIKE(2, 3);
void cmd_post_run(struct cmd_ctx *c, enum run_request_kind kind, enum run_mode mode,
		  enum sig_disposition sig, unsigned count);
/* Commands (malloc'ed, owned from here on; NULL: none) to run, one level deeper, when this one returns. */
void cmd_post_commands(struct cmd_ctx *c, char *commands);
/* Evaluates an expression at *p, advancing *p past it; prints errors. */
int cmd_expr(struct cmd_ctx *c, const char **p, uint64_t *v);
/* Next whitespace-delimited word (quotes kept together); NULL at end. */
char *cmd_word(const char **p);
/* Parses "text" with C escapes starting at *p (which points at the quote). */
int cmd_quoted(struct cmd_ctx *c, const char **p, char **out);
/* Symbol line + disassembly of the instruction at pc (stop display tail). */
void cmd_show_location(struct cmd_ctx *c, uint64_t pc);
void cmd_show_registers(struct cmd_ctx *c, pid_t tid);
void cmd_addr(struct sbuf *sb, struct cmd_ctx *c, uint64_t addr);
int cmd_disasm_symbolizer(void *user, uint64_t addr, struct sbuf *out);
struct target_thread *cmd_thread_of(struct cmd_ctx *c, const struct thread_sel *sel);

/* ---- commands dispatch calls directly ---- */
/* ~ list, ~N s, ~N f/u; 1 when rest is an ordinary command with a prefix. */
int cmd_thread_command(struct cmd_ctx *c, const struct thread_sel *sel, const char *rest);

/* ---- the command table (cmd_table.c) ---- */
struct cmd_family {
	const char *title;
	const struct cmd_def *rows;	/* ends with a row whose name is NULL */
};
/* Every family, in the order help lists them; *n gets their number. */
const struct cmd_family *cmd_families(int *n);
/*
 * The command at the start of s (its name, then an ID where the row takes
 * one: bp7); *args is set past them.  NULL when s starts with no command.
 */
const struct cmd_def *cmd_find(const char *s, const char **args, int *id, int *bad_id);
/* The row named name[0, len), the line grammar's rows (~s, $$) included; NULL if none. */
const struct cmd_def *cmd_find_name(const char *name, size_t len);

/* ---- tab completion (cmd_complete.c) ---- */
struct cmd_completion {
	size_t start;		/* the word completed is line[start, cursor) */
	char *insert;		/* what replaces it: the candidates' common prefix, never shorter
				   than the word; a unique candidate gets a space after it
				   (unless it is "module!", whose symbol comes next) */
	char **items;		/* the candidates, each a whole word; sorted, unique */
	int n;
};
/* Completes the word before cursor in line; returns the number of candidates. */
int cmd_complete(struct cmd_ctx *c, const char *line, size_t cursor, struct cmd_completion *out);
void cmd_completion_free(struct cmd_completion *cc);
/* The candidates in columns for a terminal width wide (the first 100, then a count). */
void cmd_completion_list(const struct cmd_completion *cc, int width, struct sbuf *out);

/* ---- command families ---- */
extern const struct cmd_def cmd_flow_table[];
extern const struct cmd_def cmd_bp_table[];
extern const struct cmd_def cmd_run_table[];
extern const struct cmd_def cmd_sx_table[];
extern const struct cmd_def cmd_data_table[];
extern const struct cmd_def cmd_sym_table[];
extern const struct cmd_def cmd_vars_table[];
extern const struct cmd_def cmd_threads_table[];
/* Helpers other families call. */
/*
 * kp: appends "(type name = value, ...)" for one frame k collected, read
 * with the registers the unwinder restored for it.  A parameter whose
 * value cannot be read shows "<not available>".  -1 (nothing appended,
 * error slot set) when no function with debug information contains its pc.
 */
int cmd_vars_frame_params(struct cmd_ctx *c, const struct sym_frame *frame, struct sbuf *out);

#endif
