/* test_dr.c — debug-register model: validation messages, DR7 encoding, slots, DR6. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <string.h>

#include <cmocka.h>

#include "target/ptrace/dr.h"
#include "util/util.h"

static void test_check_accepts_valid(void **state)
{
	assert_int_equal(dr_check(0x401000, 1, DR_EXEC, 0), 0);
	assert_int_equal(dr_check(0x7fff12345678, 8, DR_WRITE, 0), 0);
	assert_int_equal(dr_check(0x7fff12345678, 4, DR_ACCESS, 0), 0);
	assert_int_equal(dr_check(0x7fff12345679, 1, DR_ACCESS, 0), 0);
	assert_int_equal(dr_check(0x0804a01c, 4, DR_WRITE, 1), 0);
	assert_int_equal(dr_check(0x0804a01e, 2, DR_ACCESS, 1), 0);
}

static void test_check_messages(void **state)
{
	assert_int_equal(dr_check(0x1000, 3, DR_WRITE, 0), -1);
	assert_string_equal(err_get(), "Data breakpoint size must be 1, 2, 4 or 8");
	assert_int_equal(dr_check(0x1000, 16, DR_ACCESS, 0), -1);
	assert_string_equal(err_get(), "Data breakpoint size must be 1, 2, 4 or 8");
	assert_int_equal(dr_check(0x1000, 0, DR_ACCESS, 0), -1);
	assert_string_equal(err_get(), "Data breakpoint size must be 1, 2, 4 or 8");
	assert_int_equal(dr_check(0x1000, -4, DR_ACCESS, 0), -1);

	assert_int_equal(dr_check(0x1000, 8, DR_WRITE, 1), -1);
	assert_string_equal(err_get(), "Data breakpoint size must be 1, 2 or 4 on a 32-bit target");
	assert_int_equal(dr_check(0x1000, 3, DR_WRITE, 1), -1);
	assert_string_equal(err_get(), "Data breakpoint size must be 1, 2 or 4 on a 32-bit target");

	assert_int_equal(dr_check(0x401000, 4, DR_EXEC, 0), -1);
	assert_string_equal(err_get(), "Execute breakpoints must have size 1");
	assert_int_equal(dr_check(0x401000, 8, DR_EXEC, 1), -1);
	assert_string_equal(err_get(), "Execute breakpoints must have size 1");

	assert_int_equal(dr_check(0x7fff12345678, 8, DR_WRITE, 0), 0);
	assert_int_equal(dr_check(0x7fff1234567a, 4, DR_WRITE, 0), -1);
	assert_string_equal(err_get(),
			    "Data breakpoint address 00007fff`1234567a is not aligned to size 4");
	assert_int_equal(dr_check(0x7fff12345674, 8, DR_ACCESS, 0), -1);
	assert_string_equal(err_get(),
			    "Data breakpoint address 00007fff`12345674 is not aligned to size 8");
	assert_int_equal(dr_check(0x0804a01d, 2, DR_WRITE, 1), -1);
	assert_string_equal(err_get(), "Data breakpoint address 0804a01d is not aligned to size 2");

	assert_int_equal(dr_check(0x80, 1, DR_IO, 0), -1);
	assert_string_equal(err_get(), "I/O breakpoints (ba i) are kernel-mode only; "
				       "not supported in a user-mode Linux debugger");
	assert_int_equal(dr_check(0x80, 4, DR_IO, 1), -1);
	assert_non_null(strstr(err_get(), "I/O breakpoints"));

	assert_int_equal(dr_check(0xffffffff81000000ull, 8, DR_WRITE, 0), -1);
	assert_string_equal(err_get(), "Breakpoint address ffffffff`81000000 is in kernel space; "
				       "user-mode processor breakpoints cannot watch it");
	assert_int_equal(dr_check(0x100000000ull, 4, DR_WRITE, 1), -1);
	assert_string_equal(err_get(),
			    "Breakpoint address 00000001`00000000 is outside the 32-bit address space");
	assert_int_equal(dr_check(0x1000, 1, (enum dr_rw)7, 0), -1);
}

static void test_encoding_every_combination(void **state)
{
	static const enum dr_rw rws[] = { DR_EXEC, DR_WRITE, DR_IO, DR_ACCESS };
	static const int lens[] = { 1, 2, 4, 8 };
	static const unsigned len_codes[] = { 0, 1, 3, 2 };

	for (int slot = 0; slot < DR_SLOTS; slot++) {
		for (size_t r = 0; r < 4; r++) {
			for (size_t l = 0; l < 4; l++) {
				struct dr_state s = { 0 };
				/* Fill earlier slots so the request lands in `slot`. */
				for (int j = 0; j < slot; j++)
					assert_int_equal(dr_insert(&s, 0x1000 + 8 * (uint64_t)j, 1,
								   DR_WRITE, 0), j);
				uint64_t before = s.dr7;
				assert_int_equal(dr_insert(&s, 0x2000, lens[l], rws[r], 0), slot);
				uint64_t want = (1ull << (2 * slot)) |
						((uint64_t)rws[r] << (16 + 4 * slot)) |
						((uint64_t)len_codes[l] << (18 + 4 * slot));
				assert_int_equal(s.dr7 ^ before, want);
				assert_true(dr_slot_enabled(s.dr7, slot));
				assert_int_equal(dr_slot_rw(s.dr7, slot), rws[r]);
				assert_int_equal(dr_slot_len(s.dr7, slot), lens[l]);
				assert_int_equal(s.addr[slot], 0x2000);
			}
		}
	}
}

