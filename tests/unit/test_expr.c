/*
 * test_expr.c — the MASM evaluator against a fake target: a few registers,
 * 16 bytes of memory at 0x7000 and a handful of symbols.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <time.h>

#include <cmocka.h>

#include "expr/expr.h"
#include "util/util.h"

#define MEM_BASE 0x7000u

static const unsigned char fake_mem[16] = {
	0x88, 0x77, 0x66, 0x55, 0x44, 0x33, 0x22, 0x11,
	0xef, 0xbe, 0xad, 0xde, 0x00, 0x00, 0x00, 0x80,
};

struct fake {
	int reg_calls;
	int sym_calls;
	int mem_calls;
	char last_reg[64];
	char last_sym[64];
};

static struct fake fk;

static const struct {
	const char *name;
	uint64_t v;
} fake_regs[] = {
	{ "$ip", 0x401000 },
	{ "rip", 0x401000 },
	{ "rax", 0x1122334455667788ull },
	/* A 32-bit register: the callback hands it over already sign-extended. */
	{ "eax", 0xffffffffc0004321ull },
	{ "$t0", 7 },
	{ "$exentry", 0x401020 },
}, fake_syms[] = {
	{ "main", 0x401100 },
	{ "tick", 0x404000 },
	{ "libc_so!malloc", 0x7f0000001000ull },
	{ "dead", 0x999 },		/* only reachable as !dead in radix 16 */
	{ "and", 0x5 },			/* a symbol spelled like an operator */
	{ "Foo::bar", 0x401300 },
	{ "operator new", 0x401200 },
};

static void copy_name(char *dst, size_t cap, const char *s, size_t n)
{
	if (n >= cap)
		n = cap - 1;
	memcpy(dst, s, n);
	dst[n] = 0;
}

static int fake_reg(void *user, const char *name, size_t len, uint64_t *v)
{
	fk.reg_calls++;
	copy_name(fk.last_reg, sizeof(fk.last_reg), name, len);
	for (size_t i = 0; i < ARRAY_SIZE(fake_regs); i++) {
		const char *n = fake_regs[i].name;
		if (strlen(n) == len && strncasecmp(n, name, len) == 0) {
			*v = fake_regs[i].v;
			return 0;
		}
	}
	return -1;
}

static int fake_sym(void *user, const char *name, size_t len, uint64_t *v)
{
	fk.sym_calls++;
	copy_name(fk.last_sym, sizeof(fk.last_sym), name, len);
	if (len && name[0] == '!') {
		name++;
		len--;
	}
	for (size_t i = 0; i < ARRAY_SIZE(fake_syms); i++) {
		const char *n = fake_syms[i].name;
		if (strlen(n) == len && strncasecmp(n, name, len) == 0) {
			*v = fake_syms[i].v;
			return 0;
		}
	}
	return -1;
}

static int fake_read(void *user, uint64_t addr, void *buf, size_t n)
{
	fk.mem_calls++;
	if (addr < MEM_BASE || addr - MEM_BASE > sizeof(fake_mem) ||
	    n > sizeof(fake_mem) - (addr - MEM_BASE))
		return -1;
	memcpy(buf, fake_mem + (addr - MEM_BASE), n);
	return 0;
}

static int fake_srcline(void *user, const char *text, size_t len, uint64_t *v)
{
	if (len == 9 && memcmp(text, "file.c:42", 9) == 0) {
		*v = 0x401234;
		return 0;
	}
	return err_set("No source line for '%.*s'", (int)len, text);
}

static struct expr_env env16 = {
	.radix = 16, .ptrsize = 8,
	.reg = fake_reg, .mem = fake_read, .sym = fake_sym, .srcline = fake_srcline,
};

static int reset(void **state)
{
	memset(&fk, 0, sizeof(fk));
	err_clear();
	env16.radix = 16;
	env16.ptrsize = 8;
	return 0;
}

