/* build: -pthread
 * rc_dying_threads MODE: 3 threads; once all of them run, thread 2 ends
 * the process while thread 1 keeps calling spin() in a loop and thread 0
 * (main) waits in pthread_join:
 *   segv   thread 2 writes through a NULL pointer (no handler: SIGSEGV kills
 *          the process)
 *   exit   thread 2 calls exit(3)
 * "not reached" would mean main's join returned. */
#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

static pthread_barrier_t all_running;
static int by_exit;
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

static void *ender(void *arg)
{
	(void)arg;
	pthread_barrier_wait(&all_running);
	if (by_exit)
		exit(3);
	volatile int *p = NULL;
	*p = 1;
	return NULL;
}

int main(int argc, char **argv)
{
	by_exit = argc > 1 && !strcmp(argv[1], "exit");
	pthread_t a, b;
	pthread_barrier_init(&all_running, NULL, 2);
	pthread_create(&a, NULL, looper, NULL);
	pthread_create(&b, NULL, ender, NULL);
	pthread_join(b, NULL);
	printf("not reached\n");
	return 1;
}
