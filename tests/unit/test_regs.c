/* test_regs.c — register names, views, sign extension, flags text. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <string.h>

#include <cmocka.h>

#include "x86/regs.h"
#include "util/util.h"

static struct reg_ref look(const char *name, int is32)
{
	struct reg_ref ref;
	memset(&ref, 0x5a, sizeof(ref));
	assert_int_equal(regs_lookup(name, strlen(name), is32, &ref), 0);
	return ref;
}

static void expect_ref(const char *name, int is32, int index, unsigned shift, unsigned bits,
		       int sign_extend)
{
	struct reg_ref ref = look(name, is32);
	assert_int_equal(ref.index, index);
	assert_int_equal(ref.shift, shift);
	assert_int_equal(ref.bits, bits);
	assert_int_equal(ref.sign_extend, sign_extend);
	assert_int_equal(ref.is_xmm, 0);
}

static void expect_missing(const char *name, int is32)
{
	struct reg_ref ref;
	assert_int_equal(regs_lookup(name, strlen(name), is32, &ref), -1);
}

static void test_lookup_x64(void **state)
{
	expect_ref("rax", 0, REG_RAX, 0, 64, 0);
	expect_ref("r15", 0, REG_R15, 0, 64, 0);
	expect_ref("rip", 0, REG_RIP, 0, 64, 0);
	expect_ref("efl", 0, REG_EFL, 0, 32, 0);
	expect_ref("eflags", 0, REG_EFL, 0, 32, 0);
	expect_ref("rflags", 0, REG_EFL, 0, 32, 0);
	expect_ref("fs_base", 0, REG_FS_BASE, 0, 64, 0);
	expect_ref("gs_base", 0, REG_GS_BASE, 0, 64, 0);
	expect_ref("cs", 0, REG_CS, 0, 16, 0);
	expect_ref("gs", 0, REG_GS, 0, 16, 0);
	expect_ref("eax", 0, REG_RAX, 0, 32, 1);
	expect_ref("esp", 0, REG_RSP, 0, 32, 1);
	expect_ref("ebp", 0, REG_RBP, 0, 32, 1);
	expect_ref("edi", 0, REG_RDI, 0, 32, 1);
	expect_ref("eip", 0, REG_RIP, 0, 32, 1);
	expect_ref("r8d", 0, REG_R8, 0, 32, 1);
	expect_ref("r15d", 0, REG_R15, 0, 32, 1);
	expect_ref("ax", 0, REG_RAX, 0, 16, 0);
	expect_ref("sp", 0, REG_RSP, 0, 16, 0);
	expect_ref("r9w", 0, REG_R9, 0, 16, 0);
	expect_ref("al", 0, REG_RAX, 0, 8, 0);
	expect_ref("sil", 0, REG_RSI, 0, 8, 0);
	expect_ref("dil", 0, REG_RDI, 0, 8, 0);
	expect_ref("bpl", 0, REG_RBP, 0, 8, 0);
	expect_ref("spl", 0, REG_RSP, 0, 8, 0);
	expect_ref("r10b", 0, REG_R10, 0, 8, 0);
	expect_ref("ah", 0, REG_RAX, 8, 8, 0);
	expect_ref("dh", 0, REG_RDX, 8, 8, 0);
	expect_ref("of", 0, REG_EFL, 11, 1, 0);
	expect_ref("df", 0, REG_EFL, 10, 1, 0);
	expect_ref("if", 0, REG_EFL, 9, 1, 0);
	expect_ref("sf", 0, REG_EFL, 7, 1, 0);
	expect_ref("zf", 0, REG_EFL, 6, 1, 0);
	expect_ref("af", 0, REG_EFL, 4, 1, 0);
	expect_ref("pf", 0, REG_EFL, 2, 1, 0);
	expect_ref("cf", 0, REG_EFL, 0, 1, 0);
	expect_ref("tf", 0, REG_EFL, 8, 1, 0);
	expect_ref("iopl", 0, REG_EFL, 12, 2, 0);

	struct reg_ref x = look("xmm15", 0);
	assert_int_equal(x.is_xmm, 1);
	assert_int_equal(x.index, 15);
	assert_int_equal(x.bits, 128);
	x = look("XMM0", 0);
	assert_int_equal(x.index, 0);
	assert_int_equal(x.is_xmm, 1);
}

static void test_lookup_case_and_length(void **state)
{
	expect_ref("RAX", 0, REG_RAX, 0, 64, 0);
	expect_ref("R8D", 0, REG_R8, 0, 32, 1);
	expect_ref("Efl", 0, REG_EFL, 0, 32, 0);

	/* The name is length-delimited: trailing text is not part of it. */
	struct reg_ref ref;
	assert_int_equal(regs_lookup("rax+4", 3, 0, &ref), 0);
	assert_int_equal(ref.index, REG_RAX);
	assert_int_equal(ref.bits, 64);
	assert_int_equal(regs_lookup("r8d", 2, 0, &ref), 0);
	assert_int_equal(ref.bits, 64);
	assert_int_equal(regs_lookup("eax", 2, 0, &ref), -1);	/* "ea" */
	assert_int_equal(regs_lookup("rax", 0, 0, &ref), -1);
	assert_int_equal(regs_lookup(NULL, 3, 0, &ref), -1);
	assert_int_equal(regs_lookup("rax", 3, 0, NULL), 0);

	expect_missing("raxx", 0);
	expect_missing("r16", 0);
	expect_missing("xmm16", 0);
	expect_missing("@rax", 0);
	expect_missing("orig_rax", 0);
	expect_missing("nv", 0);	/* status mnemonics are not flag codes */
	expect_missing("", 0);
}

