/*
 * target.h — the backend contract: one debugged process, all-stop.
 *
 * Everything above this header works unchanged over any backend (ptrace
 * today; the GDB remote protocol later).  The engine asks for breakpoints
 * and watches by address (struct point) and is told, at each stop, which of
 * them caused it; how a point is realised (an int3, a debug register, a `Z`
 * packet, page protection) is the backend's business, and so is moving a
 * thread past a breakpoint of its own when the thread resumes.
 *
 * A backend implements struct target_ops.  target.c wraps it and holds
 * what every backend may share: the software-breakpoint sites (address ->
 * the original byte under the 0xCC, reference-counted), so that every
 * memory read hides breakpoint bytes and every memory write keeps them,
 * and the thread list.
 *
 * Invariants: when target_wait() returns, the event's thread is stopped
 * and its pc is the address to show (already rewound past an int3); the
 * other threads may still run until target_stop_all(), so a hit that
 * resumes at once costs that thread alone.  Whoever shows a stop to the
 * user, or changes memory, registers or points, stops them all first.  Thread indexes are assigned in discovery order and
 * never reused.  Identical points (same type, address, length and thread)
 * are reference-counted by the backend: each insert needs its own remove.
 */
#ifndef DR7_TARGET_H
#define DR7_TARGET_H

#include <stddef.h>
#include <stdint.h>
#include <sys/types.h>

#include "x86/regs.h"

/* What the engine asks a backend to stop at. */
enum point_type {
	POINT_SOFTWARE,		/* a breakpoint the backend writes into code (int3) */
	POINT_HW_EXEC,		/* a processor execute breakpoint: the code is not touched */
	POINT_WATCH_WRITE,	/* stores to [addr, addr+len) */
	POINT_WATCH_RW,		/* loads or stores (WinDbg's `ba r`) */
	POINT_WATCH_READ,	/* loads only, never stores (dr7's `ba l`) */
};

/* The largest watch a backend is asked to check (any alignment, length >= 1). */
#define POINT_WATCH_MAX (16u << 20)

/* What a watched access did (stop_event.hit_rw): 0 when the backend cannot tell. */
enum { POINT_ACCESS_READ = 1, POINT_ACCESS_WRITE = 2 };

/* How a backend serves a point (target_point_mechanism, for `bl`). */
enum point_mechanism { POINT_MECH_NONE, POINT_MECH_SOFTWARE, POINT_MECH_DEBUGREG, POINT_MECH_PAGES };

struct point {
	enum point_type type;
	uint64_t addr;
	int len;		/* 1 for breakpoints */
	pid_t tid;		/* 0: every thread; else that thread only */
};

/* A watch sees loads and stores of the CPU; a breakpoint stops before the instruction. */
static inline int point_is_watch(enum point_type t)
{
	return t == POINT_WATCH_WRITE || t == POINT_WATCH_RW || t == POINT_WATCH_READ;
}

enum stop_kind {
	STOP_NONE,
	STOP_EXEC,		/* the process image was replaced (also the first stop after launch) */
	STOP_BREAKPOINT,	/* a breakpoint at pc stopped the thread before the instruction */
	STOP_WATCH,		/* a watched access: pc is after the accessing instruction */
	STOP_STEP,		/* single step completed (hits may name watches it touched) */
	STOP_SIGNAL,		/* signal-delivery stop: signo is pending for the thread */
	STOP_INTERRUPT,		/* stopped on request (break-in) */
	STOP_TRAP,		/* SIGTRAP not caused by us (int3 in the program, ...) */
	STOP_EXIT,		/* process about to exit (still inspectable): exit_code/term_signal */
	STOP_GONE,		/* process no longer exists (reaped or killed) */
	/* Only while target.report asks for them (TARGET_REPORT_*): */
	STOP_THREAD_CREATED,	/* tid created new_tid (which may not have run yet) */
	STOP_THREAD_EXITED,	/* tid, not the last thread, is exiting (still inspectable) */
	STOP_FORK,		/* tid forked (or vforked) new_tid, which is not traced */
};

