/*
 * w1.c — W1/W2/W6 workload: calls tick() N times (N from argv[1]) and prints
 * the final counter so a harness can check that every call ran.
 * tick is noinline and external so a breakpoint on it is hit exactly N times;
 * counter is volatile so the calls cannot be folded away.
 */
#include <stdio.h>
#include <stdlib.h>

volatile long counter;

void tick(void);

__attribute__((noinline)) void tick(void)
{
	counter = counter + 1;
}

int main(int argc, char **argv)
{
	long n = argc > 1 ? atol(argv[1]) : 0;
	for (long i = 0; i < n; i++)
		tick();
	printf("counter=%ld\n", (long)counter);
	return 0;
}
