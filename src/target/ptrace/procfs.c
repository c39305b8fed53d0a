/*
 * procfs.c — /proc/PID/auxv and /proc/PID/exe for the ptrace backend
 * (contract in procfs.h).  Both describe the current process image, so
 * they are read afresh at every call (an exec changes them).
 */
#include "target/ptrace/procfs.h"

#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <string.h>
#include <unistd.h>

#include "target/target.h"
#include "util/util.h"

int procfs_read_auxv(struct target *t, void *buf, size_t n)
{
	char path[64];
	snprintf(path, sizeof(path), "/proc/%d/auxv", (int)t->pid);
	int fd = open(path, O_RDONLY | O_CLOEXEC);
	if (fd < 0)
		return err_set("Cannot read %s: %s", path, strerror(errno));
	size_t got = 0;
	while (got < n) {
		ssize_t r = read(fd, (char *)buf + got, n - got);
		if (r < 0 && errno == EINTR)
			continue;
		if (r <= 0)
			break;
		got += (size_t)r;
	}
	close(fd);
	return (int)got;
}

int procfs_exe_path(struct target *t, char *buf, size_t n)
{
	char path[64];
	snprintf(path, sizeof(path), "/proc/%d/exe", (int)t->pid);
	if (n == 0)
		return err_set("Cannot read %s: no room", path);
	ssize_t len = readlink(path, buf, n - 1);
	if (len < 0)
		return err_set("Cannot read %s: %s", path, strerror(errno));
	if ((size_t)len >= n - 1)
		return err_set("Cannot read %s: the path is too long", path);
	buf[len] = 0;
	return 0;
}
