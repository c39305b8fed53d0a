/*
 * ptrace.c — the Linux backend's run control: launch, attach, resume, wait,
 * stopping every thread, fork/vfork children, detach and kill.
 *
 * Model: PTRACE_SEIZE with TRACECLONE/EXEC/EXIT/FORK/VFORK (EXITKILL only for
 * programs we launched), so PTRACE_INTERRUPT can stop threads without
 * injecting signals.  All-stop: when one thread reports an event that must be
 * reported, every other running thread is interrupted and waited for before
 * pt_wait() returns.  Events other threads report while being stopped are
 * kept as that thread's pending event and reported, one at a time, before
 * anything is resumed again — except an int3 hit, which is undone (pc
 * rewound) because the thread will simply hit the int3 again when resumed.
 *
 * Stepping over our own int3: when the thread of the last reported event
 * resumes from an inserted site, pt_resume moves it past the instruction
 * first — emulated when it can be (ptrace_points.c), otherwise stepped alone
 * with the byte lifted and every other thread stopped, waiting for that
 * thread only, so no other thread runs through the lifted byte and no other
 * thread's event is taken for the step's.
 *
 * An interrupt that lost the race against another stop stays due in the
 * kernel and arrives later as an unsolicited PTRACE_EVENT_STOP, which is
 * simply resumed (so is a group-stop: dr7 does not emulate job control).
 * Fork children are stripped of our int3 bytes and released at their first
 * stop; vfork children share our memory, so they stay traced (stepping over
 * any int3 they meet) until they exec or exit.
 *
 * Watches served by page protection (pagewatch.c) meet run control at a
 * SIGSEGV: classify() asks pagewatch whether it is ours; an access dr7
 * cannot emulate is stepped here with the pages open and every other thread
 * stopped (step_with_pages_open).  While any watch exists threads resume
 * with PTRACE_SYSCALL and syscall stops go to watchsys.c.
 */
#include "target/ptrace/ptrace.h"
#include "target/ptrace/ptrace_internal.h"

#include <assert.h>
#include <errno.h>
#include <fcntl.h>
#include <signal.h>
#include <stddef.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/personality.h>
#include <sys/syscall.h>
#include <sys/ptrace.h>
#include <sys/uio.h>
#include <sys/user.h>
#include <sys/wait.h>
#include <unistd.h>

#include "target/ptrace/pagewatch.h"
#include "target/ptrace/watchsys.h"
#include "util/util.h"

extern char **environ;

#ifndef PTRACE_EVENT_STOP
#define PTRACE_EVENT_STOP 128
#endif
#ifndef TRAP_HWBKPT
#define TRAP_HWBKPT 4
#endif
#ifndef TRAP_BRKPT
#define TRAP_BRKPT 1
#endif
#ifndef TRAP_TRACE
#define TRAP_TRACE 2
#endif

static struct target_thread *pt_add_thread(struct target *t, pid_t tid)
{
	struct target_thread *th = target_thread_add(t, tid);
	if (!th->backend)
		th->backend = xcalloc(1, sizeof(struct pt_thread));
	return th;
}

/* ---- memory ---- */

static int pt_open_mem(struct target *t)
{
	char path[64];
	if (PT(t)->mem_fd >= 0)
		close(PT(t)->mem_fd);
	snprintf(path, sizeof(path), "/proc/%d/mem", (int)t->pid);
	PT(t)->mem_fd = open(path, O_RDWR | O_CLOEXEC);
	return PT(t)->mem_fd < 0 ? -1 : 0;
}

static int pt_read_mem(struct target *t, uint64_t addr, void *buf, size_t n)
{
	size_t done = 0;
	while (done < n) {
		ssize_t r = pread(PT(t)->mem_fd, (char *)buf + done, n - done, (off_t)(addr + done));
		if (r <= 0)
			break;	/* an unreadable page: report what was read before it */
		done += (size_t)r;
	}
	if (done == 0 && n > 0) {
		err_set("Memory access error at %016llx", (unsigned long long)addr);
		return 0;
	}
	return (int)done;
}

static int pt_write_mem(struct target *t, uint64_t addr, const void *buf, size_t n)
{
	size_t done = 0;
	while (done < n) {
		ssize_t w = pwrite(PT(t)->mem_fd, (const char *)buf + done, n - done,
				   (off_t)(addr + done));
		if (w <= 0)
			return err_set("Memory write error at %016llx",
				       (unsigned long long)(addr + done));
		done += (size_t)w;
	}
	return 0;
}

/*
 * process_vm_readv/writev check the program's page permissions, unlike
 * /proc/PID/mem: used to emulate the program's own accesses.  (Called
 * through syscall() to stay clear of _GNU_SOURCE; see the note above.)
 */
static int pt_vm_access(struct target *t, uint64_t addr, void *buf, size_t n, int write)
{
	struct iovec local = { .iov_base = buf, .iov_len = n };
	struct iovec remote = { .iov_base = (void *)(uintptr_t)addr, .iov_len = n };
	long r = syscall(write ? SYS_process_vm_writev : SYS_process_vm_readv, (long)t->pid, &local,
			 1L, &remote, 1L, 0L);
	return r == (long)n ? 0 : -1;
}

static int pt_read_as_program(struct target *t, uint64_t addr, void *buf, size_t n)
{
	return pt_vm_access(t, addr, buf, n, 0);
}

static int pt_write_as_program(struct target *t, uint64_t addr, const void *buf, size_t n)
{
	return pt_vm_access(t, addr, (void *)buf, n, 1);
}

/* ---- thread bookkeeping ---- */

static int early_take(struct pt_target *pt, pid_t tid)
{
	for (int i = 0; i < pt->nearly; i++) {
		if (pt->early[i] == tid) {
			pt->early[i] = pt->early[--pt->nearly];
			return 1;
		}
	}
	return 0;
}

static void early_add(struct pt_target *pt, pid_t tid)
{
	pt->early = xrealloc(pt->early, sizeof(*pt->early) * (size_t)(pt->nearly + 1));
	pt->early[pt->nearly++] = tid;
}

/*
 * A fork or vfork child is not followed: it is let go at its parent's
 * event, after its first stop (already seen early, or waited for here: the
 * kernel stops every auto-attached child before it runs).  A fork child
 * has its own copy of memory, holding our int3 bytes: the original bytes
 * are put back in it first.  A vfork child shares the parent's memory:
 * vfork_open() has taken our int3 bytes out before it is let go.
 */
static void release_child(struct target *t, pid_t child, int restore_bytes)
{
	if (!early_take(PT(t), child)) {
		int st;
		while (waitpid(child, &st, __WALL) < 0 && errno == EINTR)
			;
	}
	if (restore_bytes) {
		char path[64];
		snprintf(path, sizeof(path), "/proc/%d/mem", (int)child);
		int fd = open(path, O_RDWR | O_CLOEXEC);
		for (int i = 0; fd >= 0 && i < t->nsites; i++)
			if (t->sites[i].inserted)
				(void)!pwrite(fd, &t->sites[i].saved, 1, (off_t)t->sites[i].addr);
		if (fd >= 0)
			close(fd);
		/* Its copy of our pages gets the program's protection back. */
		pw_restore_child(t, child);
	}
	ptrace(PTRACE_DETACH, child, 0, 0);
}

/*
 * The vfork window: from the vfork event until the parent's VFORK_DONE the
 * child runs in our memory, so our int3 bytes are out of it and only the
 * vfork parent may run (it sleeps in the kernel until the child execs or
 * exits); every other thread stays stopped, so none runs through a lifted
 * breakpoint.  Called with every other thread stopped.
 */
static void vfork_open(struct target *t)
{
	struct pt_target *pt = PT(t);
	assert(pt->vfork_parent && !pt->vfork_open);
	for (int i = 0; i < t->nsites; i++)
		target_sw_lift(t, t->sites[i].addr);
	/* Our pages too: the child is not traced (mprotect run in the child,
	 * whose memory is ours, at its first stop). */
	if (!early_take(pt, pt->vfork_child)) {
		int st;
		while (waitpid(pt->vfork_child, &st, __WALL) < 0 && errno == EINTR)
			;
	}
	early_add(pt, pt->vfork_child);	/* release_child finds its first stop seen */
	pw_vfork_open(t, pt->vfork_child);
	release_child(t, pt->vfork_child, 0);
	pt->vfork_open = 1;
}

