/* test_fmt.c — byte-exact displays: addresses, `?`, the `r` block, d* lines. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <string.h>

#include <cmocka.h>

#include "cmd/fmt.h"

static struct sbuf sb;

static int reset(void **state)
{
	sb_reset(&sb);
	return 0;
}

static int teardown_all(void **state)
{
	sb_free(&sb);
	return 0;
}

static void test_addr(void **state)
{
	fmt_addr(&sb, 0x00007fff12345678ull, 0);
	assert_string_equal(sb_str(&sb), "00007fff`12345678");
	sb_reset(&sb);
	fmt_addr(&sb, 0, 0);
	assert_string_equal(sb_str(&sb), "00000000`00000000");
	sb_reset(&sb);
	fmt_addr(&sb, 0xFFFFF80003ABCDEFull, 0);
	assert_string_equal(sb_str(&sb), "fffff800`03abcdef");
	sb_reset(&sb);
	fmt_addr(&sb, 0x0804a01c, 1);
	assert_string_equal(sb_str(&sb), "0804a01c");
	sb_reset(&sb);
	fmt_addr(&sb, 0x123456789ull, 1);	/* is32 shows the low 32 bits */
	assert_string_equal(sb_str(&sb), "23456789");
	sb_reset(&sb);
	sb_add(&sb, "at ");
	fmt_addr(&sb, 0x10, 0);
	assert_string_equal(sb_str(&sb), "at 00000000`00000010");
}

static void eval_is(uint64_t v, int is32, const char *want)
{
	sb_reset(&sb);
	fmt_eval(&sb, v, is32);
	assert_string_equal(sb_str(&sb), want);
}

static void test_eval(void **state)
{
	eval_is(0x409, 0, "Evaluate expression: 1033 = 00000000`00000409");
	eval_is(0x00007ffb7ed00770ull, 0,
		"Evaluate expression: 140718141081456 = 00007ffb`7ed00770");
	eval_is(~0ull, 0, "Evaluate expression: -1 = ffffffff`ffffffff");
	eval_is(0x8000000000000000ull, 0,
		"Evaluate expression: -9223372036854775808 = 80000000`00000000");
	eval_is(0, 0, "Evaluate expression: 0 = 00000000`00000000");
	eval_is(0x8f, 1, "Evaluate expression: 143 = 0000008f");
	eval_is(0xffffffffull, 1, "Evaluate expression: -1 = ffffffff");
	eval_is(~0ull, 1, "Evaluate expression: -1 = ffffffff");
	eval_is(0x7fffffffull, 1, "Evaluate expression: 2147483647 = 7fffffff");
}

static void test_regs_x64_doc_sample(void **state)
{
	struct regs r = { 0 };
	r.r[REG_RAX] = 0;
	r.r[REG_RBX] = 0x10;
	r.r[REG_RCX] = 0x00007ffb7eccd2c4ull;
	r.r[REG_RDX] = 0;
	r.r[REG_RSI] = 0x00007ffb7ed61a80ull;
	r.r[REG_RDI] = 0x00000027eb6a7000ull;
	r.r[REG_RIP] = 0x00007ffb7ed00770ull;
	r.r[REG_RSP] = 0x00000027eb87f320ull;
	r.r[REG_RBP] = 0;
	r.r[REG_R8] = 0x00000027eb87f318ull;
	r.r[REG_R11] = 0x246;
	r.r[REG_R12] = 0x40;
	r.r[REG_R14] = 0x00007ffb7ed548f0ull;
	r.r[REG_R15] = 0x00000210ea090000ull;
	r.r[REG_EFL] = 0x246;
	r.r[REG_CS] = 0x33;
	r.r[REG_SS] = 0x2b;
	r.r[REG_DS] = 0x2b;
	r.r[REG_ES] = 0x2b;
	r.r[REG_FS] = 0x53;
	r.r[REG_GS] = 0x2b;
	r.r[REG_FS_BASE] = 0x7ffff7d8a740ull;	/* not part of the block */

	fmt_regs(&sb, &r, 0);
	assert_string_equal(sb_str(&sb),
		"rax=0000000000000000 rbx=0000000000000010 rcx=00007ffb7eccd2c4\n"
		"rdx=0000000000000000 rsi=00007ffb7ed61a80 rdi=00000027eb6a7000\n"
		"rip=00007ffb7ed00770 rsp=00000027eb87f320 rbp=0000000000000000\n"
		" r8=00000027eb87f318  r9=0000000000000000 r10=0000000000000000\n"
		"r11=0000000000000246 r12=0000000000000040 r13=0000000000000000\n"
		"r14=00007ffb7ed548f0 r15=00000210ea090000\n"
		"iopl=0         nv up ei pl zr na po nc\n"
		"cs=0033  ss=002b  ds=002b  es=002b  fs=0053  gs=002b             efl=00000246\n");
}

