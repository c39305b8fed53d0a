/*
 * cexpr_fmt.c — the text of values (contract in cexpr.h): what `??` and dv
 * show for a value, dt's member lines, and dt's type names (Int4B, Ptr64).
 *
 * Invariants: formatting never fails half-way silently: unreadable memory
 * shows as "<Memory access error>" in place of the value; strings are read
 * at most 256 bytes and never across an unreadable page; nested structs are
 * expanded at most 8 levels (dt -r) and anonymous members at most
 * CX_MAX_MEMBER_NEST deep.
 */
#include "expr/cexpr_internal.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

static void add_ptr(struct sbuf *sb, uint64_t v, int ptrsize)
{
	char a[32];
	cx_hex_addr(a, sizeof(a), v, ptrsize);
	sb_addf(sb, "0x%s", a);
}

static void add_char_escaped(struct sbuf *sb, unsigned char c, char quote)
{
	switch (c) {
	case '\n': sb_add(sb, "\\n"); return;
	case '\t': sb_add(sb, "\\t"); return;
	case '\r': sb_add(sb, "\\r"); return;
	case '\\': sb_add(sb, "\\\\"); return;
	default:
		if (c == (unsigned char)quote)
			sb_addf(sb, "\\%c", quote);
		else if (c >= 0x20 && c < 0x7f)
			sb_addc(sb, (char)c);
		else
			sb_addf(sb, "\\x%02x", c);
	}
}

/* " \"text\"" for a C string at addr (at most max bytes); nothing when unreadable. */
static void add_string(struct sbuf *sb, const struct cx_env *env, uint64_t addr, uint64_t max)
{
	char buf[256];
	size_t n = 0;
	int ended = 0;
	if (max > sizeof(buf))
		max = sizeof(buf);
	while (n < max) {
		/* Byte-wise at page ends: a string may end just before an unmapped page. */
		size_t chunk = 16;
		if (chunk > max - n)
			chunk = (size_t)(max - n);
		uint64_t a = addr + n;
		uint64_t to_page = 4096 - (a & 4095);
		if (chunk > to_page)
			chunk = (size_t)to_page;
		if (cx_read_mem(env, a, buf + n, chunk) != 0)
			break;
		void *z = memchr(buf + n, 0, chunk);
		if (z) {
			n = (size_t)((char *)z - buf);
			ended = 1;
			break;
		}
		n += chunk;
	}
	if (!n && !ended) {
		if (max)
			sb_add(sb, " <Memory access error>");
		return;
	}
	sb_add(sb, " \"");
	for (size_t i = 0; i < n; i++)
		add_char_escaped(sb, (unsigned char)buf[i], '"');
	sb_add(sb, ended || n < max ? "\"" : "\"...");
}

static int is_char_type(const struct cx_type *t)
{
	t = cx_strip(t);
	return t->kind == CX_INT && t->is_char && t->size == 1;
}

static void add_double(struct sbuf *sb, double d)
{
	char buf[64];
	snprintf(buf, sizeof(buf), "%.15g", d);
	if (strtod(buf, NULL) != d)
		snprintf(buf, sizeof(buf), "%.17g", d);
	sb_add(sb, buf);
}

static void add_scalar_text(struct sbuf *sb, const struct cx_env *env, const struct cx_type *type,
			    uint64_t bits, double f)
{
	const struct cx_type *t = cx_strip(type);
	switch (t->kind) {
	case CX_BOOL:
		sb_add(sb, bits ? "true" : "false");
		return;
	case CX_FLOAT:
		add_double(sb, f);
		return;
	case CX_ENUM:
		for (size_t i = 0; i < t->nenums; i++) {
			if ((uint64_t)t->enums[i].value == bits ||
			    cx_normalize((uint64_t)t->enums[i].value, t) == bits) {
				sb_addf(sb, "%s (0n%lld)", t->enums[i].name, (long long)(int64_t)bits);
				return;
			}
		}
		sb_addf(sb, "0n%lld", (long long)(int64_t)bits);
		return;
	case CX_PTR:
	case CX_ARRAY:
	case CX_FUNC:
		add_ptr(sb, bits, env->ptrsize);
		return;
	default:
		if (t->is_signed)
			sb_addf(sb, "0n%lld", (long long)(int64_t)bits);
		else
			sb_addf(sb, "0x%llx", (unsigned long long)bits);
		if (t->is_char && t->size == 1) {
			unsigned char c = (unsigned char)bits;
			if (c >= 0x20 && c < 0x7f) {
				sb_add(sb, " '");
				add_char_escaped(sb, c, '\'');
				sb_add(sb, "'");
			}
		}
		return;
	}
}