static void vfork_close(struct target *t, struct target_thread *parent)
{
	struct pt_target *pt = PT(t);
	if (pt->vfork_open) {
		for (int i = 0; i < t->nsites; i++)
			target_sw_drop(t, t->sites[i].addr);
		pw_vfork_close(t, parent);
	}
	pt->vfork_parent = 0;
	pt->vfork_child = 0;
	pt->vfork_open = 0;
}

/* Whether th's next instruction is x86-64 `syscall` (its bytes as they are: an int3 on it is lifted first). */
static int onto_syscall(struct target *t, struct target_thread *th)
{
	uint8_t insn[2];
	if (t->is32 || pt_fetch_regs(th) < 0 ||
	    pread(PT(t)->mem_fd, insn, sizeof(insn), (off_t)PTH(th)->regs.rip) != (ssize_t)sizeof(insn))
		return 0;
	return insn[0] == 0x0f && insn[1] == 0x05;
}

/* While watches exist, system calls are traced (watchsys.c): kernel writes,
 * mappings; a step over a syscall instruction too (step_syscall). */
static void pt_resume_thread(struct target *t, struct target_thread *th, int step, int sig)
{
	struct pt_thread *p = PTH(th);
	assert(!p->has_pending);	/* its event would be lost */
	int tracing = pt_watches_active(t) && !p->exiting;
	if (!step || !tracing)
		p->step_syscall = 0;
	else if (!p->step_syscall || (p->stop_kind != PT_STOP_SYSCALL_ENTRY && p->stop_kind != PT_STOP_EVENT &&
				       p->stop_kind != PT_STOP_SYSCALL_EXIT))
		p->step_syscall = onto_syscall(t, th);	/* (else inside that call, or going back into it) */
	pt_flush_regs(th);
	p->regs_valid = 0;
	p->skip_site = 0;
	p->stepping = step;
	p->stop_kind = PT_STOP_NONE;
	int req = p->step_syscall ? PTRACE_SYSCALL : step ? PTRACE_SINGLESTEP : tracing ? PTRACE_SYSCALL : PTRACE_CONT;
	if (ptrace(req, th->tid, 0, (void *)(long)sig) == 0)
		th->state = THREAD_RUNNING;
}

/* ---- event classification ---- */

enum dispo {
	D_IGNORE,	/* handled internally; the thread is stopped and may be resumed */
	D_RESUME,	/* handled internally; resume the thread now if running */
	D_REPORT,	/* fill ev and report */
	D_GONE,		/* the thread vanished */
};

static void handle_exec(struct target *t, struct target_thread *th)
{
	/* Every other thread is gone; the exec'ing thread now carries the pid. */
	for (int i = t->nthreads - 1; i >= 0; i--)
		if (t->threads[i] != th)
			target_thread_remove(t, t->threads[i]->tid);
	th->tid = t->pid;
	struct pt_thread *p = PTH(th);
	memset(p, 0, sizeof(*p));
	pt_open_mem(t);
	/* The new image has none of our int3 bytes, and exec cleared the debug registers. */
	target_sw_forget(t);
	memset(&PT(t)->dr, 0, sizeof(PT(t)->dr));
	pw_forget(t);
	PT(t)->nwps = 0;
	struct user_regs_struct u;
	if (ptrace(PTRACE_GETREGS, th->tid, 0, &u) == 0)
		t->is32 = u.cs == 0x23;
}

/*
 * When rip is just past an inserted int3 of ours, moves it back onto the
 * int3 (in the register cache) and returns the site; NULL otherwise.  The
 * thread's registers must have been fetched.
 */
static const struct sw_site *rewind_over_int3(struct target *t, struct target_thread *th)
{
	struct pt_thread *p = PTH(th);
	const struct sw_site *s = target_sw_find(t, p->regs.rip - 1);
	if (!s || !s->inserted)
		return NULL;
	p->regs.rip--;
	p->regs_dirty = 1;
	return s;
}

/* ev becomes a stop at our int3 at pc (rip already rewound onto it). */
static void report_sw_break(struct stop_event *ev, uint64_t pc)
{
	ev->kind = STOP_BREAKPOINT;
	ev->pc = pc;
	ev->hits[ev->nhits++] = (struct point){ .type = POINT_SOFTWARE, .addr = pc, .len = 1 };
}

/*
 * ev becomes the stop that debug-register slots caused at pc: a step that
 * also touched watches, an execute breakpoint (with our int3 at the same
 * pc, which the same execution hits), or a watched access.
 */
static void report_dr_hits(struct target *t, struct stop_event *ev, unsigned slots, int stepping,
			   uint64_t pc)
{
	ev->pc = pc;
	pt_points_for_slots(t, slots, ev);
	if (stepping) {
		ev->kind = STOP_STEP;
	} else if (pt_slots_have_exec(t, slots)) {
		ev->kind = STOP_BREAKPOINT;
		if (target_sw_find(t, pc) && ev->nhits < STOP_MAX_POINTS)
			ev->hits[ev->nhits++] = (struct point){ .type = POINT_SOFTWARE, .addr = pc, .len = 1 };
	} else {
		ev->kind = STOP_WATCH;
	}
}

static void stop_all(struct target *t);
static int step_alone(struct target *t, struct target_thread *th, int sig, struct stop_event *ev);

/*
 * Runs th's faulting instruction on the CPU with f's pages opened and every
 * other thread stopped (no other thread slips through an open page); a rep
 * string instruction is stepped until it is done.  The threads that were
 * running run again.  0 with *sev the step's outcome, or -1.
 */
/* Stops every thread but th that runs; returns their tids (0-terminated) for resume_others. */
static pid_t *stop_others(struct target *t, struct target_thread *th)
{
	pid_t *ran = xcalloc((size_t)t->nthreads + 1, sizeof(pid_t));
	int nran = 0;
	for (int i = 0; i < t->nthreads; i++)
		if (t->threads[i] != th && t->threads[i]->state == THREAD_RUNNING && !PTH(t->threads[i])->exiting)
			ran[nran++] = t->threads[i]->tid;
	stop_all(t);
	return ran;
}

/* Lets the threads stop_others stopped run again (those with an event to report stay). */
static void resume_others(struct target *t, pid_t *ran)
{
	for (int i = 0; ran[i] && !t->exited; i++) {
		struct target_thread *o = target_thread_by_tid(t, ran[i]);
		if (!o || o->state != THREAD_STOPPED || PTH(o)->has_pending || PTH(o)->starting || o->frozen)
			continue;
		pt_arm_thread(o, &PT(t)->dr);
		int sig = PTH(o)->deliver_sig;
		PTH(o)->deliver_sig = 0;
		pt_resume_thread(t, o, 0, sig);
	}
	free(ran);
}

static int step_with_pages_open(struct target *t, struct target_thread *th, struct pw_fault *f,
				struct stop_event *sev)
{
	pid_t *ran = stop_others(t, th);
	uint8_t *snap = NULL;
	if (f->unknown)
		pw_snapshot(t, f, &snap);
	int rc = pw_set_open(t, th, f, 1);
	pid_t step_only = PT(t)->step_only;
	memset(sev, 0, sizeof(*sev));
	for (long round = 0; rc == 0 && round < (1L << 26); round++) {
		if (step_alone(t, th, 0, sev) < 0) {
			rc = -1;
			break;
		}
		if (sev->kind != STOP_STEP || sev->nhits)
			break;
		struct regs r;
		if (pt_get_regs(t, th->tid, &r) < 0 || r.r[REG_RIP] != f->pc)
			break;	/* done; a rep string instruction stays on its pc until it is */
	}
	PT(t)->step_only = step_only;
	struct regs after;
	if (!t->exited && sev->kind == STOP_STEP && pt_get_regs(t, th->tid, &after) == 0)
		pw_after_step(t, th->tid, f, after.r[REG_RCX]);
	if (!t->exited)
		pw_set_open(t, th, f, 0);
	if (f->unknown)
		pw_finish_step(t, th->tid, f, snap);
	resume_others(t, ran);
	return rc;
}

/*
 * A SIGSEGV of th: 1 with *d when it came from a page dr7 protects (the
 * access is completed; ev is a watch stop, or a step's end, or th just goes
 * on), 0 when it is the program's own signal.
 */
