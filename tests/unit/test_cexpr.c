/*
 * test_cexpr.c — the C expression evaluator against a fake typed
 * environment: variables with C types in a 4 KiB memory image at 0x1000,
 * a register variable, an optimized-out variable, registers and typedefs.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>

#include "expr/cexpr.h"

#define BASE 0x1000u
#define MEMSZ 0x1000u

static uint8_t mem[MEMSZ];
static struct cx_pool *pool;
static struct cx_type *t_point, *t_inner, *t_color, *t_point_t;

enum { L_N, L_U, L_C, L_PT, L_PTR, L_ARR, L_S, L_BAD, L_COLOR, L_D, L_REGVAR, L_OPT, L_RAX, L_EAX, L_NEG, L_UC, L_RAW };

struct fake_loc {
	int id;
	int lvalue;
	uint64_t addr;
	uint64_t bits;
	double f;
	int fails;
};

static struct fake_loc locs[32];

static void put(uint64_t addr, const void *v, size_t n)
{
	assert_true(addr >= BASE && addr + n <= BASE + MEMSZ);
	memcpy(mem + (addr - BASE), v, n);
}

static int fake_mem(void *user, uint64_t addr, void *buf, size_t n)
{
	if (addr < BASE || addr - BASE > MEMSZ || n > MEMSZ - (addr - BASE))
		return -1;
	memcpy(buf, mem + (addr - BASE), n);
	return 0;
}

static int fake_load(void *user, const void *loc, const struct cx_type *type, struct cx_value *out)
{
	const struct fake_loc *l = loc;
	if (l->fails)
		return err_set("'opt' is optimized out");
	out->lvalue = l->lvalue;
	out->addr = l->addr;
	out->bits = l->bits;
	out->f = l->f;
	return 0;
}

struct var_def {
	const char *name;
	int loc;
	const struct cx_type **type;
};

static const struct cx_type *ty_int, *ty_uint, *ty_char, *ty_uchar, *ty_double, *ty_long, *ty_u64;
static const struct cx_type *ty_point_ptr, *ty_int_arr5, *ty_char_ptr, *ty_int_ptr, *ty_pt_ptr_t;
static const struct cx_type *ty_color, *ty_untyped;
static const struct cx_type *ty_point;

static const struct var_def vars[] = {
	{ "n", L_N, &ty_int },
	{ "u", L_U, &ty_uint },
	{ "c", L_C, &ty_char },
	{ "uc", L_UC, &ty_uchar },
	{ "pt", L_PT, &ty_point },
	{ "ptr", L_PTR, &ty_pt_ptr_t },
	{ "arr", L_ARR, &ty_int_arr5 },
	{ "s", L_S, &ty_char_ptr },
	{ "bad", L_BAD, &ty_int_ptr },
	{ "color", L_COLOR, &ty_color },
	{ "d", L_D, &ty_double },
	{ "regvar", L_REGVAR, &ty_long },
	{ "opt", L_OPT, &ty_int },
	{ "neg", L_NEG, &ty_int },
	{ "raw", L_RAW, &ty_untyped },	/* a symbol without debug information */
};

static int fake_var(void *user, const char *name, size_t len, int is_reg, struct cx_sym *out)
{
	memset(out, 0, sizeof(*out));
	if (is_reg) {
		if (len == 3 && !memcmp(name, "rax", 3)) {
			out->type = ty_u64;
			out->loc = &locs[L_RAX];
			return 0;
		}
		if (len == 3 && !memcmp(name, "eax", 3)) {
			out->type = ty_uint;
			out->loc = &locs[L_EAX];
			return 0;
		}
		return 1;
	}
	if ((len == 3 && !memcmp(name, "RED", 3)) || (len == 5 && !memcmp(name, "GREEN", 5))) {
		out->is_constant = 1;
		out->value = name[0] == 'R' ? 0 : 5;
		out->type = ty_color;
		return 0;
	}
	for (size_t i = 0; i < sizeof(vars) / sizeof(vars[0]); i++) {
		if (strlen(vars[i].name) == len && !memcmp(vars[i].name, name, len)) {
			out->type = *vars[i].type;
			out->loc = &locs[vars[i].loc];
			return 0;
		}
	}
	return 1;
}

