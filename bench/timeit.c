/*
 * timeit.c — the bench harness's stopwatch: runs one command and prints
 * "WALL_SECONDS PEAK_RSS_KIB STATUS" on stdout.
 *
 *   timeit [-c CPU] [-t SECONDS] [-i INFILE] [-o OUTFILE] -- command [args...]
 *
 * Why a program of its own rather than /usr/bin/time: %e has 10 ms
 * resolution, too coarse for (median(N) - median(0)) / N on small N, and the
 * `time` package may be missing on a fresh machine.  The clock is
 * CLOCK_MONOTONIC around fork..wait4; the peak RSS is wait4's ru_maxrss (the
 * largest of the command and the descendants it waited for, so the debugger's
 * own peak in practice).  STATUS is the exit code, or 128+signal.
 *
 * -c pins the command (and so everything it starts) to one CPU before exec,
 * as `taskset -c CPU` would.  -t kills the command's whole process group with
 * SIGKILL after SECONDS (SIGTERM made gdb dump a huge core while stepping) and
 * reports status 137.  -i/-o redirect the command's stdin and stdout+stderr.
 */
#define _GNU_SOURCE
#include <errno.h>
#include <fcntl.h>
#include <sched.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/resource.h>
#include <sys/time.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

static double now(void)
{
	struct timespec ts;
	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (double)ts.tv_sec + (double)ts.tv_nsec / 1e9;
}

static volatile sig_atomic_t killed;
static volatile pid_t child;

static void on_alarm(int sig)
{
	(void)sig;
	killed = 1;
	kill(-child, SIGKILL);
}

static void usage(void)
{
	fprintf(stderr, "usage: timeit [-c CPU] [-t SECONDS] [-i INFILE] [-o OUTFILE] -- cmd [args...]\n");
	exit(2);
}

int main(int argc, char **argv)
{
	int cpu = -1;
	double limit = 0;
	const char *in = NULL, *out = NULL;
	int i = 1;
	for (; i < argc; i++) {
		if (!strcmp(argv[i], "--")) {
			i++;
			break;
		}
		if (i + 1 >= argc)
			usage();
		if (!strcmp(argv[i], "-c"))
			cpu = atoi(argv[++i]);
		else if (!strcmp(argv[i], "-t"))
			limit = atof(argv[++i]);
		else if (!strcmp(argv[i], "-i"))
			in = argv[++i];
		else if (!strcmp(argv[i], "-o"))
			out = argv[++i];
		else
			usage();
	}
	if (i >= argc)
		usage();

	double t0 = now();
	pid_t pid = fork();
	if (pid < 0) {
		perror("timeit: fork");
		return 2;
	}
	if (pid == 0) {
		setpgid(0, 0);
		if (cpu >= 0) {
			cpu_set_t set;
			CPU_ZERO(&set);
			CPU_SET(cpu, &set);
			if (sched_setaffinity(0, sizeof(set), &set) < 0) {
				perror("timeit: sched_setaffinity");
				_exit(126);
			}
		}
		int fd = open(in ? in : "/dev/null", O_RDONLY);
		if (fd < 0 || dup2(fd, 0) < 0) {
			perror("timeit: stdin");
			_exit(126);
		}
		if (out) {
			fd = open(out, O_WRONLY | O_CREAT | O_TRUNC, 0644);
			if (fd < 0 || dup2(fd, 1) < 0 || dup2(fd, 2) < 0) {
				perror("timeit: stdout");
				_exit(126);
			}
		}
		execvp(argv[i], argv + i);
		perror("timeit: exec");
		_exit(127);
	}
	setpgid(pid, pid);	/* both sides, so the kill never misses */
	child = pid;
	if (limit > 0) {
		struct sigaction sa;
		memset(&sa, 0, sizeof(sa));
		sa.sa_handler = on_alarm;
		sigaction(SIGALRM, &sa, NULL);
		struct itimerval it;
		memset(&it, 0, sizeof(it));
		it.it_value.tv_sec = (time_t)limit;
		it.it_value.tv_usec = (suseconds_t)((limit - (double)(time_t)limit) * 1e6);
		setitimer(ITIMER_REAL, &it, NULL);
	}

	int status = 0;
	struct rusage ru;
	memset(&ru, 0, sizeof(ru));
	while (wait4(pid, &status, 0, &ru) != pid) {
		if (errno != EINTR) {
			perror("timeit: wait4");
			return 2;
		}
	}
	double wall = now() - t0;
	int code = WIFEXITED(status) ? WEXITSTATUS(status) : 128 + WTERMSIG(status);
	if (killed) {
		kill(-pid, SIGKILL);	/* a traced program left behind */
		code = 137;
	}
	printf("%.6f %ld %d\n", wall, ru.ru_maxrss, code);
	return 0;
}
