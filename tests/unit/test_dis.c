/*
 * test_dis.c — dis.c against byte sequences taken from real gcc output (x86-64 -O0/-O2 with
 * -fcf-protection, i386 -O0), cross-checked with objdump -d -M intel for lengths and
 * operands; expected text is WinDbg's spelling (windbg-commands.md §10.2).
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>

#include "x86/dis.h"

/* A tiny symbol table standing in for sym.c. */
static const struct {
	uint64_t addr;
	const char *name;
} syms[] = {
	{ 0x555555558014ULL, "prog!counter" },
	{ 0x55555555515eULL, "prog!tick" },
	{ 0x55555555501dULL, "prog!loop+0x10" },
	{ 0x08049146ULL, "v32!get" },
	{ 0x0804c010ULL, "v32!g_x" },
};

static int test_sym(void *user, uint64_t addr, struct sbuf *out)
{
	size_t i;

	(void)user;
	for (i = 0; i < ARRAY_SIZE(syms); i++) {
		if (syms[i].addr == addr) {
			sb_add(out, syms[i].name);
			return 0;
		}
	}
	return -1;
}

static int never_sym(void *user, uint64_t addr, struct sbuf *out)
{
	(void)user;
	(void)addr;
	(void)out;
	return -1;
}

struct line_case {
	const char *hex;
	uint64_t addr;
	int is32;
	const char *line;
};

static size_t unhex(const char *hex, uint8_t *out, size_t cap)
{
	size_t n = 0;

	while (hex[0] && hex[1] && n < cap) {
		char b[3] = { hex[0], hex[1], 0 };

		out[n++] = (uint8_t)strtoul(b, NULL, 16);
		hex += 2;
	}
	return n;
}

/* Decodes from a heap buffer of exactly the instruction's size so ASan sees any overread. */
static void check_line(const struct line_case *c, dis_symbolizer sym)
{
	uint8_t tmp[16];
	size_t n = unhex(c->hex, tmp, sizeof(tmp));
	uint8_t *buf = malloc(n);
	struct dis_insn in;
	struct sbuf sb = { 0 };

	assert_non_null(buf);
	memcpy(buf, tmp, n);
	assert_int_equal(dis_decode(buf, n, c->addr, c->is32, &in), 0);
	assert_int_equal(in.len, n);
	assert_memory_equal(in.bytes, tmp, n);
	dis_format_line(&in, c->is32, sym, NULL, &sb);
	assert_string_equal(sb_str(&sb), c->line);
	sb_free(&sb);
	free(buf);
}

