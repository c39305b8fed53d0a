/*
 * w4.c — W4 workload: eight globals g0..g7; each of N iterations sums a small
 * array (work that is not a watched write) and then writes g0 once.  g1..g7
 * are watched but written only once at start, so with eight write watches the
 * expected hit count is N + 7.
 */
#include <stdio.h>
#include <stdlib.h>

volatile long g0, g1, g2, g3, g4, g5, g6, g7;
volatile long arr[16];

int main(int argc, char **argv)
{
	long n = argc > 1 ? atol(argv[1]) : 0;
	g1 = 1; g2 = 2; g3 = 3; g4 = 4; g5 = 5; g6 = 6; g7 = 7;
	for (long i = 0; i < n; i++) {
		long s = 0;
		for (int k = 0; k < 16; k++)
			s += arr[k];
		g0 = s + i + 1;
	}
	printf("g0=%ld\n", (long)g0);
	return 0;
}
