/*
 * ptrace_internal.h — state the Linux backend's files share: per-thread and
 * per-process records behind struct target's backend pointers.  Nothing
 * outside src/target/ptrace/ includes this.
 *
 * Each thread is in one of these states (th->state and the flags below):
 *
 *   starting   clone announced, its first stop not seen yet (starting);
 *              it runs once that stop arrives, unless everyone is stopped
 *   running    THREAD_RUNNING; stop_requested once PTRACE_INTERRUPT went out
 *   stepping   running a single step (stepping); a step of ours over a
 *              lifted int3 is waited for on that thread alone
 *   stopped    THREAD_STOPPED with nothing to report
 *   pending    stopped with a kernel event met while being stopped
 *              (has_pending: wait status and siginfo), kept until it is
 *              reported or proved ours and undone (an int3 hit rewound)
 *   exiting    past its PTRACE_EVENT_EXIT and resumed to die: it never
 *              stops again and nobody waits for it to
 *
 * Every wait status is classified exactly once (classify() in ptrace.c)
 * and reported at most once.
 *
 * Per-thread invariants:
 *   - regs caches the thread's registers while it is stopped; regs_dirty
 *     means the cache must be written before the thread runs again;
 *   - armed_dr7/armed_addr are what the thread's debug registers hold; they
 *     are rewritten only when the wanted state differs (DR7=0, DR0-3, DR7);
 *   - has_pending implies THREAD_STOPPED; stop_requested implies the
 *     interrupt is still due (the stop or another event will come);
 *   - skip_site is the pc of its last reported breakpoint or step: an int3
 *     of ours there is executed, not hit, when the thread next runs;
 *   - owed_site is an int3 of ours the thread was moved past with a signal
 *     whose handler ran instead of the instruction: the handler's return
 *     (same pc, same stack pointer owed_sp) is not a new hit;
 *   - step_syscall: a single step whose instruction is `syscall` while
 *     watches exist runs with PTRACE_SYSCALL (a hardware step skips the
 *     syscall stops watchsys.c needs); the call's exit stop is the step's
 *     end, at the next instruction;
 *   - stop_kind says where a stopped thread stopped (set when its wait
 *     status is classified or kept pending, PT_STOP_NONE once it runs):
 *     a system call can be injected in it only knowing that (inject.c).
 */
#ifndef DR7_PTRACE_INTERNAL_H
#define DR7_PTRACE_INTERNAL_H

/* No _GNU_SOURCE: glibc's <sys/ucontext.h> would then claim the REG_* names of regs.h. */
#include <signal.h>
#include <stdint.h>
#include <sys/types.h>
#include <sys/user.h>

#include "target/ptrace/dr.h"
#include "target/ptrace/pagewatch.h"
#include "target/ptrace/procfs.h"
#include "target/target.h"

/* Where a stopped thread is: decides how a system call is run in it (inject.c). */
enum pt_stop_kind {
	PT_STOP_NONE,		/* running, or its stop not classified (a new thread's first stop) */
	PT_STOP_ORDINARY,	/* signal-delivery, group or interrupt stop, a trap: in user mode */
	PT_STOP_EVENT,		/* a ptrace event stop (fork, vfork, clone, exec...): inside its call */
	PT_STOP_SYSCALL_ENTRY,	/* entering a system call, not run yet */
	PT_STOP_SYSCALL_EXIT,	/* its system call done, result in rax */
};

struct pt_thread {
	struct user_regs_struct regs;
	int regs_valid;
	int regs_dirty;
	uint64_t armed_dr7;
	uint64_t armed_addr[DR_SLOTS];
	int starting;		/* clone announced, initial stop not seen yet */
	int stop_requested;	/* PTRACE_INTERRUPT sent, waiting for the stop */
	int resume_me;		/* stopped new thread to start when the process runs */
	int exiting;		/* PTRACE_EVENT_EXIT seen */
	int stepping;
	int step_syscall;	/* a step over a syscall instruction, run by PTRACE_SYSCALL: its exit stop ends it */
	int has_pending;
	int pending_status;
	siginfo_t pending_si;
	enum pt_stop_kind stop_kind;
	int deliver_sig;	/* signal to pass when the thread next runs */
	uint64_t skip_site;	/* pc of its last reported stop: an int3 there is stepped over, not hit */
	uint64_t owed_site;	/* its instruction still to run after a signal handler returns */
	uint64_t owed_sp;
	uint64_t stale_page;	/* page (+1) of a fault taken as stale: the next there is the program's */
	/* System-call tracking while watches exist (watchsys.c): the call whose
	 * entry stop was seen, not its exit yet. */
	int in_syscall;
	long sys_nr;
	uint64_t sys_args[6];
	int sys_retried;	/* the call runs again after an EFAULT dr7 caused */
	uint32_t sys_len_in;	/* a socket length argument's value at entry (what the kernel may fill) */
};

