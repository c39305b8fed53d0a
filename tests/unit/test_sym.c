/*
 * test_sym.c — sym.c against a real traced process.
 *
 * The fixture tests/unit/sym_fixtures/symfix.c is compiled here (-g -O2
 * -fomit-frame-pointer), started under PTRACE_TRACEME and inspected twice:
 * at the exec stop (only the program, ld.so and the vdso are mapped) and at
 * the int3 it executes inside level3 (libc loaded, and a corrupt ELF file
 * mapped and listed in the link map).  The test plays the backend: its
 * struct sym_process reads the child through /proc.  Expected values come
 * from the binary itself (nm, the ELF header, /proc/PID/maps) and from
 * marker comments in the fixture source.
 */
#include <ctype.h>
#include <elf.h>
#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <setjmp.h>
#include <signal.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <sys/ptrace.h>
#include <sys/user.h>
#include <sys/wait.h>
#include <unistd.h>

#include <cmocka.h>

#include "sym/sym.h"

/*
 * Stand-in for src/wild.c (owned elsewhere): '*' and '?' only, ignoring
 * case.  Weak, so the real one wins wherever it is linked.
 */
__attribute__((weak)) int wild_match(const char *p, const char *t, int symbol_rules)
{
	if (!*p)
		return !*t;
	if (*p == '*')
		return wild_match(p + 1, t, symbol_rules) || (*t && wild_match(p, t + 1, symbol_rules));
	if (*t && (*p == '?' || tolower((unsigned char)*p) == tolower((unsigned char)*t)))
		return wild_match(p + 1, t + 1, symbol_rules);
	return 0;
}

__attribute__((weak)) int wild_has_wildcards(const char *p)
{
	return strpbrk(p, "*?[#+") != NULL;
}

struct fixture {
	char dir[64];
	char src[PATH_MAX];
	char bin[PATH_MAX];
	char corrupt[PATH_MAX];
	pid_t pid;
	struct tproc *proc;
	struct sym_table *st;
	/* recorded at the exec stop */
	int exec_nmods;
	int exec_has_main, exec_has_ld, exec_has_vdso, exec_has_libc;
	int exec_first_is_main;
	/* recorded at the int3 */
	int refresh_changed, refresh_again_changed;
	/* from the binary */
	uint64_t load_base;	/* first mapping of the program */
	int line_trap, line_before_trap;
};

static struct fixture fx;

/* ---- helpers ---- */

static int run(const char *fmt, ...)
{
	char cmd[4 * PATH_MAX];
	va_list ap;
	va_start(ap, fmt);
	vsnprintf(cmd, sizeof(cmd), fmt, ap);
	va_end(ap);
	return system(cmd);
}

/* nm value (and size) of a defined symbol in file, 0 when missing. */
static uint64_t nm_value(const char *file, const char *name, uint64_t *size)
{
	char cmd[PATH_MAX + 32];
	snprintf(cmd, sizeof(cmd), "nm -S '%s'", file);
	FILE *p = popen(cmd, "r");
	if (!p)
		return 0;
	char line[512];
	uint64_t found = 0;
	while (fgets(line, sizeof(line), p)) {
		unsigned long long v = 0, sz = 0;
		char type[4], nm[256];
		if (sscanf(line, "%llx %llx %3s %255s", &v, &sz, type, nm) == 4
		    || (sz = 0, sscanf(line, "%llx %3s %255s", &v, type, nm) == 3)) {
			if (strcmp(nm, name) == 0) {
				found = v;
				if (size)
					*size = sz;
			}
		}
	}
	pclose(p);
	return found;
}

static uint64_t elf_entry(const char *file)
{
	unsigned char buf[64] = { 0 };
	FILE *f = fopen(file, "rb");
	if (!f)
		return 0;
	size_t n = fread(buf, 1, sizeof(buf), f);
	fclose(f);
	if (n < sizeof(buf))
		return 0;
	if (buf[EI_CLASS] == ELFCLASS32) {
		uint32_t e;
		memcpy(&e, buf + offsetof(Elf32_Ehdr, e_entry), 4);
		return e;
	}
	uint64_t e;
	memcpy(&e, buf + offsetof(Elf64_Ehdr, e_entry), 8);
	return e;
}

/* Start address of the first mapping of file in pid. */
static uint64_t map_base(pid_t pid, const char *file)
{
	char path[64], line[PATH_MAX + 128];
	snprintf(path, sizeof(path), "/proc/%d/maps", (int)pid);
	FILE *f = fopen(path, "r");
	uint64_t base = 0;
	while (f && fgets(line, sizeof(line), f)) {
		unsigned long long lo;
		char *slash = strchr(line, '/');
		if (!slash)
			continue;
		slash[strcspn(slash, "\n")] = 0;
		if (strcmp(slash, file) == 0 && sscanf(line, "%llx-", &lo) == 1) {
			base = lo;
			break;
		}
	}
	if (f)
		fclose(f);
	return base;
}

/* Line number of the first source line containing marker. */
static int marker_line(const char *file, const char *marker)
{
	FILE *f = fopen(file, "r");
	char line[512];
	int n = 0, found = 0;
	while (f && fgets(line, sizeof(line), f)) {
		n++;
		if (strstr(line, marker)) {
			found = n;
			break;
		}
	}
	if (f)
		fclose(f);
	return found;
}

