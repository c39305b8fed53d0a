/*
 * symimage.c — the objects of a process image from the auxiliary vector,
 * program headers and the dynamic linker's lists (contract in symimage.h).
 *
 * Layouts (System V ABI, <link.h>), in words of the process (4 or 8 bytes):
 *   struct r_debug   { int r_version; link_map *r_map; Addr r_brk;
 *                      int r_state; Addr r_ldbase; r_debug *r_next; }
 *                    (r_next only when r_version >= 2)
 *   struct link_map  { Addr l_addr; char *l_name; Dyn *l_ld;
 *                      link_map *l_next, *l_prev; }
 * An int field takes a whole word slot because the next field is
 * word-aligned.  All values are little-endian (x86).
 */
#include "sym/symimage.h"

#include <elf.h>
#include <stdlib.h>
#include <string.h>

#include "util/util.h"

/* Longest l_name read; a longer one is cut (the file then will not open). */
#define MAX_NAME 4096

static uint64_t word_at(const unsigned char *p, size_t w)
{
	uint64_t v = 0;
	memcpy(&v, p, w);
	return v;
}

static int read_all(image_read_fn read, void *user, uint64_t addr, void *buf, size_t n)
{
	return read(user, addr, buf, n) == (int)n ? 0 : -1;
}

int image_main_bias(const struct image_phdr *ph, size_t n, int is_exec, uint64_t e_entry,
		    uint64_t at_phdr, uint64_t at_entry, uint64_t *bias)
{
	if (is_exec) {
		*bias = 0;	/* absolute addresses: nothing moves */
		return 0;
	}
	for (size_t i = 0; i < n && at_phdr; i++) {
		if (ph[i].type == PT_PHDR) {
			*bias = at_phdr - ph[i].vaddr;
			return 0;
		}
	}
	if (at_entry && e_entry) {
		*bias = at_entry - e_entry;
		return 0;
	}
	return -1;
}

int image_bias_at_header(const struct image_phdr *ph, size_t n, uint64_t header_addr, uint64_t *bias)
{
	for (size_t i = 0; i < n; i++) {
		if (ph[i].type != PT_LOAD || ph[i].offset != 0)
			continue;
		*bias = header_addr - ph[i].vaddr;
		return 0;
	}
	return -1;
}

int image_load_range(const struct image_phdr *ph, size_t n, uint64_t bias, uint64_t *lo, uint64_t *hi)
{
	int seen = 0;
	uint64_t first = 0, end = 0;
	for (size_t i = 0; i < n; i++) {
		if (ph[i].type != PT_LOAD)
			continue;
		if (ph[i].vaddr + ph[i].memsz < ph[i].vaddr)
			return -1;
		uint64_t align = ph[i].align > 1 && !(ph[i].align & (ph[i].align - 1)) ? ph[i].align : 1;
		if (!seen)
			first = ph[i].vaddr & ~(align - 1);
		if (ph[i].vaddr + ph[i].memsz > end)
			end = ph[i].vaddr + ph[i].memsz;
		seen = 1;
	}
	if (!seen || end <= first || end - first > IMAGE_MAX_SPAN)
		return -1;
	*lo = first + bias;
	*hi = end + bias;
	return 0;
}

int image_dt_debug(image_read_fn read, void *user, int is32, uint64_t dyn, uint64_t size,
		   uint64_t *r_debug)
{
	size_t w = is32 ? 4 : 8;
	unsigned char ent[16];
	if (size > 2 * w * IMAGE_MAX_OBJECTS)
		size = 2 * w * IMAGE_MAX_OBJECTS;
	for (uint64_t off = 0; dyn && off + 2 * w <= size; off += 2 * w) {
		if (read_all(read, user, dyn + off, ent, 2 * w) < 0)
			return -1;
		uint64_t tag = word_at(ent, w);
		if (tag == DT_NULL)
			break;
		if (tag == DT_DEBUG) {
			*r_debug = word_at(ent + w, w);
			return *r_debug ? 0 : -1;
		}
	}
	return -1;
}

/* Read in pieces so that a short string near the end of a mapping still reads. */
char *image_read_string(image_read_fn read, void *user, uint64_t addr, size_t max)
{
	struct sbuf sb = { 0 };
	char chunk[128];
	while (addr && sb.len < max) {
		size_t want = max - sb.len < sizeof(chunk) ? max - sb.len : sizeof(chunk);
		int got = read(user, addr, chunk, want);
		if (got <= 0)
			break;
		size_t len = strnlen(chunk, (size_t)got);
		sb_addn(&sb, chunk, len);
		if (len < (size_t)got)
			break;
		addr += (uint64_t)got;
	}
	char *s = xstrdup(sb_str(&sb));
	sb_free(&sb);
	return s;
}

struct walk {
	image_read_fn read;
	void *user;
	size_t w;
	struct image_object *v;
	int n, cap;
};

/* Appends the chain starting at lm; stops at a repeat of the chain's first
 * entry or of the previous one, at an unreadable entry, or at the bound. */