/* target.report: events the engine wants as stops (off: the backend absorbs them). */
enum {
	TARGET_REPORT_THREADS = 1 << 0,
	TARGET_REPORT_FORKS = 1 << 1,
};

#define STOP_MAX_POINTS 8

struct stop_event {
	enum stop_kind kind;
	pid_t tid;
	uint64_t pc;
	int signo;		/* STOP_SIGNAL */
	int si_code;
	uint64_t fault_addr;	/* siginfo si_addr */
	int sender_pid, sender_uid, child_status;	/* siginfo of a sent signal (kill; SIGCHLD: si_status) */
	pid_t new_tid;		/* STOP_THREAD_CREATED: the new thread; STOP_FORK: the child */
	/* STOP_BREAKPOINT, STOP_WATCH, STOP_STEP: the points that caused the stop,
	 * as they were inserted.  A hardware execute breakpoint and a software
	 * one at the same pc are both named: one execution hits both. */
	struct point hits[STOP_MAX_POINTS];
	unsigned hit_rw[STOP_MAX_POINTS];	/* POINT_ACCESS_* bits of what hits[i] saw; 0: not known */
	int nhits;
	/* STOP_WATCH with by_syscall: the hits saw the kernel write into (or
	 * read from: hit_rw) the program's memory for system call syscall_nr
	 * (the tracee ABI's number), reported when the call returned;
	 * otherwise an instruction's access. */
	int by_syscall;
	int syscall_nr;
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
	int run_alone;		/* with step_only: step_tid runs freely instead of one step */
	pid_t signal_tid;	/* thread whose pending signal is delivered (0: none) */
	int signo;		/* signal to deliver to signal_tid (0: suppress) */
};

/* One mapping of the address space (target_memory_regions). */
enum {
	REGION_READ = 1 << 0,
	REGION_WRITE = 1 << 1,
	REGION_EXEC = 1 << 2,
	REGION_SHARED = 1 << 3,	/* shared with other processes (else private, copy-on-write) */
};

struct target_region {
	uint64_t start, end;	/* [start, end), page-aligned */
	unsigned prot;		/* REGION_* */
	uint64_t offset;	/* file offset of start (0 when anonymous) */
	/* The file mapped, or the kernel's name of a special region ("[heap]",
	 * "[stack]", "[vdso]", "[vvar]"), or "" when anonymous. */
	char *name;
};

struct target;

