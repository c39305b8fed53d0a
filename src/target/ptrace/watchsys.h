/*
 * watchsys.h — the program's system calls while watches exist: the kernel's
 * writes into watched memory (read, pread64, readv, preadv, recvfrom,
 * recvmsg, the stat family) and reads from it (write, pwrite64, writev,
 * pwritev, sendto, sendmsg) are reported when the call returns, a call
 * whose buffer lies on a page dr7 protects finds the page open (the
 * program never sees an EFAULT dr7 caused), and the program's own
 * mprotect, munmap, mremap, mmap and brk on watched pages are followed.
 *
 * Mechanism: PTRACE_SYSCALL instead of PTRACE_CONT while any watch exists
 * (ptrace.c asks pt_watches_active), so the cost is paid only then, and
 * nothing is left in the program when dr7 detaches (a seccomp filter would
 * stay, and without a tracer its SECCOMP_RET_TRACE fails calls with ENOSYS).
 */
#ifndef DR7_WATCHSYS_H
#define DR7_WATCHSYS_H

struct target;
struct target_thread;
struct stop_event;

/*
 * th is at a syscall-entry or -exit stop.  1 when ev is a stop to report
 * (STOP_WATCH for a kernel write, by_syscall set), 0 when th should just
 * go on.
 */
int ws_syscall_stop(struct target *t, struct target_thread *th, struct stop_event *ev);

#endif
