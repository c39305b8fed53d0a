/* build: -pthread
 * rc_exec_threads MODE: a worker blocks in pause() while the main thread
 * execs /bin/true through a raw syscall at exec_sys (step: dr7 steps over
 * it); or, MODE frozen, the main thread reaches ready() once the worker
 * runs, then returns 4 (exit_group kills the worker).  Both must end: the
 * kernel waits for every other thread to die, and each stops at its
 * PTRACE_EVENT_EXIT first. */
#include <pthread.h>
#include <string.h>
#include <unistd.h>

static pthread_barrier_t running;

__attribute__((noinline)) void ready(void)
{
	__asm__ volatile("");
}

static void *idle(void *arg)
{
	(void)arg;
	pthread_barrier_wait(&running);
	for (;;)
		pause();
	return NULL;
}

long do_exec(const char *path, char *const argv[], char *const envp[]);
__asm__(".globl do_exec\n do_exec:\n mov $59,%eax\n .globl exec_sys\n exec_sys:\n syscall\n ret\n");

int main(int argc, char **argv)
{
	pthread_t t;
	pthread_barrier_init(&running, NULL, 2);
	pthread_create(&t, NULL, idle, NULL);
	pthread_barrier_wait(&running);
	if (argc > 1 && !strcmp(argv[1], "frozen")) {
		ready();
		return 4;
	}
	char *args[] = { "/bin/true", 0 }, *env[] = { 0 };
	do_exec("/bin/true", args, env);
	return 9;
}
