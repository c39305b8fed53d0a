/*
 * test_auxv.c — the auxiliary vector parser (util/auxv.h) on vectors laid
 * out as the kernel writes them for 64- and 32-bit processes.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <string.h>

#include <cmocka.h>

#include "util/auxv.h"

static size_t put64(unsigned char *buf, size_t off, uint64_t type, uint64_t val)
{
	memcpy(buf + off, &type, 8);
	memcpy(buf + off + 8, &val, 8);
	return off + 16;
}

static size_t put32(unsigned char *buf, size_t off, uint32_t type, uint32_t val)
{
	memcpy(buf + off, &type, 4);
	memcpy(buf + off + 4, &val, 4);
	return off + 8;
}

static void test_64(void **state)
{
	unsigned char buf[256];
	size_t n = 0;
	n = put64(buf, n, AUXV_SYSINFO_EHDR, 0x7ffff7fc1000);
	n = put64(buf, n, AUXV_PHDR, 0x555555554040);
	n = put64(buf, n, AUXV_PHNUM, 13);
	n = put64(buf, n, AUXV_BASE, 0x7ffff7fc3000);
	n = put64(buf, n, AUXV_ENTRY, 0x555555555060);
	n = put64(buf, n, AUXV_NULL, 0);
	uint64_t v = 0;
	assert_int_equal(auxv_find(buf, n, 0, AUXV_ENTRY, &v), 0);
	assert_int_equal(v, 0x555555555060);
	assert_int_equal(auxv_find(buf, n, 0, AUXV_BASE, &v), 0);
	assert_int_equal(v, 0x7ffff7fc3000);
	assert_int_equal(auxv_find(buf, n, 0, AUXV_SYSINFO_EHDR, &v), 0);
	assert_int_equal(v, 0x7ffff7fc1000);
	assert_int_equal(auxv_find(buf, n, 0, AUXV_PHNUM, &v), 0);
	assert_int_equal(v, 13);
	/* absent: v untouched */
	v = 77;
	assert_int_equal(auxv_find(buf, n, 0, 25, &v), -1);
	assert_int_equal(v, 77);
}

static void test_32(void **state)
{
	unsigned char buf[128];
	size_t n = 0;
	n = put32(buf, n, AUXV_SYSINFO_EHDR, 0xf7fc1000);
	n = put32(buf, n, AUXV_BASE, 0xf7fc3000);
	n = put32(buf, n, AUXV_ENTRY, 0x56556090);
	n = put32(buf, n, AUXV_NULL, 0);
	uint64_t v = 0;
	assert_int_equal(auxv_find(buf, n, 1, AUXV_ENTRY, &v), 0);
	assert_int_equal(v, 0x56556090);
	assert_int_equal(auxv_find(buf, n, 1, AUXV_SYSINFO_EHDR, &v), 0);
	assert_int_equal(v, 0xf7fc1000);
	/* the same bytes read with the wrong word size do not give these values */
	assert_true(auxv_find(buf, n, 0, AUXV_ENTRY, &v) == -1 || v != 0x56556090);
}

static void test_end_and_truncation(void **state)
{
	unsigned char buf[128];
	size_t n = 0;
	n = put64(buf, n, AUXV_PHNUM, 9);
	n = put64(buf, n, AUXV_NULL, 0);
	n = put64(buf, n, AUXV_ENTRY, 0x1234);	/* after AT_NULL: not part of the vector */
	uint64_t v = 0;
	assert_int_equal(auxv_find(buf, n, 0, AUXV_ENTRY, &v), -1);

	n = 0;
	n = put64(buf, n, AUXV_PHNUM, 9);
	n = put64(buf, n, AUXV_ENTRY, 0x1234);
	/* a cut in the middle of the last pair */
	assert_int_equal(auxv_find(buf, n - 4, 0, AUXV_ENTRY, &v), -1);
	assert_int_equal(auxv_find(buf, n, 0, AUXV_ENTRY, &v), 0);
	assert_int_equal(v, 0x1234);
	assert_int_equal(auxv_find(buf, 0, 0, AUXV_PHNUM, &v), -1);
	assert_int_equal(auxv_find(NULL, 64, 0, AUXV_PHNUM, &v), -1);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_64),
		cmocka_unit_test(test_32),
		cmocka_unit_test(test_end_and_truncation),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