static void test_regs_x64_linux(void **state)
{
	struct regs r = { 0 };
	for (int i = REG_RAX; i <= REG_R15; i++)
		r.r[i] = 0x1111111111111111ull * (uint64_t)(i % 16);
	r.r[REG_RIP] = 0x401136;
	r.r[REG_EFL] = 0x3a93;	/* iopl=3, of, if, sf, af, cf */
	r.r[REG_CS] = 0x33;
	r.r[REG_SS] = 0x2b;
	fmt_regs(&sb, &r, 0);
	assert_string_equal(sb_str(&sb),
		"rax=0000000000000000 rbx=1111111111111111 rcx=2222222222222222\n"
		"rdx=3333333333333333 rsi=4444444444444444 rdi=5555555555555555\n"
		"rip=0000000000401136 rsp=7777777777777777 rbp=6666666666666666\n"
		" r8=8888888888888888  r9=9999999999999999 r10=aaaaaaaaaaaaaaaa\n"
		"r11=bbbbbbbbbbbbbbbb r12=cccccccccccccccc r13=dddddddddddddddd\n"
		"r14=eeeeeeeeeeeeeeee r15=ffffffffffffffff\n"
		"iopl=3         ov up ei ng nz ac pe cy\n"
		"cs=0033  ss=002b  ds=0000  es=0000  fs=0000  gs=0000             efl=00003a93\n");
}

static void test_regs_x86_doc_sample(void **state)
{
	struct regs r = { 0 };
	r.r[REG_RAX] = 0;
	r.r[REG_RBX] = 0x008b6f00;
	r.r[REG_RCX] = 0x01010101;
	r.r[REG_RDX] = 0xffffffff;
	r.r[REG_RSI] = 0;
	r.r[REG_RDI] = 0x00465000;
	r.r[REG_RIP] = 0x77f9d022;
	r.r[REG_RSP] = 0x05cffc48;
	r.r[REG_RBP] = 0x05cffc54;
	r.r[REG_EFL] = 0x286;
	r.r[REG_CS] = 0x1b;
	r.r[REG_SS] = 0x23;
	r.r[REG_DS] = 0x23;
	r.r[REG_ES] = 0x23;
	r.r[REG_FS] = 0x38;
	r.r[REG_GS] = 0;
	fmt_regs(&sb, &r, 1);
	assert_string_equal(sb_str(&sb),
		"eax=00000000 ebx=008b6f00 ecx=01010101 edx=ffffffff esi=00000000 edi=00465000\n"
		"eip=77f9d022 esp=05cffc48 ebp=05cffc54 iopl=0         nv up ei ng nz na po nc\n"
		"cs=001b  ss=0023  ds=0023  es=0023  fs=0038  gs=0000             efl=00000286\n");
}

/* .frame /r of an outer frame: what the unwinder did not restore prints as '?'. */
static void test_regs_known(void **state)
{
	struct regs r = { 0 };
	r.r[REG_RBX] = 0x26;
	r.r[REG_RIP] = 0x401136;
	r.r[REG_RSP] = 0x7ffe0000;
	r.r[REG_CS] = 0x33;
	uint64_t known = 1u << REG_RBX | 1u << REG_RIP | 1u << REG_RSP | 1u << REG_CS;
	fmt_regs_known(&sb, &r, 0, known);
	assert_string_equal(sb_str(&sb),
		"rax=???????????????? rbx=0000000000000026 rcx=????????????????\n"
		"rdx=???????????????? rsi=???????????????? rdi=????????????????\n"
		"rip=0000000000401136 rsp=000000007ffe0000 rbp=????????????????\n"
		" r8=????????????????  r9=???????????????? r10=????????????????\n"
		"r11=???????????????? r12=???????????????? r13=????????????????\n"
		"r14=???????????????? r15=????????????????\n"
		"iopl=?         ?? ?? ?? ?? ?? ?? ?? ??\n"
		"cs=0033  ss=????  ds=????  es=????  fs=????  gs=????             efl=????????\n");
	sb_reset(&sb);
	fmt_regs_known(&sb, &r, 1, known);
	assert_string_equal(sb_str(&sb),
		"eax=???????? ebx=00000026 ecx=???????? edx=???????? esi=???????? edi=????????\n"
		"eip=00401136 esp=7ffe0000 ebp=???????? iopl=?         ?? ?? ?? ?? ?? ?? ?? ??\n"
		"cs=0033  ss=????  ds=????  es=????  fs=????  gs=????             efl=????????\n");
}

