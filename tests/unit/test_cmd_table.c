/*
 * test_cmd_table.c — the command table and what it drives without a
 * process: finding commands, the shared argument checks, and the help
 * that is generated from the rows (.help, help CMD, ? alone).
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

/* What a user sees for one line typed without a program. */
static char *run(const char *line)
{
	char *buf = NULL;
	size_t n = 0;
	FILE *f = open_memstream(&buf, &n);
	assert_non_null(f);
	struct session *s = session_new();
	struct cmd_ctx c = { .s = s, .out = f };
	cmd_run_line(&c, line);
	fclose(f);
	session_free(s);
	return buf;
}

static int count_lines(const char *s)
{
	int n = 0;
	for (; *s; s++)
		n += *s == '\n';
	return n;
}

static void test_rows_are_complete(void **state)
{
	int nf;
	const struct cmd_family *f = cmd_families(&nf);
	assert_true(nf > 5);
	int rows = 0;
	for (int i = 0; i < nf; i++) {
		assert_non_null(f[i].title);
		for (const struct cmd_def *d = f[i].rows; d->name; d++, rows++) {
			assert_non_null(d->syntax);
			assert_non_null(d->summary);
			/* One line each that fits beside the name on an 80-column terminal. */
			assert_null(strchr(d->summary, '\n'));
			assert_null(strchr(d->syntax, '\n'));
			assert_true(strlen(d->summary) > 0 && strlen(d->summary) <= 66);
			/* The syntax spells the command ("z" is written after the commands it repeats). */
			char head[16];
			snprintf(head, sizeof(head), "%s", d->name[0] == '~' ? "~" : d->name);
			assert_non_null(strstr(d->syntax, head));
			/* Names are unique: the table is the one place a command is defined. */
			for (int j = 0; j < nf; j++)
				for (const struct cmd_def *e = f[j].rows; e->name; e++)
					if (e != d)
						assert_string_not_equal(e->name, d->name);
		}
	}
	assert_true(rows > 50);
}

static void test_find(void **state)
{
	const char *args;
	int id, bad;
	const struct cmd_def *d = cmd_find("bp7 tick", &args, &id, &bad);
	assert_non_null(d);
	assert_string_equal(d->name, "bp");
	assert_int_equal(id, 7);
	assert_string_equal(args, " tick");
	d = cmd_find("gN", &args, &id, &bad);
	assert_string_equal(d->name, "gN");
	d = cmd_find("GN", &args, &id, &bad);
	assert_string_equal(d->name, "gn");
	d = cmd_find("reax=1", &args, &id, &bad);
	assert_string_equal(d->name, "r");
	assert_string_equal(args, "eax=1");
	d = cmd_find("?1+2", &args, &id, &bad);
	assert_string_equal(d->name, "?");
	d = cmd_find("?? x", &args, &id, &bad);
	assert_string_equal(d->name, "??");
	assert_null(cmd_find("gx", &args, &id, &bad));
	assert_null(cmd_find("frobnicate", &args, &id, &bad));
	/* Grammar rows are for help only: the dispatcher reads ~ and comments itself. */
	assert_null(cmd_find("~s", &args, &id, &bad));
	assert_non_null(cmd_find_name("~s", 2));
	assert_non_null(cmd_find_name("$$", 2));
	assert_null(cmd_find_name("xyz", 3));
}

static void test_help_lists_every_row(void **state)
{
	char *list = run(".help");
	int nf;
	const struct cmd_family *f = cmd_families(&nf);
	int rows = 0;
	for (int i = 0; i < nf; i++) {
		assert_non_null(strstr(list, f[i].title));
		for (const struct cmd_def *d = f[i].rows; d->name; d++, rows++) {
			char line[256];
			snprintf(line, sizeof(line), "  %-10s  %s\n", d->name, d->summary);
			assert_non_null(strstr(list, line));
		}
	}
	assert_int_equal(count_lines(list), rows + nf + 1);
	/* ? alone and help alone print the same list. */
	char *q = run("?");
	assert_string_equal(q, list);
	char *h = run("help");
	assert_string_equal(h, list);
	free(q);
	free(h);
	free(list);
}

