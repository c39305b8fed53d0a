/*
 * target.h — the backend contract: one debugged process, all-stop.
 *
 * Everything above this header works unchanged over any backend (ptrace
 * today; the GDB remote protocol later).  A backend implements struct
 * target_ops; target.c wraps it and owns what every backend shares:
 *   - the software-breakpoint sites (address -> the original byte under the
 *     0xCC), so that every memory read hides breakpoint bytes and every
 *     memory write keeps them (the saved byte takes the new value);
 *   - the debug-register mirror (struct dr_state), committed only after the
 *     backend accepted it.
 *
 * Invariants: when target_wait() returns, every thread of the process is
 * stopped (all-stop) and the event's pc is the address to show (already
 * rewound past an int3).  Thread indexes are assigned in discovery order and
 * never reused.
 */
#ifndef DR7_TARGET_H
#define DR7_TARGET_H

#include <stddef.h>
#include <stdint.h>
#include <sys/types.h>

#include "target/ptrace/dr.h"
#include "x86/regs.h"

enum stop_kind {
	STOP_NONE,
	STOP_EXEC,		/* the process image was replaced (also the first stop after launch) */
	STOP_SW_BREAK,		/* int3 at an inserted site; pc rewound to the site */
	STOP_HW_BREAK,		/* debug-register hit: hw_hits has the slot bits */
	STOP_STEP,		/* single step completed */
	STOP_SIGNAL,		/* signal-delivery stop: signo is pending for the thread */
	STOP_INTERRUPT,		/* stopped on request (break-in) */
	STOP_TRAP,		/* SIGTRAP not caused by us (int3 in the program, ...) */
	STOP_EXIT,		/* process about to exit (still inspectable): exit_code/term_signal */
	STOP_GONE,		/* process no longer exists (reaped or killed) */
};

struct stop_event {
	enum stop_kind kind;
	pid_t tid;
	uint64_t pc;
	int signo;		/* STOP_SIGNAL */
	int si_code;
	uint64_t fault_addr;	/* siginfo si_addr */
	unsigned hw_hits;	/* STOP_HW_BREAK; may accompany STOP_STEP too */
	int exit_code;		/* STOP_EXIT / STOP_GONE: exit status, or -1 when killed */
	int term_signal;	/* STOP_EXIT / STOP_GONE: signal that killed it, or 0 */
};

enum thread_state { THREAD_STOPPED, THREAD_RUNNING, THREAD_EXITING };

struct target_thread {
	pid_t tid;
	int index;		/* WinDbg thread number: 0, 1, 2... in discovery order */
	enum thread_state state;
	int frozen;		/* ~f: not resumed by g/p/t */
	void *backend;		/* backend's per-thread data */
};

/* What to resume, for target_resume(). */
struct resume_req {
	pid_t step_tid;		/* > 0: single-step this thread */
	int step_only;		/* with step_tid: the other threads stay stopped */
	pid_t signal_tid;	/* thread whose pending signal is delivered (0: none) */
	int signo;		/* signal to deliver to signal_tid (0: suppress) */
};

struct target;

struct target_ops {
	const char *name;
	int (*resume)(struct target *t, const struct resume_req *req);
	/* Blocks until an event; leaves every thread stopped.  interrupted is
	 * polled (may be NULL): when it becomes non-zero the backend stops the
	 * process and reports STOP_INTERRUPT. */
	int (*wait)(struct target *t, struct stop_event *ev, volatile int *interrupted);
	int (*read_mem)(struct target *t, uint64_t addr, void *buf, size_t n);	/* bytes read or -1 */
	int (*write_mem)(struct target *t, uint64_t addr, const void *buf, size_t n);	/* 0 / -1 */
	/* Accesses with the program's own page permissions (no forcing):
	 * they fail exactly where the program itself would fault.  0 / -1. */
	int (*read_as_program)(struct target *t, uint64_t addr, void *buf, size_t n);
	int (*write_as_program)(struct target *t, uint64_t addr, const void *buf, size_t n);
	int (*get_regs)(struct target *t, pid_t tid, struct regs *r);
	int (*set_regs)(struct target *t, pid_t tid, const struct regs *r);
	int (*get_fpregs)(struct target *t, pid_t tid, struct fpregs *f);
	/* Loads the mirror into the threads (all, or only tid when tid > 0). */
	int (*set_debugregs)(struct target *t, const struct dr_state *mirror, pid_t tid);
	int (*get_dr6)(struct target *t, pid_t tid, uint64_t *dr6);
	int (*get_dr7)(struct target *t, pid_t tid, uint64_t *dr7);
	/* Process facts.  read_auxv: the raw auxiliary vector of the current
	 * image (bytes copied, at most n, or -1); exe_path: the path of the
	 * executable file (NUL-terminated, 0 / -1); whether the program catches
	 * or ignores signo (1 / 0); a thread's name (0 / -1). */
	int (*read_auxv)(struct target *t, void *buf, size_t n);
	int (*exe_path)(struct target *t, char *buf, size_t n);
	int (*signal_handled)(struct target *t, int signo);
	int (*thread_name)(struct target *t, pid_t tid, char *buf, size_t n);
	/* Clean up our traces (int3 are removed by target.c first), then detach. */
	int (*detach)(struct target *t, int signo);
	int (*kill)(struct target *t);
	void (*destroy)(struct target *t);
};