static void test_lines_x64(void **state)
{
	static const struct line_case cases[] = {
		{ "f30f1efa", 0x555555555139ULL, 0,
		  "00005555`55555139 f30f1efa        endbr64" },
		{ "55", 0x55555555513dULL, 0,
		  "00005555`5555513d 55              push    rbp" },
		{ "4889e5", 0x55555555513eULL, 0,
		  "00005555`5555513e 4889e5          mov     rbp,rsp" },
		{ "4883ec10", 0x5555555551d4ULL, 0,
		  "00005555`555551d4 4883ec10        sub     rsp,10h" },
		{ "897dfc", 0x5555555551d8ULL, 0,
		  "00005555`555551d8 897dfc          mov     dword ptr [rbp-4],edi" },
		{ "897dec", 0x555555555141ULL, 0,
		  "00005555`55555141 897dec          mov     dword ptr [rbp-14h],edi" },
		{ "488b5008", 0x5555555551a7ULL, 0,
		  "00005555`555551a7 488b5008        mov     rdx,qword ptr [rax+8]" },
		{ "837dfc01", 0x5555555551dfULL, 0,
		  "00005555`555551df 837dfc01        cmp     dword ptr [rbp-4],1" },
		{ "c745fc00000000", 0x555555555014ULL, 0,
		  "00005555`55555014 c745fc00000000  mov     dword ptr [rbp-4],0" },
		/* lea rax,[rip+2EE0h] resolving to a named global */
		{ "488d05e02e0000", 0x55555555512dULL, 0,
		  "00005555`5555512d 488d05e02e0000  lea     rax,[prog!counter (00005555`55558014)]" },
		/* the same displacement at another address: nothing there, bare address */
		{ "488d05e02e0000", 0x555555555000ULL, 0,
		  "00005555`55555000 488d05e02e0000  lea     rax,[00005555`55557ee7]" },
		{ "e8dcffffff", 0x55555555517dULL, 0,
		  "00005555`5555517d e8dcffffff      call    prog!tick (00005555`5555515e)" },
		{ "e8dcffffff", 0x555555555000ULL, 0,
		  "00005555`55555000 e8dcffffff      call    00005555`55554fe1" },
		{ "75ed", 0x55555555502eULL, 0,
		  "00005555`5555502e 75ed            jne     prog!loop+0x10 (00005555`5555501d)" },
		{ "740a", 0x5555555551e3ULL, 0,
		  "00005555`555551e3 740a            je      00005555`555551ef" },
		{ "c3", 0x555555555162ULL, 0, "00005555`55555162 c3              ret" },
		{ "cc", 0x7ffb7ed00770ULL, 0, "00007ffb`7ed00770 cc              int     3" },
		{ "0f1f440000", 0x555555555010ULL, 0,
		  "00005555`55555010 0f1f440000      nop     dword ptr [rax+rax]" },
		{ "0f1f4000", 0x5555555551acULL, 0,
		  "00005555`555551ac 0f1f4000        nop     dword ptr [rax]" },
		{ "66662e0f1f840000000000", 0x555555555173ULL, 0,
		  "00005555`55555173 66662e0f1f840000000000 nop     word ptr cs:[rax+rax]" },
		/* longer than 7 bytes: the mnemonic is pushed right */
		{ "48b8151334b7fe7f0000", 0x5555555551c0ULL, 0,
		  "00005555`555551c0 48b8151334b7fe7f0000 mov     rax,7FFEB7341315h" },
		{ "f20f1045e8", 0x555555555170ULL, 0,
		  "00005555`55555170 f20f1045e8      movsd   xmm0,mmword ptr [rbp-18h]" },
		{ "f20f1145f8", 0x555555555175ULL, 0,
		  "00005555`55555175 f20f1145f8      movsd   mmword ptr [rbp-8],xmm0" },
		{ "0f2845f0", 0x555555555000ULL, 0,
		  "00005555`55555000 0f2845f0        movaps  xmm0,xmmword ptr [rbp-10h]" },
		{ "f30f6f06", 0x5555555551a4ULL, 0,
		  "00005555`555551a4 f30f6f06        movdqu  xmm0,xmmword ptr [rsi]" },
		{ "66480f7ec0", 0x555555555183ULL, 0,
		  "00005555`55555183 66480f7ec0      movq    rax,xmm0" },
		{ "0f05", 0x555555555000ULL, 0, "00005555`55555000 0f05            syscall" },
		{ "0f0b", 0x5555555551feULL, 0, "00005555`555551fe 0f0b            ud2" },
		{ "c9", 0x55555555505cULL, 0, "00005555`5555505c c9              leave" },
		/* immediates: unsigned at operation width, MASM hex */
		{ "6aff", 0x555555555000ULL, 0,
		  "00005555`55555000 6aff            push    0FFFFFFFFFFFFFFFFh" },
		{ "4883e4f0", 0x555555555000ULL, 0,
		  "00005555`55555000 4883e4f0        and     rsp,0FFFFFFFFFFFFFFF0h" },
		{ "b80a000000", 0x555555555000ULL, 0,
		  "00005555`55555000 b80a000000      mov     eax,0Ah" },
		{ "c21400", 0x555555555000ULL, 0, "00005555`55555000 c21400          ret     14h" },
		{ "3d7b390000", 0x555555555000ULL, 0,
		  "00005555`55555000 3d7b390000      cmp     eax,397Bh" },
		/* thread-block access: never symbolized */
		{ "64488b042528000000", 0x555555555000ULL, 0,
		  "00005555`55555000 64488b042528000000 mov     rax,qword ptr fs:[28h]" },
		{ "488b44c8f8", 0x555555555000ULL, 0,
		  "00005555`55555000 488b44c8f8      mov     rax,qword ptr [rax+rcx*8-8]" },
		/* WinDbg condition-code spellings */
		{ "0f94c0", 0x555555555000ULL, 0, "00005555`55555000 0f94c0          sete    al" },
		{ "0f4fc1", 0x555555555000ULL, 0, "00005555`55555000 0f4fc1          cmovg   eax,ecx" },
		{ "7302", 0x555555555000ULL, 0, "00005555`55555000 7302            jae     00005555`55555004" },
		/* string instructions show their operands */
		{ "f348ab", 0x555555555000ULL, 0,
		  "00005555`55555000 f348ab          rep stos qword ptr [rdi]" },
		{ "a4", 0x555555555000ULL, 0,
		  "00005555`55555000 a4              movs    byte ptr [rdi],byte ptr [rsi]" },
		{ "6e", 0x555555555000ULL, 0,
		  "00005555`55555000 6e              outs    dx,byte ptr [rsi]" },
		{ "f0480fb111", 0x555555555000ULL, 0,
		  "00005555`55555000 f0480fb111      lock cmpxchg qword ptr [rcx],rdx" },
		{ "ddd9", 0x555555555000ULL, 0, "00005555`55555000 ddd9            fstp    st(1)" },
	};
	size_t i;

	(void)state;
	for (i = 0; i < ARRAY_SIZE(cases); i++)
		check_line(&cases[i], test_sym);
}

