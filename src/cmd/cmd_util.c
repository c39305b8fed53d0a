/*
 * cmd_util.c — the helpers every command family calls: output and errors,
 * expressions, words and quoted strings of the argument text, the thread a
 * prefix selects, and posting requests (run the program, run commands) for
 * the line runner to carry out; the line grammar that the line runner,
 * alias expansion and the control-flow statements share (where a command
 * or a block ends); strings read from the program's memory.
 *
 * Invariant: this file calls nothing else in cmd/, so calls inside the
 * layer point one way: the line runner (cmd.c) -> the command table and
 * families -> these helpers.
 */
#include "cmd/cmd.h"

#include <assert.h>
#include <ctype.h>
#include <stdarg.h>
#include <stdlib.h>
#include <string.h>

#include "cmd/fmt.h"

void cmd_print(struct cmd_ctx *c, const char *fmt, ...)
{
	va_list ap;
	va_start(ap, fmt);
	vfprintf(c->out, fmt, ap);
	va_end(ap);
}

int cmd_error(struct cmd_ctx *c, const char *fmt, ...)
{
	va_list ap;
	va_start(ap, fmt);
	vfprintf(c->out, fmt, ap);
	va_end(ap);
	fputc('\n', c->out);
	return -1;
}

int cmd_extra_chars(struct cmd_ctx *c)
{
	return cmd_error(c, "^ Extra character error in '%.*s'", c->text ? c->text_len : 0,
			 c->text ? c->text : "");
}

void cmd_syntax(struct sbuf *sb, const struct cmd_def *d)
{
	if (d->flags & CMD_THREADS)
		sb_add(sb, "[~Thread] ");
	sb_add(sb, d->syntax);
}

int cmd_fail(struct cmd_ctx *c)
{
	return cmd_error(c, "%s", err_get());
}

void cmd_addr(struct sbuf *sb, struct cmd_ctx *c, uint64_t addr)
{
	fmt_addr(sb, addr, session_is32(c->s));
}

void cmd_post_run(struct cmd_ctx *c, enum run_request_kind kind, enum run_mode mode,
		  enum sig_disposition sig, unsigned count)
{
	c->run = (struct run_request){ .kind = kind, .mode = mode, .sig = sig, .count = count };
}

void cmd_post_commands(struct cmd_ctx *c, char *commands)
{
	free(c->then_run);
	c->then_run = commands;
}

int cmd_start_address(struct cmd_ctx *c, const char **p, int *have, uint64_t *addr)
{
	const char *q = skip_ws(*p);
	*have = 0;
	if (*q != '=')
		return 0;
	q++;
	if (cmd_expr(c, &q, addr) < 0)
		return -1;
	*have = 1;
	*p = q;
	return 0;
}

int cmd_set_pc(struct cmd_ctx *c, uint64_t addr)
{
	struct regs r;
	if (session_get_regs(c->s, c->s->cur_tid, &r) < 0)
		return cmd_fail(c);
	r.r[REG_RIP] = addr;
	if (session_set_regs(c->s, c->s->cur_tid, &r) < 0)
		return cmd_fail(c);
	return 0;
}

int cmd_current_pc(struct cmd_ctx *c, uint64_t *pc)
{
	struct regs r;
	if (session_get_regs(c->s, 0, &r) < 0)
		return cmd_fail(c);
	*pc = r.r[REG_RIP];
	return 0;
}

int cmd_address_or_pc(struct cmd_ctx *c, const char **p, uint64_t *addr)
{
	if (!**p)
		return cmd_current_pc(c, addr);
	return cmd_expr(c, p, addr);
}

#define RANGE_LIMIT (256ull << 20)	/* WinDbg's range limit without L? */

