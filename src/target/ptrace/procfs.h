/*
 * procfs.h — process facts the ptrace backend reads from /proc (procfs.c).
 * Part of the backend: nothing above target/ reads /proc.
 */
#ifndef DR7_PROCFS_H
#define DR7_PROCFS_H

#include <stddef.h>
#include <stdint.h>
#include <sys/types.h>

struct target;

/* /proc/PID/auxv: bytes copied (at most n), or -1 with the error slot set. */
int pt_read_auxv(struct target *t, void *buf, size_t n);
/* readlink /proc/PID/exe, NUL-terminated; 0, or -1 with the error slot set
 * (also when the path does not fit in n). */
int pt_exe_path(struct target *t, char *buf, size_t n);
/* /proc/PID/maps as struct target_region (target_ops.memory_regions). */
struct target_region;
int pt_memory_regions(struct target *t, struct target_region **out);
/* 1 when the program catches or ignores signo, else 0. */
int pt_signal_handled(struct target *t, int signo);
int pt_thread_name(struct target *t, pid_t tid, char *buf, size_t n);
/* A thread's pending (thread-directed) and blocked signal masks (bit n-1: signal n). */
int pt_pending_signals(pid_t pid, pid_t tid, uint64_t *thread_pending, uint64_t *blocked);
/* The kernel tids of pid in ascending order (*out malloc'd): the count, or -1. */
int pt_list_tasks(pid_t pid, pid_t **out);

#endif