struct sw_site {
	uint64_t addr;
	uint8_t saved;		/* original byte */
	int inserted;		/* 0xCC currently in memory */
};

struct target {
	const struct target_ops *ops;
	pid_t pid;
	int is32;		/* i386 tracee */
	int attached;		/* attached (detach on quit) rather than launched (kill on quit) */
	int exited;		/* STOP_GONE seen */
	struct target_thread **threads;
	int nthreads;
	int next_index;
	struct sw_site *sites;	/* sorted by addr */
	int nsites;
	uint64_t moribund[64];	/* recently removed sites: a late trap there is undone, not reported */
	int nmoribund;
	struct dr_state dr;	/* committed debug-register mirror */
	void *backend;
};

/* ---- generic layer (target.c) ---- */

int target_resume(struct target *t, const struct resume_req *req);
int target_wait(struct target *t, struct stop_event *ev, volatile int *interrupted);

/* Reads n bytes with breakpoint bytes hidden.  Returns the number of bytes
 * read from the start (less than n at an unreadable page), or -1. */
int target_read(struct target *t, uint64_t addr, void *buf, size_t n);
/* Writes all n bytes or fails; bytes under inserted int3 update the saved copy. */
int target_write(struct target *t, uint64_t addr, const void *buf, size_t n);
/* The program's view, for emulating its instructions: page permissions are
 * honoured (a load from a guard page fails instead of succeeding), int3
 * bytes are hidden on reads, and a store over an int3 is refused. */
int target_read_as_program(struct target *t, uint64_t addr, void *buf, size_t n);
int target_write_as_program(struct target *t, uint64_t addr, const void *buf, size_t n);
int target_get_regs(struct target *t, pid_t tid, struct regs *r);
int target_set_regs(struct target *t, pid_t tid, const struct regs *r);
int target_get_fpregs(struct target *t, pid_t tid, struct fpregs *f);

/* Software breakpoint sites.  insert writes 0xCC and remembers the byte. */
int target_sw_insert(struct target *t, uint64_t addr);
int target_sw_remove(struct target *t, uint64_t addr);
const struct sw_site *target_sw_find(const struct target *t, uint64_t addr);
/* True when addr held a site that was removed recently (another thread may
 * have executed its int3 just before the removal). */
int target_sw_moribund(const struct target *t, uint64_t addr);
/* Temporarily restores the original byte (for a step-over) / puts 0xCC back. */
int target_sw_lift(struct target *t, uint64_t addr);
int target_sw_drop(struct target *t, uint64_t addr);

/* Debug registers: change the mirror transactionally.  Returns slot or -1. */
int target_hw_insert(struct target *t, uint64_t addr, int len, enum dr_rw rw, pid_t tid);
int target_hw_remove(struct target *t, uint64_t addr, int len, enum dr_rw rw, pid_t tid);
/* Re-arms the committed mirror in one thread (after exec clears it, `.apply_dbp`). */
int target_hw_reapply(struct target *t, pid_t tid);

/* The raw auxiliary vector (bytes copied, or -1) and the executable's path
 * (0 / -1), as the backend gives them. */
int target_read_auxv(struct target *t, void *buf, size_t n);
int target_exe_path(struct target *t, char *buf, size_t n);
/* Entry point (AT_ENTRY) and interpreter base (AT_BASE, 0 for a static
 * program), parsed from target_read_auxv.  0 / -1. */
int target_auxv(struct target *t, uint64_t *entry, uint64_t *interp_base);
int target_signal_handled(struct target *t, int signo);
int target_thread_name(struct target *t, pid_t tid, char *buf, size_t n);

/* Removes every int3 and clears DR7 in every thread (quit, detach, signals). */
int target_remove_all(struct target *t);
int target_detach(struct target *t, int signo);
int target_kill(struct target *t);
void target_destroy(struct target *t);

struct target_thread *target_thread_by_tid(struct target *t, pid_t tid);
struct target_thread *target_thread_by_index(struct target *t, int index);
/* Backends call these as threads come and go. */
struct target_thread *target_thread_add(struct target *t, pid_t tid);
void target_thread_remove(struct target *t, pid_t tid);

/* ---- the ptrace backend (target_ptrace.c) ---- */

struct launch_opts {
	char *const *argv;	/* argv[0] is the program (searched in PATH) */
	int disable_aslr;
};
/* Starts the program stopped at its exec (STOP_EXEC is the first event). */
struct target *ptrace_launch(const struct launch_opts *o);
/* Attaches to every thread of pid and stops them (the first event is STOP_INTERRUPT). */
struct target *ptrace_attach(pid_t pid);

#endif
