/* syntax: what the tests of WinDbg's syntax details (issue 11) stop in.
 *   scoped(15) writes `global` through set_global() with its local q = 0..14;
 *   then main writes global once more, with no scoped() frame left;
 *   compare() calls memcmp, strlen and strstr (GNU indirect functions in
 *   glibc) argv[1] times (default 3); doubles[] and floats[] hold known values. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

volatile short sh;
volatile int global;
double doubles[4] = { 1.5, -2.25, 3.0e10, 0.125 };
float floats[5] = { 1.5f, -0.25f, 100.0f, 0.75f, 2.0f };
char text_a[32] = "hello, world";
char text_b[32] = "hello, there";
volatile long sink;

__attribute__((noinline)) void set_global(int v)
{
	global = v;
}

__attribute__((noinline)) void scoped(int n)
{
	int q;
	for (q = 0; q < n; q++)
		set_global(q * 2);
}

__attribute__((noinline)) void compare(int times)
{
	for (int i = 0; i < times; i++) {
		/* volatile lengths keep the compiler from folding the calls away */
		volatile size_t len = 12;
		sink += memcmp(text_a, text_b, len) != 0;
		sink += (long)strlen(text_a + (i % 2));
		/* strstr is reached only through the PLT: bound at its first call */
		sink += strstr(text_a, "world") != NULL;
	}
}

int main(int argc, char **argv)
{
	int times = argc > 1 ? atoi(argv[1]) : 3;
	sh = 2;
	scoped(15);
	global = 1000;
	compare(times);
	printf("syntax done global=%d sink=%ld sh=%d\n", global, sink, sh);
	return 0;
}
