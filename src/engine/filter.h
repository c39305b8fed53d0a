/*
 * filter.h — the event filters: what the session does when a signal meets
 * the program or an event happens to it (WinDbg's `sx` settings).  The
 * engine owns the table and run control reads it (exec.c); `sx*` changes
 * it only through session_filter_change.  The names users type (av, ld,
 * SIGUSR1) and every word shown for a filter are cmd/'s.
 *
 * Each filter has a break status (break at first chance, break at second
 * chance only, print only, ignore), a handling status for exceptions (a
 * resume that does not say gh/gn delivers the signal only when it is "not
 * handled"), and command strings as data: the first-chance one runs at the
 * event whatever the break status, the second-chance one when the program
 * would die of it.  cmd/ runs them after the stop is reported.
 *
 * Invariants: a signal has an entry of its own (`own`) or "*" applies to
 * it; the strings are the table's (copied in, freed by reset).
 */
#ifndef DR7_FILTER_H
#define DR7_FILTER_H

#include <stdint.h>

enum filter_break {
	FILTER_BREAK,		/* sxe: stop at first chance */
	FILTER_SECOND_CHANCE,	/* sxd: stop only when the program would die; a line at first chance */
	FILTER_OUTPUT,		/* sxn: a line, no stop */
	FILTER_IGNORE,		/* sxi: nothing */
};

/* The events that are not signals. */
enum filter_event {
	FEV_CREATE_THREAD,	/* ct */
	FEV_EXIT_THREAD,	/* et */
	FEV_CREATE_PROCESS,	/* cpr: the program forked (the child is not debugged) */
	FEV_EXIT_PROCESS,	/* epr: the final breakpoint */
	FEV_LOAD_MODULE,	/* ld[:Module] */
	FEV_UNLOAD_MODULE,	/* ud[:Module] */
	FEV_BREAK_INSTRUCTION,	/* bpe/bpec: an int3 of the program itself (an exception) */
	FEV_COUNT
};

#define FILTER_MAX_SIGNAL 64

struct filter {
	enum filter_break brk;
	int handled;		/* exceptions: a plain resume suppresses the signal */
	char *cmd1;		/* first-chance command string, or NULL */
	char *cmd2;		/* second-chance command string, or NULL */
	char *arg;		/* ld/ud: the module (name pattern or address), or NULL: any */
	int own;		/* signals: listed with an entry of its own */
};

struct filter_table {
	struct filter ev[FEV_COUNT];
	struct filter sig[FILTER_MAX_SIGNAL + 1];	/* by signal number; [0] unused */
	struct filter other;	/* "*": every signal without an entry of its own */
};

/* Which filter a change or a lookup means. */
enum filter_key_kind { FKEY_EVENT, FKEY_SIGNAL, FKEY_OTHER };
struct filter_key {
	enum filter_key_kind kind;
	int id;			/* FKEY_EVENT: enum filter_event; FKEY_SIGNAL: the signal number */
};

/* A change to one filter: only what is set changes (sx- changes commands only). */
struct filter_change {
	int set_break;
	enum filter_break brk;
	int set_handled;
	int handled;
	const char *cmd1;	/* NULL: unchanged; "" clears */
	const char *cmd2;
	int set_arg;
	const char *arg;	/* with set_arg: NULL or "" means any module */
};

/* The defaults (sxr): commands and module arguments cleared. */
void filters_reset(struct filter_table *t);
void filters_free(struct filter_table *t);
/* The filter that applies to signo: its own entry, or "*". */
struct filter *filter_for_signal(struct filter_table *t, int signo);
struct filter *filter_lookup(struct filter_table *t, struct filter_key key);
/* Applies ch to the filter key names (a signal gets an entry of its own).
 * 0, or -1 (error slot set, nothing changed) for a signal no filter can see. */
int filter_apply(struct filter_table *t, struct filter_key key, const struct filter_change *ch);
/* Signals a debugger can see before they act (not SIGKILL), 1..FILTER_MAX_SIGNAL. */
int filter_signal_catchable(int signo);
/* Whether signo's default action ends the process. */
int filter_default_kills(int signo);
/* Whether a module (its dr7 name, file path, start) is the one f->arg names. */
int filter_module_matches(const struct filter *f, const char *name, const char *path, uint64_t start);

#endif