int cx_format_value(struct sbuf *sb, const struct cx_env *env, const struct cx_value *v)
{
	const struct cx_type *t = cx_strip(v->type);
	if (t->kind == CX_STRUCT || t->kind == CX_UNION) {
		cx_type_name(sb, v->type);
		return 0;
	}
	if (t->kind == CX_VOID) {
		sb_add(sb, "void");
		return 0;
	}
	uint64_t bits;
	double f;
	if (cx_value_scalar(env, v, &bits, &f) < 0) {
		sb_add(sb, "<Memory access error>");
		return -1;
	}
	add_scalar_text(sb, env, v->type, bits, f);
	if (t->kind == CX_PTR && is_char_type(t->target) && bits)
		add_string(sb, env, bits, 256);
	else if (t->kind == CX_ARRAY && is_char_type(t->target) && v->lvalue)
		add_string(sb, env, v->addr, t->count ? t->count : 256);
	return 0;
}

/* How member lines name types: C ("struct inner *") or dt's ("Ptr64 inner"), plain or -v. */
enum field_style { FS_C, FS_DT, FS_DT_VERBOSE };

static void style_type_name(struct sbuf *sb, const struct cx_type *t, const struct cx_env *env, enum field_style st)
{
	if (st == FS_C)
		cx_type_name(sb, t);
	else
		cx_dt_type_name(sb, t, env->ptrsize, st == FS_DT_VERBOSE);
}

static int dt_element_count(const struct cx_type *t)
{
	return (int)t->nmembers;
}

void cx_dt_type_name(struct sbuf *sb, const struct cx_type *type, int ptrsize, int verbose)
{
	const struct cx_type *t = cx_strip(type);
	switch (t->kind) {
	case CX_VOID:
		sb_add(sb, "Void");
		return;
	case CX_BOOL:
		sb_add(sb, "Bool");
		return;
	case CX_INT:
		if (t->is_char && t->size == 1)
			sb_add(sb, t->is_signed ? "Char" : "UChar");
		else if (t->is_char && t->size == 2)
			sb_add(sb, "Wchar");
		else
			sb_addf(sb, "%snt%lluB", t->is_signed ? "I" : "Ui", (unsigned long long)t->size);
		return;
	case CX_FLOAT:
		if (t->size == 4)
			sb_add(sb, "Float");
		else if (t->size == 8)
			sb_add(sb, "Double");
		else
			cx_type_name(sb, type);	/* long double: WinDbg's types have no name for it */
		return;
	case CX_PTR: {
		const struct cx_type *to = cx_strip(t->target);
		sb_addf(sb, "Ptr%d ", ptrsize * 8);
		if (to->kind == CX_FUNC) {
			/* WinDbg's spelling of a function pointer: the return type after a gap. */
			sb_add(sb, "    ");
			cx_type_name(sb, to->target ? to->target : to);
			sb_addc(sb, ' ');
			return;
		}
		if (verbose)
			sb_add(sb, "to ");
		cx_dt_type_name(sb, t->target, ptrsize, verbose);
		return;
	}
	case CX_ARRAY:
		sb_addf(sb, "[%llu] ", (unsigned long long)t->count);
		cx_dt_type_name(sb, t->target, ptrsize, verbose);
		return;
	case CX_STRUCT:
	case CX_UNION:
		if (verbose)
			sb_addf(sb, "%s %s, %d elements, 0x%llx bytes", t->kind == CX_STRUCT ? "struct" : "union",
				t->name ? t->name : "<unnamed-tag>", dt_element_count(t), (unsigned long long)t->size);
		else
			sb_add(sb, t->name ? t->name : "<unnamed-tag>");
		return;
	case CX_ENUM:
		if (verbose)
			sb_addf(sb, "Enum %s,  %zu total enums", t->name ? t->name : "<unnamed-tag>", t->nenums);
		else
			sb_add(sb, t->name ? t->name : "<unnamed-tag>");
		return;
	default:
		cx_type_name(sb, type);
		return;
	}
}

