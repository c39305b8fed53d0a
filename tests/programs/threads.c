/* build: -pthread
 * threads: 4 threads each call work() 1000 times; prints the total. */
#include <pthread.h>
#include <stdio.h>

static long totals[4];

__attribute__((noinline)) long work(long x)
{
	return x + 1;
}

static void *run(void *arg)
{
	long *t = arg;
	for (int i = 0; i < 1000; i++)
		*t = work(*t);
	return NULL;
}

int main(void)
{
	pthread_t th[4];
	for (int i = 0; i < 4; i++)
		pthread_create(&th[i], NULL, run, &totals[i]);
	long sum = 0;
	for (int i = 0; i < 4; i++) {
		pthread_join(th[i], NULL);
		sum += totals[i];
	}
	printf("total=%ld\n", sum);
	return 0;
}
