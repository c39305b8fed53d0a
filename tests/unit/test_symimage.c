/*
 * test_symimage.c — where a process image's objects are (sym/symimage.h):
 * load biases from program headers and the auxiliary vector, DT_DEBUG, the
 * dynamic linker's r_debug / link_map lists, the vDSO's ELF image and the
 * image of an object whose file is gone, all
 * read from a fake memory laid out as glibc and the kernel lay it out, for
 * 64- and 32-bit processes, intact and damaged.
 */
#include <elf.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>

#include "sym/symimage.h"

/* ---- a fake memory: a few mapped regions ---- */

struct region {
	uint64_t addr;
	unsigned char bytes[8192];
	size_t len;
};

struct mem {
	struct region r[8];
	int n;
	int reads;
};

static struct region *mem_map(struct mem *m, uint64_t addr, size_t len)
{
	struct region *r = &m->r[m->n++];
	memset(r, 0, sizeof(*r));
	r->addr = addr;
	r->len = len;
	return r;
}

/* Like target_read: the bytes up to the end of the region, -1 outside any. */
static int mem_read(void *user, uint64_t addr, void *buf, size_t n)
{
	struct mem *m = user;
	m->reads++;
	for (int i = 0; i < m->n; i++) {
		struct region *r = &m->r[i];
		if (addr < r->addr || addr >= r->addr + r->len)
			continue;
		size_t avail = (size_t)(r->addr + r->len - addr);
		size_t k = n < avail ? n : avail;
		memcpy(buf, r->bytes + (addr - r->addr), k);
		return (int)k;
	}
	return -1;
}

static void poke(struct mem *m, uint64_t addr, const void *src, size_t n)
{
	for (int i = 0; i < m->n; i++) {
		struct region *r = &m->r[i];
		if (addr >= r->addr && addr + n <= r->addr + r->len) {
			memcpy(r->bytes + (addr - r->addr), src, n);
			return;
		}
	}
	fail_msg("poke outside the fake memory at %llx", (unsigned long long)addr);
}

static void poke_word(struct mem *m, int is32, uint64_t addr, uint64_t v)
{
	poke(m, addr, &v, is32 ? 4 : 8);
}

/* struct link_map { l_addr, l_name, l_ld, l_next, l_prev } */
static void put_link(struct mem *m, int is32, uint64_t at, uint64_t l_addr, uint64_t name, uint64_t l_ld,
		     uint64_t next, uint64_t prev)
{
	size_t w = is32 ? 4 : 8;
	uint64_t f[5] = { l_addr, name, l_ld, next, prev };
	for (int i = 0; i < 5; i++)
		poke_word(m, is32, at + i * w, f[i]);
}

/* struct r_debug { int r_version; r_map; r_brk; int r_state; r_ldbase; r_next } */
static void put_r_debug(struct mem *m, int is32, uint64_t at, uint32_t version, uint64_t map, uint64_t next)
{
	size_t w = is32 ? 4 : 8;
	poke_word(m, is32, at, version);
	poke_word(m, is32, at + w, map);
	poke_word(m, is32, at + 5 * w, next);
}

static void put_str(struct mem *m, uint64_t at, const char *s)
{
	poke(m, at, s, strlen(s) + 1);
}

/* ---- biases and ranges ---- */

static void test_main_bias(void **state)
{
	uint64_t bias = 1;
	/* PIE: AT_PHDR against PT_PHDR */
	struct image_phdr pie[] = {
		{ PT_PHDR, 0x40, 0x40, 0x2d8, 0x2d8, 8 },
		{ PT_LOAD, 0, 0, 0x628, 0x628, 0x1000 },
	};
	assert_int_equal(image_main_bias(pie, 2, 0, 0x1060, 0x555555554040, 0x555555555060, &bias), 0);
	assert_int_equal(bias, 0x555555554000);
	/* static-pie has no PT_PHDR: AT_ENTRY against e_entry */
	struct image_phdr spie[] = { { PT_LOAD, 0, 0, 0x9000, 0x9000, 0x1000 } };
	assert_int_equal(image_main_bias(spie, 1, 0, 0x9d20, 0x7ffff7f40040, 0x7ffff7f49d20, &bias), 0);
	assert_int_equal(bias, 0x7ffff7f40000);
	/* a fixed-address executable never moves */
	assert_int_equal(image_main_bias(pie, 2, 1, 0x401060, 0x400040, 0x401060, &bias), 0);
	assert_int_equal(bias, 0);
	/* nothing to go by */
	assert_int_equal(image_main_bias(spie, 1, 0, 0x9d20, 0, 0, &bias), -1);
}

