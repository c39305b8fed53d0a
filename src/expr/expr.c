/*
 * expr.c — WinDbg's MASM expression evaluator (see expr.h for the contract).
 *
 * Owns the lexing and evaluation of one expression.  Invariants:
 *   - every read stops at the NUL terminator; nothing here allocates except the
 *     string arguments of $scmp/$sicmp/$spat, which are freed on every path;
 *   - recursion happens only through parse_unary()/parse_binary(): each unary
 *     operator and each parenthesis costs one unit of ctx.depth (capped at
 *     EXPR_MAX_DEPTH), and binary levels use precedence climbing, which adds at
 *     most one frame per precedence level, so stack use is bounded whatever the
 *     input and time is linear in its length;
 *   - the target, symbols and registers are reached only through env callbacks,
 *     and 32-bit registers arrive already sign-extended (§2.6) — nothing is
 *     sign-extended here;
 *   - on success *end is the first character after the last token consumed
 *     (spaces after the expression are not consumed); on failure it is the start
 *     of the token the message quotes.
 */
#include "expr/expr.h"
#include "util/util.h"

#include <stdlib.h>
#include <string.h>
#include <strings.h>

#define EXPR_MAX_DEPTH 100
/* The error slot holds 1 KB; quote at most this much so the closing ' survives. */
#define ECHO_MAX 900
/* Readability is page-granular, so $vvalid probes one byte per (smallest) page. */
#define PROBE_PAGE 4096u
#define VVALID_MAX_PROBES 65536u

struct ctx {
	const struct expr_env *env;
	const char *p;		/* next unread character */
	const char *errpos;	/* where the reported failure is */
	int depth;
	int radix;
	int ptrsize;
};

static int parse_binary(struct ctx *c, int min_level, uint64_t *v);
static int parse_unary(struct ctx *c, uint64_t *v);

/* ASCII only: identifiers are ASCII and locale must not change the grammar. */
static int is_digit(int ch)
{
	return ch >= '0' && ch <= '9';
}

static int is_alpha(int ch)
{
	return (ch >= 'a' && ch <= 'z') || (ch >= 'A' && ch <= 'Z');
}

static int is_alnum(int ch)
{
	return is_digit(ch) || is_alpha(ch);
}

static int lower(int ch)
{
	return (ch >= 'A' && ch <= 'Z') ? ch + ('a' - 'A') : ch;
}

static int digit_val(int ch)
{
	if (is_digit(ch))
		return ch - '0';
	ch = lower(ch);
	if (ch >= 'a' && ch <= 'z')
		return ch - 'a' + 10;
	return -1;
}

static int fail(struct ctx *c, const char *at, const char *what)
{
	size_t n = strlen(at);
	c->errpos = at;
	if (n > ECHO_MAX)
		n = ECHO_MAX;
	return err_set("%s at '%.*s'", what, (int)n, at);
}

static int word_eq(const char *s, size_t n, const char *w)
{
	size_t i;
	for (i = 0; i < n; i++)
		if (!w[i] || lower((unsigned char)s[i]) != w[i])
			return 0;
	return w[i] == 0;
}

/*
 * A symbol/register/number word: letters, digits, _ $ ? . and '!' (module
 * separator, but not the one of "!="), "::" pairs, and a backtick only between
 * two alphanumerics (00000000`773ffc00) so that `file:line` stays a token.
 */
static const char *scan_word(const char *start)
{
	const char *s = start;
	for (;;) {
		unsigned char ch = (unsigned char)*s;
		if (is_alnum(ch) || ch == '_' || ch == '$' || ch == '?' || ch == '.')
			s++;
		else if (ch == '!' && s[1] != '=')
			s++;
		else if (ch == ':' && s[1] == ':')
			s += 2;
		else if (ch == '`' && s > start && is_alnum((unsigned char)s[-1]) &&
			 is_alnum((unsigned char)s[1]))
			s++;
		else
			return s;
	}
}

