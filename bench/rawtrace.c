/*
 * rawtrace.c — W6, the physical floor: the least a ptrace tracer can do per
 * event on this machine, to compare dr7 and gdb against.
 *
 *   rawtrace cont PROG N             PROG executes int3 N times itself; the
 *                                    tracer only PTRACE_CONTs each SIGTRAP
 *   rawtrace bp-step SYM PROG N      int3 at SYM; each hit: GETREGS, rip-1,
 *                                    SETREGS, restore the byte, SINGLESTEP,
 *                                    re-insert, CONT (the classic step-over)
 *   rawtrace bp-emul SYM PROG N      int3 stays at SYM; each hit emulates the
 *                                    displaced instruction in the tracer and
 *                                    CONTs: one stop, no text writes
 *
 * PROG is run as "PROG N".  Prints "hits=H" and exits 0 only when PROG exited
 * with status 0; the harness compares H with what PROG should have produced.
 *
 * Invariants: the tracee runs with ASLR off (personality in the child, before
 * exec), so SYM's run-time address is the load base from /proc/PID/maps plus
 * its st_value from the ELF symbol table (read here, no nm needed).  The
 * tracee is killed if the tracer dies (PTRACE_O_EXITKILL).  bp-emul knows only
 * the first instructions a small function usually has — endbr64 and nop
 * (skipped), push %rbp, and mov disp32(%rip),r64 — and refuses anything else
 * rather than guess.
 */
#define _GNU_SOURCE
#include <elf.h>
#include <errno.h>
#include <fcntl.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <sys/personality.h>
#include <sys/ptrace.h>
#include <sys/stat.h>
#include <sys/user.h>
#include <sys/wait.h>
#include <unistd.h>

static void die(const char *what)
{
	fprintf(stderr, "rawtrace: %s: %s\n", what, strerror(errno));
	exit(2);
}

static void fail(const char *msg)
{
	fprintf(stderr, "rawtrace: %s\n", msg);
	exit(2);
}

/* st_value of a defined symbol in .symtab (or .dynsym); 0 when absent. */
static uint64_t elf_symbol(const char *path, const char *name, int *is_pie)
{
	int fd = open(path, O_RDONLY);
	if (fd < 0)
		die(path);
	struct stat st;
	if (fstat(fd, &st) < 0)
		die("fstat");
	if ((size_t)st.st_size < sizeof(Elf64_Ehdr))
		fail("not an ELF file");
	const uint8_t *m = mmap(NULL, (size_t)st.st_size, PROT_READ, MAP_PRIVATE, fd, 0);
	if (m == MAP_FAILED)
		die("mmap");
	close(fd);
	size_t size = (size_t)st.st_size;
	const Elf64_Ehdr *eh = (const Elf64_Ehdr *)m;
	if (memcmp(eh->e_ident, ELFMAG, SELFMAG) || eh->e_ident[EI_CLASS] != ELFCLASS64)
		fail("only 64-bit ELF programs are supported");
	*is_pie = eh->e_type == ET_DYN;
	if (eh->e_shoff == 0 || eh->e_shoff > size ||
	    (size - eh->e_shoff) / sizeof(Elf64_Shdr) < eh->e_shnum)
		fail("bad section table");
	const Elf64_Shdr *sh = (const Elf64_Shdr *)(m + eh->e_shoff);
	uint64_t found = 0;
	for (int pass = 0; pass < 2 && !found; pass++) {
		uint32_t want = pass == 0 ? SHT_SYMTAB : SHT_DYNSYM;
		for (unsigned i = 0; i < eh->e_shnum && !found; i++) {
			if (sh[i].sh_type != want || sh[i].sh_link >= eh->e_shnum)
				continue;
			const Elf64_Shdr *strs = &sh[sh[i].sh_link];
			if (sh[i].sh_offset > size || sh[i].sh_size > size - sh[i].sh_offset ||
			    strs->sh_offset > size || strs->sh_size > size - strs->sh_offset)
				continue;
			const Elf64_Sym *sym = (const Elf64_Sym *)(m + sh[i].sh_offset);
			size_t n = sh[i].sh_size / sizeof(Elf64_Sym);
			const char *str = (const char *)(m + strs->sh_offset);
			for (size_t k = 0; k < n; k++) {
				if (sym[k].st_name >= strs->sh_size || sym[k].st_shndx == SHN_UNDEF)
					continue;
				const char *s = str + sym[k].st_name;
				if (strnlen(s, strs->sh_size - sym[k].st_name) <
				    strs->sh_size - sym[k].st_name && !strcmp(s, name)) {
					found = sym[k].st_value;
					break;
				}
			}
		}
	}
	munmap((void *)m, size);
	return found;
}