int cmd_range_extent(struct cmd_ctx *c, const char **pp, int unit, int allow_backward, uint64_t *start,
		     uint64_t *bytes)
{
	const char *p = skip_ws(*pp);
	int unlimited = 0;
	assert(unit >= 1);
	if (*p == 'L' || *p == 'l') {	/* as in WinDbg, always the length: `La0` is 0xa0 */
		int backward = 0;
		p++;
		if (*p == '?') {
			unlimited = 1;
			p++;
		} else if (*p == '-' && allow_backward) {
			backward = 1;
			p++;
		}
		uint64_t count;
		if (cmd_expr(c, &p, &count) < 0)
			return -1;
		if (count == 0)
			return cmd_error(c, "Range error: a count of zero");
		if (count > UINT64_MAX / (uint64_t)unit)
			return cmd_error(c, "Range error: the count is too large");
		*bytes = count * (uint64_t)unit;
		if (backward) {
			if (*bytes - 1 > *start)
				return cmd_error(c, "Range error: the range starts below address 0");
			*start -= *bytes - 1;
		}
	} else {
		uint64_t end;
		if (cmd_expr(c, &p, &end) < 0)
			return -1;
		if (end < *start)
			return cmd_error(c, "Range error: the end is before the start");
		*bytes = end - *start + 1;
		if (*bytes == 0)
			return cmd_error(c, "Range error: the range is the whole address space");
	}
	if (!unlimited && *bytes > RANGE_LIMIT)
		return cmd_error(c, "Range error: more than 256 MB (use L? to allow it)");
	if (*start + *bytes < *start && *start + *bytes != 0)
		return cmd_error(c, "Range error: the range runs past the end of the address space");
	*pp = p;
	return 0;
}

const char *cmd_path_argument(const char *args, int *append, size_t *len)
{
	const char *p = args;
	*append = *p == '+';
	if (*append)
		p++;
	p = skip_ws(p);
	size_t n = strlen(p);
	while (n && isspace((unsigned char)p[n - 1]))
		n--;
	*len = n;
	return p;
}

int cmd_expr(struct cmd_ctx *c, const char **p, uint64_t *v)
{
	const char *end;
	*p = skip_ws(*p);
	if (session_eval(c->s, *p, &end, v) < 0)
		return cmd_fail(c);
	*p = end;
	return 0;
}

int cmd_id_expression(struct cmd_ctx *c, const char **p, int *id)
{
	const char *q = *p + 1;
	uint64_t v;
	if (cmd_expr(c, &q, &v) < 0)
		return -1;
	q = skip_ws(q);
	if (*q != ']')
		return cmd_error(c, "Syntax error: expected ']' after the breakpoint ID in '%.*s'",
				 c->text_len, c->text);
	if (v > 0x7fffffff)
		return cmd_error(c, "Breakpoint ID is too large in '%.*s'", c->text_len, c->text);
	*id = (int)v;
	*p = q + 1;
	return 0;
}

/* WinDbg documents Passes of processor breakpoints as "any 16-bit value", and bl shows 4 digits. */
#define MAX_PASSES 0xffffu

int cmd_passes(struct cmd_ctx *c, const char **p, unsigned *passes)
{
	uint64_t v;
	if (cmd_expr(c, p, &v) < 0)
		return -1;
	if (v > MAX_PASSES)
		return cmd_error(c, "Pass count 0x%llx is too large: passes is a 16-bit value (at most 0x%x)",
				 (unsigned long long)v, MAX_PASSES);
	*passes = v ? (unsigned)v : 1;
	return 0;
}

char *cmd_word(const char **p)
{
	const char *s = skip_sep(*p);
	if (!*s)
		return NULL;
	const char *e = s;
	int paren = 0;
	while (*e && (paren || (*e != ' ' && *e != '\t'))) {
		if (*e == '(')
			paren++;
		else if (*e == ')' && paren)
			paren--;
		else if (*e == '"') {
			e++;
			while (*e && *e != '"') {
				if (*e == '\\' && e[1])
					e++;
				e++;
			}
			if (!*e)
				break;
		} else if (*e == '`') {
			e++;
			while (*e && *e != '`')
				e++;
			if (!*e)
				break;
		}
		e++;
	}
	*p = e;
	return xstrndup(s, (size_t)(e - s));
}

