/*
 * cmd_mem.c — the address space: s (search memory) and !address (the
 * memory map and what each region is).
 *
 * Both see memory only through the engine: the map from
 * session_memory_map (the backend's regions, classified above it), the
 * bytes from session_read, so int3 bytes of dr7's breakpoints never show
 * and a search never finds one.  s searches only what the program could
 * read (regions with no access, guard pages, are skipped, as WinDbg skips
 * reserved memory) and goes around unreadable gaps; a bad range or
 * pattern is one error line before anything is searched.
 */
#include "cmd/cmd.h"

#include <ctype.h>
#include <stdarg.h>
#include <stdlib.h>
#include <string.h>

#include "cmd/fmt.h"
#include "engine/memmap.h"

/* ---- s ---- */

#define SEARCH_CHUNK 65536

struct search {
	char type;		/* b w d q a u */
	int unit;		/* size of a pattern element: alignment and display */
	int addresses_only;	/* -[1] */
	int writable_only;	/* -[w] */
	uint64_t start, end;	/* [start, end) */
	uint8_t *pat;
	size_t patlen;
	int hits;
};

static int search_unit(char type)
{
	switch (type) {
	case 'w': case 'u': return 2;
	case 'd': return 4;
	case 'q': return 8;
	default: return 1;
	}
}

/* "-[Flags]Type": s's first argument when it starts with '-'. */
static int parse_search_type(struct cmd_ctx *c, const char **pp, struct search *sr)
{
	const char *p = *pp;
	sr->type = 'b';
	if (*p != '-')
		return 0;
	p++;
	if (*p == '[') {
		for (p++; *p && *p != ']'; p++) {
			if (*p == '1')
				sr->addresses_only = 1;
			else if (*p == 'w')
				sr->writable_only = 1;
			else
				return cmd_error(c, "not supported: s flag '%c' (dr7 takes -[1] and -[w])", *p);
		}
		if (*p != ']')
			return cmd_error(c, "Syntax error: s flags need a closing ']'");
		p++;
	}
	if (p[0] == 's' && (p[1] == 'a' || p[1] == 'u'))
		return cmd_error(c, "not supported: s -s%c (searching for any string)", p[1]);
	if (*p == 'v')
		return cmd_error(c, "not supported: s -v (searching for objects of a C++ class)");
	if (!*p || !strchr("bwdqau", *p) || (p[1] && !isspace((unsigned char)p[1])))
		return cmd_error(c, "Syntax error: s takes -b, -w, -d, -q, -a or -u (with -[1] or -[w] flags)");
	sr->type = *p++;
	*pp = skip_ws(p);
	return 0;
}

/* Start End, or Start L[?|-]Count (Count in pattern units: bytes, words, ...). */
static int parse_search_range(struct cmd_ctx *c, const char **pp, struct search *sr)
{
	const char *p = *pp;
	uint64_t start;
	if (!*p)
		return cmd_error(c, "Syntax error: s needs a range and a pattern: s [-Type] Range Pattern");
	if (cmd_expr(c, &p, &start) < 0)
		return -1;
	p = skip_ws(p);
	uint64_t bytes;
	if (!*p)
		return cmd_error(c, "Syntax error: s needs a range and a pattern: s [-Type] Range Pattern");
	if (cmd_range_extent(c, &p, sr->unit, 1, &start, &bytes) < 0)
		return -1;
	sr->start = start;
	sr->end = start + bytes;	/* 0 when the range ends at the top: handled as UINT64_MAX */
	if (sr->end == 0)
		sr->end = UINT64_MAX;
	*pp = skip_ws(p);
	return 0;
}

static void pat_add(struct search *sr, uint64_t v, int unit)
{
	sr->pat = xrealloc(sr->pat, sr->patlen + (size_t)unit);
	for (int i = 0; i < unit; i++)
		sr->pat[sr->patlen + (size_t)i] = (uint8_t)(v >> (8 * i));
	sr->patlen += (size_t)unit;
}

