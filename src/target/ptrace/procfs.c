/*
 * procfs.c — process facts the Linux backend reads from /proc: the raw
 * auxiliary vector and the executable's path (they describe the current
 * image, so they are read afresh at every call: an exec changes them),
 * signal dispositions and pending signals, thread names, a process's tasks,
 * the memory map (/proc/PID/maps, read afresh each time), and finding a process by name for `-pn`.  Read-only: nothing here
 * changes the program.
 */
#include "target/ptrace/ptrace.h"
#include "target/ptrace/procfs.h"
#include "target/target.h"

#include <ctype.h>
#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "util/util.h"


int pt_read_auxv(struct target *t, void *buf, size_t n)
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

int pt_exe_path(struct target *t, char *buf, size_t n)
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

/*
 * One line of /proc/PID/maps: "start-end perms offset dev inode   name".
 * The name runs to the end of the line (a path may hold spaces; a file
 * deleted since shows " (deleted)", kept as the kernel says it).
 */
static int parse_maps_line(char *line, struct target_region *r)
{
	unsigned long long start, end, offset;
	char perms[8];
	int name_at = 0;
	if (sscanf(line, "%llx-%llx %7s %llx %*s %*s %n", &start, &end, perms, &offset, &name_at) < 4 ||
	    !name_at || end <= start || strlen(perms) < 4)
		return -1;
	line[strcspn(line, "\n")] = 0;
	r->start = start;
	r->end = end;
	r->offset = offset;
	r->prot = (perms[0] == 'r' ? REGION_READ : 0) | (perms[1] == 'w' ? REGION_WRITE : 0) |
		  (perms[2] == 'x' ? REGION_EXEC : 0) | (perms[3] == 's' ? REGION_SHARED : 0);
	r->name = xstrdup(line + name_at);
	return 0;
}

int pt_memory_regions(struct target *t, struct target_region **out)
{
	char path[64];
	snprintf(path, sizeof(path), "/proc/%d/maps", (int)t->pid);
	FILE *f = fopen(path, "r");
	*out = NULL;
	if (!f)
		return err_set("Cannot read %s: %s", path, strerror(errno));
	struct target_region *v = NULL;
	int n = 0, cap = 0;
	char *line = NULL;
	size_t len = 0;
	while (getline(&line, &len, f) > 0) {
		struct target_region r;
		if (parse_maps_line(line, &r) < 0)
			continue;
		/* The kernel lists mappings in order; a line out of order (never
		 * seen) is dropped rather than breaking the contract. */
		if (n && r.start < v[n - 1].end) {
			free(r.name);
			continue;
		}
		if (n == cap) {
			cap = cap ? cap * 2 : 64;
			v = xrealloc(v, sizeof(*v) * (size_t)cap);
		}
		v[n++] = r;
	}
	free(line);
	fclose(f);
	*out = v;
	return n;
}

/* The program's dispositions, from /proc: 1 if it catches or ignores signo. */
int pt_signal_handled(struct target *t, int signo)
{
	char path[64], line[256];
	snprintf(path, sizeof(path), "/proc/%d/status", (int)t->pid);
	FILE *f = fopen(path, "r");
	if (!f)
		return 0;
	unsigned long long cgt = 0, ign = 0;
	while (fgets(line, sizeof(line), f)) {
		if (!strncmp(line, "SigCgt:", 7))
			cgt = strtoull(line + 7, NULL, 16);
		else if (!strncmp(line, "SigIgn:", 7))
			ign = strtoull(line + 7, NULL, 16);
	}
	fclose(f);
	unsigned long long bit = 1ULL << (signo - 1);
	return (cgt & bit) || (ign & bit);
}

int pt_thread_name(struct target *t, pid_t tid, char *buf, size_t n)
{
	char path[96];
	snprintf(path, sizeof(path), "/proc/%d/task/%d/comm", (int)t->pid, (int)tid);
	FILE *f = fopen(path, "r");
	if (!f)
		return -1;
	int ok = fgets(buf, (int)n, f) != NULL;
	fclose(f);
	if (!ok)
		return -1;
	buf[strcspn(buf, "\n")] = 0;
	return 0;
}

int pt_list_tasks(pid_t pid, pid_t **out)
{
	char path[64];
	snprintf(path, sizeof(path), "/proc/%d/task", (int)pid);
	DIR *d = opendir(path);
	if (!d)
		return -1;
	int n = 0;
	pid_t *v = NULL;
	struct dirent *e;
	while ((e = readdir(d))) {
		if (e->d_name[0] < '0' || e->d_name[0] > '9')
			continue;
		v = xrealloc(v, sizeof(*v) * (size_t)(n + 1));
		v[n++] = (pid_t)atoi(e->d_name);
	}
	closedir(d);
	/* Ascending tid order gives stable thread numbers. */
	for (int i = 1; i < n; i++)
		for (int j = i; j > 0 && v[j - 1] > v[j]; j--) {
			pid_t x = v[j];
			v[j] = v[j - 1];
			v[j - 1] = x;
		}
	*out = v;
	return n;
}


pid_t ptrace_find_process(const char *name)
{
	DIR *d = opendir("/proc");
	if (!d)
		return 0;
	pid_t found = 0;
	int count = 0;
	struct dirent *e;
	while ((e = readdir(d))) {
		if (!isdigit((unsigned char)e->d_name[0]))
			continue;
		char path[300], comm[256];
		snprintf(path, sizeof(path), "/proc/%s/comm", e->d_name);
		FILE *f = fopen(path, "r");
		if (!f)
			continue;
		if (fgets(comm, sizeof(comm), f)) {
			comm[strcspn(comm, "\n")] = 0;
			if (!strcmp(comm, name) && atoi(e->d_name) != getpid()) {
				found = atoi(e->d_name);
				count++;
			}
		}
		fclose(f);
	}
	closedir(d);
	return count > 1 ? -1 : found;
}

int pt_pending_signals(pid_t pid, pid_t tid, uint64_t *thread_pending, uint64_t *blocked)
{
	char path[96], line[256];
	snprintf(path, sizeof(path), "/proc/%d/task/%d/status", (int)pid, (int)tid);
	FILE *f = fopen(path, "r");
	if (!f)
		return -1;
	*thread_pending = *blocked = 0;
	while (fgets(line, sizeof(line), f)) {
		if (!strncmp(line, "SigPnd:", 7))
			*thread_pending = strtoull(line + 7, NULL, 16);
		else if (!strncmp(line, "SigBlk:", 7))
			*blocked = strtoull(line + 7, NULL, 16);
	}
	fclose(f);
	return 0;
}
