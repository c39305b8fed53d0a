/*
 * watchsys.c — system-call stops while watches exist (see watchsys.h).
 *
 * At the entry stop, every page of ours that memory the kernel may touch
 * for the call (entry_spans) lies on is opened to the program's own
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
 * an EFAULT only when retry_is_harmless says the failure did nothing.
 * x86-64 numbering (page watches exist only for x86-64 programs; for an
 * i386 one only debug registers serve, and the kernel-write ranges are not
 * computed).
 */
#include "target/ptrace/watchsys.h"
#include "target/ptrace/pagewatch.h"
#include "target/ptrace/ptrace_internal.h"

#include <errno.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <sys/ptrace.h>
#include <sys/syscall.h>

#include "util/util.h"

#define STAT_SIZE 144		/* struct stat on x86-64 */
#define STATX_SIZE 256
#define RUSAGE_SIZE 144		/* struct rusage */
#define SIGINFO_SIZE 128
#define EPOLL_EVENT_SIZE 12	/* packed on x86-64 */
#define IOV_MAX_WALK 1024

/* A range the kernel may read or write for the call. */
struct span {
	uint64_t addr, len;
};

struct spans {
	struct span *v;
	int n, cap;
};

static void span_add(struct spans *s, uint64_t addr, uint64_t len)
{
	if (!len || !addr)
		return;
	if (s->n == s->cap) {
		s->cap = s->cap ? 2 * s->cap : 16;
		s->v = xrealloc(s->v, sizeof(*s->v) * (size_t)s->cap);
	}
	s->v[s->n++] = (struct span){ addr, len };
}

static int read_u64(struct target *t, uint64_t addr, uint64_t *v)
{
	return target_read(t, addr, v, sizeof(*v)) == (int)sizeof(*v) ? 0 : -1;
}

