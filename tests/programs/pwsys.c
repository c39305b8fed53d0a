/* build: -O1 -pthread
 * pwsys: system calls whose memory is watched by page protection, chosen
 * by argv[1].  Each checks what the kernel gave it and prints the result.
 *   tworeads N : thread B enters read(2) into page[2048]; then thread A
 *                enters read(2) into page[0] (the same page); B's data is
 *                sent and B's call returns; then A's.  N rounds; prints how
 *                many rounds A got its data exactly
 *   waitread N : the same with A blocked in wait4(2) on its child, the
 *                status word at page[0]; the child exits with code round%100
 *   wait4      : forks a child that exits 7, reaps it with wait4 into
 *                page[0]; prints wait4's result and the status, then
 *                whether a second wait4 finds no child (ECHILD)
 *   lateblock  : thread A is blocked in wait4(2) into page[0] when the main
 *                thread calls armed(); then A's child is let exit (code 5)
 *   accept     : a UNIX stream socket, a client bound to "@dr7c" connects;
 *                accept(2) into the sockaddr at page[64] (length at
 *                page[32]); prints the family, length and name, then the
 *                message sent over the accepted connection
 * Rounds are synchronised by pipes and by waiting until the other thread
 * is inside its call (/proc/self/task/TID/syscall), never by sleeping.
 */
#include <errno.h>
#include <pthread.h>
#include <sched.h>
#include <stddef.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <sys/syscall.h>
#include <sys/un.h>
#include <sys/wait.h>
#include <unistd.h>

char page[4096] __attribute__((aligned(4096)));
char page2[4096] __attribute__((aligned(4096)));	/* for a watch that is not on page */

static int rounds, use_wait4, good;
static int a_go[2], a_done[2], a_data[2], b_go[2], b_done[2], b_data[2], release[2];
static volatile pid_t a_tid, b_tid;

/* Waits until thread tid is inside system call nr (blocked or stopped there). */
static void wait_in_call(pid_t tid, long nr)
{
	char path[64], line[256];
	snprintf(path, sizeof(path), "/proc/self/task/%d/syscall", (int)tid);
	for (;;) {
		FILE *f = fopen(path, "re");
		long got = -2;
		line[0] = 0;
		if (f) {
			if (fgets(line, sizeof(line), f))
				got = strtol(line, NULL, 10);
			fclose(f);
		}
		if (got == nr && strncmp(line, "running", 7))
			return;
		sched_yield();
	}
}

static void must(int ok, const char *what)
{
	if (!ok) {
		perror(what);
		exit(2);
	}
}

static void signal_pipe(int fd)
{
	char c = 0;
	must(write(fd, &c, 1) == 1, "signal");
}

static void wait_pipe(int fd)
{
	char c;
	must(read(fd, &c, 1) == 1, "wait");
}

/* Thread B: its read into the page enters first and returns first. */
static void *thread_b(void *arg)
{
	(void)arg;
	b_tid = (pid_t)syscall(SYS_gettid);
	for (int r = 0; r < rounds; r++) {
		wait_pipe(b_go[0]);
		must(read(b_data[0], page + 2048, 16) == 16 && page[2048] == 'b', "B's read");
		signal_pipe(b_done[1]);
	}
	return NULL;
}

/* Thread A: blocked in read(2) (wait4(2)) into page[0] while B's call comes and goes. */
static void *thread_a(void *arg)
{
	(void)arg;
	a_tid = (pid_t)syscall(SYS_gettid);
	for (int r = 0; r < rounds; r++) {
		char want[17];
		snprintf(want, sizeof(want), "round %09d", r);
		wait_pipe(a_go[0]);
		if (!use_wait4) {
			ssize_t n = read(a_data[0], page, 16);
			if (n == 16 && memcmp(page, want, 16) == 0)
				good++;
			else
				printf("round %d: read %zd (%s)\n", r, n, n < 0 ? strerror(errno) : "wrong data");
		} else {
			must(pipe(release) == 0, "pipe");
			pid_t child = fork();
			must(child >= 0, "fork");
			if (child == 0) {
				char c;
				close(release[1]);
				if (read(release[0], &c, 1) < 0)
					_exit(99);
				_exit(r % 100);
			}
			close(release[0]);
			signal_pipe(a_done[1]);	/* the child exists: main may release it */
			pid_t got = (pid_t)syscall(SYS_wait4, child, (int *)page, 0, NULL);
			int st = *(int *)page;
			if (got == child && WIFEXITED(st) && WEXITSTATUS(st) == r % 100)
				good++;
			else
				printf("round %d: wait4 %d (%s) status %#x\n", r, (int)got,
				       got < 0 ? strerror(errno) : "", st);
		}
		signal_pipe(a_done[1]);
	}
	return NULL;
}

