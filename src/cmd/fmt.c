/*
 * fmt.c — byte-exact text of WinDbg displays that need no engine state:
 * addresses (§0.4), `?` results (§2.7), the `r` block (§7.2) and d* dump
 * lines (§8.2) of windbg-commands.md.
 *
 * Conventions kept by every function here: output is appended to the
 * caller's sbuf; hex is lowercase; nothing reads past the lengths it is
 * given.  Single-line outputs (fmt_addr, fmt_eval, fmt_dump_line) end
 * without a newline — the caller adds '\n' — while the multi-line register
 * block ends each of its lines with '\n'.
 */
#include "cmd/fmt.h"

#include <inttypes.h>
#include <stdio.h>
#include <string.h>

static unsigned lo32(uint64_t v)
{
	return (unsigned)(v & 0xffffffffu);
}

void fmt_addr(struct sbuf *sb, uint64_t addr, int is32)
{
	if (is32)
		sb_addf(sb, "%08x", lo32(addr));
	else
		sb_addf(sb, "%08x`%08x", (unsigned)(addr >> 32), lo32(addr));
}

/*
 * On a 32-bit target the value is shown as the target sees it: the low 32
 * bits, the decimal as a signed 32-bit number (WinDbg x86: "? -1" gives
 * "-1 = ffffffff").
 */
void fmt_eval(struct sbuf *sb, uint64_t value, int is32)
{
	if (is32)
		sb_addf(sb, "Evaluate expression: %" PRId32 " = ", (int32_t)lo32(value));
	else
		sb_addf(sb, "Evaluate expression: %" PRId64 " = ", (int64_t)value);
	fmt_addr(sb, value, is32);
}

/* A register's value in `digits` hex digits, or as many '?' when it is not known. */
static void reg_value(struct sbuf *sb, const struct regs *r, uint64_t known, int idx, int digits)
{
	if (!(known >> idx & 1)) {
		for (int i = 0; i < digits; i++)
			sb_addc(sb, '?');
		return;
	}
	uint64_t v = r->r[idx];
	if (digits == 16)
		sb_addf(sb, "%016" PRIx64, v);
	else if (digits == 8)
		sb_addf(sb, "%08x", lo32(v));
	else
		sb_addf(sb, "%04x", (unsigned)(v & 0xffff));
}

static void regs_line(struct sbuf *sb, const struct regs *r, uint64_t known, const char *const *names,
		      const int *idx, size_t n)
{
	for (size_t i = 0; i < n; i++) {
		sb_addf(sb, "%s%3s=", i ? " " : "", names[i]);
		reg_value(sb, r, known, idx[i], 16);
	}
	sb_addc(sb, '\n');
}

static void flags_text(struct sbuf *sb, const struct regs *r, uint64_t known)
{
	uint64_t efl = r->r[REG_EFL];
	if (!(known >> REG_EFL & 1)) {
		sb_add(sb, "iopl=?         ?? ?? ?? ?? ?? ?? ?? ??\n");
		return;
	}
	sb_addf(sb, "iopl=%u         ", (unsigned)((efl >> 12) & 3));
	regs_flag_text(efl, sb);
	sb_addc(sb, '\n');
}

static void segs_line(struct sbuf *sb, const struct regs *r, uint64_t known)
{
	static const struct {
		const char *name;
		int idx;
	} segs[] = {
		{ "cs", REG_CS }, { "ss", REG_SS }, { "ds", REG_DS }, { "es", REG_ES }, { "fs", REG_FS }, { "gs", REG_GS },
	};
	for (size_t i = 0; i < ARRAY_SIZE(segs); i++) {
		sb_addf(sb, "%s%s=", i ? "  " : "", segs[i].name);
		reg_value(sb, r, known, segs[i].idx, 4);
	}
	sb_add(sb, "             efl=");
	reg_value(sb, r, known, REG_EFL, 8);
	sb_addc(sb, '\n');
}

void fmt_regs(struct sbuf *sb, const struct regs *r, int is32)
{
	fmt_regs_known(sb, r, is32, UINT64_MAX);
}

