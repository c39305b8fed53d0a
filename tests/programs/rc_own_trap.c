/* rc_own_trap: installs a SIGTRAP handler, then executes an int3 of its own
 * (not a debugger's breakpoint).  Prints "handler ran N times" (N = 1 when
 * the SIGTRAP reached it, 0 when a debugger kept it) and exits 0. */
#include <signal.h>
#include <stdio.h>
#include <string.h>

static volatile sig_atomic_t handled;

static void on_trap(int sig)
{
	(void)sig;
	handled++;
}

int main(void)
{
	struct sigaction sa;
	memset(&sa, 0, sizeof(sa));
	sa.sa_handler = on_trap;
	sigaction(SIGTRAP, &sa, NULL);
	__asm__ volatile("int3");	/* rip is past it: returning continues here */
	printf("handler ran %d times\n", (int)handled);
	return 0;
}
