/*
 * test_cmd_light.c — which breakpoint command strings resume a hit without
 * the other threads being stopped: constant .echo output, then gc or g.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>

#include <cmocka.h>

#include "cmd/cmd.h"

static void test_light(void **state)
{
	assert_true(cmd_command_is_light("gc"));
	assert_true(cmd_command_is_light("g"));
	assert_true(cmd_command_is_light(" GC "));
	assert_true(cmd_command_is_light(".echo BP; gc"));
	assert_true(cmd_command_is_light(".echo hit one;.echo \"a;b\"; gc;"));
	assert_true(cmd_command_is_light(".echo; gc"));
}

static void test_not_light(void **state)
{
	assert_false(cmd_command_is_light(NULL));
	assert_false(cmd_command_is_light(""));
	assert_false(cmd_command_is_light(".echo only"));	/* no resume: the user sees the stop */
	assert_false(cmd_command_is_light("r; gc"));
	assert_false(cmd_command_is_light("? poi(x); gc"));
	assert_false(cmd_command_is_light("gc; .echo after"));
	assert_false(cmd_command_is_light("j (x == 1) 'gc'; 'r'"));
	assert_false(cmd_command_is_light(".echoes; gc"));
	assert_false(cmd_command_is_light(".echo \"unterminated; gc"));
	assert_false(cmd_command_is_light("gh"));
	assert_false(cmd_command_is_light("g 0x401000"));
	assert_false(cmd_command_is_light(".printf \"%d\", 1; gc"));
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_light),
		cmocka_unit_test(test_not_light),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
