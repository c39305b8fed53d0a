/*
 * w7.c — W7 workload, false sharing: N writes to words that share a page
 * with the watched global g but are not watched; every 1000th write also
 * writes g.  Prints g = N / 1000, the number of watched writes.
 */
#include <stdio.h>
#include <stdlib.h>

struct page {
	volatile long g;
	volatile long other[511];
} __attribute__((aligned(4096)));

struct page pg;

int main(int argc, char **argv)
{
	long n = argc > 1 ? atol(argv[1]) : 0;
	for (long i = 0; i < n; i++) {
		pg.other[i & 255] = i;
		if (i % 1000 == 999)
			pg.g = pg.g + 1;
	}
	printf("g=%ld\n", (long)pg.g);
	return 0;
}