/* Register names after '@': no module separators or dots. */
static const char *scan_regname(const char *s)
{
	while (is_alnum((unsigned char)*s) || *s == '_' || *s == '$')
		s++;
	return s;
}

static int prefix_radix(const char *s, const char *e)
{
	if (e - s < 2 || s[0] != '0')
		return 0;
	switch (lower((unsigned char)s[1])) {
	case 'x': return 16;
	case 'n': return 10;
	case 't': return 8;
	case 'y': return 2;
	}
	return 0;
}

enum { NUM_OK, NUM_NOT, NUM_OVERFLOW };

/* Digits of [s, e) in radix, backticks allowed between digits. */
static int parse_digits(const char *s, const char *e, int radix, uint64_t *v)
{
	uint64_t acc = 0;
	int nd = 0, over = 0;
	for (const char *p = s; p < e; p++) {
		if (*p == '`') {
			if (p == s || p + 1 == e || p[1] == '`')
				return NUM_NOT;
			continue;
		}
		int d = digit_val((unsigned char)*p);
		if (d < 0 || d >= radix)
			return NUM_NOT;
		if (acc > (UINT64_MAX - (uint64_t)d) / (uint64_t)radix)
			over = 1;
		else
			acc = acc * (uint64_t)radix + (uint64_t)d;
		nd++;
	}
	if (!nd)
		return NUM_NOT;
	if (over)
		return NUM_OVERFLOW;
	*v = acc;
	return NUM_OK;
}

/* The whole of [s, e) as a MASM number (prefix, h suffix, or default radix). */
static int parse_number(const char *s, const char *e, int radix, uint64_t *v)
{
	int pr = prefix_radix(s, e);
	if (pr) {
		if (e - s == 2) {
			*v = 0;
			return NUM_OK;
		}
		return parse_digits(s + 2, e, pr, v);
	}
	if (e - s >= 2 && lower((unsigned char)e[-1]) == 'h') {
		int r = parse_digits(s, e - 1, 16, v);
		if (r != NUM_NOT)
			return r;
	}
	return parse_digits(s, e, radix, v);
}

/*
 * A word that starts with a digit but is not a number as a whole ("1000L8",
 * "10h5"): the longest run of valid digits is the number and the expression
 * continues (or ends) after it, so "dd 1000L8" works.  Returns the end, or
 * NULL when the word is simply a bad number.
 */
static const char *number_prefix(const char *s, const char *e, int radix)
{
	const char *p = s;
	int pr = prefix_radix(s, e);
	if (pr) {
		radix = pr;
		p += 2;
	}
	const char *digits = p;
	while (p < e) {
		int d = digit_val((unsigned char)*p);
		if (d >= 0 && d < radix) {
			p++;
			continue;
		}
		if (*p == '`' && p > digits && p + 1 < e) {
			int d2 = digit_val((unsigned char)p[1]);
			if (d2 >= 0 && d2 < radix) {
				p++;
				continue;
			}
		}
		break;
	}
	if (p == digits && !pr)
		return NULL;
	/* A decimal digit the radix rejects ("0y12", "0t8") is a malformed number,
	 * and "1.5" is not two tokens. */
	if (p < e && (is_digit((unsigned char)*p) || *p == '.'))
		return NULL;
	return p;
}

static int call_reg(struct ctx *c, const char *name, size_t len, uint64_t *v)
{
	if (!c->env->reg)
		return -1;
	return c->env->reg(c->env->user, name, len, v) == 0 ? 0 : -1;
}

static int call_sym(struct ctx *c, const char *name, size_t len, uint64_t *v)
{
	if (!c->env->sym)
		return -1;
	return c->env->sym(c->env->user, name, len, v) == 0 ? 0 : -1;
}

static int read_mem(struct ctx *c, const char *at, uint64_t addr, size_t n, uint64_t *v)
{
	unsigned char buf[8] = { 0 };
	if (n > sizeof(buf) || !c->env->mem || c->env->mem(c->env->user, addr, buf, n) != 0)
		return fail(c, at, "Memory access error");
	uint64_t r = 0;
	for (size_t i = n; i-- > 0;)
		r = (r << 8) | buf[i];
	*v = r;
	return 0;
}

