/*
 * test_cmd_script.c — the pure parts of scripting: where a command or a
 * control-flow statement ends in a line (the line grammar), and alias
 * replacement (which words, when, and what ${} gives), without a process.
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

static void test_split_length(void **state)
{
	assert_int_equal(cmd_split_length("a;b"), 1);
	assert_int_equal(cmd_split_length(".echo \"x;y\" ; b"), 12);
	assert_int_equal(cmd_split_length("{a;b};c"), 5);
	assert_int_equal(cmd_split_length(".echo ${x};y"), 10);	/* ${x} is no block */
	assert_int_equal(cmd_split_length("plain"), 5);
}

/* The text of the statement a flag-selected extent keeps. */
static void extent_is(const char *args, enum cmd_block_kind kind, const char *kept)
{
	size_t n = cmd_block_extent(args, kind);
	assert_true(n <= strlen(args));
	char *got = strndup(args, n);
	assert_string_equal(got, kept);
	free(got);
}

static void test_block_extent(void **state)
{
	extent_is(" (1) {a} .else {b}; r", BLOCK_IF, " (1) {a} .else {b}");
	extent_is(" (1) ; {a;b} ; .elsif (2) ; {c} ;.else{d};x", BLOCK_IF, " (1) ; {a;b} ; .elsif (2) ; {c} ;.else{d}");
	extent_is(" (1) {a}; .elsewhere", BLOCK_IF, " (1) {a}");
	extent_is(" {a} (@$t0 < 3); x", BLOCK_DO, " {a} (@$t0 < 3)");
	extent_is(" (v {dd x; dd y}) {body}; next", BLOCK_ONE, " (v {dd x; dd y}) {body}");
	extent_is(" (r $t0=0;; @$t0<2;; r $t0=@$t0+1);{;x;};y", BLOCK_ONE, " (r $t0=0;; @$t0<2;; r $t0=@$t0+1);{;x;}");
	extent_is(" (${/d:x}) {\"}\"} ; y", BLOCK_ONE, " (${/d:x}) {\"}\"}");
	/* Text glued to the last block stays with the statement, which reports it. */
	extent_is(" (1) {a} junk; y", BLOCK_ONE, " (1) {a} junk");
	/* No block: the statement ends at ';' (and says what it misses). */
	extent_is(" (1); .echo x", BLOCK_ONE, " (1)");
	extent_is(" (1) {a", BLOCK_ONE, " (1) {a");
}

struct session_out {
	struct session *s;
	struct cmd_ctx c;
	char *buf;
	size_t len;
	FILE *f;
};

static void open_ctx(struct session_out *o)
{
	memset(o, 0, sizeof(*o));
	o->f = open_memstream(&o->buf, &o->len);
	assert_non_null(o->f);
	o->s = session_new();
	o->c.s = o->s;
	o->c.out = o->f;
}

static void close_ctx(struct session_out *o)
{
	cmd_end(&o->c);
	fclose(o->f);
	free(o->buf);
	session_free(o->s);
}

static void expands_to(struct cmd_ctx *c, const char *line, const char *want)
{
	char *got = cmd_alias_expand(c, line);
	assert_string_equal(got, want);
	free(got);
}

static void test_expand(void **state)
{
	struct session_out o;
	open_ctx(&o);
	struct cmd_ctx *c = &o.c;
	expands_to(c, "foo bar", "foo bar");	/* no aliases yet */
	cmd_run_line(c, "aS foo FOO");
	cmd_run_line(c, "as semi a; b");
	/* A word between the start, the end, spaces, ';' and '"'. */
	expands_to(c, "foo x foo;foo \"foo\" xfoo foox foo", "FOO x FOO;FOO \"FOO\" xfoo foox FOO");
	expands_to(c, "semi", "a; b");
	/* Not again in replaced text, not in nested blocks (replaced when entered). */
	cmd_run_line(c, "aS loop foo");
	expands_to(c, "loop", "foo");
	expands_to(c, ".if (1) { foo } foo", ".if (1) { foo } FOO");
	expands_to(c, ".echo \"{\" foo", ".echo \"{\" FOO");
	/* ${}: anywhere, even next to other text. */
	expands_to(c, "x${foo}y ${/d:foo}${/d:nope} [${/f:nope}] ${/n:foo} ${/n:nope} ${/v:foo} ${nope}",
		   "xFOOy 10 [] foo ${/n:nope} ${/v:foo} ${nope}");
	expands_to(c, "{ ${foo} }", "{ ${foo} }");
	/* A line that begins with as, aS, ad or al is left alone. */
	expands_to(c, "  al; foo", "  al; foo");
	expands_to(c, "as x foo", "as x foo");
	expands_to(c, ";as x foo", ";as x FOO");
	/* An escaped quote inside a string delimits too. */
	expands_to(c, "bp x \".echo \\\"foo\\\"\"", "bp x \".echo \\\"FOO\\\"\"");
	/* Bindings shadow aliases and leave them as they were. */
	cmd_alias_bind(c, "foo", "bound");
	cmd_alias_bind(c, "v", "1");
	expands_to(c, "foo v ${v}", "bound 1 1");
	cmd_alias_unbind(c, 2);
	expands_to(c, "foo v", "FOO v");
	close_ctx(&o);
}

static void test_alias_commands(void **state)
{
	struct session_out o;
	open_ctx(&o);
	struct cmd_ctx *c = &o.c;
	cmd_run_line(c, "aS /x n 0n10 + 6; aS q \"a;b\"; as rest x; y ");
	cmd_run_line(c, "al");
	cmd_run_line(c, "ad n; ad n; ad /q n; ad * ; al");
	fflush(o.f);
	assert_string_equal(o.buf, "  Alias            Value\n"
				   " -------          -------\n"
				   " n                0x10\n"
				   " q                a;b\n"
				   " rest             x; y \n"
				   "No alias named 'n'\n"
				   "No aliases\n");
	close_ctx(&o);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_split_length),
		cmocka_unit_test(test_block_extent),
		cmocka_unit_test(test_expand),
		cmocka_unit_test(test_alias_commands),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