/* Start address of the first mapping of the program's file (the load base). */
static uint64_t load_base(pid_t pid)
{
	char path[64], exe[4096], line[4608];
	snprintf(path, sizeof(path), "/proc/%d/exe", pid);
	ssize_t n = readlink(path, exe, sizeof(exe) - 1);
	if (n < 0)
		die("readlink exe");
	exe[n] = 0;
	snprintf(path, sizeof(path), "/proc/%d/maps", pid);
	FILE *f = fopen(path, "r");
	if (!f)
		die("maps");
	uint64_t base = 0;
	while (fgets(line, sizeof(line), f)) {
		unsigned long lo, off;
		int pos = 0;
		if (sscanf(line, "%lx-%*x %*s %lx %*s %*s %n", &lo, &off, &pos) < 2 || !pos)
			continue;
		char *file = line + pos;
		file[strcspn(file, "\n")] = 0;
		if (!strcmp(file, exe)) {
			base = lo - off;
			break;
		}
	}
	fclose(f);
	if (!base)
		fail("program not found in /proc/PID/maps");
	return base;
}

static int wait_stop(pid_t pid, int *status)
{
	while (waitpid(pid, status, 0) < 0) {
		if (errno != EINTR)
			die("waitpid");
	}
	return WIFSTOPPED(*status);
}

static long peek(pid_t pid, uint64_t addr)
{
	errno = 0;
	long v = ptrace(PTRACE_PEEKDATA, pid, (void *)addr, NULL);
	if (errno)
		die("PEEKDATA");
	return v;
}

static void poke(pid_t pid, uint64_t addr, long v)
{
	if (ptrace(PTRACE_POKEDATA, pid, (void *)addr, (void *)v) < 0)
		die("POKEDATA");
}

/* Register slot of a 64-bit general register number (ModRM reg + REX.R). */
static unsigned long long *reg_slot(struct user_regs_struct *r, int n)
{
	switch (n) {
	case 0: return &r->rax;
	case 1: return &r->rcx;
	case 2: return &r->rdx;
	case 3: return &r->rbx;
	case 4: return &r->rsp;
	case 5: return &r->rbp;
	case 6: return &r->rsi;
	case 7: return &r->rdi;
	case 8: return &r->r8;
	case 9: return &r->r9;
	case 10: return &r->r10;
	case 11: return &r->r11;
	case 12: return &r->r12;
	case 13: return &r->r13;
	case 14: return &r->r14;
	default: return &r->r15;
	}
}

enum displaced { DI_NONE, DI_SKIP, DI_PUSH_RBP, DI_MOV_RIP };

/* Classifies the displaced instruction; len is its length. */
static enum displaced classify(const uint8_t *b, int *len, int *reg, int32_t *disp)
{
	if (b[0] == 0xf3 && b[1] == 0x0f && b[2] == 0x1e && b[3] == 0xfa) {
		*len = 4;	/* endbr64: a no-op once the indirect branch is over */
		return DI_SKIP;
	}
	if (b[0] == 0x90) {
		*len = 1;
		return DI_SKIP;
	}
	if (b[0] == 0x55) {
		*len = 1;
		return DI_PUSH_RBP;
	}
	if ((b[0] == 0x48 || b[0] == 0x4c) && b[1] == 0x8b && (b[2] & 0xc7) == 0x05) {
		*len = 7;
		*reg = ((b[2] >> 3) & 7) | (b[0] == 0x4c ? 8 : 0);
		memcpy(disp, b + 3, 4);
		return DI_MOV_RIP;
	}
	return DI_NONE;
}