static void dump_is(uint64_t addr, const uint8_t *bytes, const uint8_t *valid, size_t n,
		    int unit, int ascii, int is32, const char *want)
{
	sb_reset(&sb);
	fmt_dump_line(&sb, addr, bytes, valid, n, unit, ascii, 16, is32);
	assert_string_equal(sb_str(&sb), want);
}

static void test_dump_doc_samples(void **state)
{
	static const uint8_t db1[16] = { 0x00, 0x60, 0xfd, 0xff, 0xff, 0x07, 0x00, 0x00,
					 0x50, 0x26, 0x78, 0x77, 0x00, 0x00, 0x00, 0x00 };
	dump_is(0x28eff0, db1, NULL, 16, 1, 1, 0,
		"00000000`0028eff0  00 60 fd ff ff 07 00 00-50 26 78 77 00 00 00 00  .`......P&xw....");

	static const uint8_t none[16] = { 0 };
	dump_is(0xffffffff00000090ull, db1, none, 16, 1, 1, 0,
		"ffffffff`00000090  ?? ?? ?? ?? ?? ?? ?? ?\?-?? ?? ?? ?? ?? ?? ?? ??  ????????????????");

	static const uint8_t db3[3] = { 0xf2, 0x11, 0x01 };
	dump_is(0x00000272ac12bb50ull, db3, NULL, 3, 1, 1, 0,
		"00000272`ac12bb50  f2 11 01                                         ...");

	static const uint8_t dd4[16] = { 1, 0, 0, 0 };
	dump_is(0x0000021cc5fad7c0ull, dd4, NULL, 16, 4, 0, 0,
		"0000021c`c5fad7c0  00000001 00000000 00000000 00000000");

	static const uint8_t dc5[16] = { 0x49, 0x6e, 0x20, 0x6d, 0x65, 0x6d, 0x6f, 0x72,
					 0x79, 0x00, 0x12, 0x00, 0xf4, 0xf9, 0x12, 0x00 };
	dump_is(0x0012f980, dc5, NULL, 16, 4, 1, 1,
		"0012f980  6d206e49 726f6d65 00120079 0012f9f4  In memory.......");

	dump_is(0x00000073ac18c1a0ull, none, NULL, 16, 8, 0, 0,
		"00000073`ac18c1a0  00000000`00000000 00000000`00000000");

	static const uint8_t dp7[8] = { 0xff, 0xff, 0xfe, 0xff, 0xff, 0x07, 0x00, 0x00 };
	dump_is(0xfffff800038b4010ull, dp7, NULL, 8, 8, 0, 0,
		"fffff800`038b4010  000007ff`fffeffff");

	dump_is(0x409, db1, none, 16, 4, 0, 0,
		"00000000`00000409  ???????? ???????? ???????? ????????");
}

static void test_dump_units(void **state)
{
	uint8_t b[16];
	for (int i = 0; i < 16; i++)
		b[i] = (uint8_t)(0x41 + i);	/* "ABCDEFGHIJKLMNOP" */

	dump_is(0x1000, b, NULL, 16, 2, 0, 0,
		"00000000`00001000  4241 4443 4645 4847 4a49 4c4b 4e4d 504f");
	dump_is(0x1000, b, NULL, 16, 8, 0, 0,
		"00000000`00001000  48474645`44434241 504f4e4d`4c4b4a49");
	dump_is(0x1000, b, NULL, 16, 4, 1, 0,
		"00000000`00001000  44434241 48474645 4c4b4a49 504f4e4d  ABCDEFGHIJKLMNOP");
	dump_is(0x1000, b, NULL, 16, 1, 0, 1,
		"00001000  41 42 43 44 45 46 47 48-49 4a 4b 4c 4d 4e 4f 50");

	/* Partly readable: whole units become '?', ASCII '?' per unreadable byte. */
	uint8_t v[16];
	memset(v, 1, sizeof(v));
	v[5] = 0;
	v[15] = 0;
	dump_is(0x1000, b, v, 16, 1, 1, 0,
		"00000000`00001000  41 42 43 44 45 ?? 47 48-49 4a 4b 4c 4d 4e 4f ??  ABCDE?GHIJKLMNO?");
	dump_is(0x1000, b, v, 16, 4, 1, 0,
		"00000000`00001000  44434241 ???????? 4c4b4a49 ????????  ABCDE?GHIJKLMNO?");
	dump_is(0x1000, b, v, 16, 2, 0, 0,
		"00000000`00001000  4241 4443 ???? 4847 4a49 4c4b 4e4d ????");
	dump_is(0x1000, b, v, 16, 8, 0, 0,
		"00000000`00001000  ????????`???????? ????????`????????");

	/* Non-printables: below 0x20 and from 0x7f up are '.'; space and '~' print. */
	static const uint8_t c[4] = { 0x1f, 0x20, 0x7e, 0x7f };
	dump_is(0x10, c, NULL, 4, 1, 1, 1,
		"00000010  1f 20 7e 7f                                      . ~.");
}