static int fake_type(void *user, enum cx_kind tag, const char *name, size_t len, const struct cx_type **out)
{
	if (tag == CX_STRUCT && len == 5 && !memcmp(name, "point", 5)) {
		*out = t_point;
		return 0;
	}
	if (tag == CX_ENUM && len == 5 && !memcmp(name, "color", 5)) {
		*out = t_color;
		return 0;
	}
	if (tag == CX_TYPEDEF && len == 7 && !memcmp(name, "point_t", 7)) {
		*out = t_point_t;
		return 0;
	}
	return 1;
}

static struct cx_scope scope;
static struct cx_env env;

/*
 * struct inner { short a; unsigned char b; };
 * struct point { int x; int y; int field[4]; struct inner in; unsigned flag:1;
 *                unsigned mode:3; char name[8]; struct point *next; };  size 0x30
 */
static int setup(void **state)
{
	memset(mem, 0, sizeof(mem));
	memset(locs, 0, sizeof(locs));
	pool = cx_pool_new();
	ty_int = cx_builtin(CXB_INT, 8);
	ty_uint = cx_builtin(CXB_UINT, 8);
	ty_char = cx_builtin(CXB_CHAR, 8);
	ty_uchar = cx_builtin(CXB_UCHAR, 8);
	ty_double = cx_builtin(CXB_DOUBLE, 8);
	ty_long = cx_builtin(CXB_LONG, 8);
	ty_u64 = cx_builtin(CXB_UINT64, 8);

	t_inner = cx_type_new(pool, CX_STRUCT);
	t_inner->name = "inner";
	t_inner->size = 4;
	t_inner->nmembers = 2;
	t_inner->members = cx_alloc(pool, 2 * sizeof(struct cx_member));
	t_inner->members[0] = (struct cx_member){ "a", 0, 0, 0, cx_builtin(CXB_SHORT, 8) };
	t_inner->members[1] = (struct cx_member){ "b", 2, 0, 0, ty_uchar };

	struct cx_type *arr4 = cx_type_new(pool, CX_ARRAY);
	arr4->target = ty_int;
	arr4->count = 4;
	arr4->size = 16;
	struct cx_type *name8 = cx_type_new(pool, CX_ARRAY);
	name8->target = ty_char;
	name8->count = 8;
	name8->size = 8;

	t_point = cx_type_new(pool, CX_STRUCT);
	t_point->name = "point";
	t_point->size = 0x30;
	t_point->nmembers = 8;
	t_point->members = cx_alloc(pool, 8 * sizeof(struct cx_member));
	ty_point = t_point;
	ty_point_ptr = cx_pointer_to(pool, t_point, 8);
	t_point->members[0] = (struct cx_member){ "x", 0, 0, 0, ty_int };
	t_point->members[1] = (struct cx_member){ "y", 4, 0, 0, ty_int };
	t_point->members[2] = (struct cx_member){ "field", 8, 0, 0, arr4 };
	t_point->members[3] = (struct cx_member){ "in", 0x18, 0, 0, t_inner };
	t_point->members[4] = (struct cx_member){ "flag", 0x1c, 0, 1, ty_uint };
	t_point->members[5] = (struct cx_member){ "mode", 0x1c, 1, 3, ty_uint };
	t_point->members[6] = (struct cx_member){ "name", 0x1d, 0, 0, name8 };
	t_point->members[7] = (struct cx_member){ "next", 0x28, 0, 0, ty_point_ptr };

	t_point_t = cx_type_new(pool, CX_TYPEDEF);
	t_point_t->name = "point_t";
	t_point_t->target = t_point;
	t_point_t->size = 0x30;
	ty_pt_ptr_t = cx_pointer_to(pool, t_point_t, 8);

	t_color = cx_type_new(pool, CX_ENUM);
	t_color->name = "color";
	t_color->size = 4;
	t_color->nenums = 2;
	t_color->enums = cx_alloc(pool, 2 * sizeof(struct cx_enumerator));
	t_color->enums[0] = (struct cx_enumerator){ "RED", 0 };
	t_color->enums[1] = (struct cx_enumerator){ "GREEN", 5 };
	ty_color = t_color;

	struct cx_type *a5 = cx_type_new(pool, CX_ARRAY);
	a5->target = ty_int;
	a5->count = 5;
	a5->size = 20;
	ty_int_arr5 = a5;
	ty_char_ptr = cx_pointer_to(pool, ty_char, 8);
	ty_int_ptr = cx_pointer_to(pool, ty_int, 8);

	int32_t n = 3;
	uint32_t u = 0x771e1a02;
	int32_t neg = -7;
	put(0x1000, &n, 4);
	put(0x1004, &u, 4);
	put(0x1008, "A", 1);
	mem[0x1009 - BASE] = 0xe9;
	put(0x100c, &neg, 4);
	locs[L_N] = (struct fake_loc){ .lvalue = 1, .addr = 0x1000 };
	locs[L_U] = (struct fake_loc){ .lvalue = 1, .addr = 0x1004 };
	locs[L_C] = (struct fake_loc){ .lvalue = 1, .addr = 0x1008 };
	locs[L_UC] = (struct fake_loc){ .lvalue = 1, .addr = 0x1009 };
	locs[L_NEG] = (struct fake_loc){ .lvalue = 1, .addr = 0x100c };

	/* pt at 0x1100: {1, 2, {10,20,30,40}, {-3, 7}, flag 1, mode 5, "orig", next = 0x1100} */
	int32_t pv[6] = { 1, 2, 10, 20, 30, 40 };
	put(0x1100, pv, sizeof(pv));
	int16_t a = -3;
	put(0x1118, &a, 2);
	mem[0x111a - BASE] = 7;
	mem[0x111c - BASE] = 1 | (5 << 1);
	put(0x111d, "orig", 5);
	uint64_t next = 0x1100;
	put(0x1128, &next, 8);
	locs[L_PT] = (struct fake_loc){ .lvalue = 1, .addr = 0x1100 };

	uint64_t pp = 0x1100;
	put(0x1010, &pp, 8);
	locs[L_PTR] = (struct fake_loc){ .lvalue = 1, .addr = 0x1010 };

	int32_t av[5] = { 10, 20, 30, 40, 50 };
	put(0x1200, av, sizeof(av));
	locs[L_ARR] = (struct fake_loc){ .lvalue = 1, .addr = 0x1200 };

	put(0x1300, "hello", 6);
	uint64_t sp = 0x1300;
	put(0x1018, &sp, 8);
	locs[L_S] = (struct fake_loc){ .lvalue = 1, .addr = 0x1018 };

	uint64_t badp = 0x10;
	put(0x1020, &badp, 8);
	locs[L_BAD] = (struct fake_loc){ .lvalue = 1, .addr = 0x1020 };

	int32_t col = 5;
	put(0x1028, &col, 4);
	locs[L_COLOR] = (struct fake_loc){ .lvalue = 1, .addr = 0x1028 };

	double dv = 2.5;
	put(0x1030, &dv, 8);
	locs[L_D] = (struct fake_loc){ .lvalue = 1, .addr = 0x1030 };

	struct cx_type *untyped = cx_type_new(pool, CX_VOID);
	untyped->name = "<no type information>";
	ty_untyped = untyped;
	locs[L_RAW] = (struct fake_loc){ .lvalue = 1, .addr = 0x1000 };
	locs[L_REGVAR] = (struct fake_loc){ .bits = (uint64_t)-5 };
	locs[L_OPT] = (struct fake_loc){ .fails = 1 };
	locs[L_RAX] = (struct fake_loc){ .bits = 0x1234 };
	locs[L_EAX] = (struct fake_loc){ .bits = 0xc0004321 };

	scope = (struct cx_scope){ .pool = pool, .ptrsize = 8, .var = fake_var, .type = fake_type, .where = "fake!fn" };
	env = (struct cx_env){ .ptrsize = 8, .mem = fake_mem, .load = fake_load };
	return 0;
}

