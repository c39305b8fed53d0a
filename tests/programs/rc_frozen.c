/* build: -pthread
 * rc_frozen: thread 0 calls a gate whose first instruction is argv[1]'s
 * kind, then sets `go`; thread 1 waits until `go` is nonzero and then calls
 * gate1().  A debugger that freezes thread 0 at the gate sets `go` itself,
 * so thread 1 reaches gate1 while thread 0 must stay where it is.  The gates, in assembly so the instruction
 * under a breakpoint at their entry is known:
 *   call    gate_call:   call inner; ret       (the instruction enters inner)
 *   locked  gate_locked: lock add [locked], 1; ret   (dr7 cannot emulate it)
 * Prints "inner=N locked=N" at the end: each gate ran once. */
#include <pthread.h>
#include <sched.h>
#include <stdio.h>
#include <string.h>

volatile int go;
volatile long inner_calls;
volatile long locked;

__attribute__((noinline)) void inner(void)
{
	inner_calls++;
}

__attribute__((noinline)) void gate1(void)
{
	__asm__ volatile("" ::: "memory");
}

void gate_call(void);
void gate_locked(void);
__asm__(".text\n"
	".globl gate_call\n"
	".type gate_call, @function\n"
	"gate_call:\n"
	"	call inner\n"
	"	ret\n"
	".size gate_call, .-gate_call\n"
	".globl gate_locked\n"
	".type gate_locked, @function\n"
	"gate_locked:\n"
	"	lock addq $1, locked(%rip)\n"
	"	ret\n"
	".size gate_locked, .-gate_locked\n");

static void *run(void *arg)
{
	(void)arg;
	while (!go)
		sched_yield();
	gate1();
	return NULL;
}

int main(int argc, char **argv)
{
	pthread_t th;
	pthread_create(&th, NULL, run, NULL);
	if (argc > 1 && !strcmp(argv[1], "locked"))
		gate_locked();
	else
		gate_call();
	go = 1;
	pthread_join(th, NULL);
	printf("inner=%ld locked=%ld\n", (long)inner_calls, (long)locked);
	return 0;
}
