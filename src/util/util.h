/*
 * util.h — strings, the error slot, allocation and wildcard matching.
 *
 * Every layer below cmd/ reports failure the git way: `return err_set(...)`
 * stores one message line and returns -1; the command layer prints it.  The
 * slot holds the most recent message only, so a caller that wants to keep a
 * message across another failing call copies it first.
 */
#ifndef DR7_UTIL_H
#define DR7_UTIL_H

#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>

#define ARRAY_SIZE(a) (sizeof(a) / sizeof((a)[0]))

#if defined(__GNUC__)
#define PRINTF_LIKE(f, a) __attribute__((format(printf, f, a)))
#else
#define PRINTF_LIKE(f, a)
#endif

/* Growable NUL-terminated string.  A zeroed struct is an empty string. */
struct sbuf {
	char *buf;
	size_t len;
	size_t cap;
};

void sb_add(struct sbuf *sb, const char *s);
void sb_addn(struct sbuf *sb, const char *s, size_t n);
void sb_addc(struct sbuf *sb, char c);
void sb_addf(struct sbuf *sb, const char *fmt, ...) PRINTF_LIKE(2, 3);
void sb_vaddf(struct sbuf *sb, const char *fmt, va_list ap);
void sb_reset(struct sbuf *sb);
void sb_free(struct sbuf *sb);
/* Never NULL, even for an empty buffer. */
const char *sb_str(const struct sbuf *sb);
/* The C escape whose letter is at *p (after the backslash): n t r a b f v 0
 * \\ \" ' ? and xH or xHH.  Appends the byte it stands for and moves *p past
 * it; -1, with nothing consumed, for a letter that starts no escape. */
int c_escape_decode(const char **p, struct sbuf *out);

void *xmalloc(size_t n);
void *xcalloc(size_t n, size_t size);
void *xrealloc(void *p, size_t n);
char *xstrdup(const char *s);
char *xstrndup(const char *s, size_t n);

/* Records a one-line message and returns -1. */
int err_set(const char *fmt, ...) PRINTF_LIKE(1, 2);
const char *err_get(void);
void err_clear(void);

/*
 * WinDbg string wildcards (windbg-commands.md §4.3): * ? [set] # + and \
 * escapes, case-insensitive.  With symbol_rules, a leading '_' in the
 * pattern matches any number of leading underscores.
 */
int wild_match(const char *pattern, const char *text, int symbol_rules);
/* True when the pattern contains any wildcard character. */
int wild_has_wildcards(const char *pattern);

/* Case-insensitive prefix test; returns the length of prefix on match, 0 otherwise. */
size_t str_iprefix(const char *s, const char *prefix);
const char *skip_ws(const char *s);
/* Skips spaces and commas: WinDbg separates parameters with either. */
const char *skip_sep(const char *s);

#endif
