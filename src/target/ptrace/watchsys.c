/*
 * watchsys.c — system-call stops while watches exist (see watchsys.h).
 *
 * At the entry stop, every page of ours that the call's buffers (or any
 * argument that points into one) lie on is opened to the program's own
 * protection, so the kernel's copy succeeds or fails exactly as without
 * dr7; the arguments are kept.  At the exit stop the pages are closed
 * again, the ranges the kernel wrote or read (known from the call and its
 * result) are matched against every watch, and mapping changes are followed.
 *
 * Invariants: a thread's in_syscall is set only between an entry stop
 * and its exit stop (PTRACE_GET_SYSCALL_INFO says which a stop is, so a
 * missed stop never confuses the two); the buffers opened for a call stay
 * open only until its exit stop.  x86-64 numbering (page watches exist only
 * for x86-64 programs; for an i386 one only debug registers serve, and the
 * kernel-write ranges are not computed).
 */
#include "target/ptrace/watchsys.h"
#include "target/ptrace/pagewatch.h"
#include "target/ptrace/ptrace_internal.h"

#include <errno.h>
#include <string.h>
#include <sys/mman.h>
#include <sys/ptrace.h>
#include <sys/syscall.h>

#include "util/util.h"

#define STAT_SIZE 144		/* struct stat on x86-64 */
#define STATX_SIZE 256
#define IOV_MAX_WALK 1024

/* A range the kernel may read or write for the call. */
struct span {
	uint64_t addr, len;
};

struct spans {
	struct span v[16];
	int n;
};

static void span_add(struct spans *s, uint64_t addr, uint64_t len)
{
	if (len && s->n < (int)ARRAY_SIZE(s->v))
		s->v[s->n++] = (struct span){ addr, len };
}

static int read_u64(struct target *t, uint64_t addr, uint64_t *v)
{
	return target_read(t, addr, v, sizeof(*v)) == (int)sizeof(*v) ? 0 : -1;
}

/* The iovec array at iov (cnt entries), consuming at most limit bytes (~0: all). */
static void iov_spans(struct target *t, uint64_t iov, uint64_t cnt, uint64_t limit, struct spans *s)
{
	for (uint64_t i = 0; i < cnt && i < IOV_MAX_WALK && limit; i++) {
		uint64_t base, len;
		if (read_u64(t, iov + 16 * i, &base) < 0 || read_u64(t, iov + 16 * i + 8, &len) < 0)
			return;
		if (len > limit)
			len = limit;
		span_add(s, base, len);
		limit -= len;
	}
}

/* struct msghdr: name, namelen, iov, iovlen, control, controllen, flags. */
static void msg_spans(struct target *t, uint64_t msg, uint64_t limit, int include_meta, struct spans *s)
{
	uint64_t h[6];
	if (target_read(t, msg, h, sizeof(h)) != (int)sizeof(h))
		return;
	iov_spans(t, h[2], h[3], limit, s);
	if (include_meta) {
		span_add(s, h[0], (uint32_t)h[1]);
		span_add(s, h[4], h[5]);
	}
}

/*
 * What the kernel writes for call nr with arguments a and result ret
 * (ret < 0: at entry, what it may write), appended to s.
 */
static void written_spans(struct target *t, long nr, const uint64_t *a, int64_t ret, struct spans *s)
{
	uint64_t lim = ret < 0 ? ~0ULL : (uint64_t)ret;
	int entry = ret < 0;
	switch (nr) {
	case SYS_read:
	case SYS_pread64:
		span_add(s, a[1], entry ? a[2] : lim);
		break;
	case SYS_recvfrom:
		span_add(s, a[1], entry ? a[2] : lim);
		if (a[4] && a[5]) {
			uint32_t alen = 0;
			if (target_read(t, a[5], &alen, 4) == 4)
				span_add(s, a[4], alen);
		}
		break;
	case SYS_readv:
	case SYS_preadv:
	case SYS_preadv2:
		iov_spans(t, a[1], a[2], lim, s);
		break;
	case SYS_recvmsg:
		msg_spans(t, a[1], lim, 1, s);
		break;
	case SYS_stat:
	case SYS_fstat:
	case SYS_lstat:
		if (entry || ret == 0)
			span_add(s, a[1], STAT_SIZE);
		break;
	case SYS_newfstatat:
		if (entry || ret == 0)
			span_add(s, a[2], STAT_SIZE);
		break;
	case SYS_statx:
		if (entry || ret == 0)
			span_add(s, a[4], STATX_SIZE);
		break;
	default:
		break;
	}
}

