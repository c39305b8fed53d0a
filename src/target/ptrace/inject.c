/*
 * inject.c — system calls run inside a stopped thread (see inject.h).
 *
 * How: the thread's registers are saved, set to the call (rip on a
 * `syscall` instruction, orig_rax -1 so no syscall-restart logic applies
 * to them), the thread single-steps that one instruction, rax is read, and
 * the saved registers go back.  At a syscall-exit stop the program's call
 * is over; the registers put back at the step's trap (a signal-delivery
 * stop on the way to user mode) are what the kernel's restart logic then
 * sees, so a call to restart still restarts.  At an event stop the thread
 * is inside its call: stepping there would first finish that call into
 * our registers, so the caller lets it out first (inject_leave_event).
 * At a syscall-entry stop the call being
 * entered is swapped for ours instead (orig_rax and arguments), run to its
 * exit stop, and the thread is sent back onto its `syscall` instruction to
 * enter its own call again.
 *
 * Invariants: the thread's register cache (ptrace_regs.c) holds exactly
 * the saved registers afterwards, clean; a signal that arrives during the
 * step is held back and queued to the thread again afterwards (tgkill), so
 * the program still gets it — except a fault of the thread's own unfinished
 * instruction, which recurs by itself when that instruction runs again;
 * the program's memory is never written.
 */
#include "target/ptrace/inject.h"
#include "target/ptrace/ptrace_internal.h"

#include <assert.h>
#include <errno.h>
#include <fcntl.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/ptrace.h>
#include <sys/syscall.h>
#include <sys/wait.h>
#include <unistd.h>

#include "util/util.h"

#define SYSCALL_STOP (SIGTRAP | 0x80)	/* PTRACE_O_TRACESYSGOOD */

int inject_find_syscall(struct target *t)
{
	struct pt_target *pt = PT(t);
	pt->syscall_insn = 0;
	if (t->is32)
		return err_set("not supported: page-protection watches in an i386 program");
	char path[64], line[512];
	snprintf(path, sizeof(path), "/proc/%d/maps", (int)t->pid);
	FILE *f = fopen(path, "re");
	if (!f)
		return err_set("cannot read %s: %s", path, strerror(errno));
	unsigned long long lo = 0, hi = 0;
	int found = 0;
	while (fgets(line, sizeof(line), f)) {
		if (strstr(line, "[vdso]") && sscanf(line, "%llx-%llx", &lo, &hi) == 2) {
			found = 1;
			break;
		}
	}
	fclose(f);
	if (!found || hi <= lo || hi - lo > (1u << 20))
		return err_set("not supported: page-protection watches without a vDSO in the program");
	size_t n = (size_t)(hi - lo);
	uint8_t *buf = xmalloc(n);
	ssize_t got = pread(pt->mem_fd, buf, n, (off_t)lo);
	for (ssize_t i = 0; got > 1 && i + 1 < got; i++) {
		if (buf[i] == 0x0f && buf[i + 1] == 0x05) {
			pt->syscall_insn = lo + (uint64_t)i;
			break;
		}
	}
	free(buf);
	if (!pt->syscall_insn)
		return err_set("not supported: no syscall instruction in the program's vDSO");
	return 0;
}

static void set_call(struct user_regs_struct *u, long nr, const uint64_t a[6])
{
	u->rax = (unsigned long long)nr;
	u->rdi = a[0];
	u->rsi = a[1];
	u->rdx = a[2];
	u->r10 = a[3];
	u->r8 = a[4];
	u->r9 = a[5];
}

/* Waits for tid's next stop; a plain signal stop is noted in *deferred (to
 * be queued again when the injection is over: requeue) and the same request
 * continues without it.  The stop's signal (with 0x80 for a syscall stop),
 * or -1 when the task is gone or stopped otherwise. */
/*
 * A fault the thread's own instruction raised (a SIGSEGV the kernel queued
 * before dr7 stopped it, on a page dr7 has just given back, say): that
 * instruction has not completed, and runs again when the saved registers
 * are back — faulting again if the fault is real.  It is dropped, never
 * queued again as a signal someone sent.
 */
