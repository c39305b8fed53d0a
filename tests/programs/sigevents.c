/* sigevents: signals for the sx tests.  "usr1": SIGUSR1 with a handler,
 * raised 3 times (prints how many the handler saw); "usr2": SIGUSR2 with
 * no handler, sent by kill (it kills the program); "fpe": an integer
 * division by zero whose SIGFPE handler skips it by siglongjmp; "ill": ud2,
 * same way; "trap": int3 with no handler (the program's own breakpoint);
 * "int": SIGINT raised once with a handler (a Ctrl-C sent to the program). */
#include <setjmp.h>
#include <signal.h>
#include <stdio.h>
#include <string.h>
#include <unistd.h>

static volatile int seen;
static sigjmp_buf env;

static void on_usr1(int sig)
{
	(void)sig;
	seen++;
}

static void on_fault(int sig)
{
	(void)sig;
	siglongjmp(env, 1);
}

__attribute__((noinline)) int divide(int a, int b)
{
	return a / b;
}

int main(int argc, char **argv)
{
	const char *mode = argc > 1 ? argv[1] : "usr1";
	if (!strcmp(mode, "usr1")) {
		signal(SIGUSR1, on_usr1);
		for (int i = 0; i < 3; i++)
			raise(SIGUSR1);
		printf("handler saw %d\n", seen);
	} else if (!strcmp(mode, "usr2")) {
		kill(getpid(), SIGUSR2);
		printf("not reached\n");
	} else if (!strcmp(mode, "fpe")) {
		signal(SIGFPE, on_fault);
		volatile int zero = 0;
		if (sigsetjmp(env, 1) == 0)
			printf("quotient %d\n", divide(7, zero));
		printf("fpe skipped\n");
	} else if (!strcmp(mode, "ill")) {
		signal(SIGILL, on_fault);
		if (sigsetjmp(env, 1) == 0)
			__asm__ volatile("ud2");
		printf("ill skipped\n");
	} else if (!strcmp(mode, "int")) {
		signal(SIGINT, on_usr1);
		raise(SIGINT);
		printf("handler saw %d\n", seen);
	} else if (!strcmp(mode, "trap")) {
		__asm__ volatile("int3");
		printf("after int3\n");
	}
	fflush(stdout);
	return 0;
}