static void test_bias_at_header(void **state)
{
	uint64_t bias = 0;
	struct image_phdr ld[] = {
		{ PT_LOAD, 0, 0, 0x1000, 0x1000, 0x1000 },
		{ PT_LOAD, 0x1000, 0x1000, 0x25000, 0x25000, 0x1000 },
	};
	assert_int_equal(image_bias_at_header(ld, 2, 0x7ffff7fc3000, &bias), 0);
	assert_int_equal(bias, 0x7ffff7fc3000);
	/* the segment holding file offset 0 decides, wherever it is linked */
	struct image_phdr linked[] = {
		{ PT_NOTE, 0, 0x400200, 0x20, 0x20, 4 },
		{ PT_LOAD, 0, 0x400000, 0x1000, 0x1000, 0x1000 },
	};
	assert_int_equal(image_bias_at_header(linked, 2, 0x7f0000400000, &bias), 0);
	assert_int_equal(bias, 0x7f0000000000);
	struct image_phdr none[] = { { PT_LOAD, 0x1000, 0x1000, 0x10, 0x10, 0x1000 } };
	assert_int_equal(image_bias_at_header(none, 1, 0x7f0000000000, &bias), -1);
}

static void test_load_range(void **state)
{
	uint64_t lo = 0, hi = 0;
	struct image_phdr ph[] = {
		{ PT_PHDR, 0x40, 0x40, 0x2d8, 0x2d8, 8 },
		{ PT_LOAD, 0, 0, 0x528, 0x528, 0x1000 },
		{ PT_LOAD, 0x2df8, 0x3df8, 0x2e8, 0x2f0, 0x1000 },
	};
	assert_int_equal(image_load_range(ph, 3, 0x555555554000, &lo, &hi), 0);
	assert_int_equal(lo, 0x555555554000);
	assert_int_equal(hi, 0x555555554000 + 0x3df8 + 0x2f0);	/* bss included, not page-rounded */
	/* the first segment's start is rounded down to its alignment */
	struct image_phdr odd[] = { { PT_LOAD, 0x234, 0x401234, 0x100, 0x100, 0x1000 } };
	assert_int_equal(image_load_range(odd, 1, 0, &lo, &hi), 0);
	assert_int_equal(lo, 0x401000);
	assert_int_equal(hi, 0x401334);
	/* a header claiming half the address space, or wrapping, is damaged */
	struct image_phdr huge[] = { { PT_LOAD, 0, 0, 0x1000, 0x7fffffffffffULL, 0x1000 } };
	assert_int_equal(image_load_range(huge, 1, 0x7f0000000000, &lo, &hi), -1);
	struct image_phdr wrap[] = { { PT_LOAD, 0, 0xfffffffffffff000ULL, 0x1000, 0x2000, 0x1000 } };
	assert_int_equal(image_load_range(wrap, 1, 0, &lo, &hi), -1);
	struct image_phdr noload[] = { { PT_DYNAMIC, 0, 0x1000, 0x100, 0x100, 8 } };
	assert_int_equal(image_load_range(noload, 1, 0, &lo, &hi), -1);
}

/* ---- DT_DEBUG ---- */

static void test_dt_debug(void **state)
{
	for (int is32 = 0; is32 < 2; is32++) {
		struct mem m = { 0 };
		size_t w = is32 ? 4 : 8;
		uint64_t dyn = 0x555555557dd8;
		if (is32)
			dyn = 0x56558ed4;
		mem_map(&m, dyn, 0x200);
		uint64_t tags[][2] = { { DT_NEEDED, 1 }, { DT_INIT, 0x1000 }, { DT_DEBUG, 0x7ffff7ffe118 },
				       { DT_NULL, 0 } };
		for (int i = 0; i < 4; i++) {
			poke_word(&m, is32, dyn + 2 * w * i, tags[i][0]);
			poke_word(&m, is32, dyn + 2 * w * i + w, is32 ? (uint32_t)tags[i][1] : tags[i][1]);
		}
		uint64_t r = 0;
		assert_int_equal(image_dt_debug(mem_read, &m, is32, dyn, 0x200, &r), 0);
		assert_int_equal(r, is32 ? 0xf7ffe118 : 0x7ffff7ffe118);
		/* before the dynamic linker has run, DT_DEBUG is 0 */
		poke_word(&m, is32, dyn + 2 * w * 2 + w, 0);
		assert_int_equal(image_dt_debug(mem_read, &m, is32, dyn, 0x200, &r), -1);
		/* no DT_DEBUG before DT_NULL */
		poke_word(&m, is32, dyn + 2 * w * 1, DT_NULL);
		poke_word(&m, is32, dyn + 2 * w * 2 + w, 0x1234);
		assert_int_equal(image_dt_debug(mem_read, &m, is32, dyn, 0x200, &r), -1);
		/* unreadable */
		assert_int_equal(image_dt_debug(mem_read, &m, is32, 0x1000, 0x200, &r), -1);
	}
}

