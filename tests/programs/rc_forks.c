/* rc_forks MODE N: N times, calls tick() and then starts a child; exits
 * right after starting the last one, without waiting for any, so a child
 * may still be starting when the parent is gone.
 *   fork    the child calls tick() too (it inherited any int3 at tick) and
 *           prints "child I ticks=T" (T = I + 2: the parent's I + 1 calls
 *           before the fork, then its own)
 *   vfork   the child execs this program as "rc_forks exec I", which
 *           prints "exec'd I"
 * The parent prints "parent started N" last. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

volatile long ticks;

__attribute__((noinline)) void tick(void)
{
	ticks++;
}

int main(int argc, char **argv)
{
	if (argc > 2 && !strcmp(argv[1], "exec")) {
		printf("exec'd %s\n", argv[2]);
		return 0;
	}
	if (argc < 3)
		return 2;
	int use_vfork = !strcmp(argv[1], "vfork");
	int n = atoi(argv[2]);
	setvbuf(stdout, NULL, _IOLBF, 0);	/* nothing buffered is copied to a child */
	for (int i = 0; i < n; i++) {
		tick();
		if (use_vfork) {
			char num[16];
			snprintf(num, sizeof(num), "%d", i);
			if (vfork() == 0) {
				execl("/proc/self/exe", argv[0], "exec", num, (char *)NULL);
				_exit(127);
			}
		} else if (fork() == 0) {
			tick();
			printf("child %d ticks=%ld\n", i, (long)ticks);
			_exit(0);
		}
	}
	printf("parent started %d\n", n);
	return 0;
}