static void test_encoding_known_values(void **state)
{
	struct dr_state s = { 0 };
	assert_int_equal(dr_insert(&s, 0x401000, 1, DR_EXEC, 0), 0);
	assert_int_equal(s.dr7, 0x1);
	assert_int_equal(dr_insert(&s, 0x601040, 4, DR_WRITE, 0), 1);
	assert_int_equal(s.dr7, 0x1 | 0x4 | (0xdull << 20));
	assert_int_equal(dr_insert(&s, 0x601048, 8, DR_ACCESS, 0), 2);
	assert_int_equal(s.dr7, 0x1 | 0x4 | 0x10 | (0xdull << 20) | (0xbull << 24));
	assert_int_equal(dr_insert(&s, 0x601050, 2, DR_ACCESS, 0), 3);
	assert_int_equal(s.dr7, 0x55 | (0xdull << 20) | (0xbull << 24) | (0x7ull << 28));
}

static void test_decoders(void **state)
{
	/* Kernel-style DR7 (G bits and GE, as PEEKUSER returns it): slot 1 write 4. */
	uint64_t dr7 = 0x200 | 0x8 | (0xdull << 20);
	assert_false(dr_slot_enabled(dr7, 0));
	assert_true(dr_slot_enabled(dr7, 1));
	assert_int_equal(dr_slot_rw(dr7, 1), DR_WRITE);
	assert_int_equal(dr_slot_len(dr7, 1), 4);
	assert_int_equal(dr_slot_len(0, 0), 1);
	assert_int_equal(dr_slot_rw(0, 0), DR_EXEC);
	assert_false(dr_slot_enabled(~0ull, 4));
	assert_false(dr_slot_enabled(~0ull, -1));
	assert_int_equal(dr_slot_len(~0ull, 9), 0);
}

static void test_sharing(void **state)
{
	struct dr_state s = { 0 };
	assert_int_equal(dr_insert(&s, 0x601040, 4, DR_WRITE, 0), 0);
	uint64_t dr7 = s.dr7;
	assert_int_equal(dr_insert(&s, 0x601040, 4, DR_WRITE, 0), 0);
	assert_int_equal(s.refs[0], 2);
	assert_int_equal(s.dr7, dr7);
	assert_int_equal(dr_free_slots(&s), 3);

	/* Differing length, access or thread needs its own slot. */
	assert_int_equal(dr_insert(&s, 0x601040, 2, DR_WRITE, 0), 1);
	assert_int_equal(dr_insert(&s, 0x601040, 4, DR_ACCESS, 0), 2);
	assert_int_equal(dr_insert(&s, 0x601040, 4, DR_WRITE, 1234), 3);
	assert_int_equal(dr_free_slots(&s), 0);

	/* A shared request still fits when all slots are taken. */
	assert_int_equal(dr_insert(&s, 0x601040, 4, DR_ACCESS, 0), 2);
	assert_int_equal(s.refs[2], 2);
}

static void test_fifth_insert_fails_unchanged(void **state)
{
	struct dr_state s = { 0 };
	for (int i = 0; i < 4; i++)
		assert_int_equal(dr_insert(&s, 0x1000 + 8 * (uint64_t)i, 8, DR_WRITE, 0), i);
	struct dr_state before = s;
	err_clear();
	assert_int_equal(dr_insert(&s, 0x2000, 4, DR_ACCESS, 0), -1);
	assert_memory_equal(&s, &before, sizeof(s));
	assert_string_equal(err_get(), "Too many processor breakpoints: x86 has 4 debug registers "
				       "(DR0-DR3), all in use");
	assert_int_equal(dr_free_slots(&s), 0);

	/* Invalid length is refused without touching the state. */
	struct dr_state e = { 0 };
	assert_int_equal(dr_insert(&e, 0x2000, 3, DR_WRITE, 0), -1);
	assert_int_equal(e.dr7, 0);
	assert_int_equal(e.refs[0], 0);
}

/* A fake set of threads: what they hold, and whether they take a new state. */
struct fake_threads {
	struct dr_state held;
	int refuse_next;
	int loads;
};

static int fake_load(void *user, const struct dr_state *m)
{
	struct fake_threads *f = user;
	f->loads++;
	if (f->refuse_next) {
		f->refuse_next = 0;
		return err_set("refused by the threads");
	}
	f->held = *m;
	return 0;
}

