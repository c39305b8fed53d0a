/*
 * w8.c — W8 workload: 1000 watched words, 64 bytes apart (16 pages), each
 * of the N iterations writes one of them in turn.  Prints g=N.
 */
#include <stdio.h>
#include <stdlib.h>

volatile long cells[1000 * 8] __attribute__((aligned(4096)));

int main(int argc, char **argv)
{
	long n = argc > 1 ? atol(argv[1]) : 0;
	for (long i = 0; i < n; i++)
		cells[(i % 1000) * 8] = i + 1;	/* a new value each time: gdb's software watches see changes only */
	printf("g=%ld\n", n);
	return 0;
}