/* Evaluates s, which must succeed, consume all of it and give want. */
static void ok_full(const char *s, uint64_t want)
{
	const char *end = NULL;
	uint64_t v = 0xabababab;
	if (expr_eval(&env16, s, &end, &v) != 0)
		fail_msg("'%s' failed: %s", s, err_get());
	if (v != want)
		fail_msg("'%s' = %#llx, want %#llx", s, (unsigned long long)v,
			 (unsigned long long)want);
	if (*end != 0)
		fail_msg("'%s' stopped at '%s'", s, end);
}

/* Evaluates s, which must fail with message msg at offset off. */
static void bad(const char *s, const char *msg, size_t off)
{
	const char *end = NULL;
	uint64_t v = 0;
	if (expr_eval(&env16, s, &end, &v) == 0)
		fail_msg("'%s' succeeded with %#llx", s, (unsigned long long)v);
	assert_string_equal(err_get(), msg);
	assert_ptr_equal(end, s + off);
}

/* --- numbers --- */

static void test_numbers(void **state)
{
	ok_full("10", 0x10);
	ok_full("0x1f", 31);
	ok_full("0X1F", 31);
	ok_full("0n31", 31);
	ok_full("0N31", 31);
	ok_full("0t37", 31);
	ok_full("0T37", 31);
	ok_full("0y11111", 31);
	ok_full("0Y11111", 31);
	ok_full("1fh", 31);
	ok_full("4aB3H", 0x4ab3);
	ok_full("00000000`773ffc00", 0x773ffc00);
	ok_full("ffffffff`ffffffff", UINT64_MAX);
	ok_full("0x0`ffffffff", 0xffffffff);
	ok_full("0x", 0);
	ok_full("0n", 0);
	ok_full("0y", 0);
	ok_full("ffffffffffffffff", UINT64_MAX);
	ok_full("0n18446744073709551615", UINT64_MAX);
	ok_full("FfFf", 0xffff);
	/* In radix 16 a hex-looking word is a number and the symbol is not asked. */
	ok_full("dead", 0xdead);
	assert_int_equal(fk.sym_calls, 0);
	/* "ah" reads as hex a with the h suffix, as in WinDbg. */
	ok_full("ah", 0xa);
}

static void test_number_radix(void **state)
{
	env16.radix = 10;
	ok_full("10", 10);
	ok_full("0x10", 16);
	ok_full("1fh", 31);
	ok_full("dead", 0x999);	/* not a decimal number: the symbol */
	env16.radix = 8;
	ok_full("17", 15);
	bad("9", "Syntax error at '9'", 0);
}

static void test_number_errors(void **state)
{
	bad("10000000000000000", "Numeric overflow at '10000000000000000'", 0);
	bad("0n18446744073709551616", "Numeric overflow at '0n18446744073709551616'", 0);
	bad("1 + fffffffffffffffff", "Numeric overflow at 'fffffffffffffffff'", 4);
	bad("0y12", "Syntax error at '0y12'", 0);	/* a digit outside the radix */
	bad("0t8", "Syntax error at '0t8'", 0);
	bad("1.5", "Syntax error at '1.5'", 0);
}

static void test_number_prefix_ends_expression(void **state)
{
	const char *s = "1000L8", *end;
	uint64_t v;
	assert_int_equal(expr_eval(&env16, s, &end, &v), 0);
	assert_int_equal(v, 0x1000);
	assert_string_equal(end, "L8");
}

/* --- operands --- */

static void test_symbols(void **state)
{
	ok_full("main", 0x401100);
	ok_full("MAIN", 0x401100);
	ok_full("tick+10", 0x404010);
	ok_full("libc_so!malloc", 0x7f0000001000ull);
	assert_string_equal(fk.last_sym, "libc_so!malloc");
	ok_full("!main", 0x401100);
	assert_string_equal(fk.last_sym, "!main");
	ok_full("!dead", 0x999);
	ok_full("Foo::bar", 0x401300);
	ok_full("@!\"operator new\"+1", 0x401201);
	assert_string_equal(fk.last_sym, "operator new");
	ok_full("main!=3", 1);	/* "!=" is not part of the name */
}

