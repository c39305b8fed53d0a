/* watch: data-breakpoint scenarios, chosen by argv[1].
 *   loop N   : writes g4 N times, the same value every other time
 *   rw       : reads g8 three times, writes it twice
 *   bytes    : one 1-byte write inside g4, then one to the byte just past it
 *   exec N   : calls target() N times */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

volatile int g4 __attribute__((aligned(8)));
volatile unsigned char after_g4[4];
volatile long g8;
volatile long sink;

__attribute__((noinline)) void target(void)
{
	sink++;
}

int main(int argc, char **argv)
{
	const char *mode = argc > 1 ? argv[1] : "loop";
	int n = argc > 2 ? atoi(argv[2]) : 10;
	/* The results are printed from locals: printing must not touch the watched globals. */
	if (!strcmp(mode, "loop")) {
		for (int i = 0; i < n; i++)
			g4 = i / 2;	/* 0 0 1 1 2 2 ...: half the writes keep the value */
		printf("loop done %d\n", (n - 1) / 2);
	} else if (!strcmp(mode, "rw")) {
		long a = g8;
		long b = g8;
		g8 = a + 1;
		long c = g8;
		g8 = b + c;
		printf("rw done %ld\n", b + c);
	} else if (!strcmp(mode, "bytes")) {
		((volatile unsigned char *)&g4)[2] = 7;
		after_g4[0] = 9;
		printf("bytes done\n");
	} else if (!strcmp(mode, "exec")) {
		for (int i = 0; i < n; i++)
			target();
		printf("exec done %d\n", n);
	}
	return 0;
}
