/*
 * test_wild.c — WinDbg string wildcards (windbg-commands.md §4.3).
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include <cmocka.h>

#include "util/util.h"

#define MATCH(p, t) assert_int_equal(wild_match((p), (t), 0), 1)
#define NOMATCH(p, t) assert_int_equal(wild_match((p), (t), 0), 0)

static void test_literal_and_case(void **state)
{
	MATCH("main", "main");
	MATCH("MAIN", "main");
	MATCH("main", "MaIn");
	NOMATCH("main", "mains");
	NOMATCH("mains", "main");
	MATCH("", "");
	NOMATCH("", "a");
	MATCH("std::vector", "STD::Vector");
}

static void test_star_and_question(void **state)
{
	MATCH("*", "");
	MATCH("*", "anything");
	MATCH("ma*", "main");
	MATCH("*in", "main");
	MATCH("m*n", "mn");
	MATCH("*a*i*", "main");
	NOMATCH("*x*", "main");
	MATCH("m?in", "main");
	NOMATCH("m?in", "min");
	MATCH("????", "main");
	NOMATCH("???", "main");
	MATCH("libc_so!*alloc", "libc_so!malloc");
	MATCH("*!malloc", "libc_so!malloc");
}

static void test_sets(void **state)
{
	MATCH("[a-c]x", "ax");
	MATCH("[a-c]x", "bx");
	MATCH("[a-c]x", "Cx");
	NOMATCH("[a-c]x", "dx");
	NOMATCH("[a-c]x", "x");
	MATCH("[abc]", "b");
	NOMATCH("[abc]", "d");
	MATCH("f[a-f0-9]o", "f7o");
	NOMATCH("f[a-f0-9]o", "fgo");
	MATCH("[f-a]", "c");	/* reversed range reads as a-f */
	NOMATCH("[]a", "a");	/* empty set matches nothing */
	MATCH("a[b", "a[b");	/* unterminated '[' is literal */
}

static void test_repeat_operators(void **state)
{
	MATCH("Lo#p", "Lp");
	MATCH("Lo#p", "Lop");
	MATCH("Lo#p", "Loooop");
	NOMATCH("Lo#p", "Lxp");
	MATCH("a+b", "ab");
	MATCH("a+b", "aaab");
	NOMATCH("a+b", "b");
	MATCH("[0-9]+x", "123x");
	NOMATCH("[0-9]+x", "x");
	MATCH("[0-9]#x", "x");
	MATCH("x?#y", "xy");
	MATCH("x?#y", "xabcy");
	MATCH("#a", "#a");	/* nothing to repeat: literal */
	MATCH("+a", "+a");
	MATCH("a+#b", "aab");	/* second quantifier changes nothing */
	MATCH("*#", "abc");
}

static void test_escapes(void **state)
{
	MATCH("a\\*b", "a*b");
	NOMATCH("a\\*b", "axb");
	MATCH("a\\?", "a?");
	NOMATCH("a\\?", "ab");
	MATCH("\\[x\\]", "[x]");
	MATCH("a\\#", "a#");
	MATCH("a\\+", "a+");
	MATCH("operator\\+", "operator+");
	MATCH("a\\", "a\\");	/* trailing backslash is literal */
	MATCH("[\\]]", "]");
}

static void test_symbol_rules(void **state)
{
	assert_int_equal(wild_match("_foo", "__foo", 1), 1);
	assert_int_equal(wild_match("_foo", "_foo", 1), 1);
	assert_int_equal(wild_match("_foo", "foo", 1), 1);
	assert_int_equal(wild_match("_foo", "___foo", 1), 1);
	assert_int_equal(wild_match("_foo", "x_foo", 1), 0);
	assert_int_equal(wild_match("_f*", "__FOO", 1), 1);
	/* Without symbol rules the underscore is literal. */
	assert_int_equal(wild_match("_foo", "__foo", 0), 0);
	assert_int_equal(wild_match("_foo", "foo", 0), 0);
	/* A pattern without a leading '_' does not skip the text's. */
	assert_int_equal(wild_match("foo", "_foo", 1), 0);
}

static void test_has_wildcards(void **state)
{
	assert_int_equal(wild_has_wildcards("main"), 0);
	assert_int_equal(wild_has_wildcards("libc_so!malloc"), 0);
	assert_int_equal(wild_has_wildcards("std::vector"), 0);
	assert_int_equal(wild_has_wildcards("ma*"), 1);
	assert_int_equal(wild_has_wildcards("m?in"), 1);
	assert_int_equal(wild_has_wildcards("[ab]"), 1);
	assert_int_equal(wild_has_wildcards("Lo#p"), 1);
	assert_int_equal(wild_has_wildcards("a+b"), 1);
	assert_int_equal(wild_has_wildcards("a\\b"), 1);
	assert_int_equal(wild_has_wildcards(""), 0);
	assert_int_equal(wild_has_wildcards(NULL), 0);
}

static void test_null_and_long_inputs_are_fast(void **state)
{
	assert_int_equal(wild_match(NULL, "a", 0), 0);
	assert_int_equal(wild_match("a", NULL, 0), 0);

	/* "a*a*...a*b": a backtracking matcher takes exponential time on a miss. */
	size_t n = 4000;
	char *pat = malloc(2 * n + 2);
	char *text = malloc(n + 2);
	assert_non_null(pat);
	assert_non_null(text);
	for (size_t i = 0; i < n; i++) {
		pat[2 * i] = 'a';
		pat[2 * i + 1] = '*';
		text[i] = 'a';
	}
	pat[2 * n] = 'b';
	pat[2 * n + 1] = 0;
	clock_t t0 = clock();
	text[n] = 0;
	assert_int_equal(wild_match(pat, text, 0), 0);	/* no b */
	text[n - 1] = 'b';
	assert_int_equal(wild_match(pat, text, 0), 0);	/* only n-1 a's */
	text[n - 1] = 'a';
	text[n] = 'b';
	text[n + 1] = 0;
	assert_int_equal(wild_match(pat, text, 0), 1);
	assert_true((double)(clock() - t0) / CLOCKS_PER_SEC < 2.0);
	free(pat);
	free(text);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_literal_and_case),
		cmocka_unit_test(test_star_and_question),
		cmocka_unit_test(test_sets),
		cmocka_unit_test(test_repeat_operators),
		cmocka_unit_test(test_escapes),
		cmocka_unit_test(test_symbol_rules),
		cmocka_unit_test(test_has_wildcards),
		cmocka_unit_test(test_null_and_long_inputs_are_fast),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
