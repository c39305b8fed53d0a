/* segv: argv[1] "handled" installs a SIGSEGV handler that skips the fault by
 * longjmp; otherwise the fault kills the program. */
#include <setjmp.h>
#include <signal.h>
#include <stdio.h>
#include <string.h>

static sigjmp_buf env;

static void on_segv(int sig)
{
	(void)sig;
	siglongjmp(env, 1);
}

int main(int argc, char **argv)
{
	if (argc > 1 && !strcmp(argv[1], "handled"))
		signal(SIGSEGV, on_segv);
	if (sigsetjmp(env, 1) == 0) {
		volatile int *p = (int *)16;
		*p = 1;
	}
	printf("survived\n");
	return 0;
}
