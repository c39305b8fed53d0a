/*
 * syscall_spans.c — what memory the kernel touches for the system calls
 * dr7 knows (see syscall_spans.h): x86-64 numbering and structure layouts.
 *
 * Invariants: the ranges at entry cover every byte the kernel may read or
 * write for the call (so opening their pages means no EFAULT of dr7's);
 * the ranges at exit are what it did write or read, from the call's
 * result, never more than the entry's.  Only memory the program can
 * already read through /proc/PID/mem is followed (iovecs, msghdrs).
 */
#include "target/ptrace/syscall_spans.h"

#include <stdlib.h>
#include <sys/syscall.h>

#include "target/target.h"
#include "util/util.h"

#define STAT_SIZE 144		/* struct stat on x86-64 */
#define STATX_SIZE 256
#define RUSAGE_SIZE 144		/* struct rusage */
#define SIGINFO_SIZE 128
#define EPOLL_EVENT_SIZE 12	/* packed on x86-64 */
#define IOV_MAX_WALK 1024

void sc_spans_free(struct sc_spans *s)
{
	free(s->v);
	s->v = NULL;
	s->n = s->cap = 0;
}

static void span_add(struct sc_spans *s, uint64_t addr, uint64_t len)
{
	if (!len || !addr)
		return;
	if (s->n == s->cap) {
		s->cap = s->cap ? 2 * s->cap : 16;
		s->v = xrealloc(s->v, sizeof(*s->v) * (size_t)s->cap);
	}
	s->v[s->n++] = (struct sc_span){ addr, len };
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
static void iov_spans(struct target *t, uint64_t iov, uint64_t cnt, uint64_t limit, struct sc_spans *s)
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
static void msg_spans(struct target *t, uint64_t msg, uint64_t limit, int whole, int meta, struct sc_spans *s)
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
static void sockaddr_spans(uint64_t addr, uint64_t lenp, uint32_t len_in, struct sc_spans *s)
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
 * *len_in is set to a socket length argument's value.
 */
void sc_entry_spans(struct target *t, long nr, const uint64_t *a, struct sc_spans *s, uint32_t *len_in)
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
		*len_in = a[4] ? read_u32_or0(t, a[5]) : 0;
		sockaddr_spans(a[4], a[4] ? a[5] : 0, *len_in, s);
		break;
	case SYS_accept:
	case SYS_accept4:
	case SYS_getsockname:
	case SYS_getpeername:
		*len_in = a[1] ? read_u32_or0(t, a[2]) : 0;
		sockaddr_spans(a[1], a[1] ? a[2] : 0, *len_in, s);
		break;
	case SYS_getsockopt:
		*len_in = read_u32_or0(t, a[4]);
		sockaddr_spans(a[3], a[4], *len_in, s);
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
void sc_written_spans(struct target *t, long nr, const uint64_t *a, int64_t ret, uint32_t len_in,
		      struct sc_spans *s)
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
			sockaddr_spans(a[4], a[5], full < len_in ? full : len_in, s);
		}
		break;
	case SYS_accept:
	case SYS_accept4:
	case SYS_getsockname:
	case SYS_getpeername:
		if (a[1] && a[2]) {
			uint32_t full = read_u32_or0(t, a[2]);
			sockaddr_spans(a[1], a[2], full < len_in ? full : len_in, s);
		}
		break;
	case SYS_getsockopt: {
		uint32_t full = read_u32_or0(t, a[4]);
		sockaddr_spans(a[3], a[4], full < len_in ? full : len_in, s);
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
void sc_read_spans(struct target *t, long nr, const uint64_t *a, int64_t ret, struct sc_spans *s)
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

/*
 * Whether call nr, failing with EFAULT, has done nothing the program could
 * tell: the kernel copies its arguments in (or faults writing its one
 * result) before any effect, or undoes what it did.  Only these run again
 * after an EFAULT on a page of ours (a call that reaps a child, accepts a
 * connection, takes a signal or moves data before faulting must not).
 */
int sc_retry_is_harmless(long nr)
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
