/* count: tick() called N times (argv[1], default 10); exits with code 3. */
#include <stdio.h>
#include <stdlib.h>

volatile long counter;

__attribute__((noinline)) void tick(int i)
{
	counter += i;
}

__attribute__((noinline)) void tick2(void)
{
	counter++;
}

__attribute__((noinline)) void tick3(void)
{
	counter--;
}

int main(int argc, char **argv)
{
	int n = argc > 1 ? atoi(argv[1]) : 10;
	for (int i = 0; i < n; i++)
		tick(i);
	tick2();
	tick3();
	printf("counter=%ld\n", counter);
	return 3;
}