/* What the kernel read from the program's buffers for call nr that returned ret >= 0. */
static void kernel_read_spans(struct target *t, long nr, const uint64_t *a, int64_t ret, struct spans *s)
{
	switch (nr) {
	case SYS_write:
	case SYS_pwrite64:
	case SYS_sendto:
		span_add(s, a[1], (uint64_t)ret);
		break;
	case SYS_writev:
	case SYS_pwritev:
	case SYS_pwritev2:
		iov_spans(t, a[1], a[2], (uint64_t)ret, s);
		break;
	case SYS_sendmsg:
		msg_spans(t, a[1], (uint64_t)ret, 1, s);
		break;
	default:
		break;
	}
}

/* What the kernel reads for call nr (its buffers and their descriptions). */
static void read_spans(struct target *t, long nr, const uint64_t *a, struct spans *s)
{
	switch (nr) {
	case SYS_write:
	case SYS_pwrite64:
	case SYS_sendto:
		span_add(s, a[1], a[2]);
		break;
	case SYS_writev:
	case SYS_pwritev:
	case SYS_pwritev2:
	case SYS_readv:
	case SYS_preadv:
	case SYS_preadv2:
		span_add(s, a[1], 16 * (a[2] < IOV_MAX_WALK ? a[2] : IOV_MAX_WALK));
		if (nr == SYS_writev || nr == SYS_pwritev || nr == SYS_pwritev2)
			iov_spans(t, a[1], a[2], ~0ULL, s);
		break;
	case SYS_sendmsg:
	case SYS_recvmsg:
		span_add(s, a[1], 56);
		if (nr == SYS_sendmsg)
			msg_spans(t, a[1], ~0ULL, 1, s);
		break;
	case SYS_mremap:
		/* The old range must be one mapping again for the kernel to move it. */
		span_add(s, a[0], a[1]);
		break;
	default:
		break;
	}
}

static void on_entry(struct target *t, struct target_thread *th, long nr, const uint64_t *args)
{
	struct pt_thread *p = PTH(th);
	p->in_syscall = 1;
	p->sys_nr = nr;
	memcpy(p->sys_args, args, sizeof(p->sys_args));
	struct pw_state *pw = &PT(t)->pw;
	if (!pw->npages)
		return;
	struct spans s = { .n = 0 };
	written_spans(t, nr, args, -1, &s);
	read_spans(t, nr, args, &s);
	for (int i = 0; i < s.n; i++)
		pw_open_for_syscall(t, th, s.v[i].addr, s.v[i].len, 1);
}

/*
 * A call dr7 has no table for failed with EFAULT and an argument points
 * into a page of ours: the pages are opened and the call runs again (its
 * exit closes them), so dr7's protection never makes a call fail.  (A call
 * that fails so has done nothing.)  1 when th goes back into the call.
 */
static int retry_with_pages_open(struct target *t, struct target_thread *th)
{
	struct pt_thread *p = PTH(th);
	struct pw_state *pw = &PT(t)->pw;
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

static int on_exit(struct target *t, struct target_thread *th, int64_t ret, struct stop_event *ev)
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
	struct spans w = { .n = 0 }, r = { .n = 0 };
	written_spans(t, nr, a, ret, &w);
	kernel_read_spans(t, nr, a, ret, &r);
	memset(ev, 0, sizeof(*ev));
	ev->tid = th->tid;
	for (int i = 0; i < w.n; i++)
		pt_watch_kernel_access(t, th->tid, w.v[i].addr, w.v[i].len, POINT_ACCESS_WRITE, ev);
	for (int i = 0; i < r.n; i++)
		pt_watch_kernel_access(t, th->tid, r.v[i].addr, r.v[i].len, POINT_ACCESS_READ, ev);
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
		on_entry(t, th, (long)info.entry.nr, info.entry.args);
		return 0;
	}
	if (info.op == PTRACE_SYSCALL_INFO_EXIT)
		return on_exit(t, th, info.exit.rval, ev);
	return 0;
}