static int page_fault(struct target *t, struct target_thread *th, const siginfo_t *si, struct stop_event *ev,
		      enum dispo *d)
{
	struct pt_thread *p = PTH(th);
	if (pw_stale_fault(t, th, si)) {
		*d = D_RESUME;	/* the page is the program's again: the instruction runs again */
		return 1;
	}
	if (!PT(t)->pw.npages)
		return 0;
	struct pw_fault f;
	pw_on_fault(t, th, si, &f);
	if (f.verdict == PW_NOT_OURS)
		return 0;
	int was_stepping = p->stepping;
	if (f.verdict == PW_STEP) {
		struct stop_event sev;
		if (step_with_pages_open(t, th, &f, &sev) < 0) {
			*d = D_GONE;
			return 1;
		}
		if (sev.kind != STOP_STEP) {
			/* Something else came first (a signal, the end): that is the event. */
			*ev = sev;
			*d = sev.kind == STOP_NONE ? D_GONE : D_REPORT;
			return 1;
		}
		for (int i = 0; i < sev.nhits && f.nhits < STOP_MAX_POINTS; i++) {
			f.hit_rw[f.nhits] = sev.hit_rw[i];
			f.hits[f.nhits++] = sev.hits[i];	/* a debug register saw it too */
		}
	}
	p->stepping = 0;
	memset(ev, 0, sizeof(*ev));
	ev->tid = th->tid;
	struct regs r;
	if (pt_get_regs(t, th->tid, &r) == 0)
		ev->pc = r.r[REG_RIP];
	memcpy(ev->hits, f.hits, sizeof(f.hits));
	memcpy(ev->hit_rw, f.hit_rw, sizeof(f.hit_rw));
	ev->nhits = f.nhits;
	if (was_stepping) {
		ev->kind = STOP_STEP;
		*d = D_REPORT;
	} else if (f.nhits) {
		ev->kind = STOP_WATCH;
		*d = D_REPORT;
	} else {
		*d = D_RESUME;
		if (pt_placement_due(t, si)) {
			/* A page busy with unrelated accesses: its watches move to free
			 * debug registers, with everyone stopped (they all must hold them). */
			pid_t *ran = stop_others(t, th);
			pt_place_hot(t, si);
			resume_others(t, ran);
		}
	}
	return 1;
}

/* A clone or fork th made: a stop only when the engine asked for such (target.report). */
static enum dispo report_new_task(struct target *t, struct target_thread *th, struct stop_event *ev,
				  enum stop_kind kind, pid_t new_tid)
{
	unsigned want = kind == STOP_FORK ? TARGET_REPORT_FORKS : TARGET_REPORT_THREADS;
	if (!(t->report & want))
		return D_RESUME;
	ev->kind = kind;
	ev->new_tid = new_tid;
	if (pt_fetch_regs(th) == 0)
		ev->pc = PTH(th)->regs.rip;
	return D_REPORT;
}

/*
 * Classifies one wait status of a known thread.  The thread is stopped on
 * return unless the disposition is D_GONE.
 */
/*
 * The process is exiting (last is the last thread to reach its exit
 * event): the others that went on past theirs die on their own; each is
 * reaped, and so announced, before the process's exit is reported.  (The
 * leader is not waited for: it is reaped last, after the process exits.)
 */
static void save_pending(struct target *t, struct target_thread *th, int status);

static void reap_exiting_threads(struct target *t, struct target_thread *last)
{
	for (int i = t->nthreads - 1; i >= 0; i--) {
		struct target_thread *o = t->threads[i];
		if (o == last || o->tid == t->pid || !PTH(o)->exiting || o->state != THREAD_RUNNING)
			continue;
		int status;
		pid_t r;
		do
			r = waitpid(o->tid, &status, __WALL);
		while (r < 0 && errno == EINTR);
		if (r == o->tid && WIFSTOPPED(status)) {
			o->state = THREAD_STOPPED;	/* not expected: kept as its event */
			save_pending(t, o, status);
			continue;
		}
		target_thread_remove(t, o->tid);
	}
}

/* Notes where th stopped with status (see enum pt_stop_kind). */
static void note_stop_kind(struct target_thread *th, int status)
{
	struct pt_thread *p = PTH(th);
	int event = status >> 16;
	if (!WIFSTOPPED(status)) {
		p->stop_kind = PT_STOP_NONE;
	} else if (event != 0 && event != PTRACE_EVENT_STOP) {
		p->stop_kind = PT_STOP_EVENT;
	} else if (event == 0 && WSTOPSIG(status) == (SIGTRAP | 0x80)) {
		struct __ptrace_syscall_info info;
		memset(&info, 0, sizeof(info));
		if (ptrace(PTRACE_GET_SYSCALL_INFO, th->tid, (void *)sizeof(info), &info) > 0 &&
		    info.op == PTRACE_SYSCALL_INFO_ENTRY)
			p->stop_kind = PT_STOP_SYSCALL_ENTRY;
		else
			p->stop_kind = PT_STOP_SYSCALL_EXIT;	/* (a seccomp stop: not used by dr7) */
	} else {
		p->stop_kind = PT_STOP_ORDINARY;
	}
}