static int teardown(void **state)
{
	cx_pool_free(pool);
	pool = NULL;
	return 0;
}

/* "<type> <value>" of an expression, as ?? prints it; "ERR: msg" on failure. */
static char out_buf[512];

static const char *show(const char *text)
{
	struct cx_expr *e = cx_compile(&scope, text);
	struct cx_value v;
	if (!e || cx_eval(e, &env, &v) < 0) {
		snprintf(out_buf, sizeof(out_buf), "ERR: %s", err_get());
		return out_buf;
	}
	struct sbuf sb = { 0 };
	cx_type_name(&sb, v.type);
	sb_addc(&sb, ' ');
	cx_format_value(&sb, &env, &v);
	snprintf(out_buf, sizeof(out_buf), "%s", sb_str(&sb));
	sb_free(&sb);
	return out_buf;
}

static int truth(const char *text)
{
	struct cx_expr *e = cx_compile(&scope, text);
	int t = -1;
	assert_non_null(e);
	assert_int_equal(cx_eval_bool(e, &env, &t), 0);
	return t;
}

/* @@masm(text) reads MASM through cx_env.masm; here the text is a number in hex. */
static int fake_masm(void *user, const char *text, uint64_t *v)
{
	char *end;
	*v = strtoull(text, &end, 16);
	return *end ? err_set("MASM could not read '%s'", text) : 0;
}

