/*
 * session.h — one debugging session: the target, its symbols, the
 * breakpoint table, the current thread, the last stop and the user's
 * pseudo-registers.  The engine below cmd/ reports through return values,
 * the error slot, stop reports, and engine events (event.h) handed to the
 * session's listener; it formats no text for users.
 */
#ifndef DR7_SESSION_H
#define DR7_SESSION_H

#include <stdint.h>
#include <sys/types.h>
#include <time.h>

#include "engine/bp.h"
#include "engine/event.h"
#include "engine/filter.h"
#include "x86/regs.h"
#include "sym/sym.h"
#include "target/target.h"
#include "util/util.h"

enum run_mode {
	RUN_GO,		/* g, gh, gn, gc after a go */
	RUN_STEP_INTO,	/* t */
	RUN_STEP_OVER,	/* p */
	RUN_GO_UP,	/* gu */
	/* Built from steps by engine/step.c (exec_run does not take them). */
	RUN_TO_RETURN,			/* pt */
	RUN_TRACE_TO_RETURN,		/* tt */
	RUN_STEP_TO_CALL,		/* pc */
	RUN_TRACE_TO_CALL,		/* tc */
	RUN_STEP_TO_CALL_OR_RETURN,	/* pct */
	RUN_TRACE_TO_CALL_OR_RETURN,	/* tct */
	RUN_STEP_TO_BRANCH,		/* ph */
	RUN_TRACE_TO_BRANCH,		/* th */
};

/* What to do with the signal that caused the current stop when resuming. */
enum sig_disposition {
	SIG_DEFAULT,	/* g: deliver it unless the debugger caused it */
	SIG_HANDLED,	/* gh: suppress it */
	SIG_NOT_HANDLED,/* gn / gN: deliver it */
};

enum report_kind {
	REP_NONE,
	REP_INITIAL,	/* initial breakpoint after launch */
	REP_BREAKIN,	/* attach, Ctrl-C */
	REP_BREAKPOINT,	/* one or more user breakpoints hit */
	REP_STEP,	/* p/t/gu/pt... finished */
	REP_SIGNAL,	/* a signal stopped the program */
	REP_TRAP,	/* an int3 of the program itself */
	REP_EXIT,	/* final breakpoint: the process is about to exit */
	REP_EVENT,	/* an event filter (sx) stopped it: thread, fork, module load or unload */
	REP_GONE,	/* the process no longer exists */
};

#define MAX_HITS 32

struct stop_report {
	enum report_kind kind;
	pid_t tid;
	uint64_t pc;
	int hit_ids[MAX_HITS];	/* REP_BREAKPOINT: ids in table order */
	unsigned hit_rw[MAX_HITS];	/* what each watch saw (POINT_ACCESS_*), 0: not known */
	int nhits;
	int by_syscall, syscall_nr;	/* the watches saw system call syscall_nr write (stop_event) */
	enum run_mode mode;	/* how the program was running (for gc) */
	int signo;
	int si_code;
	uint64_t fault_addr;
	int sender_pid, sender_uid, child_status;	/* siginfo si_pid, si_uid; SIGCHLD: si_status */
	int second_chance;
	int exit_code;
	int term_signal;
	int already_reported;	/* REP_GONE right after the final breakpoint said it */
	int passed;		/* REP_SIGNAL of exec_run_alone_to: one the program handles */
	/*
	 * REP_SIGNAL, REP_TRAP, REP_EVENT, REP_EXIT: the filter's break status.
	 * FILTER_BREAK (0, so every other stop has it) is a stop for the user;
	 * anything else means the program stopped only so that cmd/ runs the
	 * filter's command strings, and it resumes after them unless they say
	 * otherwise.
	 */
	enum filter_break brk;
	enum filter_event event;	/* REP_EVENT */
	pid_t event_tid;	/* ct/et: the thread; cpr: the child process */
	int event_index;	/* ct/et: the thread's number */
	uint64_t mod_start, mod_end;	/* ld/ud */
	char mod_path[256];
	struct timespec when;	/* when run control met it (.lastevent) */
};

