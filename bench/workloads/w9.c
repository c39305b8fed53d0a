/*
 * w9.c — W9 workload: W1 with threads.  T threads (argv[2], default 1)
 * together call work() N times (N from argv[1]; each thread N/T, thread 0
 * the remainder too), then the program prints "calls=N", the sum of the
 * per-thread counts, so a harness can check that every call ran.
 * work is noinline and external so a breakpoint on it is hit exactly N times,
 * by every thread.  Each thread counts in its own slot, so work is the same
 * plain add as W1's tick (no lock prefix, which a debugger could not
 * emulate) and loses no update.  The threads start together at a barrier,
 * so the hits of different threads overlap.  (Not named f: in a MASM
 * expression `f` is the number 0xf.)
 */
#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>

#define MAX_THREADS 256

static volatile long counts[MAX_THREADS];
static pthread_barrier_t start;

void work(volatile long *slot);

__attribute__((noinline)) void work(volatile long *slot)
{
	*slot = *slot + 1;
}

struct share {
	volatile long *slot;
	long n;
};

static void *run(void *arg)
{
	struct share *s = arg;
	pthread_barrier_wait(&start);
	for (long i = 0; i < s->n; i++)
		work(s->slot);
	return NULL;
}

int main(int argc, char **argv)
{
	long n = argc > 1 ? atol(argv[1]) : 0;
	int t = argc > 2 ? atoi(argv[2]) : 1;
	if (t < 1 || t > MAX_THREADS)
		return 2;
	pthread_t th[MAX_THREADS];
	struct share share[MAX_THREADS];
	pthread_barrier_init(&start, NULL, (unsigned)t);
	for (int i = 0; i < t; i++) {
		share[i] = (struct share){ &counts[i], n / t + (i == 0 ? n % t : 0) };
		pthread_create(&th[i], NULL, run, &share[i]);
	}
	long sum = 0;
	for (int i = 0; i < t; i++) {
		pthread_join(th[i], NULL);
		sum += counts[i];
	}
	printf("calls=%ld\n", sum);
	return 0;
}