static void test_registers(void **state)
{
	ok_full("@rax", 0x1122334455667788ull);
	assert_int_equal(fk.sym_calls, 0);
	assert_string_equal(fk.last_reg, "rax");
	ok_full("@RAX", 0x1122334455667788ull);

	reset(NULL);
	ok_full("rax", 0x1122334455667788ull);	/* bare: symbol first, then register */
	assert_int_equal(fk.sym_calls, 1);
	assert_int_equal(fk.reg_calls, 1);

	reset(NULL);
	ok_full("@$t0", 7);
	assert_string_equal(fk.last_reg, "$t0");
	assert_int_equal(fk.sym_calls, 0);
	ok_full("$t0", 7);
	assert_string_equal(fk.last_reg, "$t0");
	ok_full("$exentry", 0x401020);
	ok_full("@$ip", 0x401000);

	reset(NULL);
	ok_full(".", 0x401000);
	assert_string_equal(fk.last_reg, "$ip");
	ok_full(". + 5", 0x401005);
	ok_full(".+5", 0x401005);
}

static void test_sign_extension_is_the_callbacks(void **state)
{
	ok_full("@eax", 0xffffffffc0004321ull);
	ok_full("eax", 0xffffffffc0004321ull);
	ok_full("@eax = 0xc0004321", 0);
	ok_full("(@eax & 0x0`ffffffff) = 0x0`c0004321", 1);
	/* Constants are never sign-extended in user mode. */
	ok_full("c0004321", 0xc0004321);
}

static void test_operand_errors(void **state)
{
	bad("nosuch 5", "Couldn't resolve error at 'nosuch 5'", 0);
	bad("1 + nosuch", "Couldn't resolve error at 'nosuch'", 4);
	bad("!nosuch", "Couldn't resolve error at '!nosuch'", 0);
	bad("$nosuch", "Couldn't resolve error at '$nosuch'", 0);
	bad("@nosuch", "Bad register error at '@nosuch'", 0);
	bad("2*@$t9 + 1", "Bad register error at '@$t9 + 1'", 2);
	reset(NULL);
	bad("@main", "Bad register error at '@main'", 0);	/* '@' never asks symbols */
	assert_int_equal(fk.sym_calls, 0);
	bad("@.", "Syntax error at '@.'", 0);
	bad("@", "Syntax error at '@'", 0);
	bad(".foo", "Syntax error at '.foo'", 0);
	bad("@!\"operator new", "Syntax error at '@!\"operator new'", 0);
	bad("@!\"nothing\"", "Couldn't resolve error at '@!\"nothing\"'", 0);
	bad("!", "Syntax error at '!'", 0);
	bad("poi", "Couldn't resolve error at 'poi'", 0);
}

static void test_source_lines(void **state)
{
	ok_full("`file.c:42`", 0x401234);
	ok_full("`file.c:42`+2", 0x401236);
	/* The callback's own message is kept. */
	bad("`nofile.c:1` 5", "No source line for 'nofile.c:1'", 0);
	bad("1+`file.c:42", "Syntax error at '`file.c:42'", 2);
}

/* --- operators --- */

static void test_precedence(void **state)
{
	ok_full("1+2*3", 7);
	ok_full("(1+2)*3", 9);
	ok_full("2*3 = 6", 1);
	ok_full("2*3 == 6", 1);
	ok_full("1 + 2 << 1", 6);
	ok_full("1 << 4", 0x10);
	ok_full("8 >> 1", 4);
	ok_full("-1 >> 1", 0x7fffffffffffffffull);
	ok_full("-1 >>> 1", UINT64_MAX);
	ok_full("8000000000000000 >>> 4", 0xf800000000000000ull);
	ok_full("40 >>> 4", 4);
	ok_full("1 << 40", 0);	/* 0x40 = 64: shifted out, not undefined */
	ok_full("-1 >>> 40", UINT64_MAX);
	ok_full("1 < 2 = 1", 1);	/* same level, left to right */
	ok_full("1 = 1 and 2 = 2", 1);
	ok_full("6 and 3 xor 1", 3);
	ok_full("1 xor 1 or 1", 1);
	ok_full("1 or 2 and 0", 1);
	ok_full("3 | 4 ^ 4", 3);
	ok_full("5 - 2 - 1", 2);
	ok_full("100 / 10 / 2", 8);
	ok_full("2 * 3 mod 4", 2);
	ok_full("main+8*2", 0x401110);
}

