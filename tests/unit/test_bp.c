/*
 * test_bp.c — the breakpoint table and target.c's shared layer against a
 * fake in-memory backend: int3 sites shared by reference count, breakpoint
 * bytes hidden from reads and kept across writes, points the backend
 * refuses leave the breakpoint disarmed, a reported point is attributed to
 * its breakpoint alone, and clean removal.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>

#include "engine/bp.h"
#include "target/target.h"
#include "util/util.h"

#define BASE 0x1000u
#define SIZE 256u

static uint8_t mem[SIZE];
/* The fake's "debug registers": up to 4 hardware points, refcounted. */
static struct point hw[4];
static int hw_refs[4];
static int refuse_hardware;

static int fake_read(struct target *t, uint64_t addr, void *buf, size_t n)
{
	if (addr < BASE || addr >= BASE + SIZE)
		return err_set("Memory access error");
	size_t avail = BASE + SIZE - addr;
	size_t k = n < avail ? n : avail;
	memcpy(buf, mem + (addr - BASE), k);
	return (int)k;
}

static int fake_write(struct target *t, uint64_t addr, const void *buf, size_t n)
{
	if (addr < BASE || addr + n > BASE + SIZE)
		return err_set("Memory write error");
	memcpy(mem + (addr - BASE), buf, n);
	return 0;
}

static int same_point(const struct point *a, const struct point *b)
{
	return a->type == b->type && a->addr == b->addr && a->len == b->len && a->tid == b->tid;
}

static int fake_check(struct target *t, const struct point *p)
{
	return 0;
}

static int fake_insert(struct target *t, const struct point *p)
{
	if (p->type == POINT_SOFTWARE)
		return target_sw_insert(t, p->addr);
	if (refuse_hardware)
		return err_set("refused by the fake backend");
	for (int i = 0; i < 4; i++)
		if (hw_refs[i] && same_point(&hw[i], p))
			return hw_refs[i]++, 0;
	for (int i = 0; i < 4; i++)
		if (!hw_refs[i]) {
			hw[i] = *p;
			hw_refs[i] = 1;
			return 0;
		}
	return err_set("Too many processor breakpoints: x86 has 4 debug registers (DR0-DR3), all in use");
}

static int fake_remove(struct target *t, const struct point *p)
{
	if (p->type == POINT_SOFTWARE)
		return target_sw_remove(t, p->addr);
	for (int i = 0; i < 4; i++)
		if (hw_refs[i] && same_point(&hw[i], p))
			return hw_refs[i]--, 0;
	return err_set("No matching processor breakpoint to remove");
}

static int fake_remove_all(struct target *t)
{
	memset(hw_refs, 0, sizeof(hw_refs));
	return target_sw_remove_all(t);
}

static int hw_in_use(void)
{
	int n = 0;
	for (int i = 0; i < 4; i++)
		n += hw_refs[i] != 0;
	return n;
}

static int fake_detach(struct target *t, int signo)
{
	return 0;
}

static void fake_destroy(struct target *t)
{
}

static const struct target_ops fake_ops = {
	.name = "fake",
	.read_mem = fake_read,
	.write_mem = fake_write,
	.check_point = fake_check,
	.insert_point = fake_insert,
	.remove_point = fake_remove,
	.remove_all = fake_remove_all,
	.detach = fake_detach,
	.destroy = fake_destroy,
};

static struct target *tg;
static struct bp_table tab;

static int setup(void **state)
{
	for (unsigned i = 0; i < SIZE; i++)
		mem[i] = (uint8_t)(i * 7 + 1);
	memset(hw_refs, 0, sizeof(hw_refs));
	refuse_hardware = 0;
	tg = xcalloc(1, sizeof(*tg));
	tg->ops = &fake_ops;
	memset(&tab, 0, sizeof(tab));
	return 0;
}

static int teardown(void **state)
{
	for (int i = 0; i < tab.n; i++)
		bp_free(&tab, tab.v[i]);
	free(tab.v);
	target_destroy(tg);
	return 0;
}