int main(int argc, char **argv)
{
	if (argc < 3) {
		fprintf(stderr, "usage: rawtrace cont PROG N | bp-step SYM PROG N | bp-emul SYM PROG N | watch SYM PROG N\n");
		return 2;
	}
	const char *mode = argv[1];
	int is_cont = !strcmp(mode, "cont");
	int is_step = !strcmp(mode, "bp-step");
	int is_emul = !strcmp(mode, "bp-emul");
	int is_watch = !strcmp(mode, "watch");	/* floor of a data breakpoint: DR0/DR7 + CONT */
	if (!is_cont && !is_step && !is_emul && !is_watch)
		fail("mode must be cont, bp-step, bp-emul or watch");
	if (argc != (is_cont ? 4 : 5))
		fail("wrong number of arguments");
	const char *sym = is_cont ? NULL : argv[2];
	const char *prog = argv[is_cont ? 2 : 3];
	const char *count = argv[is_cont ? 3 : 4];

	int is_pie = 0;
	uint64_t sym_value = sym ? elf_symbol(prog, sym, &is_pie) : 0;
	if (sym && !sym_value)
		fail("symbol not found in the program");

	pid_t pid = fork();
	if (pid < 0)
		die("fork");
	if (pid == 0) {
		personality(ADDR_NO_RANDOMIZE);
		if (ptrace(PTRACE_TRACEME, 0, NULL, NULL) < 0)
			_exit(126);
		execl(prog, prog, count, (char *)NULL);
		_exit(127);
	}
	int status;
	if (!wait_stop(pid, &status) || WSTOPSIG(status) != SIGTRAP)
		fail("program did not stop at exec");
	ptrace(PTRACE_SETOPTIONS, pid, NULL, (void *)(long)PTRACE_O_EXITKILL);

	uint64_t addr = 0;
	long orig = 0;
	uint8_t bytes[8];
	enum displaced kind = DI_NONE;
	int len = 0, reg = 0;
	int32_t disp = 0;
	if (sym && is_watch) {
		/* An 8-byte write watch in DR0: L0 enable, RW=01 (write), LEN=10 (8). */
		addr = sym_value + (is_pie ? load_base(pid) : 0);
		if (ptrace(PTRACE_POKEUSER, pid, offsetof(struct user, u_debugreg[0]), (void *)addr) < 0 ||
		    ptrace(PTRACE_POKEUSER, pid, offsetof(struct user, u_debugreg[7]),
			   (void *)(1L | (1L << 16) | (2L << 18))) < 0)
			die("POKEUSER debug registers");
	} else if (sym) {
		addr = sym_value + (is_pie ? load_base(pid) : 0);
		orig = peek(pid, addr);
		memcpy(bytes, &orig, sizeof(bytes));
		if (is_emul) {
			kind = classify(bytes, &len, &reg, &disp);
			if (kind == DI_NONE) {
				kill(pid, SIGKILL);
				fprintf(stderr, "rawtrace: cannot emulate the first instruction of %s "
					"(%02x %02x %02x %02x)\n", sym, bytes[0], bytes[1], bytes[2], bytes[3]);
				return 3;
			}
		}
		poke(pid, addr, (orig & ~0xffL) | 0xcc);
	}

	long hits = 0;
	int sig = 0;
	for (;;) {
		if (ptrace(PTRACE_CONT, pid, NULL, (void *)(long)sig) < 0)
			die("CONT");
		sig = 0;
		if (!wait_stop(pid, &status))
			break;
		if (WSTOPSIG(status) != SIGTRAP) {
			sig = WSTOPSIG(status);
			continue;
		}
		hits++;
		if (is_cont || is_watch)
			continue;
		struct user_regs_struct r;
		if (ptrace(PTRACE_GETREGS, pid, NULL, &r) < 0)
			die("GETREGS");
		if (r.rip - 1 != addr)
			fail("SIGTRAP away from the breakpoint");
		if (is_step) {
			r.rip = addr;
			if (ptrace(PTRACE_SETREGS, pid, NULL, &r) < 0)
				die("SETREGS");
			poke(pid, addr, orig);
			if (ptrace(PTRACE_SINGLESTEP, pid, NULL, NULL) < 0)
				die("SINGLESTEP");
			if (!wait_stop(pid, &status) || WSTOPSIG(status) != SIGTRAP)
				fail("single-step did not trap");
			poke(pid, addr, (orig & ~0xffL) | 0xcc);
			continue;
		}
		r.rip = addr + (uint64_t)len;
		if (kind == DI_PUSH_RBP) {
			r.rsp -= 8;
			poke(pid, r.rsp, (long)r.rbp);
		} else if (kind == DI_MOV_RIP) {
			*reg_slot(&r, reg) = (unsigned long long)peek(pid, r.rip + (uint64_t)(int64_t)disp);
		}
		if (ptrace(PTRACE_SETREGS, pid, NULL, &r) < 0)
			die("SETREGS");
	}
	printf("hits=%ld\n", hits);
	if (!WIFEXITED(status)) {
		fprintf(stderr, "rawtrace: program died with signal %d\n",
			WIFSIGNALED(status) ? WTERMSIG(status) : -1);
		return 1;
	}
	return WEXITSTATUS(status) == 0 ? 0 : 1;
}
