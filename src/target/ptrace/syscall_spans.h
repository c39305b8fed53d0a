/*
 * syscall_spans.h — the memory the kernel reads or writes for the system
 * calls dr7 knows, as ranges of the program's memory (x86-64 calls):
 * at entry everything it may touch, at exit what it did, and which calls
 * may run again after failing with EFAULT.
 */
#ifndef DR7_SYSCALL_SPANS_H
#define DR7_SYSCALL_SPANS_H

#include <stdint.h>

struct target;

struct sc_span {
	uint64_t addr, len;
};

/* A growing list of ranges (free with sc_spans_free). */
struct sc_spans {
	struct sc_span *v;
	int n, cap;
};

void sc_spans_free(struct sc_spans *s);

/*
 * Every range the kernel may read or write for call nr with arguments a:
 * buffers, what describes them (iovec arrays, msghdrs) and what those
 * name, results.  *len_in: a socket length argument's value at entry (how
 * much of an address the kernel may fill; 0 when none).
 */
void sc_entry_spans(struct target *t, long nr, const uint64_t *a, struct sc_spans *s, uint32_t *len_in);
/* What the kernel wrote for call nr that returned ret >= 0 (len_in from entry). */
void sc_written_spans(struct target *t, long nr, const uint64_t *a, int64_t ret, uint32_t len_in,
		      struct sc_spans *s);
/* What the kernel read from the program's buffers for call nr that returned ret >= 0. */
void sc_read_spans(struct target *t, long nr, const uint64_t *a, int64_t ret, struct sc_spans *s);

/*
 * Whether call nr, failing with EFAULT, has done nothing the program could
 * tell, so that running it again with the pages open is harmless.
 */
int sc_retry_is_harmless(long nr);

#endif
