/*
 * memmap.h — the process's memory map as dr7 explains it (`!address`, `s`):
 * the backend's mappings (target_memory_regions) with what each region is,
 * decided here from the module list and the threads' stack pointers, never
 * from how a backend names things beyond its region names.
 */
#ifndef DR7_MEMMAP_H
#define DR7_MEMMAP_H

#include <stdint.h>

#include "engine/session.h"

enum mem_usage {
	MEM_USAGE_IMAGE,	/* inside a module's range (its file, its .bss, the vDSO) */
	MEM_USAGE_STACK,	/* holds a thread's stack pointer, or the kernel's [stack] */
	MEM_USAGE_HEAP,		/* the brk heap ([heap]) */
	MEM_USAGE_FILE,		/* a file mapped outside any module */
	MEM_USAGE_SPECIAL,	/* the kernel's other regions: [vvar], [vsyscall] */
	MEM_USAGE_ANON,		/* anonymous memory nothing else explains (mmap, thread arenas) */
};

struct mem_region {
	uint64_t start, end;
	unsigned prot;		/* REGION_* (target.h) */
	uint64_t offset;
	const char *name;	/* the backend's: a path, "[heap]", ... or "" */
	enum mem_usage usage;
	const char *module;	/* MEM_USAGE_IMAGE: the module's WinDbg name, else NULL */
	const char *module_path;	/* MEM_USAGE_IMAGE: the module's path */
	int thread_index;	/* MEM_USAGE_STACK: the thread's number, -1 when none is known */
	pid_t tid;
	/* Start of the allocation the region belongs to: consecutive regions
	 * mapping one file contiguously (or one module) share it. */
	uint64_t alloc_start;
};

struct mem_map {
	struct mem_region *v;
	int n;
	struct target_region *raw;	/* owns the names */
	int nraw;
};

/* The map of the current process: 0, or -1 (error slot set). */
int session_memory_map(struct session *s, struct mem_map *out);
void mem_map_free(struct mem_map *m);
/* The region holding addr, or NULL (addr is in no mapping). */
const struct mem_region *mem_map_find(const struct mem_map *m, uint64_t addr);

#endif
