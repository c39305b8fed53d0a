/*
 * cmd_printf.c — formatted output: .printf (WinDbg's printf over MASM
 * expressions) and .formats (one value in every number format).
 *
 * .printf follows the -printf page: C conversions with flags, width and
 * precision; integers are 32 bits unless a size prefix says otherwise
 * (hh 8, h 16, l and I32 32 as on Windows, ll, I64 and L 64, I the
 * pointer size); floating conversions take the low 32 bits as a float
 * unless l (or L, ll, I64) asks for a double; %p is a target address in
 * the debugger's address format, %N a host pointer, %ma/%mu/%msa/%msu
 * strings in the program's memory (int3 bytes hidden), %y/%ly a symbol.
 * The whole text is formatted before anything is printed, so a bad
 * argument prints one error line and nothing else.
 */
#include "cmd/cmd.h"

#include <ctype.h>
#include <inttypes.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "cmd/fmt.h"

#define MAX_STRING_UNITS 0x10000	/* %ma, %mu: the longest string read */
#define MAX_FIELD 4096			/* width and precision */

/* ---- .printf ---- */

struct conversion {
	char flags[8];
	int width, precision;	/* -1: not given */
	int size;		/* in bits; 0: the conversion's default */
	int wide;		/* l or w on %c, %s */
	char conv;		/* d i u x X o c s S C p N y f F e E g G a A m % */
	char sub[3];		/* %ma %mu %msa %msu: "a", "u", "sa", "su"; %ly: "l" */
};

/* Decodes the C escapes of the format string ("..." at *p). */
static int format_string(struct cmd_ctx *c, const char **p, struct sbuf *out)
{
	const char *s = *p;
	if (*s != '"')
		return cmd_error(c, "Syntax error: .printf needs a quoted format string");
	s++;
	while (*s && *s != '"') {
		if (*s != '\\' || !s[1]) {
			sb_addc(out, *s++);
			continue;
		}
		s++;
		if (c_escape_decode(&s, out) < 0)
			sb_addc(out, *s++);	/* \% and any other letter: itself */
	}
	if (*s != '"')
		return cmd_error(c, "Syntax error: unterminated string");
	*p = s + 1;
	return 0;
}

/* Parses the conversion after '%' at *f; advances past it. */
static int parse_conversion(struct cmd_ctx *c, const char **f, struct conversion *cv)
{
	const char *s = *f;
	memset(cv, 0, sizeof(*cv));
	cv->width = cv->precision = -1;
	size_t nf = 0;
	while (*s && strchr("-+ #0", *s) && nf < sizeof(cv->flags) - 2)	/* room for a '-' from '*' */
		cv->flags[nf++] = *s++;
	if (*s == '*') {
		cv->width = -2;	/* from an argument */
		s++;
	} else if (isdigit((unsigned char)*s)) {
		cv->width = 0;
		while (isdigit((unsigned char)*s) && cv->width <= MAX_FIELD)
			cv->width = cv->width * 10 + (*s++ - '0');
	}
	if (*s == '.') {
		s++;
		cv->precision = 0;
		if (*s == '*') {
			cv->precision = -2;
			s++;
		} else {
			while (isdigit((unsigned char)*s) && cv->precision <= MAX_FIELD)
				cv->precision = cv->precision * 10 + (*s++ - '0');
		}
	}
	if (cv->width > MAX_FIELD || cv->precision > MAX_FIELD)
		return cmd_error(c, "Syntax error: a width or precision above %d in the format", MAX_FIELD);
	int is32 = session_is32(c->s);
	if (s[0] == 'I' && s[1] == '6' && s[2] == '4')
		cv->size = 64, s += 3;
	else if (s[0] == 'I' && s[1] == '3' && s[2] == '2')
		cv->size = 32, s += 3;
	else if (s[0] == 'I')
		cv->size = is32 ? 32 : 64, s++;
	else if (s[0] == 'h' && s[1] == 'h')
		cv->size = 8, s += 2;
	else if (s[0] == 'h')
		cv->size = 16, s++;
	else if (s[0] == 'l' && s[1] == 'l')
		cv->size = 64, s += 2;
	else if (s[0] == 'l' && s[1] != 'y')
		cv->size = 32, cv->wide = 1, s++;
	else if (s[0] == 'L')
		cv->size = 64, s++;
	else if (s[0] == 'w')
		cv->wide = 1, s++;
	if (s[0] == 'l' && s[1] == 'y') {
		cv->conv = 'y';
		strcpy(cv->sub, "l");
		*f = s + 2;
		return 0;
	}
	if (s[0] == 'm') {
		static const char *const subs[] = { "sa", "su", "a", "u" };
		for (size_t i = 0; i < ARRAY_SIZE(subs); i++) {
			size_t n = strlen(subs[i]);
			if (!strncmp(s + 1, subs[i], n)) {
				cv->conv = 'm';
				strcpy(cv->sub, subs[i]);
				*f = s + 1 + n;
				return 0;
			}
		}
		return cmd_error(c, "Syntax error: unknown conversion '%%%.3s' in the format", s);
	}
	if (!*s || !strchr("diuxXocsSCpNyfFeEgGaA%", *s))
		return cmd_error(c, "Syntax error: unknown conversion '%%%.1s' in the format", s);
	cv->conv = *s;
	*f = s + 1;
	return 0;
}

