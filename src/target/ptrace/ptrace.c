/*
 * target_ptrace.c — the Linux backend, and the only file that calls ptrace().
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
 * Per-thread invariants:
 *   - regs caches the thread's registers while it is stopped; regs_dirty
 *     means the cache must be written before the thread runs again;
 *   - armed_dr7/armed_addr are what the thread's debug registers hold; they
 *     are rewritten only when the wanted state differs (DR7=0, DR0-3, DR7);
 *   - an interrupt that lost the race against another stop stays due in the
 *     kernel and arrives later as an unsolicited PTRACE_EVENT_STOP, which is
 *     simply resumed (so is a group-stop: dr7 does not emulate job control).
 * Fork children are stripped of our int3 bytes and released at their first
 * stop; vfork children share our memory, so they stay traced (stepping over
 * any int3 they meet) until they exec or exit.
 */
/* No _GNU_SOURCE: glibc's <sys/ucontext.h> would then claim the REG_* names of regs.h. */
#include "target/target.h"
#include "target/ptrace/procfs.h"

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
#include <dirent.h>
#include <unistd.h>

#include "util/util.h"

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

#define DR6_BS (1u << 14)

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
	int has_pending;
	int pending_status;
	siginfo_t pending_si;
	int deliver_sig;	/* signal to pass when the thread next runs */
};

enum aux_kind { AUX_FORK, AUX_VFORK };

struct aux_child {
	pid_t pid;
	enum aux_kind kind;
	int seen_stop;
};

struct pt_target {
	int mem_fd;
	int launched;
	int resume_deferred;	/* a resume waits until pending events are drained */
	pid_t deferred_step;
	pid_t step_only;	/* a single step with every other thread kept stopped */
	pid_t *early;		/* stops seen from tids we did not know yet */
	int nearly;
	struct aux_child *aux;
	int naux;
};

static struct pt_target *PT(struct target *t)
{
	return t->backend;
}

static struct pt_thread *PTH(struct target_thread *th)
{
	return th->backend;
}

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

/* ---- registers ---- */

static void uregs_to_regs(const struct user_regs_struct *u, struct regs *r)
{
	r->r[REG_RAX] = u->rax;
	r->r[REG_RBX] = u->rbx;
	r->r[REG_RCX] = u->rcx;
	r->r[REG_RDX] = u->rdx;
	r->r[REG_RSI] = u->rsi;
	r->r[REG_RDI] = u->rdi;
	r->r[REG_RBP] = u->rbp;
	r->r[REG_RSP] = u->rsp;
	r->r[REG_R8] = u->r8;
	r->r[REG_R9] = u->r9;
	r->r[REG_R10] = u->r10;
	r->r[REG_R11] = u->r11;
	r->r[REG_R12] = u->r12;
	r->r[REG_R13] = u->r13;
	r->r[REG_R14] = u->r14;
	r->r[REG_R15] = u->r15;
	r->r[REG_RIP] = u->rip;
	r->r[REG_EFL] = u->eflags;
	r->r[REG_CS] = u->cs;
	r->r[REG_SS] = u->ss;
	r->r[REG_DS] = u->ds;
	r->r[REG_ES] = u->es;
	r->r[REG_FS] = u->fs;
	r->r[REG_GS] = u->gs;
	r->r[REG_FS_BASE] = u->fs_base;
	r->r[REG_GS_BASE] = u->gs_base;
	r->r[REG_ORIG_RAX] = u->orig_rax;
}

static void regs_to_uregs(const struct regs *r, struct user_regs_struct *u)
{
	u->rax = r->r[REG_RAX];
	u->rbx = r->r[REG_RBX];
	u->rcx = r->r[REG_RCX];
	u->rdx = r->r[REG_RDX];
	u->rsi = r->r[REG_RSI];
	u->rdi = r->r[REG_RDI];
	u->rbp = r->r[REG_RBP];
	u->rsp = r->r[REG_RSP];
	u->r8 = r->r[REG_R8];
	u->r9 = r->r[REG_R9];
	u->r10 = r->r[REG_R10];
	u->r11 = r->r[REG_R11];
	u->r12 = r->r[REG_R12];
	u->r13 = r->r[REG_R13];
	u->r14 = r->r[REG_R14];
	u->r15 = r->r[REG_R15];
	u->rip = r->r[REG_RIP];
	u->eflags = r->r[REG_EFL];
	u->cs = r->r[REG_CS];
	u->ss = r->r[REG_SS];
	u->ds = r->r[REG_DS];
	u->es = r->r[REG_ES];
	u->fs = r->r[REG_FS];
	u->gs = r->r[REG_GS];
	u->fs_base = r->r[REG_FS_BASE];
	u->gs_base = r->r[REG_GS_BASE];
	u->orig_rax = r->r[REG_ORIG_RAX];
}

