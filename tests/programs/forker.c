/* forker: parent and fork child both call tick(); the child must not die
 * of a breakpoint it inherited. */
#include <stdio.h>
#include <sys/wait.h>
#include <unistd.h>

volatile long counter;

__attribute__((noinline)) void tick(void)
{
	counter++;
}

int main(void)
{
	tick();
	pid_t p = fork();
	if (p == 0) {
		tick();
		tick();
		_exit(counter == 3 ? 5 : 6);
	}
	int st = 0;
	waitpid(p, &st, 0);
	tick();
	printf("child=%d parent=%ld\n", WIFEXITED(st) ? WEXITSTATUS(st) : -WTERMSIG(st), counter);
	return 0;
}
