/*
 * sym.c — modules, symbols, source lines and unwinding of one live process:
 * a facade over elfutils' libdwfl (contract in sym.h).
 *
 * Ownership.  One Dwfl per process image; it is rebuilt only when the
 * process execs a different file.  Every Dwfl_Module carries our record
 * (struct smod) in its libdwfl userdata slot, so the record dies exactly when
 * libdwfl drops the module (the removed callback of dwfl_report_end), and
 * symbol names, which point into libelf's string tables, never outlive their
 * ELF.  Nothing is read before it is asked for: a module's symbol table on
 * the first symbol question about it, its name index on the first lookup by
 * name, its DWARF on the first source-line question (libdw itself is lazy
 * per CU).
 *
 * Invariants: st->mods lists the ELF modules only, in load order (the
 * dynamic linker's link_map order when it can be read, else address order)
 * with the main program first; their WinDbg names are unique ignoring case.
 * A module's symbol array is sorted by address, then by display preference.
 *
 * libdwfl never ptraces here: the debugger already traces the process, so
 * unwinding uses our own Dwfl_Thread_Callbacks whose memory reads go through
 * the caller's sym_mem_fn (which hides breakpoint bytes).
 */
#define _GNU_SOURCE
#include "sym/sym.h"

#include <ctype.h>
#include <dwarf.h>
#include <elfutils/libdw.h>
#include <elfutils/libdwfl.h>
#include <errno.h>
#include <fcntl.h>
#include <gelf.h>
#include <limits.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <sys/stat.h>
#include <sys/uio.h>
#include <unistd.h>

/* One ELF symbol as dr7 uses it; addresses are runtime addresses. */
struct ssym {
	const char *name;
	uint64_t addr;
	uint64_t size;
	uint64_t end;		/* first address not covered (size 0: next symbol or section end) */
	uint64_t maxend;	/* largest end among this and all earlier entries */
	uint8_t type;		/* STT_* */
	uint8_t bind;		/* STB_* */
	uint8_t hidden_ver;	/* was "name@VERSION": a non-default symbol version */
};

/* Strings we own (symbol names with their "@VERSION" cut off). */
struct arena {
	struct arena *next;
	size_t used, cap;
	char data[];
};

struct smod {
	Dwfl_Module *dm;
	int is_elf;		/* 0: a mapped file that is not ELF; never listed */
	char *base;		/* name per windbg-commands.md §11.4, before de-duplication */
	char *name;		/* unique WinDbg name */
	char *path;
	uint64_t start, end, bias;
	uint64_t entry;		/* e_entry + bias, 0 when none */
	uint64_t dyn, dynsz;	/* PT_DYNAMIC (runtime address) */
	long order;

	int info_done, has_dwarf, has_symtab;

	int syms_read;
	struct ssym *syms;
	size_t nsyms;
	struct arena *names;
	uint32_t *hash;		/* name index: slot = symbol index + 1, 0 = empty */
	size_t hmask;
};

struct unwind_ctx {
	pid_t tid;
	const struct regs *regs;
	int is32;
	sym_mem_fn read_mem;
	void *mem_user;
	int max;
	sym_frame_fn fn;
	void *user;
	int count;
	uint64_t last_pc, last_sp;
};

struct sym_table {
	pid_t pid;
	Dwfl *dwfl;
	int exe_fd;
	Elf *exe_elf;		/* keeps the arch of the attached state alive */
	dev_t exe_dev;
	ino_t exe_ino;
	int is32;
	int attached;		/* dwfl_attach_state done */
	uint64_t at_entry;

	struct smod **mods;	/* listed modules, load order */
	int nmods;
	struct smod *main;
	int removed_any;	/* set by the removed callback during a refresh */

	struct unwind_ctx *uw;	/* the unwind in progress, for the callbacks */
};

/* Search path NULL: libdwfl's default (.debug dirs, /usr/lib/debug, build-id). */
static char *debuginfo_path;

static const Dwfl_Callbacks proc_callbacks = {
	.find_elf = dwfl_linux_proc_find_elf,
	.find_debuginfo = dwfl_standard_find_debuginfo,
	.debuginfo_path = &debuginfo_path,
};

/* ---- small helpers ---- */

static int proc_read(pid_t pid, uint64_t addr, void *buf, size_t n)
{
	struct iovec local = { buf, n };
	struct iovec remote = { (void *)(uintptr_t)addr, n };
	return process_vm_readv(pid, &local, 1, &remote, 1, 0) == (ssize_t)n ? 0 : -1;
}

static int file_is_elf(const char *path)
{
	struct stat sb;
	if (stat(path, &sb) != 0 || !S_ISREG(sb.st_mode))
		return 0;
	int fd = open(path, O_RDONLY | O_CLOEXEC);
	if (fd < 0)
		return 0;
	char magic[SELFMAG];
	int ok = pread(fd, magic, SELFMAG, 0) == SELFMAG && memcmp(magic, ELFMAG, SELFMAG) == 0;
	close(fd);
	return ok;
}

/* Which of .symtab and DWARF (.debug_info) an ELF file has, from its
 * section headers only: cheap, unlike opening (decompressing) the DWARF. */
static void elf_sections(Elf *elf, int *symtab, int *dwarf)
{
	size_t shstrndx;
	if (!elf || elf_getshdrstrndx(elf, &shstrndx) != 0)
		return;
	Elf_Scn *scn = NULL;
	while ((scn = elf_nextscn(elf, scn)) != NULL) {
		GElf_Shdr sh;
		if (!gelf_getshdr(scn, &sh))
			continue;
		if (sh.sh_type == SHT_SYMTAB)
			*symtab = 1;
		const char *name = elf_strptr(elf, shstrndx, sh.sh_name);
		if (name && sh.sh_type != SHT_NOBITS
		    && (strcmp(name, ".debug_info") == 0 || strcmp(name, ".zdebug_info") == 0))
			*dwarf = 1;
	}
}

