/* drpeek: a separate tracer that reports DR7 of every thread of a process,
 * then lets it go.  Used to check that dr7 leaves no armed debug register. */
#include <dirent.h>
#include <stddef.h>
#include <stdio.h>
#include <stdlib.h>
#include <sys/ptrace.h>
#include <sys/user.h>
#include <sys/wait.h>

int main(int argc, char **argv)
{
	if (argc < 2)
		return 2;
	char path[64];
	snprintf(path, sizeof(path), "/proc/%s/task", argv[1]);
	DIR *d = opendir(path);
	if (!d)
		return 2;
	struct dirent *e;
	int bad = 0;
	while ((e = readdir(d))) {
		int tid = atoi(e->d_name);
		if (tid <= 0)
			continue;
		if (ptrace(PTRACE_SEIZE, tid, 0, 0) < 0 || ptrace(PTRACE_INTERRUPT, tid, 0, 0) < 0) {
			printf("tid %d: cannot attach\n", tid);
			bad = 1;
			continue;
		}
		int st;
		waitpid(tid, &st, __WALL);
		long dr7 = ptrace(PTRACE_PEEKUSER, tid, offsetof(struct user, u_debugreg[7]), 0);
		printf("tid %d dr7=%lx\n", tid, dr7);
		ptrace(PTRACE_DETACH, tid, 0, 0);
	}
	closedir(d);
	return bad;
}
