/* waiter: calls tick() every millisecond until the file argv[1] exists,
 * then prints how it ended and exits with code 7.  Used by attach tests. */
#include <stdio.h>
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
	while (argc > 1 && access(argv[1], F_OK) != 0) {
		tick();
		usleep(1000);
	}
	printf("done\n");
	return 7;
}
