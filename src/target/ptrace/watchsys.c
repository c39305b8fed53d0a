/*
 * watchsys.c — system-call stops while watches exist (see watchsys.h).
 *
 * At the entry stop, every page of ours that memory the kernel may touch
 * for the call (syscall_spans.c) lies on is opened to the program's own
 * protection, so the kernel's copy succeeds or fails exactly as without
 * dr7; the arguments are kept.  At the exit stop the pages are closed
 * again, the ranges the kernel wrote or read (known from the call and its
 * result) are matched against every watch, and mapping changes are followed.
 *
 * Invariants: a thread's in_syscall is set only between an entry stop
 * and its exit stop (PTRACE_GET_SYSCALL_INFO says which a stop is, so a
 * missed stop never confuses the two); the pages opened for a call stay
 * open until its exit stop and, shared with other threads' calls, until
 * the last of those exits (pagewatch.c's openers); a call is run again after
 * an EFAULT only when sc_retry_is_harmless says the failure did nothing.
 * x86-64 numbering (page watches exist only for x86-64 programs; for an
 * i386 one only debug registers serve, and the kernel-write ranges are not
 * computed).
 */
#include "target/ptrace/watchsys.h"
#include "target/ptrace/pagewatch.h"
#include "target/ptrace/ptrace_internal.h"
#include "target/ptrace/syscall_spans.h"

#include <errno.h>
#include <string.h>
#include <sys/mman.h>
#include <sys/ptrace.h>
#include <sys/syscall.h>

#include "util/util.h"


static void on_call_entry(struct target *t, struct target_thread *th, long nr, const uint64_t *args)
{
	struct pt_thread *p = PTH(th);
	p->in_syscall = 1;
	p->sys_nr = nr;
	memcpy(p->sys_args, args, sizeof(p->sys_args));
	/* (Computed for debug-register watches too: a socket length's value
	 * at entry says how much of the address the kernel writes.) */
	struct sc_spans s = { 0 };
	sc_entry_spans(t, nr, args, &s, &p->sys_len_in);
	for (int i = 0; PT(t)->pw.npages && i < s.n; i++)
		pw_open_for_syscall(t, th, s.v[i].addr, s.v[i].len, 1);
	sc_spans_free(&s);
}

/*
 * Call nr, one sc_retry_is_harmless allows, failed with EFAULT and an argument
 * points into a page of ours (dr7 has no table for its memory, or it lies
 * beyond the table's ranges): the pages are opened and the call runs again
 * (its exit closes them), so dr7's protection does not make it fail.
 * 1 when th goes back into the call.
 */
static int retry_with_pages_open(struct target *t, struct target_thread *th)
{
	struct pt_thread *p = PTH(th);
	struct pw_state *pw = &PT(t)->pw;
	if (!sc_retry_is_harmless(p->sys_nr))
		return 0;
	int opened = 0;
	for (int i = 0; i < 6; i++) {
		struct pw_page *pg = pw_page_find(pw, p->sys_args[i]);
		if (pg && pg->now != pg->own && pw_open_for_syscall(t, th, p->sys_args[i], 2 * 4096 - (p->sys_args[i] & 4095), 0) > 0)
			opened = 1;
	}
	if (!opened || pt_fetch_regs(th) < 0)
		return 0;
	p->regs.rip -= 2;	/* back onto its syscall instruction */
	p->regs.rax = p->regs.orig_rax;
	p->regs_dirty = 1;
	p->sys_retried = 1;
	return 1;
}

static int on_call_exit(struct target *t, struct target_thread *th, int64_t ret, struct stop_event *ev)
{
	struct pt_thread *p = PTH(th);
	if (!p->in_syscall)
		return 0;	/* its entry came before the tracking began */
	p->in_syscall = 0;
	long nr = p->sys_nr;
	const uint64_t *a = p->sys_args;
	pw_close_after_syscall(t, th);
	if (ret == -EFAULT && !p->sys_retried && retry_with_pages_open(t, th))
		return 0;
	p->sys_retried = 0;
	if (ret >= 0) {
		switch (nr) {
		case SYS_mprotect:
		case SYS_pkey_mprotect:
			pw_program_mapped(t, th, a[0] & ~4095ULL, a[1] + (a[0] & 4095), (int)a[2]);
			break;
		case SYS_munmap:
			pw_program_mapped(t, th, a[0] & ~4095ULL, a[1] + (a[0] & 4095), -1);
			break;
		case SYS_mmap:
			pw_program_mapped(t, th, (uint64_t)ret, a[1], (int)a[2]);
			break;
		case SYS_mremap:
			pw_program_mapped(t, th, a[0], a[1], -2);
			pw_program_mapped(t, th, (uint64_t)ret, a[2], -2);
			break;
		case SYS_brk:
			pw_program_mapped(t, th, 0, ~0ULL, -2);
			break;
		default:
			break;
		}
	}
	if (ret < 0 || !pt_watches_active(t))
		return 0;
	struct sc_spans w = { 0 }, r = { 0 };
	sc_written_spans(t, nr, a, ret, p->sys_len_in, &w);
	sc_read_spans(t, nr, a, ret, &r);
	memset(ev, 0, sizeof(*ev));
	ev->tid = th->tid;
	for (int i = 0; i < w.n; i++)
		pt_watch_kernel_access(t, th->tid, w.v[i].addr, w.v[i].len, POINT_ACCESS_WRITE, ev);
	for (int i = 0; i < r.n; i++)
		pt_watch_kernel_access(t, th->tid, r.v[i].addr, r.v[i].len, POINT_ACCESS_READ, ev);
	sc_spans_free(&w);
	sc_spans_free(&r);
	if (!ev->nhits)
		return 0;
	ev->kind = STOP_WATCH;
	ev->by_syscall = 1;
	ev->syscall_nr = (int)nr;
	struct regs regs;
	if (pt_get_regs(t, th->tid, &regs) == 0)
		ev->pc = regs.r[REG_RIP];
	return 1;
}

int ws_syscall_stop(struct target *t, struct target_thread *th, struct stop_event *ev)
{
	struct __ptrace_syscall_info info;
	memset(&info, 0, sizeof(info));
	if (ptrace(PTRACE_GET_SYSCALL_INFO, th->tid, (void *)sizeof(info), &info) <= 0)
		return 0;
	if (t->is32)
		return 0;	/* x86-64 numbering only (see above) */
	if (info.op == PTRACE_SYSCALL_INFO_ENTRY) {
		on_call_entry(t, th, (long)info.entry.nr, info.entry.args);
		return 0;
	}
	if (info.op == PTRACE_SYSCALL_INFO_EXIT)
		return on_call_exit(t, th, info.exit.rval, ev);
	return 0;
}