/* Run control's own stop (p over a call, gu, g Address), kept across gc. */
enum eval_syntax { EVAL_MASM, EVAL_CXX };

/* A GNU indirect function whose implementation run control learns by watching its resolver (ifunc.c). */
#define MAX_IFUNC_WATCHES 16
struct ifunc_watch {
	uint64_t resolver;
	uint64_t impl;		/* what it returned; 0 while not known */
	uint64_t ret;		/* a return stop for tid is armed there (0: none) */
	pid_t tid;
	uint64_t min_sp;	/* the resolver's frame is popped when rsp >= min_sp */
};

struct step_state {
	int active;
	enum run_mode mode;
	uint64_t addr;
	uint64_t addr2;		/* a second stop when has_addr2 (a branch's two ways) */
	int has_addr2;
	pid_t tid;		/* 0: any thread */
	uint64_t min_sp;	/* the frame must have been popped: rsp >= min_sp */
};

struct session {
	const struct target_backend *backend;	/* chosen by the front end */
	struct target *tgt;
	struct sym_table *sym;
	struct bp_table bps;

	char **argv;		/* program and arguments, for .restart */
	int no_initial_break;	/* -g */
	struct filter_table filters;	/* sx: signals and events (-G is sxd epr) */
	/* A module load or unload a filter stops for, met while the module list
	 * was refreshed; run control turns it into a REP_EVENT. */
	struct {
		int pending;
		enum filter_event event;
		uint64_t start, end;
		char path[256];
	} module_stop;
	int disable_aslr;
	/* The program's stdio, working directory and environment for launch
	 * and .restart (a front end sets them; zero: dr7's own). */
	struct {
		int redirect;
		int stdio[3];
		char *cwd;
		char **envp;
	} launch_io;

	pid_t cur_tid;		/* current thread (~s) */
	int cur_frame;		/* .frame: frame whose locals dv and ?? see (0 = innermost) */
	struct stop_report last;	/* the most recent stop */
	int signal_pending;	/* last.signo is still to be delivered or suppressed */
	uint64_t exentry;
	uint64_t tregs[20];	/* $t0-$t19 */
	uint64_t last_exp;	/* $exp */
	uint64_t previp;
	int radix;

	/* dynamic-linker rendezvous: module list changes and the initial break */
	uint64_t r_debug;	/* address of struct r_debug, 0 until known */
	uint64_t r_brk;		/* internal int3 site, 0 if none */
	uint64_t entry_stop;	/* internal int3 at the entry point, 0 if none */
	struct step_state step;
	int initial_pending;	/* the initial breakpoint has not been reported yet */

	volatile int *interrupted;	/* set by the Ctrl-C handler */
	engine_listener listener;	/* the front end's: events as they happen */
	void *listener_user;
	/* Condition evaluator for /w (compiled once when the breakpoint is set). */
	int (*cond_eval)(struct session *s, void *cond, pid_t tid, int *result);
	/* .expr: the default evaluator of commands' expressions; the C++ one
	 * (cxxeval.c, installed by session_new) serves it and @@c++(...). */
	enum eval_syntax evaluator;
	int (*cxx_eval)(struct session *s, const char *text, const char **end, uint64_t *val);
	int eval_nesting;	/* @@ switches being evaluated now (bounded: they may nest) */
	struct ifunc_watch ifuncs[MAX_IFUNC_WATCHES];
	int nifuncs;
};

struct session *session_new(void);
void session_free(struct session *s);

/* Starts argv[0] stopped; runs to the initial breakpoint (or, with -g, on). */
int session_launch(struct session *s, char **argv, struct stop_report *rep);
int session_attach(struct session *s, pid_t pid, struct stop_report *rep);
/* Removes every int3, clears DR7 in every thread, then detaches. */
int session_detach(struct session *s);
/* Kills a launched program, detaches from an attached one: the end of a session. */
void session_end(struct session *s);
/* .kill: removes our points and kills the program, launched or attached; then session_end. */
int session_kill(struct session *s);
/* .restart: ends the current process (killing it) and launches the program again. */
int session_restart(struct session *s, struct stop_report *rep);
int session_has_process(struct session *s);
int session_require_process(struct session *s);

