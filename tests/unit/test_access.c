/*
 * test_access.c — access.c's address ranges for the instruction shapes a
 * page-protection watch meets: explicit operands, the stack, string
 * instructions in both directions, segments, rip-relative, and the cases
 * that must refuse (-1) rather than guess.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <string.h>

#include <cmocka.h>

#include "x86/access.h"

#define PC 0x401000ull

static struct regs base_regs(void)
{
	struct regs r;
	memset(&r, 0, sizeof(r));
	r.r[REG_RAX] = 0x10000;
	r.r[REG_RBX] = 0x20000;
	r.r[REG_RSI] = 0x30000;
	r.r[REG_RDI] = 0x40000;
	r.r[REG_RSP] = 0x7ff000;
	r.r[REG_RBP] = 0x7ff100;
	r.r[REG_RIP] = PC;
	r.r[REG_FS_BASE] = 0x7f0000000000ull;
	return r;
}

/* Decodes code with r and checks it yields exactly the one access given. */
static void expect_one(const char *code, size_t n, int is32, const struct regs *r,
		       uint64_t addr, uint64_t len, unsigned rw)
{
	struct mem_access a[ACCESS_MAX];
	int count = -1;
	assert_int_equal(x86_accesses((const uint8_t *)code, n, PC, is32, r, a, ACCESS_MAX, &count), (int)n);
	assert_int_equal(count, 1);
	assert_int_equal(a[0].addr, addr);
	assert_int_equal(a[0].len, len);
	assert_int_equal(a[0].rw, rw);
}

static void test_explicit_operands(void **state)
{
	struct regs r = base_regs();
	expect_one("\x48\x89\x48\x08", 4, 0, &r, 0x10008, 8, ACCESS_WRITE);		/* mov [rax+8],rcx */
	expect_one("\x8b\x03", 2, 0, &r, 0x20000, 4, ACCESS_READ);			/* mov eax,[rbx] */
	expect_one("\x87\x08", 2, 0, &r, 0x10000, 4, ACCESS_READ | ACCESS_WRITE);	/* xchg [rax],ecx */
	expect_one("\xc5\xfe\x6f\x00", 4, 0, &r, 0x10000, 32, ACCESS_READ);		/* vmovdqu ymm0,[rax] */
	expect_one("\x0f\xae\x00", 3, 0, &r, 0x10000, 512, ACCESS_WRITE);		/* fxsave [rax] */
	/* mov rax,[rip+0x10]: relative to the next instruction */
	expect_one("\x48\x8b\x05\x10\0\0\0", 7, 0, &r, PC + 7 + 0x10, 8, ACCESS_READ);
	/* mov rax,fs:[0x28]: the thread's segment base added */
	expect_one("\x64\x48\x8b\x04\x25\x28\0\0\0", 9, 0, &r, 0x7f0000000028ull, 8, ACCESS_READ);
	/* lock cmpxchg [rdi],ecx: the store depends on the comparison */
	expect_one("\xf0\x0f\xb1\x0f", 4, 0, &r, 0x40000, 4, ACCESS_READ | ACCESS_WRITE | ACCESS_MAYBE);
}

static void test_no_access(void **state)
{
	struct regs r = base_regs();
	struct mem_access a[ACCESS_MAX];
	int count = -1;
	assert_int_equal(x86_accesses((const uint8_t *)"\x48\x8d\x04\x24", 4, PC, 0, &r, a, ACCESS_MAX, &count), 4);
	assert_int_equal(count, 0);	/* lea rax,[rsp] */
	assert_int_equal(x86_accesses((const uint8_t *)"\x0f\x1f\x40\x00", 4, PC, 0, &r, a, ACCESS_MAX, &count), 4);
	assert_int_equal(count, 0);	/* nop dword ptr [rax] */
	assert_int_equal(x86_accesses((const uint8_t *)"\x0f\x18\x08", 3, PC, 0, &r, a, ACCESS_MAX, &count), 3);
	assert_int_equal(count, 0);	/* prefetcht0 [rax] */
	assert_int_equal(x86_accesses((const uint8_t *)"\x48\x01\xc8", 3, PC, 0, &r, a, ACCESS_MAX, &count), 3);
	assert_int_equal(count, 0);	/* add rax,rcx */
}

