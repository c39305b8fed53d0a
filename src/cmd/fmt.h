/*
 * fmt.h — the exact text of WinDbg's displays that do not need the engine:
 * addresses, the register block, memory dump lines, `?` results.
 * Pure: libc, util.h and regs.h only.  Formats: windbg-commands.md §0.4,
 * §2.7, §7.2, §8.2.
 */
#ifndef DR7_FMT_H
#define DR7_FMT_H

#include <stddef.h>
#include <stdint.h>

#include "x86/regs.h"
#include "util/util.h"

/* 64-bit: "00007fff`12345678"; 32-bit (is32): "0804a01c". */
void fmt_addr(struct sbuf *sb, uint64_t addr, int is32);
/* "Evaluate expression: <signed decimal> = <address form>" (no newline). */
void fmt_eval(struct sbuf *sb, uint64_t value, int is32);
/* Full register block of §7.2 (x64) or the x86 layout (is32), each line ending in '\n'. */
void fmt_regs(struct sbuf *sb, const struct regs *r, int is32);
/* The same block for an outer frame (.frame /r): a register whose bit
 * (1 << enum reg_index) is clear in known prints as '?' digits. */
void fmt_regs_known(struct sbuf *sb, const struct regs *r, int is32, uint64_t known);

/*
 * One line of a d* dump.  unit: 1, 2, 4, 8 (db dw dd dq); ascii adds the
 * character column (db, dc).  valid[i] is 0 for bytes that could not be read
 * (printed as '?' per hex digit).  n is the number of bytes on this line;
 * a short last line is padded so the ASCII column stays aligned.
 * per_line is the byte width of a full line (16 for all standard formats).
 */
void fmt_dump_line(struct sbuf *sb, uint64_t addr, const uint8_t *bytes, const uint8_t *valid,
		   size_t n, int unit, int ascii, size_t per_line, int is32);

/*
 * One line of dD (doubles, 8 bytes, 3 a line) or df (floats, 4 bytes, 4 a
 * line): the address, two spaces, each value in %g form with the type's
 * precision (15 and 7 significant digits), right-aligned in 22 or 15
 * columns, one space apart.  A value with an unreadable byte is '?'s.
 */
#define FMT_DOUBLES_PER_LINE 3
#define FMT_FLOATS_PER_LINE 4
void fmt_float_line(struct sbuf *sb, uint64_t addr, const uint8_t *bytes, const uint8_t *valid,
		    size_t n, int is_double, int is32);

#endif