/* ---- the link map ---- */

static void test_link_map(void **state)
{
	for (int is32 = 0; is32 < 2; is32++) {
		struct mem m = { 0 };
		uint64_t base = is32 ? 0xf7ff0000 : 0x7ffff7ff0000;
		mem_map(&m, base, 0x2000);
		uint64_t rd = base, a = base + 0x100, b = base + 0x200, c = base + 0x300, d = base + 0x380;
		put_r_debug(&m, is32, rd, 1, a, 0);
		put_str(&m, base + 0x800, "");
		put_str(&m, base + 0x810, "linux-vdso.so.1");
		put_str(&m, base + 0x830, "/lib/x86_64-linux-gnu/libc.so.6");
		put_str(&m, base + 0x860, "/lib64/ld-linux-x86-64.so.2");
		put_link(&m, is32, a, 0x555555554000 & (is32 ? 0xffffffff : ~0ULL), base + 0x800, 0x3dc8, b, 0);
		put_link(&m, is32, b, 0x7ffff7fc1000 & (is32 ? 0xffffffff : ~0ULL), base + 0x810, 0x7ffff7fc13e0, c, a);
		put_link(&m, is32, c, 0x7ffff7dd3000 & (is32 ? 0xffffffff : ~0ULL), base + 0x830, 0x7ffff7f9c940, d, b);
		put_link(&m, is32, d, 0x7ffff7fc3000 & (is32 ? 0xffffffff : ~0ULL), base + 0x860, 0x7ffff7ffce80, 0, c);
		struct image_object *v = NULL;
		int n = image_link_map(mem_read, &m, is32, rd, &v);
		assert_int_equal(n, 4);
		assert_string_equal(v[0].name, "");
		assert_string_equal(v[1].name, "linux-vdso.so.1");
		assert_string_equal(v[2].name, "/lib/x86_64-linux-gnu/libc.so.6");
		assert_string_equal(v[3].name, "/lib64/ld-linux-x86-64.so.2");
		uint64_t mask = is32 ? 0xffffffffULL : ~0ULL;
		assert_int_equal(v[2].bias, 0x7ffff7dd3000 & mask);
		assert_int_equal(v[2].dyn, 0x7ffff7f9c940 & mask);
		assert_int_equal(v[0].dyn, 0x3dc8);
		image_objects_free(v, n);

		/* a cycle back into the list ends the walk */
		put_link(&m, is32, d, 0x7ffff7fc3000 & mask, base + 0x860, 0x7ffff7ffce80 & mask, a, c);
		n = image_link_map(mem_read, &m, is32, rd, &v);
		assert_int_equal(n, 4);
		image_objects_free(v, n);
		put_link(&m, is32, d, 0x7ffff7fc3000 & mask, base + 0x860, 0x7ffff7ffce80 & mask, d, c);
		n = image_link_map(mem_read, &m, is32, rd, &v);
		assert_int_equal(n, 4);
		image_objects_free(v, n);
		/* so does an entry that cannot be read */
		put_link(&m, is32, c, 0x7ffff7dd3000 & mask, base + 0x830, 0x7ffff7f9c940 & mask, 0x10000, b);
		n = image_link_map(mem_read, &m, is32, rd, &v);
		assert_int_equal(n, 3);
		image_objects_free(v, n);
		/* a list not set up yet (r_map NULL) has nothing; r_debug unreadable is an error */
		put_r_debug(&m, is32, rd, 1, 0, 0);
		n = image_link_map(mem_read, &m, is32, rd, &v);
		assert_int_equal(n, 0);
		image_objects_free(v, n);
		assert_int_equal(image_link_map(mem_read, &m, is32, 0x20000, &v), -1);
		assert_null(v);
		assert_int_equal(image_link_map(mem_read, &m, is32, 0, &v), -1);
	}
}