static enum dispo classify(struct target *t, struct target_thread *th, int status,
			   const siginfo_t *known_si, struct stop_event *ev)
{
	struct pt_thread *p = PTH(th);
	memset(ev, 0, sizeof(*ev));
	ev->tid = th->tid;

	if (WIFEXITED(status) || WIFSIGNALED(status)) {
		if (th->tid == t->pid) {
			ev->kind = STOP_GONE;
			ev->exit_code = WIFEXITED(status) ? WEXITSTATUS(status) : -1;
			ev->term_signal = WIFSIGNALED(status) ? WTERMSIG(status) : 0;
			return D_REPORT;
		}
		target_thread_remove(t, th->tid);
		return D_GONE;
	}

	th->state = THREAD_STOPPED;
	note_stop_kind(th, status);
	int sig = WSTOPSIG(status);
	int event = status >> 16;
	unsigned long msg = 0;

	switch (event) {
	case PTRACE_EVENT_CLONE: {
		ptrace(PTRACE_GETEVENTMSG, th->tid, 0, &msg);
		struct target_thread *nt = pt_add_thread(t, (pid_t)msg);
		if (early_take(PT(t), nt->tid)) {
			nt->state = THREAD_STOPPED;
			PTH(nt)->stop_kind = PT_STOP_ORDINARY;	/* its first stop, a group stop */
			pt_arm_thread(nt, &PT(t)->dr);
			PTH(nt)->resume_me = 1;
		} else {
			PTH(nt)->starting = 1;
			nt->state = THREAD_STOPPED;
		}
		return report_new_task(t, th, ev, STOP_THREAD_CREATED, nt->tid);
	}
	case PTRACE_EVENT_FORK:
		ptrace(PTRACE_GETEVENTMSG, th->tid, 0, &msg);
		release_child(t, (pid_t)msg, 1);
		return report_new_task(t, th, ev, STOP_FORK, (pid_t)msg);
	case PTRACE_EVENT_VFORK:
		/* The window opens when the parent next runs (everyone else stopped). */
		ptrace(PTRACE_GETEVENTMSG, th->tid, 0, &msg);
		PT(t)->vfork_parent = th->tid;
		PT(t)->vfork_child = (pid_t)msg;
		return report_new_task(t, th, ev, STOP_FORK, (pid_t)msg);
	case PTRACE_EVENT_VFORK_DONE:
		if (th->tid == PT(t)->vfork_parent) {
			vfork_close(t, th);
			PT(t)->vfork_done = 1;
		}
		return D_RESUME;
	case PTRACE_EVENT_EXEC:
		handle_exec(t, th);
		ev->tid = th->tid;
		ev->kind = STOP_EXEC;
		return D_REPORT;
	case PTRACE_EVENT_EXIT: {
		ptrace(PTRACE_GETEVENTMSG, th->tid, 0, &msg);
		p->exiting = 1;
		p->starting = 0;
		p->stop_requested = 0;
		int live = 0;
		for (int i = 0; i < t->nthreads; i++)
			if (!PTH(t->threads[i])->exiting)
				live++;
		if (live > 0) {
			if (!(t->report & TARGET_REPORT_THREADS))
				return D_RESUME;
			ev->kind = STOP_THREAD_EXITED;
			if (pt_fetch_regs(th) == 0)
				ev->pc = p->regs.rip;
			return D_REPORT;
		}
		reap_exiting_threads(t, th);
		ev->kind = STOP_EXIT;
		int st = (int)msg;
		ev->exit_code = WIFEXITED(st) ? WEXITSTATUS(st) : -1;
		ev->term_signal = WIFSIGNALED(st) ? WTERMSIG(st) : 0;
		return D_REPORT;
	}
	case PTRACE_EVENT_STOP:
		if (p->starting) {
			p->starting = 0;
			pt_arm_thread(th, &PT(t)->dr);
			return D_RESUME;
		}
		if (p->stop_requested) {
			p->stop_requested = 0;
			ev->kind = STOP_INTERRUPT;
			return D_IGNORE;
		}
		return D_RESUME;
	default:
		break;
	}

	if (sig == (SIGTRAP | 0x80)) {	/* a syscall stop: watches exist (watchsys.c) */
		int watched = ws_syscall_stop(t, th, ev);
		if (!p->step_syscall || p->stop_kind != PT_STOP_SYSCALL_EXIT || p->sys_retried)
			return watched ? D_REPORT : D_RESUME;
		/* The end of a step over the syscall instruction: at the next
		 * instruction, with what the kernel's access hit. */
		p->step_syscall = 0;
		p->stepping = 0;
		if (!watched) {
			memset(ev, 0, sizeof(*ev));
			ev->tid = th->tid;
		}
		if (pt_fetch_regs(th) < 0)
			return D_GONE;
		ev->kind = STOP_STEP;
		ev->pc = p->regs.rip;
		return D_REPORT;
	}

	/*
	 * The hot path: a SIGTRAP in a thread that was neither stepping nor has
	 * debug registers armed, with an inserted int3 just before rip, can only
	 * be that int3 — no need to ask for the siginfo.
	 */
	if (sig == SIGTRAP && !known_si && !p->stepping && !p->armed_dr7 && pt_fetch_regs(th) == 0 &&
	    rewind_over_int3(t, th)) {
		report_sw_break(ev, p->regs.rip);
		return D_REPORT;
	}

	/*
	 * The data-breakpoint hot path: with debug registers armed and no step
	 * in progress, a B bit of an enabled slot in DR6 names the hit without
	 * the siginfo (DR6 is cleared after every hit, so bits are never stale).
	 */
	if (sig == SIGTRAP && !known_si && !p->stepping && p->armed_dr7) {
		uint64_t dr6;
		if (pt_read_dr6(th->tid, &dr6) == 0 && dr_hits(dr6, p->armed_dr7)) {
			pt_clear_dr6(th->tid);
			if (pt_fetch_regs(th) < 0)
				return D_GONE;
			report_dr_hits(t, ev, dr_hits(dr6, p->armed_dr7), 0, p->regs.rip);
			return D_REPORT;
		}
	}

	siginfo_t si;
	if (known_si)
		si = *known_si;
	else if (ptrace(PTRACE_GETSIGINFO, th->tid, 0, &si) < 0)
		memset(&si, 0, sizeof(si));

	enum dispo fault_dispo;
	if (sig == SIGSEGV && page_fault(t, th, &si, ev, &fault_dispo))
		return fault_dispo;

	if (sig == SIGTRAP) {
		int was_stepping = p->stepping;
		p->stepping = 0;
		uint64_t dr6 = 0;
		if (si.si_code == TRAP_HWBKPT || si.si_code == TRAP_TRACE || p->armed_dr7) {
			if (p->armed_dr7 && pt_read_dr6(th->tid, &dr6) == 0 && (dr6 & 0xf))
				pt_clear_dr6(th->tid);
		}
		unsigned hits = dr_hits(dr6, p->armed_dr7);
		if (pt_fetch_regs(th) < 0)
			return D_GONE;
		if (si.si_code == SI_KERNEL || si.si_code == TRAP_BRKPT) {
			uint64_t at = p->regs.rip - 1;
			if (rewind_over_int3(t, th)) {
				report_sw_break(ev, at);
				return D_REPORT;
			}
			if (!target_sw_find(t, at) && target_sw_moribund(t, at)) {
				/* its breakpoint is gone: run the real instruction */
				p->regs.rip = at;
				p->regs_dirty = 1;
				return D_RESUME;
			}
		}
		if (hits) {
			report_dr_hits(t, ev, hits, was_stepping, p->regs.rip);
			return D_REPORT;
		}
		/* A completed step: TRAP_TRACE, or TRAP_BRKPT when the stepped
		 * instruction was a syscall (the kernel reports its exit so).  Only
		 * SI_KERNEL means the step executed an int3 of the program's own. */
		if (was_stepping && si.si_code != SI_KERNEL) {
			ev->kind = STOP_STEP;
			ev->pc = p->regs.rip;
			return D_REPORT;
		}
		if (si.si_code == SI_KERNEL || si.si_code == TRAP_BRKPT) {
			ev->kind = STOP_TRAP;
			ev->pc = p->regs.rip;
			return D_REPORT;
		}
		if (was_stepping) {
			ev->kind = STOP_STEP;
			ev->pc = p->regs.rip;
			return D_REPORT;
		}
	}
	p->stepping = 0;
	ev->kind = STOP_SIGNAL;
	ev->signo = sig;
	ev->si_code = si.si_code;
	ev->fault_addr = (uint64_t)(uintptr_t)si.si_addr;
	ev->sender_pid = si.si_pid;
	ev->sender_uid = (int)si.si_uid;
	ev->child_status = si.si_status;
	if (pt_fetch_regs(th) == 0)
		ev->pc = p->regs.rip;
	return D_REPORT;
}

/*
 * Handles a wait status from a tid we do not track as a thread: fork/vfork
 * children and threads whose clone event has not been seen yet.
 */
static void handle_unknown(struct target *t, pid_t tid, int status)
{
	/* A new thread or child whose first stop came before its creator's event. */
	if (WIFSTOPPED(status))
		early_add(PT(t), tid);
}

/*
 * A SIGINT the terminal sent (si_code SI_KERNEL) to a program in dr7's own
 * process group: the user's Ctrl-C, which dr7 received too.  (A kill -INT
 * has SI_USER; an attached program in another group gets its terminal's
 * Ctrl-C as its own signal.)
 */
static int is_our_ctrl_c(struct target *t, int signo, int si_code)
{
	return signo == SIGINT && si_code == SI_KERNEL && PT(t)->shares_our_pgrp;
}

/* Keeps the event th stopped with; a Ctrl-C of ours is dropped instead. */
static void save_pending(struct target *t, struct target_thread *th, int status)
{
	struct pt_thread *p = PTH(th);
	if (ptrace(PTRACE_GETSIGINFO, th->tid, 0, &p->pending_si) < 0)
		memset(&p->pending_si, 0, sizeof(p->pending_si));
	if (WIFSTOPPED(status) && (status >> 16) == 0 &&
	    is_our_ctrl_c(t, WSTOPSIG(status), p->pending_si.si_code))
		return;
	assert(th->state == THREAD_STOPPED);
	note_stop_kind(th, status);
	p->has_pending = 1;
	p->pending_status = status;
}

/*
 * A thread at its PTRACE_EVENT_EXIT stop while others live (an exec or an
 * exit_group killed it, or it ended): it only dies from here, and the
 * exec or exit that killed it waits for it to, so it is let go at once
 * whoever else is stopped, stepping or frozen.  1 when it was; 0 when it is
 * the last thread, whose exit is the event to report.
 */
static int let_exiting_thread_go(struct target *t, struct target_thread *th, int status)
{
	/* (With sxe et the engine wants it as an event: it stays pending.) */
	if (!WIFSTOPPED(status) || (status >> 16) != PTRACE_EVENT_EXIT || (t->report & TARGET_REPORT_THREADS))
		return 0;
	int live = 0;
	for (int i = 0; i < t->nthreads; i++)
		if (t->threads[i] != th && !PTH(t->threads[i])->exiting)
			live++;
	if (live == 0)
		return 0;
	struct pt_thread *p = PTH(th);
	p->exiting = 1;
	p->starting = 0;
	p->stop_requested = 0;
	p->regs_valid = 0;
	p->regs_dirty = 0;
	if (ptrace(PTRACE_CONT, th->tid, 0, 0) == 0)
		th->state = THREAD_RUNNING;
	return 1;
}