/* The argument list after the format: ", Argument" each time one is needed. */
struct args {
	const char *p;
	int used;
};

static int arg_start(struct cmd_ctx *c, struct args *a, const char *conv)
{
	const char *s = skip_ws(a->p);
	if (*s != ',')
		return cmd_error(c, "Syntax error: .printf needs an argument for '%s'", conv);
	a->p = skip_ws(s + 1);
	a->used++;
	return 0;
}

static int arg_value(struct cmd_ctx *c, struct args *a, const char *conv, uint64_t *v)
{
	if (arg_start(c, a, conv) < 0)
		return -1;
	if (*a->p == '"')
		return cmd_error(c, "Syntax error: '%s' needs a number, not a string", conv);
	return cmd_expr(c, &a->p, v);
}

/* Pads text as %[-]W.Ps would (the precision cuts bytes; never inside a UTF-8 character). */
static void add_field(struct sbuf *out, const struct conversion *cv, const char *text)
{
	size_t n = strlen(text);
	if (cv->precision >= 0 && (size_t)cv->precision < n) {
		n = (size_t)cv->precision;
		while (n && ((unsigned char)text[n] & 0xc0) == 0x80)
			n--;
	}
	size_t width = cv->width > 0 ? (size_t)cv->width : 0;
	int left = strchr(cv->flags, '-') != NULL;
	for (size_t i = n; !left && i < width; i++)
		sb_addc(out, ' ');
	sb_addn(out, text, n);
	for (size_t i = n; left && i < width; i++)
		sb_addc(out, ' ');
}

/* The C format for one numeric conversion: "%<flags><width>.<precision><length><conv>". */
static void c_format(char *buf, size_t n, const struct conversion *cv, const char *length, char conv)
{
	int len = snprintf(buf, n, "%%%s", cv->flags);
	if (cv->width >= 0)
		len += snprintf(buf + len, n - (size_t)len, "%d", cv->width);
	if (cv->precision >= 0)
		len += snprintf(buf + len, n - (size_t)len, ".%d", cv->precision);
	snprintf(buf + len, n - (size_t)len, "%s%c", length, conv);
}

static uint64_t truncate_bits(uint64_t v, int bits)
{
	return bits >= 64 ? v : v & ((UINT64_C(1) << bits) - 1);
}

static int64_t sign_extend(uint64_t v, int bits)
{
	if (bits >= 64)
		return (int64_t)v;
	uint64_t m = UINT64_C(1) << (bits - 1);
	v = truncate_bits(v, bits);
	return (int64_t)((v ^ m) - m);
}

