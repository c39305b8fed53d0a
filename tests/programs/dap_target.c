/* build: -pthread */
/* dap_target: the DAP suite's program (tests/dap/dap.test.js).  Lines the
 * tests break on carry a marker comment (MARK:name) that the tests look up.
 *   dap_target loop N     tick() N times (the logpoint line), then exits 3
 *   dap_target watch      writes w0..w5 one after another, reads r0
 *   dap_target signal     raises SIGUSR1 (handled), then exits 0
 *   dap_target wait       prints its pid, waits for a line on stdin, then as loop 5
 *   dap_target threads    two threads each call worker() */
#include <pthread.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

struct pair {
	int left;
	int right;
};

struct record {
	int id;
	char name[8];
	struct pair pair;
	int values[4];
	struct record *next;
};

struct record tail = { 2, "tail", { 5, 6 }, { 4, 3, 2, 1 }, NULL };
struct record head = { 1, "head", { 7, 8 }, { 10, 20, 30, 40 }, &tail };
struct record *list = &head;
volatile int hits;
volatile int w0, w1, w2, w3, w4, w5;
volatile int r0 = 42;
volatile int sink;
volatile int got_signal;

__attribute__((noinline)) int tick(int i)
{
	int doubled = i * 2;
	hits += i; /* MARK:tick */
	return doubled;
}

__attribute__((noinline)) void watch_writes(void)
{
	w0 = 1;
	w1 = 2;
	w2 = 3;
	w3 = 4;
	w4 = 5;
	w5 = 6; /* MARK:w5 */
	sink = r0; /* MARK:read */
	sink = 0;
}

static void on_usr1(int sig)
{
	got_signal = sig;
}

static void *worker(void *arg)
{
	int n = (int)(long)arg;
	sink = n; /* MARK:worker */
	return NULL;
}

static void loop(int n)
{
	for (int i = 0; i < n; i++)
		tick(i); /* MARK:call */
}

int main(int argc, char **argv)
{
	const char *mode = argc > 1 ? argv[1] : "loop";
	const char *env = getenv("DAP_TEST_ENV");
	char cwd[4096];
	printf("out: cwd=%s env=%s\n", getcwd(cwd, sizeof(cwd)) ? cwd : "?", env ? env : "(unset)");
	fprintf(stderr, "err: to stderr\n");
	fflush(stdout);
	if (!strcmp(mode, "loop")) {
		loop(argc > 2 ? atoi(argv[2]) : 5); /* MARK:loop */
		printf("out: hits=%d\n", hits);
		return 3;
	}
	if (!strcmp(mode, "watch")) {
		watch_writes();
		return 0;
	}
	if (!strcmp(mode, "signal")) {
		signal(SIGUSR1, on_usr1);
		raise(SIGUSR1);
		printf("out: signal %d\n", got_signal);
		return 0;
	}
	if (!strcmp(mode, "wait")) {
		char line[64];
		printf("pid %d\n", (int)getpid());
		fflush(stdout);
		if (!fgets(line, sizeof(line), stdin))
			return 1;
		loop(5);
		return 0;
	}
	if (!strcmp(mode, "threads")) {
		pthread_t t[2];
		for (long i = 0; i < 2; i++)
			pthread_create(&t[i], NULL, worker, (void *)(i + 1));
		for (int i = 0; i < 2; i++)
			pthread_join(t[i], NULL);
		return 0;
	}
	return 2;
}