/* --- string arguments of $scmp / $sicmp / $spat --- */

/* "text" with C escapes, or @"text" taken literally.  -1 on malformed input. */
static int parse_string(struct ctx *c, struct sbuf *out)
{
	const char *p = skip_ws(c->p);
	int literal = 0;
	if (*p == '@') {
		literal = 1;
		p++;
	}
	if (*p != '"')
		return -1;
	p++;
	for (;;) {
		char ch = *p;
		if (!ch)
			return -1;
		if (ch == '"')
			break;
		if (ch != '\\' || literal) {
			sb_addc(out, ch);
			p++;
			continue;
		}
		p++;
		if (c_escape_decode(&p, out) < 0)
			return -1;
	}
	c->p = p + 1;
	return 0;
}

static int expect_char(struct ctx *c, char ch)
{
	const char *p = skip_ws(c->p);
	if (*p != ch)
		return -1;
	c->p = p + 1;
	return 0;
}

static int sign_of(int r)
{
	return r < 0 ? -1 : r > 0;
}

static int ascii_casecmp(const char *a, const char *b)
{
	for (;; a++, b++) {
		int x = lower((unsigned char)*a), y = lower((unsigned char)*b);
		if (x != y || !x)
			return x - y;
	}
}

enum { F_SCMP = 1, F_SICMP, F_SPAT };

/* $scmp/$sicmp/$spat("a", "b"); c->p is at the '('.  Errors quote the '(' as WinDbg does. */
static int eval_string_func(struct ctx *c, int fn, uint64_t *v)
{
	const char *paren = c->p;
	struct sbuf a = { 0 }, b = { 0 };
	int rc = -1;
	c->p = paren + 1;
	if (parse_string(c, &a) || expect_char(c, ',') || parse_string(c, &b) ||
	    expect_char(c, ')')) {
		fail(c, paren, "Syntax error");
		goto out;
	}
	switch (fn) {
	case F_SCMP:
		*v = (uint64_t)(int64_t)sign_of(strcmp(sb_str(&a), sb_str(&b)));
		break;
	case F_SICMP:
		*v = (uint64_t)(int64_t)sign_of(ascii_casecmp(sb_str(&a), sb_str(&b)));
		break;
	default:
		*v = wild_match(sb_str(&b), sb_str(&a), 0) ? 1 : 0;
		break;
	}
	rc = 0;
out:
	sb_free(&a);
	sb_free(&b);
	return rc;
}

/* $vvalid(addr, len): 1 when every byte of the range can be read. */
static int eval_vvalid(struct ctx *c, uint64_t *v)
{
	const char *paren = c->p;
	uint64_t addr, len;
	c->p = paren + 1;
	if (parse_binary(c, 1, &addr))
		return -1;
	if (expect_char(c, ','))
		return fail(c, skip_ws(c->p), "Syntax error");
	if (parse_binary(c, 1, &len))
		return -1;
	if (expect_char(c, ')'))
		return fail(c, skip_ws(c->p), "Syntax error");
	*v = 0;
	if (len == 0) {
		*v = 1;
		return 0;
	}
	uint64_t last = addr + (len - 1);
	if (last < addr)
		return 0;
	if (((last / PROBE_PAGE) - (addr / PROBE_PAGE)) >= VVALID_MAX_PROBES)
		return 0;	/* too large to be a sensible question; say no */
	if (!c->env->mem)
		return 0;
	unsigned char byte;
	uint64_t a = addr;
	for (;;) {
		if (c->env->mem(c->env->user, a, &byte, 1) != 0)
			return 0;
		uint64_t next = (a / PROBE_PAGE + 1) * PROBE_PAGE;
		if (a == last)
			break;
		a = (next > last || next == 0) ? last : next;
	}
	*v = 1;
	return 0;
}

/* --- operands --- */