static void test_link_map_namespaces(void **state)
{
	for (int is32 = 0; is32 < 2; is32++) {
		struct mem m = { 0 };
		uint64_t base = is32 ? 0xf7ff0000 : 0x7ffff7ff0000;
		mem_map(&m, base, 0x2000);
		uint64_t rd0 = base, rd1 = base + 0x80, a = base + 0x100, b = base + 0x200;
		put_str(&m, base + 0x800, "");
		put_str(&m, base + 0x810, "/opt/lib/libplug.so");
		/* r_version 2: r_next chains the r_debug of a dlmopen namespace */
		put_r_debug(&m, is32, rd0, 2, a, rd1);
		put_r_debug(&m, is32, rd1, 2, b, 0);
		put_link(&m, is32, a, 0x1000, base + 0x800, 0x3dc8, 0, 0);
		put_link(&m, is32, b, 0x2000, base + 0x810, 0x5dc8, 0, 0);
		struct image_object *v = NULL;
		int n = image_link_map(mem_read, &m, is32, rd0, &v);
		assert_int_equal(n, 2);
		assert_string_equal(v[1].name, "/opt/lib/libplug.so");
		assert_int_equal(v[1].bias, 0x2000);
		image_objects_free(v, n);
		/* version 1 has no r_next: whatever follows is not read as one */
		put_r_debug(&m, is32, rd0, 1, a, rd1);
		n = image_link_map(mem_read, &m, is32, rd0, &v);
		assert_int_equal(n, 1);
		image_objects_free(v, n);
		/* an r_next cycle ends */
		put_r_debug(&m, is32, rd0, 2, a, rd1);
		put_r_debug(&m, is32, rd1, 2, b, rd0);
		n = image_link_map(mem_read, &m, is32, rd0, &v);
		assert_int_equal(n, 2);
		image_objects_free(v, n);
	}
}

static void test_link_map_names(void **state)
{
	struct mem m = { 0 };
	uint64_t base = 0x7ffff7ff0000;
	mem_map(&m, base, 0x1000);
	struct region *tail = mem_map(&m, 0x7ffff8000000, 0);
	/* a name longer than one read, and one that ends exactly at the end of its mapping */
	char longname[600];
	memset(longname, 'x', sizeof(longname));
	longname[0] = '/';
	longname[sizeof(longname) - 1] = 0;
	put_str(&m, base + 0x400, longname);
	const char *edge = "/lib/edge.so";
	tail->len = strlen(edge) + 1;
	memcpy(tail->bytes, edge, tail->len);
	put_r_debug(&m, 0, base, 1, base + 0x100, 0);
	put_link(&m, 0, base + 0x100, 0x1000, base + 0x400, 0x10, base + 0x200, 0);
	put_link(&m, 0, base + 0x200, 0x2000, tail->addr, 0x20, base + 0x300, 0);
	/* l_name NULL or unreadable gives an empty name, not a failure */
	put_link(&m, 0, base + 0x300, 0x3000, 0x10, 0x30, 0, 0);
	struct image_object *v = NULL;
	int n = image_link_map(mem_read, &m, 0, base, &v);
	assert_int_equal(n, 3);
	assert_string_equal(v[0].name, longname);
	assert_string_equal(v[1].name, edge);
	assert_string_equal(v[2].name, "");
	image_objects_free(v, n);
}

/* ---- the vDSO's image ---- */

static size_t build_elf64(unsigned char *buf, size_t cap)
{
	memset(buf, 0, cap);
	Elf64_Ehdr eh = { 0 };
	memcpy(eh.e_ident, ELFMAG, SELFMAG);
	eh.e_ident[EI_CLASS] = ELFCLASS64;
	eh.e_ident[EI_DATA] = ELFDATA2LSB;
	eh.e_type = ET_DYN;
	eh.e_phoff = sizeof(eh);
	eh.e_phentsize = sizeof(Elf64_Phdr);
	eh.e_phnum = 2;
	eh.e_shoff = 0x1400;
	eh.e_shentsize = sizeof(Elf64_Shdr);
	eh.e_shnum = 4;
	memcpy(buf, &eh, sizeof(eh));
	Elf64_Phdr ph[2] = { { 0 } };
	ph[0].p_type = PT_LOAD;
	ph[0].p_filesz = ph[0].p_memsz = 0x1200;
	ph[0].p_align = 0x1000;
	ph[1].p_type = PT_DYNAMIC;
	ph[1].p_offset = ph[1].p_vaddr = 0x300;
	ph[1].p_filesz = 0x100;
	memcpy(buf + sizeof(eh), ph, sizeof(ph));
	return 0x1400 + 4 * sizeof(Elf64_Shdr);
}