/* UTF-8 text as UTF-16LE code units (s -u). */
static void pat_add_utf16(struct search *sr, const char *text)
{
	const unsigned char *s = (const unsigned char *)text;
	while (*s) {
		uint32_t cp = *s++;
		int more = cp >= 0xf0 ? 3 : cp >= 0xe0 ? 2 : cp >= 0xc0 ? 1 : 0;
		if (more)
			cp &= 0x3fu >> more;
		for (; more && (*s & 0xc0) == 0x80; more--)
			cp = (cp << 6) | (*s++ & 0x3f);
		if (cp >= 0x10000) {
			cp -= 0x10000;
			pat_add(sr, 0xd800 + (cp >> 10), 2);
			pat_add(sr, 0xdc00 + (cp & 0x3ff), 2);
		} else {
			pat_add(sr, cp, 2);
		}
	}
}

/* The pattern: values of the unit's size, or a string for -a / -u. */
static int parse_search_pattern(struct cmd_ctx *c, const char *p, struct search *sr)
{
	if (!*p)
		return cmd_error(c, "Syntax error: s needs a pattern after the range");
	if (sr->type == 'a' || sr->type == 'u') {
		char *text;
		if (*p == '"') {
			if (cmd_quoted(c, &p, &text) < 0)
				return -1;
		} else {
			text = cmd_word(&p);
		}
		if (*skip_ws(p)) {
			free(text);
			return cmd_extra_chars(c);
		}
		if (!text[0]) {
			free(text);
			return cmd_error(c, "Syntax error: the string to search for is empty");
		}
		if (sr->type == 'a')
			for (const char *t = text; *t; t++)
				pat_add(sr, (uint8_t)*t, 1);
		else
			pat_add_utf16(sr, text);
		free(text);
		return 0;
	}
	for (p = skip_sep(p); *p; p = skip_sep(p)) {
		uint64_t v = 0;
		if (*p == '\'') {
			/* 'c' or 'abcd': the characters as they lie in memory. */
			const char *q = strchr(p + 1, '\'');
			size_t n = q ? (size_t)(q - p - 1) : 0;
			if (!q || n == 0 || n > (size_t)sr->unit)
				return cmd_error(c, "Syntax error: a character constant of 1 to %d characters in quotes", sr->unit);
			for (size_t i = 0; i < n; i++)
				v |= (uint64_t)(uint8_t)p[1 + i] << (8 * i);
			p = q + 1;
		} else if (cmd_expr(c, &p, &v) < 0) {
			return -1;
		}
		if (sr->unit < 8 && v >> (sr->unit * 8) && ~v >> (sr->unit * 8 - 1) != 0)
			return cmd_error(c, "Value %llx is too large for %d byte(s)", (unsigned long long)v, sr->unit);
		pat_add(sr, v, sr->unit);
	}
	return 0;
}

/* A hit: the address, or the line d* would show there (db for -b and -a, dW for -w and -u, dc for -d, dq for -q). */
static void show_hit(struct cmd_ctx *c, struct search *sr, uint64_t addr)
{
	struct sbuf sb = { 0 };
	int is32 = session_is32(c->s);
	sr->hits++;
	if (sr->addresses_only) {
		fmt_addr(&sb, addr, is32);
	} else {
		uint8_t buf[16], valid[16];
		memset(valid, 0, sizeof(valid));
		int got = session_read(c->s, addr, buf, sizeof(buf));
		if (got > 0)
			memset(valid, 1, (size_t)got);
		fmt_dump_line(&sb, addr, buf, valid, 16, sr->unit, sr->type != 'q', 16, is32);
	}
	cmd_print(c, "%s\n", sb_str(&sb));
	sb_free(&sb);
}

static int interrupted(struct cmd_ctx *c)
{
	return c->s->interrupted && *c->s->interrupted;
}

/*
 * Searches [lo, hi), memory the map says is readable, chunk by chunk.  A
 * chunk keeps the last patlen-1 bytes of the one before it when they were
 * contiguous, so a match across a chunk (or region) boundary is found; an
 * unreadable page ends the carry and is skipped.
 */