/*
 * Interrupts every running thread and waits until all are stopped.  What
 * they report instead of the interrupt stop is kept as their pending event
 * (an int3 hit is undone instead: it will recur).
 */
static void stop_all(struct target *t)
{
	/* A thread resumed after its exit event only dies from there: it never
	 * stops again (and a zombie leader is reaped only after the others), so
	 * it is not waited for. */
	for (int i = 0; i < t->nthreads; i++) {
		struct target_thread *th = t->threads[i];
		if (th->state == THREAD_RUNNING && !PTH(th)->stop_requested && !PTH(th)->exiting) {
			if (ptrace(PTRACE_INTERRUPT, th->tid, 0, 0) == 0)
				PTH(th)->stop_requested = 1;
		}
	}
	for (;;) {
		int waiting = 0;
		for (int i = 0; i < t->nthreads; i++) {
			struct pt_thread *p = PTH(t->threads[i]);
			if ((p->stop_requested && !p->exiting) || p->starting)
				waiting = 1;
		}
		if (!waiting)
			return;
		int status;
		pid_t tid = waitpid(-1, &status, __WALL);
		if (tid < 0) {
			if (errno == EINTR)
				continue;
			return;
		}
		struct target_thread *th = target_thread_by_tid(t, tid);
		if (!th) {
			handle_unknown(t, tid, status);
			continue;
		}
		struct pt_thread *p = PTH(th);
		int event = status >> 16;
		if (WIFSTOPPED(status) && event == PTRACE_EVENT_STOP) {
			struct stop_event ev;
			classify(t, th, status, NULL, &ev);
			continue;
		}
		if (WIFEXITED(status) || WIFSIGNALED(status)) {
			if (tid != t->pid) {
				target_thread_remove(t, tid);
				continue;
			}
			p->stop_requested = 0;
			th->state = THREAD_STOPPED;	/* gone: its exit is the event kept */
			save_pending(t, th, status);
			continue;
		}
		/* Stopped for another reason before the interrupt took effect. */
		th->state = THREAD_STOPPED;
		p->stop_requested = 0;
		if (let_exiting_thread_go(t, th, status))
			continue;
		/* A clone or fork the engine wants reported stays pending, as any event. */
		int reported = ((event == PTRACE_EVENT_CLONE && (t->report & TARGET_REPORT_THREADS)) ||
				((event == PTRACE_EVENT_FORK || event == PTRACE_EVENT_VFORK) &&
				 (t->report & TARGET_REPORT_FORKS)));
		if (!reported && (event == PTRACE_EVENT_CLONE || event == PTRACE_EVENT_FORK ||
				  event == PTRACE_EVENT_VFORK || event == PTRACE_EVENT_VFORK_DONE)) {
			struct stop_event ev;
			classify(t, th, status, NULL, &ev);	/* bookkeeping only; stays stopped */
			continue;
		}
		if (WSTOPSIG(status) == SIGTRAP && event == 0) {
			siginfo_t si;
			if (ptrace(PTRACE_GETSIGINFO, th->tid, 0, &si) == 0 &&
			    (si.si_code == SI_KERNEL || si.si_code == TRAP_BRKPT) && pt_fetch_regs(th) == 0 &&
			    rewind_over_int3(t, th))
				continue;	/* it hits the int3 again when resumed */
		}
		save_pending(t, th, status);
	}
}

static int any_pending(struct target *t)
{
	for (int i = 0; i < t->nthreads; i++)
		if (PTH(t->threads[i])->has_pending && !t->threads[i]->frozen)
			return 1;
	return 0;
}

/* Resumes every stopped thread that may run (step_tid single-steps). */
static void resume_all(struct target *t, pid_t step_tid)
{
	struct pt_target *pt = PT(t);
	/* Every thread is stopped here: a pending vfork window can open. */
	if (pt->vfork_parent && !pt->vfork_open)
		vfork_open(t);
	for (int i = 0; i < t->nthreads; i++) {
		struct target_thread *th = t->threads[i];
		struct pt_thread *p = PTH(th);
		if (th->state == THREAD_RUNNING || (th->frozen && !p->exiting) || p->starting ||
		    p->has_pending)
			continue;
		if (pt->vfork_open && th->tid != pt->vfork_parent && !p->exiting)
			continue;	/* waits for VFORK_DONE */
		pt_arm_thread(th, &PT(t)->dr);
		int sig = p->deliver_sig;
		p->deliver_sig = 0;
		p->resume_me = 0;
		pt_resume_thread(t, th, th->tid == step_tid, sig);
	}
}

/*
 * Steps th alone (every other thread is stopped) and waits for th only, so
 * no other thread's event is taken for the step's.  Events inside the step
 * that are bookkeeping (a clone syscall's) continue it.  0 with *ev the
 * step's outcome (kind STOP_NONE when the thread vanished), or -1.
 */
static int step_alone(struct target *t, struct target_thread *th, int sig, struct stop_event *ev)
{
	pid_t tid = th->tid;
	PT(t)->step_only = tid;
	pt_arm_thread(th, &PT(t)->dr);
	pt_resume_thread(t, th, 1, sig);
	for (;;) {
		int status;
		pid_t r = waitpid(-1, &status, __WALL);
		if (r < 0 && errno == EINTR)
			continue;
		if (r < 0) {
			PT(t)->step_only = 0;
			return err_set("waitpid: %s", strerror(errno));
		}
		/* Everyone else is stopped: what they report can only be dying
		 * (an exec or exit of the stepped thread kills them), or a stop
		 * that raced ours; the latter stays theirs, pending.  A
		 * non-leader thread that execs reports under the leader's tid. */
		struct target_thread *other = target_thread_by_tid(t, r);
		if (!other) {
			handle_unknown(t, r, status);
			continue;
		}
		if (r != tid && !(WIFSTOPPED(status) && (status >> 16) == PTRACE_EVENT_EXEC)) {
			if (WIFEXITED(status) || WIFSIGNALED(status)) {
				if (r != t->pid) {
					target_thread_remove(t, r);
				} else {
					other->state = THREAD_STOPPED;
					save_pending(t, other, status);
				}
				continue;
			}
			other->state = THREAD_STOPPED;
			if (PTH(other)->starting && WIFSTOPPED(status) && (status >> 16) == PTRACE_EVENT_STOP) {
				/* A thread the step's clone made: its first stop; it
				 * runs when everyone does. */
				PTH(other)->starting = 0;
				PTH(other)->stop_kind = PT_STOP_ORDINARY;
				pt_arm_thread(other, &PT(t)->dr);
				continue;
			}
			if (!let_exiting_thread_go(t, other, status))
				save_pending(t, other, status);
			continue;
		}
		th = other;
		switch (classify(t, th, status, NULL, ev)) {
		case D_GONE:
			memset(ev, 0, sizeof(*ev));
			PT(t)->step_only = 0;
			return 0;
		case D_IGNORE:
		case D_RESUME:
			if (PT(t)->vfork_parent && !PT(t)->vfork_open)
				vfork_open(t);	/* everyone else is stopped during the step */
			PT(t)->vfork_done = 0;
			pt_resume_thread(t, th, 1, 0);
			continue;
		case D_REPORT:
			if (ev->kind == STOP_SIGNAL && is_our_ctrl_c(t, ev->signo, ev->si_code)) {
				/* The terminal's Ctrl-C (typed at the prompt, say): never
				 * the program's; the step goes on. */
				pt_resume_thread(t, th, 1, 0);
				continue;
			}
			PT(t)->step_only = 0;
			if (ev->kind == STOP_GONE)
				t->exited = 1;
			return 0;
		}
	}
}

/* th's pc is on an inserted int3 of ours. */
static int at_inserted_site(struct target *t, struct target_thread *th)
{
	if (th->state != THREAD_STOPPED || pt_fetch_regs(th) < 0)
		return 0;
	const struct sw_site *site = target_sw_find(t, PTH(th)->regs.rip);
	return site && site->inserted;
}

/*
 * Moves th (stopped on an int3 of ours) past the instruction under it; the
 * int3 stays.  Emulated when nothing is to be delivered and the emulator
 * can; otherwise stepped alone with the byte lifted.  The step's outcome is
 * kept for wait when it is not a plain completed step, or when the step is
 * what the user asked for (as_user_step).
 */