struct target_ops {
	const char *name;
	/* A thread that resumes where a reported breakpoint or step left it, on
	 * a breakpoint of the backend's, executes the instruction there first:
	 * the backend moves it past (emulating it, or stepping it alone with the
	 * breakpoint lifted) and the breakpoint stays.  If that step meets an
	 * event (a signal, a watch), the event is the next one wait reports. */
	int (*resume)(struct target *t, const struct resume_req *req);
	/* Blocks until an event; leaves at least the event's thread stopped.
	 * interrupted is polled (may be NULL): when it becomes non-zero the
	 * backend stops every thread and reports STOP_INTERRUPT. */
	int (*wait)(struct target *t, struct stop_event *ev, volatile int *interrupted);
	/* Stops every thread that still runs; what they meet instead is kept
	 * and reported by the next waits, one at a time, before anything runs. */
	int (*stop_all)(struct target *t);
	int (*read_mem)(struct target *t, uint64_t addr, void *buf, size_t n);	/* bytes read or -1 */
	int (*write_mem)(struct target *t, uint64_t addr, const void *buf, size_t n);	/* 0 / -1 */
	/* Accesses with the program's own page permissions (no forcing):
	 * they fail exactly where the program itself would fault.  0 / -1. */
	int (*read_as_program)(struct target *t, uint64_t addr, void *buf, size_t n);
	int (*write_as_program)(struct target *t, uint64_t addr, const void *buf, size_t n);
	int (*get_regs)(struct target *t, pid_t tid, struct regs *r);
	int (*set_regs)(struct target *t, pid_t tid, const struct regs *r);
	int (*get_fpregs)(struct target *t, pid_t tid, struct fpregs *f);
	/* Debug register n (0-3 addresses, 6 status, 7 control) of a stopped
	 * thread as the CPU holds it for that thread: 0 / -1.  May be NULL
	 * (a backend without them: `r dr7` says not supported). */
	int (*get_debugreg)(struct target *t, pid_t tid, int n, uint64_t *value);
	/* Breakpoints and watches by address.  check says whether the backend
	 * can realise such a point at all (size, alignment, address: 0, or -1
	 * with the reason), not whether resources are free now; insert is
	 * all-or-nothing; remove takes one reference away. */
	int (*check_point)(struct target *t, const struct point *p);
	int (*insert_point)(struct target *t, const struct point *p);
	int (*remove_point)(struct target *t, const struct point *p);
	/* Loads what the backend keeps per thread (debug registers) into tid
	 * again, after something else changed them (`.apply_dbp`).  May be NULL. */
	int (*refresh_thread)(struct target *t, pid_t tid);
	/* How an inserted point is served now, and for a debug-register one
	 * which slots (bit i: DRi) in *slots.  May be NULL. */
	enum point_mechanism (*point_mechanism)(struct target *t, const struct point *p, unsigned *slots);
	/* Process facts.  read_auxv: the raw auxiliary vector of the current
	 * image (bytes copied, at most n, or -1); exe_path: the path of the
	 * executable file (NUL-terminated, 0 / -1); whether the program catches
	 * or ignores signo (1 / 0); a thread's name (0 / -1). */
	int (*read_auxv)(struct target *t, void *buf, size_t n);
	int (*exe_path)(struct target *t, char *buf, size_t n);
	int (*signal_handled)(struct target *t, int signo);
	int (*thread_name)(struct target *t, pid_t tid, char *buf, size_t n);
	/* The address space's mappings in ascending order, none overlapping
	 * (*out malloc'd, each name malloc'd): the count, or -1 with the error
	 * slot set.  May be NULL (a backend that cannot tell). */
	int (*memory_regions)(struct target *t, struct target_region **out);
	/* Removes every point of ours from the process (every int3, every
	 * thread's debug registers) and forgets them.  0 / -1. */
	int (*remove_all)(struct target *t);
	/* Detaches, leaving signo pending for the program (points removed first). */
	int (*detach)(struct target *t, int signo);
	int (*kill)(struct target *t);
	void (*destroy)(struct target *t);
};

/* One int3 written into the program (target.c keeps these for backends that write their own). */
struct sw_site {
	uint64_t addr;
	uint8_t saved;		/* original byte */
	int inserted;		/* 0xCC currently in memory (0 while lifted for a step) */
	int refs;		/* identical POINT_SOFTWARE inserts */
};

struct target {
	const struct target_ops *ops;
	pid_t pid;
	int is32;		/* i386 tracee */
	int attached;		/* attached (detach on quit) rather than launched (kill on quit) */
	int exited;		/* STOP_GONE seen */
	unsigned report;	/* TARGET_REPORT_* bits, set by the engine before it resumes */
	struct target_thread **threads;
	int nthreads;
	int next_index;
	struct sw_site *sites;	/* sorted by addr */
	int nsites;
	uint64_t moribund[64];	/* recently removed sites: a late trap there is undone, not reported */
	int nmoribund;
	/* Told of every thread found or lost after it is set (the engine's events). */
	void (*thread_hook)(void *user, const struct target_thread *th, int created);
	void *thread_hook_user;
	void *backend;
};

/* ---- generic layer (target.c) ---- */

int target_resume(struct target *t, const struct resume_req *req);
int target_wait(struct target *t, struct stop_event *ev, volatile int *interrupted);
int target_stop_all(struct target *t);

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
/* Debug register n (0-3, 6, 7) of thread tid; -1 with "not supported: ..." when the backend has none. */
int target_get_debugreg(struct target *t, pid_t tid, int n, uint64_t *value);

