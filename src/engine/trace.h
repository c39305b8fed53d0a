/*
 * trace.h — wt (Trace and Watch Data): runs a function, or up to an
 * address, one instruction at a time in the current thread (the other
 * threads stay stopped) and accounts for every instruction: a call tree
 * (for each frame the instructions it executed itself and in its callees,
 * and its depth), per-function statistics and the system calls made.
 *
 * The engine reports the tree as it grows through a callback and keeps
 * the statistics by function entry address; cmd/ names and prints them.
 * Code in an ignored module (-i, or outside the -m modules beyond the first
 * level) is not traced: it runs at full speed to its return, every thread
 * running, as p runs a call, and its instructions are not counted.
 */
#ifndef DR7_TRACE_H
#define DR7_TRACE_H

#include <stddef.h>
#include <stdint.h>

#include "engine/session.h"

enum trace_kind {
	TRACE_NONE,		/* not at a function's start nor on a call, no end address: one p */
	TRACE_FUNCTION,		/* at a function's first instruction: to its return address */
	TRACE_CALL,		/* on a call instruction: until it returns here */
	TRACE_TO_ADDRESS,	/* EndAddress given: until the thread reaches it */
};

struct trace_plan {
	enum trace_kind kind;
	uint64_t start;		/* the pc the trace starts at */
	uint64_t end;		/* the return address, or EndAddress */
};

struct trace_options {
	int have_end;
	uint64_t end;			/* EndAddress */
	const char *const *only;	/* -m: module names (WinDbg names, any case) */
	int nonly;
	const char *const *ignore;	/* -i, ignored when -m is given */
	int nignore;
	int want_returns;		/* return lines carry the return registers (-or, -oR) */
	int want_fp_return;		/* ... and xmm0 (-oR) */
};

enum trace_event {
	TRACE_CALLS,	/* the frame makes a call: its counts so far; the callee's lines follow */
	TRACE_RETURNS,	/* the frame returned: its final counts and return registers */
	TRACE_LEAVES,	/* the frame jumped into another function (a PLT stub, a tail call) */
	TRACE_IGNORED,	/* a call into ignored code, run at full speed and not counted */
	TRACE_OPEN,	/* the trace ended with the frame still running: its counts so far */
};

struct trace_line {
	enum trace_event event;
	int depth;		/* 0: the function the trace started in */
	uint64_t func;		/* the frame's entry address */
	uint64_t caller;	/* the calling frame's entry address (0 at depth 0) */
	uint64_t own;		/* instructions the frame executed itself */
	uint64_t children;	/* instructions executed in the functions it called */
	uint64_t rax, rdx;	/* TRACE_RETURNS with want_returns: the return registers (eax, edx for i386) */
	uint64_t xmm0;		/* TRACE_RETURNS with want_fp_return: xmm0's low 8 bytes */
	int have_xmm0;
};
typedef void (*trace_line_fn)(void *user, const struct trace_line *line);

/* One function's invocations; an invocation's count includes its callees'. */
struct trace_func_stats {
	uint64_t func;
	uint64_t invocations, min, max, total;
};

/* System-call instructions executed, by the function (frame) that ran them. */
struct trace_syscall_stats {
	uint64_t func;
	uint64_t count;
};

struct trace_result {
	uint64_t instructions;	/* instructions traced (a repeated string instruction once) */
	uint64_t events;	/* stops it took: single steps and full-speed runs */
	struct trace_func_stats *funcs;	/* in order of first completion */
	size_t nfuncs;
	struct trace_syscall_stats *syscalls;
	size_t nsyscalls;
	int completed;		/* reached its end; otherwise the report says what stopped it */
};

/* What wt would do from the current thread's pc (windbg-commands.md §6.2). */
int trace_plan(struct session *s, const struct trace_options *o, struct trace_plan *out);
/*
 * Traces as planned (kind other than TRACE_NONE), calling fn for each line
 * of the tree.  A breakpoint at any address the thread reaches, a signal
 * that stops, the exit or Ctrl-C ends the trace early: every frame still
 * open gets a TRACE_OPEN line, innermost first, and rep is that stop.
 * Otherwise rep is a REP_STEP at the end.  0, or -1 (error slot set).
 */
int trace_run(struct session *s, const struct trace_options *o, const struct trace_plan *plan,
	      trace_line_fn fn, void *user, struct trace_result *res, struct stop_report *rep);
void trace_result_free(struct trace_result *res);

#endif
