/* build: -pthread
 * rc_hot: threads call hot() 2,000 times each; hot is two locked adds in
 * assembly (`lock add [calls]; lock add [counter]`), so the instruction under
 * a breakpoint on hot cannot be emulated and must be single-stepped, and a
 * write watch on counter fires right after that step.
 *   rc_hot steady   2 threads, created together, 2,000 calls each
 *   rc_hot churn    the same 4,000 calls by 40 threads of 100 calls, two
 *                   alive at a time: each one that ends is replaced at once,
 *                   so threads appear and vanish while the other one runs
 * Prints "calls=4000 counter=4000" when every call ran exactly once. */
#include <pthread.h>
#include <stdio.h>
#include <string.h>

volatile long calls;
volatile int counter;

void hot(void);
__asm__(".text\n"
	".globl hot\n"
	".type hot, @function\n"
	"hot:\n"
	"	lock addq $1, calls(%rip)\n"
	"	lock addl $1, counter(%rip)\n"
	"	ret\n"
	".size hot, .-hot\n");

static void *run(void *arg)
{
	long n = (long)arg;
	for (long i = 0; i < n; i++)
		hot();
	return NULL;
}

int main(int argc, char **argv)
{
	int churn = argc > 1 && !strcmp(argv[1], "churn");
	long per_thread = churn ? 100 : 2000;
	int total = churn ? 40 : 2;
	pthread_t th[2];
	/* Churn: whenever one of the two threads ends, the next one starts while
	 * the other still runs. */
	for (int i = 0; i < 2; i++)
		pthread_create(&th[i], NULL, run, (void *)per_thread);
	for (int started = 2, k = 0; started < total; started++, k ^= 1) {
		pthread_join(th[k], NULL);
		pthread_create(&th[k], NULL, run, (void *)per_thread);
	}
	for (int i = 0; i < 2; i++)
		pthread_join(th[i], NULL);
	printf("calls=%ld counter=%d\n", (long)calls, (int)counter);
	return 0;
}