static void file_sections(const char *path, int *symtab, int *dwarf)
{
	int fd = open(path, O_RDONLY | O_CLOEXEC);
	if (fd < 0)
		return;
	Elf *elf = elf_begin(fd, ELF_C_READ_MMAP, NULL);
	if (elf && elf_kind(elf) == ELF_K_ELF)
		elf_sections(elf, symtab, dwarf);
	if (elf)
		elf_end(elf);
	close(fd);
}

/* DT_SONAME from the section headers, or NULL. */
static const char *elf_soname(Elf *elf)
{
	Elf_Scn *scn = NULL;
	while ((scn = elf_nextscn(elf, scn)) != NULL) {
		GElf_Shdr sh;
		if (!gelf_getshdr(scn, &sh) || sh.sh_type != SHT_DYNAMIC || sh.sh_entsize == 0)
			continue;
		Elf_Data *data = elf_getdata(scn, NULL);
		if (!data)
			return NULL;
		size_t n = data->d_size / sh.sh_entsize;
		for (size_t i = 0; i < n; i++) {
			GElf_Dyn dyn;
			if (!gelf_getdyn(data, (int)i, &dyn) || dyn.d_tag == DT_NULL)
				break;
			if (dyn.d_tag == DT_SONAME)
				return elf_strptr(elf, sh.sh_link, dyn.d_un.d_val);
		}
		return NULL;
	}
	return NULL;
}

/* windbg-commands.md §11.4: SONAME else basename, drop the last ".suffix",
 * anything outside [A-Za-z0-9_] becomes '_'. */
static char *module_base_name(Elf *elf, const char *path, int is_vdso)
{
	const char *src = elf ? elf_soname(elf) : NULL;
	size_t len;
	if (src && *src) {
		len = strlen(src);
	} else if (is_vdso) {
		src = "linux-vdso.so.1";
		len = strlen(src);
	} else {
		const char *slash = strrchr(path, '/');
		src = slash ? slash + 1 : path;
		len = strlen(src);
		static const char deleted[] = " (deleted)";
		size_t dl = sizeof(deleted) - 1;
		if (len > dl && strcmp(src + len - dl, deleted) == 0)
			len -= dl;
	}
	const char *dot = NULL;
	for (size_t i = 1; i < len; i++)
		if (src[i] == '.')
			dot = src + i;
	if (dot)
		len = (size_t)(dot - src);
	if (len == 0)
		return xstrdup("module");
	char *out = xstrndup(src, len);
	for (char *p = out; *p; p++)
		if (!isalnum((unsigned char)*p) && *p != '_')
			*p = '_';
	return out;
}

/* ---- per-module records ---- */

static const char *arena_strndup(struct arena **head, const char *s, size_t n)
{
	struct arena *a = *head;
	if (!a || a->cap - a->used < n + 1) {
		size_t cap = n + 1 > 16384 ? n + 1 : 16384;
		a = xmalloc(sizeof(*a) + cap);
		a->next = *head;
		a->used = 0;
		a->cap = cap;
		*head = a;
	}
	char *p = a->data + a->used;
	memcpy(p, s, n);
	p[n] = 0;
	a->used += n + 1;
	return p;
}

static void arena_free(struct arena *a)
{
	while (a) {
		struct arena *next = a->next;
		free(a);
		a = next;
	}
}

static void smod_free(struct smod *m)
{
	if (!m)
		return;
	arena_free(m->names);
	free(m->base);
	free(m->name);
	free(m->path);
	free(m->syms);
	free(m->hash);
	free(m);
}

static struct smod *smod_new(Dwfl_Module *dm)
{
	Dwarf_Addr lo = 0, hi = 0;
	const char *dname = dwfl_module_info(dm, NULL, &lo, &hi, NULL, NULL, NULL, NULL);
	if (!dname)
		dname = "";
	struct smod *m = xcalloc(1, sizeof(*m));
	m->dm = dm;
	m->start = lo;
	m->end = hi;
	int is_vdso = strncmp(dname, "[vdso", 5) == 0;
	m->path = xstrdup(is_vdso ? "[vdso]" : dname);

	GElf_Addr bias = 0;
	Elf *elf = dwfl_module_getelf(dm, &bias);
	if (elf && elf_kind(elf) != ELF_K_ELF)
		elf = NULL;
	m->is_elf = elf != NULL || is_vdso || (dname[0] == '/' && file_is_elf(dname));
	if (elf) {
		m->bias = bias;
		GElf_Ehdr eh;
		if (gelf_getehdr(elf, &eh) && eh.e_entry)
			m->entry = eh.e_entry + bias;
		size_t nph = 0;
		uint64_t load_end = 0;
		if (elf_getphdrnum(elf, &nph) != 0)
			nph = 0;
		for (size_t i = 0; i < nph; i++) {
			GElf_Phdr ph;
			if (!gelf_getphdr(elf, (int)i, &ph))
				continue;
			if (ph.p_type == PT_LOAD && ph.p_vaddr + ph.p_memsz + bias > load_end)
				load_end = ph.p_vaddr + ph.p_memsz + bias;
			else if (ph.p_type == PT_DYNAMIC) {
				m->dyn = ph.p_vaddr + bias;
				m->dynsz = ph.p_memsz;
			}
		}
		/* WinDbg's end is the end of the highest segment in memory (bss
		 * included), not the page-rounded end of the file mapping.  A
		 * corrupt header may claim anything: only believe a sane value. */
		if (load_end > lo && load_end - lo <= (hi - lo) + (1ULL << 32))
			m->end = load_end;
	}
	m->base = module_base_name(elf, dname, is_vdso);
	return m;
}

static int sym_type_class(const struct ssym *s)
{
	return s->type == STT_NOTYPE;
}

static int sym_bind_class(const struct ssym *s)
{
	if (s->bind == STB_GLOBAL || s->bind == STB_GNU_UNIQUE)
		return 0;
	return s->bind == STB_WEAK ? 1 : 2;
}

static int leading_underscores(const char *s)
{
	int n = 0;
	while (s[n] == '_' && n < 8)
		n++;
	return n;
}