/* Breakpoints and watches (see target_ops). */
int target_check_point(struct target *t, const struct point *p);
int target_insert_point(struct target *t, const struct point *p);
int target_remove_point(struct target *t, const struct point *p);
int target_refresh_thread(struct target *t, pid_t tid);
/* POINT_MECH_NONE when the backend does not say (or the point is not inserted). */
enum point_mechanism target_point_mechanism(struct target *t, const struct point *p, unsigned *slots);

/*
 * Software-breakpoint sites, for backends that write int3 themselves.
 * insert writes 0xCC and remembers the byte (or adds a reference);
 * remove drops a reference and restores the byte with the last one.
 */
int target_sw_insert(struct target *t, uint64_t addr);
int target_sw_remove(struct target *t, uint64_t addr);
const struct sw_site *target_sw_find(const struct target *t, uint64_t addr);
/* True when addr held a site that was removed recently (another thread may
 * have executed its int3 just before the removal). */
int target_sw_moribund(const struct target *t, uint64_t addr);
/* Temporarily restores the original byte (for a step-over) / puts 0xCC back. */
int target_sw_lift(struct target *t, uint64_t addr);
int target_sw_drop(struct target *t, uint64_t addr);
/* Restores every original byte and forgets every site (0 / -1). */
int target_sw_remove_all(struct target *t);
/* The image was replaced (exec): the sites are gone with it. */
void target_sw_forget(struct target *t);

/* The raw auxiliary vector (bytes copied, or -1) and the executable's path
 * (0 / -1), as the backend gives them. */
int target_read_auxv(struct target *t, void *buf, size_t n);
int target_exe_path(struct target *t, char *buf, size_t n);
/* Entry point (AT_ENTRY) and interpreter base (AT_BASE, 0 for a static
 * program), parsed from target_read_auxv.  0 / -1. */
int target_auxv(struct target *t, uint64_t *entry, uint64_t *interp_base);
int target_signal_handled(struct target *t, int signo);
int target_thread_name(struct target *t, pid_t tid, char *buf, size_t n);
/* The memory map (see target_ops.memory_regions); -1 with "not supported: ..."
 * when the backend has none.  target_regions_free frees what it returned. */
int target_memory_regions(struct target *t, struct target_region **out);
void target_regions_free(struct target_region *v, int n);

/* Removes every breakpoint and watch of ours (quit, detach, signals). */
int target_remove_all(struct target *t);
int target_detach(struct target *t, int signo);
int target_kill(struct target *t);
void target_destroy(struct target *t);

struct target_thread *target_thread_by_tid(struct target *t, pid_t tid);
struct target_thread *target_thread_by_index(struct target *t, int index);
void target_set_thread_hook(struct target *t,
			    void (*hook)(void *user, const struct target_thread *th, int created),
			    void *user);
/* Backends call these as threads come and go. */
struct target_thread *target_thread_add(struct target *t, pid_t tid);
void target_thread_remove(struct target *t, pid_t tid);

/*
 * How a session gets a target: the front end picks a backend and hands the
 * engine its constructors, so nothing above target/ names a backend.
 */
struct launch_opts {
	char *const *argv;	/* argv[0] is the program (searched in PATH) */
	int disable_aslr;
	/* With redirect, the program's stdin, stdout and stderr are these
	 * descriptors (a front end that speaks a protocol on its own stdout
	 * gives it pipes); otherwise it shares dr7's. */
	int redirect;
	int stdio[3];
	const char *cwd;	/* NULL: dr7's working directory */
	char *const *envp;	/* NULL: dr7's environment */
};

struct target_backend {
	const char *name;
	/* Starts the program stopped at its exec (STOP_EXEC is the first event). */
	struct target *(*launch)(const struct launch_opts *o);
	/* Attaches to every thread of pid and stops them. */
	struct target *(*attach)(pid_t pid);
};

#endif