static void test_read_elf(void **state)
{
	struct mem m = { 0 };
	struct region *r = mem_map(&m, 0x7ffff7fc1000, 0x2000);
	size_t want = build_elf64(r->bytes, sizeof(r->bytes));
	unsigned char *img = NULL;
	size_t size = 0;
	assert_int_equal(image_read_elf(mem_read, &m, 0, r->addr, 1 << 20, &img, &size), 0);
	assert_int_equal(size, want);
	assert_memory_equal(img, r->bytes, size);
	free(img);
	/* the wrong class for the process */
	assert_int_equal(image_read_elf(mem_read, &m, 1, r->addr, 1 << 20, &img, &size), -1);
	/* larger than allowed */
	assert_int_equal(image_read_elf(mem_read, &m, 0, r->addr, 0x1000, &img, &size), -1);
	/* cut short by the end of the mapping */
	r->len = 0x1200;
	assert_int_equal(image_read_elf(mem_read, &m, 0, r->addr, 1 << 20, &img, &size), -1);
	r->len = 0x2000;
	/* program headers of the wrong size, or no ELF at all */
	Elf64_Ehdr eh;
	memcpy(&eh, r->bytes, sizeof(eh));
	eh.e_phentsize = 12;
	memcpy(r->bytes, &eh, sizeof(eh));
	assert_int_equal(image_read_elf(mem_read, &m, 0, r->addr, 1 << 20, &img, &size), -1);
	r->bytes[1] = 'X';
	assert_int_equal(image_read_elf(mem_read, &m, 0, r->addr, 1 << 20, &img, &size), -1);
	assert_int_equal(image_read_elf(mem_read, &m, 0, 0x1000, 1 << 20, &img, &size), -1);
}

static void test_read_elf32(void **state)
{
	struct mem m = { 0 };
	struct region *r = mem_map(&m, 0xf7fc1000, 0x2000);
	Elf32_Ehdr eh = { 0 };
	memcpy(eh.e_ident, ELFMAG, SELFMAG);
	eh.e_ident[EI_CLASS] = ELFCLASS32;
	eh.e_ident[EI_DATA] = ELFDATA2LSB;
	eh.e_phoff = sizeof(eh);
	eh.e_phentsize = sizeof(Elf32_Phdr);
	eh.e_phnum = 1;
	memcpy(r->bytes, &eh, sizeof(eh));
	Elf32_Phdr ph = { 0 };
	ph.p_type = PT_LOAD;
	ph.p_filesz = ph.p_memsz = 0x1a37;
	memcpy(r->bytes + sizeof(eh), &ph, sizeof(ph));
	unsigned char *img = NULL;
	size_t size = 0;
	/* without section headers the segments' file bytes give the length */
	assert_int_equal(image_read_elf(mem_read, &m, 1, r->addr, 1 << 20, &img, &size), 0);
	assert_int_equal(size, 0x1a37);
	free(img);
}

/* ---- objects whose file is gone: headers and segments from memory ---- */

/* A loaded 64-bit object at base: headers in the first page, a data
 * segment whose file offset (0x2df8) differs from its address (0x3df8). */
static void map_loaded(struct mem *m, uint64_t base)
{
	struct region *text = mem_map(m, base, 0x1000);
	struct region *data = mem_map(m, base + 0x3000, 0x2000);
	Elf64_Ehdr eh = { 0 };
	memcpy(eh.e_ident, ELFMAG, SELFMAG);
	eh.e_ident[EI_CLASS] = ELFCLASS64;
	eh.e_ident[EI_DATA] = ELFDATA2LSB;
	eh.e_type = ET_DYN;
	eh.e_entry = 0x640;
	eh.e_phoff = sizeof(eh);
	eh.e_phentsize = sizeof(Elf64_Phdr);
	eh.e_phnum = 3;
	eh.e_shoff = 0x3400;	/* never loaded */
	eh.e_shentsize = sizeof(Elf64_Shdr);
	eh.e_shnum = 30;
	eh.e_shstrndx = 29;
	memcpy(text->bytes, &eh, sizeof(eh));
	Elf64_Phdr ph[3] = { { 0 } };
	ph[0].p_type = PT_PHDR;
	ph[0].p_offset = ph[0].p_vaddr = sizeof(eh);
	ph[0].p_filesz = ph[0].p_memsz = sizeof(ph);
	ph[1].p_type = PT_LOAD;
	ph[1].p_filesz = ph[1].p_memsz = 0x800;
	ph[1].p_align = 0x1000;
	ph[2].p_type = PT_LOAD;
	ph[2].p_offset = 0x2df8;
	ph[2].p_vaddr = 0x3df8;
	ph[2].p_filesz = 0x100;
	ph[2].p_memsz = 0x300;
	ph[2].p_align = 0x1000;
	memcpy(text->bytes + sizeof(eh), ph, sizeof(ph));
	memcpy(text->bytes + 0x700, "text bytes", 10);
	memcpy(data->bytes + 0xdf8, "data bytes", 10);
}