static pid_t spawn_stopped(const char *bin, const char *arg1, const char *arg2)
{
	pid_t pid = fork();
	if (pid == 0) {
		ptrace(PTRACE_TRACEME, 0, NULL, NULL);
		char *argv[] = { (char *)bin, (char *)arg1, (char *)arg2, NULL };
		execv(bin, argv);
		_exit(127);
	}
	int status;
	if (pid < 0 || waitpid(pid, &status, 0) != pid || !WIFSTOPPED(status)
	    || WSTOPSIG(status) != SIGTRAP)
		return -1;
	return pid;
}

static int cont_to_trap(pid_t pid)
{
	int status;
	if (ptrace(PTRACE_CONT, pid, NULL, NULL) != 0 || waitpid(pid, &status, 0) != pid)
		return -1;
	return WIFSTOPPED(status) && WSTOPSIG(status) == SIGTRAP ? 0 : -1;
}

static void kill_child(pid_t pid)
{
	if (pid > 0) {
		kill(pid, SIGKILL);
		waitpid(pid, NULL, 0);
	}
}

static int get_regs(pid_t pid, struct regs *r)
{
	struct user_regs_struct u;
	if (ptrace(PTRACE_GETREGS, pid, NULL, &u) != 0)
		return -1;
	memset(r, 0, sizeof(*r));
	r->r[REG_RAX] = u.rax;
	r->r[REG_RBX] = u.rbx;
	r->r[REG_RCX] = u.rcx;
	r->r[REG_RDX] = u.rdx;
	r->r[REG_RSI] = u.rsi;
	r->r[REG_RDI] = u.rdi;
	r->r[REG_RBP] = u.rbp;
	r->r[REG_RSP] = u.rsp;
	r->r[REG_R8] = u.r8;
	r->r[REG_R9] = u.r9;
	r->r[REG_R10] = u.r10;
	r->r[REG_R11] = u.r11;
	r->r[REG_R12] = u.r12;
	r->r[REG_R13] = u.r13;
	r->r[REG_R14] = u.r14;
	r->r[REG_R15] = u.r15;
	r->r[REG_RIP] = u.rip;
	r->r[REG_EFL] = u.eflags;
	return 0;
}

/* sym_mem_fn: bytes read, like target_read.  (No process_vm_readv: its
 * _GNU_SOURCE would clash <signal.h>'s REG_* names with regs.h.) */
static int read_mem(void *user, uint64_t addr, void *buf, size_t n)
{
	char path[64];
	snprintf(path, sizeof(path), "/proc/%d/mem", *(pid_t *)user);
	int fd = open(path, O_RDONLY);
	if (fd < 0)
		return -1;
	ssize_t got = addr > (uint64_t)INT64_MAX ? -1 : pread(fd, buf, n, (off_t)addr);
	close(fd);
	return got < 0 ? -1 : (int)got;
}

/* ---- the backend the symbol table sees ---- */

struct tproc {
	pid_t pid;
	/* When set, memory reads go here instead (an unreadable stack). */
	int (*mem)(void *user, uint64_t addr, void *buf, size_t n);
	void *mem_user;
};

static int tp_read(void *user, uint64_t addr, void *buf, size_t n)
{
	struct tproc *p = user;
	if (p->mem)
		return p->mem(p->mem_user, addr, buf, n);
	return read_mem(&p->pid, addr, buf, n);
}

static int tp_read_auxv(void *user, void *buf, size_t n)
{
	char path[64];
	snprintf(path, sizeof(path), "/proc/%d/auxv", (int)((struct tproc *)user)->pid);
	int fd = open(path, O_RDONLY);
	if (fd < 0)
		return -1;
	ssize_t got = read(fd, buf, n);
	close(fd);
	return got < 0 ? -1 : (int)got;
}

static int tp_exe_path(void *user, char *buf, size_t n)
{
	char path[64];
	snprintf(path, sizeof(path), "/proc/%d/exe", (int)((struct tproc *)user)->pid);
	ssize_t len = readlink(path, buf, n - 1);
	if (len < 0)
		return -1;
	buf[len] = 0;
	return 0;
}

/* The word size of the image now: the ELF class of what the kernel runs. */
static int tp_is32(void *user)
{
	char path[64];
	unsigned char id[EI_NIDENT] = { 0 };
	snprintf(path, sizeof(path), "/proc/%d/exe", (int)((struct tproc *)user)->pid);
	int fd = open(path, O_RDONLY);
	if (fd >= 0) {
		if (read(fd, id, sizeof(id)) != (ssize_t)sizeof(id))
			id[EI_CLASS] = 0;
		close(fd);
	}
	return id[EI_CLASS] == ELFCLASS32;
}

static struct sym_table *open_table(struct tproc *p)
{
	struct sym_process sp = {
		.user = p, .is32 = tp_is32, .read = tp_read, .read_auxv = tp_read_auxv, .exe_path = tp_exe_path,
	};
	return sym_open(&sp);
}