static void walk_chain(struct walk *wk, uint64_t lm)
{
	uint64_t first = lm, prev = 0;
	size_t w = wk->w;
	unsigned char raw[5 * 8];
	while (lm && wk->n < IMAGE_MAX_OBJECTS) {
		if (read_all(wk->read, wk->user, lm, raw, 4 * w) < 0)
			break;
		if (wk->n == wk->cap) {
			wk->cap = wk->cap ? wk->cap * 2 : 16;
			wk->v = xrealloc(wk->v, (size_t)wk->cap * sizeof(*wk->v));
		}
		struct image_object *o = &wk->v[wk->n++];
		o->bias = word_at(raw, w);
		o->name = image_read_string(wk->read, wk->user, word_at(raw + w, w), MAX_NAME);
		o->dyn = word_at(raw + 2 * w, w);
		uint64_t next = word_at(raw + 3 * w, w);
		if (next == lm || next == first || next == prev)
			break;
		prev = lm;
		lm = next;
	}
}

int image_link_map(image_read_fn read, void *user, int is32, uint64_t r_debug, struct image_object **out)
{
	struct walk wk = { .read = read, .user = user, .w = is32 ? 4 : 8 };
	size_t w = wk.w;
	unsigned char raw[6 * 8];
	*out = NULL;
	if (!r_debug || read_all(read, user, r_debug, raw, 2 * w) < 0)
		return -1;
	/* Namespaces are few; the bound guards against a longer cycle. */
	uint64_t first = r_debug;
	for (int ns = 0; r_debug && ns < 256; ns++) {
		if (ns > 0 && read_all(read, user, r_debug, raw, 2 * w) < 0)
			break;
		uint32_t version = (uint32_t)word_at(raw, 4);
		walk_chain(&wk, word_at(raw + w, w));
		if (version < 2 || read_all(read, user, r_debug, raw, 6 * w) < 0)
			break;
		uint64_t next = word_at(raw + 5 * w, w);
		r_debug = next == r_debug || next == first ? 0 : next;
	}
	*out = wk.v;
	return wk.n;
}

void image_objects_free(struct image_object *v, int n)
{
	for (int i = 0; i < n; i++)
		free(v[i].name);
	free(v);
}

int image_read_phdrs(image_read_fn read, void *user, int is32, uint64_t addr, size_t n,
		     struct image_phdr **out)
{
	size_t ent = is32 ? sizeof(Elf32_Phdr) : sizeof(Elf64_Phdr);
	*out = NULL;
	if (n == 0 || n > 4096)
		return -1;
	unsigned char *raw = xmalloc(n * ent);
	if (read_all(read, user, addr, raw, n * ent) < 0) {
		free(raw);
		return -1;
	}
	struct image_phdr *v = xcalloc(n, sizeof(*v));
	for (size_t i = 0; i < n; i++) {
		if (is32) {
			Elf32_Phdr p;
			memcpy(&p, raw + i * ent, sizeof(p));
			v[i] = (struct image_phdr){ p.p_type, p.p_offset, p.p_vaddr, p.p_filesz, p.p_memsz, p.p_align };
		} else {
			Elf64_Phdr p;
			memcpy(&p, raw + i * ent, sizeof(p));
			v[i] = (struct image_phdr){ p.p_type, p.p_offset, p.p_vaddr, p.p_filesz, p.p_memsz, p.p_align };
		}
	}
	free(raw);
	*out = v;
	return 0;
}

int image_read_headers(image_read_fn read, void *user, int is32, uint64_t addr, struct image_headers *out)
{
	unsigned char eh[sizeof(Elf64_Ehdr)];
	size_t ehsize = is32 ? sizeof(Elf32_Ehdr) : sizeof(Elf64_Ehdr);
	memset(out, 0, sizeof(*out));
	if (read_all(read, user, addr, eh, ehsize) < 0 || memcmp(eh, ELFMAG, SELFMAG) != 0 ||
	    eh[EI_CLASS] != (is32 ? ELFCLASS32 : ELFCLASS64) || eh[EI_DATA] != ELFDATA2LSB)
		return -1;
	unsigned phnum, phentsize;
	if (is32) {
		Elf32_Ehdr h;
		memcpy(&h, eh, sizeof(h));
		out->e_type = h.e_type, out->e_entry = h.e_entry, out->e_phoff = h.e_phoff;
		phnum = h.e_phnum, phentsize = h.e_phentsize;
	} else {
		Elf64_Ehdr h;
		memcpy(&h, eh, sizeof(h));
		out->e_type = h.e_type, out->e_entry = h.e_entry, out->e_phoff = h.e_phoff;
		phnum = h.e_phnum, phentsize = h.e_phentsize;
	}
	if (phentsize != (is32 ? sizeof(Elf32_Phdr) : sizeof(Elf64_Phdr)) || out->e_phoff > 65536)
		return -1;
	if (image_read_phdrs(read, user, is32, addr + out->e_phoff, phnum, &out->ph) < 0)
		return -1;
	out->nph = phnum;
	return 0;
}