static void test_operators(void **state)
{
	ok_full("7 mod 3", 1);
	ok_full("7 MOD 3", 1);
	ok_full("7 % 3", 1);
	ok_full("3 and 5", 1);
	ok_full("3 AND 5", 1);
	ok_full("3 & 5", 1);
	ok_full("3 or 4", 7);
	ok_full("3 | 4", 7);
	ok_full("3 xor 1", 2);
	ok_full("3 ^ 1", 2);
	ok_full("1 and(3)", 1);
	ok_full("2 != 3", 1);
	ok_full("2 <= 2", 1);
	ok_full("3 >= 4", 0);
	ok_full("3 > 2", 1);
	ok_full("3 < 2", 0);
	ok_full("-1 > 0", 1);	/* comparisons are unsigned */
	ok_full("1 + 2", 3);
	ok_full("ffffffffffffffff + 2", 1);	/* arithmetic wraps */
	ok_full("   7", 7);
}

static void test_unary(void **state)
{
	ok_full("-5", (uint64_t)0 - 5);
	ok_full("--5", 5);
	ok_full("+5", 5);
	ok_full("- 5 + 6", 1);
	ok_full("not 0", 1);
	ok_full("not 5", 0);
	ok_full("NOT 0", 1);
	ok_full("not(0)", 1);
	ok_full("not 1 + 1", 1);	/* unary binds tighter */
	ok_full("hi 12345678", 0x1234);
	ok_full("low 12345678", 0x5678);
	ok_full("HI(12345678)", 0x1234);
	ok_full("not not 7", 1);
}

static void test_memory_operators(void **state)
{
	ok_full("poi(7000)", 0x1122334455667788ull);
	ok_full("POI(7000)", 0x1122334455667788ull);
	ok_full("poi 7000", 0x1122334455667788ull);
	ok_full("poi (7000)", 0x1122334455667788ull);
	ok_full("poi(7000)+1", 0x1122334455667789ull);
	ok_full("by(7000)", 0x88);
	ok_full("wo(7000)", 0x7788);
	ok_full("dwo(7000)", 0x55667788);
	ok_full("dwo(7008)", 0xdeadbeef);
	ok_full("qwo(7008)", 0x80000000deadbeefull);	/* no sign games */
	ok_full("by(7000+1)", 0x77);
	ok_full("poi(@$t0 + 6ff9)", 0x1122334455667788ull);
	env16.ptrsize = 4;
	ok_full("poi(7000)", 0x55667788);
	env16.ptrsize = 8;
	bad("poi(1)", "Memory access error at 'poi(1)'", 0);
	bad("1 + dwo(700e) + 1", "Memory access error at 'dwo(700e) + 1'", 4);
	bad("qwo(7009)", "Memory access error at 'qwo(7009)'", 0);
}

static void test_word_operators_vs_names(void **state)
{
	/* At operand position "and" is a name; after an operand it is the operator. */
	ok_full("and and 4", 4);
	ok_full("and", 5);
	/* Whole words only. */
	const char *s = "1 andx", *end;
	uint64_t v;
	assert_int_equal(expr_eval(&env16, s, &end, &v), 0);
	assert_int_equal(v, 1);
	assert_ptr_equal(end, s + 1);
}

static void test_division_errors(void **state)
{
	bad("1/0", "Operand error at '0'", 2);
	bad("5 mod 0", "Operand error at '0'", 6);
	bad("5 % (1-1)", "Operand error at '(1-1)'", 4);
}