/* Address order; at one address the best display name first: a typed
 * symbol, a default symbol version, fewer leading underscores (malloc
 * before __libc_malloc), a sized one, global before weak before local, then
 * by name for determinism. */
static int ssym_cmp(const void *pa, const void *pb)
{
	const struct ssym *a = pa, *b = pb;
	if (a->addr != b->addr)
		return a->addr < b->addr ? -1 : 1;
	int d = sym_type_class(a) - sym_type_class(b);
	if (!d)
		d = a->hidden_ver - b->hidden_ver;
	if (!d)
		d = leading_underscores(a->name) - leading_underscores(b->name);
	if (!d)
		d = (a->size == 0) - (b->size == 0);
	if (!d)
		d = sym_bind_class(a) - sym_bind_class(b);
	if (!d)
		d = strcmp(a->name, b->name);
	return d;
}

static void smod_load_syms(struct smod *m)
{
	if (m->syms_read)
		return;
	m->syms_read = 1;
	int n = dwfl_module_getsymtab(m->dm);
	if (n <= 0)
		return;
	struct ssym *v = xcalloc((size_t)n, sizeof(*v));
	size_t k = 0;
	for (int i = 0; i < n; i++) {
		GElf_Sym s;
		GElf_Addr addr = 0;
		GElf_Word shndx = 0;
		Elf *elf = NULL;
		Dwarf_Addr bias = 0;
		const char *name = dwfl_module_getsym_info(m->dm, i, &s, &addr, &shndx, &elf, &bias);
		/* '.'/'$' names are assembler or annotation labels (.annobin_*),
		 * never what a user means, and they would shadow functions. */
		if (!name || !*name || name[0] == '.' || name[0] == '$')
			continue;
		int type = GELF_ST_TYPE(s.st_info);
		if (type != STT_FUNC && type != STT_GNU_IFUNC && type != STT_OBJECT && type != STT_NOTYPE)
			continue;
		if (shndx == SHN_UNDEF || shndx == SHN_ABS || shndx == SHN_COMMON)
			continue;
		if (addr < m->start || addr >= m->end)
			continue;
		/* Section end bounds a size-0 symbol (an assembler label). */
		uint64_t sec_end = addr;
		Elf_Scn *scn = elf ? elf_getscn(elf, shndx) : NULL;
		GElf_Shdr sh;
		if (scn && gelf_getshdr(scn, &sh) && (sh.sh_flags & SHF_ALLOC))
			sec_end = sh.sh_addr + sh.sh_size + bias;
		struct ssym *o = &v[k++];
		/* .symtab spells versioned symbols "memcpy@@GLIBC_2.14" (default)
		 * or "memcpy@GLIBC_2.2.5"; users type and expect "memcpy". */
		const char *at = strchr(name, '@');
		if (at && at != name) {
			o->hidden_ver = at[1] != '@';
			name = arena_strndup(&m->names, name, (size_t)(at - name));
		}
		o->name = name;
		o->addr = addr;
		o->size = s.st_size;
		o->end = sec_end;	/* provisional, see below */
		o->type = (uint8_t)type;
		o->bind = (uint8_t)GELF_ST_BIND(s.st_info);
	}
	if (k == 0) {
		free(v);
		return;
	}
	qsort(v, k, sizeof(*v), ssym_cmp);
	uint64_t next = UINT64_MAX;	/* start of the next higher address */
	for (size_t i = k; i-- > 0;) {
		struct ssym *s = &v[i];
		if (i + 1 < k && v[i + 1].addr > s->addr)
			next = v[i + 1].addr;
		if (s->size) {
			s->end = s->addr + s->size < s->addr ? UINT64_MAX : s->addr + s->size;
		} else {
			uint64_t e = s->end < next ? s->end : next;
			s->end = e > s->addr ? e : s->addr;
		}
		if (s->end > m->end)	/* a corrupt size must not cover other modules */
			s->end = m->end;
	}
	uint64_t mx = 0;
	for (size_t i = 0; i < k; i++) {
		if (v[i].end > mx)
			mx = v[i].end;
		v[i].maxend = mx;
	}
	m->syms = v;
	m->nsyms = k;
}

static uint32_t name_hash(const char *s)
{
	uint32_t h = 2166136261u;
	for (; *s; s++) {
		h ^= (uint8_t)tolower((unsigned char)*s);
		h *= 16777619u;
	}
	return h;
}

static void smod_build_hash(struct smod *m)
{
	smod_load_syms(m);
	if (m->hash || m->nsyms == 0 || m->nsyms > UINT32_MAX / 4)
		return;
	size_t cap = 16;
	while (cap < m->nsyms * 2)
		cap <<= 1;
	m->hash = xcalloc(cap, sizeof(*m->hash));
	m->hmask = cap - 1;
	for (size_t i = 0; i < m->nsyms; i++) {
		size_t h = name_hash(m->syms[i].name) & m->hmask;
		while (m->hash[h])
			h = (h + 1) & m->hmask;
		m->hash[h] = (uint32_t)(i + 1);
	}
}

/* Preference among symbols of one name: a real address, the default
 * version of a versioned symbol, a typed symbol,
 * global before weak before local, then the lower address. */
static int lookup_better(const struct ssym *a, const struct ssym *b)
{
	if ((a->addr != 0) != (b->addr != 0))
		return a->addr != 0;
	if (a->hidden_ver != b->hidden_ver)
		return b->hidden_ver;
	if (sym_type_class(a) != sym_type_class(b))
		return sym_type_class(a) < sym_type_class(b);
	if (sym_bind_class(a) != sym_bind_class(b))
		return sym_bind_class(a) < sym_bind_class(b);
	return a->addr < b->addr;
}

static const struct ssym *smod_find(struct smod *m, const char *name, int exact)
{
	smod_build_hash(m);
	if (!m->hash)
		return NULL;
	const struct ssym *best = NULL;
	for (size_t h = name_hash(name) & m->hmask; m->hash[h]; h = (h + 1) & m->hmask) {
		const struct ssym *s = &m->syms[m->hash[h] - 1];
		if (strcasecmp(s->name, name) != 0 || (exact && strcmp(s->name, name) != 0))
			continue;
		if (!best || lookup_better(s, best))
			best = s;
	}
	return best;
}

