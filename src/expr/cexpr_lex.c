/*
 * cexpr_lex.c — tokens of the C expression language (cexpr.h lists them):
 * numbers in C and WinDbg spellings, character literals, identifiers and
 * mod!name, @registers, punctuators.
 *
 * Invariants: the lexer only reads the NUL-terminated text and never looks
 * past its end; every token records where it starts and how long it is, so
 * the parser's messages quote the text from the offending token on; integer
 * literals that overflow 64 bits are an error, never silently wrapped.
 */
#include "expr/cexpr_internal.h"
#include "expr/expr.h"

#include <ctype.h>
#include <stdlib.h>
#include <string.h>

int cx_lex_syntax_error(struct cx_parser *p, size_t at)
{
	return err_set("Syntax error at '%s'", p->text + at);
}

static int is_ident_start(int c)
{
	return isalpha(c) || c == '_';
}

static int is_ident_char(int c)
{
	return isalnum(c) || c == '_';
}

static int lex_escape(const char *s, size_t *i, uint64_t *v)
{
	char c = s[*i];
	(*i)++;
	switch (c) {
	case 'n': *v = '\n'; return 0;
	case 't': *v = '\t'; return 0;
	case 'r': *v = '\r'; return 0;
	case 'a': *v = '\a'; return 0;
	case 'b': *v = '\b'; return 0;
	case 'f': *v = '\f'; return 0;
	case 'v': *v = '\v'; return 0;
	case '\\': *v = '\\'; return 0;
	case '\'': *v = '\''; return 0;
	case '"': *v = '"'; return 0;
	case '?': *v = '?'; return 0;
	case 'x': {
		uint64_t r = 0;
		int n = 0;
		while (isxdigit((unsigned char)s[*i]) && n < 2) {
			char d = s[*i];
			r = r * 16 + (uint64_t)(isdigit((unsigned char)d) ? d - '0' : tolower((unsigned char)d) - 'a' + 10);
			(*i)++;
			n++;
		}
		if (!n)
			return -1;
		*v = r;
		return 0;
	}
	default:
		if (c >= '0' && c <= '7') {
			uint64_t r = (uint64_t)(c - '0');
			for (int n = 1; n < 3 && s[*i] >= '0' && s[*i] <= '7'; n++)
				r = r * 8 + (uint64_t)(s[(*i)++] - '0');
			*v = r & 0xff;
			return 0;
		}
		return -1;
	}
}

static int lex_number(struct cx_parser *p, struct cx_token *t)
{
	const char *s = p->text;
	size_t i = p->pos;
	int base = 10;
	t->num_decimal = 1;
	if (!(s[i] == '0' && (s[i + 1] == 'x' || s[i + 1] == 'X' || s[i + 1] == 'n' || s[i + 1] == 'N'))) {
		size_t j = i;
		while (isdigit((unsigned char)s[j]))
			j++;
		int frac = s[j] == '.' && isdigit((unsigned char)s[j + 1]);
		int expo = (s[j] == 'e' || s[j] == 'E') &&
			   (isdigit((unsigned char)s[j + 1]) ||
			    ((s[j + 1] == '+' || s[j + 1] == '-') && isdigit((unsigned char)s[j + 2])));
		if (frac || expo) {
			char *end = NULL;
			t->fnum = strtod(s + i, &end);
			size_t k = (size_t)(end - s);
			if (s[k] == 'f' || s[k] == 'F') {
				t->float4 = 1;
				k++;
			}
			if (is_ident_char((unsigned char)s[k]) || s[k] == '.')
				return cx_lex_syntax_error(p, t->start);
			t->kind = T_FLOAT;
			p->pos = k;
			return 0;
		}
	}
	if (s[i] == '0' && (s[i + 1] == 'x' || s[i + 1] == 'X')) {
		base = 16;
		i += 2;
		t->num_decimal = 0;
	} else if (s[i] == '0' && (s[i + 1] == 'n' || s[i + 1] == 'N')) {
		i += 2;
	} else if (s[i] == '0' && isdigit((unsigned char)s[i + 1])) {
		base = 8;
		i++;
		t->num_decimal = 0;
	}
	uint64_t v = 0;
	int digits = 0, overflow = 0;
	for (;; i++) {
		int c = (unsigned char)s[i];
		if (c == '`' && base == 16 && digits && isxdigit((unsigned char)s[i + 1]))
			continue;	/* 00005555`55558010, as dr7 prints addresses */
		int d;
		if (isdigit(c))
			d = c - '0';
		else if (isalpha(c) && base == 16 && isxdigit(c))
			d = tolower(c) - 'a' + 10;
		else
			break;
		if (d >= base)
			return cx_lex_syntax_error(p, t->start);
		if (v > (UINT64_MAX - (uint64_t)d) / (uint64_t)base)
			overflow = 1;
		v = v * (uint64_t)base + (uint64_t)d;
		digits++;
	}
	if (!digits && base != 8)
		return cx_lex_syntax_error(p, t->start);
	if (overflow)
		return err_set("Numeric overflow at '%s'", s + t->start);
	for (;;) {
		int c = s[i];
		if (c == 'u' || c == 'U') {
			t->num_unsigned = 1;
			i++;
		} else if (c == 'l' || c == 'L') {
			t->num_long++;
			i++;
		} else {
			break;
		}
	}
	if (is_ident_char((unsigned char)s[i]))
		return cx_lex_syntax_error(p, t->start);
	t->num = v;
	t->kind = T_NUM;
	p->pos = i;
	return 0;
}

