/* build: -pthread
 * trace: a small call tree for wt, source-line stepping and the step-to
 * commands: twice -> leaf (x2), fib(5), spin(argv[1]) (a loop, no calls),
 * say() (one write system call through libc), ping() (raises SIGUSR1,
 * which on_usr1 handles).  With argv[2] = "threads" a
 * second thread counts in `spins` for as long as the program runs. */
#include <pthread.h>
#include <signal.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

volatile int sink;
volatile long spins;

__attribute__((noinline)) int leaf(int x)
{
	return x + 1;
}

__attribute__((noinline)) int twice(int x)
{
	int a = leaf(x);
	int b = leaf(a);
	return a + b;
}

__attribute__((noinline)) int fib(int n)
{
	if (n < 2)
		return n;
	return fib(n - 1) + fib(n - 2);
}

__attribute__((noinline)) long spin(long n)
{
	long s = 0;
	for (long i = 0; i < n; i++)
		s += i;
	return s;
}

__attribute__((noinline)) void say(void)
{
	write(1, "hi\n", 3);
}

volatile int pings;

static void on_usr1(int sig)
{
	(void)sig;
	pings++;
}

__attribute__((noinline)) void ping(void)
{
	raise(SIGUSR1);
}

static void *spinner(void *arg)
{
	(void)arg;
	for (;;)
		spins = spins + 1;
	return NULL;
}

int main(int argc, char **argv)
{
	long n = argc > 1 ? atol(argv[1]) : 10;
	signal(SIGUSR1, on_usr1);
	if (argc > 2 && !strcmp(argv[2], "threads")) {
		pthread_t th;
		pthread_create(&th, NULL, spinner, NULL);
		while (spins == 0)
			;
	}
	sink = twice(3);
	sink = fib(5);
	sink = (int)spin(n);
	say();
	ping();
	return pings == 1 ? 0 : 1;
}