/* An ELF header that lies about everything, then a deterministic mess. */
static int write_corrupt_elf(const char *path)
{
	unsigned char buf[8192];
	uint32_t x = 12345;
	for (size_t i = 0; i < sizeof(buf); i++) {
		x = x * 1103515245u + 12345u;
		buf[i] = (unsigned char)(x >> 16);
	}
	Elf64_Ehdr eh;
	memset(&eh, 0, sizeof(eh));
	memcpy(eh.e_ident, ELFMAG, SELFMAG);
	eh.e_ident[EI_CLASS] = ELFCLASS64;
	eh.e_ident[EI_DATA] = ELFDATA2LSB;
	eh.e_ident[EI_VERSION] = EV_CURRENT;
	eh.e_type = ET_DYN;
	eh.e_machine = EM_X86_64;
	eh.e_version = EV_CURRENT;
	eh.e_entry = 0xdeadbeef;
	eh.e_phoff = 64;
	eh.e_shoff = 4096;
	eh.e_ehsize = sizeof(eh);
	eh.e_phentsize = sizeof(Elf64_Phdr);
	eh.e_phnum = 4;
	eh.e_shentsize = sizeof(Elf64_Shdr);
	eh.e_shnum = 60;
	eh.e_shstrndx = 7;
	memcpy(buf, &eh, sizeof(eh));
	Elf64_Phdr ph[4];
	memcpy(ph, buf + 64, sizeof(ph));
	ph[0].p_type = PT_LOAD;
	ph[0].p_offset = 0;
	ph[0].p_vaddr = 0;
	ph[0].p_memsz = 0x7fffffffffffULL;
	ph[1].p_type = PT_DYNAMIC;
	ph[1].p_offset = 0x1800;
	ph[1].p_vaddr = 0x1800;
	ph[1].p_memsz = 0x100000;
	ph[2].p_type = PT_LOAD;
	ph[3].p_type = PT_NOTE;
	memcpy(buf + 64, ph, sizeof(ph));
	/* A few plausible section headers among the junk. */
	Elf64_Shdr sh[60];
	memcpy(sh, buf + 4096, sizeof(sh));
	sh[1].sh_type = SHT_SYMTAB;
	sh[1].sh_offset = 0x300;
	sh[1].sh_size = 0x10000;
	sh[1].sh_entsize = sizeof(Elf64_Sym);
	sh[1].sh_link = 2;
	sh[2].sh_type = SHT_STRTAB;
	sh[2].sh_offset = 0x700;
	sh[2].sh_size = 0x40;
	sh[3].sh_type = SHT_DYNAMIC;
	sh[3].sh_offset = 0x1800;
	sh[3].sh_size = 0x400;
	sh[3].sh_entsize = sizeof(Elf64_Dyn);
	sh[3].sh_link = 99;
	memcpy(buf + 4096, sh, sizeof(buf) - 4096 < sizeof(sh) ? sizeof(buf) - 4096 : sizeof(sh));
	FILE *f = fopen(path, "wb");
	if (!f)
		return -1;
	int ok = fwrite(buf, 1, sizeof(buf), f) == sizeof(buf);
	return fclose(f) == 0 && ok ? 0 : -1;
}

static int has_module(struct sym_table *st, const char *name)
{
	struct sym_module m;
	return sym_module_by_name(st, name, &m) == 0;
}

/* ---- setup ---- */

static int group_setup(void **state)
{
	const char *here = __FILE__;
	const char *slash = strrchr(here, '/');
	int dirlen = slash ? (int)(slash - here) : 1;
	snprintf(fx.src, sizeof(fx.src), "%.*s/sym_fixtures/symfix.c", dirlen, slash ? here : ".");
	if (getenv("SYMFIX_SRC"))
		snprintf(fx.src, sizeof(fx.src), "%s", getenv("SYMFIX_SRC"));
	strcpy(fx.dir, "/tmp/test_sym.XXXXXX");
	if (!mkdtemp(fx.dir))
		return -1;
	snprintf(fx.bin, sizeof(fx.bin), "%s/symfix", fx.dir);
	snprintf(fx.corrupt, sizeof(fx.corrupt), "%s/corrupt.so.1", fx.dir);
	if (run("cc -g -O2 -fomit-frame-pointer -o '%s' '%s'", fx.bin, fx.src) != 0) {
		fprintf(stderr, "cannot build %s\n", fx.src);
		return -1;
	}
	if (write_corrupt_elf(fx.corrupt) != 0)
		return -1;
	fx.line_trap = marker_line(fx.src, "LINE_TRAP");
	fx.line_before_trap = marker_line(fx.src, "LINE_BEFORE_TRAP");

	fx.pid = spawn_stopped(fx.bin, fx.corrupt, NULL);
	if (fx.pid < 0)
		return -1;
	fx.proc = calloc(1, sizeof(*fx.proc));
	if (!fx.proc)
		return -1;
	fx.proc->pid = fx.pid;
	fx.st = open_table(fx.proc);
	if (!fx.st)
		return -1;
	fx.exec_nmods = sym_module_count(fx.st);
	fx.exec_has_main = has_module(fx.st, "symfix");
	fx.exec_has_ld = has_module(fx.st, "ld_linux_x86_64_so");
	fx.exec_has_vdso = has_module(fx.st, "linux_vdso_so");
	fx.exec_has_libc = has_module(fx.st, "libc_so");
	struct sym_module m0;
	fx.exec_first_is_main = sym_module_get(fx.st, 0, &m0) == 0 && strcmp(m0.name, "symfix") == 0;

	if (cont_to_trap(fx.pid) != 0)
		return -1;
	fx.refresh_changed = -1;
	fx.refresh_again_changed = -1;
	if (sym_refresh(fx.st, &fx.refresh_changed) != 0
	    || sym_refresh(fx.st, &fx.refresh_again_changed) != 0)
		return -1;
	fx.load_base = map_base(fx.pid, fx.bin);
	return 0;
}