static int lex_token(struct cx_parser *p);

/*
 * Reads the next token into p->tok.  An expression read as the start of a
 * command's arguments (p->prefix) ends before text it cannot lex (the
 * 'Cmd' of j, a quoted string): there a lexing error is a T_BAD token,
 * which the parser refuses only where it needs one.
 */
int cx_lex(struct cx_parser *p)
{
	size_t start = p->pos;
	size_t prev = p->tok.start + p->tok.len;
	if (lex_token(p) == 0)
		return 0;
	if (!p->prefix)
		return -1;
	while (isspace((unsigned char)p->text[start]))
		start++;
	memset(&p->tok, 0, sizeof(p->tok));
	p->tok.kind = T_BAD;
	p->tok.start = start;
	p->tok.len = 1;
	p->pos = start + 1;
	p->prev_end = prev;
	return 0;
}

static int lex_token(struct cx_parser *p)
{
	const char *s = p->text;
	p->prev_end = p->tok.start + p->tok.len;
	while (isspace((unsigned char)s[p->pos]))
		p->pos++;
	struct cx_token *t = &p->tok;
	memset(t, 0, sizeof(*t));
	t->start = p->pos;
	int c = (unsigned char)s[p->pos];
	if (!c) {
		t->kind = T_END;
		return 0;
	}
	if (isdigit(c)) {
		if (lex_number(p, t) < 0)
			return -1;
		t->len = p->pos - t->start;
		return 0;
	}
	if (c == '\'') {
		size_t i = p->pos + 1;
		uint64_t v;
		if (s[i] == '\\') {
			i++;
			if (lex_escape(s, &i, &v) < 0)
				return cx_lex_syntax_error(p, t->start);
		} else if (s[i] && s[i] != '\'') {
			v = (unsigned char)s[i++];
		} else {
			return cx_lex_syntax_error(p, t->start);
		}
		if (s[i] != '\'')
			return cx_lex_syntax_error(p, t->start);
		t->kind = T_CHAR;
		t->num = v;
		p->pos = i + 1;
		t->len = p->pos - t->start;
		return 0;
	}
	if (c == '@' && s[p->pos + 1] == '@') {
		enum expr_switch which;
		const char *inner, *end;
		size_t len;
		int r = expr_switch_at(s + p->pos, &which, &inner, &len, &end);
		if (r < 0)
			return -1;
		if (r == 0)
			return cx_lex_syntax_error(p, t->start);
		if (which == EXPR_SWITCH_CXX) {
			/* @@c++(e) is (e): the parser reads e and its ')' */
			t->kind = T_PUNCT;
			t->punct = '(';
			p->pos = (size_t)(inner - s);
		} else {
			t->kind = T_MASM;
			t->name = inner;
			t->name_len = len;
			p->pos = (size_t)(end - s);
		}
		t->len = p->pos - t->start;
		return 0;
	}
	if (is_ident_start(c) || (c == '@' && (is_ident_start((unsigned char)s[p->pos + 1]) || s[p->pos + 1] == '$'))) {
		size_t i = p->pos;
		if (c == '@') {
			t->kind = T_REG;
			i++;
			if (s[i] == '$')
				i++;
		} else {
			t->kind = T_IDENT;
		}
		size_t name_at = c == '@' ? p->pos + 1 : p->pos;
		while (is_ident_char((unsigned char)s[i]))
			i++;
		/* mod!name: a module-qualified symbol ("demo!counter"), never "a != b". */
		if (t->kind == T_IDENT && s[i] == '!' && s[i + 1] != '=' && is_ident_start((unsigned char)s[i + 1])) {
			i++;
			while (is_ident_char((unsigned char)s[i]))
				i++;
		}
		t->name = s + name_at;
		t->name_len = i - name_at;
		p->pos = i;
		t->len = i - t->start;
		return 0;
	}
	static const struct {
		const char *text;
		int code;
	} multi[] = {
		{ "->", P_ARROW }, { "<<", P_SHL }, { ">>", P_SHR }, { "<=", P_LE }, { ">=", P_GE },
		{ "==", P_EQ }, { "!=", P_NE }, { "&&", P_LAND }, { "||", P_LOR },
	};
	for (size_t k = 0; k < ARRAY_SIZE(multi); k++) {
		if (s[p->pos] == multi[k].text[0] && s[p->pos + 1] == multi[k].text[1]) {
			t->kind = T_PUNCT;
			t->punct = multi[k].code;
			p->pos += 2;
			t->len = 2;
			return 0;
		}
	}
	if (strchr("()[].,?:+-*/%&|^!~<>=", c)) {
		t->kind = T_PUNCT;
		t->punct = c;
		p->pos++;
		t->len = 1;
		return 0;
	}
	/* Not C: the parser refuses it where it needs a token, and an
	 * expression read as a command's prefix ends before it (`"`, `;`). */
	t->kind = T_BAD;
	t->len = 1;
	p->pos++;
	return 0;
}

int cx_lex_is_punct(const struct cx_parser *p, int code)
{
	return p->tok.kind == T_PUNCT && p->tok.punct == code;
}

int cx_lex_is_word(const struct cx_token *t, const char *w)
{
	size_t n = strlen(w);
	return t->kind == T_IDENT && t->name_len == n && !memcmp(t->name, w, n);
}


int cx_lex_expect(struct cx_parser *p, int code)
{
	if (!cx_lex_is_punct(p, code))
		return cx_lex_syntax_error(p, p->tok.start);
	return cx_lex(p);
}