struct carry {
	uint8_t *buf;		/* SEARCH_CHUNK + patlen */
	size_t len;		/* bytes of the previous chunk kept at buf */
	uint64_t at;		/* address of buf[0] */
};

static void search_span(struct cmd_ctx *c, struct search *sr, struct carry *cy, uint64_t lo, uint64_t hi)
{
	uint64_t a = lo;
	if (cy->len && cy->at + cy->len != lo)
		cy->len = 0;
	while (a < hi && !interrupted(c)) {
		size_t want = hi - a < SEARCH_CHUNK ? (size_t)(hi - a) : SEARCH_CHUNK;
		int got = session_read(c->s, a, cy->buf + cy->len, want);
		if (got <= 0) {
			uint64_t next = (a | 0xfff) + 1;
			a = next > a && next < hi ? next : hi;
			cy->len = 0;
			continue;
		}
		if (!cy->len)
			cy->at = a;
		size_t total = cy->len + (size_t)got;
		for (size_t i = 0; i + sr->patlen <= total; i++) {
			uint64_t addr = cy->at + i;
			if (addr < sr->start)
				continue;
			if (addr % (uint64_t)sr->unit && sr->type != 'a' && sr->type != 'u')
				continue;
			if (!memcmp(cy->buf + i, sr->pat, sr->patlen))
				show_hit(c, sr, addr);
		}
		/* Keep the tail that a match could still begin in. */
		size_t keep = sr->patlen - 1 < total ? sr->patlen - 1 : total;
		memmove(cy->buf, cy->buf + total - keep, keep);
		cy->at += total - keep;
		cy->len = keep;
		a += (uint64_t)got;
	}
}

static int cmd_s(struct cmd_ctx *c, const struct cmd_def *d, const char *args,
		 const struct thread_sel *sel, int id)
{
	const char *p = skip_ws(args);
	struct search sr = { 0 };
	if (parse_search_type(c, &p, &sr) < 0)
		return -1;
	sr.unit = search_unit(sr.type);
	if (parse_search_range(c, &p, &sr) < 0 || parse_search_pattern(c, p, &sr) < 0) {
		free(sr.pat);
		return -1;
	}
	if (sr.patlen > sr.end - sr.start) {
		free(sr.pat);
		return cmd_error(c, "Range error: the pattern is longer than the range");
	}
	struct mem_map map;
	if (session_memory_map(c->s, &map) < 0) {
		free(sr.pat);
		return cmd_fail(c);
	}
	struct carry cy = { .buf = xmalloc(SEARCH_CHUNK + sr.patlen) };
	for (int i = 0; i < map.n && !interrupted(c); i++) {
		const struct mem_region *r = &map.v[i];
		if (r->end <= sr.start || r->start >= sr.end || !(r->prot & REGION_READ))
			continue;
		if (sr.writable_only && !(r->prot & REGION_WRITE))
			continue;
		search_span(c, &sr, &cy, r->start > sr.start ? r->start : sr.start, r->end < sr.end ? r->end : sr.end);
	}
	if (interrupted(c)) {
		*c->s->interrupted = 0;
		cmd_error(c, "s: interrupted");
	}
	free(cy.buf);
	mem_map_free(&map);
	free(sr.pat);
	return 0;
}

/* ---- !address ---- */

/* Windows' constants, the nearest meaning of each Linux protection. */
static const char *protect_name(unsigned prot, unsigned *value)
{
	int r = !!(prot & REGION_READ), w = !!(prot & REGION_WRITE), x = !!(prot & REGION_EXEC);
	if (x && w) {
		*value = 0x40;
		return "PAGE_EXECUTE_READWRITE";
	}
	if (x && r) {
		*value = 0x20;
		return "PAGE_EXECUTE_READ";
	}
	if (x) {
		*value = 0x10;
		return "PAGE_EXECUTE";
	}
	if (w) {
		*value = 0x04;
		return "PAGE_READWRITE";
	}
	if (r) {
		*value = 0x02;
		return "PAGE_READONLY";
	}
	*value = 0x01;
	return "PAGE_NOACCESS";
}