/* Index of the first symbol above addr. */
static size_t smod_upper(const struct smod *m, uint64_t addr)
{
	size_t lo = 0, hi = m->nsyms;
	while (lo < hi) {
		size_t mid = lo + (hi - lo) / 2;
		if (m->syms[mid].addr <= addr)
			lo = mid + 1;
		else
			hi = mid;
	}
	return lo;
}

static int ssym_covers(const struct ssym *s, uint64_t addr)
{
	return s->addr == addr || (s->addr < addr && addr < s->end);
}

/* The innermost symbol covering addr (greatest start), best name first. */
static const struct ssym *smod_cover(struct smod *m, uint64_t addr)
{
	smod_load_syms(m);
	size_t i = smod_upper(m, addr);
	while (i > 0) {
		i--;
		const struct ssym *s = &m->syms[i];
		if (s->maxend <= addr && s->addr != addr)
			break;
		if (!ssym_covers(s, addr))
			continue;
		size_t j = i;
		while (j > 0 && m->syms[j - 1].addr == s->addr)
			j--;
		for (; j <= i; j++)
			if (ssym_covers(&m->syms[j], addr))
				return &m->syms[j];
	}
	return NULL;
}

/*
 * has_dwarf / has_symtab without opening the DWARF, which for a big module
 * with compressed sections costs tens of milliseconds: look at the section
 * headers of the main file and of the separate debug file that libdwfl
 * located while reading the symbol table.
 */
static void smod_info(struct smod *m)
{
	if (m->info_done)
		return;
	m->info_done = 1;
	GElf_Addr bias = 0;
	Elf *elf = dwfl_module_getelf(m->dm, &bias);
	int main_symtab = 0;
	elf_sections(elf, &main_symtab, &m->has_dwarf);
	m->has_symtab = main_symtab;
	if (m->has_dwarf && m->has_symtab)
		return;
	/* Without a .symtab of its own, reading the symbols made libdwfl look
	 * for the debug file. */
	smod_load_syms(m);
	const char *mainfile = NULL, *debugfile = NULL;
	dwfl_module_info(m->dm, NULL, NULL, NULL, NULL, NULL, &mainfile, &debugfile);
	if (debugfile && (!mainfile || strcmp(debugfile, mainfile) != 0)) {
		file_sections(debugfile, &m->has_symtab, &m->has_dwarf);
		return;
	}
	if (!m->has_dwarf && main_symtab && elf) {
		/* The search was skipped: ask for the DWARF itself (cheap when
		 * there is none). */
		Dwarf_Addr dbias = 0;
		Dwarf *dw = dwfl_module_getdwarf(m->dm, &dbias);
		m->has_dwarf = dw != NULL;
	}
}

static void smod_fill(struct smod *m, struct sym_module *out)
{
	smod_info(m);
	out->name = m->name;
	out->path = m->path;
	out->start = m->start;
	out->end = m->end;
	out->bias = m->bias;
	out->has_dwarf = m->has_dwarf;
	out->has_symtab = m->has_symtab;
}

/* ---- the module list ---- */

static int cb_free_userdata(Dwfl_Module *dm, void **ud, const char *name, Dwarf_Addr start,
			    void *arg)
{
	smod_free(*ud);
	*ud = NULL;
	return DWARF_CB_OK;
}

static void table_drop_dwfl(struct sym_table *st)
{
	if (st->dwfl) {
		dwfl_getmodules(st->dwfl, cb_free_userdata, NULL, 0);
		dwfl_end(st->dwfl);
		st->dwfl = NULL;
	}
	if (st->exe_elf)
		elf_end(st->exe_elf);
	st->exe_elf = NULL;
	if (st->exe_fd >= 0)
		close(st->exe_fd);
	st->exe_fd = -1;
	st->attached = 0;
	st->nmods = 0;
	st->main = NULL;
}

static const Dwfl_Thread_Callbacks thread_callbacks;

static void table_attach(struct sym_table *st)
{
	if (st->attached || !st->dwfl)
		return;
	/* With the exe's Elf the arch is known before any module is; with NULL
	 * libdwfl takes it from some module. */
	if (dwfl_attach_state(st->dwfl, st->exe_elf, st->pid, &thread_callbacks, st))
		st->attached = 1;
}

/* A fresh Dwfl for the current process image. */
static int table_new_dwfl(struct sym_table *st, const struct stat *exe)
{
	table_drop_dwfl(st);
	st->dwfl = dwfl_begin(&proc_callbacks);
	if (!st->dwfl)
		return err_set("libdwfl: %s", dwfl_errmsg(-1));
	st->exe_dev = exe->st_dev;
	st->exe_ino = exe->st_ino;

	char path[64];
	snprintf(path, sizeof(path), "/proc/%d/exe", (int)st->pid);
	st->exe_fd = open(path, O_RDONLY | O_CLOEXEC);
	st->is32 = 0;
	if (st->exe_fd >= 0) {
		unsigned char id[EI_NIDENT];
		if (pread(st->exe_fd, id, sizeof(id), 0) == (ssize_t)sizeof(id)
		    && memcmp(id, ELFMAG, SELFMAG) == 0)
			st->is32 = id[EI_CLASS] == ELFCLASS32;
		st->exe_elf = elf_begin(st->exe_fd, ELF_C_READ_MMAP, NULL);
		if (st->exe_elf && elf_kind(st->exe_elf) != ELF_K_ELF) {
			elf_end(st->exe_elf);
			st->exe_elf = NULL;
		}
	}

	/* AT_ENTRY, for sym_main_entry when the main ELF is unreadable. */
	st->at_entry = 0;
	snprintf(path, sizeof(path), "/proc/%d/auxv", (int)st->pid);
	int fd = open(path, O_RDONLY | O_CLOEXEC);
	if (fd >= 0) {
		unsigned char buf[4096];
		ssize_t got = read(fd, buf, sizeof(buf));
		close(fd);
		size_t w = st->is32 ? 4 : 8;
		for (ssize_t off = 0; got > 0 && off + (ssize_t)(2 * w) <= got; off += (ssize_t)(2 * w)) {
			uint64_t key = 0, val = 0;
			memcpy(&key, buf + off, w);
			memcpy(&val, buf + off + w, w);
			if (key == AT_NULL)
				break;
			if (key == AT_ENTRY)
				st->at_entry = val;
		}
	}
	/* Attached before the first report so that libdwfl can read deleted
	 * files from memory (it needs the pid for that). */
	if (st->exe_elf)
		table_attach(st);
	return 0;
}

