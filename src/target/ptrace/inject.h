/*
 * inject.h — running a system call inside a stopped thread of the program
 * (mprotect for page-protection watches), invisibly to the program.
 *
 * The thread executes a `syscall` instruction that is already in its
 * address space (in the vDSO, or the one it just executed at a syscall
 * stop) with the registers dr7 sets; afterwards every register is as it
 * was, and a signal that arrived meanwhile is delivered later, not lost.
 * Nothing is written into the program's code, so threads that run
 * meanwhile see nothing.  x86-64 tracees only.
 */
#ifndef DR7_INJECT_H
#define DR7_INJECT_H

#include <stdint.h>
#include <sys/types.h>

struct target;
struct target_thread;

/* Finds a `syscall` instruction in the program's vDSO (after exec or attach): 0 / -1. */
int inject_find_syscall(struct target *t);

/*
 * Runs system call nr(args) in th, stopped at a signal, group, interrupt
 * or step stop, at a syscall-exit stop, or at a syscall-entry stop (then
 * as inject_at_entry); *ret is the kernel's result (-errno on failure).
 * Not at an event stop: inject_leave_event first.  0, or -1 when the
 * thread could not run it (then nothing changed in the program).
 */
int inject_syscall(struct target *t, struct target_thread *th, long nr, const uint64_t args[6], int64_t *ret);

/*
 * The same in th stopped at a syscall-entry stop: the call it was entering
 * is replaced by nr(args), then entered again, so th is back at the same
 * entry stop afterwards.
 */
int inject_at_entry(struct target *t, struct target_thread *th, long nr, const uint64_t args[6], int64_t *ret);

/*
 * th at a ptrace event stop (fork, clone, exec, VFORK_DONE: not between a
 * vfork event and its VFORK_DONE, where the call waits for the child) and
 * nothing pending: lets its call finish returning to user mode, no
 * instruction of the program run (a single step from inside a system call
 * traps on the way out: the kernel's syscall-exit trap), so th is at an
 * ordinary stop at the same pc with the call's result in rax.  Its exit
 * stop is not seen.  0 / -1.
 */
int inject_leave_event(struct target *t, struct target_thread *th);

/* th stopped at an event inside a system call (VFORK_DONE): runs it to the
 * call's exit stop, where inject_syscall works.  0 / -1. */
int inject_leave_syscall(struct target *t, struct target_thread *th);

/* The same in a traced task dr7 does not keep as a thread (a fork child at its first stop). */
int inject_syscall_tid(struct target *t, pid_t tid, long nr, const uint64_t args[6], int64_t *ret);

#endif
