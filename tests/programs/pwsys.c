/* build: -O1 -pthread
 * pwsys: system calls whose memory is watched by page protection, chosen
 * by argv[1].  Each checks what the kernel gave it and prints the result.
 *   tworeads N : thread A reads 16 bytes from a pipe into page[0]; while it
 *                is blocked in read(2), the main thread makes its own read
 *                into page[2048] (same page) that completes first; then A's
 *                data is sent.  N rounds; prints how many rounds A got its
 *                data exactly
 *   waitread N : the same with A blocked in wait4(2) on a child, the status
 *                word at page[0]; the child exits with code round%100
 *   wait4      : forks a child that exits 7, reaps it with wait4 into
 *                page[0]; prints wait4's result and the status, then
 *                whether a second wait4 finds no child (ECHILD)
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

static int to_a[2], from_a[2], mine[2];
static volatile pid_t a_tid;
static int rounds, good;

/* Waits until thread tid is inside system call nr (blocked or stopped there). */
static void wait_in_call(pid_t tid, long nr)
{
	char path[64], line[256];
	snprintf(path, sizeof(path), "/proc/self/task/%d/syscall", (int)tid);
	for (;;) {
		FILE *f = fopen(path, "re");
		long got = -2;
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

/* The main thread's own call on the same page, completing first. */
static void own_read(int r)
{
	char msg[16];
	memset(msg, 'm', sizeof(msg));
	must(write(mine[1], msg, sizeof(msg)) == sizeof(msg), "write mine");
	must(read(mine[0], page + 2048, sizeof(msg)) == sizeof(msg), "read mine");
	must(page[2048] == 'm', "own data");
	(void)r;
}

static void *reader(void *arg)
{
	(void)arg;
	a_tid = (pid_t)syscall(SYS_gettid);
	for (int r = 0; r < rounds; r++) {
		char want[17];
		char c = 0;
		snprintf(want, sizeof(want), "round %09d", r);
		must(write(from_a[1], &c, 1) == 1, "ready");
		ssize_t n = read(to_a[0], page, 16);
		if (n == 16 && memcmp(page, want, 16) == 0)
			good++;
		else
			printf("round %d: read %zd (%s)\n", r, n, n < 0 ? strerror(errno) : "wrong data");
	}
	return NULL;
}

static void tworeads(void)
{
	pthread_t th;
	must(pthread_create(&th, NULL, reader, NULL) == 0, "pthread_create");
	for (int r = 0; r < rounds; r++) {
		char c, msg[17];
		must(read(from_a[0], &c, 1) == 1, "ready");
		wait_in_call(a_tid, SYS_read);
		own_read(r);
		snprintf(msg, sizeof(msg), "round %09d", r);
		must(write(to_a[1], msg, 16) == 16, "write to a");
	}
	pthread_join(th, NULL);
	printf("tworeads %d of %d\n", good, rounds);
}

static int release[2];

static void *waiter(void *arg)
{
	(void)arg;
	a_tid = (pid_t)syscall(SYS_gettid);
	for (int r = 0; r < rounds; r++) {
		char c = 0;
		must(pipe(release) == 0, "pipe");
		pid_t child = fork();
		must(child >= 0, "fork");
		if (child == 0) {
			close(release[1]);
			read(release[0], &c, 1);
			_exit(r % 100);
		}
		close(release[0]);
		must(write(from_a[1], &c, 1) == 1, "ready");
		pid_t got = (pid_t)syscall(SYS_wait4, child, (int *)page, 0, NULL);
		int st = *(int *)page;
		if (got == child && WIFEXITED(st) && WEXITSTATUS(st) == r % 100)
			good++;
		else
			printf("round %d: wait4 %d (%s) status %#x\n", r, (int)got, got < 0 ? strerror(errno) : "",
			       st);
		close(release[1]);
	}
	return NULL;
}

static void waitread(void)
{
	pthread_t th;
	must(pthread_create(&th, NULL, waiter, NULL) == 0, "pthread_create");
	for (int r = 0; r < rounds; r++) {
		char c;
		must(read(from_a[0], &c, 1) == 1, "ready");
		wait_in_call(a_tid, SYS_wait4);
		own_read(r);
		must(write(release[1], &c, 1) == 1, "release");
	}
	pthread_join(th, NULL);
	printf("waitread %d of %d\n", good, rounds);
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
	must(pipe(to_a) == 0 && pipe(from_a) == 0 && pipe(mine) == 0, "pipe");
	if (!strcmp(argv[1], "tworeads"))
		tworeads();
	else if (!strcmp(argv[1], "waitread"))
		waitread();
	else if (!strcmp(argv[1], "wait4"))
		do_wait4();
	else if (!strcmp(argv[1], "accept"))
		do_accept();
	else
		return 2;
	return 0;
}
