/* recurse: fib(n) recursion (argv[1], default 6) and a depth-tracking walk. */
#include <stdio.h>
#include <stdlib.h>

volatile long calls;

__attribute__((noinline)) int fib(int n)
{
	calls++;
	if (n < 2)
		return n;
	return fib(n - 1) + fib(n - 2);
}

int main(int argc, char **argv)
{
	int n = argc > 1 ? atoi(argv[1]) : 6;
	int r = fib(n);
	printf("fib=%d calls=%ld\n", r, calls);
	return 0;
}