/*
 * Expression evaluation in the current thread's context: session_eval uses
 * the default evaluator (.expr: MASM unless set to C++), as every command's
 * expression does; session_eval_masm always MASM (text dr7 writes itself);
 * session_eval_cxx a C++ expression in the selected frame (.frame), its
 * value as a number (a pointer's value, an array's or function's address,
 * and a symbol without debug information gives its address).  Each stops
 * where the expression ends (*end).  @@c++(), @@masm(), @@() nest at most
 * SESSION_MAX_EVAL_NESTING deep.
 */
#define SESSION_MAX_EVAL_NESTING 16
int session_eval(struct session *s, const char *text, const char **end, uint64_t *val);
int session_eval_masm(struct session *s, const char *text, const char **end, uint64_t *val);
int session_eval_cxx(struct session *s, const char *text, const char **end, uint64_t *val);
int session_read(struct session *s, uint64_t addr, void *buf, size_t n);
int session_get_regs(struct session *s, pid_t tid, struct regs *r);
int session_set_regs(struct session *s, pid_t tid, const struct regs *r);
int session_is32(struct session *s);
/* "mod!sym+0x1a" for addr, or -1 when it is in no module. */
int session_describe(struct session *s, uint64_t addr, struct sbuf *out);

/* A symbol table over s->tgt (its memory, auxiliary vector and executable). */
struct sym_table *session_sym_open(struct session *s);
/* Stacks through sym_unwind with the thread's registers (tid 0: current);
 * flags: SYM_UNWIND_REGS for each frame's registers. */
int session_unwind(struct session *s, pid_t tid, int max, unsigned flags, sym_frame_fn fn, void *user);
/* The first max frames of tid's stack into out[] (frame 0 first); the count, or -1. */
int session_frames(struct session *s, pid_t tid, struct sym_frame *out, int max, unsigned flags);
/* pc of frame `index` as k numbers it (frames > 0: the return address). */
int session_frame_pc(struct session *s, pid_t tid, int index, uint64_t *pc);
int session_return_address(struct session *s, pid_t tid, uint64_t *ra);
/* Number of frames k shows (the /c and /C depth), or -1. */
int session_stack_depth(struct session *s, pid_t tid);

/* sx*: changes one event filter (filter.h).  0, or -1 with nothing changed. */
int session_filter_change(struct session *s, struct filter_key key, const struct filter_change *ch);
/* The filter behind a stop (REP_SIGNAL, REP_TRAP, REP_EVENT, REP_EXIT), or NULL. */
const struct filter *session_filter_of_stop(struct session *s, const struct stop_report *rep);

/* Hands ev to the listener (if any). */
void session_emit(struct session *s, const struct engine_event *ev);
/* The common breakpoint events: kind about bp_id, with why and the reason text. */
void session_emit_bp(struct session *s, enum engine_event_kind kind, int bp_id,
		     enum bp_removal removal, const char *message);

/*
 * Breakpoint definitions (bpdef.c).  same_location finds the breakpoint a
 * new definition b replaces (same kind, thread, /c and /C, and place), or
 * NULL.  find_redefined sets *old to the breakpoint b redefines: the one
 * with b->id when by_id, else the one at its location (or NULL); -1 (error
 * slot set) when b is a processor breakpoint whose identity another one
 * already has and they would differ only in their command string (WinDbg's
 * rule), or when another one than b->id has it.
 * install puts b into the table, taking ownership: as a redefinition of
 * old (keeping old's id) or with b->id; its condition is compiled and it
 * is armed first, and on failure (-1, error slot set) nothing changed and
 * b is freed.  retire_oneshots deletes the one-shot breakpoints among ids
 * after their hit was handled.
 */
struct bp *session_bp_same_location(struct session *s, const struct bp *b);
int session_bp_find_redefined(struct session *s, const struct bp *b, int by_id, struct bp **old);
int session_bp_install(struct session *s, struct bp *b, struct bp *old);
void session_bp_retire_oneshots(struct session *s, const int *ids, int n);

