/* build: -pthread -fdebug-prefix-map=tests/programs=/nonexistent/dr7-src
 * srcview: source listings, the stacks of several threads, calls and dt's type names.
 *   main calls step(i) 4 times, starts two workers that each reach level1(id)
 *   through level2(id) and wait there on a pipe, meets them at a barrier,
 *   calls meet(2, "two") (its calls: helper, a function pointer, printf), then
 *   lets the workers go.  The debug information names this file under a
 *   directory that does not exist: the tests find it through .srcpath. */
#include <pthread.h>
#include <stdio.h>
#include <unistd.h>

enum mode { MODE_A, MODE_B = 7 };

struct kinds {
	char c;
	unsigned char uc;
	signed char sc;
	short s;
	unsigned short us;
	int i;
	unsigned int ui;
	long l;
	unsigned long ul;
	long long ll;
	unsigned long long ull;
	float f;
	double d;
	_Bool b;
	void *vp;
	char *str;
	int arr[10];
	int grid[3][4];
	struct kinds *self;
	int (*fn)(int);
	char **argvp;
	union {
		int as_int;
		float as_float;
	} u;
	enum mode m;
	unsigned bits : 3;
};

struct kinds sample = { .c = 'k', .i = -5, .ui = 7, .d = 1.5, .b = 1, .str = "kinds", .m = MODE_B, .bits = 5 };
volatile int total;
static pthread_barrier_t barrier;
static int gate[2];

__attribute__((noinline)) static int helper(int n)
{
	return n * 3;	/* HELPER_BODY */
}

__attribute__((noinline)) void step(int i)
{
	total += i;	/* STEP_BODY */
}

__attribute__((noinline)) void level1(int id)
{
	char c;
	pthread_barrier_wait(&barrier);
	if (read(gate[0], &c, 1) != 1)	/* LEVEL1_WAIT */
		total = -1;
	total += id;
}

__attribute__((noinline)) void level2(int id)
{
	level1(id);	/* LEVEL2_CALL */
	total += 0;
}

static void *worker(void *arg)
{
	level2((int)(long)arg);
	return NULL;
}

__attribute__((noinline)) int meet(int rounds, const char *label)
{
	int (*fn)(int) = helper;
	int r = helper(rounds);	/* MEET_FIRST */
	r += fn(r);
	sample.fn = fn;
	printf("%s %d\n", label, r);
	return r;	/* MEET_LAST */
}

int main(void)
{
	pthread_t th[2];
	sample.self = &sample;
	for (int i = 0; i < 4; i++)
		step(i);	/* MAIN_STEP */
	if (pipe(gate) != 0)
		return 1;
	pthread_barrier_init(&barrier, NULL, 3);
	for (long i = 0; i < 2; i++)
		pthread_create(&th[i], NULL, worker, (void *)(i + 1));
	pthread_barrier_wait(&barrier);
	meet(2, "two");	/* MAIN_MEET */
	if (write(gate[1], "xx", 2) != 2)
		return 1;
	for (int i = 0; i < 2; i++)
		pthread_join(th[i], NULL);
	printf("total=%d\n", total);
	return 0;
}