static int pt_fetch_regs(struct target_thread *th)
{
	struct pt_thread *p = PTH(th);
	if (p->regs_valid)
		return 0;
	if (ptrace(PTRACE_GETREGS, th->tid, 0, &p->regs) < 0)
		return err_set("Cannot read registers of thread %d: %s", (int)th->tid,
			       strerror(errno));
	p->regs_valid = 1;
	return 0;
}

static int pt_flush_regs(struct target_thread *th)
{
	struct pt_thread *p = PTH(th);
	if (!p->regs_dirty)
		return 0;
	p->regs_dirty = 0;
	if (ptrace(PTRACE_SETREGS, th->tid, 0, &p->regs) < 0)
		return err_set("Cannot write registers of thread %d: %s", (int)th->tid,
			       strerror(errno));
	return 0;
}

static int pt_get_regs(struct target *t, pid_t tid, struct regs *r)
{
	struct target_thread *th = target_thread_by_tid(t, tid);
	if (!th)
		return err_set("No such thread %d", (int)tid);
	if (pt_fetch_regs(th) < 0)
		return -1;
	uregs_to_regs(&PTH(th)->regs, r);
	return 0;
}

static int pt_set_regs(struct target *t, pid_t tid, const struct regs *r)
{
	struct target_thread *th = target_thread_by_tid(t, tid);
	if (!th)
		return err_set("No such thread %d", (int)tid);
	if (pt_fetch_regs(th) < 0)
		return -1;
	regs_to_uregs(r, &PTH(th)->regs);
	PTH(th)->regs_dirty = 1;
	return 0;
}

static int pt_get_fpregs(struct target *t, pid_t tid, struct fpregs *f)
{
	struct user_fpregs_struct u;
	if (ptrace(PTRACE_GETFPREGS, tid, 0, &u) < 0)
		return err_set("Cannot read floating-point registers: %s", strerror(errno));
	memset(f, 0, sizeof(*f));
	memcpy(f->xmm, u.xmm_space, sizeof(f->xmm));
	f->mxcsr = u.mxcsr;
	f->fcw = u.cwd;
	f->fsw = u.swd;
	for (int i = 0; i < 8; i++)
		memcpy(f->st[i], (const char *)u.st_space + 16 * i, 10);
	return 0;
}

/* ---- debug registers ---- */

static int poke_dr(pid_t tid, int i, uint64_t v)
{
	return (int)ptrace(PTRACE_POKEUSER, tid, offsetof(struct user, u_debugreg[i]), (void *)v);
}

/* Makes one thread's debug registers equal the mirror; writes only what changed. */
static int pt_arm_thread(struct target_thread *th, const struct dr_state *m)
{
	struct pt_thread *p = PTH(th);
	uint64_t want7 = dr_dr7_for_thread(m, th->tid);
	int addr_change = 0;
	for (int i = 0; i < DR_SLOTS; i++)
		if (dr_slot_enabled(want7, i) && p->armed_addr[i] != m->addr[i])
			addr_change = 1;
	if (!addr_change && want7 == p->armed_dr7)
		return 0;
	/* The kernel validates each address against DR7; disarm first. */
	if (p->armed_dr7 && poke_dr(th->tid, 7, 0) < 0)
		goto fail;
	p->armed_dr7 = 0;
	for (int i = 0; i < DR_SLOTS; i++) {
		if (!dr_slot_enabled(want7, i) || p->armed_addr[i] == m->addr[i])
			continue;
		if (poke_dr(th->tid, i, m->addr[i]) < 0)
			goto fail;
		p->armed_addr[i] = m->addr[i];
	}
	if (want7 && poke_dr(th->tid, 7, want7) < 0)
		goto fail;
	p->armed_dr7 = want7;
	return 0;
fail:
	return err_set("Unable to set processor breakpoint in thread %d: %s", (int)th->tid,
		       strerror(errno));
}

