/* sigreturn: SIGUSR1 is sent while blocked, then unblocked by a raw
 * rt_sigprocmask in unblock(), so the handler runs when that system call
 * returns, inside unblock(), on a line with debug information.  Prints how
 * many times the handler ran. */
#include <signal.h>
#include <stdio.h>
#include <unistd.h>

volatile int hits;

void handler(int sig)
{
	hits++;
}

__attribute__((noinline)) void unblock(void)
{
	unsigned long set[2] = { 1ul << (SIGUSR1 - 1), 0 };
	long rc;
#ifdef __x86_64__
	register long sigsetsize __asm__("r10") = 8;
	__asm__ volatile("syscall" : "=a"(rc) : "0"(14L), "D"((long)SIG_UNBLOCK), "S"(set), "d"(0L), "r"(sigsetsize) : "rcx", "r11", "memory");
#else
	__asm__ volatile("int $0x80" : "=a"(rc) : "0"(175L), "b"((long)SIG_UNBLOCK), "c"(set), "d"(0L), "S"(8L) : "memory");
#endif
	hits += rc != 0 ? 100 : 0;	/* the unblock after the handler ran */
}

int main(void)
{
	struct sigaction sa = { .sa_handler = handler };
	sigaction(SIGUSR1, &sa, 0);
	sigset_t s;
	sigemptyset(&s);
	sigaddset(&s, SIGUSR1);
	sigprocmask(SIG_BLOCK, &s, NULL);
	kill(getpid(), SIGUSR1);
	unblock();
	printf("hits=%d\n", hits);
	return 0;
}
