/*
 * cmd.h — the command layer: the only code that prints.  One command
 * table (cmd_table.c lists the families; each family file holds its rows)
 * drives dispatch (cmd.c), the argument checks, help and completion
 * (cmd_complete.c).  A command receives its argument text (after the name
 * and any ID suffix) and the thread prefix the user gave (~N, ~*, ~., ~#).
 *
 * Invariant: a command either does what it says or prints one error line
 * and changes nothing.  Commands that resume the program do not run it
 * themselves: they post a run request, which ends the current breakpoint
 * command string (as windbg-commands.md §5.6 requires) or, anywhere else,
 * the line runner carries out before the next command.  Calls inside the layer
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
	int each;		/* TSEL_ONE standing for one thread of ~*, which runs once per thread */
};

enum run_request_kind { RUNREQ_NONE, RUNREQ_RUN, RUNREQ_GC, RUNREQ_TRACE };

/* wt's options (cmd_trace.c), carried in the run request. */
#define WT_MAX_MODULES 16
struct wt_request {
	int max_depth;		/* -l: lines deeper than this are not shown (0: all) */
	int hide_calls;		/* -nc */
	int hide_summary;	/* -ns */
	int hide_ignored;	/* -ni */
	int returns;		/* -or: 1 (number), -oR: 2 (typed) */
	int have_end;
	uint64_t end;		/* EndAddress */
	int nonly, nignore;	/* -m, -i */
	char only[WT_MAX_MODULES][128];
	char ignore[WT_MAX_MODULES][128];
};

struct run_request {
	enum run_request_kind kind;
	enum run_mode mode;
	enum sig_disposition sig;
	unsigned count;		/* p/t Count */
	unsigned step_flags;	/* engine/step.h: STEP_BY_LINE, STEP_CHECKED */
	int until_set;		/* pa/ta: step until the pc is `until` */
	uint64_t until;
	struct wt_request wt;	/* RUNREQ_TRACE */
};

/* Source options (l+, l-): WinDbg's bits. */

enum z_state { Z_NONE, Z_AGAIN, Z_DONE, Z_FAILED };

enum loop_request { LOOP_NONE, LOOP_BREAK, LOOP_CONTINUE };

struct cmd_program;
struct cmd_aliases;
struct cmd_log;

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
	int line_support;	/* .lines: source lines at the prompt (under source_opts) */
	/* l+ / l-: cmd_source_options() reads them (SRC_OPT_* in cmd_source.c) */
	unsigned source_opts;
	int source_opts_set;	/* 0: WinDbg's default options */
	/* ls/lsa/lsc: the listing's file and next line, and the scope they belong to */
	struct cmd_src_list {
		char file[4096];
		int line;
		int set;
		pid_t tid;	/* the thread, frame and pc of the scope when it was set */
		int frame;
		uint64_t pc;
	} list;
	int repeat_ok;		/* last command may be repeated by an empty line */
	const char *text;	/* the command being run as typed, for error messages */
	int text_len;
	char *then_run;		/* commands posted by j/.if, run after the command returns */
	enum z_state z;		/* posted by z for the line runner */
	int hit_depth;		/* nesting of breakpoint command strings: a resuming command ends them */
	struct cmd_program *program;	/* posted by a loop, .foreach, a script file, as /c */
	enum loop_request loop;	/* posted by .break and .continue */
	int loop_depth;		/* loops running now (.break outside one is an error) */
	int capture_depth;	/* output is being collected (.foreach, as /c), not shown */
	struct cmd_aliases *aliases;	/* user-named aliases and bound names (cmd_alias.c) */
	struct cmd_log *log;	/* .logopen's copy of the output (cmd_log.c) */
};

/*
 * A command program: what a command posts when it runs other commands
 * repeatedly or later (.for, .while, .do, .foreach, script files, as /c).
 * The line runner (cmd.c) asks next() for the commands of the next step,
 * runs them one level deeper (echoed, or with their output collected, as
 * the step asks), and asks again until next() says it is done; then it
 * calls release().  A program never runs commands itself, so calls keep
 * pointing from the line runner to the families.
 */