static int cb_removed(Dwfl_Module *dm, void *ud, const char *name, Dwarf_Addr base, void *arg)
{
	struct sym_table *st = arg;
	void **slot = ud;
	struct smod *m = *slot;
	if (m) {
		if (m->is_elf)
			st->removed_any = 1;
		smod_free(m);
		*slot = NULL;
	}
	return 0;
}

struct collect {
	struct sym_table *st;
	struct smod **v;
	int n, cap;
	int added;
};

static int cb_collect(Dwfl_Module *dm, void **ud, const char *name, Dwarf_Addr start, void *arg)
{
	struct collect *c = arg;
	if (!*ud) {
		*ud = smod_new(dm);
		if (((struct smod *)*ud)->is_elf)
			c->added = 1;
	}
	struct smod *m = *ud;
	if (!m->is_elf)
		return DWARF_CB_OK;
	if (c->n == c->cap) {
		c->cap = c->cap ? c->cap * 2 : 32;
		c->v = xrealloc(c->v, (size_t)c->cap * sizeof(*c->v));
	}
	m->order = LONG_MAX / 2 + c->n;	/* address order unless link_map says otherwise */
	c->v[c->n++] = m;
	return DWARF_CB_OK;
}

static struct smod *mod_containing(struct smod **v, int n, uint64_t addr)
{
	for (int i = 0; i < n; i++)
		if (addr >= v[i]->start && addr < v[i]->end)
			return v[i];
	return NULL;
}

/* Load order from the dynamic linker's list: main's DT_DEBUG -> r_debug ->
 * link_map chain, each entry matched to a module by its l_ld address. */
static void order_by_link_map(struct sym_table *st, struct smod **v, int n)
{
	struct smod *mainm = st->main;
	if (!mainm || !mainm->dyn || !mainm->dynsz)
		return;
	size_t w = st->is32 ? 4 : 8;
	size_t dynsz = mainm->dynsz < 65536 ? mainm->dynsz : 65536;
	unsigned char *dyn = xmalloc(dynsz);
	uint64_t rdebug = 0;
	if (proc_read(st->pid, mainm->dyn, dyn, dynsz) == 0) {
		for (size_t off = 0; off + 2 * w <= dynsz; off += 2 * w) {
			uint64_t tag = 0, val = 0;
			memcpy(&tag, dyn + off, w);
			memcpy(&val, dyn + off + w, w);
			if (tag == DT_NULL)
				break;
			if (tag == DT_DEBUG)
				rdebug = val;
		}
	}
	free(dyn);
	if (!rdebug)
		return;
	uint64_t lm = 0;
	if (proc_read(st->pid, rdebug + w, &lm, w) != 0)	/* r_map follows int r_version */
		return;
	for (long k = 0; lm && k < 4096; k++) {
		uint64_t ent[4] = { 0, 0, 0, 0 };	/* l_addr, l_name, l_ld, l_next */
		unsigned char raw[32];
		if (proc_read(st->pid, lm, raw, 4 * w) != 0)
			break;
		for (int i = 0; i < 4; i++)
			memcpy(&ent[i], raw + i * w, w);
		struct smod *m = mod_containing(v, n, ent[2]);
		if (m && m->order >= LONG_MAX / 2)
			m->order = k;
		if (ent[3] == lm)
			break;
		lm = ent[3];
	}
}

static int smod_order_cmp(const void *pa, const void *pb)
{
	const struct smod *a = *(struct smod *const *)pa, *b = *(struct smod *const *)pb;
	return (a->order > b->order) - (a->order < b->order);
}

static void table_relist(struct sym_table *st, struct collect *c)
{
	struct smod **v = c->v;
	int n = c->n;
	/* The main program: the module mapped from /proc/PID/exe, else the one
	 * holding AT_ENTRY, else the lowest. */
	st->main = NULL;
	char link[64], exe[PATH_MAX];
	snprintf(link, sizeof(link), "/proc/%d/exe", (int)st->pid);
	ssize_t len = readlink(link, exe, sizeof(exe) - 1);
	if (len > 0) {
		exe[len] = 0;
		for (int i = 0; i < n && !st->main; i++)
			if (strcmp(v[i]->path, exe) == 0)
				st->main = v[i];
	}
	if (!st->main && st->at_entry)
		st->main = mod_containing(v, n, st->at_entry);
	if (!st->main && n > 0)
		st->main = v[0];

	order_by_link_map(st, v, n);
	if (st->main)
		st->main->order = -1;
	qsort(v, (size_t)n, sizeof(*v), smod_order_cmp);

	for (int i = 0; i < n; i++) {
		free(v[i]->name);
		v[i]->name = NULL;
	}
	for (int i = 0; i < n; i++) {
		int dup = 0;
		for (int j = 0; j < i && !dup; j++)
			dup = strcasecmp(v[j]->name, v[i]->base) == 0;
		if (dup) {
			struct sbuf sb = { 0 };
			sb_addf(&sb, "%s_%llx", v[i]->base, (unsigned long long)v[i]->start);
			v[i]->name = xstrdup(sb_str(&sb));
			sb_free(&sb);
		} else {
			v[i]->name = xstrdup(v[i]->base);
		}
	}
	free(st->mods);
	st->mods = v;
	st->nmods = n;
	c->v = NULL;
}