static int starts_operand_at(const char *s)
{
	unsigned char ch = (unsigned char)*s;
	return is_alnum(ch) || ch == '_' || ch == '?' || ch == '$' || ch == '@' || ch == '(' ||
	       ch == '-' || ch == '+' || ch == '`' || ch == '.' || ch == '!';
}

int expr_starts_operand(const char *s)
{
	if (!s)
		return 0;
	return starts_operand_at(skip_ws(s));
}

enum uop { U_NONE, U_NOT, U_HI, U_LOW, U_BY, U_WO, U_DWO, U_QWO, U_POI };

static enum uop word_unary(const char *s, size_t n)
{
	static const struct { const char *w; enum uop op; } tab[] = {
		{ "not", U_NOT }, { "hi", U_HI }, { "low", U_LOW }, { "by", U_BY },
		{ "wo", U_WO }, { "dwo", U_DWO }, { "qwo", U_QWO }, { "poi", U_POI },
	};
	for (size_t i = 0; i < ARRAY_SIZE(tab); i++)
		if (word_eq(s, n, tab[i].w))
			return tab[i].op;
	return U_NONE;
}

static int apply_unary(struct ctx *c, enum uop op, const char *at, uint64_t x, uint64_t *v)
{
	switch (op) {
	case U_NOT: *v = x == 0; return 0;
	case U_HI: *v = (x >> 16) & 0xffff; return 0;
	case U_LOW: *v = x & 0xffff; return 0;
	case U_BY: return read_mem(c, at, x, 1, v);
	case U_WO: return read_mem(c, at, x, 2, v);
	case U_DWO: return read_mem(c, at, x, 4, v);
	case U_QWO: return read_mem(c, at, x, 8, v);
	case U_POI: return read_mem(c, at, x, (size_t)c->ptrsize, v);
	default: *v = x; return 0;
	}
}

/* A word at operand position that starts with a digit. */
static int eval_numeric_word(struct ctx *c, const char *s, const char *e, uint64_t *v)
{
	int r = parse_number(s, e, c->radix, v);
	if (r == NUM_OK) {
		c->p = e;
		return 0;
	}
	if (r == NUM_OVERFLOW)
		return fail(c, s, "Numeric overflow");
	const char *pe = number_prefix(s, e, c->radix);
	if (!pe)
		return fail(c, s, "Syntax error");
	r = parse_number(s, pe, c->radix, v);
	if (r == NUM_OVERFLOW)
		return fail(c, s, "Numeric overflow");
	if (r != NUM_OK)
		return fail(c, s, "Syntax error");
	c->p = pe;
	return 0;
}

static int eval_dollar_word(struct ctx *c, const char *s, const char *e, uint64_t *v)
{
	size_t n = (size_t)(e - s);
	const char *after = skip_ws(e);
	if (*after == '(') {
		int fn = word_eq(s, n, "$scmp") ? F_SCMP : word_eq(s, n, "$sicmp") ? F_SICMP :
			 word_eq(s, n, "$spat") ? F_SPAT : 0;
		if (fn) {
			c->p = after;
			return eval_string_func(c, fn, v);
		}
		if (word_eq(s, n, "$vvalid")) {
			c->p = after;
			return eval_vvalid(c, v);
		}
	}
	/* Pseudo-register names are reserved, so the register is asked first:
	 * conditions like "@$t0 = 5" written without '@' stay off the symbol path. */
	if (call_reg(c, s, n, v) == 0 || call_sym(c, s, n, v) == 0) {
		c->p = e;
		return 0;
	}
	return fail(c, s, "Couldn't resolve error");
}

static int eval_word(struct ctx *c, const char *s, const char *e, uint64_t *v)
{
	size_t n = (size_t)(e - s);
	/* Hex first: in radix 16 "dead" is a number and "!dead" names the symbol. */
	if (is_alpha((unsigned char)*s)) {
		int r = parse_number(s, e, c->radix, v);
		if (r == NUM_OK) {
			c->p = e;
			return 0;
		}
		if (r == NUM_OVERFLOW)
			return fail(c, s, "Numeric overflow");
	}
	if (call_sym(c, s, n, v) == 0 || call_reg(c, s, n, v) == 0) {
		c->p = e;
		return 0;
	}
	return fail(c, s, "Couldn't resolve error");
}

