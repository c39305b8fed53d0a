/* build: -pthread
 * pw_kernel: memory the kernel writes on its own — the stack (signal
 * frames) and the thread-control block next to __thread variables (rseq,
 * the tid cleared at thread exit).  ready() is called with a stack array
 * while tls_word is live; then a signal is handled on this stack and a
 * thread is created and joined.  ready(local, &tls_word).  Prints "survived" with the counts. */
#include <pthread.h>
#include <signal.h>
#include <stdio.h>
#include <string.h>

__thread int tls_word;
static volatile int handled;

static void on_usr1(int sig)
{
	(void)sig;
	handled++;
}

static void *worker(void *arg)
{
	tls_word = 7;
	return arg;
}

__attribute__((noinline)) void ready(int *local, int *tls)
{
	__asm__ volatile("" : : "r"(local), "r"(tls) : "memory");
}

int main(void)
{
	int local[16];
	memset(local, 0, sizeof(local));
	tls_word = 1;
	signal(SIGUSR1, on_usr1);
	ready(local, &tls_word);
	for (int i = 0; i < 16; i++)
		local[i] = i;
	raise(SIGUSR1);
	pthread_t th;
	pthread_create(&th, NULL, worker, NULL);
	pthread_join(th, NULL);
	tls_word++;
	printf("survived handled=%d local=%d tls=%d\n", handled, local[15], tls_word);
	return 0;
}