int sym_refresh(struct sym_table *st, int *changed)
{
	if (changed)
		*changed = 0;
	if (!st)
		return err_set("No symbol table");
	char path[64];
	snprintf(path, sizeof(path), "/proc/%d/exe", (int)st->pid);
	struct stat exe;
	if (stat(path, &exe) != 0)
		return err_set("Cannot read modules of process %d: %s", (int)st->pid, strerror(errno));
	int fresh = 0;
	if (!st->dwfl || exe.st_dev != st->exe_dev || exe.st_ino != st->exe_ino) {
		if (table_new_dwfl(st, &exe) != 0)
			return -1;
		fresh = 1;
	}

	st->removed_any = 0;
	dwfl_report_begin(st->dwfl);
	int rc = dwfl_linux_proc_report(st->dwfl, st->pid);
	/* Always end the report: the Dwfl is unusable until then. */
	dwfl_report_end(st->dwfl, cb_removed, st);

	struct collect c = { st, NULL, 0, 0, 0 };
	dwfl_getmodules(st->dwfl, cb_collect, &c, 0);
	table_relist(st, &c);
	if (changed)
		*changed = fresh || c.added || st->removed_any;
	if (rc != 0)
		return err_set("Cannot read modules of process %d: %s", (int)st->pid,
			       rc > 0 ? strerror(rc) : dwfl_errmsg(-1));
	return 0;
}

struct sym_table *sym_open(pid_t pid)
{
	elf_version(EV_CURRENT);
	struct sym_table *st = xcalloc(1, sizeof(*st));
	st->pid = pid;
	st->exe_fd = -1;
	if (sym_refresh(st, NULL) != 0 && st->nmods == 0) {
		sym_close(st);
		return NULL;
	}
	return st;
}

void sym_close(struct sym_table *st)
{
	if (!st)
		return;
	table_drop_dwfl(st);
	free(st->mods);
	free(st);
}

int sym_module_count(struct sym_table *st)
{
	return st ? st->nmods : 0;
}

int sym_module_get(struct sym_table *st, int i, struct sym_module *out)
{
	if (!st || i < 0 || i >= st->nmods)
		return err_set("No module %d", i);
	smod_fill(st->mods[i], out);
	return 0;
}

static struct smod *table_mod_at(struct sym_table *st, uint64_t addr)
{
	return st ? mod_containing(st->mods, st->nmods, addr) : NULL;
}

int sym_module_at(struct sym_table *st, uint64_t addr, struct sym_module *out)
{
	struct smod *m = table_mod_at(st, addr);
	if (!m)
		return err_set("No module at %llx", (unsigned long long)addr);
	smod_fill(m, out);
	return 0;
}

static struct smod *table_mod_named(struct sym_table *st, const char *name, size_t len)
{
	for (int i = 0; st && i < st->nmods; i++)
		if (strlen(st->mods[i]->name) == len && strncasecmp(st->mods[i]->name, name, len) == 0)
			return st->mods[i];
	return NULL;
}

int sym_module_by_name(struct sym_table *st, const char *name, struct sym_module *out)
{
	struct smod *m = name ? table_mod_named(st, name, strlen(name)) : NULL;
	if (!m)
		return err_set("No module named '%s'", name ? name : "");
	smod_fill(m, out);
	return 0;
}

/* ---- symbols ---- */

int sym_lookup(struct sym_table *st, const char *name, uint64_t *addr)
{
	if (!name)
		return err_set("Couldn't resolve error at ''");
	const char *bang = strchr(name, '!');
	const char *sym = bang ? bang + 1 : name;
	struct smod *only = NULL;
	if (bang && bang != name) {
		only = table_mod_named(st, name, (size_t)(bang - name));
		if (!only)
			return err_set("Couldn't resolve error at '%s'", name);
	}
	if (*sym && st) {
		/* An exact-case match anywhere beats a case-insensitive one. */
		for (int exact = 1; exact >= 0; exact--) {
			for (int i = 0; i < st->nmods; i++) {
				struct smod *m = st->mods[i];
				if (only && m != only)
					continue;
				const struct ssym *s = smod_find(m, sym, exact);
				if (s) {
					*addr = s->addr;
					return 0;
				}
			}
		}
	}
	return err_set("Couldn't resolve error at '%s'", name);
}

int sym_describe(struct sym_table *st, uint64_t addr, struct sbuf *out)
{
	struct smod *m = table_mod_at(st, addr);
	if (!m)
		return err_set("No module at %llx", (unsigned long long)addr);
	const struct ssym *s = smod_cover(m, addr);
	uint64_t off;
	if (s) {
		sb_addf(out, "%s!%s", m->name, s->name);
		off = addr - s->addr;
	} else {
		sb_add(out, m->name);
		off = addr - m->start;
	}
	if (off)
		sb_addf(out, "+0x%llx", (unsigned long long)off);
	return 0;
}

static void func_fill(struct smod *m, const struct ssym *s, struct sym_func *out)
{
	out->start = s->addr;
	out->size = s->size ? s->size : s->end - s->addr;
	out->name = s->name;
	out->module = m->name;
}

int sym_function_at(struct sym_table *st, uint64_t addr, struct sym_func *out)
{
	struct smod *m = table_mod_at(st, addr);
	if (!m)
		return err_set("No module at %llx", (unsigned long long)addr);
	const struct ssym *s = smod_cover(m, addr);
	if (!s)
		return err_set("No symbol at %llx", (unsigned long long)addr);
	func_fill(m, s, out);
	return 0;
}

int sym_nearest(struct sym_table *st, uint64_t addr, struct sym_func *before,
		struct sym_func *after)
{
	struct smod *m = table_mod_at(st, addr);
	if (!m)
		return err_set("No module at %llx", (unsigned long long)addr);
	memset(before, 0, sizeof(*before));
	memset(after, 0, sizeof(*after));
	const struct ssym *b = smod_cover(m, addr);
	size_t up = smod_upper(m, addr);
	if (!b && up > 0) {
		size_t j = up - 1;
		while (j > 0 && m->syms[j - 1].addr == m->syms[up - 1].addr)
			j--;
		b = &m->syms[j];
	}
	if (b)
		func_fill(m, b, before);
	if (up < m->nsyms)
		func_fill(m, &m->syms[up], after);
	return 0;
}

