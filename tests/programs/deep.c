/* build: -O2 -fomit-frame-pointer
 * deep: main -> level1 -> level2 -> level3, built without frame pointers. */
#include <stdio.h>
#include <stdlib.h>

__attribute__((noinline)) int level3(int x)
{
	return x * 3 + (int)(random() & 1);
}

__attribute__((noinline)) int level2(int x)
{
	return level3(x + 1) + 2;
}

__attribute__((noinline)) int level1(int x)
{
	return level2(x * 2) + 1;
}

int main(int argc, char **argv)
{
	(void)argv;
	printf("%d\n", level1(argc));
	return 0;
}