static void test_lookup_x86(void **state)
{
	expect_ref("eax", 1, REG_RAX, 0, 32, 0);
	expect_ref("ESP", 1, REG_RSP, 0, 32, 0);
	expect_ref("eip", 1, REG_RIP, 0, 32, 0);
	expect_ref("efl", 1, REG_EFL, 0, 32, 0);
	expect_ref("ax", 1, REG_RAX, 0, 16, 0);
	expect_ref("al", 1, REG_RAX, 0, 8, 0);
	expect_ref("bh", 1, REG_RBX, 8, 8, 0);
	expect_ref("ds", 1, REG_DS, 0, 16, 0);
	expect_ref("zf", 1, REG_EFL, 6, 1, 0);
	expect_ref("iopl", 1, REG_EFL, 12, 2, 0);
	assert_int_equal(look("xmm7", 1).index, 7);

	expect_missing("rax", 1);
	expect_missing("rip", 1);
	expect_missing("r8", 1);
	expect_missing("r8d", 1);
	expect_missing("sil", 1);
	expect_missing("xmm8", 1);
	expect_missing("fs_base", 1);
	expect_missing("rflags", 1);
}

static void test_get_sign_extension(void **state)
{
	struct regs r = { 0 };
	r.r[REG_RAX] = 0x11223344c0004321ull;
	struct reg_ref eax = look("eax", 0);
	assert_int_equal(regs_get(&r, &eax), 0xffffffffc0004321ull);
	r.r[REG_RAX] = 0x1122334470004321ull;
	assert_int_equal(regs_get(&r, &eax), 0x70004321ull);

	r.r[REG_R8] = 0x80000000ull;
	struct reg_ref r8d = look("r8d", 0);
	assert_int_equal(regs_get(&r, &r8d), 0xffffffff80000000ull);

	/* On an i386 target eax is the whole register: no sign extension. */
	r.r[REG_RAX] = 0xc0004321ull;
	struct reg_ref eax32 = look("eax", 1);
	assert_int_equal(regs_get(&r, &eax32), 0xc0004321ull);

	r.r[REG_RAX] = 0x8899aabbccddeeffull;
	struct reg_ref ax = look("ax", 0), al = look("al", 0), ah = look("ah", 0);
	struct reg_ref rax = look("rax", 0);
	assert_int_equal(regs_get(&r, &ax), 0xeeff);
	assert_int_equal(regs_get(&r, &al), 0xff);
	assert_int_equal(regs_get(&r, &ah), 0xee);
	assert_int_equal(regs_get(&r, &rax), 0x8899aabbccddeeffull);
}

static void test_get_flags(void **state)
{
	struct regs r = { 0 };
	r.r[REG_EFL] = 0x3246;	/* iopl=3, if, zf, pf */
	assert_int_equal(regs_get(&r, &(struct reg_ref){ 0 }), 0);
	struct reg_ref zf = look("zf", 0), cf = look("cf", 0), pf = look("pf", 0);
	struct reg_ref iopl = look("iopl", 0), ifl = look("if", 0), efl = look("efl", 0);
	assert_int_equal(regs_get(&r, &zf), 1);
	assert_int_equal(regs_get(&r, &cf), 0);
	assert_int_equal(regs_get(&r, &pf), 1);
	assert_int_equal(regs_get(&r, &ifl), 1);
	assert_int_equal(regs_get(&r, &iopl), 3);
	assert_int_equal(regs_get(&r, &efl), 0x3246);
}

