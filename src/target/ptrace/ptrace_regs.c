/*
 * ptrace_regs.c — a thread's registers through ptrace, cached while the
 * thread is stopped: one PTRACE_GETREGS per stop at most, and one
 * PTRACE_SETREGS before it runs again only if something changed them.
 */
#include "target/ptrace/ptrace_internal.h"

#include <errno.h>
#include <string.h>
#include <sys/ptrace.h>

#include "util/util.h"


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

int pt_fetch_regs(struct target_thread *th)
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

int pt_flush_regs(struct target_thread *th)
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

int pt_get_regs(struct target *t, pid_t tid, struct regs *r)
{
	struct target_thread *th = target_thread_by_tid(t, tid);
	if (!th)
		return err_set("No such thread %d", (int)tid);
	if (pt_fetch_regs(th) < 0)
		return -1;
	uregs_to_regs(&PTH(th)->regs, r);
	return 0;
}

int pt_set_regs(struct target *t, pid_t tid, const struct regs *r)
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

int pt_get_fpregs(struct target *t, pid_t tid, struct fpregs *f)
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