static void test_lines_x86(void **state)
{
	static const struct line_case cases[] = {
		{ "55", 0x08049150ULL, 1, "08049150 55              push    ebp" },
		{ "89e5", 0x08049151ULL, 1, "08049151 89e5            mov     ebp,esp" },
		{ "e8eeffffff", 0x08049153ULL, 1, "08049153 e8eeffffff      call    v32!get (08049146)" },
		{ "e8eeffffff", 0x08049000ULL, 1, "08049000 e8eeffffff      call    08048ff3" },
		{ "a110c00408", 0x08049149ULL, 1,
		  "08049149 a110c00408      mov     eax,dword ptr [v32!g_x (0804c010)]" },
		{ "a114c00408", 0x08049149ULL, 1,
		  "08049149 a114c00408      mov     eax,dword ptr ds:[0804C014h]" },
		{ "64a118000000", 0x08049000ULL, 1,
		  "08049000 64a118000000    mov     eax,dword ptr fs:[00000018h]" },
		{ "ff7508", 0x08049068ULL, 1, "08049068 ff7508          push    dword ptr [ebp+8]" },
		{ "83e4f0", 0x08049000ULL, 1, "08049000 83e4f0          and     esp,0FFFFFFF0h" },
		{ "f3ab", 0x08049000ULL, 1, "08049000 f3ab            rep stos dword ptr es:[edi]" },
		{ "75ed", 0x0804903fULL, 1, "0804903f 75ed            jne     0804902e" },
		{ "c3", 0x0804914fULL, 1, "0804914f c3              ret" },
	};
	size_t i;

	(void)state;
	for (i = 0; i < ARRAY_SIZE(cases); i++)
		check_line(&cases[i], test_sym);
}

static void test_no_symbolizer(void **state)
{
	static const uint8_t lea[] = { 0x48, 0x8d, 0x05, 0xe0, 0x2e, 0x00, 0x00 };
	struct dis_insn in;
	struct sbuf sb = { 0 };

	(void)state;
	assert_int_equal(dis_decode(lea, sizeof(lea), 0x55555555512dULL, 0, &in), 0);
	dis_format_text(&in, 0, NULL, NULL, &sb);
	assert_string_equal(sb_str(&sb), "lea     rax,[00005555`55558014]");
	sb_reset(&sb);
	dis_format_text(&in, 0, never_sym, NULL, &sb);
	assert_string_equal(sb_str(&sb), "lea     rax,[00005555`55558014]");
	sb_free(&sb);
}

static void test_format_text(void **state)
{
	static const struct {
		const char *hex;
		const char *text;
	} cases[] = {
		{ "c3", "ret" },
		{ "0f05", "syscall" },
		{ "f30f1efa", "endbr64" },
		{ "cc", "int     3" },
		{ "cd80", "int     80h" },
		{ "4889e5", "mov     rbp,rsp" },
	};
	size_t i;

	(void)state;
	for (i = 0; i < ARRAY_SIZE(cases); i++) {
		uint8_t b[16];
		size_t n = unhex(cases[i].hex, b, sizeof(b));
		struct dis_insn in;
		struct sbuf sb = { 0 };

		assert_int_equal(dis_decode(b, n, 0x401000, 0, &in), 0);
		dis_format_text(&in, 0, test_sym, NULL, &sb);
		assert_string_equal(sb_str(&sb), cases[i].text);
		sb_free(&sb);
	}
}

struct flow_case {
	const char *hex;
	int is32;
	enum dis_flow flow;
	int has_target;
	uint64_t target;
	const char *mnemonic;
};