static void test_commit_and_rollback(void **state)
{
	struct dr_state committed = { 0 }, next = { 0 };
	struct fake_threads f = { 0 };
	assert_int_equal(dr_insert(&next, 0x601040, 4, DR_WRITE, 0), 0);
	assert_int_equal(dr_commit(&committed, &next, fake_load, &f), 0);
	assert_memory_equal(&committed, &next, sizeof(next));
	assert_memory_equal(&f.held, &next, sizeof(next));

	/* Refused: the threads get the committed state back, which stays. */
	struct dr_state before = committed;
	assert_int_equal(dr_insert(&next, 0x601048, 8, DR_ACCESS, 0), 1);
	f.refuse_next = 1;
	f.loads = 0;
	assert_int_equal(dr_commit(&committed, &next, fake_load, &f), -1);
	assert_string_equal(err_get(), "refused by the threads");
	assert_int_equal(f.loads, 2);
	assert_memory_equal(&committed, &before, sizeof(before));
	assert_memory_equal(&f.held, &before, sizeof(before));
}

static void test_remove(void **state)
{
	struct dr_state s = { 0 };
	assert_int_equal(dr_insert(&s, 0x601040, 4, DR_WRITE, 0), 0);
	assert_int_equal(dr_insert(&s, 0x601040, 4, DR_WRITE, 0), 0);
	assert_int_equal(dr_insert(&s, 0x601048, 8, DR_ACCESS, 0), 1);

	assert_int_equal(dr_remove(&s, 0x601040, 4, DR_WRITE, 0), 0);
	assert_int_equal(s.refs[0], 1);
	assert_true(dr_slot_enabled(s.dr7, 0));
	assert_int_equal(dr_remove(&s, 0x601040, 4, DR_WRITE, 0), 0);
	assert_int_equal(s.refs[0], 0);
	assert_false(dr_slot_enabled(s.dr7, 0));
	assert_int_equal(s.dr7 & 0xf0003, 0);
	assert_int_equal(dr_free_slots(&s), 3);

	/* No such request: -1, state unchanged. */
	struct dr_state before = s;
	assert_int_equal(dr_remove(&s, 0x601040, 4, DR_WRITE, 0), -1);
	assert_int_equal(dr_remove(&s, 0x601048, 8, DR_WRITE, 0), -1);
	assert_int_equal(dr_remove(&s, 0x601048, 8, DR_ACCESS, 99), -1);
	assert_memory_equal(&s, &before, sizeof(s));

	/* The freed slot is reused first; removing everything leaves DR7 zero. */
	assert_int_equal(dr_insert(&s, 0x401000, 1, DR_EXEC, 0), 0);
	assert_int_equal(dr_remove(&s, 0x401000, 1, DR_EXEC, 0), 0);
	assert_int_equal(dr_remove(&s, 0x601048, 8, DR_ACCESS, 0), 1);
	assert_int_equal(s.dr7, 0);
	assert_int_equal(dr_free_slots(&s), 4);
}

static void test_thread_masking(void **state)
{
	struct dr_state s = { 0 };
	assert_int_equal(dr_insert(&s, 0x601040, 4, DR_WRITE, 0), 0);
	assert_int_equal(dr_insert(&s, 0x601048, 8, DR_ACCESS, 101), 1);
	assert_int_equal(dr_insert(&s, 0x401000, 1, DR_EXEC, 202), 2);

	uint64_t slot0 = 0x1 | (0xdull << 16);
	uint64_t slot1 = 0x4 | (0xbull << 20);
	uint64_t slot2 = 0x10;
	assert_int_equal(s.dr7, slot0 | slot1 | slot2);
	assert_int_equal(dr_dr7_for_thread(&s, 101), slot0 | slot1);
	assert_int_equal(dr_dr7_for_thread(&s, 202), slot0 | slot2);
	assert_int_equal(dr_dr7_for_thread(&s, 303), slot0);
	/* The reservation holds in every thread: another thread cannot take slot 1. */
	assert_int_equal(dr_free_slots(&s), 1);
}

static void test_hits(void **state)
{
	struct dr_state s = { 0 };
	assert_int_equal(dr_insert(&s, 0x601040, 4, DR_WRITE, 0), 0);
	assert_int_equal(dr_hits(0xffff0ff1, s.dr7), 1);
	/* B1..B3 set but those slots are not enabled; BS (bit 14) ignored. */
	assert_int_equal(dr_hits(0xffff4ffe, s.dr7), 0);
	assert_int_equal(dr_hits(0xffff0ff0, s.dr7), 0);
	assert_int_equal(dr_hits(0xf, 0x55), 0xf);
	assert_int_equal(dr_hits(0xa, 0xaa), 0xa);	/* G bits count as enabled */
	assert_int_equal(dr_hits(0xf, 0), 0);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_check_accepts_valid),
		cmocka_unit_test(test_check_messages),
		cmocka_unit_test(test_encoding_every_combination),
		cmocka_unit_test(test_encoding_known_values),
		cmocka_unit_test(test_decoders),
		cmocka_unit_test(test_sharing),
		cmocka_unit_test(test_fifth_insert_fails_unchanged),
		cmocka_unit_test(test_commit_and_rollback),
		cmocka_unit_test(test_remove),
		cmocka_unit_test(test_thread_masking),
		cmocka_unit_test(test_hits),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