static void test_evaluator_switch(void **state)
{
	env.masm = fake_masm;
	assert_string_equal(show("@@masm(10)"), "unsigned int64 0x10");
	assert_string_equal(show("@@(ff) + 1"), "unsigned int64 0x100");
	assert_string_equal(show("@@c++(2 * 3)"), "int 0n6");
	assert_string_equal(show("@@masm(x)"), "ERR: MASM could not read 'x'");
	assert_string_equal(show("@@c++(1"), "ERR: Syntax error at '@@c++(1' (no closing parenthesis)");
	env.masm = NULL;
	assert_string_equal(show("@@masm(1)"), "ERR: Syntax error at '@@masm(1)' (no MASM evaluator here)");
	/* A command's leading expression stops where C stops, even before text C cannot lex. */
	const char *end;
	struct cx_expr *e = cx_compile_prefix(&scope, "2 + 3 L4", &end);
	assert_non_null(e);
	assert_string_equal(end, " L4");
	e = cx_compile_prefix(&scope, "(1 == 1) ''; 'gc'", &end);
	assert_non_null(e);
	assert_string_equal(end, " ''; 'gc'");
	e = cx_compile_prefix(&scope, "7 \"cmd\"", &end);
	assert_non_null(e);
	assert_string_equal(end, " \"cmd\"");
	assert_null(cx_compile_prefix(&scope, "1 + 'ab'", &end));
	assert_null(cx_compile(&scope, "1 'x"));
}

static void test_literals_and_arithmetic(void **state)
{
	assert_string_equal(show("1 + 2 * 3"), "int 0n7");
	assert_string_equal(show("(1 + 2) * 3"), "int 0n9");
	assert_string_equal(show("0x10"), "int 0n16");
	assert_string_equal(show("010"), "int 0n8");
	assert_string_equal(show("7 / 2"), "int 0n3");
	assert_string_equal(show("-7 / 2"), "int 0n-3");
	assert_string_equal(show("-7 % 3"), "int 0n-1");
	assert_string_equal(show("1u"), "unsigned int 0x1");
	assert_string_equal(show("4294967295"), "long 0n4294967295");
	assert_string_equal(show("0xffffffff"), "unsigned int 0xffffffff");
	assert_string_equal(show("0x00005555`55558010"), "long 0n93824992247824");
	assert_string_equal(show("'A'"), "char 0n65 'A'");
	assert_string_equal(show("'\\n'"), "char 0n10");
	assert_string_equal(show("~0u >> 31"), "unsigned int 0x1");
	assert_string_equal(show("1 << 70"), "int 0n0");
	assert_string_equal(show("-1 >> 1"), "int 0n-1");
	assert_string_equal(show("2147483647 + 1"), "int 0n-2147483648");
	assert_string_equal(show("(-9223372036854775807L - 1) / -1"), "long 0n-9223372036854775808");
	assert_string_equal(show("1.5 + 1"), "double 2.5");
	assert_string_equal(show("sizeof(struct point)"), "unsigned int64 0x30");
	assert_string_equal(show("sizeof arr"), "unsigned int64 0x14");
	assert_string_equal(show("1 ? 2 : 3"), "int 0n2");
	assert_string_equal(show("0 ? 2 : 3u"), "unsigned int 0x3");
}