static int is_own_fault(pid_t tid, int sig)
{
	siginfo_t si;
	if (sig != SIGSEGV && sig != SIGBUS && sig != SIGILL && sig != SIGFPE)
		return 0;
	return ptrace(PTRACE_GETSIGINFO, tid, 0, &si) == 0 && si.si_code > 0 && si.si_code != SI_KERNEL;
}

static int wait_step(struct target *t, pid_t tid, int req, uint64_t *deferred)
{
	for (int round = 0; round < 64; round++) {
		int st;
		pid_t r;
		while ((r = waitpid(tid, &st, __WALL)) < 0 && errno == EINTR)
			;
		if (r < 0 || !WIFSTOPPED(st))
			return -1;
		int sig = WSTOPSIG(st), event = st >> 16;
		if (event == PTRACE_EVENT_STOP) {
			/* an interrupt still due, or a group-stop: not this step's business */
		} else if (event != 0) {
			return -1;	/* exit, exec...: cannot happen in mprotect; give up */
		} else if (sig == SIGTRAP || sig == SYSCALL_STOP) {
			return sig;
		} else if (sig >= 1 && sig <= 64 && !is_own_fault(tid, sig)) {
			*deferred |= 1ULL << (sig - 1);	/* a signal came first: the program gets it later */
		}
		if (ptrace(req, tid, 0, 0) < 0)
			return -1;
	}
	return -1;
}

/* Queues again the signals an injection held back (a real-time signal's value is lost). */
static void requeue(struct target *t, pid_t tid, uint64_t deferred)
{
	for (int sig = 1; sig <= 64; sig++)
		if (deferred & (1ULL << (sig - 1)))
			syscall(SYS_tgkill, (long)t->pid, (long)tid, (long)sig);
}

/* The step: u holds the saved registers (restored on return). */
static int step_call(struct target *t, pid_t tid, const struct user_regs_struct *saved, uint64_t insn,
		     long nr, const uint64_t args[6], int64_t *ret)
{
	struct user_regs_struct u = *saved;
	set_call(&u, nr, args);
	u.rip = insn;
	u.orig_rax = (unsigned long long)-1;
	if (ptrace(PTRACE_SETREGS, tid, 0, &u) < 0)
		return err_set("cannot set registers of thread %d: %s", (int)tid, strerror(errno));
	int rc = -1;
	uint64_t deferred = 0;
	/* Stepping out of a system call the thread is stopped in (a fork
	 * child's first stop, say) first reports that call's exit, before any
	 * instruction ran: then it steps again.  (A thread of ours at an event
	 * stop left it before: inject_leave_event.) */
	for (int round = 0; round < 2 && rc < 0; round++) {
		if (ptrace(PTRACE_SINGLESTEP, tid, 0, 0) < 0 || wait_step(t, tid, PTRACE_SINGLESTEP, &deferred) != SIGTRAP ||
		    ptrace(PTRACE_GETREGS, tid, 0, &u) < 0)
			break;
		if (u.rip == insn + 2) {
			*ret = (int64_t)u.rax;
			rc = 0;
		} else if (u.rip != insn) {
			break;
		}
	}
	if (ptrace(PTRACE_SETREGS, tid, 0, saved) < 0)
		return err_set("cannot restore registers of thread %d: %s", (int)tid, strerror(errno));
	requeue(t, tid, deferred);
	return rc < 0 ? err_set("cannot run a system call in thread %d", (int)tid) : 0;
}

int inject_syscall(struct target *t, struct target_thread *th, long nr, const uint64_t args[6], int64_t *ret)
{
	struct pt_target *pt = PT(t);
	struct pt_thread *p = PTH(th);
	if (!pt->syscall_insn && inject_find_syscall(t) < 0)
		return -1;
	if (p->stop_kind == PT_STOP_EVENT)
		return err_set("cannot run a system call in thread %d inside its own", (int)th->tid);
	if (p->stop_kind == PT_STOP_SYSCALL_ENTRY)
		return inject_at_entry(t, th, nr, args, ret);	/* its own call runs afterwards */
	if (pt_fetch_regs(th) < 0)
		return -1;
	int rc = step_call(t, th->tid, &p->regs, pt->syscall_insn, nr, args, ret);
	p->regs_dirty = 0;	/* the thread holds the cache again */
	return rc;
}