static int group_teardown(void **state)
{
	sym_close(fx.st);
	free(fx.proc);
	kill_child(fx.pid);
	run("rm -rf '%s'", fx.dir);
	return 0;
}

/* ---- tests ---- */

static void test_refresh(void **state)
{
	assert_int_equal(fx.exec_nmods, 3);
	assert_true(fx.exec_has_main);
	assert_true(fx.exec_has_ld);
	assert_true(fx.exec_has_vdso);
	assert_false(fx.exec_has_libc);
	assert_true(fx.exec_first_is_main);
	assert_int_equal(fx.refresh_changed, 1);
	assert_int_equal(fx.refresh_again_changed, 0);
	assert_true(has_module(fx.st, "libc_so"));
}

static void test_modules(void **state)
{
	struct sym_module m;
	assert_int_equal(sym_module_get(fx.st, 0, &m), 0);
	assert_string_equal(m.name, "symfix");
	assert_string_equal(m.path, fx.bin);
	assert_int_equal(m.start, fx.load_base);
	assert_int_equal(m.bias, fx.load_base);	/* PIE: first segment at vaddr 0 */
	assert_true(m.has_dwarf);
	assert_true(m.has_symtab);
	/* end is the end of the highest segment in memory: _end lies in it */
	assert_true(m.end >= nm_value(fx.bin, "_end", NULL) + fx.load_base);

	assert_int_equal(sym_module_by_name(fx.st, "LIBC_SO", &m), 0);
	assert_string_equal(m.name, "libc_so");
	assert_non_null(strstr(m.path, "libc.so.6"));
	assert_true(m.start < m.end);
	assert_int_equal(sym_module_by_name(fx.st, "ld_linux_x86_64_so", &m), 0);
	assert_int_equal(sym_module_by_name(fx.st, "linux_vdso_so", &m), 0);
	assert_string_equal(m.path, "[vdso]");
	assert_int_equal(sym_module_by_name(fx.st, "corrupt_so", &m), 0);	/* basename corrupt.so.1 */
	assert_int_equal(sym_module_by_name(fx.st, "nosuch", &m), -1);

	/* libc is loaded before ld.so in link_map order; all names unique */
	int n = sym_module_count(fx.st), libc = -1, ld = -1;
	for (int i = 0; i < n; i++) {
		assert_int_equal(sym_module_get(fx.st, i, &m), 0);
		if (strcmp(m.name, "libc_so") == 0)
			libc = i;
		if (strcmp(m.name, "ld_linux_x86_64_so") == 0)
			ld = i;
		for (int j = 0; j < i; j++) {
			struct sym_module o;
			assert_int_equal(sym_module_get(fx.st, j, &o), 0);
			assert_true(strcasecmp(o.name, m.name) != 0);
		}
	}
	assert_true(libc > 0 && ld > libc);
	assert_int_equal(sym_module_get(fx.st, n, &m), -1);

	uint64_t level2 = nm_value(fx.bin, "level2", NULL) + fx.load_base;
	assert_int_equal(sym_module_at(fx.st, level2, &m), 0);
	assert_string_equal(m.name, "symfix");
	assert_int_equal(sym_module_at(fx.st, 0x10, &m), -1);
}

static void test_lookup(void **state)
{
	uint64_t a = 0;
	uint64_t level2 = nm_value(fx.bin, "level2", NULL);
	assert_true(level2 != 0);
	assert_int_equal(sym_lookup(fx.st, "level2", &a), 0);
	assert_int_equal(a, level2 + fx.load_base);
	a = 0;
	assert_int_equal(sym_lookup(fx.st, "symfix!level2", &a), 0);
	assert_int_equal(a, level2 + fx.load_base);
	a = 0;
	assert_int_equal(sym_lookup(fx.st, "!level2", &a), 0);
	assert_int_equal(a, level2 + fx.load_base);
	a = 0;
	assert_int_equal(sym_lookup(fx.st, "LeVeL2", &a), 0);
	assert_int_equal(a, level2 + fx.load_base);
	assert_int_equal(sym_lookup(fx.st, "SYMFIX!symfix_global", &a), 0);
	assert_int_equal(a, nm_value(fx.bin, "symfix_global", NULL) + fx.load_base);

	/* exact case wins over a case-insensitive match */
	assert_int_equal(sym_lookup(fx.st, "symfix_Case", &a), 0);
	assert_int_equal(a, nm_value(fx.bin, "symfix_Case", NULL) + fx.load_base);
	assert_int_equal(sym_lookup(fx.st, "symfix_case", &a), 0);
	assert_int_equal(a, nm_value(fx.bin, "symfix_case", NULL) + fx.load_base);
	assert_int_equal(sym_lookup(fx.st, "SYMFIX_CASE", &a), 0);
	assert_true(a == nm_value(fx.bin, "symfix_case", NULL) + fx.load_base
		    || a == nm_value(fx.bin, "symfix_Case", NULL) + fx.load_base);

	/* libc symbols, with and without the module */
	struct sym_module libc;
	assert_int_equal(sym_module_by_name(fx.st, "libc_so", &libc), 0);
	assert_int_equal(sym_lookup(fx.st, "libc_so!malloc", &a), 0);
	assert_true(a >= libc.start && a < libc.end);
	uint64_t b = 0;
	assert_int_equal(sym_lookup(fx.st, "malloc", &b), 0);
	assert_int_equal(a, b);

	/* versioned .symtab names ("x@@GLIBC_2.34") answer to the bare name */
	assert_int_equal(sym_lookup(fx.st, "__libc_start_main", &a), 0);
	assert_true(a >= libc.start && a < libc.end);
	struct sbuf sb = { 0 };
	assert_int_equal(sym_describe(fx.st, a, &sb), 0);
	assert_null(strchr(sb_str(&sb), '@'));
	sb_free(&sb);

	err_clear();
	assert_int_equal(sym_lookup(fx.st, "no_such_symbol_xyz", &a), -1);
	assert_string_equal(err_get(), "Couldn't resolve error at 'no_such_symbol_xyz'");
	assert_int_equal(sym_lookup(fx.st, "nomod!level2", &a), -1);
	assert_string_equal(err_get(), "Couldn't resolve error at 'nomod!level2'");
	assert_int_equal(sym_lookup(fx.st, "libc_so!level2", &a), -1);
	assert_int_equal(sym_lookup(fx.st, "symfix!", &a), -1);
	assert_int_equal(sym_lookup(fx.st, "", &a), -1);
}