/* "module!symbol+0xNN (address)"; only the address when no module holds it. */
static void symbol_text(struct cmd_ctx *c, uint64_t addr, int lines, struct sbuf *out)
{
	struct sbuf sym = { 0 };
	if (session_describe(c->s, addr, &sym) == 0) {
		sb_add(out, sb_str(&sym));
		sb_add(out, " (");
		cmd_addr(out, c, addr);
		sb_addc(out, ')');
	} else {
		cmd_addr(out, c, addr);
	}
	sb_free(&sym);
	const char *file;
	int line;
	if (lines && c->s->sym && sym_source_line(c->s->sym, addr, &file, &line) == 0)
		sb_addf(out, " [%s @ %d]", file, line);
}

static int convert(struct cmd_ctx *c, struct conversion *cv, const char *spec, struct args *a,
		   struct sbuf *out)
{
	uint64_t v;
	if (cv->width == -2) {
		if (arg_value(c, a, spec, &v) < 0)
			return -1;
		int64_t w = (int32_t)v;
		if (w < 0) {
			if (!strchr(cv->flags, '-'))
				strcat(cv->flags, "-");
			w = -w;
		}
		if (w > MAX_FIELD)
			return cmd_error(c, "Syntax error: a width above %d", MAX_FIELD);
		cv->width = (int)w;
	}
	if (cv->precision == -2) {
		if (arg_value(c, a, spec, &v) < 0)
			return -1;
		int64_t pr = (int32_t)v;
		if (pr > MAX_FIELD)
			return cmd_error(c, "Syntax error: a precision above %d", MAX_FIELD);
		cv->precision = pr < 0 ? -1 : (int)pr;
	}
	char fmt[64];
	struct sbuf text = { 0 };
	int rc = 0;
	switch (cv->conv) {
	case '%':
		sb_addc(out, '%');
		return 0;
	case 'd':
	case 'i':
		if (arg_value(c, a, spec, &v) < 0)
			return -1;
		c_format(fmt, sizeof(fmt), cv, "ll", 'd');
		sb_addf(out, fmt, (long long)sign_extend(v, cv->size ? cv->size : 32));
		return 0;
	case 'u':
	case 'x':
	case 'X':
	case 'o':
		if (arg_value(c, a, spec, &v) < 0)
			return -1;
		c_format(fmt, sizeof(fmt), cv, "ll", cv->conv);
		sb_addf(out, fmt, (unsigned long long)truncate_bits(v, cv->size ? cv->size : 32));
		return 0;
	case 'f':
	case 'F':
	case 'e':
	case 'E':
	case 'g':
	case 'G':
	case 'a':
	case 'A': {
		if (arg_value(c, a, spec, &v) < 0)
			return -1;
		double x;
		if (cv->size == 64 || cv->wide) {
			memcpy(&x, &v, sizeof(x));
		} else {
			uint32_t lo = (uint32_t)v;
			float fl;
			memcpy(&fl, &lo, sizeof(fl));
			x = fl;
		}
		c_format(fmt, sizeof(fmt), cv, "", cv->conv);
		sb_addf(out, fmt, x);
		return 0;
	}
	case 'c':
	case 'C':
		if (arg_value(c, a, spec, &v) < 0)
			return -1;
		if (cv->wide || cv->conv == 'C')
			cmd_utf8(&text, (uint32_t)(v & 0xffff));
		else
			sb_addn(&text, (const char *)&(char){ (char)(v & 0xff) }, 1);
		break;
	case 'p':
		if (arg_value(c, a, spec, &v) < 0)
			return -1;
		cmd_addr(&text, c, v);
		break;
	case 'N':
		if (arg_value(c, a, spec, &v) < 0)
			return -1;
		/* A host pointer as C's %p prints it on Windows: 16 (dr7 is 64-bit) upper-case digits. */
		sb_addf(&text, "%016" PRIX64, v);
		break;
	case 'y':
		if (arg_value(c, a, spec, &v) < 0)
			return -1;
		symbol_text(c, v, cv->sub[0] == 'l', &text);
		break;
	case 's':
	case 'S':
		/* A string literal, or (the nearest meaning of a host char *) a string of the program. */
		if (arg_start(c, a, spec) < 0)
			return -1;
		if (*a->p == '"') {
			char *lit;
			if (cmd_quoted(c, &a->p, &lit) < 0)
				return -1;
			sb_add(&text, lit);
			free(lit);
			break;
		}
		if (cmd_expr(c, &a->p, &v) < 0)
			return -1;
		rc = cmd_read_string(c, v, cv->wide || cv->conv == 'S' ? 2 : 1, MAX_STRING_UNITS, &text);
		break;
	case 'm':
		if (arg_value(c, a, spec, &v) < 0)
			return -1;
		if (cv->sub[0] == 's')
			rc = cmd_read_counted_string(c, v, cv->sub[1] == 'u' ? 2 : 1, &text);
		else
			rc = cmd_read_string(c, v, cv->sub[0] == 'u' ? 2 : 1, MAX_STRING_UNITS, &text);
		break;
	default:
		return cmd_error(c, "Syntax error: unknown conversion '%s'", spec);
	}
	if (rc == 0)
		add_field(out, cv, sb_str(&text));
	sb_free(&text);
	return rc;
}