static int move_past_site(struct target *t, struct target_thread *th, int as_user_step)
{
	struct pt_thread *p = PTH(th);
	int sig = p->deliver_sig;
	if (!sig && !as_user_step && pt_emulate_over_site(t, th) == 0)
		return 0;
	/* The byte is lifted: nobody else may run meanwhile.  (Those stopped
	 * here run again with the rest; what they met is reported first.) */
	stop_all(t);
	p->deliver_sig = 0;
	uint64_t pc = p->regs.rip;
	if (target_sw_lift(t, pc) < 0)
		return -1;
	uint64_t sp = p->regs.rsp;
	struct stop_event ev;
	int rc = step_alone(t, th, sig, &ev);
	if (!t->exited)
		target_sw_drop(t, pc);
	if (rc < 0)
		return -1;
	if (ev.kind == STOP_SIGNAL && ev.pc == pc)
		p->skip_site = pc;	/* a signal came first: the instruction is still owed */
	if (sig && ev.kind != STOP_NONE && ev.kind != STOP_GONE && target_signal_handled(t, sig) == 1) {
		/* The handler runs first; the instruction here is still to come,
		 * when the handler returns to it: that arrival is this hit's. */
		p->owed_site = pc;
		p->owed_sp = sp;
	}
	int plain = ev.kind == STOP_STEP && ev.nhits == 0;
	if (ev.kind != STOP_NONE && (as_user_step || !plain)) {
		PT(t)->ready = ev;
		PT(t)->have_ready = 1;
	}
	return 0;
}

/*
 * ev is th arriving at an int3 of ours that it was moved past with a
 * signal: the handler returned (same pc, same stack) to the instruction it
 * still owes.  The hit was reported when the thread first came; now the
 * thread only executes what is there, when it next runs.
 */
static int is_owed_arrival(struct target_thread *th, const struct stop_event *ev)
{
	struct pt_thread *p = PTH(th);
	if (!p->owed_site || ev->kind != STOP_BREAKPOINT || ev->pc != p->owed_site)
		return 0;
	if (pt_fetch_regs(th) < 0 || p->regs.rsp != p->owed_sp)
		return 0;
	p->owed_site = 0;
	p->skip_site = ev->pc;
	return 1;
}

/* After an owed arrival: everyone runs again as before, once what others met is reported. */
static void resume_after_owed(struct target *t)
{
	struct pt_target *pt = PT(t);
	if (!pt->resume_deferred) {
		pt->resume_deferred = 1;
		memset(&pt->deferred, 0, sizeof(pt->deferred));
	}
}

static int pt_resume(struct target *t, const struct resume_req *req)
{
	if (t->exited)
		return err_set("No process");
	struct pt_target *pt = PT(t);
	assert(!pt->have_ready);
	struct target_thread *sig_th = req->signal_tid ? target_thread_by_tid(t, req->signal_tid) : NULL;
	if (sig_th)
		PTH(sig_th)->deliver_sig = req->signo;
	/* Threads that will run and sit where a reported breakpoint or step left
	 * them, on an int3 of ours, execute what they stopped on first.  (A
	 * thread whose hit was undone while the others were stopped, or that
	 * stopped for a signal or a watch just before an int3, hits it instead.) */
	for (int i = 0; !req->step_only && i < t->nthreads; i++) {
		struct target_thread *th = t->threads[i];
		struct pt_thread *p = PTH(th);
		if (th->tid == req->step_tid || th->frozen || p->has_pending || !at_inserted_site(t, th) ||
		    p->skip_site != p->regs.rip)
			continue;
		if (move_past_site(t, th, 0) < 0)
			return -1;
		if (pt->have_ready)
			return 0;	/* the step met an event: wait reports it first */
	}
	if (any_pending(t)) {
		/* Events other threads met while being stopped are reported first,
		 * before anything runs; then the user resumes again. */
		pt->resume_deferred = 1;
		pt->deferred = *req;
		pt->deferred.signal_tid = 0;	/* already handed to the thread */
		pt->step_only = 0;
		return 0;
	}
	if (req->step_tid > 0 && req->step_only) {
		struct target_thread *th = target_thread_by_tid(t, req->step_tid);
		if (!th)
			return err_set("No such thread");
		if (!req->run_alone && at_inserted_site(t, th))
			return move_past_site(t, th, 1);
		/* Running alone: past an int3 of ours it was reported at, as when
		 * everyone runs; the others stay stopped meanwhile. */
		if (req->run_alone && at_inserted_site(t, th) && PTH(th)->skip_site == PTH(th)->regs.rip) {
			if (move_past_site(t, th, 0) < 0)
				return -1;
			if (pt->have_ready)
				return 0;
		}
		pt_arm_thread(th, &pt->dr);
		int sig = PTH(th)->deliver_sig;
		PTH(th)->deliver_sig = 0;
		pt->step_only = th->tid;
		pt_resume_thread(t, th, !req->run_alone, sig);
		return 0;
	}
	pt->step_only = 0;
	resume_all(t, req->step_tid);
	return 0;
}

static int wait_event(struct target *t, struct stop_event *ev, volatile int *interrupted)
{
	int interrupt_sent = 0;
	if (PT(t)->have_ready) {
		PT(t)->have_ready = 0;
		*ev = PT(t)->ready;
		return 0;
	}
	for (;;) {
		/* Events collected while stopping threads come first. */
		for (int i = 0; i < t->nthreads; i++) {
			struct target_thread *th = t->threads[i];
			struct pt_thread *p = PTH(th);
			if (!p->has_pending || th->frozen)
				continue;
			p->has_pending = 0;
			enum dispo d = classify(t, th, p->pending_status, &p->pending_si, ev);
			if (d == D_REPORT && is_owed_arrival(th, ev)) {
				resume_after_owed(t);
				i = -1;
				continue;
			}
			if (d == D_REPORT) {
				/* The deferred resume is dropped: the user resumes again. */
				PT(t)->resume_deferred = 0;
				if (ev->kind == STOP_GONE)
					t->exited = 1;
				return 0;
			}
			if (d == D_RESUME && !PT(t)->resume_deferred && th->state == THREAD_STOPPED &&
			    !th->frozen && !p->starting && !p->has_pending && !PT(t)->vfork_open &&
			    (PT(t)->step_only == 0 || PT(t)->step_only == th->tid)) {
				/* Kept while dr7 stopped everyone mid-run (a step with a
				 * page opened) and absorbed now: the process runs, and so
				 * does this thread.  (With a deferred resume it runs with
				 * the rest.) */
				pt_resume_thread(t, th, p->stepping, 0);
			}
			i = -1;	/* the list may have changed: rescan */
		}
		if (PT(t)->resume_deferred) {
			/* Nothing pending was worth reporting: do what was asked. */
			PT(t)->resume_deferred = 0;
			struct resume_req req = PT(t)->deferred;
			if (pt_resume(t, &req) < 0)
				return -1;
			if (PT(t)->have_ready) {
				PT(t)->have_ready = 0;
				*ev = PT(t)->ready;
				return 0;
			}
		}
		if (interrupted && *interrupted && !interrupt_sent) {
			interrupt_sent = 1;
			stop_all(t);
			memset(ev, 0, sizeof(*ev));
			ev->kind = STOP_INTERRUPT;
			struct target_thread *lead = target_thread_by_tid(t, t->pid);
			if (!lead && t->nthreads)
				lead = t->threads[0];
			ev->tid = lead ? lead->tid : t->pid;
			struct regs r;
			if (lead && pt_get_regs(t, lead->tid, &r) == 0)
				ev->pc = r.r[REG_RIP];
			return 0;
		}
		int running = 0;
		for (int i = 0; i < t->nthreads; i++)
			if (t->threads[i]->state == THREAD_RUNNING || PTH(t->threads[i])->starting)
				running = 1;
		if (!running && t->nthreads > 0)
			return err_set("No thread is running");
		int status;
		pid_t tid = waitpid(-1, &status, __WALL);
		if (tid < 0) {
			if (errno == EINTR)
				continue;
			if (errno == ECHILD) {
				t->exited = 1;
				memset(ev, 0, sizeof(*ev));
				ev->kind = STOP_GONE;
				ev->exit_code = -1;
				return 0;
			}
			return err_set("waitpid: %s", strerror(errno));
		}
		struct target_thread *th = target_thread_by_tid(t, tid);
		if (!th) {
			handle_unknown(t, tid, status);
			continue;
		}
		enum dispo d = classify(t, th, status, NULL, ev);
		switch (d) {
		case D_GONE:
			continue;
		case D_IGNORE:
			if (interrupted && *interrupted) {
				stop_all(t);
				ev->kind = STOP_INTERRUPT;
				ev->tid = th->tid;
				struct regs r;
				if (pt_get_regs(t, th->tid, &r) == 0)
					ev->pc = r.r[REG_RIP];
				return 0;
			}
			continue;
		case D_RESUME:
			if (PT(t)->vfork_parent && !PT(t)->vfork_open) {
				/* A vfork: stop everyone else, then let the parent go alone
				 * (in a step everyone else is stopped already). */
				if (PT(t)->step_only == 0) {
					stop_all(t);
					if (any_pending(t))
						continue;	/* reported first; the window opens on resume */
					resume_all(t, 0);
					continue;
				}
				vfork_open(t);
			}
			if (PT(t)->vfork_done) {
				/* The window closed: whoever waited for it runs again. */
				PT(t)->vfork_done = 0;
				if (PT(t)->step_only == 0) {
					stop_all(t);
					if (any_pending(t))
						continue;
					resume_all(t, 0);
					continue;
				}
			}
			/* An event in the middle of a step (a clone syscall) continues the
			 * step; during a step every other thread, a new one too, stays put. */
			if (th->state == THREAD_STOPPED && PTH(th)->exiting)
				pt_resume_thread(t, th, 0, 0);	/* it only dies from here: nobody waits on it */
			else if (th->state == THREAD_STOPPED && !th->frozen &&
				 (PT(t)->step_only == 0 || PT(t)->step_only == th->tid) &&
				 (!PT(t)->vfork_open || PT(t)->vfork_parent == th->tid))
				pt_resume_thread(t, th, PTH(th)->stepping, 0);
			for (int i = 0; PT(t)->step_only == 0 && !PT(t)->vfork_open && i < t->nthreads; i++) {
				/* A new thread whose initial stop came before its clone event. */
				struct target_thread *o = t->threads[i];
				if (PTH(o)->resume_me) {
					PTH(o)->resume_me = 0;
					if (o->state == THREAD_STOPPED && !o->frozen)
						pt_resume_thread(t, o, 0, 0);
				}
			}
			continue;
		case D_REPORT:
			if (ev->kind == STOP_GONE) {
				t->exited = 1;
				/* Reap whatever else remains. */
				return 0;
			}
			if (PT(t)->step_only == 0 && is_owed_arrival(th, ev)) {
				resume_after_owed(t);
				continue;
			}
			if (is_our_ctrl_c(t, ev->signo, ev->si_code)) {
				/* The terminal's Ctrl-C reached the program too: it is our
				 * break-in (dr7's handler ran before this wait returned), or
				 * what is left of one already reported.  Never its signal. */
				if (!(interrupted && *interrupted)) {
					/* A single step of this thread stays one. */
					pt_resume_thread(t, th, PT(t)->step_only == th->tid, 0);
					continue;
				}
				ev->kind = STOP_INTERRUPT;
				ev->signo = 0;
				stop_all(t);
			}
			/* The other threads run on: the engine stops them (pt_stop_all)
			 * unless the event resumes at once. */
			return 0;
		}
	}
}