int cmd_quoted(struct cmd_ctx *c, const char **p, char **out)
{
	const char *s = *p;
	if (*s != '"')
		return cmd_error(c, "Syntax error: expected a quoted string at '%s'", s);
	struct sbuf sb = { 0 };
	s++;
	while (*s && *s != '"') {
		if (*s == '\\' && s[1]) {
			s++;
			switch (*s) {
			case 'n':
				sb_addc(&sb, '\n');
				break;
			case 't':
				sb_addc(&sb, '\t');
				break;
			default:
				sb_addc(&sb, *s);
				break;
			}
			s++;
			continue;
		}
		sb_addc(&sb, *s++);
	}
	if (*s != '"') {
		sb_free(&sb);
		return cmd_error(c, "Syntax error: unterminated string");
	}
	*p = s + 1;
	*out = xstrdup(sb_str(&sb));
	sb_free(&sb);
	return 0;
}

struct target_thread *cmd_thread_of(struct cmd_ctx *c, const struct thread_sel *sel)
{
	if (!session_has_process(c->s))
		return NULL;
	pid_t tid = sel && sel->kind == TSEL_ONE ? sel->tid : c->s->cur_tid;
	return target_thread_by_tid(c->s->tgt, tid);
}

const char *cmd_dwarf_reg_name(int is32, int dw)
{
	static const char *const names32[] = { "eax", "ecx", "edx", "ebx", "esp", "ebp", "esi", "edi", "eip" };
	if (is32)
		return dw >= 0 && dw < (int)ARRAY_SIZE(names32) ? names32[dw] : NULL;
	int idx = dw < 0 ? -1 : sym_dwarf_reg(0, (uint64_t)dw);
	return idx < 0 ? NULL : regs_name((enum reg_index)idx);
}

void cmd_post_program(struct cmd_ctx *c, struct cmd_program *p)
{
	if (c->program)
		c->program->release(c, c->program);
	c->program = p;
}

/* ---- the line grammar ---- */

/* s at '"': past the closing quote (backslash escapes inside), or at the end. */
static const char *string_end(const char *s)
{
	s++;
	while (*s && *s != '"') {
		if (*s == '\\' && s[1])
			s++;
		s++;
	}
	return *s ? s + 1 : s;
}

/* s at "${": past its '}', or NULL when it has none (then the characters are ordinary). */
static const char *alias_token_end(const char *s)
{
	const char *e = strchr(s + 2, '}');
	return e ? e + 1 : NULL;
}

size_t cmd_split_length(const char *s)
{
	int brace = 0;
	const char *e = s;
	while (*e) {
		if (*e == '"') {
			e = string_end(e);
			continue;
		}
		if (*e == '$' && e[1] == '{' && alias_token_end(e)) {
			e = alias_token_end(e);
			continue;
		}
		if (*e == '{')
			brace++;
		else if (*e == '}' && brace)
			brace--;
		else if (*e == ';' && !brace)
			break;
		e++;
	}
	return (size_t)(e - s);
}

const char *cmd_brace_end(const char *s)
{
	int depth = 0;
	const char *e = s;
	while (*e) {
		if (*e == '"') {
			e = string_end(e);
			continue;
		}
		if (*e == '$' && e[1] == '{' && alias_token_end(e)) {
			e = alias_token_end(e);
			continue;
		}
		if (*e == '{')
			depth++;
		else if (*e == '}' && --depth == 0)
			return e;
		e++;
	}
	return NULL;
}

const char *cmd_skip_seps(const char *s)
{
	while (*s == ' ' || *s == '\t' || *s == ';' || *s == '\r' || *s == '\n')
		s++;
	return s;
}

/* s starts with the token word (".else"), not a longer name (".elsewhere"). */
static int starts_word(const char *s, const char *word)
{
	size_t n = str_iprefix(s, word);
	return n && !isalnum((unsigned char)s[n]) && s[n] != '_';
}

/* s at '(': past the matching ')', or the end. */
static const char *paren_end(const char *s)
{
	int depth = 0;
	while (*s) {
		if (*s == '"') {
			s = string_end(s);
			continue;
		}
		if (*s == '(')
			depth++;
		else if (*s == ')' && --depth == 0)
			return s + 1;
		s++;
	}
	return s;
}