/* MEM_IMAGE for modules, MEM_MAPPED for other files and shared memory, MEM_PRIVATE for the rest. */
static const char *type_name(const struct mem_region *r, unsigned *value)
{
	if (r->usage == MEM_USAGE_IMAGE) {
		*value = 0x1000000;
		return "MEM_IMAGE";
	}
	if (r->usage == MEM_USAGE_FILE || (r->prot & REGION_SHARED)) {
		*value = 0x40000;
		return "MEM_MAPPED";
	}
	*value = 0x20000;
	return "MEM_PRIVATE";
}

/* A mapping without access is reserved address space (guard pages, PROT_NONE reservations). */
static const char *state_name(const struct mem_region *r, unsigned *value)
{
	if (!(r->prot & (REGION_READ | REGION_WRITE | REGION_EXEC))) {
		*value = 0x2000;
		return "MEM_RESERVE";
	}
	*value = 0x1000;
	return "MEM_COMMIT";
}

static const char *usage_name(const struct mem_region *r)
{
	switch (r->usage) {
	case MEM_USAGE_IMAGE: return "Image";
	case MEM_USAGE_STACK: return "Stack";
	case MEM_USAGE_HEAP: return "Heap";
	case MEM_USAGE_FILE: return "MappedFile";
	case MEM_USAGE_SPECIAL: return "Other";
	case MEM_USAGE_ANON: break;
	}
	return "<unknown>";
}

/* What the listing's last column says about a region. */
static void usage_detail(struct cmd_ctx *c, const struct mem_region *r, struct sbuf *sb)
{
	switch (r->usage) {
	case MEM_USAGE_IMAGE:
		sb_addf(sb, "[%s; \"%s\"]", r->module, r->name[0] ? r->name : r->module_path ? r->module_path : "");
		break;
	case MEM_USAGE_STACK:
		if (r->thread_index >= 0)
			sb_addf(sb, "[~%d; %x.%x]", r->thread_index, (unsigned)c->s->tgt->pid, (unsigned)r->tid);
		break;
	case MEM_USAGE_HEAP:
		sb_add(sb, "[brk heap]");
		break;
	case MEM_USAGE_FILE:
		sb_addf(sb, "\"%s\"", r->name);
		break;
	case MEM_USAGE_SPECIAL:
		sb_add(sb, r->name);
		break;
	case MEM_USAGE_ANON:
		break;
	}
}

/* The listing's address form: the high half without leading zeros ("     7fff`f7fc3000"). */
static void list_addr(struct sbuf *sb, uint64_t v, int is32)
{
	if (is32)
		sb_addf(sb, "%8llx", (unsigned long long)v);
	else
		sb_addf(sb, "%9llx`%08llx", (unsigned long long)(v >> 32), (unsigned long long)(v & 0xffffffffu));
}

static void list_line(struct cmd_ctx *c, char lead, uint64_t start, uint64_t end, const char *type,
		      const char *state, const char *protect, const char *usage, const char *detail)
{
	int is32 = session_is32(c->s);
	struct sbuf sb = { 0 };
	sb_addc(&sb, lead);
	list_addr(&sb, start, is32);
	sb_add(&sb, " ");
	list_addr(&sb, end, is32);
	sb_add(&sb, " ");
	list_addr(&sb, end - start, is32);
	sb_addf(&sb, " %-11s %-11s %-34s %-10s %s", type, state, protect, usage, detail);
	while (sb.len && sb_str(&sb)[sb.len - 1] == ' ')
		sb.len--;
	cmd_print(c, "%.*s\n", (int)sb.len, sb_str(&sb));
	sb_free(&sb);
}

static void list_free(struct cmd_ctx *c, uint64_t start, uint64_t end)
{
	list_line(c, '+', start, end, "", "MEM_FREE", "PAGE_NOACCESS", "Free", "");
}