static void test_flow(void **state)
{
	static const struct flow_case cases[] = {
		{ "e8dcffffff", 0, DIS_FLOW_CALL, 1, 0x1000 + 5 - 0x24, "call" },
		{ "ffd0", 0, DIS_FLOW_CALL, 0, 0, "call" },
		{ "ff1500100000", 0, DIS_FLOW_CALL, 0, 0, "call" },
		{ "c3", 0, DIS_FLOW_RET, 0, 0, "ret" },
		{ "c21400", 0, DIS_FLOW_RET, 0, 0, "ret" },
		{ "48cf", 0, DIS_FLOW_RET, 0, 0, "iretq" },
		{ "eb06", 0, DIS_FLOW_JUMP, 1, 0x1008, "jmp" },
		{ "e900010000", 0, DIS_FLOW_JUMP, 1, 0x1105, "jmp" },
		{ "ffe0", 0, DIS_FLOW_JUMP, 0, 0, "jmp" },
		{ "75ed", 0, DIS_FLOW_COND, 1, 0x1002 - 0x13, "jne" },
		{ "0f8410000000", 0, DIS_FLOW_COND, 1, 0x1016, "je" },
		{ "e2fe", 0, DIS_FLOW_COND, 1, 0x1000, "loop" },
		{ "e3fe", 0, DIS_FLOW_COND, 1, 0x1000, "jrcxz" },
		{ "0f05", 0, DIS_FLOW_SYSCALL, 0, 0, "syscall" },
		{ "cd80", 1, DIS_FLOW_SYSCALL, 0, 0, "int" },
		{ "0f34", 1, DIS_FLOW_SYSCALL, 0, 0, "sysenter" },
		{ "cc", 0, DIS_FLOW_INT, 0, 0, "int" },
		{ "cd03", 0, DIS_FLOW_INT, 0, 0, "int" },
		{ "0f0b", 0, DIS_FLOW_INT, 0, 0, "ud2" },
		{ "f4", 0, DIS_FLOW_INT, 0, 0, "hlt" },
		{ "4889e5", 0, DIS_FLOW_NONE, 0, 0, "mov" },
		{ "0f1f440000", 0, DIS_FLOW_NONE, 0, 0, "nop" },
		/* 0x1005 - 0x1010: wraps at 4 GiB in 32-bit mode, at 2^64 in 64-bit mode */
		{ "e8f0efffff", 1, DIS_FLOW_CALL, 1, 0xfffffff5ULL, "call" },
		{ "e8f0efffff", 0, DIS_FLOW_CALL, 1, 0xfffffffffffffff5ULL, "call" },
	};
	size_t i;

	(void)state;
	for (i = 0; i < ARRAY_SIZE(cases); i++) {
		const struct flow_case *c = &cases[i];
		uint8_t b[16];
		size_t n = unhex(c->hex, b, sizeof(b));
		struct dis_insn in;
		uint64_t addr = 0x1000;

		assert_int_equal(dis_decode(b, n, addr, c->is32, &in), 0);
		assert_int_equal(in.len, n);
		assert_int_equal(in.addr, addr);
		assert_int_equal(in.flow, c->flow);
		assert_int_equal(in.has_target, c->has_target);
		if (c->has_target)
			assert_int_equal(in.target, c->target);
		assert_string_equal(in.mnemonic, c->mnemonic);
	}
}

static void test_invalid(void **state)
{
	static const char *const bad[] = {
		"ffff",		/* ff /7 is undefined */
		"0f",		/* escape byte alone */
		"48",		/* REX prefix alone */
		"e8dcff",	/* call rel32 cut short */
		"0f84100000",	/* jcc rel32 cut short */
		"f3",		/* prefix alone */
	};
	struct dis_insn in;
	size_t i;
	uint8_t *ud2;

	(void)state;
	for (i = 0; i < ARRAY_SIZE(bad); i++) {
		uint8_t tmp[16];
		size_t n = unhex(bad[i], tmp, sizeof(tmp));
		uint8_t *buf = malloc(n);

		assert_non_null(buf);
		memcpy(buf, tmp, n);
		assert_int_equal(dis_decode(buf, n, 0x1000, 0, &in), -1);
		assert_true(strlen(err_get()) > 0);
		free(buf);
	}
	/* ud2 is valid, and exactly 2 bytes are enough */
	ud2 = malloc(2);
	assert_non_null(ud2);
	ud2[0] = 0x0f;
	ud2[1] = 0x0b;
	assert_int_equal(dis_decode(ud2, 2, 0x1000, 0, &in), 0);
	assert_int_equal(in.len, 2);
	assert_int_equal(dis_decode(ud2, 0, 0x1000, 0, &in), -1);
	assert_int_equal(dis_decode(ud2, 1, 0x1000, 0, &in), -1);
	assert_int_equal(dis_decode(NULL, 4, 0x1000, 0, &in), -1);
	free(ud2);
}

