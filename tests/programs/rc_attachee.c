/* build: -pthread
 * rc_attachee: a program to attach to.  4 threads call work() until a byte
 * (or end of file) arrives on standard input; work() adds 1 to `watched`.
 * Prints "ready PID" once the threads run.  At the end it checks itself:
 * every thread counted its own calls, and their sum must equal `watched`
 * (a call lost or repeated by a debugger shows here); then it prints
 * "ok calls=N" and exits 0, or "MISMATCH ..." and exits 1. */
#include <pthread.h>
#include <stdio.h>
#include <unistd.h>

#define NTHREADS 4

volatile unsigned watched;
static volatile int stop;
static unsigned long counts[NTHREADS];

__attribute__((noinline)) void work(void)
{
	__atomic_add_fetch(&watched, 1, __ATOMIC_RELAXED);
}

static void *run(void *arg)
{
	unsigned long *n = arg;
	while (!stop) {
		work();
		++*n;
	}
	return NULL;
}

int main(void)
{
	pthread_t th[NTHREADS];
	for (int i = 0; i < NTHREADS; i++)
		pthread_create(&th[i], NULL, run, &counts[i]);
	printf("ready %d\n", (int)getpid());
	fflush(stdout);
	char c;
	(void)!read(0, &c, 1);
	stop = 1;
	unsigned long sum = 0;
	for (int i = 0; i < NTHREADS; i++) {
		pthread_join(th[i], NULL);
		sum += counts[i];
	}
	/* watched is 32 bits wide (a ba w4 target): compare modulo 2^32. */
	if ((unsigned)sum != watched) {
		printf("MISMATCH calls=%lu watched=%u\n", sum, watched);
		return 1;
	}
	printf("ok calls=%lu\n", sum);
	return 0;
}
