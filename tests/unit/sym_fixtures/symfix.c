/*
 * symfix.c — the process that tests/unit/test_sym.c inspects.  Built -g -O2
 * -fomit-frame-pointer so that unwinding needs CFI.  It maps argv[1] (a file
 * the test makes, possibly a corrupt ELF), lists it in the dynamic linker's
 * link map as a loaded object would be, and stops itself with int3 inside
 * level3; the test reads the marker comments to learn the source lines.
 * "symfix --exec PROGRAM" replaces itself with PROGRAM instead.
 */
#define _GNU_SOURCE
#include <dlfcn.h>
#include <fcntl.h>
#include <link.h>
#include <string.h>
#include <sys/mman.h>
#include <unistd.h>

int symfix_global = 42;
int symfix_Case = 1;
int symfix_case = 2;
volatile int symfix_counter;

__attribute__((noinline, noclone)) int level3(int x)
{
	symfix_counter += x;
	/* LINE_BEFORE_TRAP */
	__asm__ volatile("int3"); /* LINE_TRAP */
	return symfix_counter * 3;
}

__attribute__((noinline, noclone)) int level2(int x)
{
	int r = level3(x + 1);
	return r + 7;
}

__attribute__((noinline, noclone)) int level1(int x)
{
	int r = level2(x * 2);
	return r - 1;
}

/* A link_map entry for a file no dynamic linker would accept (the process
 * stops for good at the int3, so nothing else walks the list). */
static struct link_map mapped_entry;

static void list_mapped(void *base, char *path)
{
	struct link_map *lm = NULL;
	void *self = dlopen(NULL, RTLD_NOW);
	if (!base || !self || dlinfo(self, RTLD_DI_LINKMAP, &lm) != 0 || !lm)
		return;
	while (lm->l_next)
		lm = lm->l_next;
	mapped_entry.l_addr = (ElfW(Addr))base;
	mapped_entry.l_name = path;
	mapped_entry.l_ld = (ElfW(Dyn) *)((char *)base + 0x1800);
	mapped_entry.l_prev = lm;
	lm->l_next = &mapped_entry;
}

int main(int argc, char **argv)
{
	if (argc > 2 && strcmp(argv[1], "--exec") == 0)
		execv(argv[2], argv + 2);
	if (argc > 1) {
		int fd = open(argv[1], O_RDONLY);
		if (fd >= 0) {
			void *base = mmap(0, 8192, PROT_READ, MAP_PRIVATE, fd, 0);
			list_mapped(base == MAP_FAILED ? NULL : base, argv[1]);
		}
	}
	return level1(argc + symfix_global + symfix_Case + symfix_case) & 0x7f;
}