static void test_conversions(void **state)
{
	assert_int_equal(truth("-1 < 0u"), 0);	/* -1 becomes UINT_MAX */
	assert_int_equal(truth("-1 < 0"), 1);
	assert_int_equal(truth("-1L < 0u"), 1);	/* long holds every unsigned int */
	assert_string_equal(show("(unsigned char)0x1ff"), "unsigned char 0xff");
	assert_string_equal(show("(char)200"), "char 0n-56");
	assert_string_equal(show("(int)u"), "int 0n1998461442");
	assert_string_equal(show("(short)-1 == -1"), "bool true");
	assert_string_equal(show("uc"), "unsigned char 0xe9");
	assert_string_equal(show("uc + 1"), "int 0n234");
	assert_string_equal(show("(int)d"), "int 0n2");
	assert_string_equal(show("(double)n / 2"), "double 1.5");
	assert_string_equal(show("(bool)5"), "bool true");
	assert_string_equal(show("@eax"), "unsigned int 0xc0004321");
	assert_string_equal(show("@rax + 1"), "unsigned int64 0x1235");
}

static void test_variables(void **state)
{
	assert_string_equal(show("n"), "int 0n3");
	assert_string_equal(show("n + 1"), "int 0n4");
	assert_string_equal(show("u"), "unsigned int 0x771e1a02");
	assert_string_equal(show("c"), "char 0n65 'A'");
	assert_string_equal(show("neg"), "int 0n-7");
	assert_string_equal(show("regvar"), "long 0n-5");
	assert_string_equal(show("regvar * 2"), "long 0n-10");
	assert_string_equal(show("d * 2"), "double 5");
	assert_string_equal(show("color"), "enum color GREEN (0n5)");
	assert_int_equal(truth("color == GREEN"), 1);
	assert_int_equal(truth("color != RED && n == 3"), 1);
	assert_int_equal(truth("n == 3 || *bad"), 1);	/* short-circuit: *bad is not read */
	assert_string_equal(show("s"), "char * 0x00000000`00001300 \"hello\"");
	assert_string_equal(show("*s"), "char 0n104 'h'");
	assert_string_equal(show("s[4]"), "char 0n111 'o'");
	assert_string_equal(show("arr"), "int [5] 0x00000000`00001200");
}

static void test_untyped_symbol(void **state)
{
	assert_string_equal(show("(int)raw"), "int 0n3");
	assert_string_equal(show("(unsigned char)raw + 1"), "int 0n4");
	assert_string_equal(show("&raw"), "<no type information> * 0x00000000`00001000");
	assert_string_equal(show("*(int *)&raw"), "int 0n3");
	assert_string_equal(show("raw"),
			    "ERR: Type error at 'raw': no type information (no debug information); cast it, as in (int)raw");
	assert_string_equal(show("raw == 3"),
			    "ERR: Type error at 'raw': no type information (no debug information); cast it, as in (int)raw");
	assert_string_equal(show("raw->x"),
			    "ERR: Type error at 'raw': no type information (no debug information); cast it, as in (int)raw");
}

static void test_members_and_pointers(void **state)
{
	assert_string_equal(show("ptr"), "point_t * 0x00000000`00001100");
	assert_string_equal(show("ptr->field[2] + 1"), "int 0n31");
	assert_string_equal(show("pt.y"), "int 0n2");
	assert_string_equal(show("pt.in.a"), "short 0n-3");
	assert_string_equal(show("pt.in.b"), "unsigned char 0x7");
	assert_string_equal(show("pt.flag"), "unsigned int 0x1");
	assert_string_equal(show("pt.mode"), "unsigned int 0x5");
	assert_string_equal(show("pt.next->next->x"), "int 0n1");
	assert_string_equal(show("(*ptr).y"), "int 0n2");
	assert_string_equal(show("&pt"), "struct point * 0x00000000`00001100");
	assert_string_equal(show("&pt.field[1]"), "int * 0x00000000`0000110c");
	assert_string_equal(show("*(arr + 3)"), "int 0n40");
	assert_string_equal(show("arr[1] > 15 && c == 'A'"), "bool true");
	assert_string_equal(show("&arr[4] - &arr[1]"), "int64 0n3");
	assert_string_equal(show("ptr + 1"), "point_t * 0x00000000`00001130");
	assert_string_equal(show("(struct point *)0x1100"), "struct point * 0x00000000`00001100");
	assert_string_equal(show("((point_t *)0x1100)->x"), "int 0n1");
	assert_string_equal(show("*(unsigned char *)&pt.in.a"), "unsigned char 0xfd");
	assert_string_equal(show("pt.name"), "char [8] 0x00000000`0000111d \"orig\"");
	assert_int_equal(truth("ptr == &pt"), 1);
	assert_int_equal(truth("ptr->next != 0"), 1);
	assert_int_equal(truth("!bad == 0"), 1);
}

