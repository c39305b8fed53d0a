/* corrupt: writes a copy of an ELF64 file with bytes changed inside the
 * sections only a debugger reads (.debug_*, .symtab, .strtab, .eh_frame),
 * so the program still runs but its symbols, DWARF and CFI are damaged.
 *   corrupt IN OUT SEED [FLIPS]
 * The same seed always gives the same file. */
#include <elf.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

static uint64_t state;

static uint64_t next(void)
{
	state ^= state << 13;
	state ^= state >> 7;
	state ^= state << 17;
	return state;
}

int main(int argc, char **argv)
{
	if (argc < 4)
		return 2;
	FILE *f = fopen(argv[1], "rb");
	if (!f)
		return 2;
	fseek(f, 0, SEEK_END);
	long size = ftell(f);
	rewind(f);
	unsigned char *buf = malloc((size_t)size);
	if (!buf || fread(buf, 1, (size_t)size, f) != (size_t)size)
		return 2;
	fclose(f);
	state = 0x9e3779b97f4a7c15ULL ^ (uint64_t)strtoull(argv[3], NULL, 10);
	int flips = argc > 4 ? atoi(argv[4]) : 64;
	Elf64_Ehdr *eh = (Elf64_Ehdr *)buf;
	if ((long)(eh->e_shoff + (uint64_t)eh->e_shnum * sizeof(Elf64_Shdr)) > size)
		return 2;
	Elf64_Shdr *sh = (Elf64_Shdr *)(buf + eh->e_shoff);
	const char *names = (const char *)buf + sh[eh->e_shstrndx].sh_offset;
	int targets[64], n = 0;
	for (int i = 0; i < eh->e_shnum && n < 64; i++) {
		const char *name = names + sh[i].sh_name;
		if (sh[i].sh_type == SHT_NOBITS || sh[i].sh_size == 0)
			continue;
		if (!strncmp(name, ".debug", 6) || !strcmp(name, ".symtab") || !strcmp(name, ".strtab") ||
		    !strcmp(name, ".eh_frame"))
			targets[n++] = i;
	}
	if (!n)
		return 3;
	for (int k = 0; k < flips; k++) {
		Elf64_Shdr *s = &sh[targets[next() % (uint64_t)n]];
		uint64_t at = s->sh_offset + next() % s->sh_size;
		switch (next() % 3) {
		case 0: buf[at] ^= (unsigned char)(1u << (next() % 8)); break;
		case 1: buf[at] = 0xff; break;
		default: buf[at] = 0; break;
		}
	}
	f = fopen(argv[2], "wb");
	if (!f || fwrite(buf, 1, (size_t)size, f) != (size_t)size)
		return 2;
	fclose(f);
	return 0;
}
