/* build: -pthread
 * gated: 3 threads; thread i calls gate(n_i) once and then f() n_i times
 * (n = 10, 20, 30), so a per-thread count tells which thread counted. */
#include <pthread.h>
#include <stdio.h>

volatile long fcalls;

__attribute__((noinline)) void gate(long n)
{
	(void)n;
}

__attribute__((noinline)) void f(void)
{
	__atomic_add_fetch(&fcalls, 1, __ATOMIC_RELAXED);
}

static void *run(void *arg)
{
	long n = (long)arg;
	gate(n);
	for (long i = 0; i < n; i++)
		f();
	return NULL;
}

int main(void)
{
	pthread_t th[3];
	for (long i = 0; i < 3; i++)
		pthread_create(&th[i], NULL, run, (void *)(10 * (i + 1)));
	for (int i = 0; i < 3; i++)
		pthread_join(th[i], NULL);
	printf("fcalls=%ld\n", fcalls);
	return 0;
}