void fmt_regs_known(struct sbuf *sb, const struct regs *r, int is32, uint64_t known)
{
	if (is32) {
		static const struct {
			const char *name;
			int idx;
		} gprs[] = {
			{ "eax", REG_RAX }, { "ebx", REG_RBX }, { "ecx", REG_RCX }, { "edx", REG_RDX },
			{ "esi", REG_RSI }, { "edi", REG_RDI }, { "eip", REG_RIP }, { "esp", REG_RSP }, { "ebp", REG_RBP },
		};
		for (size_t i = 0; i < ARRAY_SIZE(gprs); i++) {
			sb_addf(sb, "%s=", gprs[i].name);
			reg_value(sb, r, known, gprs[i].idx, 8);
			sb_add(sb, i == 5 ? "\n" : " ");
		}
		flags_text(sb, r, known);
		segs_line(sb, r, known);
		return;
	}

	static const struct {
		const char *names[3];
		int idx[3];
		size_t n;
	} rows[] = {
		{ { "rax", "rbx", "rcx" }, { REG_RAX, REG_RBX, REG_RCX }, 3 },
		{ { "rdx", "rsi", "rdi" }, { REG_RDX, REG_RSI, REG_RDI }, 3 },
		{ { "rip", "rsp", "rbp" }, { REG_RIP, REG_RSP, REG_RBP }, 3 },
		{ { "r8", "r9", "r10" }, { REG_R8, REG_R9, REG_R10 }, 3 },
		{ { "r11", "r12", "r13" }, { REG_R11, REG_R12, REG_R13 }, 3 },
		{ { "r14", "r15" }, { REG_R14, REG_R15 }, 2 },
	};
	for (size_t i = 0; i < ARRAY_SIZE(rows); i++)
		regs_line(sb, r, known, rows[i].names, rows[i].idx, rows[i].n);
	flags_text(sb, r, known);
	segs_line(sb, r, known);
}

/* Characters one unit takes in the hex area: 2 per byte, plus the qword backtick. */
static size_t unit_width(int unit)
{
	return (size_t)unit * 2 + (unit == 8);
}

static void dump_unit(struct sbuf *sb, const uint8_t *bytes, const uint8_t *valid, size_t off,
		      size_t n, int unit)
{
	uint64_t v = 0;
	int ok = bytes != NULL;

	for (int b = unit - 1; b >= 0 && ok; b--) {
		size_t i = off + (size_t)b;
		if (i >= n || (valid && !valid[i]))
			ok = 0;
		else
			v = v << 8 | bytes[i];
	}
	if (!ok) {
		if (unit == 8)
			sb_add(sb, "????????`????????");
		else
			sb_addn(sb, "????????", (size_t)unit * 2);
		return;
	}
	switch (unit) {
	case 1: sb_addf(sb, "%02x", (unsigned)v); break;
	case 2: sb_addf(sb, "%04x", (unsigned)v); break;
	case 4: sb_addf(sb, "%08x", (unsigned)v); break;
	default: sb_addf(sb, "%08x`%08x", (unsigned)(v >> 32), lo32(v)); break;
	}
}

/*
 * A unit that runs past n (a partial last unit) is shown as unreadable.  A
 * unit with any unreadable byte is all '?', as WinDbg reads whole units.
 * db puts '-' before the 9th byte only (the documented 16-byte layout).
 */
void fmt_dump_line(struct sbuf *sb, uint64_t addr, const uint8_t *bytes, const uint8_t *valid,
		   size_t n, int unit, int ascii, size_t per_line, int is32)
{
	if (unit != 1 && unit != 2 && unit != 4 && unit != 8)
		unit = 1;
	if (per_line == 0)
		per_line = 16;
	if (n > per_line)
		n = per_line;

	size_t u = (size_t)unit;
	size_t units = (n + u - 1) / u;
	size_t full_units = (per_line + u - 1) / u;
	size_t w = unit_width(unit);

	fmt_addr(sb, addr, is32);
	sb_add(sb, "  ");
	for (size_t k = 0; k < units; k++) {
		if (k)
			sb_addc(sb, unit == 1 && k == 8 ? '-' : ' ');
		dump_unit(sb, bytes, valid, k * u, n, unit);
	}
	if (!ascii)
		return;

	size_t used = units ? units * w + units - 1 : 0;
	size_t full = full_units * w + full_units - 1;
	for (size_t i = used; i < full + 2; i++)
		sb_addc(sb, ' ');
	for (size_t i = 0; i < n; i++) {
		char c = '?';
		if (bytes && (!valid || valid[i]))
			c = bytes[i] >= 0x20 && bytes[i] <= 0x7e ? (char)bytes[i] : '.';
		sb_addc(sb, c);
	}
}

void fmt_float_line(struct sbuf *sb, uint64_t addr, const uint8_t *bytes, const uint8_t *valid,
		    size_t n, int is_double, int is32)
{
	size_t unit = is_double ? 8 : 4;
	int width = is_double ? 22 : 15;
	size_t per_line = unit * (is_double ? FMT_DOUBLES_PER_LINE : FMT_FLOATS_PER_LINE);
	if (n > per_line)
		n = per_line;
	fmt_addr(sb, addr, is32);
	sb_add(sb, " ");
	for (size_t off = 0; off < n; off += unit) {
		int ok = bytes && off + unit <= n;
		for (size_t i = off; ok && i < off + unit; i++)
			ok = !valid || valid[i];
		char text[64];
		if (!ok) {
			snprintf(text, sizeof(text), "%.*s", (int)unit * 2, "????????????????");
		} else if (is_double) {
			double d;
			memcpy(&d, bytes + off, sizeof(d));
			snprintf(text, sizeof(text), "%.15g", d);
		} else {
			float f;
			memcpy(&f, bytes + off, sizeof(f));
			snprintf(text, sizeof(text), "%.7g", (double)f);
		}
		sb_addf(sb, " %*s", width, text);
	}
}
