/*
 * w6.c — W6 workload: executes int3 N times (N from argv[1]).  Only meant to
 * run under bench/rawtrace cont, which resumes each SIGTRAP; on its own the
 * first int3 kills it.  Prints the loop count so the harness can check it.
 */
#include <stdio.h>
#include <stdlib.h>

int main(int argc, char **argv)
{
	long n = argc > 1 ? atol(argv[1]) : 0;
	long i;
	for (i = 0; i < n; i++)
		__asm__ volatile("int3");
	printf("done=%ld\n", i);
	return 0;
}