int sym_enumerate(struct sym_table *st, const char *modpat, const char *sympat,
		  int functions_only, sym_enum_fn fn, void *user)
{
	int count = 0;
	for (int i = 0; st && i < st->nmods; i++) {
		struct smod *m = st->mods[i];
		if (modpat && !wild_match(modpat, m->name, 0))
			continue;
		smod_load_syms(m);
		struct sym_module info;
		int filled = 0;
		for (size_t k = 0; k < m->nsyms; k++) {
			const struct ssym *s = &m->syms[k];
			int is_func = s->type == STT_FUNC || s->type == STT_GNU_IFUNC;
			if (functions_only && !is_func)
				continue;
			int dup = 0;
			for (size_t j = k; j-- > 0 && k - j <= 64 && m->syms[j].addr == s->addr;)
				if (strcmp(m->syms[j].name, s->name) == 0) {
					dup = 1;
					break;
				}
			if (dup || (sympat && !wild_match(sympat, s->name, 1)))
				continue;
			if (!filled) {
				smod_fill(m, &info);
				filled = 1;
			}
			count++;
			if (fn && fn(user, &info, s->name, s->addr, s->size, is_func))
				return count;
		}
	}
	return count;
}

/* ---- source lines ---- */

int sym_source_line(struct sym_table *st, uint64_t addr, const char **file, int *line)
{
	struct smod *m = table_mod_at(st, addr);
	if (!m)
		return err_set("No module at %llx", (unsigned long long)addr);
	Dwfl_Line *l = dwfl_module_getsrc(m->dm, addr);
	if (!l)
		return err_set("No line information for %llx", (unsigned long long)addr);
	Dwarf_Addr la = 0;
	int ln = 0, col = 0;
	Dwarf_Word mtime = 0, length = 0;
	const char *f = dwfl_lineinfo(l, &la, &ln, &col, &mtime, &length);
	if (!f || ln <= 0)
		return err_set("No line information for %llx", (unsigned long long)addr);
	*file = f;
	*line = ln;
	return 0;
}

/* "x.c" matches ".../x.c" on a path-component boundary. */
static int path_suffix_match(const char *path, const char *want)
{
	size_t lp = strlen(path), lw = strlen(want);
	if (lw == 0 || lw > lp || strcmp(path + lp - lw, want) != 0)
		return 0;
	return lp == lw || path[lp - lw - 1] == '/' || want[0] == '/';
}

struct line_best {
	int file_seen;
	int have_exact;
	uint64_t exact;
	int have_next;
	int next_line;
	uint64_t next;
};

static void smod_scan_lines(struct smod *m, const char *file, int want, struct line_best *b)
{
	Dwarf_Addr dbias = 0;
	if (!dwfl_module_getdwarf(m->dm, &dbias))
		return;
	Dwarf_Die *cu = NULL;
	Dwarf_Addr bias = 0;
	while ((cu = dwfl_module_nextcu(m->dm, cu, &bias)) != NULL) {
		Dwarf_Lines *lines = NULL;
		size_t n = 0;
		if (dwarf_getsrclines(cu, &lines, &n) != 0)
			continue;
		const char *last_src = NULL;
		int last_match = 0;
		for (size_t i = 0; i < n; i++) {
			Dwarf_Line *l = dwarf_onesrcline(lines, i);
			bool flag = false;
			if (!l || (dwarf_lineendsequence(l, &flag) == 0 && flag))
				continue;
			if (dwarf_linebeginstatement(l, &flag) != 0 || !flag)
				continue;
			const char *src = dwarf_linesrc(l, NULL, NULL);
			if (!src)
				continue;
			if (src != last_src) {
				last_src = src;
				last_match = path_suffix_match(src, file);
			}
			if (!last_match)
				continue;
			b->file_seen = 1;
			int ln = 0;
			Dwarf_Addr a = 0;
			if (dwarf_lineno(l, &ln) != 0 || ln < want || dwarf_lineaddr(l, &a) != 0)
				continue;
			a += bias;
			/* Code the linker discarded keeps rows at address 0 or a tombstone. */
			if (a < m->start || a >= m->end)
				continue;
			if (ln == want) {
				if (!b->have_exact || a < b->exact)
					b->exact = a;
				b->have_exact = 1;
			} else if (!b->have_next || ln < b->next_line || (ln == b->next_line && a < b->next)) {
				b->have_next = 1;
				b->next_line = ln;
				b->next = a;
			}
		}
	}
}

int sym_line_address(struct sym_table *st, const char *spec, uint64_t *addr)
{
	if (!spec)
		return err_set("Couldn't resolve error at ''");
	const char *s = skip_ws(spec);
	size_t len = strlen(s);
	while (len && isspace((unsigned char)s[len - 1]))
		len--;
	char *buf = xstrndup(s, len);
	int rc = -1;
	struct smod *only = NULL;
	char *file = buf;
	char *bang = strchr(buf, '!');
	if (bang) {
		only = table_mod_named(st, buf, (size_t)(bang - buf));
		file = bang + 1;
		if (!only)
			goto out;
	}
	char *colon = strrchr(file, ':');
	if (!colon || colon == file)
		goto out;
	*colon = 0;
	char *end = NULL;
	errno = 0;
	long want = colon[1] == '0' && (colon[2] == 'x' || colon[2] == 'X')
			    ? strtol(colon + 3, &end, 16)
			    : strtol(colon + 1, &end, 10);
	if (errno || !end || *end || end == colon + 1 || want <= 0 || want > INT_MAX)
		goto out;
	struct line_best b = { 0 };
	for (int i = 0; st && i < st->nmods; i++)
		if (!only || st->mods[i] == only)
			smod_scan_lines(st->mods[i], file, (int)want, &b);
	if (b.have_exact || b.have_next) {
		*addr = b.have_exact ? b.exact : b.next;
		rc = 0;
	}
out:
	free(buf);
	if (rc != 0)
		err_set("Couldn't resolve error at '%s'", spec);
	return rc;
}