enum program_flags {
	PROGRAM_LOOP = 1 << 0,	/* .break and .continue act on it */
};

struct cmd_program {
	/* 1: *commands (malloc'ed) is the next step; 0: done; -1: failed (message printed). */
	int (*next)(struct cmd_ctx *c, struct cmd_program *p, char **commands);
	void (*release)(struct cmd_ctx *c, struct cmd_program *p);
	unsigned flags;
	int capture;		/* set by next: collect this step's output into output */
	int echo;		/* set by next: print the prompt and the commands first */
	char *output;		/* what the last collected step printed (malloc'ed, NUL-terminated) */
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
	/*
	 * A control-flow statement: its text runs through its (...) and {...}
	 * elements, which spaces or ';' may separate (scripts run by $><),
	 * and ends after its last block (cmd_block_extent).
	 */
	CMD_BLOCKS = 1 << 10,
	CMD_ELSE_BLOCKS = 1 << 11,	/* .elsif/.else blocks continue it (.if) */
	CMD_BLOCK_CONDITION = 1 << 12,	/* a (Condition) follows its block (.do) */
	/* Takes the rest of the line unless a switch other than /c comes first (as). */
	CMD_LINE_UNLESS_SWITCH = 1 << 13,
	CMD_UNSUPPORTED = 1 << 14,	/* a WinDbg command dr7 knows but lacks (cmd_unsupported.c) */
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
/* Runs a script file as $< does, each line echoed after the prompt (-cf). */
void cmd_run_file(struct cmd_ctx *c, const char *path);
/* Ends the command layer's state: closes the log, frees the aliases. */
void cmd_end(struct cmd_ctx *c);

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
/* "= StartAddress" at *p (after blanks), if there: *have and *addr, *p past it. */
int cmd_start_address(struct cmd_ctx *c, const char **p, int *have, uint64_t *addr);
/* Moves the current thread's instruction pointer to addr (= StartAddress). */
int cmd_set_pc(struct cmd_ctx *c, uint64_t addr);
/* The current thread's instruction pointer. */
int cmd_current_pc(struct cmd_ctx *c, uint64_t *pc);
/* The address expression at *p (*p past it), or the pc when the arguments are empty. */
int cmd_address_or_pc(struct cmd_ctx *c, const char **p, uint64_t *addr);
/*
 * What follows a range's start address at *p: `End` (inclusive) or
 * `L[?]Count`, Count in units of unit bytes; with allow_backward `L-Count`
 * too, a range that ends at *start (which moves down).  More than 256 MB
 * needs `L?`; a range may not wrap past the top of the address space
 * (ending exactly at it is fine).  Sets *bytes; *p past it.
 */
int cmd_range_extent(struct cmd_ctx *c, const char **p, int unit, int allow_backward, uint64_t *start,
		     uint64_t *bytes);
/* The path argument of .sympath/.srcpath: `+` (append) first, then the text, trailing blanks cut. */
const char *cmd_path_argument(const char *args, int *append, size_t *len);
/* A program (owned from here on) for the line runner to drive when this command returns. */
void cmd_post_program(struct cmd_ctx *c, struct cmd_program *p);
/* Evaluates an expression at *p, advancing *p past it; prints errors. */
int cmd_expr(struct cmd_ctx *c, const char **p, uint64_t *v);
/* bp[Expression]: evaluates the bracketed ID at *p (a '[') into *id, advancing *p past ']'. */
int cmd_id_expression(struct cmd_ctx *c, const char **p, int *id);
/* Passes of bp/bu/bm/ba: a 16-bit count, 1 to 0xffff (0 means 1). */
int cmd_passes(struct cmd_ctx *c, const char **p, unsigned *passes);
/* The next word, evaluated whole as an expression; missing: the error when there is none. */
int cmd_word_expr(struct cmd_ctx *c, const char **p, const char *missing, uint64_t *v);
/* Next whitespace-delimited word (quotes kept together); NULL at end. */
char *cmd_word(const char **p);
/* Parses "text" with C escapes starting at *p (which points at the quote). */
int cmd_quoted(struct cmd_ctx *c, const char **p, char **out);

/*
 * The line grammar, shared by the line runner, alias expansion and the
 * control-flow statements.  A "..." string hides ';' and braces; ${Name}
 * is an alias token, not a block.
 */
/* Length of the first command of s by the default rule: up to a ';' outside "..." and {...}. */
size_t cmd_split_length(const char *s);
/* s at '{': the matching '}', or NULL when it is missing. */
const char *cmd_brace_end(const char *s);
/* Skips spaces and the ';' that may separate a statement's elements (scripts run by $>< have them). */
const char *cmd_skip_seps(const char *s);
enum cmd_block_kind { BLOCK_ONE, BLOCK_IF, BLOCK_DO };
/*
 * Length of a control-flow statement's text in args: its parentheses and
 * blocks, with spaces and ';' allowed between them; BLOCK_IF continues
 * with .elsif/.else blocks, BLOCK_DO with the (Condition) after the block.
 */
size_t cmd_block_extent(const char *args, enum cmd_block_kind kind);
/* The text of the {...} block at *p (spaces and ';' before it skipped); advances past '}'. */
char *cmd_block(struct cmd_ctx *c, const char **p);
/* Evaluates a condition: an expression, parentheses optional, nothing after it. */
int cmd_condition(struct cmd_ctx *c, const char *text, uint64_t *v);
/*
 * Reads a NUL-terminated string of the program (int3 bytes hidden) into out
 * as UTF-8: unit 1 ASCII/bytes, 2 UTF-16.  max: the most units read.  0, or
 * -1 with the message printed when not even the first unit is readable.
 */
int cmd_read_string(struct cmd_ctx *c, uint64_t addr, int unit, size_t max, struct sbuf *out);
/* ANSI_STRING (unit 1) / UNICODE_STRING (unit 2) at addr: Length, MaximumLength, Buffer. */
int cmd_read_counted_string(struct cmd_ctx *c, uint64_t addr, int unit, struct sbuf *out);
/* Appends code point cp as UTF-8. */
void cmd_utf8(struct sbuf *out, uint32_t cp);
/* Symbol line + disassembly of the instruction at pc (stop display tail). */
void cmd_show_location(struct cmd_ctx *c, uint64_t pc);
void cmd_show_registers(struct cmd_ctx *c, pid_t tid);
void cmd_addr(struct sbuf *sb, struct cmd_ctx *c, uint64_t addr);
int cmd_disasm_symbolizer(void *user, uint64_t addr, struct sbuf *out);
struct target_thread *cmd_thread_of(struct cmd_ctx *c, const struct thread_sel *sel);
/* "rbx" / "ebx" for a DWARF register number; NULL when it is not an integer register. */
const char *cmd_dwarf_reg_name(int is32, int dw);

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
 * An ID in brackets (bp[2+5]) is an expression: *id is CMD_ID_EXPRESSION
 * and *args starts at the '[' (the command calls cmd_id_expression).
 */
#define CMD_ID_EXPRESSION (-2)
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
extern const struct cmd_def cmd_trace_table[];
extern const struct cmd_def cmd_sx_table[];
extern const struct cmd_def cmd_data_table[];
extern const struct cmd_def cmd_mem_table[];
extern const struct cmd_def cmd_sym_table[];
extern const struct cmd_def cmd_modules_table[];
extern const struct cmd_def cmd_vars_table[];
extern const struct cmd_def cmd_threads_table[];
extern const struct cmd_def cmd_source_table[];
extern const struct cmd_def cmd_unsupported_table[];
/* Carries out a posted wt (RUNREQ_TRACE): the trace, its tree and summary;
 * rep is the stop that ended it, for the line runner to show. */
int cmd_trace_run(struct cmd_ctx *c, const struct wt_request *wt, struct stop_report *rep);
extern const struct cmd_def cmd_loop_table[];
extern const struct cmd_def cmd_alias_table[];
extern const struct cmd_def cmd_script_table[];
extern const struct cmd_def cmd_printf_table[];
extern const struct cmd_def cmd_log_table[];

/* ---- aliases (cmd_alias.c) ---- */
/*
 * line with its aliases replaced, as WinDbg does when a block is entered
 * (malloc'ed): ${Name}, ${/d:Name}, ${/f:Name}, ${/n:Name} anywhere
 * (${/v:Name} stays as written), and a name standing alone as a word
 * (between the start, the end, spaces, ';' and '"').  Text inside nested
 * {...} blocks is left for when they are entered; a line that begins with
 * as, aS, ad or al is left as it is.
 */
char *cmd_alias_expand(struct cmd_ctx *c, const char *line);
/* Binds name to value until unbound (.foreach variables, $argN): shadows an alias of that name. */
void cmd_alias_bind(struct cmd_ctx *c, const char *name, const char *value);
/* Removes the n most recent bindings. */
void cmd_alias_unbind(struct cmd_ctx *c, int n);
void cmd_aliases_free(struct cmd_ctx *c);

/* ---- script files (cmd_script.c) ---- */
/* A program that runs path line by line, echoed ($<, -cf); NULL with the message printed. */
struct cmd_program *cmd_script_lines(struct cmd_ctx *c, const char *path);

/* ---- the log (cmd_log.c) ---- */
/* A line the terminal echoed itself (the prompt and what was typed): to the log only. */
void cmd_log_input(struct cmd_ctx *c, const char *prompt, const char *line);
void cmd_log_end(struct cmd_ctx *c);
/* Helpers other families call. */
/*
 * kp: appends "(type name = value, ...)" for one frame k collected, read
 * with the registers the unwinder restored for it ("(void)" for none;
 * one_per_line: kP's "(\n\t\t\tone, \n\t\t\ttwo)").  A parameter whose
 * value cannot be read shows "<not available>".  -1 (nothing appended,
 * error slot set) when no function with debug information contains its pc.
 */
int cmd_vars_frame_params(struct cmd_ctx *c, const struct sym_frame *frame, int one_per_line, struct sbuf *out);
/*
 * x and ln (cmd_modules.c): what DWARF says about module!name at addr,
 * appended to note: " (int, char *)" for a function (its parameter types,
 * "(void)" for none), " = 0n5" for a variable (its value, or its type for
 * an aggregate); type (may be NULL) gets a variable's type or a function's
 * return type.  -1 (nothing appended) when the debug information has none.
 * cmd_vars_x_locals prints the selected frame's locals for `x *` ("WHERE
 * name = value", /t types, /v "prv local" and sizes); -1 with the message
 * printed.
 */
int cmd_vars_symbol_note(struct cmd_ctx *c, const char *module, const char *name, uint64_t addr,
			 int is_function, struct sbuf *note, struct sbuf *type);
int cmd_vars_x_locals(struct cmd_ctx *c, const char *pattern, int types, int verbose);
/* One line of the ~ list for th ("   1  Id: pid.tid Suspend: ..."), as ~*k heads each stack. */
void cmd_thread_row(struct cmd_ctx *c, struct target_thread *th);
/*
 * The source at the prompt (cmd_source.c), under .lines and l+/l-:
 * cmd_source_options the options in effect (0 while .lines is off);
 * cmd_source_line_known whether the symbol line of pc shows " [file @
 * line]" (l or s), giving them; cmd_source_stop_line prints "> 12: text"
 * for pc under s, 1 when it did; cmd_source_only whether a stop whose
 * source line printed shows nothing else (o with s).
 */
unsigned cmd_source_options(const struct cmd_ctx *c);
/* l+t is on: p and t step by source line. */
int cmd_source_steps_by_line(const struct cmd_ctx *c);
int cmd_source_line_known(struct cmd_ctx *c, uint64_t pc, const char **file, int *line);
int cmd_source_stop_line(struct cmd_ctx *c, uint64_t pc);
int cmd_source_only(struct cmd_ctx *c);

#endif
