/* build: -O1 -pthread
 * pwatch: page-protection watch scenarios, chosen by argv[1].  Each counts
 * its own accesses and prints them, so a test compares dr7's hits with the
 * program's truth.  Watched variables live in `cells`, 64 bytes apart,
 * their unwatched neighbours in between, all on the same few pages.
 *   count N     : writes cell j (j < N) j%3+1 times; prints the total
 *   neighbours  : 1000 writes of cell 1 (unwatched) per write of cell 0, 5 rounds
 *   rw          : reads cell 0 three times and writes it twice
 *   range       : writes each byte of the 100-byte range at bytes+3, then the bytes around it
 *   readbuf     : read(2) from a pipe into `buf`; prints what arrived
 *   scan        : repne scasb over bytes[] for the 0 at bytes[10] (rcx 200)
 *   writebuf    : write(2) from `buf` into a pipe, read back into a local; prints it
 *   ownsegv     : a page it protects itself (PROT_READ), written with a SIGSEGV handler
 *                 that opens it; prints the handler's count
 *   threads     : 4 threads, each writes cell (t*2) and cell (t*2+1) (t+1)*50 times
 *   threads16   : 16 threads, thread t writes cell t (and unwatched cell t+32) 100 times
 *   wait FILE   : prints "ready", writes cells 0, 2 .. 14 every 100 us until FILE exists
 *   fork        : writes cell 0, forks; the child writes cells 0 and 1 and exits 0; the
 *                 parent says so when fork or waitpid failed
 *   vfork       : the same with vfork: the child writes cell 1 in the parent's memory
 *   remap       : mmap a page, mapped_ready(), writes word 1 (and the next page), mprotect
 *                 R then RW, writes it, munmap + mmap MAP_FIXED again, writes words 1 and 2
 *   bench N M   : N rounds: M unrelated writes (cell 1), then one watched write (cell 0)
 *   many N R    : R rounds over N cells spread over pages (one per 64 bytes)
 */
#include <pthread.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <sys/wait.h>
#include <unistd.h>

#define CELL(j) (*(volatile int *)((char *)cells + 64 * (j)))

char cells[64 * 2048] __attribute__((aligned(4096)));
volatile unsigned char bytes[4096] __attribute__((aligned(4096)));
char buf[4096] __attribute__((aligned(4096)));
static volatile long sink;

static volatile int handled;
void *volatile mapped;

__attribute__((noinline)) void mapped_ready(void)
{
	__asm__ volatile("" ::: "memory");
}
static char *own_page;

static void on_segv(int sig, siginfo_t *si, void *uc)
{
	(void)sig;
	(void)uc;
	if ((char *)si->si_addr < own_page || (char *)si->si_addr >= own_page + 4096)
		_exit(99);
	handled++;
	mprotect(own_page, 4096, PROT_READ | PROT_WRITE);
}

static void *thread16_run(void *arg)
{
	long t = (long)arg;
	for (int i = 0; i < 100; i++) {
		CELL(t) = i;		/* watched */
		CELL(t + 32) = i;	/* unwatched, same page */
	}
	return NULL;
}

static void *thread_run(void *arg)
{
	long t = (long)arg;
	for (int i = 0; i < (t + 1) * 50; i++) {
		CELL(t * 2) = i;
		CELL(t * 2 + 1) = i;
		CELL(t * 2 + 16) = i;	/* unwatched, same page */
	}
	return NULL;
}

