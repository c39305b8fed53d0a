/*
 * w3.c — W3 workload: writes the global g N times (N from argv[1]) and prints
 * the final value.  g is volatile so each iteration is one 8-byte store that a
 * write watchpoint on &g traps.
 */
#include <stdio.h>
#include <stdlib.h>

volatile long g;

int main(int argc, char **argv)
{
	long n = argc > 1 ? atol(argv[1]) : 0;
	for (long i = 0; i < n; i++)
		g = i + 1;
	printf("g=%ld\n", (long)g);
	return 0;
}