static void test_describe(void **state)
{
	uint64_t level2 = nm_value(fx.bin, "level2", NULL) + fx.load_base;
	struct sbuf sb = { 0 };
	assert_int_equal(sym_describe(fx.st, level2 + 5, &sb), 0);
	assert_string_equal(sb_str(&sb), "symfix!level2+0x5");
	sb_reset(&sb);
	assert_int_equal(sym_describe(fx.st, level2, &sb), 0);
	assert_string_equal(sb_str(&sb), "symfix!level2");
	sb_reset(&sb);
	uint64_t glob = nm_value(fx.bin, "symfix_global", NULL) + fx.load_base;
	assert_int_equal(sym_describe(fx.st, glob + 2, &sb), 0);
	assert_string_equal(sb_str(&sb), "symfix!symfix_global+0x2");
	sb_reset(&sb);
	/* the ELF header is covered by no symbol */
	assert_int_equal(sym_describe(fx.st, fx.load_base + 0x10, &sb), 0);
	assert_string_equal(sb_str(&sb), "symfix+0x10");
	sb_reset(&sb);
	uint64_t malloc_addr = 0;
	assert_int_equal(sym_lookup(fx.st, "libc_so!malloc", &malloc_addr), 0);
	assert_int_equal(sym_describe(fx.st, malloc_addr + 1, &sb), 0);
	assert_string_equal(sb_str(&sb), "libc_so!malloc+0x1");
	sb_reset(&sb);
	sb_add(&sb, "keep");
	assert_int_equal(sym_describe(fx.st, 0x10, &sb), -1);
	assert_string_equal(sb_str(&sb), "keep");
	sb_free(&sb);
}

static void test_function_nearest(void **state)
{
	uint64_t size = 0;
	uint64_t level2 = nm_value(fx.bin, "level2", &size) + fx.load_base;
	struct sym_func f;
	assert_int_equal(sym_function_at(fx.st, level2 + 3, &f), 0);
	assert_int_equal(f.start, level2);
	assert_int_equal(f.size, size);
	assert_string_equal(f.name, "level2");
	assert_string_equal(f.module, "symfix");
	assert_int_equal(sym_function_at(fx.st, fx.load_base + 0x10, &f), -1);

	/* level1 follows level2 directly in this layout (nm order) */
	uint64_t level1 = nm_value(fx.bin, "level1", NULL) + fx.load_base;
	struct sym_func before, after;
	assert_int_equal(sym_nearest(fx.st, level2 + 3, &before, &after), 0);
	assert_string_equal(before.name, "level2");
	assert_int_equal(before.start, level2);
	if (level1 > level2) {
		assert_string_equal(after.name, "level1");
		assert_int_equal(after.start, level1);
	}
	assert_int_equal(sym_nearest(fx.st, 0x10, &before, &after), -1);
}

struct enum_seen {
	int n;
	char names[16][32];
	uint64_t addrs[16];
	int funcs;
};

static int enum_cb(void *user, const struct sym_module *mod, const char *name, uint64_t addr,
		   uint64_t size, int is_function)
{
	struct enum_seen *e = user;
	if (e->n < 16) {
		snprintf(e->names[e->n], sizeof(e->names[0]), "%s!%s", mod->name, name);
		e->addrs[e->n] = addr;
	}
	e->n++;
	e->funcs += is_function;
	return 0;
}

static int enum_stop_cb(void *user, const struct sym_module *mod, const char *name, uint64_t addr,
			uint64_t size, int is_function)
{
	return 1;
}

