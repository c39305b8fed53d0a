/* build: -pthread
 * rc_segv_threads: 3 threads; once all of them run, thread 2 writes through
 * a NULL pointer (no handler: the signal kills the process) while threads 0
 * and 1 keep running, thread 1 in a loop of calls, thread 0 blocked in
 * pthread_join. */
#include <pthread.h>
#include <stdio.h>

static pthread_barrier_t all_running;
volatile long spins;

__attribute__((noinline)) void spin(void)
{
	spins++;
}

static void *looper(void *arg)
{
	(void)arg;
	pthread_barrier_wait(&all_running);
	for (;;)
		spin();
	return NULL;
}

static void *faulter(void *arg)
{
	(void)arg;
	pthread_barrier_wait(&all_running);
	volatile int *p = NULL;
	*p = 1;
	return NULL;
}

int main(void)
{
	pthread_t a, b;
	pthread_barrier_init(&all_running, NULL, 2);
	pthread_create(&a, NULL, looper, NULL);
	pthread_create(&b, NULL, faulter, NULL);
	pthread_join(b, NULL);
	printf("not reached\n");
	return 1;
}
