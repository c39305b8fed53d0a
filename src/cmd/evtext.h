/*
 * evtext.h — the words for signals and events: WinDbg's event-filter codes
 * (av, ld, cpr...) and what they name in dr7's filter table, Linux signal
 * names, titles, and the one-line description of a stop or an event as the
 * stop display, notifications and .lastevent show it.
 */
#ifndef DR7_EVTEXT_H
#define DR7_EVTEXT_H

#include "engine/session.h"

/* One `sx` code.  handling: sx* on it sets the handling status (bpec, cc). */
struct evtext_code {
	const char *code;
	struct filter_key key;
	int handling;
	const char *title;
};

/* The codes in the order `sx` lists them: events first, then exceptions. */
const struct evtext_code *evtext_codes(int *n);
/* The code named name[0, len) (case-insensitive), or NULL. */
const struct evtext_code *evtext_code_find(const char *name, size_t len);

/* "SIGSEGV"; "SIG40" for a signal without a name of its own. */
void evtext_signal_name(struct sbuf *sb, int signo);
/* The signal named name[0, len) ("SIGUSR1", "sigusr1", "SIG40"), or 0. */
int evtext_signal_by_name(const char *name, size_t len);
/* What happened, in words: "Bus error", "User defined signal 1". */
const char *evtext_signal_meaning(int signo);
/* The exception's title: "Access violation (SIGSEGV)"; signo 0: the program's int3. */
void evtext_exception_title(struct sbuf *sb, int signo);
/* "<title> - code 0000000b (first chance)" or "(!!! second chance !!!)". */
void evtext_exception(struct sbuf *sb, int signo, int second_chance);
/* An si_code in words for .exr ("SEGV_MAPERR: address not mapped"), or NULL. */
const char *evtext_si_code(int signo, int si_code);

void evtext_thread_event(struct sbuf *sb, int created, int index, pid_t tid);
void evtext_fork(struct sbuf *sb, pid_t child);
/* "ModLoad: start end   path" / "Unload module path at start". */
void evtext_module(struct sbuf *sb, int loaded, const char *path, uint64_t start, uint64_t end, int is32);
/* How the process ended: "Process exited with code 0" / "Process killed by signal SIGSEGV". */
void evtext_process_end(struct sbuf *sb, int exit_code, int term_signal);

/* What a watch hit saw, after "Breakpoint N hit": " (read)", " (write)",
 * " (written by read)" / " (read by write)" for a system call's kernel
 * access; nothing when
 * the backend could not tell (a debug register's `ba r`). */
void evtext_watch_access(struct sbuf *sb, unsigned rw, int by_syscall, int syscall_nr, int is32);

/* A stop as .lastevent describes it (after "pid.tid: "). */
void evtext_stop(struct sbuf *sb, struct session *s, const struct stop_report *rep);

#endif