static void test_enumerate(void **state)
{
	struct enum_seen e = { 0 };
	assert_int_equal(sym_enumerate(fx.st, "symfix", "level*", 1, enum_cb, &e), 3);
	assert_int_equal(e.n, 3);
	assert_int_equal(e.funcs, 3);
	/* address order */
	assert_true(e.addrs[0] < e.addrs[1] && e.addrs[1] < e.addrs[2]);
	int seen = 0;
	for (int i = 0; i < 3; i++) {
		if (strcmp(e.names[i], "symfix!level1") == 0)
			seen |= 1;
		if (strcmp(e.names[i], "symfix!level2") == 0)
			seen |= 2;
		if (strcmp(e.names[i], "symfix!level3") == 0)
			seen |= 4;
		uint64_t want = nm_value(fx.bin, strchr(e.names[i], '!') + 1, NULL) + fx.load_base;
		assert_int_equal(e.addrs[i], want);
	}
	assert_int_equal(seen, 7);

	/* data only shows up without functions_only; module pattern wildcard */
	memset(&e, 0, sizeof(e));
	assert_int_equal(sym_enumerate(fx.st, "SYM*", "symfix_?ase", 0, enum_cb, &e), 2);
	assert_int_equal(e.funcs, 0);
	memset(&e, 0, sizeof(e));
	assert_int_equal(sym_enumerate(fx.st, "sym*", "symfix_global", 1, enum_cb, &e), 0);

	/* all modules; libc's malloc exactly once */
	memset(&e, 0, sizeof(e));
	assert_int_equal(sym_enumerate(fx.st, NULL, "malloc", 1, enum_cb, &e), 1);
	assert_string_equal(e.names[0], "libc_so!malloc");

	/* the callback stops the walk */
	assert_int_equal(sym_enumerate(fx.st, NULL, "*", 0, enum_stop_cb, NULL), 1);
}

static void test_source_line(void **state)
{
	struct regs r;
	assert_int_equal(get_regs(fx.pid, &r), 0);
	uint64_t trap = r.r[REG_RIP] - 1;	/* the int3 just executed */
	const char *file = NULL;
	int line = 0;
	assert_int_equal(sym_source_line(fx.st, trap, &file, &line), 0);
	assert_non_null(file);
	assert_non_null(strstr(file, "symfix.c"));
	assert_int_equal(line, fx.line_trap);
	assert_true(fx.line_trap > 0);

	assert_int_equal(sym_source_line(fx.st, 0x10, &file, &line), -1);
	/* ELF header: no line */
	assert_int_equal(sym_source_line(fx.st, fx.load_base + 0x10, &file, &line), -1);
}

static void test_line_address(void **state)
{
	struct regs r;
	assert_int_equal(get_regs(fx.pid, &r), 0);
	uint64_t trap = r.r[REG_RIP] - 1;
	char spec[64];
	uint64_t a = 0;
	snprintf(spec, sizeof(spec), "symfix.c:%d", fx.line_trap);
	assert_int_equal(sym_line_address(fx.st, spec, &a), 0);
	assert_int_equal(a, trap);
	a = 0;
	snprintf(spec, sizeof(spec), "symfix!sym_fixtures/symfix.c:%d", fx.line_trap);
	assert_int_equal(sym_line_address(fx.st, spec, &a), 0);
	assert_int_equal(a, trap);
	/* a comment line: the next line with code */
	a = 0;
	snprintf(spec, sizeof(spec), "symfix.c:%d", fx.line_before_trap);
	assert_int_equal(sym_line_address(fx.st, spec, &a), 0);
	assert_int_equal(a, trap);

	/* the first line of level2's body is its first instruction */
	int l2 = marker_line(fx.src, "int r = level3(x + 1);");
	snprintf(spec, sizeof(spec), "symfix.c:%d", l2);
	assert_int_equal(sym_line_address(fx.st, spec, &a), 0);
	assert_int_equal(a, nm_value(fx.bin, "level2", NULL) + fx.load_base);

	err_clear();
	assert_int_equal(sym_line_address(fx.st, "nosuch.c:3", &a), -1);
	assert_string_equal(err_get(), "Couldn't resolve error at 'nosuch.c:3'");
	assert_int_equal(sym_line_address(fx.st, "ymfix.c:20", &a), -1);	/* not a path component */
	assert_int_equal(sym_line_address(fx.st, "symfix.c:99999", &a), -1);
	assert_int_equal(sym_line_address(fx.st, "symfix.c", &a), -1);
	assert_int_equal(sym_line_address(fx.st, "symfix.c:x", &a), -1);
	assert_int_equal(sym_line_address(fx.st, "libc_so!symfix.c:20", &a), -1);
}

static void test_main_entry(void **state)
{
	assert_int_equal(sym_main_entry(fx.st), elf_entry(fx.bin) + fx.load_base);
	uint64_t start = nm_value(fx.bin, "_start", NULL) + fx.load_base;
	assert_int_equal(sym_main_entry(fx.st), start);
}

struct frames {
	int n;
	struct sym_frame f[32];
	char names[32][64];
	int stop_after;
};

static int frame_cb(void *user, const struct sym_frame *frame)
{
	struct frames *fr = user;
	if (fr->n < 32)
		fr->f[fr->n] = *frame;
	fr->n++;
	return fr->stop_after && fr->n >= fr->stop_after;
}

