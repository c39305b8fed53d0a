/* build: -pthread
 * wthreads: 8 threads, created when main is told to (after the debugger set
 * its watch), each increment `shared` 100 times under a lock. */
#include <pthread.h>
#include <stdio.h>

volatile long shared;
static pthread_mutex_t lock = PTHREAD_MUTEX_INITIALIZER;

__attribute__((noinline)) void start_threads(void)
{
}

static void *run(void *arg)
{
	(void)arg;
	for (int i = 0; i < 100; i++) {
		pthread_mutex_lock(&lock);
		shared = shared + 1;
		pthread_mutex_unlock(&lock);
	}
	return NULL;
}

int main(void)
{
	pthread_t th[8];
	start_threads();
	for (int i = 0; i < 8; i++)
		pthread_create(&th[i], NULL, run, NULL);
	for (int i = 0; i < 8; i++)
		pthread_join(th[i], NULL);
	printf("shared=%ld\n", shared);
	return 0;
}