/* More than 15 bytes available: only the instruction is taken. */
static void test_long_buffer(void **state)
{
	uint8_t b[64];
	struct dis_insn in;

	(void)state;
	memset(b, 0x90, sizeof(b));
	b[0] = 0x55;
	assert_int_equal(dis_decode(b, sizeof(b), 0x1000, 0, &in), 0);
	assert_int_equal(in.len, 1);
	assert_string_equal(in.mnemonic, "push");
	/* 15 prefixes + opcode exceed the architectural limit */
	memset(b, 0x66, 16);
	b[16] = 0x90;
	assert_int_equal(dis_decode(b, 17, 0x1000, 0, &in), -1);
}

static void test_bad_insn_struct(void **state)
{
	struct dis_insn in;
	struct sbuf sb = { 0 };

	(void)state;
	memset(&in, 0, sizeof(in));
	in.addr = 0xfeedface;
	dis_format_line(&in, 1, test_sym, NULL, &sb);
	assert_string_equal(sb_str(&sb), "feedface ??              ???");
	sb_reset(&sb);
	/* bytes that no longer decode (say, patched memory) */
	in.len = 2;
	in.bytes[0] = 0xff;
	in.bytes[1] = 0xff;
	dis_format_text(&in, 0, test_sym, NULL, &sb);
	assert_string_equal(sb_str(&sb), "???");
	sb_reset(&sb);
	in.len = 200;
	dis_format_line(&in, 0, test_sym, NULL, &sb);
	assert_string_equal(sb_str(&sb), "00000000`feedface ??              ???");
	sb_free(&sb);
}

static int long_sym(void *user, uint64_t addr, struct sbuf *out)
{
	size_t i;

	(void)user;
	(void)addr;
	sb_add(out, "prog!");
	for (i = 0; i < 5000; i++)
		sb_addc(out, 'x');
	return 0;
}

/* A huge C++-style name must neither overflow nor lose the line. */
static void test_long_symbol(void **state)
{
	static const uint8_t call[] = { 0xe8, 0xdc, 0xff, 0xff, 0xff };
	struct dis_insn in;
	struct sbuf sb = { 0 };

	(void)state;
	assert_int_equal(dis_decode(call, sizeof(call), 0x1000, 0, &in), 0);
	dis_format_text(&in, 0, long_sym, NULL, &sb);
	assert_true(strncmp(sb_str(&sb), "call    prog!xxxx", 17) == 0);
	assert_true(strstr(sb_str(&sb), " (00000000`00000fe1)") != NULL);
	assert_true(sb.len < 1024);
	sb_free(&sb);
}

static int odd_sym(void *user, uint64_t addr, struct sbuf *out)
{
	(void)user;
	if (addr & 1)
		return -1;
	sb_addf(out, "m!f%llx", (unsigned long long)addr);
	return 0;
}

/* Pseudo-random bytes (fixed seed) in both modes: every result is either -1 or a sane
 * instruction whose line has WinDbg's shape; ASan checks the buffer edges. */
static void test_random_bytes(void **state)
{
	uint64_t x = 0x9e3779b97f4a7c15ULL;
	int it, decoded = 0;

	(void)state;
	for (it = 0; it < 20000; it++) {
		uint8_t tmp[15], *buf;
		size_t n, i;
		int is32;
		struct dis_insn in;
		struct sbuf sb = { 0 };

		for (i = 0; i < sizeof(tmp); i++) {
			x ^= x << 13;
			x ^= x >> 7;
			x ^= x << 17;
			tmp[i] = (uint8_t)x;
		}
		n = 1 + (x >> 40) % 15;
		is32 = (int)((x >> 50) & 1);
		buf = malloc(n);
		assert_non_null(buf);
		memcpy(buf, tmp, n);
		if (dis_decode(buf, n, x, is32, &in) == 0) {
			decoded++;
			assert_true(in.len >= 1 && in.len <= n);
			assert_true(in.mnemonic[0] != '\0');
			dis_format_line(&in, is32, (x >> 55) & 1 ? odd_sym : NULL, NULL, &sb);
			assert_true(sb.len > 0 && sb_str(&sb)[sb.len - 1] != ' ');
			assert_null(strstr(sb_str(&sb), ", "));
			assert_null(strstr(sb_str(&sb), "0x0"));
			assert_null(strstr(sb_str(&sb), "???"));
			sb_free(&sb);
		}
		free(buf);
	}
	assert_true(decoded > 10000);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_lines_x64),
		cmocka_unit_test(test_lines_x86),
		cmocka_unit_test(test_no_symbolizer),
		cmocka_unit_test(test_format_text),
		cmocka_unit_test(test_flow),
		cmocka_unit_test(test_invalid),
		cmocka_unit_test(test_long_buffer),
		cmocka_unit_test(test_bad_insn_struct),
		cmocka_unit_test(test_long_symbol),
		cmocka_unit_test(test_random_bytes),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