static int pt_stop_all(struct target *t)
{
	stop_all(t);
	return 0;
}

static int pt_wait(struct target *t, struct stop_event *ev, volatile int *interrupted)
{
	if (wait_event(t, ev, interrupted) < 0)
		return -1;
	/* A break-in's thread is arbitrary: it may sit on an int3 it will hit
	 * (its hit was undone), so it does not step over it on resume. */
	int at_point = ev->kind == STOP_BREAKPOINT || ev->kind == STOP_STEP;
	struct target_thread *th = at_point ? target_thread_by_tid(t, ev->tid) : NULL;
	if (th) {
		PTH(th)->skip_site = ev->pc;	/* it executes what it stopped on, whenever it runs */
		if (PTH(th)->owed_site == ev->pc)
			PTH(th)->owed_site = 0;	/* it came back some other way (a step) */
	}
	if (ev->kind == STOP_SIGNAL || ev->kind == STOP_TRAP)
		PT(t)->signal_event_tid = ev->tid;
	return 0;
}

static int was_our_site(struct target *t, uint64_t addr)
{
	struct pt_target *pt = PT(t);
	for (int i = 0; i < pt->nformer; i++)
		if (pt->former_sites[i] == addr)
			return 1;
	return target_sw_find(t, addr) != NULL || target_sw_moribund(t, addr);
}

/*
 * Whether a SIGTRAP stop of th came from us: an int3 we wrote (then rip is
 * moved back onto the instruction, whose byte is back), a debug-register hit
 * or a single step.  Anything else (raise, the program's own int3) is the
 * program's.
 */
static int trap_is_ours(struct target *t, struct target_thread *th, const siginfo_t *si)
{
	if (si->si_code == TRAP_HWBKPT || si->si_code == TRAP_TRACE)
		return 1;
	if ((si->si_code == SI_KERNEL || si->si_code == TRAP_BRKPT) && pt_fetch_regs(th) == 0 &&
	    was_our_site(t, PTH(th)->regs.rip - 1)) {
		PTH(th)->regs.rip--;
		PTH(th)->regs_dirty = 1;
		return 1;
	}
	return 0;
}

/*
 * Before a thread is let go: the signal it must still receive (the
 * program's own), with every trap of ours consumed — the one it is stopped
 * with, and any the kernel queued for it that was not reported yet (a hit
 * that raced the stop).  A queued trap is taken by resuming the thread,
 * which then stops to deliver it before running any instruction.
 */
static int drain_thread(struct target *t, struct target_thread *th, int sig)
{
	struct pt_thread *p = PTH(th);
	if (p->has_pending) {
		p->has_pending = 0;
		int st = p->pending_status;
		sig = 0;
		if (WIFSTOPPED(st) && (st >> 16) == 0) {
			sig = WSTOPSIG(st);
			if (sig == SIGTRAP && trap_is_ours(t, th, &p->pending_si))
				sig = 0;
			if (sig == (SIGTRAP | 0x80) || (sig == SIGSEGV && pw_stale_fault(t, th, &p->pending_si)))
				sig = 0;	/* a syscall stop; a fault on a page given back */
		}
	}
	for (int round = 0; round < 16; round++) {
		uint64_t pend, blocked;
		uint64_t trap = 1ULL << (SIGTRAP - 1) | 1ULL << (SIGSEGV - 1);
		if (pt_pending_signals(t->pid, th->tid, &pend, &blocked) < 0 || !(pend & trap) ||
		    (blocked & trap))
			break;
		pt_flush_regs(th);
		p->regs_valid = 0;
		if (ptrace(PTRACE_CONT, th->tid, 0, (void *)(long)sig) < 0)
			break;
		int st;
		pid_t r;
		while ((r = waitpid(th->tid, &st, __WALL)) < 0 && errno == EINTR)
			;
		if (r < 0 || !WIFSTOPPED(st))
			return -1;	/* gone */
		sig = 0;
		siginfo_t si;
		if ((st >> 16) == 0 && WSTOPSIG(st) == SIGTRAP && ptrace(PTRACE_GETSIGINFO, th->tid, 0, &si) == 0 &&
		    !trap_is_ours(t, th, &si))
			sig = SIGTRAP;
		else if ((st >> 16) == 0 && WSTOPSIG(st) == SIGSEGV && ptrace(PTRACE_GETSIGINFO, th->tid, 0, &si) == 0 &&
			 pw_stale_fault(t, th, &si))
			sig = 0;
		else if ((st >> 16) == 0 && WSTOPSIG(st) != SIGTRAP && WSTOPSIG(st) != (SIGTRAP | 0x80))
			sig = WSTOPSIG(st);
	}
	pt_clear_dr6(th->tid);
	return sig;
}

static int pt_detach(struct target *t, int signo)
{
	struct pt_target *pt = PT(t);
	for (int i = 0; i < t->nthreads; i++) {
		struct target_thread *th = t->threads[i];
		int sig = drain_thread(t, th, th->tid == pt->signal_event_tid ? signo : 0);
		if (sig < 0)
			continue;
		pt_flush_regs(th);
		ptrace(PTRACE_DETACH, th->tid, 0, (void *)(long)sig);
	}
	t->exited = 1;
	return 0;
}

