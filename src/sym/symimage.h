/*
 * symimage.h — where the objects of a process image are, from what every
 * backend can give: the auxiliary vector, program headers, and the dynamic
 * linker's r_debug / link_map lists read through a memory callback (the
 * System V ABI layouts, for 32- and 64-bit processes).
 *
 * Pure: no libdwfl, no files, no process access of its own; only sym.c
 * uses it.  Memory comes through image_read_fn, which returns the number of
 * bytes read like target_read (anything short counts as unreadable).  Every
 * walk is bounded (IMAGE_MAX_OBJECTS entries, a cycle ends it), so a
 * damaged or hostile list ends a walk early but never hangs or overruns.
 */
#ifndef DR7_SYMIMAGE_H
#define DR7_SYMIMAGE_H

#include <stddef.h>
#include <stdint.h>

#define IMAGE_MAX_OBJECTS 4096
/* Largest plausible span of one object's segments: more means a corrupt header. */
#define IMAGE_MAX_SPAN (1ULL << 40)

typedef int (*image_read_fn)(void *user, uint64_t addr, void *buf, size_t n);

/* One program header, whatever the ELF class. */
struct image_phdr {
	uint32_t type;		/* PT_* */
	uint64_t offset, vaddr, filesz, memsz, align;
};

/*
 * Load bias of the main program (runtime address minus file address) from
 * its program headers and the auxiliary vector: AT_PHDR against PT_PHDR,
 * else AT_ENTRY against e_entry, else 0 for an ET_EXEC file.  0, or -1.
 */
int image_main_bias(const struct image_phdr *ph, size_t n, int is_exec, uint64_t e_entry,
		    uint64_t at_phdr, uint64_t at_entry, uint64_t *bias);

/*
 * Load bias of an object whose ELF header is mapped at header_addr (the
 * interpreter at AT_BASE, the vDSO at AT_SYSINFO_EHDR): the header lies at
 * file offset 0, inside the PT_LOAD segment that maps offset 0.  0, or -1.
 */
int image_bias_at_header(const struct image_phdr *ph, size_t n, uint64_t header_addr, uint64_t *bias);

/*
 * The runtime range of an object's PT_LOAD segments: from the first
 * segment's address rounded down to its alignment to the end of the
 * highest one (bss included).  0, or -1 when there is no segment or the
 * span is not plausible (wraps, or exceeds IMAGE_MAX_SPAN).
 */
int image_load_range(const struct image_phdr *ph, size_t n, uint64_t bias, uint64_t *lo, uint64_t *hi);

/*
 * r_debug's address from DT_DEBUG in the dynamic section at dyn (runtime
 * address, size bytes).  0, or -1 when there is none or it is still 0 (the
 * dynamic linker fills it in while the program starts).
 */
int image_dt_debug(image_read_fn read, void *user, int is32, uint64_t dyn, uint64_t size,
		   uint64_t *r_debug);

/* One link_map entry. */
struct image_object {
	uint64_t bias;		/* l_addr */
	uint64_t dyn;		/* l_ld: the object's dynamic section */
	char *name;		/* l_name as the dynamic linker wrote it ("" for the main program) */
};

/*
 * The objects r_debug lists, in list order, followed by those of the other
 * link-map namespaces chained through r_next (r_version >= 2, dlmopen).  A
 * NULL r_map (the list is not set up yet) gives none.  Returns the count
 * and the array in *out (free with image_objects_free), or -1 when r_debug
 * itself cannot be read.
 */
int image_link_map(image_read_fn read, void *user, int is32, uint64_t r_debug, struct image_object **out);
void image_objects_free(struct image_object *v, int n);

/* An object's ELF header and program headers as mapped in memory. */
struct image_headers {
	uint16_t e_type;
	uint64_t e_entry;
	uint64_t e_phoff;
	struct image_phdr *ph;	/* malloc'd */
	size_t nph;
};

/*
 * n program headers of the process's class at addr (the main program's
 * are at AT_PHDR, AT_PHNUM of them).  0 with *out (malloc'd), or -1.
 */
int image_read_phdrs(image_read_fn read, void *user, int is32, uint64_t addr, size_t n,
		     struct image_phdr **out);

/*
 * The ELF header at addr and the program headers it points to (mapped
 * right behind it, inside the segment that maps file offset 0).  0, or -1
 * when there is no sane ELF header of the process's class there.  Free
 * out->ph.
 */
int image_read_headers(image_read_fn read, void *user, int is32, uint64_t addr, struct image_headers *out);

/* A NUL-terminated string at addr, at most max bytes (malloc'd; "" when unreadable). */
char *image_read_string(image_read_fn read, void *user, uint64_t addr, size_t max);

/*
 * The file image of a loaded object rebuilt from memory, for an object
 * whose file is gone or replaced: each PT_LOAD segment's file bytes put
 * back at their file offsets (bytes memory does not give stay zero), no
 * section headers.  The header is at header_addr; *bias is the load bias
 * that follows from it.  At most max bytes.  0 with *image (malloc'd) and
 * *size, or -1.
 */
int image_read_segments(image_read_fn read, void *user, int is32, uint64_t header_addr, size_t max,
			unsigned char **image, size_t *size, uint64_t *bias);

/*
 * The ELF file image whose header is mapped at addr, read from memory (the
 * vDSO: the kernel maps its whole file).  Its length is the furthest of the
 * section header table and the segments' file bytes, at most max.  0 with
 * *image (malloc'd) and *size, or -1 when the header is not a sane ELF
 * header of that class or the bytes cannot be read.
 */
int image_read_elf(image_read_fn read, void *user, int is32, uint64_t addr, size_t max,
		   unsigned char **image, size_t *size);

#endif