static void list_region(struct cmd_ctx *c, const struct mem_region *r)
{
	unsigned v;
	struct sbuf detail = { 0 };
	usage_detail(c, r, &detail);
	list_line(c, r->alloc_start == r->start ? '+' : ' ', r->start, r->end, type_name(r, &v),
		  state_name(r, &v), protect_name(r->prot, &v), usage_name(r), sb_str(&detail));
	sb_free(&detail);
}

/* The top of the user address space: where the listing's last free range ends. */
static uint64_t user_top(struct cmd_ctx *c)
{
	return session_is32(c->s) ? 0x100000000ull : 0x800000000000ull;
}

static void show_map(struct cmd_ctx *c, const struct mem_map *m)
{
	int is32 = session_is32(c->s);
	/* The header over the columns list_line prints (WinDbg's captions; 32-bit ones are shorter). */
	int w = is32 ? 8 : 18;
	cmd_print(c, "%*s %*s %*s %-11s %-11s %-34s %s\n", w + 1, is32 ? "BaseAddr" : "BaseAddress", w,
		  is32 ? "End+1" : "EndAddress+1", w, is32 ? "RgnSize" : "RegionSize", "Type", "State", "Protect", "Usage");
	cmd_print(c, "%s\n", "-----------------------------------------------------------------------------------"
			     "---------------------------------------");
	uint64_t at = 0;
	for (int i = 0; i < m->n; i++) {
		const struct mem_region *r = &m->v[i];
		if (r->start > at)
			list_free(c, at, r->start);
		list_region(c, r);
		at = r->end;
	}
	if (at < user_top(c))
		list_free(c, at, user_top(c));
}

/* "Region Size:  00000000`00001000 (   4.000 kB)" */
static void size_words(struct sbuf *sb, uint64_t n)
{
	static const char *const units[] = { "kB", "MB", "GB", "TB" };
	double v = (double)n / 1024.0;
	int u = 0;
	while (v >= 1024.0 && u < 3) {
		v /= 1024.0;
		u++;
	}
	sb_addf(sb, " (%8.3f %s)", v, units[u]);
}

static void field(struct cmd_ctx *c, const char *name, const char *fmt, ...) PRINTF_LIKE(3, 4);
static void field(struct cmd_ctx *c, const char *name, const char *fmt, ...)
{
	struct sbuf sb = { 0 };
	va_list ap;
	va_start(ap, fmt);
	sb_vaddf(&sb, fmt, ap);
	va_end(ap);
	cmd_print(c, "%-24s%s\n", name, sb_str(&sb));
	sb_free(&sb);
}

static void field_addr(struct cmd_ctx *c, const char *name, uint64_t v, const char *tail)
{
	struct sbuf sb = { 0 };
	fmt_addr(&sb, v, session_is32(c->s));
	field(c, name, "%s%s", sb_str(&sb), tail);
	sb_free(&sb);
}

static void field_code(struct cmd_ctx *c, const char *name, unsigned v, const char *words)
{
	field(c, name, "%08x          %s", v, words);
}