static void name_frames(struct sym_table *st, struct frames *fr)
{
	for (int i = 0; i < fr->n && i < 32; i++) {
		struct sym_func f;
		uint64_t pc = fr->f[i].pc - (fr->f[i].is_return_address ? 1 : 0);
		if (sym_function_at(st, pc, &f) == 0)
			snprintf(fr->names[i], sizeof(fr->names[i]), "%s!%s", f.module, f.name);
		else
			snprintf(fr->names[i], sizeof(fr->names[i]), "?");
	}
}

static void test_unwind(void **state)
{
	struct regs r;
	assert_int_equal(get_regs(fx.pid, &r), 0);
	struct frames fr = { 0 };
	int n = sym_unwind(fx.st, &r, 0, 32, SYM_UNWIND_REGS, frame_cb, &fr);
	assert_true(n >= 4);
	assert_int_equal(n, fr.n);
	name_frames(fx.st, &fr);
	assert_string_equal(fr.names[0], "symfix!level3");
	assert_string_equal(fr.names[1], "symfix!level2");
	assert_string_equal(fr.names[2], "symfix!level1");
	assert_string_equal(fr.names[3], "symfix!main");
	assert_int_equal(fr.f[0].index, 0);
	assert_int_equal(fr.f[0].pc, r.r[REG_RIP]);
	assert_int_equal(fr.f[0].sp, r.r[REG_RSP]);
	assert_false(fr.f[0].is_return_address);
	/* level3 pushes nothing: its caller's sp is just past the return address */
	assert_int_equal(fr.f[1].sp, r.r[REG_RSP] + 8);
	for (int i = 1; i < n && i < 32; i++) {
		assert_int_equal(fr.f[i].index, i);
		assert_true(fr.f[i].is_return_address);
		assert_true(fr.f[i].sp > fr.f[i - 1].sp);
	}
	/* the caller of main is in libc */
	assert_int_equal(strncmp(fr.names[4], "libc_so!", 8), 0);

	/* max and callback stop */
	struct frames two = { 0 };
	assert_int_equal(sym_unwind(fx.st, &r, 0, 2, SYM_UNWIND_REGS, frame_cb, &two), 2);
	struct frames one = { .stop_after = 1 };
	assert_int_equal(sym_unwind(fx.st, &r, 0, 32, SYM_UNWIND_REGS, frame_cb, &one), 1);
	/* wrong architecture */
	assert_int_equal(sym_unwind(fx.st, &r, 1, 32, SYM_UNWIND_REGS, frame_cb, &one), -1);
}

/*
 * Registers of outer frames: sp and the return address always; a
 * caller-saved register never (libdw's own x86-64 defaults would claim
 * rax); a callee-saved register no frame saved keeps frame 0's value
 * (libdw's defaults would lose rbx).  Without SYM_UNWIND_REGS the same
 * frames come back with no registers.
 */
static void test_unwind_registers(void **state)
{
	struct regs r;
	assert_int_equal(get_regs(fx.pid, &r), 0);
	struct frames fr = { 0 }, bare = { 0 };
	int n = sym_unwind(fx.st, &r, 0, 32, SYM_UNWIND_REGS, frame_cb, &fr);
	assert_true(n >= 4);
	assert_int_equal(sym_unwind(fx.st, &r, 0, 32, 0, frame_cb, &bare), n);
	assert_int_equal(fr.f[0].valid, SYM_ALL_REGS);
	assert_memory_equal(&fr.f[0].regs, &r, sizeof(r));
	for (int i = 1; i < n && i < 32; i++) {
		const struct sym_frame *f = &fr.f[i];
		assert_int_equal(bare.f[i].pc, f->pc);
		assert_int_equal(bare.f[i].sp, f->sp);
		assert_int_equal(bare.f[i].valid, 0);
		assert_true(f->valid & (1u << 7));	/* rsp */
		assert_true(f->valid & (1u << 16));	/* rip */
		assert_int_equal(f->regs.r[REG_RSP], f->sp);
		assert_int_equal(f->regs.r[REG_RIP], f->pc);
		assert_false(f->valid & (1u << 0));	/* rax */
		assert_false(f->valid & (1u << 2));	/* rcx */
	}
	/* level3 and level2 save no callee-saved register (-O2, tiny bodies):
	 * rbx, r12-r15 of level1's frame are those of frame 0 */
	static const int saved[][2] = { { 3, REG_RBX }, { 12, REG_R12 }, { 13, REG_R13 }, { 14, REG_R14 },
					{ 15, REG_R15 } };
	for (size_t k = 0; k < sizeof(saved) / sizeof(saved[0]); k++) {
		assert_true(fr.f[2].valid & (1u << saved[k][0]));
		assert_int_equal(fr.f[2].regs.r[saved[k][1]], r.r[saved[k][1]]);
	}
}

struct fail_user {
	int calls;
};

static int failing_mem(void *user, uint64_t addr, void *buf, size_t n)
{
	((struct fail_user *)user)->calls++;
	return -1;
}

static void test_unwind_unreadable_stack(void **state)
{
	struct regs r;
	assert_int_equal(get_regs(fx.pid, &r), 0);
	struct frames fr = { 0 };
	struct fail_user fu = { 0 };
	/* Frame 0 needs no memory; nothing beyond it can be found. */
	fx.proc->mem = failing_mem;
	fx.proc->mem_user = &fu;
	int n = sym_unwind(fx.st, &r, 0, 32, SYM_UNWIND_REGS, frame_cb, &fr);
	fx.proc->mem = NULL;
	assert_int_equal(n, 1);
	assert_true(fu.calls > 0);
}

