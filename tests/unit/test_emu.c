/*
 * test_emu.c — emu.c against the CPU it imitates: every arithmetic result
 * and flag of add/sub/cmp is compared with what this machine's own
 * instructions produce, over edge values and a fixed pseudo-random sweep;
 * loads, stores, push and ret are checked on a small fake memory.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <string.h>

#include <cmocka.h>

#include "x86/emu.h"

#define ARITH_FLAGS 0x8d5u	/* CF PF AF ZF SF OF */

/* The host CPU's add/sub of (a, b) at 64 or 32 bits: result and flags. */
static uint64_t cpu_op(int sub, int wide, uint64_t a, uint64_t b, uint64_t *flags)
{
	uint64_t r = a, f;
	if (wide && sub)
		__asm__ volatile("sub %2,%0\n\tpushfq\n\tpop %1" : "+r"(r), "=r"(f) : "r"(b) : "cc");
	else if (wide)
		__asm__ volatile("add %2,%0\n\tpushfq\n\tpop %1" : "+r"(r), "=r"(f) : "r"(b) : "cc");
	else {
		uint32_t r32 = (uint32_t)a, b32 = (uint32_t)b;
		if (sub)
			__asm__ volatile("sub %2,%0\n\tpushfq\n\tpop %1" : "+r"(r32), "=r"(f) : "r"(b32) : "cc");
		else
			__asm__ volatile("add %2,%0\n\tpushfq\n\tpop %1" : "+r"(r32), "=r"(f) : "r"(b32) : "cc");
		r = r32;
	}
	*flags = f & ARITH_FLAGS;
	return r;
}

static int no_load(void *user, uint64_t addr, void *buf, size_t n)
{
	return -1;
}

/* Emulates "op reg, reg2" encoded as: REX.W? 01/29/39 /r with rax, rcx. */
static uint64_t emu_op(int kind, int wide, uint64_t a, uint64_t b, uint64_t *flags)
{
	/* kind 0 add, 1 sub, 2 cmp: opcode 01 / 29 / 39, ModRM c8 = rax, rcx */
	static const uint8_t opc[] = { 0x01, 0x29, 0x39 };
	uint8_t code[3];
	size_t n = 0;
	if (wide)
		code[n++] = 0x48;
	code[n++] = opc[kind];
	code[n++] = 0xc8;	/* op rax, rcx */
	struct regs r;
	memset(&r, 0, sizeof(r));
	r.r[REG_RAX] = a;
	r.r[REG_RCX] = b;
	r.r[REG_EFL] = 0x202;
	struct emu_store st;
	int len = emu_step(code, n, 0x1000, 0, &r, no_load, NULL, &st);
	*flags = len < 0 ? ~0ULL : r.r[REG_EFL] & ARITH_FLAGS;
	return r.r[REG_RAX];
}

static const uint64_t edges[] = {
	0, 1, 2, 0x7f, 0x80, 0xff, 0x7fff, 0x8000, 0xffff, 0x7fffffff, 0x80000000, 0xffffffff,
	0x100000000ULL, 0x7fffffffffffffffULL, 0x8000000000000000ULL, 0xffffffffffffffffULL, 0xf, 0x10,
};

static void check_pair(int kind, int wide, uint64_t a, uint64_t b)
{
	uint64_t want_flags, got_flags;
	uint64_t want = cpu_op(kind != 0, wide, a, b, &want_flags);
	uint64_t got = emu_op(kind, wide, a, b, &got_flags);
	if (kind == 2)
		want = a;	/* cmp writes no register, not even the upper half */
	if (got != want || got_flags != want_flags)
		fail_msg("kind %d wide %d a %llx b %llx: result %llx/%llx flags %llx/%llx", kind, wide,
			 (unsigned long long)a, (unsigned long long)b, (unsigned long long)got,
			 (unsigned long long)want, (unsigned long long)got_flags, (unsigned long long)want_flags);
}

static void test_arith_edges(void **state)
{
	for (int kind = 0; kind < 3; kind++)
		for (int wide = 0; wide < 2; wide++)
			for (size_t i = 0; i < sizeof(edges) / sizeof(edges[0]); i++)
				for (size_t j = 0; j < sizeof(edges) / sizeof(edges[0]); j++)
					check_pair(kind, wide, edges[i], edges[j]);
}

static void test_arith_sweep(void **state)
{
	uint64_t x = 0x9e3779b97f4a7c15ULL;
	for (int i = 0; i < 20000; i++) {
		x ^= x << 13;
		x ^= x >> 7;
		x ^= x << 17;
		uint64_t a = x, b = x * 0x2545f4914f6cdd1dULL;
		check_pair(i % 3, (i / 3) % 2, a, b);
	}
}

static uint8_t mem[64];
#define MEMBASE 0x7000u

static int mem_load(void *user, uint64_t addr, void *buf, size_t n)
{
	if (addr < MEMBASE || addr + n > MEMBASE + sizeof(mem))
		return -1;
	memcpy(buf, mem + (addr - MEMBASE), n);
	return 0;
}