/* !address Address: the region holding Address, WinDbg's block of fields. */
static void show_one(struct cmd_ctx *c, const struct mem_map *m, uint64_t addr)
{
	const struct mem_region *r = mem_map_find(m, addr);
	uint64_t start, end;
	struct sbuf sb = { 0 };
	if (!r) {
		/* The free range around addr. */
		start = 0;
		end = user_top(c) > addr ? user_top(c) : UINT64_MAX;
		for (int i = 0; i < m->n; i++) {
			if (m->v[i].end <= addr)
				start = m->v[i].end;
			else if (m->v[i].start > addr) {
				end = m->v[i].start;
				break;
			}
		}
		field(c, "Usage:", "Free");
		field_addr(c, "Base Address:", start, "");
		field_addr(c, "End Address:", end, "");
		fmt_addr(&sb, end - start, session_is32(c->s));
		size_words(&sb, end - start);
		field(c, "Region Size:", "%s", sb_str(&sb));
		field_code(c, "State:", 0x10000, "MEM_FREE");
		field_code(c, "Protect:", 0x01, "PAGE_NOACCESS");
		sb_free(&sb);
		return;
	}
	unsigned v;
	const char *words;
	field(c, "Usage:", "%s", usage_name(r));
	field_addr(c, "Base Address:", r->start, "");
	field_addr(c, "End Address:", r->end, "");
	fmt_addr(&sb, r->end - r->start, session_is32(c->s));
	size_words(&sb, r->end - r->start);
	field(c, "Region Size:", "%s", sb_str(&sb));
	words = state_name(r, &v);
	field_code(c, "State:", v, words);
	words = protect_name(r->prot, &v);
	field_code(c, "Protect:", v, words);
	words = type_name(r, &v);
	field_code(c, "Type:", v, words);
	field_addr(c, "Allocation Base:", r->alloc_start, "");
	const struct mem_region *first = mem_map_find(m, r->alloc_start);
	words = protect_name(first ? first->prot : r->prot, &v);
	field_code(c, "Allocation Protect:", v, words);
	if (r->name[0] == '/' || r->usage == MEM_USAGE_FILE)
		field(c, "File Offset:", "%llx", (unsigned long long)r->offset);
	switch (r->usage) {
	case MEM_USAGE_IMAGE: {
		const char *path = r->module_path && r->module_path[0] ? r->module_path : r->name;
		const char *base = strrchr(path, '/');
		field(c, "Image Path:", "%s", base ? base + 1 : path);
		field(c, "Module Name:", "%s", r->module);
		field(c, "Loaded Image Name:", "%s", path);
		field(c, "Mapped Image Name:", "%s", r->name[0] == '/' ? r->name : "");
		field(c, "More info:", "lmv m %s", r->module);
		field(c, "More info:", "ln 0x%llx", (unsigned long long)addr);
		break;
	}
	case MEM_USAGE_STACK:
		if (r->thread_index >= 0) {
			field(c, "Stack of thread:", "~%d (%x.%x)", r->thread_index, (unsigned)c->s->tgt->pid,
			      (unsigned)r->tid);
			field(c, "More info:", "~%dk", r->thread_index);
		}
		break;
	case MEM_USAGE_FILE:
		field(c, "Mapped file name:", "%s", r->name);
		break;
	case MEM_USAGE_HEAP:
	case MEM_USAGE_SPECIAL:
		field(c, "Kernel name:", "%s", r->name);
		break;
	case MEM_USAGE_ANON:
		break;
	}
	sb_free(&sb);
}

static int cmd_address(struct cmd_ctx *c, const struct cmd_def *d, const char *args,
		       const struct thread_sel *sel, int id)
{
	const char *p = skip_ws(args);
	uint64_t addr = 0;
	int one = 0;
	if (*p == '-')
		return cmd_error(c, "not supported: !address %s (dr7 takes !address and !address Address)", p);
	if (*p) {
		if (cmd_expr(c, &p, &addr) < 0)
			return -1;
		if (*skip_ws(p))
			return cmd_extra_chars(c);
		one = 1;
	}
	struct mem_map map;
	if (session_memory_map(c->s, &map) < 0)
		return cmd_fail(c);
	if (one)
		show_one(c, &map, addr);
	else
		show_map(c, &map);
	mem_map_free(&map);
	return 0;
}

const struct cmd_def cmd_mem_table[] = {
	{ "s", cmd_s, CMD_NEED_PROCESS, 0, ARGS_NEEDED, "s [-[1w]{b|w|d|q|a|u}] Range Pattern",
	  "Search memory for bytes, words, dwords, qwords or a string" },
	{ "!address", cmd_address, CMD_NEED_PROCESS, 0, ARGS_ANY, "!address [Address]",
	  "Show the memory map, or the region holding Address" },
	{ NULL, NULL, 0, 0, ARGS_ANY, NULL, NULL },
};
