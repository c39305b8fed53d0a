/* build: -pthread
 * memmap: known bytes in each kind of memory for s and !address, then a
 * stop in stopped_here() with a second thread blocked in read():
 *   data:  needle_text "dr7-needle", needle_words, needle_dwords, needle_qword,
 *          needle_wide (UTF-16 "WideNeedle")
 *   heap:  a malloc'd "heap-needle" (the brk heap)
 *   anon:  three anonymous pages, the middle one without access, with
 *          "anon-needle" in the first and the third (anon_base)
 *   file:  argv[1], when given, mapped read-only (mapped_file)
 * With argv[2] it copies /proc/self/maps there first and prints where its
 * objects are ("memmap-info anon=... heap=... stack=LO-HI"), the truth
 * the tests hold dr7's map against.
 * locals of stopped_here() and the globals serve x, ln and lm. */
#define _GNU_SOURCE
#include <pthread.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <fcntl.h>
#include <unistd.h>

char needle_text[] = "dr7-needle";
uint16_t needle_words[4] = { 0x1234, 0xabcd, 0x5678, 0x9abc };
uint32_t needle_dwords[4] = { 0x11223344, 0xcafef00d, 0x0badf00d, 0x55667788 };
uint64_t needle_qword = 0x0123456789abcdefull;
uint16_t needle_wide[] = { 'W', 'i', 'd', 'e', 'N', 'e', 'e', 'd', 'l', 'e', 0 };
char *heap_text;
char *anon_base;
void *mapped_file;
int counter = 5;
static int ready_pipe[2], block_pipe[2];

struct point {
	int x, y;
};

int stopped_here(int depth, const char *why)
{
	struct point where = { depth, depth * 2 };
	int total = where.x + where.y + counter;
	return total + (why ? 1 : 0);
}

static void *blocked(void *arg)
{
	char ch = 'r';
	if (write(ready_pipe[1], &ch, 1) != 1)
		return NULL;
	/* Blocks until main exits: its stack pointer is in its stack now. */
	if (read(block_pipe[0], &ch, 1) < 0)
		return NULL;
	return arg;
}

int main(int argc, char **argv)
{
	heap_text = malloc(64);
	strcpy(heap_text, "heap-needle");
	anon_base = mmap(NULL, 3 * 4096, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
	if (anon_base == MAP_FAILED)
		return 2;
	strcpy(anon_base + 100, "anon-needle");
	strcpy(anon_base + 2 * 4096 + 100, "anon-needle");
	mprotect(anon_base + 4096, 4096, PROT_NONE);
	if (argc > 1) {
		int fd = open(argv[1], O_RDONLY);
		if (fd < 0)
			return 3;
		mapped_file = mmap(NULL, 4096, PROT_READ, MAP_PRIVATE, fd, 0);
		close(fd);
	}
	if (pipe(ready_pipe) || pipe(block_pipe))
		return 4;
	pthread_t th;
	if (pthread_create(&th, NULL, blocked, NULL))
		return 5;
	char ch;
	if (read(ready_pipe[0], &ch, 1) != 1)
		return 6;
	if (argc > 2) {
		pthread_attr_t attr;
		void *lo;
		size_t size;
		if (pthread_getattr_np(th, &attr) || pthread_attr_getstack(&attr, &lo, &size))
			return 7;
		FILE *in = fopen("/proc/self/maps", "r"), *out = fopen(argv[2], "w");
		if (!in || !out)
			return 8;
		int c;
		while ((c = getc(in)) != EOF)
			putc(c, out);
		fclose(in);
		fclose(out);
		printf("memmap-info anon=%lx heap=%lx stack=%lx-%lx\n", (unsigned long)anon_base,
		       (unsigned long)heap_text, (unsigned long)lo, (unsigned long)lo + size);
		fflush(stdout);
	}
	int r = stopped_here(3, "test");
	printf("memmap %d\n", r);
	return 0;
}