static void test_errors(void **state)
{
	assert_string_equal(show("nosuchvar == 1"),
			    "ERR: Couldn't resolve error at 'nosuchvar' (no variable 'nosuchvar' in scope at fake!fn)");
	assert_string_equal(show("n =="), "ERR: Syntax error at ''");
	assert_string_equal(show("n = 3"), "ERR: Syntax error at '= 3' (assignments are not supported; '==' compares)");
	assert_string_equal(show("n / 0"), "ERR: Division by zero at 'n / 0'");
	assert_string_equal(show("*bad"), "ERR: Memory access error at '*bad': cannot read 4 bytes at 00000000`00000010");
	assert_string_equal(show("opt + 1"), "ERR: 'opt' is optimized out");
	assert_string_equal(show("@nosuch"), "ERR: Bad register error at '@nosuch'");
	assert_string_equal(show("pt.nosuch"), "ERR: Couldn't resolve error at 'nosuch' (struct point has no member 'nosuch')");
	assert_string_equal(show("n->x"), "ERR: Type error at 'n->x': '->' needs a pointer to a struct or union");
	assert_string_equal(show("pt + 1"), "ERR: Type error at 'pt + 1': invalid operands");
	assert_string_equal(show("*(void *)s"), "ERR: Type error at '*(void *)s': cannot dereference a void pointer");
	assert_string_equal(show("(struct nosuch *)0"), "ERR: Couldn't resolve error at 'struct nosuch *)0' (no type struct nosuch)");
	assert_string_equal(show(""), "ERR: Syntax error at ''");
	assert_string_equal(show("1 $ 2"), "ERR: Syntax error at '$ 2'");
	assert_string_equal(show("99999999999999999999999"), "ERR: Numeric overflow at '99999999999999999999999'");
	/* A condition must be a scalar. */
	struct cx_expr *e = cx_compile(&scope, "pt");
	int t;
	assert_non_null(e);
	assert_int_equal(cx_eval_bool(e, &env, &t), -1);
}

static void test_limits(void **state)
{
	/* Deep nesting is refused, never a stack overflow. */
	char *deep = malloc(2 * 3000 + 2);
	memset(deep, '(', 3000);
	deep[3000] = '1';
	memset(deep + 3001, ')', 3000);
	deep[6001] = 0;
	assert_string_equal(show(deep), "ERR: Expression too long (more than 4096 characters)");
	memset(deep, 0, 6002);
	memset(deep, '(', 1000);
	deep[1000] = '1';
	memset(deep + 1001, ')', 1000);
	assert_string_equal(show(deep), "ERR: Expression too complex");
	memset(deep, 0, 6002);
	memset(deep, '-', 2000);
	deep[2000] = '1';
	assert_string_equal(show(deep), "ERR: Expression too complex");
	memset(deep, 0, 6002);
	for (int i = 0; i < 1000; i++)
		memcpy(deep + 2 * i, "1+", 2);
	deep[1999] = 0;
	assert_string_equal(show(deep), "ERR: Expression too complex");
	free(deep);
}