static void test_set_preserves_other_bits(void **state)
{
	struct regs r = { 0 };
	r.r[REG_RAX] = 0x1122334455667788ull;
	regs_set(&r, &(struct reg_ref){ REG_RAX, 0, 8, 0, 0 }, 0x1ff);
	assert_int_equal(r.r[REG_RAX], 0x11223344556677ffull);

	struct reg_ref ah = look("ah", 0), ax = look("ax", 0), eax = look("eax", 0);
	regs_set(&r, &ah, 0xab);
	assert_int_equal(r.r[REG_RAX], 0x112233445566abffull);
	regs_set(&r, &ax, 0x12345);
	assert_int_equal(r.r[REG_RAX], 0x1122334455662345ull);
	regs_set(&r, &eax, 0xffffffffdeadbeefull);
	assert_int_equal(r.r[REG_RAX], 0x11223344deadbeefull);

	struct reg_ref rax = look("rax", 0);
	regs_set(&r, &rax, 0xfedcba9876543210ull);
	assert_int_equal(r.r[REG_RAX], 0xfedcba9876543210ull);
	assert_int_equal(r.r[REG_RBX], 0);

	r.r[REG_EFL] = 0x246;
	struct reg_ref zf = look("zf", 0), cf = look("cf", 0), iopl = look("iopl", 0);
	regs_set(&r, &zf, 0);
	assert_int_equal(r.r[REG_EFL], 0x206);
	regs_set(&r, &cf, 1);
	assert_int_equal(r.r[REG_EFL], 0x207);
	regs_set(&r, &iopl, 2);
	assert_int_equal(r.r[REG_EFL], 0x2207);
	regs_set(&r, &cf, 2);	/* only the low bit of the value fits */
	assert_int_equal(r.r[REG_EFL], 0x2206);

	r.r[REG_R12] = 0xffffffffffffffffull;
	struct reg_ref r12b = look("r12b", 0);
	regs_set(&r, &r12b, 0);
	assert_int_equal(r.r[REG_R12], 0xffffffffffffff00ull);
}

static void test_xmm_and_bad_refs_ignored(void **state)
{
	struct regs r;
	memset(&r, 0xa5, sizeof(r));
	struct regs before = r;
	struct reg_ref x = look("xmm3", 0);
	assert_int_equal(regs_get(&r, &x), 0);
	regs_set(&r, &x, 0x1234);
	assert_memory_equal(&r, &before, sizeof(r));

	struct reg_ref bad[] = {
		{ -1, 0, 64, 0, 0 }, { REG_COUNT, 0, 64, 0, 0 }, { REG_RAX, 60, 8, 0, 0 },
		{ REG_RAX, 0, 65, 0, 0 }, { REG_RAX, 64, 1, 0, 0 },
	};
	for (size_t i = 0; i < ARRAY_SIZE(bad); i++) {
		assert_int_equal(regs_get(&r, &bad[i]), 0);
		regs_set(&r, &bad[i], ~0ull);
	}
	assert_memory_equal(&r, &before, sizeof(r));
	assert_int_equal(regs_get(NULL, &x), 0);
	assert_int_equal(regs_get(&r, NULL), 0);
}

static void test_names(void **state)
{
	assert_string_equal(regs_name(REG_RAX), "rax");
	assert_string_equal(regs_name(REG_R8), "r8");
	assert_string_equal(regs_name(REG_R15), "r15");
	assert_string_equal(regs_name(REG_RIP), "rip");
	assert_string_equal(regs_name(REG_EFL), "efl");
	assert_string_equal(regs_name(REG_GS), "gs");
	assert_string_equal(regs_name(REG_FS_BASE), "fs_base");
	assert_string_equal(regs_name(REG_ORIG_RAX), "orig_rax");
	assert_string_equal(regs_name(REG_COUNT), "?");
	assert_string_equal(regs_name((enum reg_index)-1), "?");
	/* Every full-register name looks up to itself (except orig_rax, not a WinDbg name). */
	for (int i = 0; i < REG_ORIG_RAX; i++) {
		struct reg_ref ref = look(regs_name((enum reg_index)i), 0);
		assert_int_equal(ref.index, i);
	}
}

static void flags_is(uint64_t efl, const char *want)
{
	struct sbuf sb = { 0 };
	regs_flag_text(efl, &sb);
	assert_string_equal(sb_str(&sb), want);
	sb_free(&sb);
}

static void test_flag_text(void **state)
{
	flags_is(0x246, "nv up ei pl zr na po nc");
	flags_is(0x202, "nv up ei pl nz na pe nc");
	flags_is(0x10282, "nv up ei ng nz na pe nc");
	flags_is(0x286, "nv up ei ng nz na po nc");
	flags_is(0x0, "nv up di pl nz na pe nc");
	flags_is(0xed5, "ov dn ei ng zr ac po cy");
	flags_is(0x100, "nv up di pl nz na pe nc");	/* tf is not shown */

	/* Appends to what is already there. */
	struct sbuf sb = { 0 };
	sb_add(&sb, "x ");
	regs_flag_text(0x246, &sb);
	assert_string_equal(sb_str(&sb), "x nv up ei pl zr na po nc");
	sb_free(&sb);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_lookup_x64),
		cmocka_unit_test(test_lookup_case_and_length),
		cmocka_unit_test(test_lookup_x86),
		cmocka_unit_test(test_get_sign_extension),
		cmocka_unit_test(test_get_flags),
		cmocka_unit_test(test_set_preserves_other_bits),
		cmocka_unit_test(test_xmm_and_bad_refs_ignored),
		cmocka_unit_test(test_names),
		cmocka_unit_test(test_flag_text),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