static int pt_set_debugregs(struct target *t, const struct dr_state *m, pid_t tid)
{
	int rc = 0;
	for (int i = 0; i < t->nthreads; i++) {
		struct target_thread *th = t->threads[i];
		if (tid > 0 && th->tid != tid)
			continue;
		if (tid > 0) {
			/* Re-arm from scratch: the thread may have lost its registers. */
			PTH(th)->armed_dr7 = (uint64_t)-1;
			memset(PTH(th)->armed_addr, 0xff, sizeof(PTH(th)->armed_addr));
		}
		if (PTH(th)->starting || th->state == THREAD_RUNNING)
			continue;	/* armed when it next stops */
		if (pt_arm_thread(th, m) < 0 && !PTH(th)->exiting)
			rc = -1;
	}
	return rc;
}

static int pt_get_dr6(struct target *t, pid_t tid, uint64_t *dr6)
{
	errno = 0;
	long v = ptrace(PTRACE_PEEKUSER, tid, offsetof(struct user, u_debugreg[6]), 0);
	if (errno)
		return err_set("Cannot read DR6: %s", strerror(errno));
	*dr6 = (uint64_t)v;
	return 0;
}

static int pt_get_dr7(struct target *t, pid_t tid, uint64_t *dr7)
{
	errno = 0;
	long v = ptrace(PTRACE_PEEKUSER, tid, offsetof(struct user, u_debugreg[7]), 0);
	if (errno)
		return err_set("Cannot read DR7: %s", strerror(errno));
	*dr7 = (uint64_t)v;
	return 0;
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

static struct aux_child *aux_find(struct pt_target *pt, pid_t pid)
{
	for (int i = 0; i < pt->naux; i++)
		if (pt->aux[i].pid == pid)
			return &pt->aux[i];
	return NULL;
}

static void aux_remove(struct pt_target *pt, pid_t pid)
{
	for (int i = 0; i < pt->naux; i++) {
		if (pt->aux[i].pid == pid) {
			pt->aux[i] = pt->aux[--pt->naux];
			return;
		}
	}
}

/* A fork child got a copy of our int3 bytes: put the originals back, let it go. */
static void release_fork_child(struct target *t, pid_t child)
{
	char path[64];
	snprintf(path, sizeof(path), "/proc/%d/mem", (int)child);
	int fd = open(path, O_RDWR | O_CLOEXEC);
	for (int i = 0; fd >= 0 && i < t->nsites; i++)
		if (t->sites[i].inserted)
			(void)!pwrite(fd, &t->sites[i].saved, 1, (off_t)t->sites[i].addr);
	if (fd >= 0)
		close(fd);
	ptrace(PTRACE_DETACH, child, 0, 0);
	aux_remove(PT(t), child);
}

/* A vfork child shares our memory: step it over any int3 of ours it meets. */
static void handle_aux_stop(struct target *t, struct aux_child *a, int status)
{
	int sig = WSTOPSIG(status);
	int event = status >> 16;
	if (a->kind == AUX_FORK) {
		release_fork_child(t, a->pid);
		return;
	}
	a->seen_stop = 1;
	if (event == PTRACE_EVENT_EXEC) {
		ptrace(PTRACE_DETACH, a->pid, 0, 0);
		aux_remove(PT(t), a->pid);
		return;
	}
	int deliver = 0;
	if (event == 0 && sig == SIGTRAP) {
		struct user_regs_struct u;
		if (ptrace(PTRACE_GETREGS, a->pid, 0, &u) == 0 && target_sw_find(t, u.rip - 1)) {
			u.rip--;
			ptrace(PTRACE_SETREGS, a->pid, 0, &u);
			const struct sw_site *s = target_sw_find(t, u.rip);
			uint8_t cc = 0xCC;
			pwrite(PT(t)->mem_fd, &s->saved, 1, (off_t)s->addr);
			int st;
			ptrace(PTRACE_SINGLESTEP, a->pid, 0, 0);
			waitpid(a->pid, &st, __WALL);
			pwrite(PT(t)->mem_fd, &cc, 1, (off_t)s->addr);
			if (WIFEXITED(st) || WIFSIGNALED(st)) {
				aux_remove(PT(t), a->pid);
				return;
			}
		}
	} else if (event == 0) {
		deliver = sig;
	}
	ptrace(PTRACE_CONT, a->pid, 0, (void *)(long)deliver);
}

static void pt_resume_thread(struct target_thread *th, int step, int sig)
{
	struct pt_thread *p = PTH(th);
	pt_flush_regs(th);
	p->regs_valid = 0;
	p->stepping = step;
	if (ptrace(step ? PTRACE_SINGLESTEP : PTRACE_CONT, th->tid, 0, (void *)(long)sig) == 0)
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
	free(t->sites);
	t->sites = NULL;
	t->nsites = 0;
	t->nmoribund = 0;
	memset(&t->dr, 0, sizeof(t->dr));
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

/*
 * Classifies one wait status of a known thread.  The thread is stopped on
 * return unless the disposition is D_GONE.
 */
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
	int sig = WSTOPSIG(status);
	int event = status >> 16;
	unsigned long msg = 0;

	switch (event) {
	case PTRACE_EVENT_CLONE: {
		ptrace(PTRACE_GETEVENTMSG, th->tid, 0, &msg);
		struct target_thread *nt = pt_add_thread(t, (pid_t)msg);
		if (early_take(PT(t), nt->tid)) {
			nt->state = THREAD_STOPPED;
			pt_arm_thread(nt, &t->dr);
			PTH(nt)->resume_me = 1;
		} else {
			PTH(nt)->starting = 1;
			nt->state = THREAD_STOPPED;
		}
		return D_RESUME;
	}
	case PTRACE_EVENT_FORK:
	case PTRACE_EVENT_VFORK: {
		ptrace(PTRACE_GETEVENTMSG, th->tid, 0, &msg);
		struct pt_target *pt = PT(t);
		pt->aux = xrealloc(pt->aux, sizeof(*pt->aux) * (size_t)(pt->naux + 1));
		pt->aux[pt->naux++] = (struct aux_child){
			.pid = (pid_t)msg, .kind = event == PTRACE_EVENT_FORK ? AUX_FORK : AUX_VFORK
		};
		if (early_take(pt, (pid_t)msg))
			handle_aux_stop(t, &pt->aux[pt->naux - 1], (PTRACE_EVENT_STOP << 16) | (SIGSTOP << 8) | 0x7f);
		return D_RESUME;
	}
	case PTRACE_EVENT_VFORK_DONE:
		return D_RESUME;
	case PTRACE_EVENT_EXEC:
		handle_exec(t, th);
		ev->tid = th->tid;
		ev->kind = STOP_EXEC;
		return D_REPORT;
	case PTRACE_EVENT_EXIT: {
		ptrace(PTRACE_GETEVENTMSG, th->tid, 0, &msg);
		p->exiting = 1;
		int live = 0;
		for (int i = 0; i < t->nthreads; i++)
			if (!PTH(t->threads[i])->exiting)
				live++;
		if (live > 0)
			return D_RESUME;
		ev->kind = STOP_EXIT;
		int st = (int)msg;
		ev->exit_code = WIFEXITED(st) ? WEXITSTATUS(st) : -1;
		ev->term_signal = WIFSIGNALED(st) ? WTERMSIG(st) : 0;
		return D_REPORT;
	}
	case PTRACE_EVENT_STOP:
		if (p->starting) {
			p->starting = 0;
			pt_arm_thread(th, &t->dr);
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

	/*
	 * The hot path: a SIGTRAP in a thread that was neither stepping nor has
	 * debug registers armed, with an inserted int3 just before rip, can only
	 * be that int3 — no need to ask for the siginfo.
	 */
	if (sig == SIGTRAP && !known_si && !p->stepping && !p->armed_dr7 && pt_fetch_regs(th) == 0 &&
	    rewind_over_int3(t, th)) {
		ev->kind = STOP_SW_BREAK;
		ev->pc = p->regs.rip;
		return D_REPORT;
	}

	/*
	 * The data-breakpoint hot path: with debug registers armed and no step
	 * in progress, a B bit of an enabled slot in DR6 names the hit without
	 * the siginfo (DR6 is cleared after every hit, so bits are never stale).
	 */
	if (sig == SIGTRAP && !known_si && !p->stepping && p->armed_dr7) {
		uint64_t dr6;
		if (pt_get_dr6(t, th->tid, &dr6) == 0 && dr_hits(dr6, p->armed_dr7)) {
			ptrace(PTRACE_POKEUSER, th->tid, offsetof(struct user, u_debugreg[6]), 0);
			if (pt_fetch_regs(th) < 0)
				return D_GONE;
			ev->kind = STOP_HW_BREAK;
			ev->hw_hits = dr_hits(dr6, p->armed_dr7);
			ev->pc = p->regs.rip;
			return D_REPORT;
		}
	}

	siginfo_t si;
	if (known_si)
		si = *known_si;
	else if (ptrace(PTRACE_GETSIGINFO, th->tid, 0, &si) < 0)
		memset(&si, 0, sizeof(si));

	if (sig == SIGTRAP) {
		int was_stepping = p->stepping;
		p->stepping = 0;
		uint64_t dr6 = 0;
		if (si.si_code == TRAP_HWBKPT || si.si_code == TRAP_TRACE || p->armed_dr7) {
			if (p->armed_dr7 && pt_get_dr6(t, th->tid, &dr6) == 0 && (dr6 & 0xf))
				ptrace(PTRACE_POKEUSER, th->tid, offsetof(struct user, u_debugreg[6]), 0);
		}
		unsigned hits = dr_hits(dr6, p->armed_dr7);
		if (pt_fetch_regs(th) < 0)
			return D_GONE;
		if (si.si_code == SI_KERNEL || si.si_code == TRAP_BRKPT) {
			uint64_t at = p->regs.rip - 1;
			if (rewind_over_int3(t, th)) {
				ev->kind = STOP_SW_BREAK;
				ev->pc = at;
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
			ev->kind = was_stepping ? STOP_STEP : STOP_HW_BREAK;
			ev->hw_hits = hits;
			ev->pc = p->regs.rip;
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
	struct aux_child *a = aux_find(PT(t), tid);
	if (a) {
		if (WIFEXITED(status) || WIFSIGNALED(status))
			aux_remove(PT(t), tid);
		else
			handle_aux_stop(t, a, status);
		return;
	}
	if (WIFSTOPPED(status))
		early_add(PT(t), tid);
}

static void save_pending(struct target_thread *th, int status)
{
	struct pt_thread *p = PTH(th);
	p->has_pending = 1;
	p->pending_status = status;
	if (ptrace(PTRACE_GETSIGINFO, th->tid, 0, &p->pending_si) < 0)
		memset(&p->pending_si, 0, sizeof(p->pending_si));
}

/*
 * Interrupts every running thread and waits until all are stopped.  What
 * they report instead of the interrupt stop is kept as their pending event
 * (an int3 hit is undone instead: it will recur).
 */
static void stop_all(struct target *t)
{
	for (int i = 0; i < t->nthreads; i++) {
		struct target_thread *th = t->threads[i];
		if (th->state == THREAD_RUNNING && !PTH(th)->stop_requested) {
			if (ptrace(PTRACE_INTERRUPT, th->tid, 0, 0) == 0)
				PTH(th)->stop_requested = 1;
		}
	}
	for (;;) {
		int waiting = 0;
		for (int i = 0; i < t->nthreads; i++) {
			struct pt_thread *p = PTH(t->threads[i]);
			if (p->stop_requested || p->starting)
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
			save_pending(th, status);
			th->state = THREAD_STOPPED;
			continue;
		}
		/* Stopped for another reason before the interrupt took effect. */
		th->state = THREAD_STOPPED;
		p->stop_requested = 0;
		if (event == PTRACE_EVENT_CLONE || event == PTRACE_EVENT_FORK ||
		    event == PTRACE_EVENT_VFORK || event == PTRACE_EVENT_VFORK_DONE) {
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
		save_pending(th, status);
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
	for (int i = 0; i < t->nthreads; i++) {
		struct target_thread *th = t->threads[i];
		struct pt_thread *p = PTH(th);
		if (th->state == THREAD_RUNNING || th->frozen || p->starting || p->has_pending)
			continue;
		pt_arm_thread(th, &t->dr);
		int sig = p->deliver_sig;
		p->deliver_sig = 0;
		p->resume_me = 0;
		pt_resume_thread(th, th->tid == step_tid, sig);
	}
}

static int pt_resume(struct target *t, const struct resume_req *req)
{
	if (t->exited)
		return err_set("No process");
	struct target_thread *sig_th = req->signal_tid ? target_thread_by_tid(t, req->signal_tid) : NULL;
	if (sig_th)
		PTH(sig_th)->deliver_sig = req->signo;
	if (req->step_tid > 0 && req->step_only) {
		struct target_thread *th = target_thread_by_tid(t, req->step_tid);
		if (!th)
			return err_set("No such thread");
		pt_arm_thread(th, &t->dr);
		int sig = PTH(th)->deliver_sig;
		PTH(th)->deliver_sig = 0;
		PT(t)->step_only = th->tid;
		pt_resume_thread(th, 1, sig);
		return 0;
	}
	PT(t)->step_only = 0;
	if (any_pending(t)) {
		/* pt_wait reports the pending event first, or resumes after it. */
		PT(t)->resume_deferred = 1;
		PT(t)->deferred_step = req->step_tid;
		return 0;
	}
	resume_all(t, req->step_tid);
	return 0;
}

static int pt_wait(struct target *t, struct stop_event *ev, volatile int *interrupted)
{
	int interrupt_sent = 0;
	for (;;) {
		/* Events collected while stopping threads come first. */
		for (int i = 0; i < t->nthreads; i++) {
			struct target_thread *th = t->threads[i];
			struct pt_thread *p = PTH(th);
			if (!p->has_pending || th->frozen)
				continue;
			p->has_pending = 0;
			enum dispo d = classify(t, th, p->pending_status, &p->pending_si, ev);
			if (d == D_REPORT) {
				/* The deferred resume is dropped: the user resumes again. */
				PT(t)->resume_deferred = 0;
				if (ev->kind == STOP_GONE)
					t->exited = 1;
				return 0;
			}
			i = -1;	/* the list may have changed: rescan */
		}
		if (PT(t)->resume_deferred) {
			PT(t)->resume_deferred = 0;
			resume_all(t, PT(t)->deferred_step);
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
			/* An event in the middle of a step (a clone syscall) continues the
			 * step; during a step every other thread, a new one too, stays put. */
			if (th->state == THREAD_STOPPED && !th->frozen &&
			    (PT(t)->step_only == 0 || PT(t)->step_only == th->tid))
				pt_resume_thread(th, PTH(th)->stepping, 0);
			for (int i = 0; PT(t)->step_only == 0 && i < t->nthreads; i++) {
				/* A new thread whose initial stop came before its clone event. */
				struct target_thread *o = t->threads[i];
				if (PTH(o)->resume_me) {
					PTH(o)->resume_me = 0;
					if (o->state == THREAD_STOPPED && !o->frozen)
						pt_resume_thread(o, 0, 0);
				}
			}
			continue;
		case D_REPORT:
			if (ev->kind == STOP_GONE) {
				t->exited = 1;
				/* Reap whatever else remains. */
				return 0;
			}
			if (ev->kind == STOP_SIGNAL && interrupted && *interrupted && ev->signo == SIGINT) {
				/* Ctrl-C reached the program too: it is our break-in, not its signal. */
				ev->kind = STOP_INTERRUPT;
				ev->signo = 0;
			}
			stop_all(t);
			return 0;
		}
	}
}

static int pt_detach(struct target *t, int signo)
{
	for (int i = 0; i < t->nthreads; i++) {
		struct target_thread *th = t->threads[i];
		pt_flush_regs(th);
		ptrace(PTRACE_DETACH, th->tid, 0, (void *)(long)(th->tid == t->pid ? signo : 0));
	}
	for (int i = 0; i < PT(t)->naux; i++)
		ptrace(PTRACE_DETACH, PT(t)->aux[i].pid, 0, 0);
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

/* ---- process facts from /proc ---- */

/* The program's dispositions, from /proc: 1 if it catches or ignores signo. */
static int pt_signal_handled(struct target *t, int signo)
{
	char path[64], line[256];
	snprintf(path, sizeof(path), "/proc/%d/status", (int)t->pid);
	FILE *f = fopen(path, "r");
	if (!f)
		return 0;
	unsigned long long cgt = 0, ign = 0;
	while (fgets(line, sizeof(line), f)) {
		if (!strncmp(line, "SigCgt:", 7))
			cgt = strtoull(line + 7, NULL, 16);
		else if (!strncmp(line, "SigIgn:", 7))
			ign = strtoull(line + 7, NULL, 16);
	}
	fclose(f);
	unsigned long long bit = 1ULL << (signo - 1);
	return (cgt & bit) || (ign & bit);
}

static int pt_thread_name(struct target *t, pid_t tid, char *buf, size_t n)
{
	char path[96];
	snprintf(path, sizeof(path), "/proc/%d/task/%d/comm", (int)t->pid, (int)tid);
	FILE *f = fopen(path, "r");
	if (!f)
		return -1;
	int ok = fgets(buf, (int)n, f) != NULL;
	fclose(f);
	if (!ok)
		return -1;
	buf[strcspn(buf, "\n")] = 0;
	return 0;
}

static void pt_destroy(struct target *t)
{
	struct pt_target *pt = PT(t);
	if (pt->mem_fd >= 0)
		close(pt->mem_fd);
	free(pt->early);
	free(pt->aux);
	free(pt);
}

static const struct target_ops ptrace_ops = {
	.name = "ptrace",
	.resume = pt_resume,
	.wait = pt_wait,
	.read_mem = pt_read_mem,
	.write_mem = pt_write_mem,
	.read_as_program = pt_read_as_program,
	.write_as_program = pt_write_as_program,
	.get_regs = pt_get_regs,
	.set_regs = pt_set_regs,
	.get_fpregs = pt_get_fpregs,
	.set_debugregs = pt_set_debugregs,
	.get_dr6 = pt_get_dr6,
	.get_dr7 = pt_get_dr7,
	.read_auxv = procfs_read_auxv,
	.exe_path = procfs_exe_path,
	.signal_handled = pt_signal_handled,
	.thread_name = pt_thread_name,
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
				 PTRACE_O_TRACEFORK | PTRACE_O_TRACEVFORK;

struct target *ptrace_launch(const struct launch_opts *o)
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
	struct target_thread *th = pt_add_thread(t, pid);
	th->state = THREAD_RUNNING;
	int status;
	for (;;) {
		pid_t r = waitpid(pid, &status, __WALL);
		if (r < 0 && errno == EINTR)
			continue;
		if (r < 0 || WIFEXITED(status) || WIFSIGNALED(status)) {
			err_set("cannot run '%s'", o->argv[0]);
			target_destroy(t);
			return NULL;
		}
		if ((status >> 16) == PTRACE_EVENT_EXEC)
			break;
		/* Anything before exec (a stray group-stop) is not the program's business. */
		ptrace(PTRACE_CONT, pid, 0, 0);
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

static int list_tasks(pid_t pid, pid_t **out)
{
	char path[64];
	snprintf(path, sizeof(path), "/proc/%d/task", (int)pid);
	DIR *d = opendir(path);
	if (!d)
		return -1;
	int n = 0;
	pid_t *v = NULL;
	struct dirent *e;
	while ((e = readdir(d))) {
		if (e->d_name[0] < '0' || e->d_name[0] > '9')
			continue;
		v = xrealloc(v, sizeof(*v) * (size_t)(n + 1));
		v[n++] = (pid_t)atoi(e->d_name);
	}
	closedir(d);
	/* Ascending tid order gives stable thread numbers. */
	for (int i = 1; i < n; i++)
		for (int j = i; j > 0 && v[j - 1] > v[j]; j--) {
			pid_t x = v[j];
			v[j] = v[j - 1];
			v[j - 1] = x;
		}
	*out = v;
	return n;
}

struct target *ptrace_attach(pid_t pid)
{
	struct target *t = pt_new(pid, 0);
	/* Seize until no new task appears: threads may be created meanwhile. */
	for (int round = 0; round < 100; round++) {
		pid_t *tids = NULL;
		int n = list_tasks(pid, &tids);
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
