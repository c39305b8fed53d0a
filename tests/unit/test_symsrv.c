/*
 * test_symsrv.c — the symbol path's grammar (sym_path_set, symsrv.c):
 * directories go to libdwfl's debuginfo_path after its default places,
 * server entries are kept (not part of that path), bad entries are refused
 * whole, and the path shows as given without its empty entries.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>

#include "sym/sym.h"
#include "sym/symsrv.h"
#include "util/util.h"

static void test_directories(void **state)
{
	assert_int_equal(sym_path_set("/a;/b/c"), 0);
	assert_string_equal(sym_path_get(), "/a;/b/c");
	assert_non_null(symsrv_debuginfo_path);
	assert_string_equal(symsrv_debuginfo_path, ":.debug:/usr/lib/debug:/a:/b/c");
	/* Empty entries and blanks around entries drop out. */
	assert_int_equal(sym_path_set(" /a ;; ;/b"), 0);
	assert_string_equal(symsrv_debuginfo_path, ":.debug:/usr/lib/debug:/a:/b");
	assert_string_equal(sym_path_get(), "/a;/b");
	assert_int_equal(sym_path_set(""), 0);
	assert_string_equal(sym_path_get(), "");
	assert_null(symsrv_debuginfo_path);
}

static void test_servers(void **state)
{
	/* Servers are not libdwfl's: only the directory reaches its path. */
	assert_int_equal(sym_path_set("srv*http://127.0.0.1:9;/d;DebugInfoD*https://x.example"), 0);
	assert_string_equal(symsrv_debuginfo_path, ":.debug:/usr/lib/debug:/d");
	assert_int_equal(sym_path_set("srv*/cache*http://127.0.0.1:9"), 0);
	assert_null(symsrv_debuginfo_path);
	assert_int_equal(sym_path_set("cache*/c;SRV*http://127.0.0.1:9"), 0);
	assert_string_equal(sym_path_get(), "cache*/c;SRV*http://127.0.0.1:9");
}

static void test_refused_whole(void **state)
{
	assert_int_equal(sym_path_set("/kept"), 0);
	assert_int_equal(sym_path_set("/x;srv*"), -1);
	assert_non_null(strstr(err_get(), "no server URL"));
	assert_int_equal(sym_path_set("http://127.0.0.1:9"), -1);
	assert_non_null(strstr(err_get(), "srv*http://127.0.0.1:9"));
	assert_int_equal(sym_path_set("frob*x"), -1);
	assert_int_equal(sym_path_set("/a:b"), -1);
	/* Nothing changed. */
	assert_string_equal(sym_path_get(), "/kept");
	assert_string_equal(symsrv_debuginfo_path, ":.debug:/usr/lib/debug:/kept");
}

static void test_sources(void **state)
{
	/* A file no server sent is local; libdwfl's own client's cache is named as such. */
	assert_null(symsrv_source("/usr/lib/debug/.build-id/aa/bb.debug"));
	assert_null(symsrv_source(NULL));
	setenv("DEBUGINFOD_CACHE_PATH", "/tmp/dr7-test-cache", 1);
	assert_string_equal(symsrv_source("/tmp/dr7-test-cache/ab/debuginfo"), "debuginfod (DEBUGINFOD_URLS)");
	assert_null(symsrv_source("/tmp/dr7-test-cachex/ab/debuginfo"));
	unsetenv("DEBUGINFOD_CACHE_PATH");
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_directories),
		cmocka_unit_test(test_servers),
		cmocka_unit_test(test_refused_whole),
		cmocka_unit_test(test_sources),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
