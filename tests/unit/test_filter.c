/*
 * test_filter.c — the event-filter table (engine/filter.h): defaults as
 * WinDbg's (and dr7's for what Windows has not), changes that touch only
 * what they name, "*" for signals without an entry, sxr, module matching.
 */
#include <setjmp.h>
#include <signal.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>

#include "engine/filter.h"
#include "util/util.h"

static struct filter_table t;

static int setup(void **state)
{
	memset(&t, 0, sizeof(t));
	filters_reset(&t);
	return 0;
}

static int teardown(void **state)
{
	filters_free(&t);
	return 0;
}

static struct filter_key sig(int n)
{
	return (struct filter_key){ FKEY_SIGNAL, n };
}

static struct filter_key event(enum filter_event e)
{
	return (struct filter_key){ FKEY_EVENT, e };
}

static void test_defaults(void **state)
{
	assert_int_equal(filter_for_signal(&t, SIGSEGV)->brk, FILTER_BREAK);	/* av */
	assert_int_equal(filter_for_signal(&t, SIGFPE)->brk, FILTER_BREAK);	/* dz */
	assert_int_equal(filter_for_signal(&t, SIGILL)->brk, FILTER_SECOND_CHANCE);	/* ii */
	assert_int_equal(filter_for_signal(&t, SIGBUS)->brk, FILTER_BREAK);
	assert_int_equal(filter_for_signal(&t, SIGUSR1)->brk, FILTER_SECOND_CHANCE);
	assert_int_equal(filter_for_signal(&t, SIGCHLD)->brk, FILTER_IGNORE);
	assert_int_equal(filter_for_signal(&t, SIGWINCH)->brk, FILTER_IGNORE);
	assert_false(filter_for_signal(&t, SIGSEGV)->handled);
	/* Real-time signals have no entry: "*" applies. */
	assert_ptr_equal(filter_for_signal(&t, 40), &t.other);
	assert_int_equal(t.other.brk, FILTER_SECOND_CHANCE);
	assert_int_equal(t.ev[FEV_LOAD_MODULE].brk, FILTER_OUTPUT);
	assert_int_equal(t.ev[FEV_UNLOAD_MODULE].brk, FILTER_IGNORE);
	assert_int_equal(t.ev[FEV_CREATE_THREAD].brk, FILTER_IGNORE);
	assert_int_equal(t.ev[FEV_EXIT_THREAD].brk, FILTER_IGNORE);
	assert_int_equal(t.ev[FEV_CREATE_PROCESS].brk, FILTER_IGNORE);
	assert_int_equal(t.ev[FEV_EXIT_PROCESS].brk, FILTER_BREAK);
	assert_int_equal(t.ev[FEV_BREAK_INSTRUCTION].brk, FILTER_BREAK);
	assert_true(t.ev[FEV_BREAK_INSTRUCTION].handled);	/* bpec */
	assert_false(filter_signal_catchable(SIGKILL));
	assert_true(filter_signal_catchable(SIGSTOP));
	assert_false(filter_signal_catchable(0));
	assert_false(filter_signal_catchable(FILTER_MAX_SIGNAL + 1));
	assert_false(filter_default_kills(SIGCHLD));
	assert_true(filter_default_kills(SIGTERM));
}

static void test_change_touches_only_what_it_names(void **state)
{
	struct filter_change ch = { .set_break = 1, .brk = FILTER_IGNORE, .cmd1 = "r rip" };
	assert_int_equal(filter_apply(&t, sig(SIGSEGV), &ch), 0);
	struct filter *f = filter_for_signal(&t, SIGSEGV);
	assert_int_equal(f->brk, FILTER_IGNORE);
	assert_string_equal(f->cmd1, "r rip");
	assert_null(f->cmd2);
	/* sx-: commands only. */
	struct filter_change only = { .cmd2 = "k" };
	assert_int_equal(filter_apply(&t, sig(SIGSEGV), &only), 0);
	assert_int_equal(f->brk, FILTER_IGNORE);
	assert_string_equal(f->cmd1, "r rip");
	assert_string_equal(f->cmd2, "k");
	/* -h: the handling status, not the break status. */
	struct filter_change h = { .set_handled = 1, .handled = 1 };
	assert_int_equal(filter_apply(&t, sig(SIGSEGV), &h), 0);
	assert_true(f->handled);
	assert_int_equal(f->brk, FILTER_IGNORE);
	/* "" clears a command string. */
	struct filter_change clear = { .cmd1 = "" };
	filter_apply(&t, sig(SIGSEGV), &clear);
	assert_null(f->cmd1);
	/* Other filters are untouched. */
	assert_int_equal(filter_for_signal(&t, SIGBUS)->brk, FILTER_BREAK);
}