struct Dwfl *sym_dwfl(struct sym_table *st)
{
	return st ? st->dwfl : NULL;
}

uint64_t sym_main_entry(struct sym_table *st)
{
	if (!st)
		return 0;
	if (st->main && st->main->entry)
		return st->main->entry;
	return st->at_entry;
}

/* ---- unwinding ---- */

static pid_t cb_next_thread(Dwfl *dwfl, void *arg, void **thread_arg)
{
	struct sym_table *st = arg;
	if (*thread_arg || !st->uw)
		return 0;
	*thread_arg = st;
	return st->uw->tid;
}

static bool cb_get_thread(Dwfl *dwfl, pid_t tid, void *arg, void **thread_arg)
{
	struct sym_table *st = arg;
	if (!st->uw || st->uw->tid != tid)
		return false;
	*thread_arg = st;
	return true;
}

static bool cb_memory_read(Dwfl *dwfl, Dwarf_Addr addr, Dwarf_Word *result, void *arg)
{
	struct sym_table *st = arg;
	struct unwind_ctx *u = st->uw;
	if (!u)
		return false;
	if (u->is32) {
		uint32_t v = 0;
		if (addr > UINT32_MAX - 3 || u->read_mem(u->mem_user, addr, &v, 4) != 4)
			return false;
		*result = v;
	} else {
		uint64_t v = 0;
		if (u->read_mem(u->mem_user, addr, &v, 8) != 8)
			return false;
		*result = v;
	}
	return true;
}

static bool cb_set_initial_registers(Dwfl_Thread *thread, void *thread_arg)
{
	struct sym_table *st = thread_arg;
	struct unwind_ctx *u = st->uw;
	if (!u)
		return false;
	const uint64_t *r = u->regs->r;
	if (u->is32) {
		/* i386 DWARF numbering: eax ecx edx ebx esp ebp esi edi eip */
		Dwarf_Word v[9] = {
			r[REG_RAX], r[REG_RCX], r[REG_RDX], r[REG_RBX],
			r[REG_RSP], r[REG_RBP], r[REG_RSI], r[REG_RDI], r[REG_RIP],
		};
		for (int i = 0; i < 9; i++)
			v[i] &= 0xffffffffu;
		if (!dwfl_thread_state_registers(thread, 0, 9, v))
			return false;
		dwfl_thread_state_register_pc(thread, v[8]);
		return true;
	}
	/* x86-64 DWARF numbering: rax rdx rcx rbx rsi rdi rbp rsp r8..r15 rip */
	Dwarf_Word v[17] = {
		r[REG_RAX], r[REG_RDX], r[REG_RCX], r[REG_RBX], r[REG_RSI], r[REG_RDI],
		r[REG_RBP], r[REG_RSP], r[REG_R8], r[REG_R9], r[REG_R10], r[REG_R11],
		r[REG_R12], r[REG_R13], r[REG_R14], r[REG_R15], r[REG_RIP],
	};
	if (!dwfl_thread_state_registers(thread, 0, 17, v))
		return false;
	dwfl_thread_state_register_pc(thread, v[16]);
	return true;
}

static const Dwfl_Thread_Callbacks thread_callbacks = {
	.next_thread = cb_next_thread,
	.get_thread = cb_get_thread,
	.memory_read = cb_memory_read,
	.set_initial_registers = cb_set_initial_registers,
};

static int cb_frame(Dwfl_Frame *frame, void *arg)
{
	struct unwind_ctx *u = arg;
	Dwarf_Addr pc = 0;
	bool activation = false;
	if (!dwfl_frame_pc(frame, &pc, &activation))
		return DWARF_CB_ABORT;
	uint64_t mask = u->is32 ? 0xffffffffu : UINT64_MAX;
	/* Child-SP: the frame's own stack pointer.  libdwfl's x86 ABI rules
	 * define the caller's sp as the callee's CFA, so the unwound sp
	 * register is exactly that; when it is unknown keep the last one. */
	Dwarf_Word sp = 0;
	if (u->count == 0)
		sp = u->regs->r[REG_RSP];
	else if (dwfl_frame_reg(frame, u->is32 ? 4 : 7, &sp) != 0)
		sp = u->last_sp;
	pc &= mask;
	sp &= mask;
	if (u->count > 0 && (pc == 0 || (pc == u->last_pc && sp == u->last_sp)))
		return DWARF_CB_ABORT;	/* the end, or no progress */
	struct sym_frame f = { u->count, pc, sp, u->count > 0 && !activation };
	u->count++;
	u->last_pc = pc;
	u->last_sp = sp;
	if (u->fn(u->user, &f) != 0 || u->count >= u->max)
		return DWARF_CB_ABORT;
	return DWARF_CB_OK;
}

int sym_unwind(struct sym_table *st, pid_t tid, const struct regs *regs, int is32,
	       sym_mem_fn read_mem, void *mem_user, int max, sym_frame_fn fn, void *user)
{
	if (!st || !st->dwfl || !regs || !read_mem || !fn)
		return err_set("Unable to unwind: no process");
	if (max <= 0)
		return 0;
	if (!is32 != !st->is32)
		return err_set("Unable to unwind: the process is not %s", is32 ? "i386" : "x86-64");
	table_attach(st);
	if (!st->attached)
		return err_set("Unable to unwind: %s", dwfl_errmsg(-1));
	struct unwind_ctx u = {
		.tid = tid, .regs = regs, .is32 = is32, .read_mem = read_mem,
		.mem_user = mem_user, .max = max, .fn = fn, .user = user,
	};
	st->uw = &u;
	/* An error after the first frame is just the end of what CFI can say. */
	dwfl_getthread_frames(st->dwfl, tid, cb_frame, &u);
	st->uw = NULL;
	if (u.count == 0)
		return err_set("Unable to unwind: %s", dwfl_errmsg(-1));
	return u.count;
}
