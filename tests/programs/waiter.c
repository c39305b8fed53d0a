/* waiter: calls tick() every millisecond until the file argv[1] exists,
 * then prints how it ended and exits with code 7.  Used by attach tests.
 * With argv[2] "interrupt-parent" it sends SIGINT to its parent (the
 * debugger that launched it) once, after its 10th tick: a Ctrl-C that
 * arrives while the program runs, without the test guessing when. */
#include <signal.h>
#include <stdio.h>
#include <string.h>
#include <unistd.h>

volatile long ticks;

__attribute__((noinline)) void tick(void)
{
	ticks++;
}

int main(int argc, char **argv)
{
	printf("ready %d\n", (int)getpid());
	fflush(stdout);
	int interrupt_parent = argc > 2 && !strcmp(argv[2], "interrupt-parent");
	while (argc > 1 && access(argv[1], F_OK) != 0) {
		tick();
		if (interrupt_parent && ticks == 10)
			kill(getppid(), SIGINT);
		usleep(1000);
	}
	printf("done\n");
	return 7;
}