int image_read_segments(image_read_fn read, void *user, int is32, uint64_t header_addr, size_t max,
			unsigned char **image, size_t *size, uint64_t *bias)
{
	struct image_headers h;
	if (image_read_headers(read, user, is32, header_addr, &h) < 0)
		return -1;
	uint64_t end = 0;
	int ok = image_bias_at_header(h.ph, h.nph, header_addr, bias) == 0;
	for (size_t i = 0; ok && i < h.nph; i++) {
		if (h.ph[i].type != PT_LOAD)
			continue;
		if (h.ph[i].offset > max || h.ph[i].filesz > max - h.ph[i].offset)
			ok = 0;
		else if (h.ph[i].offset + h.ph[i].filesz > end)
			end = h.ph[i].offset + h.ph[i].filesz;
	}
	size_t ehsize = is32 ? sizeof(Elf32_Ehdr) : sizeof(Elf64_Ehdr);
	if (!ok || end < ehsize) {
		free(h.ph);
		return -1;
	}
	unsigned char *buf = xcalloc(1, (size_t)end);
	for (size_t i = 0; i < h.nph; i++) {
		const struct image_phdr *p = &h.ph[i];
		uint64_t done = 0;
		while (p->type == PT_LOAD && done < p->filesz) {
			size_t want = p->filesz - done > 65536 ? 65536 : (size_t)(p->filesz - done);
			uint64_t at = *bias + p->vaddr + done;
			int got = read(user, at, buf + p->offset + done, want);
			/* An unreadable page stays zero; go on at the next one. */
			done += got > 0 ? (uint64_t)got : 4096 - (at & 4095);
		}
	}
	free(h.ph);
	/* The section headers were never loaded: say there are none. */
	if (is32) {
		Elf32_Ehdr eh;
		memcpy(&eh, buf, sizeof(eh));
		eh.e_shoff = 0, eh.e_shnum = 0, eh.e_shstrndx = 0;
		memcpy(buf, &eh, sizeof(eh));
	} else {
		Elf64_Ehdr eh;
		memcpy(&eh, buf, sizeof(eh));
		eh.e_shoff = 0, eh.e_shnum = 0, eh.e_shstrndx = 0;
		memcpy(buf, &eh, sizeof(eh));
	}
	*image = buf;
	*size = (size_t)end;
	return 0;
}

int image_read_elf(image_read_fn read, void *user, int is32, uint64_t addr, size_t max,
		   unsigned char **image, size_t *size)
{
	unsigned char eh[sizeof(Elf64_Ehdr)];
	size_t ehsize = is32 ? sizeof(Elf32_Ehdr) : sizeof(Elf64_Ehdr);
	if (read_all(read, user, addr, eh, ehsize) < 0 || memcmp(eh, ELFMAG, SELFMAG) != 0 ||
	    eh[EI_CLASS] != (is32 ? ELFCLASS32 : ELFCLASS64) || eh[EI_DATA] != ELFDATA2LSB)
		return -1;
	uint64_t phoff, shoff;
	unsigned phnum, phentsize, shnum, shentsize;
	if (is32) {
		Elf32_Ehdr h;
		memcpy(&h, eh, sizeof(h));
		phoff = h.e_phoff, shoff = h.e_shoff;
		phnum = h.e_phnum, phentsize = h.e_phentsize, shnum = h.e_shnum, shentsize = h.e_shentsize;
	} else {
		Elf64_Ehdr h;
		memcpy(&h, eh, sizeof(h));
		phoff = h.e_phoff, shoff = h.e_shoff;
		phnum = h.e_phnum, phentsize = h.e_phentsize, shnum = h.e_shnum, shentsize = h.e_shentsize;
	}
	size_t want_ph = is32 ? sizeof(Elf32_Phdr) : sizeof(Elf64_Phdr);
	if (phnum == 0 || phentsize != want_ph || phoff > max || (uint64_t)phnum * phentsize > max - phoff)
		return -1;
	uint64_t end = ehsize;
	if (shnum && shoff <= max && (uint64_t)shnum * shentsize <= max - shoff)
		end = shoff + (uint64_t)shnum * shentsize;
	if (phoff + (uint64_t)phnum * phentsize > end)
		end = phoff + (uint64_t)phnum * phentsize;
	for (unsigned i = 0; i < phnum; i++) {
		unsigned char raw[sizeof(Elf64_Phdr)];
		if (read_all(read, user, addr + phoff + (uint64_t)i * phentsize, raw, phentsize) < 0)
			return -1;
		uint32_t type;
		uint64_t off, filesz;
		if (is32) {
			Elf32_Phdr p;
			memcpy(&p, raw, sizeof(p));
			type = p.p_type, off = p.p_offset, filesz = p.p_filesz;
		} else {
			Elf64_Phdr p;
			memcpy(&p, raw, sizeof(p));
			type = p.p_type, off = p.p_offset, filesz = p.p_filesz;
		}
		if (type != PT_LOAD)
			continue;
		if (off > max || filesz > max - off)
			return -1;
		if (off + filesz > end)
			end = off + filesz;
	}
	unsigned char *buf = xmalloc((size_t)end);
	if (read_all(read, user, addr, buf, (size_t)end) < 0) {
		free(buf);
		return -1;
	}
	*image = buf;
	*size = (size_t)end;
	return 0;
}
