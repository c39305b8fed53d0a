/*
 * ptrace.h — the Linux backend's entry points, for the front end that
 * chooses it.  Everything else about it stays behind struct target_ops.
 */
#ifndef DR7_PTRACE_H
#define DR7_PTRACE_H

#include <sys/types.h>

#include "target/target.h"

extern const struct target_backend ptrace_backend;

/* The pid of the one process whose name (comm) is name: the pid, 0 when
 * none has it, -1 when several do. */
pid_t ptrace_find_process(const char *name);

#endif