/* Random token soup: compiling and evaluating must never crash (run under ASan/UBSan). */
static void test_fuzz(void **state)
{
	static const char *const toks[] = {
		"n", "u", "c", "raw", "pt", "ptr", "arr", "s", "bad", "d", "regvar", "opt", "color", "GREEN",
		"@rax", "@eax", "0", "1", "-1", "0x7fffffff", "0xffffffffffffffff", "'a'", "2.5",
		"+", "-", "*", "/", "%", "<<", ">>", "<", ">", "<=", ">=", "==", "!=", "&", "^", "|",
		"&&", "||", "!", "~", "?", ":", "(", ")", "[", "]", ".", "->", "x", "next", "field",
		"(int)", "(char *)", "(struct point *)", "(unsigned char)", "sizeof", "(double)", " ",
	};
	uint32_t seed = 12345;
	for (int iter = 0; iter < 20000; iter++) {
		char text[256];
		size_t len = 0;
		seed = seed * 1103515245u + 12345u;
		int n = 1 + (int)((seed >> 16) % 12);
		for (int k = 0; k < n; k++) {
			seed = seed * 1103515245u + 12345u;
			const char *t = toks[(seed >> 16) % (sizeof(toks) / sizeof(toks[0]))];
			size_t tl = strlen(t);
			if (len + tl + 1 >= sizeof(text))
				break;
			memcpy(text + len, t, tl);
			len += tl;
		}
		text[len] = 0;
		struct cx_expr *e = cx_compile(&scope, text);
		if (e) {
			struct cx_value v;
			if (cx_eval(e, &env, &v) == 0) {
				struct sbuf sb = { 0 };
				cx_format_value(&sb, &env, &v);
				cx_format_fields(&sb, &env, v.type, v.lvalue ? &v.addr : NULL, 2, 3);
				sb_free(&sb);
			}
			int t;
			cx_eval_bool(e, &env, &t);
		}
	}
}

static void test_type_names(void **state)
{
	struct sbuf sb = { 0 };
	const struct cx_type *pp = cx_pointer_to(pool, ty_char_ptr, 8);
	cx_type_name(&sb, pp);
	assert_string_equal(sb_str(&sb), "char **");
	sb_reset(&sb);
	cx_type_name(&sb, cx_pointer_to(pool, ty_int_arr5, 8));
	assert_string_equal(sb_str(&sb), "int (*)[5]");
	sb_reset(&sb);
	struct cx_type *aptr = cx_type_new(pool, CX_ARRAY);
	aptr->target = ty_char_ptr;
	aptr->count = 4;
	cx_type_name(&sb, aptr);
	assert_string_equal(sb_str(&sb), "char *[4]");
	sb_reset(&sb);
	const struct cx_type *t;
	assert_int_equal(cx_parse_type(&scope, "unsigned long", &t), 0);
	cx_type_name(&sb, t);
	assert_string_equal(sb_str(&sb), "unsigned long");
	sb_reset(&sb);
	assert_int_equal(cx_parse_type(&scope, "point_t *", &t), 0);
	cx_type_name(&sb, t);
	assert_string_equal(sb_str(&sb), "point_t *");
	assert_int_equal(cx_parse_type(&scope, "n", &t), 1);
	sb_free(&sb);
}

static void test_fields(void **state)
{
	struct sbuf sb = { 0 };
	uint64_t addr = 0x1100;
	cx_format_fields(&sb, &env, t_point, &addr, 0, 3);
	assert_string_equal(sb_str(&sb),
			    "   +0x000 x                : 0n1\n"
			    "   +0x004 y                : 0n2\n"
			    "   +0x008 field            : [4] 0n10 0n20 0n30 0n40\n"
			    "   +0x018 in               : struct inner\n"
			    "   +0x01c flag             : 0y1\n"
			    "   +0x01c mode             : 0y101\n"
			    "   +0x01d name             : \"orig\"\n"
			    "   +0x028 next             : 0x00000000`00001100\n");
	sb_reset(&sb);
	cx_format_fields(&sb, &env, t_inner, NULL, 0, 3);
	assert_string_equal(sb_str(&sb),
			    "   +0x000 a                : short\n"
			    "   +0x002 b                : unsigned char\n");
	sb_reset(&sb);
	cx_format_fields(&sb, &env, t_point, NULL, 1, 3);
	assert_non_null(strstr(sb_str(&sb), "   +0x01c flag             : Pos 0, 1 Bit\n"));
	assert_non_null(strstr(sb_str(&sb), "   +0x01c mode             : Pos 1, 3 Bits\n"));
	assert_non_null(strstr(sb_str(&sb), "      +0x002 b                : unsigned char\n"));
	sb_free(&sb);
}

