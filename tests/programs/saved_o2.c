/* build: -O2
 * saved_o2: outer keeps a value in a callee-saved register (rbx / ebx)
 * across middle, which does not save it, and leaf, reached through a
 * pointer so that the compiler must assume every caller-saved register is
 * clobbered.  saved_o2 N prints the sum; outer's `keep` is N * 7 + 3. */
#include <stdio.h>
#include <stdlib.h>

volatile int sink;

__attribute__((noinline)) int leaf(int x)
{
	sink = x;
	return x + 1;
}

int (*volatile hook)(int) = leaf;

__attribute__((noinline)) int middle(int x)
{
	int v = hook(x + 2);
	return v * 2;
}

__attribute__((noinline)) int outer(int n)
{
	int keep = n * 7 + 3;
	int r = middle(n);
	sink = keep;
	return r + keep;
}

int main(int argc, char **argv)
{
	int n = argc > 1 ? atoi(argv[1]) : 5;
	printf("outer=%d\n", outer(n));
	return 0;
}
