/*
 * watchsys.h — the program's system calls while watches exist: the memory
 * the kernel reads or writes for the calls dr7 knows (buffers and what
 * describes them, results; watchsys.c's entry_spans) is opened at the
 * call's entry, so the program never sees an EFAULT dr7 caused there; the
 * kernel's writes into watched memory and its reads from it are reported
 * when the call returns; the program's own mprotect, munmap, mremap, mmap
 * and brk on watched pages are followed.  A call that fails with EFAULT on
 * a page of dr7's runs again only when such a failure has no effect.
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