static uint32_t read_u32_or0(struct target *t, uint64_t addr)
{
	uint32_t v = 0;
	if (!addr || target_read(t, addr, &v, sizeof(v)) != (int)sizeof(v))
		return 0;
	return v;
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

static uint64_t iov_count(uint64_t cnt)
{
	return cnt < IOV_MAX_WALK ? cnt : IOV_MAX_WALK;
}

#define MSGHDR_SIZE 56		/* struct msghdr on x86-64 */
#define MMSGHDR_SIZE 64		/* struct mmsghdr: msghdr, msg_len, padding */

/*
 * struct msghdr at msg: name, namelen, iov, iovlen, control, controllen,
 * flags.  whole: the header, its iovec array and every buffer it names (at
 * entry); otherwise the data (at most limit bytes) and, with meta, what a
 * receive fills: name, control and the lengths and flags in the header.
 */
static void msg_spans(struct target *t, uint64_t msg, uint64_t limit, int whole, int meta, struct spans *s)
{
	uint64_t h[7];
	if (target_read(t, msg, h, sizeof(h)) != (int)sizeof(h))
		return;
	if (whole) {
		span_add(s, msg, MSGHDR_SIZE);
		span_add(s, h[2], 16 * iov_count(h[3]));
	}
	iov_spans(t, h[2], h[3], limit, s);
	if (whole || meta) {
		span_add(s, h[0], (uint32_t)h[1]);
		span_add(s, h[4], h[5]);
	}
	if (meta) {
		span_add(s, msg + 8, 4);	/* msg_namelen */
		span_add(s, msg + 40, 8);	/* msg_controllen */
		span_add(s, msg + 48, 4);	/* msg_flags */
	}
}

/* A socket address filled by the kernel: addr, and the length at lenp. */
static void sockaddr_spans(uint64_t addr, uint64_t lenp, uint32_t len_in, struct spans *s)
{
	if (!lenp)
		return;
	span_add(s, lenp, 4);
	span_add(s, addr, len_in);
}

static int futex_uses_uaddr2(uint64_t op)
{
	switch (op & 127) {
	case 3:		/* FUTEX_REQUEUE */
	case 4:		/* FUTEX_CMP_REQUEUE */
	case 5:		/* FUTEX_WAKE_OP */
	case 11:	/* FUTEX_WAIT_REQUEUE_PI */
	case 12:	/* FUTEX_CMP_REQUEUE_PI */
		return 1;
	default:
		return 0;
	}
}

static int futex_has_timeout(uint64_t op)
{
	switch (op & 127) {
	case 0:		/* FUTEX_WAIT */
	case 6:		/* FUTEX_LOCK_PI */
	case 9:		/* FUTEX_WAIT_BITSET */
	case 11:	/* FUTEX_WAIT_REQUEUE_PI */
	case 13:	/* FUTEX_LOCK_PI2 */
		return 1;
	default:
		return 0;
	}
}

/* The bytes of select's fd_sets for nfds descriptors. */
static uint64_t fdset_bytes(uint64_t nfds)
{
	return ((nfds & 0xffffffffULL) + 63) / 64 * 8;
}

/*
 * Every range the kernel may read or write for call nr with arguments a,
 * for the calls dr7 knows (their memory is opened at the entry stop): the
 * buffers, the structures that describe them and the buffers those name.
 * p->sys_len_in is set to a socket length argument's value.
 */
static void entry_spans(struct target *t, struct pt_thread *p, long nr, const uint64_t *a, struct spans *s)
{
	switch (nr) {
	case SYS_read:
	case SYS_pread64:
	case SYS_write:
	case SYS_pwrite64:
	case SYS_sendto:
	case SYS_getdents64:
		span_add(s, a[1], a[2]);
		if (nr == SYS_sendto)
			span_add(s, a[4], (uint32_t)a[5]);
		break;
	case SYS_getrandom:
		span_add(s, a[0], a[1]);
		break;
	case SYS_recvfrom:
		span_add(s, a[1], a[2]);
		p->sys_len_in = a[4] ? read_u32_or0(t, a[5]) : 0;
		sockaddr_spans(a[4], a[4] ? a[5] : 0, p->sys_len_in, s);
		break;
	case SYS_accept:
	case SYS_accept4:
	case SYS_getsockname:
	case SYS_getpeername:
		p->sys_len_in = a[1] ? read_u32_or0(t, a[2]) : 0;
		sockaddr_spans(a[1], a[1] ? a[2] : 0, p->sys_len_in, s);
		break;
	case SYS_getsockopt:
		p->sys_len_in = read_u32_or0(t, a[4]);
		sockaddr_spans(a[3], a[4], p->sys_len_in, s);
		break;
	case SYS_readv:
	case SYS_preadv:
	case SYS_preadv2:
	case SYS_writev:
	case SYS_pwritev:
	case SYS_pwritev2:
		span_add(s, a[1], 16 * iov_count(a[2]));
		iov_spans(t, a[1], a[2], ~0ULL, s);
		break;
	case SYS_sendmsg:
	case SYS_recvmsg:
		msg_spans(t, a[1], ~0ULL, 1, 0, s);
		break;
	case SYS_sendmmsg:
	case SYS_recvmmsg:
		span_add(s, a[1], MMSGHDR_SIZE * iov_count(a[2]));
		for (uint64_t i = 0; i < iov_count(a[2]); i++)
			msg_spans(t, a[1] + MMSGHDR_SIZE * i, ~0ULL, 1, 0, s);
		if (nr == SYS_recvmmsg)
			span_add(s, a[4], 16);
		break;
	case SYS_wait4:
		span_add(s, a[1], 4);
		span_add(s, a[3], RUSAGE_SIZE);
		break;
	case SYS_waitid:
		span_add(s, a[2], SIGINFO_SIZE);
		span_add(s, a[4], RUSAGE_SIZE);
		break;
	case SYS_rt_sigtimedwait:
		span_add(s, a[0], 8);
		span_add(s, a[1], SIGINFO_SIZE);
		span_add(s, a[2], 16);
		break;
	case SYS_sendfile:
		span_add(s, a[2], 8);
		break;
	case SYS_poll:
		span_add(s, a[0], 8 * (a[1] & 0xffffffffULL));
		break;
	case SYS_ppoll:
		span_add(s, a[0], 8 * (a[1] & 0xffffffffULL));
		span_add(s, a[2], 16);
		span_add(s, a[3], 8);
		break;
	case SYS_select:
	case SYS_pselect6:
		for (int i = 1; i <= 3; i++)
			span_add(s, a[i], fdset_bytes(a[0]));
		span_add(s, a[4], 16);
		if (nr == SYS_pselect6) {
			uint64_t sigmask = 0;
			span_add(s, a[5], 16);
			if (a[5] && read_u64(t, a[5], &sigmask) == 0)
				span_add(s, sigmask, 8);
		}
		break;
	case SYS_clock_gettime:
	case SYS_clock_getres:
		span_add(s, a[1], 16);
		break;
	case SYS_gettimeofday:
		span_add(s, a[0], 16);
		span_add(s, a[1], 8);
		break;
	case SYS_nanosleep:
		span_add(s, a[0], 16);
		span_add(s, a[1], 16);
		break;
	case SYS_clock_nanosleep:
		span_add(s, a[2], 16);
		span_add(s, a[3], 16);
		break;
	case SYS_pipe:
	case SYS_pipe2:
		span_add(s, a[0], 8);
		break;
	case SYS_socketpair:
		span_add(s, a[3], 8);
		break;
	case SYS_futex:
		span_add(s, a[0], 4);
		if (futex_uses_uaddr2(a[1]))
			span_add(s, a[4], 4);
		if (futex_has_timeout(a[1]))
			span_add(s, a[3], 16);
		break;
	case SYS_epoll_wait:
	case SYS_epoll_pwait:
		span_add(s, a[1], EPOLL_EVENT_SIZE * (a[2] & 0x7fffffffULL));
		if (nr == SYS_epoll_pwait)
			span_add(s, a[4], 8);
		break;
	case SYS_readlink:
		span_add(s, a[1], a[2]);
		break;
	case SYS_readlinkat:
		span_add(s, a[2], a[3]);
		break;
	case SYS_stat:
	case SYS_fstat:
	case SYS_lstat:
		span_add(s, a[1], STAT_SIZE);
		break;
	case SYS_newfstatat:
		span_add(s, a[2], STAT_SIZE);
		break;
	case SYS_statx:
		span_add(s, a[4], STATX_SIZE);
		break;
	case SYS_mremap:
		/* The old range must be one mapping again for the kernel to move it. */
		span_add(s, a[0], a[1]);
		break;
	default:
		break;
	}
}

/* What the kernel wrote for call nr with arguments a that returned ret >= 0. */
static void written_spans(struct target *t, const struct pt_thread *p, long nr, const uint64_t *a, int64_t ret,
			  struct spans *s)
{
	uint64_t lim = (uint64_t)ret;
	switch (nr) {
	case SYS_read:
	case SYS_pread64:
	case SYS_getdents64:
		span_add(s, a[1], lim);
		break;
	case SYS_getrandom:
		span_add(s, a[0], lim);
		break;
	case SYS_readlink:
		span_add(s, a[1], lim);
		break;
	case SYS_readlinkat:
		span_add(s, a[2], lim);
		break;
	case SYS_recvfrom:
		span_add(s, a[1], lim);
		if (a[4] && a[5]) {
			/* The kernel writes the address's full length, and as much of it as fits. */
			uint32_t full = read_u32_or0(t, a[5]);
			sockaddr_spans(a[4], a[5], full < p->sys_len_in ? full : p->sys_len_in, s);
		}
		break;
	case SYS_accept:
	case SYS_accept4:
	case SYS_getsockname:
	case SYS_getpeername:
		if (a[1] && a[2]) {
			uint32_t full = read_u32_or0(t, a[2]);
			sockaddr_spans(a[1], a[2], full < p->sys_len_in ? full : p->sys_len_in, s);
		}
		break;
	case SYS_getsockopt: {
		uint32_t full = read_u32_or0(t, a[4]);
		sockaddr_spans(a[3], a[4], full < p->sys_len_in ? full : p->sys_len_in, s);
		break;
	}
	case SYS_readv:
	case SYS_preadv:
	case SYS_preadv2:
		iov_spans(t, a[1], a[2], lim, s);
		break;
	case SYS_recvmsg:
		msg_spans(t, a[1], lim, 0, 1, s);
		break;
	case SYS_recvmmsg:
	case SYS_sendmmsg:
		for (uint64_t i = 0; i < lim && i < iov_count(a[2]); i++) {
			uint64_t m = a[1] + MMSGHDR_SIZE * i;
			span_add(s, m + MSGHDR_SIZE, 4);	/* msg_len */
			if (nr == SYS_recvmmsg)
				msg_spans(t, m, read_u32_or0(t, m + MSGHDR_SIZE), 0, 1, s);
		}
		break;
	case SYS_wait4:
		if (ret > 0) {
			span_add(s, a[1], 4);
			span_add(s, a[3], RUSAGE_SIZE);
		}
		break;
	case SYS_waitid:
		/* signo, errno, code; then pid, uid, status */
		span_add(s, a[2], 12);
		if (a[2])
			span_add(s, a[2] + 16, 12);
		span_add(s, a[4], RUSAGE_SIZE);
		break;
	case SYS_rt_sigtimedwait:
		if (ret > 0)
			span_add(s, a[1], SIGINFO_SIZE);
		break;
	case SYS_sendfile:
		span_add(s, a[2], 8);
		break;
	case SYS_poll:
	case SYS_ppoll:
		for (uint64_t i = 0; i < (a[1] & 0xffffffffULL) && i < IOV_MAX_WALK; i++)
			span_add(s, a[0] + 8 * i + 6, 2);	/* revents */
		if (nr == SYS_ppoll)
			span_add(s, a[2], 16);
		break;
	case SYS_select:
	case SYS_pselect6:
		for (int i = 1; i <= 3; i++)
			span_add(s, a[i], fdset_bytes(a[0]));
		span_add(s, a[4], 16);
		break;
	case SYS_clock_gettime:
	case SYS_clock_getres:
		span_add(s, a[1], 16);
		break;
	case SYS_gettimeofday:
		span_add(s, a[0], 16);
		span_add(s, a[1], 8);
		break;
	case SYS_pipe:
	case SYS_pipe2:
		span_add(s, a[0], 8);
		break;
	case SYS_socketpair:
		span_add(s, a[3], 8);
		break;
	case SYS_epoll_wait:
	case SYS_epoll_pwait:
		span_add(s, a[1], EPOLL_EVENT_SIZE * lim);
		break;
	case SYS_stat:
	case SYS_fstat:
	case SYS_lstat:
		if (ret == 0)
			span_add(s, a[1], STAT_SIZE);
		break;
	case SYS_newfstatat:
		if (ret == 0)
			span_add(s, a[2], STAT_SIZE);
		break;
	case SYS_statx:
		if (ret == 0)
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
		msg_spans(t, a[1], (uint64_t)ret, 0, 0, s);
		break;
	case SYS_sendmmsg:
		for (uint64_t i = 0; i < (uint64_t)ret && i < iov_count(a[2]); i++) {
			uint64_t m = a[1] + MMSGHDR_SIZE * i;
			msg_spans(t, m, read_u32_or0(t, m + MSGHDR_SIZE), 0, 0, s);
		}
		break;
	default:
		break;
	}
}

static void on_call_entry(struct target *t, struct target_thread *th, long nr, const uint64_t *args)
{
	struct pt_thread *p = PTH(th);
	p->in_syscall = 1;
	p->sys_nr = nr;
	memcpy(p->sys_args, args, sizeof(p->sys_args));
	struct pw_state *pw = &PT(t)->pw;
	if (!pw->npages)
		return;
	struct spans s = { 0 };
	entry_spans(t, p, nr, args, &s);
	for (int i = 0; i < s.n; i++)
		pw_open_for_syscall(t, th, s.v[i].addr, s.v[i].len, 1);
	free(s.v);
}

/*
 * Whether call nr, failing with EFAULT, has done nothing the program could
 * tell: the kernel copies its arguments in (or faults writing its one
 * result) before any effect, or undoes what it did.  Only these run again
 * after an EFAULT on a page of ours (a call that reaps a child, accepts a
 * connection, takes a signal or moves data before faulting must not).
 */
static int retry_is_harmless(long nr)
{
	switch (nr) {
	case SYS_read:		/* nothing copied: nothing consumed (EFAULT only then) */
	case SYS_pread64:
	case SYS_readv:
	case SYS_preadv:
	case SYS_preadv2:
	case SYS_write:		/* nothing copied: nothing written */
	case SYS_pwrite64:
	case SYS_writev:
	case SYS_pwritev:
	case SYS_pwritev2:
	case SYS_stat:		/* a path and one result */
	case SYS_fstat:
	case SYS_lstat:
	case SYS_newfstatat:
	case SYS_statx:
	case SYS_readlink:
	case SYS_readlinkat:
	case SYS_open:		/* the path is copied before anything happens */
	case SYS_openat:
	case SYS_access:
	case SYS_faccessat:
	case SYS_faccessat2:
	case SYS_mkdir:
	case SYS_mkdirat:
	case SYS_unlink:
	case SYS_unlinkat:
	case SYS_rmdir:
	case SYS_chdir:
	case SYS_execve:	/* faults before the point of no return */
	case SYS_execveat:
	case SYS_clock_gettime:
	case SYS_clock_getres:
	case SYS_gettimeofday:
	case SYS_uname:
	case SYS_getcwd:
	case SYS_getrandom:	/* EFAULT only when nothing was copied */
	case SYS_pipe:		/* the descriptors are released when the copy fails */
	case SYS_pipe2:
	case SYS_socketpair:
		return 1;
	default:
		return 0;
	}
}

/*
 * Call nr, one retry_is_harmless allows, failed with EFAULT and an argument
 * points into a page of ours (dr7 has no table for its memory, or it lies
 * beyond the table's ranges): the pages are opened and the call runs again
 * (its exit closes them), so dr7's protection does not make it fail.
 * 1 when th goes back into the call.
 */
static int retry_with_pages_open(struct target *t, struct target_thread *th)
{
	struct pt_thread *p = PTH(th);
	struct pw_state *pw = &PT(t)->pw;
	if (!retry_is_harmless(p->sys_nr))
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
	struct spans w = { 0 }, r = { 0 };
	written_spans(t, p, nr, a, ret, &w);
	kernel_read_spans(t, nr, a, ret, &r);
	memset(ev, 0, sizeof(*ev));
	ev->tid = th->tid;
	for (int i = 0; i < w.n; i++)
		pt_watch_kernel_access(t, th->tid, w.v[i].addr, w.v[i].len, POINT_ACCESS_WRITE, ev);
	for (int i = 0; i < r.n; i++)
		pt_watch_kernel_access(t, th->tid, r.v[i].addr, r.v[i].len, POINT_ACCESS_READ, ev);
	free(w.v);
	free(r.v);
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