static int count_cb(void *user, const struct sym_module *mod, const char *name, uint64_t addr,
		    uint64_t size, int is_function)
{
	(*(int *)user)++;
	return 0;
}

static void test_corrupt_module(void **state)
{
	struct sym_module m;
	assert_int_equal(sym_module_by_name(fx.st, "corrupt_so", &m), 0);
	assert_string_equal(m.path, fx.corrupt);
	assert_false(m.has_dwarf);
	struct sbuf sb = { 0 };
	assert_int_equal(sym_describe(fx.st, m.start + 0x20, &sb), 0);
	assert_true(strncmp(sb_str(&sb), "corrupt_so", 10) == 0);
	sb_free(&sb);
	const char *file;
	int line;
	assert_int_equal(sym_source_line(fx.st, m.start + 0x20, &file, &line), -1);
	int count = 0;
	sym_enumerate(fx.st, "corrupt_so", "*", 0, count_cb, &count);
	uint64_t a;
	assert_int_equal(sym_lookup(fx.st, "corrupt_so!anything", &a), -1);
	/* every module, every query, no crash */
	for (int i = 0; i < sym_module_count(fx.st); i++) {
		assert_int_equal(sym_module_get(fx.st, i, &m), 0);
		struct sym_func b, af;
		sym_nearest(fx.st, m.start, &b, &af);
		sym_nearest(fx.st, m.end - 1, &b, &af);
	}
	assert_int_equal(sym_line_address(fx.st, "corrupt.c:1", &a), -1);
}

/* The 64-bit fixture execs the 32-bit one: the table follows the exec
 * (new image, new architecture) and unwinds i386 code. */
static void test_exec_i386(void **state)
{
	char bin[PATH_MAX];
	snprintf(bin, sizeof(bin), "%s/symfix32", fx.dir);
	if (run("cc -m32 -g -O2 -fomit-frame-pointer -o '%s' '%s' 2>/dev/null", bin, fx.src) != 0) {
		skip();
		return;
	}
	pid_t pid = spawn_stopped(fx.bin, "--exec", bin);
	assert_true(pid > 0);
	struct tproc proc = { .pid = pid };
	struct sym_table *st = open_table(&proc);
	assert_non_null(st);
	assert_true(has_module(st, "symfix"));
	assert_int_equal(cont_to_trap(pid), 0);	/* the exec of symfix32 */
	int changed = 0;
	assert_int_equal(sym_refresh(st, &changed), 0);
	assert_int_equal(changed, 1);
	assert_false(has_module(st, "symfix"));
	assert_true(has_module(st, "symfix32"));
	assert_true(has_module(st, "ld_linux_so"));
	assert_false(has_module(st, "libc_so"));
	assert_int_equal(cont_to_trap(pid), 0);	/* the int3 in level3 */
	assert_int_equal(sym_refresh(st, &changed), 0);
	assert_int_equal(changed, 1);
	assert_true(has_module(st, "libc_so"));
	assert_true(has_module(st, "linux_gate_so"));	/* the i386 vdso's soname */

	uint64_t base = map_base(pid, bin);
	uint64_t a = 0;
	assert_int_equal(sym_lookup(st, "level2", &a), 0);
	assert_int_equal(a, nm_value(bin, "level2", NULL) + base);
	assert_int_equal(sym_main_entry(st), elf_entry(bin) + base);

	struct regs r;
	assert_int_equal(get_regs(pid, &r), 0);
	struct frames fr = { 0 };
	int n = sym_unwind(st, &r, 1, 32, SYM_UNWIND_REGS, frame_cb, &fr);
	assert_true(n >= 4);
	name_frames(st, &fr);
	assert_string_equal(fr.names[0], "symfix32!level3");
	assert_string_equal(fr.names[1], "symfix32!level2");
	assert_string_equal(fr.names[2], "symfix32!level1");
	assert_string_equal(fr.names[3], "symfix32!main");
	assert_int_equal(fr.f[0].sp, r.r[REG_RSP]);
	for (int i = 1; i < n && i < 32; i++)
		assert_true(fr.f[i].sp > fr.f[i - 1].sp && fr.f[i].sp <= UINT32_MAX);
	assert_int_equal(sym_unwind(st, &r, 0, 32, SYM_UNWIND_REGS, frame_cb, &fr), -1);
	sym_close(st);
	kill_child(pid);
}

int main(void)
{
	/* Never let a test wait on the network for debug info. */
	unsetenv("DEBUGINFOD_URLS");
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_refresh),
		cmocka_unit_test(test_modules),
		cmocka_unit_test(test_lookup),
		cmocka_unit_test(test_describe),
		cmocka_unit_test(test_function_nearest),
		cmocka_unit_test(test_enumerate),
		cmocka_unit_test(test_source_line),
		cmocka_unit_test(test_line_address),
		cmocka_unit_test(test_main_entry),
		cmocka_unit_test(test_unwind),
		cmocka_unit_test(test_unwind_registers),
		cmocka_unit_test(test_unwind_unreadable_stack),
		cmocka_unit_test(test_corrupt_module),
		cmocka_unit_test(test_exec_i386),
	};
	return cmocka_run_group_tests(tests, group_setup, group_teardown);
}
