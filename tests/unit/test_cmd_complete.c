/*
 * test_cmd_complete.c — cmd_complete without a terminal or a process:
 * which word is completed, from which set (commands, commands that take a
 * thread prefix, any row's name, symbols), and what replaces it.  Symbols
 * need a process and are covered by tests/e2e/completion.sh.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>

#include "cmd/cmd.h"

static struct session *s;
static struct cmd_ctx c;
static struct cmd_completion cc;

static int setup(void **state)
{
	s = session_new();
	c = (struct cmd_ctx){ .s = s, .out = stdout };
	return 0;
}

static int teardown(void **state)
{
	cmd_completion_free(&cc);
	session_free(s);
	return 0;
}

/* Completes line with the cursor at its end (or at `cursor` when >= 0). */
static int complete(const char *line, int cursor)
{
	cmd_completion_free(&cc);
	return cmd_complete(&c, line, cursor < 0 ? strlen(line) : (size_t)cursor, &cc);
}

static const char *items(void)
{
	static char buf[2048];
	buf[0] = 0;
	for (int i = 0; i < cc.n; i++) {
		if (i)
			strcat(buf, " ");
		strcat(buf, cc.items[i]);
	}
	return buf;
}

static void test_command_names(void **state)
{
	assert_int_equal(complete("bl", -1), 1);
	assert_int_equal(cc.start, 0);
	assert_string_equal(cc.insert, "bl ");
	/* A word that cannot grow stays as typed; the candidates are for a list. */
	assert_int_equal(complete("b", -1), 11);
	assert_string_equal(items(), "ba bc bd be bl bm bp br bs bsc bu");
	assert_string_equal(cc.insert, "b");
	assert_int_equal(complete("bs", -1), 2);
	assert_string_equal(cc.insert, "bs");
	assert_int_equal(complete("  .bpc", -1), 1);
	assert_int_equal(cc.start, 2);
	assert_string_equal(cc.insert, ".bpcmds ");
	/* The common prefix grows the word. */
	assert_int_equal(complete(".res", -1), 1);
	assert_string_equal(cc.insert, ".restart ");
	assert_int_equal(complete("ez", -1), 2);
	assert_string_equal(items(), "eza ezu");
	assert_string_equal(cc.insert, "ez");
	assert_int_equal(complete("dd", -1), 2);
	assert_string_equal(items(), "dd dds");
	/* Any case is accepted and the row's spelling replaces it; never a shorter word. */
	assert_int_equal(complete("BL", -1), 1);
	assert_string_equal(cc.insert, "bl ");
	assert_int_equal(complete("GN", -1), 2);
	assert_string_equal(items(), "gN gn");
	assert_string_equal(cc.insert, "GN");
	/* An empty line: every command (rows of the line grammar are not typed as names). */
	int n = complete("", -1);
	assert_true(n > 60);
	for (int i = 0; i < cc.n; i++)
		assert_true(cc.items[i][0] != '~' && cc.items[i][0] != '*' && strcmp(cc.items[i], "$$"));
	assert_int_equal(complete("frob", -1), 0);
	assert_string_equal(cc.insert, "frob");
}

static void test_command_positions(void **state)
{
	assert_int_equal(complete("bl; .ech", -1), 1);
	assert_int_equal(cc.start, 4);
	assert_string_equal(cc.insert, ".echo ");
	assert_int_equal(complete(".if (1) { .ech", -1), 1);
	assert_string_equal(cc.insert, ".echo ");
	/* After a thread prefix only commands that take one; after ~Ne any. */
	assert_int_equal(complete("~0 b", -1), 4);
	assert_string_equal(items(), "ba bm bp bu");
	assert_int_equal(complete("~* k", -1), 6);
	assert_string_equal(items(), "k kP kb kn kp kv");
	assert_int_equal(complete("~1e b", -1), 11);
	assert_int_equal(complete("~[0x10] p", -1), 6);
	assert_string_equal(items(), "p pa pc pct ph pt");
	/* Inside a breakpoint's command string, but not in its /w condition. */
	assert_int_equal(complete("bp main \".ech", -1), 1);
	assert_string_equal(cc.insert, ".echo ");
	assert_int_equal(complete("bp main \"k; .ech", -1), 1);
	assert_int_equal(complete("bp /w \"bl", -1), 0);
	assert_int_equal(complete("bp main \"k\" bl", -1), 0);
	/* Plain strings and comments complete no commands. */
	assert_int_equal(complete(".echo \"bl", -1), 0);
	assert_int_equal(complete("* bl", -1), 0);
	assert_int_equal(complete("$$ bl", -1), 0);
	assert_int_equal(complete("$$ x; bl", -1), 1);
	/* The word is what precedes the cursor. */
	assert_int_equal(complete("bl xyz", 2), 1);
	assert_int_equal(cc.start, 0);
	assert_string_equal(cc.insert, "bl ");
	assert_int_equal(complete("bl", 99), 1);
}

static void test_help_argument(void **state)
{
	assert_int_equal(complete("help bs", -1), 2);
	assert_string_equal(items(), "bs bsc");
	assert_int_equal(cc.start, 5);
	assert_int_equal(complete(".help .bp", -1), 1);
	assert_string_equal(cc.insert, ".bpcmds ");
	/* help names the line grammar's rows too. */
	assert_int_equal(complete("help ~", -1), 5);
	assert_string_equal(items(), "~ ~e ~f ~s ~u");
}

static void test_symbols_without_a_process(void **state)
{
	/* No process: no symbols, and no crash on any argument. */
	assert_int_equal(complete("bp cou", -1), 0);
	assert_int_equal(cc.start, 3);
	assert_string_equal(cc.insert, "cou");
	assert_int_equal(complete("bp count!ti", -1), 0);
	assert_int_equal(complete("bp !ti", -1), 0);
	assert_int_equal(complete("r @ri", -1), 0);
	assert_int_equal(complete("bp ", -1), 0);
	assert_int_equal(cc.start, 3);
	assert_int_equal(complete("bp /w \"cou", -1), 0);
}

static void test_list(void **state)
{
	complete("b", -1);
	struct sbuf sb = { 0 };
	cmd_completion_list(&cc, 20, &sb);
	assert_string_equal(sb_str(&sb), "ba   bc   bd   be\n"
					 "bl   bm   bp   br\n"
					 "bs   bsc  bu\n");
	sb_reset(&sb);
	cmd_completion_list(&cc, 0, &sb);
	assert_int_equal(strlen(sb_str(&sb)), strlen("ba\nbc\nbd\nbe\nbl\nbm\nbp\nbr\nbs\nbsc\nbu\n"));
	/* Long lists stop at 100 and say how many more there are. */
	sb_reset(&sb);
	struct cmd_completion many = { .n = 150 };
	many.items = calloc(150, sizeof(char *));
	for (int i = 0; i < 150; i++) {
		many.items[i] = malloc(8);
		snprintf(many.items[i], 8, "s%03d", i);
	}
	cmd_completion_list(&many, 80, &sb);
	assert_non_null(strstr(sb_str(&sb), "s099\n"));
	assert_null(strstr(sb_str(&sb), "s100"));
	assert_non_null(strstr(sb_str(&sb), "\n... and 50 more\n"));
	cmd_completion_free(&many);
	sb_free(&sb);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_command_names),
		cmocka_unit_test(test_command_positions),
		cmocka_unit_test(test_help_argument),
		cmocka_unit_test(test_symbols_without_a_process),
		cmocka_unit_test(test_list),
	};
	return cmocka_run_group_tests(tests, setup, teardown);
}