int expr_switch_at(const char *s, enum expr_switch *which, const char **inner, size_t *len,
		   const char **end)
{
	if (!s || s[0] != '@' || s[1] != '@')
		return 0;
	const char *p = s + 2;
	if (!strncasecmp(p, "c++(", 4)) {
		*which = EXPR_SWITCH_CXX;
		p += 3;
	} else if (!strncasecmp(p, "masm(", 5)) {
		*which = EXPR_SWITCH_MASM;
		p += 4;
	} else if (*p == '(') {
		*which = EXPR_SWITCH_OTHER;
	} else {
		return 0;
	}
	const char *open = p;
	int depth = 0;
	for (; *p; p++) {
		if (*p == '"' || *p == '\'') {
			char q = *p;
			for (p++; *p && *p != q; p++)
				if (*p == '\\' && p[1])
					p++;
			if (!*p)
				break;
		} else if (*p == '(') {
			depth++;
		} else if (*p == ')' && --depth == 0) {
			*inner = open + 1;
			*len = (size_t)(p - open - 1);
			*end = p + 1;
			return 1;
		}
	}
	return err_set("Syntax error at '%.*s' (no closing parenthesis)", ECHO_MAX, s);
}

/* @@c++(...), @@masm(...), @@(...) at s: a sub-expression of either evaluator. */
static int eval_switch(struct ctx *c, const char *s, enum expr_switch which, const char *inner,
		       size_t len, const char *after, uint64_t *v)
{
	char *text = xstrndup(inner, len);
	int rc;
	if (which == EXPR_SWITCH_MASM) {
		/* Read here, in this context: the depth budget spans the nesting. */
		const char *saved = c->p;
		c->p = text;
		rc = parse_binary(c, 1, v);
		if (rc == 0 && *skip_ws(c->p))
			rc = fail(c, skip_ws(c->p), "Syntax error");
		c->p = saved;
	} else if (!c->env->cxx) {
		rc = err_set("Syntax error at '%.*s' (no C++ evaluator here)", ECHO_MAX, s);
	} else {
		rc = c->env->cxx(c->env->user, text, v) == 0 ? 0 : -1;
	}
	free(text);
	if (rc != 0) {
		c->errpos = s;	/* not into the freed copy */
		return -1;
	}
	c->p = after;
	return 0;
}

static int eval_at(struct ctx *c, const char *s, uint64_t *v)
{
	if (s[1] == '@') {
		enum expr_switch which;
		const char *inner, *after;
		size_t len;
		int r = expr_switch_at(s, &which, &inner, &len, &after);
		if (r < 0) {
			c->errpos = s;
			return -1;
		}
		if (r == 0)
			return fail(c, s, "Syntax error");
		return eval_switch(c, s, which, inner, len, after, v);
	}
	if (s[1] == '!' && s[2] == '"') {
		const char *text = s + 3;
		const char *q = strchr(text, '"');
		if (!q)
			return fail(c, s, "Syntax error");
		if (call_sym(c, text, (size_t)(q - text), v) != 0)
			return fail(c, s, "Couldn't resolve error");
		c->p = q + 1;
		return 0;
	}
	const char *e = scan_regname(s + 1);
	if (e == s + 1)
		return fail(c, s, "Syntax error");
	if (call_reg(c, s + 1, (size_t)(e - s - 1), v) != 0)
		return fail(c, s, "Bad register error");
	c->p = e;
	return 0;
}

static int eval_srcline(struct ctx *c, const char *s, uint64_t *v)
{
	const char *q = strchr(s + 1, '`');
	if (!q)
		return fail(c, s, "Syntax error");
	if (!c->env->srcline)
		return fail(c, s, "Couldn't resolve error");
	err_clear();
	if (c->env->srcline(c->env->user, s + 1, (size_t)(q - s - 1), v) != 0) {
		/* Keep the callback's own reason (no such file, no line table);
		 * err_get() reports "unknown error" only when it left none. */
		if (strcmp(err_get(), "unknown error") == 0)
			return fail(c, s, "Couldn't resolve error");
		c->errpos = s;
		return -1;
	}
	c->p = q + 1;
	return 0;
}

