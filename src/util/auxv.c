/*
 * auxv.c — the ELF auxiliary vector (contract in auxv.h).
 */
#include "util/auxv.h"

#include <string.h>

int auxv_find(const void *raw, size_t n, int is32, uint64_t type, uint64_t *value)
{
	const unsigned char *p = raw;
	size_t w = is32 ? 4 : 8;
	for (size_t off = 0; p && off + 2 * w <= n; off += 2 * w) {
		uint64_t key = 0, val = 0;
		memcpy(&key, p + off, w);	/* little-endian: the low bytes */
		memcpy(&val, p + off + w, w);
		if (key == AUXV_NULL)
			break;
		if (key == type) {
			*value = val;
			return 0;
		}
	}
	return -1;
}