static void test_star_and_new_entries(void **state)
{
	struct filter_change ch = { .set_break = 1, .brk = FILTER_OUTPUT };
	assert_int_equal(filter_apply(&t, (struct filter_key){ FKEY_OTHER, 0 }, &ch), 0);
	assert_int_equal(filter_for_signal(&t, 40)->brk, FILTER_OUTPUT);
	/* Listed signals keep their own entries. */
	assert_int_equal(filter_for_signal(&t, SIGUSR1)->brk, FILTER_SECOND_CHANCE);
	/* A real-time signal named gets its own entry, starting from "*". */
	struct filter_change e = { .cmd1 = "k" };
	assert_int_equal(filter_apply(&t, sig(41), &e), 0);
	assert_true(t.sig[41].own);
	assert_int_equal(filter_for_signal(&t, 41)->brk, FILTER_OUTPUT);
	assert_string_equal(filter_for_signal(&t, 41)->cmd1, "k");
	assert_ptr_equal(filter_for_signal(&t, 42), &t.other);
	/* SIGKILL and numbers past the last signal change nothing. */
	assert_int_equal(filter_apply(&t, sig(SIGKILL), &ch), -1);
	assert_non_null(strstr(err_get(), "SIGKILL"));
	assert_int_equal(filter_apply(&t, sig(65), &ch), -1);
	assert_false(t.sig[SIGKILL].own);
}

static void test_reset(void **state)
{
	struct filter_change ch = { .set_break = 1, .brk = FILTER_BREAK, .cmd1 = "x", .set_arg = 1,
				    .arg = "libfoo" };
	filter_apply(&t, event(FEV_LOAD_MODULE), &ch);
	filter_apply(&t, sig(50), &ch);
	filters_reset(&t);
	assert_int_equal(t.ev[FEV_LOAD_MODULE].brk, FILTER_OUTPUT);
	assert_null(t.ev[FEV_LOAD_MODULE].cmd1);
	assert_null(t.ev[FEV_LOAD_MODULE].arg);
	assert_false(t.sig[50].own);
}

static void test_module_match(void **state)
{
	struct filter f = { 0 };
	assert_true(filter_module_matches(&f, "libc_so", "/lib/libc.so.6", 0x1000));	/* any */
	f.arg = "libplug";
	assert_true(filter_module_matches(&f, "libplug", "/x/libplug.so", 0x1000));	/* the stem */
	assert_true(filter_module_matches(&f, "plug_so", "/x/libplug.so.2", 0x1000));
	assert_false(filter_module_matches(&f, "libplug2", "/x/libplug2.so", 0x1000));
	f.arg = "libc_so";
	assert_true(filter_module_matches(&f, "libc_so", "/lib/libc.so.6", 0x1000));	/* dr7's name */
	f.arg = "libc.so.6";
	assert_true(filter_module_matches(&f, "libc_so", "/lib/libc.so.6", 0x1000));	/* file name */
	f.arg = "*plug*";
	assert_true(filter_module_matches(&f, NULL, "/x/libplug.so", 0x1000));
	assert_false(filter_module_matches(&f, NULL, "/x/libc.so.6", 0x1000));
	f.arg = "7fff0000";
	assert_true(filter_module_matches(&f, "m", "/x/m.so", 0x7fff0000));	/* by address */
	assert_false(filter_module_matches(&f, "m", "/x/m.so", 0x7fff1000));
}

#define T(name) cmocka_unit_test_setup_teardown(name, setup, teardown)

int main(void)
{
	const struct CMUnitTest tests[] = {
		T(test_defaults),
		T(test_change_touches_only_what_it_names),
		T(test_star_and_new_entries),
		T(test_reset),
		T(test_module_match),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
