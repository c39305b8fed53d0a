/*
 * util.c — see util.h.  Allocation failure is fatal: a debugger that has run
 * out of memory cannot keep its promises to the debuggee, so it says so and
 * exits (the process-exit path of main.c still detaches cleanly via atexit).
 */
#include "util/util.h"

#include <ctype.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

static char err_slot[1024];

int err_set(const char *fmt, ...)
{
	va_list ap;
	va_start(ap, fmt);
	vsnprintf(err_slot, sizeof(err_slot), fmt, ap);
	va_end(ap);
	return -1;
}

const char *err_get(void)
{
	return err_slot[0] ? err_slot : "unknown error";
}

void err_clear(void)
{
	err_slot[0] = 0;
}

static void out_of_memory(void)
{
	fputs("dr7: out of memory\n", stderr);
	exit(3);
}

void *xmalloc(size_t n)
{
	void *p = malloc(n ? n : 1);
	if (!p)
		out_of_memory();
	return p;
}

void *xcalloc(size_t n, size_t size)
{
	void *p = calloc(n ? n : 1, size ? size : 1);
	if (!p)
		out_of_memory();
	return p;
}

void *xrealloc(void *p, size_t n)
{
	p = realloc(p, n ? n : 1);
	if (!p)
		out_of_memory();
	return p;
}

char *xstrdup(const char *s)
{
	return xstrndup(s, strlen(s));
}

char *xstrndup(const char *s, size_t n)
{
	char *p = xmalloc(n + 1);
	memcpy(p, s, n);
	p[n] = 0;
	return p;
}

static void sb_grow(struct sbuf *sb, size_t extra)
{
	if (sb->len + extra + 1 <= sb->cap)
		return;
	size_t cap = sb->cap ? sb->cap : 64;
	while (cap < sb->len + extra + 1)
		cap *= 2;
	sb->buf = xrealloc(sb->buf, cap);
	sb->cap = cap;
}

void sb_addn(struct sbuf *sb, const char *s, size_t n)
{
	sb_grow(sb, n);
	memcpy(sb->buf + sb->len, s, n);
	sb->len += n;
	sb->buf[sb->len] = 0;
}

void sb_add(struct sbuf *sb, const char *s)
{
	sb_addn(sb, s, strlen(s));
}

void sb_addc(struct sbuf *sb, char c)
{
	sb_addn(sb, &c, 1);
}

void sb_vaddf(struct sbuf *sb, const char *fmt, va_list ap)
{
	va_list ap2;
	va_copy(ap2, ap);
	int n = vsnprintf(NULL, 0, fmt, ap2);
	va_end(ap2);
	if (n <= 0)
		return;
	sb_grow(sb, (size_t)n);
	vsnprintf(sb->buf + sb->len, (size_t)n + 1, fmt, ap);
	sb->len += (size_t)n;
}

void sb_addf(struct sbuf *sb, const char *fmt, ...)
{
	va_list ap;
	va_start(ap, fmt);
	sb_vaddf(sb, fmt, ap);
	va_end(ap);
}

void sb_reset(struct sbuf *sb)
{
	sb->len = 0;
	if (sb->buf)
		sb->buf[0] = 0;
}

void sb_free(struct sbuf *sb)
{
	free(sb->buf);
	sb->buf = NULL;
	sb->len = sb->cap = 0;
}

const char *sb_str(const struct sbuf *sb)
{
	return sb->buf ? sb->buf : "";
}

size_t str_iprefix(const char *s, const char *prefix)
{
	size_t n = strlen(prefix);
	return strncasecmp(s, prefix, n) == 0 ? n : 0;
}

const char *skip_ws(const char *s)
{
	while (*s == ' ' || *s == '\t')
		s++;
	return s;
}

const char *skip_sep(const char *s)
{
	while (*s == ' ' || *s == '\t' || *s == ',')
		s++;
	return s;
}

static int hex_digit(int ch)
{
	if (ch >= '0' && ch <= '9')
		return ch - '0';
	if (ch >= 'a' && ch <= 'f')
		return ch - 'a' + 10;
	if (ch >= 'A' && ch <= 'F')
		return ch - 'A' + 10;
	return -1;
}

int c_escape_decode(const char **p, struct sbuf *out)
{
	const char *s = *p;
	static const char letters[] = "ntrabfv0\\\"'?";
	static const char bytes[] = "\n\t\r\a\b\f\v\0\\\"'?";
	const char *at = *s ? strchr(letters, *s) : NULL;
	if (at) {
		sb_addc(out, bytes[at - letters]);
		*p = s + 1;
		return 0;
	}
	if (*s != 'x' || hex_digit((unsigned char)s[1]) < 0)
		return -1;
	int h = hex_digit((unsigned char)s[1]);
	s += 2;
	if (hex_digit((unsigned char)*s) >= 0)
		h = h * 16 + hex_digit((unsigned char)*s++);
	sb_addc(out, (char)h);
	*p = s;
	return 0;
}