/* A watch of the engine's and how it is served (ptrace_points.c). */
struct pt_watchpoint {
	struct point p;
	int refs;
	enum point_mechanism mech;	/* POINT_MECH_DEBUGREG or POINT_MECH_PAGES */
	unsigned slots;		/* debug registers holding its pieces */
	int stack;		/* on a thread's stack: preferred for debug registers */
};

struct pt_target {
	int mem_fd;
	int launched;
	int resume_deferred;	/* a resume waits until pending events are drained */
	struct resume_req deferred;
	pid_t step_only;	/* a single step with every other thread kept stopped */
	pid_t *early;		/* stops seen from tids we did not know yet */
	int nearly;
	pid_t vfork_parent;	/* a thread between its vfork event and VFORK_DONE */
	pid_t vfork_child;
	int vfork_open;		/* our int3 bytes are out of memory; only vfork_parent runs */
	int vfork_done;		/* VFORK_DONE just closed the window: resume who waited */
	int shares_our_pgrp;	/* the terminal's Ctrl-C reaches it as it reaches dr7 */
	pid_t signal_event_tid;	/* the thread of the last signal event reported */
	uint64_t *former_sites;	/* int3 addresses pt_remove_all took out (for detach) */
	int nformer;
	struct dr_state dr;	/* committed debug-register mirror */
	struct stop_event ready;	/* an event met while moving a thread past an int3 */
	int have_ready;
	struct pt_watchpoint *wps;	/* every watch inserted, with its mechanism */
	int nwps;
	struct pw_state pw;	/* the page-served ones (pagewatch.c) */
	uint64_t syscall_insn;	/* a syscall instruction in the vDSO (inject.c); 0: not found yet */
};

static inline struct pt_target *PT(struct target *t)
{
	return t->backend;
}

static inline struct pt_thread *PTH(struct target_thread *th)
{
	return th->backend;
}

/* ptrace_regs.c */
int pt_fetch_regs(struct target_thread *th);
int pt_flush_regs(struct target_thread *th);
int pt_get_regs(struct target *t, pid_t tid, struct regs *r);
int pt_set_regs(struct target *t, pid_t tid, const struct regs *r);
int pt_get_fpregs(struct target *t, pid_t tid, struct fpregs *f);

/* ptrace_points.c */
int pt_check_point(struct target *t, const struct point *p);
int pt_insert_point(struct target *t, const struct point *p);
int pt_remove_point(struct target *t, const struct point *p);
int pt_refresh_thread(struct target *t, pid_t tid);
int pt_remove_all(struct target *t);
/* Makes one thread's debug registers equal the committed mirror. */
int pt_arm_thread(struct target_thread *th, const struct dr_state *m);
enum point_mechanism pt_point_mechanism(struct target *t, const struct point *p, unsigned *slots);
/* Watches the kernel's read or write (rw: POINT_ACCESS_*) of [addr, addr+len)
 * for a system call of thread tid touches, appended to ev (each once). */
void pt_watch_kernel_access(struct target *t, pid_t tid, uint64_t addr, uint64_t len, unsigned rw,
			    struct stop_event *ev);
/* Placement as the program runs: whether the page of fault si is busy with
 * unrelated accesses while debug registers are free, and moving its
 * watches into them (every thread stopped). */
int pt_placement_due(struct target *t, const siginfo_t *si);
void pt_place_hot(struct target *t, const siginfo_t *si);
/* Whether any watch exists (system calls are then traced). */
int pt_watches_active(struct target *t);
/* DR6 of the thread, and clearing it after a hit. */
int pt_read_dr6(pid_t tid, uint64_t *dr6);
int pt_get_debugreg(struct target *t, pid_t tid, int n, uint64_t *value);
void pt_clear_dr6(pid_t tid);
/* The points behind the DR6 bits `slots`, appended to ev->hits. */
void pt_points_for_slots(struct target *t, unsigned slots, struct stop_event *ev);
/* True when slot bits contain an execute breakpoint. */
int pt_slots_have_exec(struct target *t, unsigned slots);
/* Moves tid past the instruction under the int3 at its pc by executing it
 * in dr7 (x86/emu), leaving the int3 in place: 0, or -1 when the
 * instruction must run on the CPU (it is not emulated, a watch could see
 * its access, or the program would fault). */
int pt_emulate_over_site(struct target *t, struct target_thread *th);

#endif