/* After a statement's block at e: does another element of it follow at q? */
static const char *continues_at(const char *q, enum cmd_block_kind kind)
{
	if (kind == BLOCK_IF && (starts_word(q, ".elsif") || starts_word(q, ".else")))
		return q;
	if (kind == BLOCK_DO && *q == '(')
		return q;
	return NULL;
}

size_t cmd_block_extent(const char *args, enum cmd_block_kind kind)
{
	const char *e = args;
	int paren = 0;
	while (*e) {
		if (*e == '"') {
			e = string_end(e);
			continue;
		}
		if (*e == '$' && e[1] == '{' && alias_token_end(e)) {
			e = alias_token_end(e);
			continue;
		}
		if (*e == '(') {
			paren++;
		} else if (*e == ')') {
			if (paren)
				paren--;
		} else if (*e == '{') {
			const char *close = cmd_brace_end(e);
			if (!close)
				return strlen(args);
			e = close + 1;
			if (paren)
				continue;	/* .foreach (Variable { InCommands }) */
			const char *q = cmd_skip_seps(e);
			const char *more = continues_at(q, kind);
			if (more && kind == BLOCK_DO)
				return (size_t)(paren_end(more) - args);
			if (more) {
				e = more;
				continue;
			}
			/* Text glued to the last block is the statement's (it reports it). */
			q = skip_ws(e);
			if (*q && *q != ';')
				return (size_t)(e - args) + cmd_split_length(e);
			return (size_t)(e - args);
		} else if (*e == ';' && !paren) {
			/* Between a token and its block (a script's line break). */
			const char *q = cmd_skip_seps(e);
			if (*q != '{' && !continues_at(q, kind))
				return (size_t)(e - args);
			e = q;
			continue;
		}
		e++;
	}
	return (size_t)(e - args);
}

char *cmd_block(struct cmd_ctx *c, const char **p)
{
	const char *s = cmd_skip_seps(*p);
	if (*s != '{') {
		cmd_error(c, "Syntax error: expected '{' at '%.200s'", s);
		return NULL;
	}
	const char *e = cmd_brace_end(s);
	if (!e) {
		cmd_error(c, "Syntax error: missing '}'");
		return NULL;
	}
	*p = e + 1;
	return xstrndup(s + 1, (size_t)(e - s - 1));
}

int cmd_condition(struct cmd_ctx *c, const char *text, uint64_t *v)
{
	const char *s = cmd_skip_seps(text);
	size_t n = strlen(s);
	while (n && strchr(" \t;\r\n", s[n - 1]))
		n--;
	if (!n)
		return cmd_error(c, "Syntax error: a condition is needed");
	char *copy = xstrndup(s, n);
	const char *q = copy;
	int rc = cmd_expr(c, &q, v);
	if (rc == 0 && *skip_ws(q))
		rc = cmd_error(c, "Syntax error at '%.200s'", skip_ws(q));
	free(copy);
	return rc;
}

/* ---- strings in the program's memory ---- */

void cmd_utf8(struct sbuf *out, uint32_t cp)
{
	if (cp > 0x10ffff || (cp >= 0xd800 && cp <= 0xdfff))
		cp = 0xfffd;
	if (cp < 0x80) {
		sb_addc(out, (char)cp);
	} else if (cp < 0x800) {
		sb_addc(out, (char)(0xc0 | (cp >> 6)));
		sb_addc(out, (char)(0x80 | (cp & 0x3f)));
	} else if (cp < 0x10000) {
		sb_addc(out, (char)(0xe0 | (cp >> 12)));
		sb_addc(out, (char)(0x80 | ((cp >> 6) & 0x3f)));
		sb_addc(out, (char)(0x80 | (cp & 0x3f)));
	} else {
		sb_addc(out, (char)(0xf0 | (cp >> 18)));
		sb_addc(out, (char)(0x80 | ((cp >> 12) & 0x3f)));
		sb_addc(out, (char)(0x80 | ((cp >> 6) & 0x3f)));
		sb_addc(out, (char)(0x80 | (cp & 0x3f)));
	}
}