/* --- where evaluation stops --- */

static void check_end(const char *s, uint64_t want, size_t off)
{
	const char *end = NULL;
	uint64_t v = 0;
	if (expr_eval(&env16, s, &end, &v) != 0)
		fail_msg("'%s' failed: %s", s, err_get());
	assert_int_equal(v, want);
	assert_ptr_equal(end, s + off);
}

static void test_end_position(void **state)
{
	/* *end is just past the last token: following spaces are left to the caller. */
	check_end("main 5", 0x401100, 4);
	check_end("1000 L2", 0x1000, 4);
	check_end("1 + 2  ", 3, 5);
	check_end("1,2", 1, 1);
	check_end("1;g", 1, 1);
	check_end("tick \"cmd\"", 0x404000, 4);
	check_end("(1) (2)", 1, 3);
	check_end("@rax)", 0x1122334455667788ull, 4);
	check_end("1 `x`", 1, 1);
	check_end("main j", 0x401100, 4);
	/* NULL end and NULL value are tolerated. */
	assert_int_equal(expr_eval(&env16, "1", NULL, NULL), 0);
}

static void test_syntax_errors(void **state)
{
	bad("", "Syntax error at ''", 0);
	bad("   ", "Syntax error at ''", 3);
	bad("1 +", "Syntax error at ''", 3);
	bad("*5", "Syntax error at '*5'", 0);
	bad(")", "Syntax error at ')'", 0);
	bad("(1", "Syntax error at ''", 2);
	bad("(1 2)", "Syntax error at '2)'", 3);
	bad("\"str\"", "Syntax error at '\"str\"'", 0);
	bad("1 + ;", "Syntax error at ';'", 4);
	bad("1 && 2", "Syntax error at '& 2'", 3);
	assert_int_equal(expr_eval(&env16, NULL, NULL, NULL), -1);
	/* No environment: numbers still work, names do not resolve. */
	uint64_t v;
	assert_int_equal(expr_eval(NULL, "1+2", NULL, &v), 0);
	assert_int_equal(v, 3);
	assert_int_equal(expr_eval(NULL, "main", NULL, &v), -1);
	assert_string_equal(err_get(), "Couldn't resolve error at 'main'");
}

/* --- $ functions --- */

static void test_functions(void **state)
{
	ok_full("$scmp(\"a\", \"b\")", UINT64_MAX);
	ok_full("$scmp(\"b\",\"a\")", 1);
	ok_full("$scmp(\"abc\", \"abc\")", 0);
	ok_full("$sicmp(\"ABC\", \"abc\")", 0);
	ok_full("$scmp(\"ABC\", \"abc\")", UINT64_MAX);
	ok_full("$scmp(\"a\\x41\\n\", \"aA\n\")", 0);
	ok_full("$scmp(@\"c:\\dir\\\", \"c:\\\\dir\\\\\")", 0);
	ok_full("$spat(\"hello\", \"h*O\")", 1);
	ok_full("$spat(\"hello\", \"x*\")", 0);
	ok_full("$spat(\"hello\", \"h*\") and 1", 1);
	bad("$spat( \"c:\\dir\\\", \"*filename*\" )",
	    "Syntax error at '( \"c:\\dir\\\", \"*filename*\" )'", 5);
	bad("$scmp(\"a\")", "Syntax error at '(\"a\")'", 5);
	ok_full("$vvalid(7000, 10)", 1);
	ok_full("$vvalid(7000, 11)", 0);
	ok_full("$vvalid(7008, 8)", 1);
	ok_full("$vvalid(6fff, 2)", 0);
	ok_full("$vvalid(7000, 0)", 1);
	ok_full("$vvalid(ffffffffffffffff, 2)", 0);
	ok_full("$vvalid(0, ffffffffffff)", 0);
	bad("$vvalid(7000 10)", "Syntax error at '10)'", 13);
}

/* --- robustness --- */