/* dt's type names: WinDbg's spellings, typedefs resolved, pointer width from ptrsize. */
static void test_dt_type_names(void **state)
{
	struct sbuf sb = { 0 };
	struct {
		const struct cx_type *t;
		int ptrsize, verbose;
		const char *want;
	} cases[] = {
		{ ty_int, 8, 0, "Int4B" },
		{ ty_uint, 8, 0, "Uint4B" },
		{ ty_char, 8, 0, "Char" },
		{ ty_uchar, 8, 0, "UChar" },
		{ ty_double, 8, 0, "Double" },
		{ ty_u64, 8, 0, "Uint8B" },
		{ cx_builtin(CXB_SHORT, 8), 8, 0, "Int2B" },
		{ cx_builtin(CXB_USHORT, 8), 8, 0, "Uint2B" },
		{ cx_builtin(CXB_LLONG, 8), 8, 0, "Int8B" },
		{ cx_builtin(CXB_FLOAT, 8), 8, 0, "Float" },
		{ cx_builtin(CXB_BOOL, 8), 8, 0, "Bool" },
		{ cx_builtin(CXB_VOID, 8), 8, 0, "Void" },
		{ ty_char_ptr, 8, 0, "Ptr64 Char" },
		{ ty_char_ptr, 4, 0, "Ptr32 Char" },
		{ ty_int_arr5, 8, 0, "[5] Int4B" },
		{ ty_point_ptr, 8, 0, "Ptr64 point" },
		{ ty_pt_ptr_t, 8, 0, "Ptr64 point" },
		{ t_point_t, 8, 0, "point" },
		{ t_color, 8, 0, "color" },
		{ ty_char_ptr, 8, 1, "Ptr64 to Char" },
	};
	for (size_t i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
		sb_reset(&sb);
		cx_dt_type_name(&sb, cases[i].t, cases[i].ptrsize, cases[i].verbose);
		assert_string_equal(sb_str(&sb), cases[i].want);
	}
	sb_reset(&sb);
	cx_dt_type_name(&sb, cx_pointer_to(pool, ty_char_ptr, 8), 8, 0);
	assert_string_equal(sb_str(&sb), "Ptr64 Ptr64 Char");
	sb_reset(&sb);
	cx_dt_type_name(&sb, t_point, 8, 1);
	assert_string_equal(sb_str(&sb), "struct point, 8 elements, 0x30 bytes");
	sb_free(&sb);
}

/* dt's member lines: the same layout as ??'s, with dt's type names. */
static void test_dt_fields(void **state)
{
	struct sbuf sb = { 0 };
	cx_format_dt_fields(&sb, &env, t_inner, NULL, 0, 3, 0);
	assert_string_equal(sb_str(&sb),
			    "   +0x000 a                : Int2B\n"
			    "   +0x002 b                : UChar\n");
	sb_reset(&sb);
	cx_format_dt_fields(&sb, &env, t_point, NULL, 1, 3, 1);
	assert_non_null(strstr(sb_str(&sb), "   +0x018 in               : struct inner, 2 elements, 0x4 bytes\n"
					    "      +0x000 a                : Int2B\n"));
	assert_non_null(strstr(sb_str(&sb), "   +0x01c flag             : Bitfield Pos 0, 1 Bit\n"));
	sb_reset(&sb);
	uint64_t addr = 0x1100;
	cx_format_dt_fields(&sb, &env, t_point, &addr, 0, 3, 0);
	assert_non_null(strstr(sb_str(&sb), "   +0x018 in               : inner\n"));
	assert_non_null(strstr(sb_str(&sb), "   +0x000 x                : 0n1\n"));
	sb_free(&sb);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test_setup_teardown(test_literals_and_arithmetic, setup, teardown),
		cmocka_unit_test_setup_teardown(test_evaluator_switch, setup, teardown),
		cmocka_unit_test_setup_teardown(test_conversions, setup, teardown),
		cmocka_unit_test_setup_teardown(test_variables, setup, teardown),
		cmocka_unit_test_setup_teardown(test_members_and_pointers, setup, teardown),
		cmocka_unit_test_setup_teardown(test_untyped_symbol, setup, teardown),
		cmocka_unit_test_setup_teardown(test_errors, setup, teardown),
		cmocka_unit_test_setup_teardown(test_limits, setup, teardown),
		cmocka_unit_test_setup_teardown(test_fuzz, setup, teardown),
		cmocka_unit_test_setup_teardown(test_type_names, setup, teardown),
		cmocka_unit_test_setup_teardown(test_fields, setup, teardown),
		cmocka_unit_test_setup_teardown(test_dt_type_names, setup, teardown),
		cmocka_unit_test_setup_teardown(test_dt_fields, setup, teardown),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