/* One operand with its unary prefixes; s is past leading spaces. */
static int parse_unary_at(struct ctx *c, const char *s, uint64_t *v)
{
	unsigned char ch = (unsigned char)*s;
	uint64_t x;

	if (ch == '-' || ch == '+') {
		c->p = s + 1;
		if (parse_unary(c, &x))
			return -1;
		*v = ch == '-' ? (uint64_t)0 - x : x;
		return 0;
	}
	if (ch == '(') {
		c->p = s + 1;
		if (parse_binary(c, 1, &x))
			return -1;
		const char *p = skip_ws(c->p);
		if (*p != ')')
			return fail(c, p, "Syntax error");
		c->p = p + 1;
		*v = x;
		return 0;
	}
	if (is_digit(ch))
		return eval_numeric_word(c, s, scan_word(s), v);
	if (is_alpha(ch) || ch == '_' || ch == '?') {
		const char *e = scan_word(s);
		enum uop op = word_unary(s, (size_t)(e - s));
		/* "not", "poi" ... are operators only when an operand follows; alone
		 * they are ordinary names. */
		if (op != U_NONE && starts_operand_at(skip_ws(e))) {
			c->p = e;
			if (parse_unary(c, &x))
				return -1;
			return apply_unary(c, op, s, x, v);
		}
		return eval_word(c, s, e, v);
	}
	if (ch == '$')
		return eval_dollar_word(c, s, scan_word(s), v);
	if (ch == '!') {
		const char *e = scan_word(s);
		if (e - s < 2)
			return fail(c, s, "Syntax error");
		if (call_sym(c, s, (size_t)(e - s), v) != 0)
			return fail(c, s, "Couldn't resolve error");
		c->p = e;
		return 0;
	}
	if (ch == '@')
		return eval_at(c, s, v);
	if (ch == '.') {
		/* '.' is the instruction pointer; ".foo" is not a name WinDbg knows. */
		if (is_alnum((unsigned char)s[1]) || s[1] == '_')
			return fail(c, s, "Syntax error");
		if (call_reg(c, "$ip", 3, v) != 0)
			return fail(c, s, "Bad register error");
		c->p = s + 1;
		return 0;
	}
	if (ch == '`')
		return eval_srcline(c, s, v);
	return fail(c, s, "Syntax error");
}

static int parse_unary(struct ctx *c, uint64_t *v)
{
	const char *s = skip_ws(c->p);
	if (c->depth >= EXPR_MAX_DEPTH)
		return fail(c, s, "Syntax error");
	c->depth++;
	int rc = parse_unary_at(c, s, v);
	c->depth--;
	return rc;
}

/* --- binary operators --- */

enum bop {
	B_MUL, B_DIV, B_MOD, B_ADD, B_SUB, B_SHL, B_SHR, B_SAR,
	B_EQ, B_NE, B_LT, B_GT, B_LE, B_GE, B_AND, B_XOR, B_OR,
};

struct binop {
	enum bop op;
	int level;	/* higher binds tighter */
	size_t len;
};