static void field_value(struct sbuf *sb, const struct cx_env *env, const struct cx_member *m,
			uint64_t addr, enum field_style style)
{
	struct cx_value v = { .type = m->type, .lvalue = 1, .addr = addr,
			      .bit_offset = m->bit_offset, .bit_size = m->bit_size };
	const struct cx_type *t = cx_strip(m->type);
	if (m->bit_size) {
		uint64_t bits;
		double f;
		if (cx_value_scalar(env, &v, &bits, &f) < 0) {
			sb_add(sb, "<Memory access error>");
			return;
		}
		sb_add(sb, "0y");
		unsigned bs = m->bit_size > 64 ? 64 : m->bit_size;
		for (unsigned i = bs; i-- > 0;)
			sb_addc(sb, (char)('0' + ((bits >> i) & 1)));
		return;
	}
	if (t->kind == CX_ARRAY) {
		const struct cx_type *et = cx_strip(t->target);
		if (is_char_type(et) && t->count) {
			struct sbuf tmp = { 0 };
			add_string(&tmp, env, addr, t->count);
			sb_add(sb, sb_str(&tmp) + (tmp.len ? 1 : 0));	/* no leading space here */
			sb_free(&tmp);
			return;
		}
		sb_addf(sb, "[%llu]", (unsigned long long)t->count);
		if (et->kind == CX_STRUCT || et->kind == CX_UNION || et->kind == CX_ARRAY || !et->size) {
			sb_add(sb, " ");
			style_type_name(sb, t->target, env, style);
			return;
		}
		uint64_t show = t->count < 8 ? t->count : 8;
		for (uint64_t i = 0; i < show; i++) {
			struct cx_value ev = { .type = t->target, .lvalue = 1, .addr = addr + i * et->size };
			uint64_t bits;
			double f;
			sb_add(sb, " ");
			if (cx_value_scalar(env, &ev, &bits, &f) < 0) {
				sb_add(sb, "<Memory access error>");
				return;
			}
			add_scalar_text(sb, env, t->target, bits, f);
		}
		if (t->count > show)
			sb_add(sb, " ...");
		return;
	}
	if (t->kind == CX_PTR) {
		uint64_t bits;
		double f;
		if (cx_value_scalar(env, &v, &bits, &f) < 0) {
			sb_add(sb, "<Memory access error>");
			return;
		}
		if (!bits) {
			sb_add(sb, "(null)");
			return;
		}
	}
	cx_format_value(sb, env, &v);
}

static void fields_rec(struct sbuf *sb, const struct cx_env *env, const struct cx_type *t,
		       const uint64_t *addr, uint64_t base, int depth, int indent, int nest, enum field_style style)
{
	t = cx_strip(t);
	if (nest > CX_MAX_MEMBER_NEST || (t->kind != CX_STRUCT && t->kind != CX_UNION))
		return;
	if (t->incomplete) {
		sb_addf(sb, "%*s<members unknown: ", indent, "");
		cx_type_name(sb, t);
		sb_add(sb, " is only declared>\n");
		return;
	}
	for (size_t i = 0; i < t->nmembers; i++) {
		const struct cx_member *m = &t->members[i];
		uint64_t off = base + m->offset;
		if (!m->name) {
			/* Anonymous struct/union: its members belong to this one. */
			fields_rec(sb, env, m->type, addr, off, depth, indent, nest + 1, style);
			continue;
		}
		sb_addf(sb, "%*s+0x%03llx %-16s : ", indent, "", (unsigned long long)off, m->name);
		const struct cx_type *mt = cx_strip(m->type);
		int aggregate = mt->kind == CX_STRUCT || mt->kind == CX_UNION;
		if (!addr) {
			if (m->bit_size)
				sb_addf(sb, "%sPos %u, %u Bit%s", style == FS_DT_VERBOSE ? "Bitfield " : "", m->bit_offset,
					m->bit_size, m->bit_size == 1 ? "" : "s");
			else
				style_type_name(sb, m->type, env, style);
		} else if (aggregate) {
			style_type_name(sb, m->type, env, style);
		} else {
			field_value(sb, env, m, *addr + off, style);
		}
		sb_addc(sb, '\n');
		if (aggregate && depth > 0) {
			uint64_t inner = addr ? *addr + off : 0;
			fields_rec(sb, env, mt, addr ? &inner : NULL, 0, depth - 1, indent + 3, nest + 1, style);
		}
	}
}

void cx_format_fields(struct sbuf *sb, const struct cx_env *env, const struct cx_type *t,
		      const uint64_t *addr, int depth, int indent)
{
	if (depth > 8)
		depth = 8;
	fields_rec(sb, env, t, addr, 0, depth, indent, 0, FS_C);
}

void cx_format_dt_fields(struct sbuf *sb, const struct cx_env *env, const struct cx_type *t,
			 const uint64_t *addr, int depth, int indent, int verbose)
{
	if (depth > 8)
		depth = 8;
	fields_rec(sb, env, t, addr, 0, depth, indent, 0, verbose ? FS_DT_VERBOSE : FS_DT);
}