/* /D: Debugger Markup Language; a terminal shows the text without its tags. */
static void strip_dml(struct sbuf *out, const char *s)
{
	static const struct {
		const char *entity;
		char ch;
	} entities[] = { { "&lt;", '<' }, { "&gt;", '>' }, { "&amp;", '&' }, { "&quot;", '"' }, { "&apos;", '\'' } };
	while (*s) {
		if (*s == '<' && strchr(s, '>')) {
			s = strchr(s, '>') + 1;
			continue;
		}
		size_t i;
		for (i = 0; i < ARRAY_SIZE(entities); i++)
			if (!strncmp(s, entities[i].entity, strlen(entities[i].entity)))
				break;
		if (i < ARRAY_SIZE(entities)) {
			sb_addc(out, entities[i].ch);
			s += strlen(entities[i].entity);
		} else {
			sb_addc(out, *s++);
		}
	}
}

static int cmd_printf(struct cmd_ctx *c, const struct cmd_def *d, const char *args,
		      const struct thread_sel *sel, int id)
{
	const char *p = skip_ws(args);
	int dml = 0;
	/* /D, and WinDbg's colour options (/od /oe /on ...), which a terminal does without. */
	while (*p == '/') {
		size_t n = strcspn(p, " \t\"");
		if (n == 2 && (p[1] == 'D' || p[1] == 'd'))
			dml = 1;
		else if (!(n == 3 && p[1] == 'o' && strchr("dDenpPsvw", p[2])))
			return cmd_error(c, "Syntax error: unknown .printf option '%.*s'", (int)(n > 20 ? 20 : n), p);
		p = skip_ws(p + n);
	}
	struct sbuf format = { 0 }, out = { 0 };
	if (format_string(c, &p, &format) < 0) {
		sb_free(&format);
		return -1;
	}
	struct args a = { .p = p };
	const char *f = format.buf ? format.buf : "";
	const char *end = f + format.len;	/* the format may hold \0 */
	int rc = 0;
	while (f < end && rc == 0) {
		if (*f != '%') {
			sb_addn(&out, f, 1);
			f++;
			continue;
		}
		const char *spec_start = f++;
		struct conversion cv;
		if (parse_conversion(c, &f, &cv) < 0) {
			rc = -1;
			break;
		}
		char spec[32];
		snprintf(spec, sizeof(spec), "%.*s", (int)(f - spec_start), spec_start);
		rc = convert(c, &cv, spec, &a, &out);
	}
	/* Extra arguments are evaluated (and ignored) as C does with them. */
	while (rc == 0 && *skip_ws(a.p) == ',') {
		uint64_t v;
		a.p = skip_ws(a.p);
		if (a.p[1] && *skip_ws(a.p + 1) == '"') {
			char *lit;
			a.p = skip_ws(a.p + 1);
			rc = cmd_quoted(c, &a.p, &lit);
			if (rc == 0)
				free(lit);
		} else {
			a.p++;
			rc = cmd_expr(c, &a.p, &v);
		}
	}
	if (rc == 0 && *skip_ws(a.p))
		rc = cmd_error(c, "Syntax error at '%.200s'", skip_ws(a.p));
	if (rc == 0) {
		if (dml) {
			struct sbuf plain = { 0 };
			strip_dml(&plain, sb_str(&out));
			fwrite(sb_str(&plain), 1, plain.len, c->out);
			sb_free(&plain);
		} else {
			fwrite(sb_str(&out), 1, out.len, c->out);
		}
	}
	sb_free(&format);
	sb_free(&out);
	return rc;
}

