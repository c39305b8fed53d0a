/*
 * step.h — run control built from steps of the current thread: source-line
 * stepping (p and t under `l+t`), and running to the next call, return or
 * branching instruction (pc tc pct tct tt ph th; pt is exec.c's).  Every
 * step is exec_step_checked's, so a breakpoint at any address the thread
 * reaches stops the command and is reported as hit.  Steps that trace (t,
 * and every instruction between calls) run the current thread alone; a
 * call stepped over (p) runs every thread, as p does.
 */
#ifndef DR7_STEP_H
#define DR7_STEP_H

#include "engine/session.h"

/* l+t: p and t step source lines; pc, pct and ph ignore the instructions of
 * the line they start on (WinDbg's source mode). */
#define STEP_BY_LINE 1u
/* Plain p and t steps (pa, ta) with exec_step_checked's breakpoint rule. */
#define STEP_CHECKED 2u

/*
 * Carries out one stepping command: every run_mode, those exec_run takes
 * and those built here.  Without flags a plain p or t is exec_run's.  The
 * report is the stop to show (REP_STEP when the goal was reached).
 */
int step_run(struct session *s, enum run_mode mode, unsigned flags, enum sig_disposition sig,
	     struct stop_report *rep);

/* Whether mode is a tracing (t-like) one: calls are entered, not run. */
int step_mode_traces(enum run_mode mode);

#endif