static char *repeat(const char *unit, size_t times, const char *tail)
{
	size_t u = strlen(unit), t = strlen(tail);
	char *s = malloc(u * times + t + 1);
	assert_non_null(s);
	for (size_t i = 0; i < times; i++)
		memcpy(s + i * u, unit, u);
	memcpy(s + u * times, tail, t + 1);
	return s;
}

static void test_depth_limit(void **state)
{
	uint64_t v;
	char *s = repeat("(", 50, "1");
	char *t = repeat(")", 50, "");
	char *ok = malloc(strlen(s) + strlen(t) + 1);
	assert_non_null(ok);
	strcpy(ok, s);
	strcat(ok, t);
	assert_int_equal(expr_eval(&env16, ok, NULL, &v), 0);
	assert_int_equal(v, 1);
	free(s);
	free(t);
	free(ok);

	static const char *units[] = { "(", "-", "not ", "poi(", "+(" };
	for (size_t i = 0; i < ARRAY_SIZE(units); i++) {
		s = repeat(units[i], 200, "1");
		assert_int_equal(expr_eval(&env16, s, NULL, &v), -1);
		assert_int_equal(strncmp(err_get(), "Syntax error at '", 17), 0);
		free(s);
	}
	/* Deep nesting at the limit boundary still fails cleanly, never crashes. */
	s = repeat("(", 100000, "");
	assert_int_equal(expr_eval(&env16, s, NULL, &v), -1);
	free(s);
}

static void test_large_inputs_are_fast(void **state)
{
	uint64_t v;
	const char *end;
	clock_t t0 = clock();

	char *s = repeat("1+", 50000, "1");
	assert_int_equal(expr_eval(&env16, s, &end, &v), 0);
	assert_int_equal(v, 50001);
	assert_int_equal(*end, 0);
	free(s);

	s = repeat("z", 100000, "");
	assert_int_equal(expr_eval(&env16, s, NULL, &v), -1);
	const char *msg = err_get();
	assert_int_equal(strncmp(msg, "Couldn't resolve error at 'zzz", 30), 0);
	assert_true(strlen(msg) < 1024);
	assert_int_equal(msg[strlen(msg) - 1], '\'');
	free(s);

	s = repeat("f", 100000, "");
	assert_int_equal(expr_eval(&env16, s, NULL, &v), -1);
	assert_int_equal(strncmp(err_get(), "Numeric overflow at 'fff", 24), 0);
	free(s);

	/* Deterministic pseudo-random garbage of every byte value but NUL. */
	s = malloc(100 * 1024 + 1);
	assert_non_null(s);
	uint32_t seed = 12345;
	for (int round = 0; round < 20; round++) {
		for (size_t i = 0; i < 100 * 1024; i++) {
			seed = seed * 1103515245u + 12345u;
			unsigned char ch = (unsigned char)(seed >> 16);
			if (round & 1)	/* odd rounds: expression characters only */
				ch = (unsigned char)"()+-*/ %<>=!&|^@$.`\"poi1fg"[ch % 26];
			s[i] = ch ? (char)ch : ' ';
		}
		s[100 * 1024] = 0;
		int rc = expr_eval(&env16, s, &end, &v);
		assert_true(rc == 0 || rc == -1);
		assert_true(end >= s && end <= s + 100 * 1024);
	}
	free(s);
	assert_true((double)(clock() - t0) / CLOCKS_PER_SEC < 2.0);
}

static void test_starts_operand(void **state)
{
	static const char *yes[] = {
		"foo", "  5", "@rax", "(1)", "-1", "+1", "`a.c:1`", ".", "!x", "$ip",
		"poi(x)", "not 1", "_x", "?x", "\t7",
	};
	static const char *no[] = { "", "  ", ";", "\"cmd\"", ",", "*", ")", "=", "'x'", "{" };
	for (size_t i = 0; i < ARRAY_SIZE(yes); i++)
		if (!expr_starts_operand(yes[i]))
			fail_msg("expr_starts_operand(\"%s\") should be true", yes[i]);
	for (size_t i = 0; i < ARRAY_SIZE(no); i++)
		if (expr_starts_operand(no[i]))
			fail_msg("expr_starts_operand(\"%s\") should be false", no[i]);
	assert_int_equal(expr_starts_operand(NULL), 0);
}