/* ---- .formats ---- */

/* "Mon Jan 07 15:31:46 1985" (CRT time stamps); ms >= 0 adds milliseconds. */
static void time_text(struct sbuf *sb, int64_t seconds, long ms)
{
	time_t t = (time_t)seconds;
	struct tm tm;
	char buf[64];
	if ((int64_t)t != seconds || !localtime_r(&t, &tm) || tm.tm_year + 1900 > 9999 ||
	    !strftime(buf, sizeof(buf), "%a %b %d %H:%M:%S", &tm)) {
		sb_add(sb, "***** Invalid");
		return;
	}
	sb_add(sb, buf);
	if (ms >= 0)
		sb_addf(sb, ".%03ld", ms);
	sb_addf(sb, " %d", tm.tm_year + 1900);
}

static int cmd_formats(struct cmd_ctx *c, const struct cmd_def *d, const char *args,
		       const struct thread_sel *sel, int id)
{
	const char *p = args;
	uint64_t v;
	if (cmd_expr(c, &p, &v) < 0)
		return -1;
	if (*skip_ws(p))
		return cmd_extra_chars(c);
	int is32 = session_is32(c->s);
	int bits = is32 ? 32 : 64;
	if (is32)
		v &= 0xffffffffu;
	struct sbuf sb = { 0 };
	sb_add(&sb, "Evaluate expression:\n  Hex:     ");
	cmd_addr(&sb, c, v);
	sb_addf(&sb, "\n  Decimal: %" PRId64 "\n", is32 ? (int64_t)(int32_t)v : (int64_t)v);
	sb_addf(&sb, "  Octal:   %0*" PRIo64 "\n", is32 ? 11 : 22, v);
	sb_add(&sb, "  Binary: ");
	for (int i = bits - 1; i >= 0; i--) {
		if (i % 8 == 7)
			sb_addc(&sb, ' ');
		sb_addc(&sb, (char)('0' + ((v >> i) & 1)));
	}
	sb_add(&sb, "\n  Chars:   ");
	for (int i = bits / 8 - 1; i >= 0; i--) {
		unsigned ch = (unsigned)(v >> (8 * i)) & 0xff;
		sb_addc(&sb, ch >= 0x20 && ch < 0x7f ? (char)ch : '.');
	}
	/* 32-bit values as CRT (Unix) seconds; wider ones as nanoseconds, Linux's 64-bit stamps. */
	sb_add(&sb, "\n  Time:    ");
	if (v <= 0xffffffffu)
		time_text(&sb, (int64_t)v, -1);
	else
		time_text(&sb, (int64_t)(v / 1000000000u), (long)(v % 1000000000u / 1000000u));
	uint32_t lo = (uint32_t)v, hi = (uint32_t)(v >> 32);
	float flo, fhi;
	double dbl;
	memcpy(&flo, &lo, sizeof(flo));
	memcpy(&fhi, &hi, sizeof(fhi));
	memcpy(&dbl, &v, sizeof(dbl));
	sb_addf(&sb, "\n  Float:   low %g high %g\n  Double:  %g\n", (double)flo, (double)fhi, dbl);
	cmd_print(c, "%s", sb_str(&sb));
	sb_free(&sb);
	return 0;
}

const struct cmd_def cmd_printf_table[] = {
	{ ".printf", cmd_printf, 0, 0, ARGS_NEEDED, ".printf [/D] \"FormatString\" [, Argument ...]",
	  "Print as C's printf; %p %N %ma %mu %msa %msu %y %ly added" },
	{ ".formats", cmd_formats, 0, 0, ARGS_NEEDED, ".formats Expression",
	  "Show a value in hex, decimal, octal, binary, chars, time, float" },
	{ NULL, NULL, 0, 0, ARGS_ANY, NULL, NULL },
};
