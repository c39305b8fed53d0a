/* rc_sigstep: site() — whose first instruction dr7's emulator cannot run,
 * so a breakpoint there is stepped over — is called N times (argv[1]) while
 * a forked child keeps sending SIGUSR1, so signals arrive while dr7 moves the
 * thread past the breakpoint.  Prints the calls, how many times the
 * instruction under the breakpoint ran (it must equal the calls) and
 * whether the handler ran. */
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <sys/wait.h>
#include <unistd.h>

volatile int site_count;
volatile sig_atomic_t handled;

void site(void);
__asm__(".text\n.globl site\n.type site,@function\nsite:\n\tlock incl site_count(%rip)\n\tret\n");

static void on_usr1(int sig)
{
	(void)sig;
	handled++;
}

int main(int argc, char **argv)
{
	int n = argc > 1 ? atoi(argv[1]) : 100;
	struct sigaction sa = { .sa_handler = on_usr1 };
	sigaction(SIGUSR1, &sa, NULL);
	pid_t parent = getpid();
	pid_t child = fork();
	if (child == 0) {
		while (getppid() == parent)
			kill(parent, SIGUSR1);
		_exit(0);
	}
	while (!handled)
		;	/* the sender runs before the first call */
	for (int i = 0; i < n; i++)
		site();
	kill(child, SIGKILL);
	waitpid(child, NULL, 0);
	printf("calls=%d site_count=%d handler_ran=%d\n", n, site_count, handled > 0);
	return 0;
}