/* @@c++(text) goes to the C++ callback with the inner text; here it doubles "<number>". */
static int fake_cxx(void *user, const char *text, uint64_t *v)
{
	char *end;
	unsigned long long n = strtoull(text, &end, 0);
	if (end == text || *end)
		return err_set("C++ could not read '%s'", text);
	*v = n * 2;
	return 0;
}

static void test_evaluator_switch(void **state)
{
	env16.cxx = fake_cxx;
	ok_full("@@c++(21)", 42);
	ok_full("@@(21) + 1", 43);
	ok_full("@@C++(0x10)", 0x20);
	ok_full("@@masm(10 + 1)", 0x11);
	ok_full("@@masm(@@masm((1)))", 1);
	ok_full("poi(@@masm(7000))", 0x1122334455667788ull);
	/* The extent: nested parentheses and parentheses in quotes. */
	const char *inner, *end;
	size_t len;
	enum expr_switch which;
	const char *t = "@@c++((a)(\")\")(')')) rest";
	assert_int_equal(expr_switch_at(t, &which, &inner, &len, &end), 1);
	assert_int_equal(which, EXPR_SWITCH_CXX);
	assert_int_equal(len, strlen("(a)(\")\")(')')"));
	assert_string_equal(end, " rest");
	assert_int_equal(expr_switch_at("@@(1)", &which, &inner, &len, &end), 1);
	assert_int_equal(which, EXPR_SWITCH_OTHER);
	assert_int_equal(expr_switch_at("@@x(1)", &which, &inner, &len, &end), 0);
	assert_int_equal(expr_switch_at("@rax", &which, &inner, &len, &end), 0);
	/* Errors: unclosed, the callee's message, text left inside; *end at the @@. */
	uint64_t v;
	const char *s = "1 + @@c++(5";
	assert_int_equal(expr_eval(&env16, s, &end, &v), -1);
	assert_string_equal(err_get(), "Syntax error at '@@c++(5' (no closing parenthesis)");
	assert_ptr_equal(end, s + 4);
	assert_int_equal(expr_eval(&env16, "@@c++(x)", &end, &v), -1);
	assert_string_equal(err_get(), "C++ could not read 'x'");
	assert_int_equal(expr_eval(&env16, "@@masm(1 2)", &end, &v), -1);
	assert_string_equal(err_get(), "Syntax error at '2'");
	env16.cxx = NULL;
	assert_int_equal(expr_eval(&env16, "@@c++(1)", &end, &v), -1);
	assert_string_equal(err_get(), "Syntax error at '@@c++(1)' (no C++ evaluator here)");
	/* Nesting shares the depth budget: no stack overflow however deep. */
	char *deep = repeat("@@masm(", 100000, "1");
	assert_int_equal(expr_eval(&env16, deep, NULL, &v), -1);
	free(deep);
}

#define T(f) cmocka_unit_test_setup(f, reset)

int main(void)
{
	const struct CMUnitTest tests[] = {
		T(test_numbers),
		T(test_number_radix),
		T(test_number_errors),
		T(test_number_prefix_ends_expression),
		T(test_symbols),
		T(test_registers),
		T(test_sign_extension_is_the_callbacks),
		T(test_operand_errors),
		T(test_source_lines),
		T(test_precedence),
		T(test_operators),
		T(test_unary),
		T(test_memory_operators),
		T(test_word_operators_vs_names),
		T(test_division_errors),
		T(test_end_position),
		T(test_syntax_errors),
		T(test_functions),
		T(test_depth_limit),
		T(test_large_inputs_are_fast),
		T(test_starts_operand),
		T(test_evaluator_switch),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