int main(int argc, char **argv)
{
	const char *mode = argc > 1 ? argv[1] : "count";
	int n = argc > 2 ? atoi(argv[2]) : 8;
	if (!strcmp(mode, "count")) {
		long total = 0;
		for (int j = 0; j < n; j++)
			for (int k = 0; k <= j % 3; k++, total++)
				CELL(j) = k;
		printf("count done %ld\n", total);
	} else if (!strcmp(mode, "many")) {
		int rounds = argc > 3 ? atoi(argv[3]) : 1;
		for (int r = 0; r < rounds; r++)
			for (int j = 0; j < n; j++)
				CELL(j) = r;
		printf("many done %d\n", n * rounds);
	} else if (!strcmp(mode, "neighbours")) {
		for (int r = 0; r < 5; r++) {
			for (int i = 0; i < 1000; i++)
				CELL(1) = i;
			CELL(0) = r;
		}
		printf("neighbours done %d\n", CELL(1) + CELL(0));
	} else if (!strcmp(mode, "rw")) {
		int a = CELL(0);
		int b = CELL(0);
		CELL(0) = a + 1;
		int c = CELL(0);
		CELL(0) = b + c;
		printf("rw done 3 reads 2 writes\n");
	} else if (!strcmp(mode, "range")) {
		for (int i = 0; i < 100; i++)
			bytes[3 + i] = (unsigned char)i;
		bytes[2] = 1;
		bytes[103] = 1;
		printf("range done 100\n");
	} else if (!strcmp(mode, "readbuf")) {
		int fd[2];
		if (pipe(fd) < 0)
			return 1;
		if (write(fd[1], "hello, watch", 12) != 12)
			return 1;
		ssize_t got = read(fd[0], buf + 8, 64);
		printf("read %zd '%.*s'\n", got, (int)(got > 0 ? got : 0), buf + 8);
	} else if (!strcmp(mode, "scan")) {
		/* repne scasb for the 0 at bytes[10], allowed to scan 200 bytes */
		for (int i = 0; i < 200; i++)
			bytes[i] = (unsigned char)(i == 10 ? 0 : 'x');
		const volatile unsigned char *p = bytes;
		long left = 200;
		__asm__ volatile("cld; repne scasb" : "+D"(p), "+c"(left) : "a"(0) : "memory", "cc");
		printf("scan stopped after %ld bytes\n", 200 - left);
	} else if (!strcmp(mode, "writebuf")) {
		int fd[2];
		char in[64];
		if (pipe(fd) < 0)
			return 1;
		memcpy(buf + 8, "to the pipe", 11);
		if (write(fd[1], buf + 8, 11) != 11 || read(fd[0], in, sizeof(in)) != 11)
			return 1;
		printf("wrote '%.11s'\n", in);
	} else if (!strcmp(mode, "ownsegv")) {
		own_page = (char *)cells + 4096;
		struct sigaction sa;
		memset(&sa, 0, sizeof(sa));
		sa.sa_sigaction = on_segv;
		sa.sa_flags = SA_SIGINFO;
		sigaction(SIGSEGV, &sa, NULL);
		for (int r = 0; r < 3; r++) {
			mprotect(own_page, 4096, PROT_READ);
			*(volatile int *)(own_page + 128) = r;	/* faults: the handler opens the page */
			*(volatile int *)(own_page + 256) = r;
		}
		printf("ownsegv handled %d\n", handled);
	} else if (!strcmp(mode, "threads")) {
		pthread_t th[4];
		for (long t = 0; t < 4; t++)
			pthread_create(&th[t], NULL, thread_run, (void *)t);
		for (int t = 0; t < 4; t++)
			pthread_join(th[t], NULL);
		printf("threads done\n");
	} else if (!strcmp(mode, "threads16")) {
		pthread_t th[16];
		for (long t = 0; t < 16; t++)
			pthread_create(&th[t], NULL, thread16_run, (void *)t);
		for (int t = 0; t < 16; t++)
			pthread_join(th[t], NULL);
		printf("threads16 done\n");
	} else if (!strcmp(mode, "wait")) {
		long rounds = 0;
		printf("ready\n");
		fflush(stdout);
		while (access(argv[2], F_OK) != 0) {
			for (int j = 0; j < 8; j++)
				CELL(j * 2) = (int)rounds;
			rounds++;
			usleep(100);
		}
		for (int j = 0; j < 8; j++)
			CELL(j * 2) = -1;	/* after dr7 has gone */
		printf("wait done\n");
	} else if (!strcmp(mode, "fork")) {
		CELL(0) = 1;
		pid_t child = fork();
		if (child == 0) {
			CELL(0) = 2;	/* its copy of the page is the program's own again */
			CELL(1) = 2;
			_exit(CELL(0) == 2 ? 0 : 1);
		}
		int st = 0;
		pid_t waited = waitpid(child, &st, 0);
		CELL(0) = 3;
		if (child <= 0 || waited != child)
			printf("fork returned %d, waitpid %d\n", (int)child, (int)waited);
		printf("child exit %d signal %d\n", WIFEXITED(st) ? WEXITSTATUS(st) : -1,
		       WIFSIGNALED(st) ? WTERMSIG(st) : 0);
	} else if (!strcmp(mode, "vfork")) {
		CELL(0) = 1;
		pid_t child = vfork();
		if (child == 0) {
			CELL(1) = 2;	/* in the parent's memory, untraced */
			_exit(0);
		}
		int st = 0;
		waitpid(child, &st, 0);
		CELL(0) = 3;
		printf("vfork child exit %d signal %d cell1 %d\n", WIFEXITED(st) ? WEXITSTATUS(st) : -1,
		       WIFSIGNALED(st) ? WTERMSIG(st) : 0, CELL(1));
	} else if (!strcmp(mode, "remap")) {
		volatile int *m = mmap(NULL, 8192, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
		mapped = (void *)m;
		mapped_ready();
		m[1] = 1;			/* hit */
		m[1024 + 1] = 1;		/* next page: no hit */
		mprotect((void *)m, 8192, PROT_READ);
		mprotect((void *)m, 8192, PROT_READ | PROT_WRITE);
		m[1] = 2;			/* hit */
		munmap((void *)m, 8192);
		m = mmap((void *)m, 4096, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS | MAP_FIXED, -1, 0);
		m[1] = 3;			/* hit: the watch is on the address */
		m[2] = 3;			/* no hit */
		printf("remap done %d\n", m[1] + m[2]);
	} else if (!strcmp(mode, "bench")) {
		int m = argc > 3 ? atoi(argv[3]) : 1000;
		for (int r = 0; r < n; r++) {
			for (int i = 0; i < m; i++)
				CELL(1) = i;
			CELL(0) = r;
		}
		printf("bench done %d\n", n);
	}
	sink = CELL(1);
	return 0;
}
