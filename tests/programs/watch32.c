/* build: -m32
 * watch32: an i386 program writing a global N times. */
#include <stdio.h>
#include <stdlib.h>

volatile int value;
volatile long long wide;

int main(int argc, char **argv)
{
	int n = argc > 1 ? atoi(argv[1]) : 5;
	for (int i = 0; i < n; i++)
		value = i;
	wide = value;
	printf("value=%d\n", value);
	return 0;
}