static void test_shared_site_refcount(void **state)
{
	uint8_t orig = mem[0x10];
	struct point p = bp_code_point(BASE + 0x10);
	assert_int_equal(target_insert_point(tg, &p), 0);
	assert_int_equal(target_insert_point(tg, &p), 0);
	assert_int_equal(mem[0x10], 0xCC);
	assert_int_equal(target_sw_find(tg, BASE + 0x10)->refs, 2);
	target_remove_point(tg, &p);
	assert_int_equal(mem[0x10], 0xCC);
	target_remove_point(tg, &p);
	assert_int_equal(mem[0x10], orig);
	assert_null(target_sw_find(tg, BASE + 0x10));
	assert_true(target_sw_moribund(tg, BASE + 0x10));
}

static void test_reads_hide_int3(void **state)
{
	uint8_t before[32], after[32];
	assert_int_equal(target_read(tg, BASE + 0x20, before, sizeof(before)), 32);
	assert_int_equal(target_sw_insert(tg, BASE + 0x21), 0);
	assert_int_equal(target_sw_insert(tg, BASE + 0x3f), 0);
	assert_int_equal(mem[0x21], 0xCC);
	assert_int_equal(target_read(tg, BASE + 0x20, after, sizeof(after)), 32);
	assert_memory_equal(before, after, sizeof(before));
	/* A read that ends exactly at the page edge stops short, not with garbage. */
	uint8_t edge[8];
	assert_int_equal(target_read(tg, BASE + SIZE - 4, edge, sizeof(edge)), 4);
}

static void test_write_over_site_updates_saved_byte(void **state)
{
	assert_int_equal(target_sw_insert(tg, BASE + 0x40), 0);
	uint8_t v[3] = { 0x11, 0x22, 0x33 };
	assert_int_equal(target_write(tg, BASE + 0x3f, v, sizeof(v)), 0);
	assert_int_equal(mem[0x3f], 0x11);
	assert_int_equal(mem[0x40], 0xCC);	/* the breakpoint stays */
	assert_int_equal(mem[0x41], 0x33);
	uint8_t back[3];
	assert_int_equal(target_read(tg, BASE + 0x3f, back, 3), 3);
	assert_memory_equal(back, v, 3);	/* reads see what was written */
	assert_int_equal(target_sw_remove(tg, BASE + 0x40), 0);
	assert_int_equal(mem[0x40], 0x22);	/* removal leaves the user's byte */
}

static void test_rewritten_code_is_not_restored(void **state)
{
	assert_int_equal(target_sw_insert(tg, BASE + 0x50), 0);
	mem[0x50] = 0x90;	/* the program replaced its own code */
	assert_int_equal(target_sw_remove(tg, BASE + 0x50), 0);
	assert_int_equal(mem[0x50], 0x90);
}

static void test_lift_and_drop(void **state)
{
	uint8_t orig = mem[0x60];
	assert_int_equal(target_sw_insert(tg, BASE + 0x60), 0);
	assert_int_equal(target_sw_lift(tg, BASE + 0x60), 0);
	assert_int_equal(mem[0x60], orig);
	assert_int_equal(target_sw_drop(tg, BASE + 0x60), 0);
	assert_int_equal(mem[0x60], 0xCC);
}

static struct bp *hw_bp(int id, uint64_t addr, int size)
{
	struct bp *b = bp_new();
	b->id = id;
	b->kind = BP_HARDWARE;
	b->type = POINT_WATCH_WRITE;
	b->size = size;
	b->addr = addr;
	b->resolved = 1;
	bp_insert(&tab, b);
	return b;
}