/*
 * GNU indirect functions (ifunc.c): place sets *impl to where a software
 * breakpoint at addr belongs: addr itself, or for an indirect function the
 * implementation the program calls; -1 (error slot set: why it waits) when
 * that is not known yet, and then the resolver is watched.  stop is run
 * control's: at a software stop of tid at pc, 1 when a watched resolver
 * just returned its choice (deferred breakpoints should be resolved
 * again).  forget: the image is gone.
 */
int session_ifunc_place(struct session *s, uint64_t addr, uint64_t *impl);
int session_ifunc_stop(struct session *s, pid_t tid, uint64_t pc);
void session_ifunc_forget(struct session *s);

/* Breakpoints: resolve the location text, arm, and everything deferred.
 * locate moves a resolved software breakpoint at an indirect function to
 * its implementation, or makes it wait unresolved (-1, the reason in the
 * error slot; it resolves once the implementation is known). */
int session_resolve_bp(struct session *s, struct bp *b);
int session_bp_locate(struct session *s, struct bp *b);
void session_resolve_deferred(struct session *s);
/* Re-reads modules (announcing loads) and re-resolves deferred breakpoints. */
void session_refresh_modules(struct session *s);
/* .reload: every module's symbols are read again (with the symbol path as it is now). */
int session_reload_symbols(struct session *s);

/*
 * /w conditions (cond.c): compiled once when the breakpoint is set, with
 * names bound at pc: a code breakpoint's address (its locals, then
 * globals), 0 for globals only, COND_PC_DATA for a data breakpoint set now
 * (the names in scope in the current thread's selected frame: its
 * function's locals, read at each hit in the innermost frame running that
 * function, then globals), or COND_PC_LATE when the address is not known
 * yet (syntax checked now, names bound at the first hit).
 */
#define COND_PC_LATE UINT64_MAX
#define COND_PC_DATA (UINT64_MAX - 1)
int cond_compile(struct session *s, const char *text, uint64_t pc, void **out);
void cond_free(void *cond);
/* Evaluates a compiled condition in thread tid's innermost frame; 0 with
 * *result = 0/1, or -1 (error slot set) when it cannot be evaluated there. */
int cond_eval(struct session *s, void *cond, pid_t tid, int *result);

/* Run control (exec.c). */
int exec_run(struct session *s, enum run_mode mode, enum sig_disposition sig,
	     struct stop_report *rep);
/* g Address: run until the current thread reaches addr (or anything else stops it). */
int exec_run_to(struct session *s, uint64_t addr, enum sig_disposition sig, struct stop_report *rep);
/*
 * One p or t step (mode RUN_STEP_OVER or RUN_STEP_INTO) for the run control
 * built from steps (engine/step.c, engine/trace.c): a software breakpoint
 * at the address the step reaches counts as hit there, as if the thread had
 * run into it, so a trace never passes a breakpoint silently.  (An execute
 * ba there is hit by the next step.)  Passes do not count, as in any step.
 */
int exec_step_checked(struct session *s, enum run_mode mode, enum sig_disposition sig,
		      struct stop_report *rep);
/* Runs every thread (as p over a call does) until the current thread
 * reaches addr with rsp >= min_sp: the rest of a call, run at full speed. */
int exec_run_to_frame(struct session *s, uint64_t addr, uint64_t min_sp, struct stop_report *rep);
/*
 * Runs the current thread alone, the others stopped, until it reaches one
 * of the n (1 or 2) addresses at[] (REP_STEP there): code run at full
 * speed for a trace.  Breakpoints on the way are hit as in any run, without
 * passes; a signal the program would simply be handed ends the run as
 * REP_SIGNAL with passed set, and the next resume (a step) delivers it.
 */
int exec_run_alone_to(struct session *s, const uint64_t *at, int n, struct stop_report *rep);
/* gc: carry on in the mode that reached the breakpoint (finishes a p or gu). */
int exec_continue(struct session *s, struct stop_report *rep);
/* Handles the first events of a new process up to the first stop to report. */
int exec_start(struct session *s, struct stop_report *rep);

#endif