static void test_read_headers(void **state)
{
	struct mem m = { 0 };
	uint64_t base = 0x7ffff7f00000;
	map_loaded(&m, base);
	struct image_headers h;
	assert_int_equal(image_read_headers(mem_read, &m, 0, base, &h), 0);
	assert_int_equal(h.e_type, ET_DYN);
	assert_int_equal(h.e_entry, 0x640);
	assert_int_equal(h.nph, 3);
	assert_int_equal(h.ph[2].type, PT_LOAD);
	assert_int_equal(h.ph[2].vaddr, 0x3df8);
	free(h.ph);
	/* the main program's headers straight from AT_PHDR */
	struct image_phdr *ph = NULL;
	assert_int_equal(image_read_phdrs(mem_read, &m, 0, base + sizeof(Elf64_Ehdr), 3, &ph), 0);
	assert_int_equal(ph[1].type, PT_LOAD);
	assert_int_equal(ph[1].filesz, 0x800);
	free(ph);
	assert_int_equal(image_read_phdrs(mem_read, &m, 0, base + 0xff0, 3, &ph), -1);	/* runs off the page */
	/* not an ELF header, or not this class */
	assert_int_equal(image_read_headers(mem_read, &m, 0, base + 0x10, &h), -1);
	assert_int_equal(image_read_headers(mem_read, &m, 1, base, &h), -1);
	char *str = image_read_string(mem_read, &m, base + 0x700, 4);
	assert_string_equal(str, "text");
	free(str);
	str = image_read_string(mem_read, &m, 0x1000, 64);
	assert_string_equal(str, "");
	free(str);
}

static void test_read_segments(void **state)
{
	struct mem m = { 0 };
	uint64_t base = 0x7ffff7f00000;
	map_loaded(&m, base);
	unsigned char *img = NULL;
	size_t size = 0;
	uint64_t bias = 0;
	assert_int_equal(image_read_segments(mem_read, &m, 0, base, 1 << 20, &img, &size, &bias), 0);
	assert_int_equal(bias, base);
	assert_int_equal(size, 0x2df8 + 0x100);
	/* each segment back at its file offset */
	assert_memory_equal(img + 0x700, "text bytes", 10);
	assert_memory_equal(img + 0x2df8, "data bytes", 10);
	/* between segments, nothing */
	for (size_t i = 0x800; i < 0x2df8; i++)
		assert_int_equal(img[i], 0);
	Elf64_Ehdr eh;
	memcpy(&eh, img, sizeof(eh));
	assert_int_equal(eh.e_phnum, 3);
	assert_int_equal(eh.e_shoff, 0);
	assert_int_equal(eh.e_shnum, 0);
	assert_int_equal(eh.e_shstrndx, 0);
	free(img);
	/* an unreadable data page leaves zeros, not a failure */
	m.n = 1;
	assert_int_equal(image_read_segments(mem_read, &m, 0, base, 1 << 20, &img, &size, &bias), 0);
	assert_int_equal(img[0x2df8], 0);
	assert_memory_equal(img + 0x700, "text bytes", 10);
	free(img);
	/* too large, or no header there */
	assert_int_equal(image_read_segments(mem_read, &m, 0, base, 0x1000, &img, &size, &bias), -1);
	assert_int_equal(image_read_segments(mem_read, &m, 0, base + 0x100, 1 << 20, &img, &size, &bias), -1);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_main_bias),
		cmocka_unit_test(test_bias_at_header),
		cmocka_unit_test(test_load_range),
		cmocka_unit_test(test_dt_debug),
		cmocka_unit_test(test_link_map),
		cmocka_unit_test(test_link_map_namespaces),
		cmocka_unit_test(test_link_map_names),
		cmocka_unit_test(test_read_elf),
		cmocka_unit_test(test_read_elf32),
		cmocka_unit_test(test_read_headers),
		cmocka_unit_test(test_read_segments),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