static int peek_binop(const char *s, struct binop *b)
{
	static const struct { const char *tok; enum bop op; int level; } tab[] = {
		{ ">>>", B_SAR, 5 }, { ">>", B_SHR, 5 }, { "<<", B_SHL, 5 },
		{ "==", B_EQ, 4 }, { "!=", B_NE, 4 }, { "<=", B_LE, 4 }, { ">=", B_GE, 4 },
		{ "=", B_EQ, 4 }, { "<", B_LT, 4 }, { ">", B_GT, 4 },
		{ "*", B_MUL, 7 }, { "/", B_DIV, 7 }, { "%", B_MOD, 7 },
		{ "+", B_ADD, 6 }, { "-", B_SUB, 6 },
		{ "&", B_AND, 3 }, { "^", B_XOR, 2 }, { "|", B_OR, 1 },
	};
	static const struct { const char *w; enum bop op; int level; } words[] = {
		{ "mod", B_MOD, 7 }, { "and", B_AND, 3 }, { "xor", B_XOR, 2 }, { "or", B_OR, 1 },
	};
	for (size_t i = 0; i < ARRAY_SIZE(tab); i++) {
		size_t n = strlen(tab[i].tok);
		if (strncmp(s, tab[i].tok, n) == 0) {
			b->op = tab[i].op;
			b->level = tab[i].level;
			b->len = n;
			return 1;
		}
	}
	if (!is_alpha((unsigned char)*s))
		return 0;
	/* Whole words only: "1 andx" ends the expression before "andx". */
	const char *e = scan_word(s);
	for (size_t i = 0; i < ARRAY_SIZE(words); i++) {
		if (word_eq(s, (size_t)(e - s), words[i].w)) {
			b->op = words[i].op;
			b->level = words[i].level;
			b->len = (size_t)(e - s);
			return 1;
		}
	}
	return 0;
}

static int apply_binary(struct ctx *c, enum bop op, uint64_t l, uint64_t r, const char *rpos,
			uint64_t *v)
{
	switch (op) {
	case B_MUL: *v = l * r; break;
	case B_DIV:
	case B_MOD:
		if (r == 0)
			return fail(c, rpos, "Operand error");
		*v = op == B_DIV ? l / r : l % r;
		break;
	case B_ADD: *v = l + r; break;
	case B_SUB: *v = l - r; break;
	case B_SHL: *v = r >= 64 ? 0 : l << r; break;
	case B_SHR: *v = r >= 64 ? 0 : l >> r; break;
	case B_SAR: {
		uint64_t fill = (l >> 63) ? ~(uint64_t)0 : 0;
		if (r >= 64)
			*v = fill;
		else if (r == 0)
			*v = l;
		else
			*v = (l >> r) | (fill << (64 - r));
		break;
	}
	case B_EQ: *v = l == r; break;
	case B_NE: *v = l != r; break;
	case B_LT: *v = l < r; break;
	case B_GT: *v = l > r; break;
	case B_LE: *v = l <= r; break;
	case B_GE: *v = l >= r; break;
	case B_AND: *v = l & r; break;
	case B_XOR: *v = l ^ r; break;
	case B_OR: *v = l | r; break;
	}
	return 0;
}

/* Precedence climbing: operators of level >= min_level are consumed here. */
static int parse_binary(struct ctx *c, int min_level, uint64_t *v)
{
	uint64_t lhs, rhs;
	if (parse_unary(c, &lhs))
		return -1;
	for (;;) {
		const char *s = skip_ws(c->p);
		struct binop b;
		if (!peek_binop(s, &b) || b.level < min_level)
			break;
		c->p = s + b.len;
		const char *rpos = skip_ws(c->p);
		if (parse_binary(c, b.level + 1, &rhs))
			return -1;
		if (apply_binary(c, b.op, lhs, rhs, rpos, &lhs))
			return -1;
	}
	*v = lhs;
	return 0;
}

int expr_eval(const struct expr_env *env, const char *s, const char **end, uint64_t *val)
{
	static const struct expr_env empty_env;
	struct ctx c;
	uint64_t v = 0;

	if (!s) {
		if (end)
			*end = s;
		return err_set("Syntax error at ''");
	}
	c.env = env ? env : &empty_env;
	c.p = s;
	c.errpos = s;
	c.depth = 0;
	c.radix = c.env->radix;
	if (c.radix != 2 && c.radix != 8 && c.radix != 10 && c.radix != 16)
		c.radix = 16;
	c.ptrsize = c.env->ptrsize == 4 ? 4 : 8;
	if (parse_binary(&c, 1, &v)) {
		if (end)
			*end = c.errpos;
		return -1;
	}
	if (end)
		*end = c.p;
	if (val)
		*val = v;
	return 0;
}