static void test_memory_kinds(void **state)
{
	struct regs r;
	struct emu_store st;
	memset(&r, 0, sizeof(r));
	memset(mem, 0, sizeof(mem));
	/* push rbp */
	r.r[REG_RSP] = MEMBASE + 32;
	r.r[REG_RBP] = 0x1122334455667788ULL;
	static const uint8_t push[] = { 0x55 };
	assert_int_equal(emu_step(push, 1, 0x1000, 0, &r, mem_load, NULL, &st), 1);
	assert_int_equal(r.r[REG_RSP], MEMBASE + 24);
	assert_int_equal(st.addr, MEMBASE + 24);
	assert_int_equal(st.size, 8);
	memcpy(mem + 24, st.bytes, 8);
	/* mov rax, [rsp] */
	static const uint8_t load[] = { 0x48, 0x8b, 0x04, 0x24 };
	assert_int_equal(emu_step(load, sizeof(load), 0x1001, 0, &r, mem_load, NULL, &st), 4);
	assert_int_equal(r.r[REG_RAX], 0x1122334455667788ULL);
	assert_int_equal(r.r[REG_RIP], 0x1005);
	/* mov byte ptr [rsp+1], 7fh: a one-byte store */
	static const uint8_t storeb[] = { 0xc6, 0x44, 0x24, 0x01, 0x7f };
	assert_int_equal(emu_step(storeb, sizeof(storeb), 0x1005, 0, &r, mem_load, NULL, &st), 5);
	assert_int_equal(st.addr, MEMBASE + 25);
	assert_int_equal(st.size, 1);
	assert_int_equal(st.bytes[0], 0x7f);
	/* ret pops the return address */
	uint64_t ra = 0x401234;
	memcpy(mem + 24, &ra, 8);
	static const uint8_t ret[] = { 0xc3 };
	assert_int_equal(emu_step(ret, 1, 0x100a, 0, &r, mem_load, NULL, &st), 1);
	assert_int_equal(r.r[REG_RIP], 0x401234);
	assert_int_equal(r.r[REG_RSP], MEMBASE + 32);
	/* call rel32 pushes the return address and jumps; jmp rel8 only jumps */
	static const uint8_t call_rel[] = { 0xe8, 0x10, 0x00, 0x00, 0x00 };
	r.r[REG_RSP] = MEMBASE + 32;
	assert_int_equal(emu_step(call_rel, sizeof(call_rel), 0x2000, 0, &r, mem_load, NULL, &st), 5);
	assert_int_equal(r.r[REG_RIP], 0x2015);
	assert_int_equal(r.r[REG_RSP], MEMBASE + 24);
	assert_int_equal(st.addr, MEMBASE + 24);
	uint64_t pushed;
	memcpy(&pushed, st.bytes, 8);
	assert_int_equal(pushed, 0x2005);
	static const uint8_t jmp_back[] = { 0xeb, 0xfe };
	assert_int_equal(emu_step(jmp_back, sizeof(jmp_back), 0x3000, 0, &r, mem_load, NULL, &st), 2);
	assert_int_equal(r.r[REG_RIP], 0x3000);
	assert_int_equal(st.size, 0);
	/* the same call in a 32-bit program pushes 4 bytes */
	r.r[REG_RSP] = MEMBASE + 32;
	assert_int_equal(emu_step(call_rel, sizeof(call_rel), 0x2000, 1, &r, mem_load, NULL, &st), 5);
	assert_int_equal(st.size, 4);
	assert_int_equal(r.r[REG_RSP], MEMBASE + 28);
	/* a load the caller refuses leaves everything unchanged */
	struct regs before = r;
	r.r[REG_RSP] = 0x10;
	before = r;
	assert_int_equal(emu_step(load, sizeof(load), 0x1001, 0, &r, mem_load, NULL, &st), -1);
	assert_memory_equal(&before, &r, sizeof(r));
}

static void test_refuses_unknown(void **state)
{
	struct regs r, before;
	struct emu_store st;
	memset(&r, 0, sizeof(r));
	before = r;
	static const uint8_t xor_eax[] = { 0x31, 0xc0 };	/* AF undefined: not emulated */
	static const uint8_t lock_add[] = { 0xf0, 0x48, 0x01, 0x08 };
	static const uint8_t call[] = { 0xff, 0xd0 };	/* call rax: indirect */
	static const uint8_t fs_load[] = { 0x64, 0x48, 0x8b, 0x04, 0x25, 0x28, 0, 0, 0 };
	assert_int_equal(emu_step(xor_eax, sizeof(xor_eax), 0x1000, 0, &r, mem_load, NULL, &st), -1);
	assert_int_equal(emu_step(lock_add, sizeof(lock_add), 0x1000, 0, &r, mem_load, NULL, &st), -1);
	assert_int_equal(emu_step(call, sizeof(call), 0x1000, 0, &r, mem_load, NULL, &st), -1);
	assert_int_equal(emu_step(fs_load, sizeof(fs_load), 0x1000, 0, &r, mem_load, NULL, &st), -1);
	static const uint8_t call_rel[] = { 0xe8, 0, 0, 0, 0 };
	assert_int_equal(emu_step(call_rel, 2, 0x1000, 0, &r, mem_load, NULL, &st), -1);	/* truncated */
	assert_memory_equal(&before, &r, sizeof(r));
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_arith_edges),
		cmocka_unit_test(test_arith_sweep),
		cmocka_unit_test(test_memory_kinds),
		cmocka_unit_test(test_refuses_unknown),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