static int pt_kill(struct target *t)
{
	if (t->exited)
		return 0;
	kill(t->pid, SIGKILL);
	/* SIGKILL does not end a PTRACE_EVENT_EXIT stop: every stopped thread
	 * is resumed so it can finish dying. */
	for (int i = 0; i < t->nthreads; i++)
		ptrace(PTRACE_CONT, t->threads[i]->tid, 0, 0);
	for (;;) {
		int status;
		pid_t r = waitpid(-1, &status, __WALL);
		if (r < 0 && errno == EINTR)
			continue;
		if (r < 0)
			break;
		if (WIFSTOPPED(status)) {
			ptrace(PTRACE_CONT, r, 0, 0);
			continue;
		}
		if (r == t->pid)
			break;
	}
	t->exited = 1;
	return 0;
}

static void pt_destroy(struct target *t)
{
	struct pt_target *pt = PT(t);
	if (pt->mem_fd >= 0)
		close(pt->mem_fd);
	free(pt->early);
	free(pt->former_sites);
	free(pt->wps);
	pw_forget(t);
	free(pt);
}

static const struct target_ops ptrace_ops = {
	.name = "ptrace",
	.resume = pt_resume,
	.wait = pt_wait,
	.stop_all = pt_stop_all,
	.read_mem = pt_read_mem,
	.write_mem = pt_write_mem,
	.read_as_program = pt_read_as_program,
	.write_as_program = pt_write_as_program,
	.get_regs = pt_get_regs,
	.set_regs = pt_set_regs,
	.get_fpregs = pt_get_fpregs,
	.get_debugreg = pt_get_debugreg,
	.check_point = pt_check_point,
	.insert_point = pt_insert_point,
	.remove_point = pt_remove_point,
	.refresh_thread = pt_refresh_thread,
	.point_mechanism = pt_point_mechanism,
	.read_auxv = pt_read_auxv,
	.exe_path = pt_exe_path,
	.signal_handled = pt_signal_handled,
	.thread_name = pt_thread_name,
	.memory_regions = pt_memory_regions,
	.remove_all = pt_remove_all,
	.detach = pt_detach,
	.kill = pt_kill,
	.destroy = pt_destroy,
};

static struct target *pt_new(pid_t pid, int launched)
{
	struct target *t = xcalloc(1, sizeof(*t));
	struct pt_target *pt = xcalloc(1, sizeof(*pt));
	pt->mem_fd = -1;
	pt->launched = launched;
	t->ops = &ptrace_ops;
	t->pid = pid;
	t->backend = pt;
	t->attached = !launched;
	return t;
}

static const long base_options = PTRACE_O_TRACECLONE | PTRACE_O_TRACEEXEC | PTRACE_O_TRACEEXIT |
				 PTRACE_O_TRACEVFORKDONE | PTRACE_O_TRACESYSGOOD |
				 PTRACE_O_TRACEFORK | PTRACE_O_TRACEVFORK;

static struct target *ptrace_launch(const struct launch_opts *o)
{
	int gate[2];
	if (pipe(gate) < 0 || fcntl(gate[0], F_SETFD, FD_CLOEXEC) < 0 ||
	    fcntl(gate[1], F_SETFD, FD_CLOEXEC) < 0) {
		err_set("pipe: %s", strerror(errno));
		return NULL;
	}
	pid_t pid = fork();
	if (pid < 0) {
		err_set("fork: %s", strerror(errno));
		return NULL;
	}
	if (pid == 0) {
		char c;
		close(gate[1]);
		if (o->disable_aslr)
			personality(ADDR_NO_RANDOMIZE);
		/* Wait until the parent has seized us, so exec is the first event. */
		if (read(gate[0], &c, 1) != 1)
			_exit(126);
		for (int fd = 0; o->redirect && fd < 3; fd++)
			if (o->stdio[fd] != fd && dup2(o->stdio[fd], fd) < 0)
				_exit(126);
		if (o->cwd && chdir(o->cwd) < 0) {
			fprintf(stderr, "dr7: cannot change to '%s': %s\n", o->cwd, strerror(errno));
			_exit(127);
		}
		if (o->envp)
			environ = (char **)o->envp;	/* execvp searches the program's own PATH */
		execvp(o->argv[0], o->argv);
		fprintf(stderr, "dr7: cannot run '%s': %s\n", o->argv[0], strerror(errno));
		_exit(127);
	}
	close(gate[0]);
	if (ptrace(PTRACE_SEIZE, pid, 0, (void *)(base_options | PTRACE_O_EXITKILL)) < 0) {
		err_set("ptrace(SEIZE): %s", strerror(errno));
		kill(pid, SIGKILL);
		waitpid(pid, NULL, 0);
		close(gate[1]);
		return NULL;
	}
	(void)!write(gate[1], "g", 1);
	close(gate[1]);
	struct target *t = pt_new(pid, 1);
	PT(t)->shares_our_pgrp = 1;	/* forked without a process group of its own */
	struct target_thread *th = pt_add_thread(t, pid);
	th->state = THREAD_RUNNING;
	int status;
	for (;;) {
		pid_t r = waitpid(pid, &status, __WALL);
		if (r < 0 && errno == EINTR)
			continue;
		if (r < 0 || WIFEXITED(status) || WIFSIGNALED(status)) {
			if (r >= 0 && WIFSIGNALED(status))
				err_set("cannot run '%s': the kernel killed it while loading it (%s)", o->argv[0],
					strsignal(WTERMSIG(status)));
			else
				err_set("cannot run '%s'", o->argv[0]);
			target_destroy(t);
			return NULL;
		}
		if ((status >> 16) == PTRACE_EVENT_EXEC)
			break;
		/* A stray group-stop before exec is not the program's business; a
		 * signal is (an exec that failed past the point of no return is
		 * killed with SIGSEGV): it is delivered, so such a start ends. */
		int sig = (status >> 16) == 0 ? WSTOPSIG(status) : 0;
		ptrace(PTRACE_CONT, pid, 0, (void *)(long)sig);
	}
	th->state = THREAD_STOPPED;
	PTH(th)->has_pending = 1;
	PTH(th)->pending_status = status;
	memset(&PTH(th)->pending_si, 0, sizeof(PTH(th)->pending_si));
	if (pt_open_mem(t) < 0) {
		err_set("cannot open /proc/%d/mem: %s", (int)pid, strerror(errno));
		kill(pid, SIGKILL);
		waitpid(pid, NULL, __WALL);
		target_destroy(t);
		return NULL;
	}
	return t;
}

static struct target *ptrace_attach(pid_t pid)
{
	struct target *t = pt_new(pid, 0);
	PT(t)->shares_our_pgrp = getpgid(pid) == getpgrp();
	/* Seize until no new task appears: threads may be created meanwhile. */
	for (int round = 0; round < 100; round++) {
		pid_t *tids = NULL;
		int n = pt_list_tasks(pid, &tids);
		if (n <= 0) {
			free(tids);
			err_set("Cannot attach to process %d: no such process", (int)pid);
			target_destroy(t);
			return NULL;
		}
		int added = 0;
		for (int i = 0; i < n; i++) {
			if (target_thread_by_tid(t, tids[i]))
				continue;
			if (ptrace(PTRACE_SEIZE, tids[i], 0, (void *)base_options) < 0) {
				if (errno == ESRCH)
					continue;
				err_set("Cannot attach to process %d: %s", (int)pid, strerror(errno));
				free(tids);
				pt_detach(t, 0);
				target_destroy(t);
				return NULL;
			}
			struct target_thread *th = pt_add_thread(t, tids[i]);
			th->state = THREAD_RUNNING;
			added = 1;
		}
		free(tids);
		if (!added)
			break;
	}
	if (pt_open_mem(t) < 0) {
		err_set("cannot open /proc/%d/mem: %s", (int)pid, strerror(errno));
		pt_detach(t, 0);
		target_destroy(t);
		return NULL;
	}
	stop_all(t);
	struct user_regs_struct u;
	struct target_thread *lead = target_thread_by_tid(t, pid);
	if (lead && ptrace(PTRACE_GETREGS, pid, 0, &u) == 0)
		t->is32 = u.cs == 0x23;
	return t;
}

const struct target_backend ptrace_backend = {
	.name = "ptrace",
	.launch = ptrace_launch,
	.attach = ptrace_attach,
};
