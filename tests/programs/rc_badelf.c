/* rc_badelf IN OUT: copies the 64-bit ELF program IN to OUT (mode 0755)
 * with an absurd p_filesz (1 TiB) in its last PT_LOAD header.  The kernel
 * accepts such a file at execve and fails only while mapping that segment,
 * after the point of no return: the new process is killed with SIGSEGV
 * before it runs one instruction.  Exits 1 when IN is not such an ELF. */
#include <elf.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

int main(int argc, char **argv)
{
	if (argc < 3)
		return 2;
	int in = open(argv[1], O_RDONLY);
	struct stat st;
	if (in < 0 || fstat(in, &st) < 0)
		return 1;
	unsigned char *buf = malloc((size_t)st.st_size);
	if (!buf || read(in, buf, (size_t)st.st_size) != st.st_size)
		return 1;
	close(in);
	Elf64_Ehdr *eh = (Elf64_Ehdr *)buf;
	if ((size_t)st.st_size < sizeof(*eh) || memcmp(eh->e_ident, ELFMAG, SELFMAG) ||
	    eh->e_ident[EI_CLASS] != ELFCLASS64 || eh->e_phentsize != sizeof(Elf64_Phdr) ||
	    eh->e_phoff + (size_t)eh->e_phnum * sizeof(Elf64_Phdr) > (size_t)st.st_size) {
		fprintf(stderr, "%s: not a 64-bit ELF program\n", argv[1]);
		return 1;
	}
	Elf64_Phdr *ph = (Elf64_Phdr *)(buf + eh->e_phoff), *last = NULL;
	for (int i = 0; i < eh->e_phnum; i++)
		if (ph[i].p_type == PT_LOAD)
			last = &ph[i];
	if (!last) {
		fprintf(stderr, "%s: no PT_LOAD\n", argv[1]);
		return 1;
	}
	last->p_filesz = 1ull << 40;
	int out = open(argv[2], O_WRONLY | O_CREAT | O_TRUNC, 0755);
	if (out < 0 || write(out, buf, (size_t)st.st_size) != st.st_size || close(out) < 0)
		return 1;
	return 0;
}