/* Appends count UTF-16 units (or bytes) of buf as UTF-8; a lone surrogate becomes U+FFFD. */
static void add_units(struct sbuf *out, const uint8_t *buf, size_t count, int unit)
{
	if (unit == 1) {
		sb_addn(out, (const char *)buf, count);
		return;
	}
	for (size_t i = 0; i < count; i++) {
		uint32_t u = (uint32_t)buf[2 * i] | (uint32_t)buf[2 * i + 1] << 8;
		if (u >= 0xd800 && u <= 0xdbff && i + 1 < count) {
			uint32_t lo = (uint32_t)buf[2 * i + 2] | (uint32_t)buf[2 * i + 3] << 8;
			if (lo >= 0xdc00 && lo <= 0xdfff) {
				cmd_utf8(out, 0x10000 + ((u - 0xd800) << 10) + (lo - 0xdc00));
				i++;
				continue;
			}
		}
		cmd_utf8(out, u);
	}
}

static int memory_error(struct cmd_ctx *c, uint64_t addr)
{
	struct sbuf sb = { 0 };
	cmd_addr(&sb, c, addr);
	cmd_error(c, "Memory access error at %s", sb_str(&sb));
	sb_free(&sb);
	return -1;
}

int cmd_read_string(struct cmd_ctx *c, uint64_t addr, int unit, size_t max, struct sbuf *out)
{
	uint8_t chunk[512];
	size_t per = sizeof(chunk) / (size_t)unit;
	struct sbuf raw = { 0 };	/* the units read so far */
	size_t units = 0;
	while (units < max) {
		size_t want = max - units < per ? max - units : per;
		uint64_t at = addr + (uint64_t)units * (uint64_t)unit;
		/* A read stops where readable memory ends: it returns the bytes it got. */
		int got = session_read(c->s, at, chunk, want * (size_t)unit);
		size_t n = got > 0 ? (size_t)got / (size_t)unit : 0;
		if (n == 0 && units == 0) {
			sb_free(&raw);
			return memory_error(c, addr);
		}
		size_t end = 0;
		while (end < n && (unit == 1 ? chunk[end] != 0 : (chunk[2 * end] | chunk[2 * end + 1]) != 0))
			end++;
		sb_addn(&raw, (const char *)chunk, end * (size_t)unit);
		units += end;
		if (end < want)
			break;	/* the terminator, or the end of readable memory */
	}
	add_units(out, (const uint8_t *)sb_str(&raw), units, unit);
	sb_free(&raw);
	return 0;
}

int cmd_read_counted_string(struct cmd_ctx *c, uint64_t addr, int unit, struct sbuf *out)
{
	/* USHORT Length, MaximumLength (bytes), then the pointer, aligned to its size. */
	int ptr = session_is32(c->s) ? 4 : 8;
	uint8_t head[16];
	if (session_read(c->s, addr, head, (size_t)(ptr * 2)) != ptr * 2)
		return memory_error(c, addr);
	size_t length = (size_t)head[0] | (size_t)head[1] << 8;
	uint64_t buffer = 0;
	for (int i = ptr - 1; i >= 0; i--)
		buffer = buffer << 8 | head[ptr + i];
	size_t units = length / (size_t)unit;
	if (units == 0)
		return 0;
	uint8_t *data = xmalloc(units * (size_t)unit);
	if (session_read(c->s, buffer, data, units * (size_t)unit) != (int)(units * (size_t)unit)) {
		free(data);
		return memory_error(c, buffer);
	}
	add_units(out, data, units, unit);
	free(data);
	return 0;
}

int cmd_word_expr(struct cmd_ctx *c, const char **p, const char *missing, uint64_t *v)
{
	char *word = cmd_word(p);
	if (!word)
		return cmd_error(c, "%s", missing);
	const char *w = word;
	int rc = cmd_expr(c, &w, v);
	if (rc == 0 && *skip_ws(w))
		rc = cmd_error(c, "Syntax error at '%s'", w);
	free(word);
	return rc < 0 ? -1 : 0;
}
