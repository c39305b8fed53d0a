/* vars: locals, parameters, globals and structs for dv, dt, ?? and /w conditions.
 *   vars [N]: walk(ptr, N, "t") recursing N deep (default 3); bump() 200 times. */
#include <stdio.h>
#include <stdlib.h>

struct inner {
	short a;
	unsigned char b;
};

struct point {
	int x;
	int y;
	int field[4];
	struct inner in;
	unsigned flag : 1;
	unsigned mode : 3;
	char name[8];
	struct point *next;
};

enum color { RED, GREEN = 5, BLUE };
typedef struct point point_t;

struct point origin = { 1, 2, { 10, 20, 30, 40 }, { -3, 7 }, 1, 5, "orig", NULL };
struct point second = { 3, 4, { 0, 1, 2, 3 }, { 0, 0 }, 0, 2, "second", &origin };
point_t *ptr = &second;
volatile int counter;
enum color paint = GREEN;
const char *greeting = "hello";
double ratio = 2.5;
unsigned int magic = 0x771e1a02;

__attribute__((noinline)) int walk(struct point *p, int depth, const char *tag)
{
	int sum = p->x + p->y + depth;
	if (depth > 0)
		sum += walk(p, depth - 1, tag);
	return sum;
}

__attribute__((noinline)) void bump(int by)
{
	counter += by;
}

int main(int argc, char **argv)
{
	int n = argc > 1 ? atoi(argv[1]) : 3;
	for (int i = 0; i < 200; i++)
		bump(1);
	printf("walk=%d counter=%d paint=%d ratio=%g %s\n", walk(ptr, n, "t"), counter, paint, ratio,
	       greeting);
	return 0;
}
