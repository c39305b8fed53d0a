/*
 * wild.c — WinDbg string wildcards (windbg-commands.md §4.3), used by x, bm
 * and $spat.
 *
 * The pattern is compiled into a list of single-character classes, each to be
 * matched exactly once or "zero or more" times ('*' is any character zero or
 * more times, "c#" is c zero or more times, "c+" is c once then c#).  Matching
 * runs that list as an NFA over the text, one pass per text character, so it
 * costs O(pattern × text) with no recursion and no backtracking blow-up.
 * Comparison is ASCII case-insensitive; other bytes compare exactly.
 *
 * Choices where §4.3 is silent: a '#' or '+' with nothing before it, a '['
 * without its ']' and a trailing '\' are literal characters; "[]" matches
 * nothing; a quantifier after a '*' or after another quantifier changes
 * nothing.
 */
#include "util/util.h"

#include <stdlib.h>
#include <string.h>

struct welem {
	unsigned char set[32];	/* bitmap of the bytes this element accepts */
	unsigned char star;	/* zero or more times, else exactly once */
};

/* Patterns this short compile without touching the heap (bm calls us per symbol). */
#define WILD_SMALL 64

static int w_lower(int ch)
{
	return (ch >= 'A' && ch <= 'Z') ? ch + ('a' - 'A') : ch;
}

static int w_upper(int ch)
{
	return (ch >= 'a' && ch <= 'z') ? ch - ('a' - 'A') : ch;
}

static void set_add(struct welem *e, int ch)
{
	int lo = w_lower(ch), up = w_upper(ch);
	e->set[lo >> 3] |= (unsigned char)(1u << (lo & 7));
	e->set[up >> 3] |= (unsigned char)(1u << (up & 7));
}

static int set_has(const struct welem *e, int ch)
{
	return (e->set[ch >> 3] >> (ch & 7)) & 1;
}

/*
 * Parses "[...]" at p (p[0] == '[').  Returns the position after ']' and fills
 * e, or NULL when there is no closing bracket.
 */
static const char *parse_set(const char *p, struct welem *e)
{
	const char *q = p + 1;
	while (*q && *q != ']') {
		int a = (unsigned char)*q;
		if (a == '\\' && q[1])
			a = (unsigned char)*++q;
		q++;
		if (*q == '-' && q[1] && q[1] != ']') {
			int b = (unsigned char)q[1];
			q += 2;
			if (b == '\\' && *q) {
				b = (unsigned char)*q;
				q++;
			}
			if (a > b) {
				int t = a;
				a = b;
				b = t;
			}
			for (int ch = a; ch <= b; ch++)
				set_add(e, ch);
		} else {
			set_add(e, a);
		}
	}
	if (*q != ']')
		return NULL;
	return q + 1;
}

/* Returns the number of elements written to el (at most strlen(pat) + 1). */
static size_t compile(const char *pat, int symbol_rules, struct welem *el)
{
	size_t n = 0;
	const char *p = pat;

	if (symbol_rules && *p == '_') {
		/* Leading underscores in the pattern stand for any number of them. */
		memset(&el[n], 0, sizeof(el[n]));
		set_add(&el[n], '_');
		el[n].star = 1;
		n++;
		while (*p == '_')
			p++;
	}
	while (*p) {
		int ch = (unsigned char)*p;
		if ((ch == '#' || ch == '+') && n > 0) {
			p++;
			if (el[n - 1].star)
				continue;
			if (ch == '#') {
				el[n - 1].star = 1;
			} else {
				el[n] = el[n - 1];
				el[n].star = 1;
				n++;
			}
			continue;
		}
		struct welem *e = &el[n];
		const char *after;
		memset(e, 0, sizeof(*e));
		if (ch == '*' || ch == '?') {
			memset(e->set, 0xff, sizeof(e->set));
			e->star = ch == '*';
			p++;
		} else if (ch == '[' && (after = parse_set(p, e)) != NULL) {
			p = after;
		} else if (ch == '\\' && p[1]) {
			memset(e->set, 0, sizeof(e->set));
			set_add(e, (unsigned char)p[1]);
			p += 2;
		} else {
			/* A "[" without "]" may have left bits behind. */
			memset(e->set, 0, sizeof(e->set));
			set_add(e, ch);
			p++;
		}
		n++;
	}
	return n;
}

int wild_match(const char *pattern, const char *text, int symbol_rules)
{
	struct welem small_el[WILD_SMALL + 1];
	unsigned char small_st[2 * (WILD_SMALL + 2)];
	struct welem *el = small_el;
	unsigned char *states = small_st, *cur, *nxt;
	int matched;

	if (!pattern || !text)
		return 0;
	size_t plen = strlen(pattern);
	if (plen > WILD_SMALL) {
		el = xmalloc((plen + 1) * sizeof(*el));
		states = xmalloc(2 * (plen + 2));
	}
	size_t n = compile(pattern, symbol_rules, el);
	cur = states;
	nxt = states + n + 1;

	/* cur[i]: the first i elements can account for the text read so far. */
	memset(cur, 0, n + 1);
	cur[0] = 1;
	for (const unsigned char *t = (const unsigned char *)text;; t++) {
		int any = 0;
		for (size_t i = 0; i < n; i++)
			if (cur[i] && el[i].star)
				cur[i + 1] = 1;
		if (!*t)
			break;
		memset(nxt, 0, n + 1);
		for (size_t i = 0; i < n; i++) {
			if (!cur[i] || !set_has(&el[i], *t))
				continue;
			nxt[el[i].star ? i : i + 1] = 1;
			any = 1;
		}
		unsigned char *tmp = cur;
		cur = nxt;
		nxt = tmp;
		if (!any)
			break;
	}
	matched = cur[n];
	if (el != small_el) {
		free(el);
		free(states);
	}
	return matched;
}

int wild_has_wildcards(const char *pattern)
{
	return pattern && strpbrk(pattern, "*?[#+\\") != NULL;
}
