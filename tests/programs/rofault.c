/* rofault: poke() stores into a read-only page; the SIGSEGV handler reports
 * it.  A debugger that emulated the store through a forcing write would
 * make the store succeed and change what the program computes. */
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <sys/mman.h>
#include <unistd.h>

void poke(int *p);
__asm__(".text\n.globl poke\n.type poke,@function\npoke:\n movl $1,(%rdi)\n ret\n.size poke, .-poke\n");

static void on_segv(int sig)
{
	(void)sig;
	static const char msg[] = "faulted\n";
	(void)!write(1, msg, sizeof(msg) - 1);
	_exit(0);
}

int main(void)
{
	signal(SIGSEGV, on_segv);
	int *page = mmap(NULL, 4096, PROT_READ, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
	poke(page);
	printf("stored %d\n", *page);
	return 1;
}