int inject_syscall_tid(struct target *t, pid_t tid, long nr, const uint64_t args[6], int64_t *ret)
{
	struct pt_target *pt = PT(t);
	if (!pt->syscall_insn && inject_find_syscall(t) < 0)
		return -1;
	struct user_regs_struct saved;
	if (ptrace(PTRACE_GETREGS, tid, 0, &saved) < 0)
		return err_set("cannot read registers of %d: %s", (int)tid, strerror(errno));
	return step_call(t, tid, &saved, pt->syscall_insn, nr, args, ret);
}

int inject_at_entry(struct target *t, struct target_thread *th, long nr, const uint64_t args[6], int64_t *ret)
{
	struct pt_thread *p = PTH(th);
	if (pt_fetch_regs(th) < 0)
		return -1;
	struct user_regs_struct saved = p->regs, u = saved;
	set_call(&u, nr, args);
	u.orig_rax = (unsigned long long)nr;
	pid_t tid = th->tid;
	uint64_t deferred = 0;
	if (ptrace(PTRACE_SETREGS, tid, 0, &u) < 0 || ptrace(PTRACE_SYSCALL, tid, 0, 0) < 0 ||
	    wait_step(t, tid, PTRACE_SYSCALL, &deferred) != SYSCALL_STOP || ptrace(PTRACE_GETREGS, tid, 0, &u) < 0) {
		ptrace(PTRACE_SETREGS, tid, 0, &saved);
		requeue(t, tid, deferred);
		return err_set("cannot run a system call in thread %d", (int)tid);
	}
	*ret = (int64_t)u.rax;
	/* Back onto the syscall instruction with the program's own call: it enters it again. */
	u = saved;
	u.rip -= 2;
	u.rax = saved.orig_rax;
	if (ptrace(PTRACE_SETREGS, tid, 0, &u) < 0 || ptrace(PTRACE_SYSCALL, tid, 0, 0) < 0 ||
	    wait_step(t, tid, PTRACE_SYSCALL, &deferred) != SYSCALL_STOP) {
		requeue(t, tid, deferred);
		return err_set("thread %d did not enter its system call again", (int)tid);
	}
	requeue(t, tid, deferred);
	p->regs_valid = 0;
	p->regs_dirty = 0;
	return pt_fetch_regs(th);
}

int inject_leave_event(struct target *t, struct target_thread *th)
{
	struct pt_thread *p = PTH(th);
	assert(p->stop_kind == PT_STOP_EVENT && !p->has_pending);
	if (pt_fetch_regs(th) < 0 || pt_flush_regs(th) < 0)
		return -1;
	uint64_t pc = p->regs.rip;
	uint64_t deferred = 0;
	int sig = ptrace(PTRACE_SINGLESTEP, th->tid, 0, 0) < 0 ? -1 : wait_step(t, th->tid, PTRACE_SINGLESTEP, &deferred);
	requeue(t, th->tid, deferred);
	p->regs_valid = 0;
	if (sig != SIGTRAP || pt_fetch_regs(th) < 0 || p->regs.rip != pc)
		return err_set("thread %d did not leave its system call", (int)th->tid);
	p->stop_kind = PT_STOP_ORDINARY;
	return 0;
}

int inject_leave_syscall(struct target *t, struct target_thread *th)
{
	struct pt_thread *p = PTH(th);
	pt_flush_regs(th);
	uint64_t deferred = 0;
	int sig = ptrace(PTRACE_SYSCALL, th->tid, 0, 0) < 0 ? -1 : wait_step(t, th->tid, PTRACE_SYSCALL, &deferred);
	requeue(t, th->tid, deferred);
	if (sig != SYSCALL_STOP)
		return err_set("thread %d did not leave its system call", (int)th->tid);
	p->stop_kind = PT_STOP_SYSCALL_EXIT;
	p->regs_valid = 0;	/* the call's result is in place now */
	return pt_fetch_regs(th);
}