static void test_help_one_command(void **state)
{
	char *out = run("help bp");
	assert_string_equal(out, "[~Thread] bp[ID] [/1] [/c MaxDepth] [/C MinDepth] [/w \"Condition\"] "
				 "[Address [Passes]] [\"CommandString\"]\n"
				 "    Set a software (int3) breakpoint; Address defaults to $ip\n");
	free(out);
	out = run(".help gc");
	assert_string_equal(out, "gc\n    Resume in the mode that reached the breakpoint (go or step)\n");
	free(out);
	out = run("help xyz");
	assert_string_equal(out, "No command named 'xyz' (.help lists them)\n");
	free(out);
	out = run("help bp extra");
	assert_string_equal(out, "^ Extra character error in 'help bp extra'\n");
	free(out);
	/* ? with an argument still evaluates. */
	out = run("? 0n10 + 1");
	assert_string_equal(out, "Evaluate expression: 11 = 00000000`0000000b\n");
	free(out);
}

/* Every row's central check, with the one message it prints. */
static void test_argument_checks(void **state)
{
	int nf;
	const struct cmd_family *f = cmd_families(&nf);
	int none = 0, needed = 0;
	for (int i = 0; i < nf; i++) {
		for (const struct cmd_def *d = f[i].rows; d->name; d++) {
			if (!d->fn || d->args == ARGS_ANY)
				continue;
			char line[64], want[512];
			if (d->args == ARGS_NONE) {
				snprintf(line, sizeof(line), "%s  x ", d->name);
				snprintf(want, sizeof(want), "^ Extra character error in '%s  x'\n", d->name);
				none++;
			} else {
				snprintf(line, sizeof(line), "%s ", d->name);
				snprintf(want, sizeof(want), "Syntax error: %s needs arguments: %s%s\n", d->name,
					 d->flags & CMD_THREADS ? "[~Thread] " : "", d->syntax);
				needed++;
			}
			if (d->flags & CMD_NEED_PROCESS)
				snprintf(want, sizeof(want), "No process is being debugged\n");
			char *out = run(line);
			assert_string_equal(out, want);
			free(out);
		}
	}
	assert_true(none >= 8);
	assert_true(needed >= 15);
}

/* A WinDbg command dr7 lacks says so in one line; a typo stays an unknown command. */
static void test_not_supported(void **state)
{
	static const struct { const char *line, *want; } cases[] = {
		{ ".cxr", "not supported: .cxr (Windows CONTEXT records have no Linux equivalent)\n" },
		{ ".cxr 0x1000", "not supported: .cxr (Windows CONTEXT records have no Linux equivalent)\n" },
		{ "tb", "not supported: tb (branch tracing needs processor support ptrace does not give)\n" },
		{ "!gle", "not supported: !gle (GetLastError is Windows-only)\n" },
		{ "~n", "not supported: ~n (Windows thread suspend counts have no Linux equivalent)\n" },
		{ ".cxrx", "^ Unknown command in '.cxrx'\n" },
		{ "!adress", "^ Unknown command in '!adress'\n" },
		{ "l+q", "Syntax error: l+ takes one option: l, o, s, t or *\n" },
		{ "$$ a comment", "" },
	};
	for (size_t i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
		char *out = run(cases[i].line);
		assert_string_equal(out, cases[i].want);
		free(out);
	}
	/* Each reason is one phrase: it reads inside the message's parentheses. */
	int nf, gaps = 0;
	const struct cmd_family *f = cmd_families(&nf);
	for (int i = 0; i < nf; i++)
		for (const struct cmd_def *d = f[i].rows; d->name; d++)
			if (d->flags & CMD_UNSUPPORTED) {
				gaps++;
				assert_null(strchr(d->summary, '('));
				assert_non_null(d->fn);
			}
	assert_true(gaps > 10);	/* the list shrinks as commands land */
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_rows_are_complete),
		cmocka_unit_test(test_find),
		cmocka_unit_test(test_help_lists_every_row),
		cmocka_unit_test(test_help_one_command),
		cmocka_unit_test(test_argument_checks),
		cmocka_unit_test(test_not_supported),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
