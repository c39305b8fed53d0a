/*
 * procfs.h — process facts the ptrace backend reads from /proc/PID: the
 * raw auxiliary vector and the executable's path (target_ops read_auxv and
 * exe_path).  Part of the ptrace backend: nothing above target/ reads /proc.
 */
#ifndef DR7_PROCFS_H
#define DR7_PROCFS_H

#include <stddef.h>

struct target;

/* /proc/PID/auxv: bytes copied (at most n), or -1 with the error slot set. */
int procfs_read_auxv(struct target *t, void *buf, size_t n);
/* readlink /proc/PID/exe, NUL-terminated; 0, or -1 with the error slot set
 * (also when the path does not fit in n). */
int procfs_exe_path(struct target *t, char *buf, size_t n);

#endif