static void blocked_rounds(void)
{
	pthread_t ta, tb;
	must(pipe(a_go) == 0 && pipe(a_done) == 0 && pipe(a_data) == 0 && pipe(b_go) == 0 && pipe(b_done) == 0 &&
		     pipe(b_data) == 0,
	     "pipe");
	must(pthread_create(&ta, NULL, thread_a, NULL) == 0 && pthread_create(&tb, NULL, thread_b, NULL) == 0,
	     "pthread_create");
	while (!a_tid || !b_tid)
		sched_yield();
	for (int r = 0; r < rounds; r++) {
		char msg[17], bmsg[16];
		signal_pipe(b_go[1]);
		wait_in_call(b_tid, SYS_read);	/* B's call enters first */
		signal_pipe(a_go[1]);
		if (use_wait4)
			wait_pipe(a_done[0]);
		wait_in_call(a_tid, use_wait4 ? SYS_wait4 : SYS_read);
		memset(bmsg, 'b', sizeof(bmsg));
		must(write(b_data[1], bmsg, sizeof(bmsg)) == sizeof(bmsg), "write to B");
		wait_pipe(b_done[0]);	/* B's call has returned */
		if (use_wait4) {
			signal_pipe(release[1]);
		} else {
			snprintf(msg, sizeof(msg), "round %09d", r);
			must(write(a_data[1], msg, 16) == 16, "write to A");
		}
		wait_pipe(a_done[0]);
		if (use_wait4)
			close(release[1]);
	}
	pthread_join(ta, NULL);
	pthread_join(tb, NULL);
	printf("%s %d of %d\n", use_wait4 ? "waitread" : "tworeads", good, rounds);
}

__attribute__((noinline)) void armed(void)
{
	__asm__ volatile("" ::: "memory");
}

static pid_t late_child;
static int late_status_ok;

static void *late_waiter(void *arg)
{
	(void)arg;
	a_tid = (pid_t)syscall(SYS_gettid);
	pid_t got = (pid_t)syscall(SYS_wait4, late_child, (int *)page, 0, NULL);
	int st = *(int *)page;
	late_status_ok = got == late_child && WIFEXITED(st) && WEXITSTATUS(st) == 5;
	if (!late_status_ok)
		printf("wait4 %d (%s) status %#x\n", (int)got, got < 0 ? strerror(errno) : "", st);
	return NULL;
}

/* Thread A blocked in wait4 into page[0] when armed() runs (a watch may be set there). */
static void lateblock(void)
{
	pthread_t ta;
	must(pipe(release) == 0, "pipe");
	late_child = fork();
	must(late_child >= 0, "fork");
	if (late_child == 0) {
		char c;
		close(release[1]);
		if (read(release[0], &c, 1) < 0)
			_exit(99);
		_exit(5);
	}
	close(release[0]);
	must(pthread_create(&ta, NULL, late_waiter, NULL) == 0, "pthread_create");
	while (!a_tid)
		sched_yield();
	wait_in_call(a_tid, SYS_wait4);
	armed();
	signal_pipe(release[1]);
	pthread_join(ta, NULL);
	printf("lateblock %s\n", late_status_ok ? "reaped the child status 5" : "failed");
}

static void do_wait4(void)
{
	pid_t child = fork();
	must(child >= 0, "fork");
	if (child == 0)
		_exit(7);
	pid_t got = (pid_t)syscall(SYS_wait4, child, (int *)page, 0, NULL);
	int st = *(int *)page;
	printf("wait4 %s status %d\n", got == child ? "reaped the child" : "failed", WEXITSTATUS(st));
	long again = syscall(SYS_wait4, child, (int *)page, 0, NULL);
	printf("again: %s\n", again < 0 && errno == ECHILD ? "no child" : "a child?");
}

static void do_accept(void)
{
	struct sockaddr_un srv = { .sun_family = AF_UNIX }, cli = { .sun_family = AF_UNIX };
	snprintf(srv.sun_path + 1, sizeof(srv.sun_path) - 1, "dr7s%d", (int)getpid());
	socklen_t srvlen = (socklen_t)(offsetof(struct sockaddr_un, sun_path) + 1 + strlen(srv.sun_path + 1));
	snprintf(cli.sun_path + 1, sizeof(cli.sun_path) - 1, "dr7c%d", (int)getpid());
	socklen_t clilen = (socklen_t)(offsetof(struct sockaddr_un, sun_path) + 1 + strlen(cli.sun_path + 1));
	int s = socket(AF_UNIX, SOCK_STREAM, 0), c = socket(AF_UNIX, SOCK_STREAM, 0);
	must(s >= 0 && c >= 0, "socket");
	must(bind(s, (struct sockaddr *)&srv, srvlen) == 0, "bind");
	must(listen(s, 1) == 0, "listen");
	must(bind(c, (struct sockaddr *)&cli, clilen) == 0, "bind client");
	must(connect(c, (struct sockaddr *)&srv, srvlen) == 0, "connect");
	must(write(c, "over the socket", 15) == 15, "send");
	socklen_t *len = (socklen_t *)(page + 32);
	struct sockaddr_un *peer = (struct sockaddr_un *)(page + 64);
	*len = sizeof(*peer);
	int conn = accept(s, (struct sockaddr *)peer, len);
	must(conn >= 0, "accept");
	char msg[32] = { 0 };
	must(read(conn, msg, 15) == 15, "receive");
	printf("accepted family %d length %s name %s\n", peer->sun_family, *len == clilen ? "right" : "wrong",
	       strcmp(peer->sun_path + 1, cli.sun_path + 1) ? "wrong" : "right");
	printf("message '%s'\n", msg);
}

int main(int argc, char **argv)
{
	setvbuf(stdout, NULL, _IOLBF, 0);
	if (argc < 2)
		return 2;
	rounds = argc > 2 ? atoi(argv[2]) : 1;
	if (!strcmp(argv[1], "tworeads") || !strcmp(argv[1], "waitread")) {
		use_wait4 = !strcmp(argv[1], "waitread");
		blocked_rounds();
	}
	else if (!strcmp(argv[1], "lateblock"))
		lateblock();
	else if (!strcmp(argv[1], "wait4"))
		do_wait4();
	else if (!strcmp(argv[1], "accept"))
		do_accept();
	else
		return 2;
	return 0;
}