static void test_stack(void **state)
{
	struct regs r = base_regs();
	expect_one("\x50", 1, 0, &r, 0x7ff000 - 8, 8, ACCESS_WRITE);		/* push rax */
	expect_one("\x58", 1, 0, &r, 0x7ff000, 8, ACCESS_READ);			/* pop rax */
	expect_one("\xe8\0\0\0\0", 5, 0, &r, 0x7ff000 - 8, 8, ACCESS_WRITE);	/* call rel32 */
	expect_one("\xc3", 1, 0, &r, 0x7ff000, 8, ACCESS_READ);			/* ret */
	expect_one("\x9c", 1, 0, &r, 0x7ff000 - 8, 8, ACCESS_WRITE);		/* pushfq */
	expect_one("\xc9", 1, 0, &r, 0x7ff100, 8, ACCESS_READ);			/* leave: pops at rbp */
	expect_one("\x50", 1, 1, &r, 0x7ff000 - 4, 4, ACCESS_WRITE);		/* push eax (i386) */

	struct mem_access a[ACCESS_MAX];
	int count = -1;
	/* push qword [rax]: reads the source, writes below rsp */
	assert_int_equal(x86_accesses((const uint8_t *)"\xff\x30", 2, PC, 0, &r, a, ACCESS_MAX, &count), 2);
	assert_int_equal(count, 2);
	assert_int_equal(a[0].addr, 0x10000);
	assert_int_equal(a[0].rw, ACCESS_READ);
	assert_int_equal(a[1].addr, 0x7ff000 - 8);
	assert_int_equal(a[1].rw, ACCESS_WRITE);
	/* pop qword [rsp+8]: the destination is addressed after rsp moved */
	assert_int_equal(x86_accesses((const uint8_t *)"\x8f\x44\x24\x08", 4, PC, 0, &r, a, ACCESS_MAX, &count), 4);
	assert_int_equal(count, 2);
	assert_int_equal(a[0].addr, 0x7ff000 + 8 + 8);
	assert_int_equal(a[0].rw, ACCESS_WRITE);
	assert_int_equal(a[1].addr, 0x7ff000);
	assert_int_equal(a[1].rw, ACCESS_READ);
}

static void test_strings(void **state)
{
	struct regs r = base_regs();
	struct mem_access a[ACCESS_MAX];
	int count = -1;

	r.r[REG_RCX] = 10;
	/* rep movsq forwards: 80 bytes from rsi to rdi */
	assert_int_equal(x86_accesses((const uint8_t *)"\xf3\x48\xa5", 3, PC, 0, &r, a, ACCESS_MAX, &count), 3);
	assert_int_equal(count, 2);
	assert_int_equal(a[0].addr, 0x40000);
	assert_int_equal(a[0].len, 80);
	assert_int_equal(a[0].rw, ACCESS_WRITE);
	assert_int_equal(a[1].addr, 0x30000);
	assert_int_equal(a[1].len, 80);
	assert_int_equal(a[1].rw, ACCESS_READ);

	/* backwards (DF=1): the range ends at the first element */
	r.r[REG_EFL] = 1u << 10;
	expect_one("\xf3\xaa", 2, 0, &r, 0x40000 - 9, 10, ACCESS_WRITE);	/* rep stosb */
	r.r[REG_EFL] = 0;

	/* rep with rcx = 0 touches nothing */
	r.r[REG_RCX] = 0;
	assert_int_equal(x86_accesses((const uint8_t *)"\xf3\xaa", 2, PC, 0, &r, a, ACCESS_MAX, &count), 2);
	assert_int_equal(count, 0);

	/* without rep: one element */
	expect_one("\xaa", 1, 0, &r, 0x40000, 1, ACCESS_WRITE);		/* stosb */

	/* repe cmpsb may stop early: the whole range, marked maybe */
	r.r[REG_RCX] = 4;
	assert_int_equal(x86_accesses((const uint8_t *)"\xf3\xa6", 2, PC, 0, &r, a, ACCESS_MAX, &count), 2);
	assert_int_equal(count, 2);
	assert_int_equal(a[0].len, 4);
	assert_int_equal(a[0].rw, ACCESS_READ | ACCESS_MAYBE);

	/* a 0x67 prefix: 32-bit addresses and count */
	r.r[REG_RDI] = 0x100000040ull;
	r.r[REG_RCX] = 0x100000002ull;
	expect_one("\xf3\x67\xaa", 3, 0, &r, 0x40, 2, ACCESS_WRITE);
}

static void test_refusals(void **state)
{
	struct regs r = base_regs();
	struct mem_access a[ACCESS_MAX];
	int count = -1;
	/* truncated instruction */
	assert_int_equal(x86_accesses((const uint8_t *)"\x48\x8b", 2, PC, 0, &r, a, ACCESS_MAX, &count), -1);
	/* enter 16,1: a nesting level */
	assert_int_equal(x86_accesses((const uint8_t *)"\xc8\x10\x00\x01", 4, PC, 0, &r, a, ACCESS_MAX, &count), -1);
	/* vpgatherdd: addresses in a vector register */
	assert_int_equal(x86_accesses((const uint8_t *)"\xc4\xe2\x79\x90\x04\x88", 6, PC, 0, &r, a, ACCESS_MAX,
				      &count), -1);
	/* more accesses than the caller has room for */
	assert_int_equal(x86_accesses((const uint8_t *)"\xff\x30", 2, PC, 0, &r, a, 1, &count), -1);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_explicit_operands),
		cmocka_unit_test(test_no_access),
		cmocka_unit_test(test_stack),
		cmocka_unit_test(test_strings),
		cmocka_unit_test(test_refusals),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