static void test_hardware_slots_and_limit(void **state)
{
	struct bp *b[5];
	for (int i = 0; i < 4; i++) {
		b[i] = hw_bp(i, 0x2000 + 8 * (uint64_t)i, 8);
		assert_int_equal(bp_arm(&tab, tg, b[i]), 0);
	}
	assert_int_equal(hw_in_use(), 4);
	b[4] = hw_bp(4, 0x3000, 4);
	assert_int_equal(bp_arm(&tab, tg, b[4]), -1);
	assert_non_null(strstr(err_get(), "4 debug registers"));
	assert_int_equal(hw_in_use(), 4);
	assert_false(b[4]->armed);
	/* Disabling one frees its register for the fifth. */
	b[1]->enabled = 0;
	assert_int_equal(bp_sync(&tab, tg, b[1]), 0);
	assert_int_equal(bp_arm(&tab, tg, b[4]), 0);
	assert_int_equal(hw_in_use(), 4);
	/* A hit on the point of breakpoint 4 is attributed to it alone. */
	struct stop_event ev = { .kind = STOP_WATCH, .nhits = 1 };
	ev.hits[0] = bp_point(b[4]);
	struct bp *hits[4];
	assert_int_equal(bp_collect_hits(&tab, &ev, hits, 4), 1);
	assert_int_equal(hits[0]->id, 4);
	/* The same address with another size is another point: no hit. */
	ev.hits[0].len = 8;
	assert_int_equal(bp_collect_hits(&tab, &ev, hits, 4), 0);
}

static void test_backend_refusal_keeps_bp_disarmed(void **state)
{
	struct bp *b = hw_bp(0, 0x2000, 4);
	refuse_hardware = 1;
	assert_int_equal(bp_arm(&tab, tg, b), -1);
	assert_non_null(strstr(err_get(), "refused"));
	assert_int_equal(hw_in_use(), 0);
	assert_false(b->armed);
}

static void test_ids_and_removal(void **state)
{
	struct bp *a = bp_new(), *b = bp_new();
	a->id = 0;
	bp_insert(&tab, a);
	b->id = 2;
	bp_insert(&tab, b);
	assert_int_equal(bp_lowest_free_id(&tab), 1);
	assert_int_equal(bp_renumber(&tab, 2, 0), -1);	/* 0 exists */
	assert_int_equal(bp_renumber(&tab, 2, 7), 0);
	assert_non_null(bp_find(&tab, 7));
	assert_int_equal(bp_delete(&tab, tg, 7), 0);
	assert_int_equal(bp_delete(&tab, tg, 7), -1);
	/* remove_all puts every byte back and clears the debug registers */
	uint8_t orig = mem[0x70];
	assert_int_equal(target_sw_insert(tg, BASE + 0x70), 0);
	struct bp *h = hw_bp(9, 0x2000, 8);
	assert_int_equal(bp_arm(&tab, tg, h), 0);
	assert_int_equal(target_remove_all(tg), 0);
	assert_int_equal(mem[0x70], orig);
	assert_int_equal(hw_in_use(), 0);
}

/* A backend without debug registers says so (r dr7 prints it); dr4 and dr5 do not exist. */
static void test_debug_registers_not_supported(void **state)
{
	uint64_t v = 0x1234;
	assert_int_equal(target_get_debugreg(tg, 1, 7, &v), -1);
	assert_string_equal(err_get(), "not supported: debug registers (the fake backend does not expose them)");
	assert_int_equal(target_get_debugreg(tg, 1, 4, &v), -1);
	assert_string_equal(err_get(), "Bad register error: no debug register dr4");
	assert_int_equal(v, 0x1234);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test_setup_teardown(test_shared_site_refcount, setup, teardown),
		cmocka_unit_test_setup_teardown(test_reads_hide_int3, setup, teardown),
		cmocka_unit_test_setup_teardown(test_write_over_site_updates_saved_byte, setup, teardown),
		cmocka_unit_test_setup_teardown(test_rewritten_code_is_not_restored, setup, teardown),
		cmocka_unit_test_setup_teardown(test_lift_and_drop, setup, teardown),
		cmocka_unit_test_setup_teardown(test_hardware_slots_and_limit, setup, teardown),
		cmocka_unit_test_setup_teardown(test_backend_refusal_keeps_bp_disarmed, setup, teardown),
		cmocka_unit_test_setup_teardown(test_ids_and_removal, setup, teardown),
		cmocka_unit_test_setup_teardown(test_debug_registers_not_supported, setup, teardown),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
