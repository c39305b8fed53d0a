/* rc_ticker: a program driven one byte at a time through the FIFO argv[1],
 * so a test knows when it runs without timing anything.  It counts the
 * SIGINTs it receives in a handler, prints "ready PID", then for each byte
 * read: 'n' prints "tick N sigints=K", 'q' prints "done sigints=K" and
 * exits 0.  A Ctrl-C that the debugger took as its break-in must never
 * reach it: K counts only signals sent to it on purpose. */
#include <errno.h>
#include <fcntl.h>
#include <signal.h>
#include <stdio.h>
#include <string.h>
#include <unistd.h>

static volatile sig_atomic_t sigints;

static void on_sigint(int sig)
{
	(void)sig;
	sigints++;
}

int main(int argc, char **argv)
{
	if (argc < 2)
		return 2;
	struct sigaction sa;
	memset(&sa, 0, sizeof(sa));
	sa.sa_handler = on_sigint;
	sa.sa_flags = SA_RESTART;
	sigaction(SIGINT, &sa, NULL);
	int fd = open(argv[1], O_RDONLY);
	if (fd < 0)
		return 2;
	printf("ready %d\n", (int)getpid());
	fflush(stdout);
	int ticks = 0;
	for (;;) {
		char c;
		ssize_t n = read(fd, &c, 1);
		if (n < 0 && errno == EINTR)
			continue;
		if (n <= 0 || c == 'q')
			break;
		if (c == 'n') {
			printf("tick %d sigints=%d\n", ++ticks, (int)sigints);
			fflush(stdout);
		}
	}
	printf("done sigints=%d\n", (int)sigints);
	return 0;
}