static void test_dump_short_lines(void **state)
{
	uint8_t b[16];
	for (int i = 0; i < 16; i++)
		b[i] = (uint8_t)(0x61 + i);

	/* Short db line across the hyphen. */
	dump_is(0x2000, b, NULL, 10, 1, 1, 0,
		"00000000`00002000  61 62 63 64 65 66 67 68-69 6a                    abcdefghij");
	/* Short dc line: ASCII column still at the same place. */
	dump_is(0x2000, b, NULL, 8, 4, 1, 0,
		"00000000`00002000  64636261 68676665                    abcdefgh");
	/* Short lines without ASCII end right after the last value. */
	dump_is(0x2000, b, NULL, 4, 4, 0, 0, "00000000`00002000  64636261");
	dump_is(0x2000, b, NULL, 8, 8, 0, 0, "00000000`00002000  68676665`64636261");
	/* A partial unit at the end reads as unreadable. */
	dump_is(0x2000, b, NULL, 6, 4, 0, 0, "00000000`00002000  64636261 ????????");
	/* n beyond per_line is clamped; a bad unit falls back to bytes. */
	sb_reset(&sb);
	fmt_dump_line(&sb, 0x2000, b, NULL, 4, 4, 0, 4, 1);
	assert_string_equal(sb_str(&sb), "00002000  64636261");
	sb_reset(&sb);
	fmt_dump_line(&sb, 0x2000, b, NULL, 16, 4, 1, 8, 1);
	assert_string_equal(sb_str(&sb), "00002000  64636261 68676665  abcdefgh");
	sb_reset(&sb);
	fmt_dump_line(&sb, 0x2000, b, NULL, 2, 3, 0, 16, 1);
	assert_string_equal(sb_str(&sb), "00002000  61 62");
	/* NULL bytes: everything unreadable, no crash. */
	sb_reset(&sb);
	fmt_dump_line(&sb, 0x2000, NULL, NULL, 2, 1, 1, 16, 1);
	assert_string_equal(sb_str(&sb),
		"00002000  ?? ??                                            ??");
}

static void test_float_lines(void **state)
{
	double d[3] = { 1.5, -2.25, 0.1 };
	sb_reset(&sb);
	fmt_float_line(&sb, 0x1000, (const uint8_t *)d, NULL, sizeof(d), 1, 0);
	assert_string_equal(sb_str(&sb),
		"00000000`00001000                     1.5                  -2.25                    0.1");
	float f[4] = { 1.0f / 3.0f, -0.0f, 1e30f, 2.0f };
	uint8_t valid[16];
	memset(valid, 1, sizeof(valid));
	valid[13] = 0;
	sb_reset(&sb);
	fmt_float_line(&sb, 0x1000, (const uint8_t *)f, valid, sizeof(f), 0, 1);
	assert_string_equal(sb_str(&sb), "00001000        0.3333333              -0           1e+30        ????????");
	/* A short line and a partial last value (unreadable). */
	sb_reset(&sb);
	fmt_float_line(&sb, 0x10, (const uint8_t *)d, NULL, 12, 1, 1);
	assert_string_equal(sb_str(&sb), "00000010                     1.5       ????????????????");
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test_setup(test_addr, reset),
		cmocka_unit_test_setup(test_eval, reset),
		cmocka_unit_test_setup(test_regs_x64_doc_sample, reset),
		cmocka_unit_test_setup(test_regs_x64_linux, reset),
		cmocka_unit_test_setup(test_regs_x86_doc_sample, reset),
		cmocka_unit_test_setup(test_regs_known, reset),
		cmocka_unit_test_setup(test_dump_doc_samples, reset),
		cmocka_unit_test_setup(test_dump_units, reset),
		cmocka_unit_test_setup(test_dump_short_lines, reset),
		cmocka_unit_test_setup(test_float_lines, reset),
	};
	return cmocka_run_group_tests(tests, NULL, teardown_all);
}
