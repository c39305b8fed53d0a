/*
 * sym.c — modules, symbols, source lines and unwinding of one process image:
 * a facade over elfutils' libdwfl (contract in sym.h).
 *
 * Where the modules come from.  Only through struct sym_process, so any
 * backend serves: the auxiliary vector gives the main program (its program
 * headers in memory at AT_PHDR: PT_PHDR, else AT_ENTRY, gives the load
 * bias), the interpreter (AT_BASE, the file its PT_INTERP names) and the
 * vDSO (AT_SYSINFO_EHDR: its ELF image is read from memory and handed to
 * libdwfl as an anonymous in-memory file); the dynamic linker's link map
 * (r_debug from the main program's DT_DEBUG, else the loader's _r_debug)
 * gives the shared objects (symimage.c reads all these).  Files are opened
 * by path and believed only when their PT_NOTE segments (the build id) read
 * the same in memory; an object whose file is gone or was replaced is
 * rebuilt from its loaded segments instead ("path (deleted)", dynamic
 * symbols only).  Separate debug information is found by libdwfl's
 * standard search (build id, .gnu_debuglink, debuginfod when DEBUGINFOD_URLS
 * is set), then through the symbol path's directories and servers
 * (symsrv.c); sym_reload starts the search over.
 *
 * Ownership.  One Dwfl per process image; it is rebuilt when the image
 * changes (a different auxiliary vector or executable: an exec).  Every
 * Dwfl_Module carries our record (struct smod) in its libdwfl userdata
 * slot, so the record dies exactly when libdwfl drops the module (the
 * removed callback of dwfl_report_end), and symbol names, which point into
 * libelf's string tables, never outlive their ELF.  A module known from the
 * previous refresh (same origin, same bias) is reported again with exactly
 * its old range, which is how libdwfl keeps it with everything read so far.
 * Nothing is read before it is asked for: a module's symbol table on the
 * first symbol question about it, its name index on the first lookup by
 * name, its DWARF on the first source-line question (libdw itself is lazy
 * per CU).
 *
 * Invariants: st->mods lists the ELF modules only, in load order (the
 * dynamic linker's link_map order, the others after it by address) with
 * the main program first; their WinDbg names are unique ignoring case.
 * A module's symbol array is sorted by address, then by display preference.
 *
 * Unwinding is libdwfl's, with our own Dwfl_Thread_Callbacks: the first
 * frame's registers are the caller's and memory reads go through
 * sym_process.read (which hides breakpoint bytes).  Each frame carries the
 * registers known in it (see sym_unwind in sym.h for the ABI rules applied
 * on top of libdwfl's).
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
#include <sys/mman.h>
#include <sys/stat.h>
#include <unistd.h>

#include "sym/symimage.h"
#include "sym/symsrv.h"
#include "util/auxv.h"

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
	int is_elf;		/* 0: libdwfl could not read it as ELF; never listed */
	char *origin;		/* what reported it: the executable's or a link_map path, "[vdso]" */
	uint64_t origin_bias;	/* the load bias it was reported with */
	char *base;		/* name per windbg-commands.md §11.4, before de-duplication */
	char *name;		/* unique WinDbg name */
	char *path;
	uint64_t start, end, bias;
	uint64_t entry;		/* e_entry + bias, 0 when none */
	long order;

	int info_done, has_dwarf, has_symtab;
	char *debug_file;	/* the separate debug file libdwfl found, or NULL */
	char build_id[129];	/* hex, "" when the module has none */

	int syms_read;
	struct ssym *syms;
	size_t nsyms;
	struct arena *names;
	uint32_t *hash;		/* name index: slot = symbol index + 1, 0 = empty */
	size_t hmask;
};

struct unwind_ctx {
	struct sym_table *st;
	const struct regs *regs;
	int is32;
	int max;
	unsigned flags;
	sym_frame_fn fn;
	void *user;
	int count;
	struct sym_frame prev;	/* the frame yielded last */
};

struct sym_table {
	struct sym_process proc;
	Dwfl *dwfl;
	int is32;
	int attached;		/* dwfl_attach_state done */
	/* The image the Dwfl describes: a change means an exec. */
	unsigned char auxv[AUXV_MAX];
	size_t nauxv;
	char exe[PATH_MAX];
	int exe_fd;
	Elf *exe_elf;		/* the executable; gives the unwinder its architecture */
	uint64_t at_entry;
	uint64_t loader_r_debug;	/* _r_debug of the loader, when DT_DEBUG says nothing */
	int loader_looked;

	struct smod **mods;	/* listed modules, load order */
	int nmods;
	struct smod *main;
	int removed_any;	/* set by the removed callback during a refresh */

	struct unwind_ctx *uw;	/* the unwind in progress, for the callbacks */
};

/*
 * Modules are reported with their ELF already open (dwfl_report_elf), so
 * libdwfl asks for one only for a module whose headers were too damaged to
 * report that way: open it by its path.
 */
static int find_elf_by_path(Dwfl_Module *mod, void **userdata, const char *modname, Dwarf_Addr base,
			    char **file_name, Elf **elfp)
{
	if (!modname || modname[0] != '/')
		return -1;
	int fd = open(modname, O_RDONLY | O_CLOEXEC);
	if (fd >= 0)
		*file_name = xstrdup(modname);
	return fd;
}

static const Dwfl_Callbacks image_callbacks = {
	.find_elf = find_elf_by_path,
	.find_debuginfo = symsrv_find_debuginfo,
	.debuginfo_path = &symsrv_debuginfo_path,
};

/* ---- small helpers ---- */

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
	free(m->origin);
	free(m->base);
	free(m->name);
	free(m->path);
	free(m->debug_file);
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
		}
		/* WinDbg's end is the end of the highest segment in memory (bss
		 * included), which is libdwfl's end too unless the headers were
		 * too damaged to report with.  A corrupt header may claim
		 * anything: only believe a sane value. */
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
		m->debug_file = xstrdup(debugfile);
		file_sections(debugfile, &m->has_symtab, &m->has_dwarf);
		return;
	}
	if (!m->has_dwarf && main_symtab && elf) {
		/* The search was skipped: ask for the DWARF itself (cheap when
		 * there is none). */
		Dwarf_Addr dbias = 0;
		Dwarf *dw = dwfl_module_getdwarf(m->dm, &dbias);
		m->has_dwarf = dw != NULL;
		dwfl_module_info(m->dm, NULL, NULL, NULL, NULL, NULL, &mainfile, &debugfile);
		if (dw && debugfile && (!mainfile || strcmp(debugfile, mainfile) != 0))
			m->debug_file = xstrdup(debugfile);
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
	if (!m->build_id[0]) {
		const unsigned char *id = NULL;
		GElf_Addr vaddr;
		int len = dwfl_module_build_id(m->dm, &id, &vaddr);
		for (int i = 0; i < len && i < 64; i++)
			snprintf(m->build_id + 2 * i, 3, "%02x", id[i]);
	}
	out->build_id = m->build_id;
	out->debug_file = m->debug_file;
	out->symbol_source = symsrv_source(m->debug_file);
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
	st->nauxv = 0;
	st->exe[0] = 0;
	st->loader_r_debug = 0;
	st->loader_looked = 0;
}

static int elf_phdrs(Elf *elf, struct image_phdr **out, size_t *n)
{
	size_t nph = 0;
	*out = NULL;
	*n = 0;
	if (!elf || elf_kind(elf) != ELF_K_ELF || elf_getphdrnum(elf, &nph) != 0 || nph == 0 || nph > 65535)
		return -1;
	struct image_phdr *v = xcalloc(nph, sizeof(*v));
	for (size_t i = 0; i < nph; i++) {
		GElf_Phdr ph;
		if (!gelf_getphdr(elf, (int)i, &ph))
			continue;
		v[i] = (struct image_phdr){ ph.p_type, ph.p_offset, ph.p_vaddr, ph.p_filesz, ph.p_memsz, ph.p_align };
	}
	*out = v;
	*n = nph;
	return 0;
}

/* A fresh Dwfl for the image whose auxiliary vector and executable are given. */
static int table_new_dwfl(struct sym_table *st, const unsigned char *auxv, size_t nauxv, const char *exe,
			  int is32)
{
	table_drop_dwfl(st);
	st->dwfl = dwfl_begin(&image_callbacks);
	if (!st->dwfl)
		return err_set("libdwfl: %s", dwfl_errmsg(-1));
	memcpy(st->auxv, auxv, nauxv);
	st->nauxv = nauxv;
	snprintf(st->exe, sizeof(st->exe), "%s", exe);
	st->is32 = is32;
	st->at_entry = 0;
	auxv_find(auxv, nauxv, is32, AUXV_ENTRY, &st->at_entry);
	if (exe[0])
		st->exe_fd = open(exe, O_RDONLY | O_CLOEXEC);
	if (st->exe_fd >= 0) {
		st->exe_elf = elf_begin(st->exe_fd, ELF_C_READ_MMAP, NULL);
		if (st->exe_elf && elf_kind(st->exe_elf) != ELF_K_ELF) {
			elf_end(st->exe_elf);
			st->exe_elf = NULL;
		}
	}
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

/* A module known before this refresh: how to report it again unchanged. */
struct known {
	struct smod *m;
	char *dname;
	Dwarf_Addr lo, hi;
};

/* A module reported in this refresh. */
struct reported {
	Dwfl_Module *dm;
	char *origin;		/* a copy: link_map names die with the walk */
	uint64_t origin_bias;
	uint64_t lo, hi;
	long order;		/* link_map position, LONG_MAX when not listed there */
};

struct refresh {
	struct sym_table *st;
	int is32;
	struct known *known;
	int nknown;
	struct reported *rep;
	int nrep, caprep;
};

static int cb_known(Dwfl_Module *dm, void **ud, const char *name, Dwarf_Addr start, void *arg)
{
	struct refresh *r = arg;
	struct smod *m = *ud;
	if (!m || !m->origin)
		return DWARF_CB_OK;
	r->known = xrealloc(r->known, (size_t)(r->nknown + 1) * sizeof(*r->known));
	struct known *k = &r->known[r->nknown++];
	k->m = m;
	const char *dname = dwfl_module_info(dm, NULL, &k->lo, &k->hi, NULL, NULL, NULL, NULL);
	k->dname = xstrdup(dname ? dname : "");
	return DWARF_CB_OK;
}

static struct reported *reported_at(struct refresh *r, uint64_t addr)
{
	for (int i = 0; i < r->nrep; i++)
		if (addr >= r->rep[i].lo && addr < r->rep[i].hi)
			return &r->rep[i];
	return NULL;
}

static int overlaps_reported(struct refresh *r, uint64_t lo, uint64_t hi)
{
	for (int i = 0; i < r->nrep; i++)
		if (lo < r->rep[i].hi && r->rep[i].lo < hi)
			return 1;
	return 0;
}

static struct reported *add_reported(struct refresh *r, Dwfl_Module *dm, const char *origin, uint64_t bias)
{
	if (!dm)
		return NULL;
	if (r->nrep == r->caprep) {
		r->caprep = r->caprep ? r->caprep * 2 : 16;
		r->rep = xrealloc(r->rep, (size_t)r->caprep * sizeof(*r->rep));
	}
	struct reported *p = &r->rep[r->nrep++];
	Dwarf_Addr lo = 0, hi = 0;
	dwfl_module_info(dm, NULL, &lo, &hi, NULL, NULL, NULL, NULL);
	*p = (struct reported){ dm, xstrdup(origin), bias, lo, hi, LONG_MAX };
	return p;
}

/*
 * Whether an ELF file is what the process has loaded with bias: its
 * PT_NOTE segments (the build id lives there) must read the same in
 * memory.  A file replaced since it was loaded (a rebuilt program, an
 * upgraded library) fails this; an object without notes, or whose notes
 * memory does not give, is taken as it is.
 */
static int file_matches_memory(struct sym_table *st, Elf *elf, const struct image_phdr *ph, size_t nph,
			       uint64_t bias)
{
	size_t len = 0;
	const char *raw = elf_rawfile(elf, &len);
	for (size_t i = 0; raw && i < nph; i++) {
		if (ph[i].type != PT_NOTE || ph[i].filesz == 0 || ph[i].filesz > 65536 || ph[i].offset > len ||
		    ph[i].filesz > len - ph[i].offset)
			continue;
		unsigned char *mem = xmalloc((size_t)ph[i].filesz);
		int got = st->proc.read(st->proc.user, ph[i].vaddr + bias, mem, (size_t)ph[i].filesz);
		int differ = got == (int)ph[i].filesz && memcmp(mem, raw + ph[i].offset, (size_t)ph[i].filesz) != 0;
		free(mem);
		if (differ)
			return 0;
	}
	return 1;
}

/*
 * An ELF file loaded with bias.  Its segments give the range; a header that
 * claims an implausible range, or one overlapping a module already
 * reported, is damaged: the module then covers the file's own extent from
 * the bias, and libdwfl reads what it can of it later.  NULL when the file
 * cannot be opened or is not the one loaded.
 */
static Dwfl_Module *report_file(struct refresh *r, const char *path, uint64_t bias)
{
	Dwfl *dwfl = r->st->dwfl;
	int fd = open(path, O_RDONLY | O_CLOEXEC);
	struct stat sb;
	if (fd < 0 || fstat(fd, &sb) != 0 || !S_ISREG(sb.st_mode)) {
		if (fd >= 0)
			close(fd);
		return NULL;
	}
	Elf *elf = elf_begin(fd, ELF_C_READ_MMAP, NULL);
	struct image_phdr *ph = NULL;
	size_t nph = 0;
	uint64_t lo = 0, hi = 0;
	int have_ph = elf_phdrs(elf, &ph, &nph) == 0;
	int sane = have_ph && image_load_range(ph, nph, bias, &lo, &hi) == 0 && !overlaps_reported(r, lo, hi);
	int same = !have_ph || file_matches_memory(r->st, elf, ph, nph, bias);
	GElf_Ehdr eh;
	if (sane && gelf_getehdr(elf, &eh) && eh.e_type == ET_EXEC && bias != 0)
		sane = 0;	/* libdwfl would ignore the bias of a fixed-address file */
	free(ph);
	if (elf)
		elf_end(elf);
	if (!same) {
		close(fd);
		return NULL;
	}
	if (sane) {
		/* On success libdwfl owns fd. */
		Dwfl_Module *dm = dwfl_report_elf(dwfl, path, path, fd, bias, false);
		if (dm)
			return dm;
	}
	close(fd);
	uint64_t size = ((uint64_t)sb.st_size + 4095) & ~4095ULL;
	if (size == 0 || bias + size < bias || overlaps_reported(r, bias, bias + size))
		return NULL;
	return dwfl_report_module(dwfl, path, bias, bias + size);
}

/* An ELF image made in memory, reported as an anonymous file named name. */
static Dwfl_Module *report_image_bytes(struct refresh *r, const char *name, const unsigned char *image,
				       size_t size, uint64_t bias)
{
	Elf *elf = elf_memory((char *)image, size);
	struct image_phdr *ph = NULL;
	size_t nph = 0;
	uint64_t lo = 0, hi = 0;
	int ok = elf_phdrs(elf, &ph, &nph) == 0 && image_load_range(ph, nph, bias, &lo, &hi) == 0 &&
		 !overlaps_reported(r, lo, hi);
	free(ph);
	if (elf)
		elf_end(elf);
	Dwfl_Module *dm = NULL;
	int fd = ok ? memfd_create("dr7-image", MFD_CLOEXEC) : -1;
	if (fd >= 0 && write(fd, image, size) == (ssize_t)size)
		dm = dwfl_report_elf(r->st->dwfl, name, name, fd, bias, false);
	if (!dm && fd >= 0)
		close(fd);
	return dm;
}

/* The vDSO: the kernel maps its whole ELF file, section headers included. */
static Dwfl_Module *report_vdso(struct refresh *r, uint64_t ehdr)
{
	struct sym_table *st = r->st;
	unsigned char *image = NULL;
	size_t size = 0;
	struct image_headers h;
	uint64_t bias = 0;
	if (image_read_headers(st->proc.read, st->proc.user, r->is32, ehdr, &h) < 0)
		return NULL;
	int ok = image_bias_at_header(h.ph, h.nph, ehdr, &bias) == 0;
	free(h.ph);
	if (!ok || image_read_elf(st->proc.read, st->proc.user, r->is32, ehdr, 1 << 20, &image, &size) < 0)
		return NULL;
	Dwfl_Module *dm = report_image_bytes(r, "[vdso]", image, size, bias);
	free(image);
	return dm;
}

/* Largest object rebuilt from memory when its file is gone. */
#define MAX_MEMORY_IMAGE (256u << 20)

/*
 * An object whose file is gone or was replaced, from what memory holds of
 * it (its loaded segments: headers, dynamic symbols, code and data; no
 * .symtab or DWARF).  Named like the kernel names such a mapping.
 */
static Dwfl_Module *report_memory(struct refresh *r, const char *path, uint64_t header, uint64_t bias)
{
	struct sym_table *st = r->st;
	unsigned char *image = NULL;
	size_t size = 0;
	uint64_t mbias = 0;
	if (image_read_segments(st->proc.read, st->proc.user, r->is32, header, MAX_MEMORY_IMAGE, &image, &size,
				&mbias) < 0)
		return NULL;
	Dwfl_Module *dm = NULL;
	static const char deleted[] = " (deleted)";
	size_t len = strlen(path), dl = sizeof(deleted) - 1;
	struct sbuf name = { 0 };
	sb_add(&name, path);
	if (len < dl || strcmp(path + len - dl, deleted) != 0)
		sb_add(&name, deleted);
	if (mbias == bias)
		dm = report_image_bytes(r, sb_str(&name), image, size, bias);
	sb_free(&name);
	free(image);
	return dm;
}

enum origin_kind { ORIGIN_FILE, ORIGIN_VDSO };

/*
 * Reports one object: again with its old range when the last refresh knew
 * it (libdwfl then keeps the module and what it has read), else anew.
 * origin names it across refreshes: the path the executable, PT_INTERP or
 * link_map gave (opened with symbolic links resolved), or "[vdso]"; header
 * is where its ELF header is mapped (0: unknown), for an object whose file
 * is gone.
 */
static struct reported *report_object(struct refresh *r, enum origin_kind kind, const char *origin,
				      uint64_t bias, uint64_t header)
{
	for (int i = 0; i < r->nknown; i++) {
		struct known *k = &r->known[i];
		if (k->m->origin_bias != bias || strcmp(k->m->origin, origin) != 0 || overlaps_reported(r, k->lo, k->hi))
			continue;
		Dwfl_Module *dm = dwfl_report_module(r->st->dwfl, k->dname, k->lo, k->hi);
		if (dm)
			return add_reported(r, dm, origin, bias);
	}
	if (kind == ORIGIN_VDSO)
		return add_reported(r, report_vdso(r, header), origin, bias);
	/* Paths with symbolic links resolved, as the kernel names mappings. */
	char real[PATH_MAX];
	const char *path = realpath(origin, real) ? real : origin;
	Dwfl_Module *dm = report_file(r, path, bias);
	if (!dm && header)
		dm = report_memory(r, path, header, bias);
	return add_reported(r, dm, origin, bias);
}

/* What memory says about the main program's image. */
struct exe_layout {
	int ok;
	uint64_t bias;
	uint64_t header;	/* where its ELF header is mapped */
	uint64_t dyn, dynsz;	/* PT_DYNAMIC, runtime address */
	char *interp;		/* PT_INTERP, NULL for a static program */
};

/*
 * The main program from its program headers in memory (AT_PHDR,
 * AT_PHNUM), so that a deleted or replaced executable does not hide the
 * rest of the image.  Without PT_PHDR (static-pie) the bias comes from
 * e_entry: the executable's, else that of the ELF header found in memory
 * just before the program headers.
 */
static void exe_layout(struct sym_table *st, int is32, struct exe_layout *out)
{
	memset(out, 0, sizeof(*out));
	uint64_t at_phdr = 0, at_phnum = 0;
	struct image_phdr *ph = NULL;
	auxv_find(st->auxv, st->nauxv, is32, AUXV_PHDR, &at_phdr);
	auxv_find(st->auxv, st->nauxv, is32, AUXV_PHNUM, &at_phnum);
	if (!at_phdr || image_read_phdrs(st->proc.read, st->proc.user, is32, at_phdr, (size_t)at_phnum, &ph) < 0)
		return;
	size_t nph = (size_t)at_phnum;
	GElf_Ehdr eh;
	int is_exec = 0;
	uint64_t e_entry = 0;
	struct image_headers mh;
	size_t ehsize = is32 ? sizeof(Elf32_Ehdr) : sizeof(Elf64_Ehdr);
	if (st->exe_elf && gelf_getehdr(st->exe_elf, &eh)) {
		is_exec = eh.e_type == ET_EXEC;
		e_entry = eh.e_entry;
	} else if (image_read_headers(st->proc.read, st->proc.user, is32, at_phdr - ehsize, &mh) == 0) {
		if (mh.e_phoff == ehsize && mh.nph == nph) {
			is_exec = mh.e_type == ET_EXEC;
			e_entry = mh.e_entry;
		}
		free(mh.ph);
	}
	if (image_main_bias(ph, nph, is_exec, e_entry, at_phdr, st->at_entry, &out->bias) == 0)
		out->ok = 1;
	for (size_t i = 0; out->ok && i < nph; i++) {
		if (ph[i].type == PT_LOAD && ph[i].offset == 0 && !out->header)
			out->header = ph[i].vaddr + out->bias;
		if (ph[i].type == PT_DYNAMIC) {
			out->dyn = ph[i].vaddr + out->bias;
			out->dynsz = ph[i].memsz;
		}
		if (ph[i].type == PT_INTERP && !out->interp && ph[i].filesz > 1)
			out->interp = image_read_string(st->proc.read, st->proc.user, ph[i].vaddr + out->bias,
							ph[i].filesz < PATH_MAX ? (size_t)ph[i].filesz : PATH_MAX);
	}
	free(ph);
}

/* A load bias from the ELF header mapped at header (the interpreter at AT_BASE). */
static int header_bias(struct sym_table *st, int is32, uint64_t header, uint64_t *bias)
{
	struct image_headers h;
	if (image_read_headers(st->proc.read, st->proc.user, is32, header, &h) < 0)
		return -1;
	int rc = image_bias_at_header(h.ph, h.nph, header, bias);
	free(h.ph);
	return rc;
}

/* Reports every module of the image; returns the main program's module (or NULL). */
static Dwfl_Module *report_image(struct refresh *r)
{
	struct sym_table *st = r->st;
	struct exe_layout lay;
	exe_layout(st, r->is32, &lay);
	struct reported *p = lay.ok && st->exe[0] ? report_object(r, ORIGIN_FILE, st->exe, lay.bias, lay.header)
				       : NULL;
	Dwfl_Module *main = p ? p->dm : NULL;
	if (p)
		p->order = -1;

	uint64_t at_base = 0, vdso = 0, bias = 0;
	auxv_find(st->auxv, st->nauxv, r->is32, AUXV_BASE, &at_base);
	auxv_find(st->auxv, st->nauxv, r->is32, AUXV_SYSINFO_EHDR, &vdso);
	if (at_base && lay.interp && lay.interp[0] && header_bias(st, r->is32, at_base, &bias) == 0)
		report_object(r, ORIGIN_FILE, lay.interp, bias, at_base);
	if (vdso)
		report_object(r, ORIGIN_VDSO, "[vdso]", vdso, vdso);

	uint64_t r_debug = 0;
	if (!lay.dyn || image_dt_debug(st->proc.read, st->proc.user, r->is32, lay.dyn, lay.dynsz, &r_debug) < 0)
		r_debug = st->loader_r_debug;
	struct image_object *objs = NULL;
	int n = r_debug ? image_link_map(st->proc.read, st->proc.user, r->is32, r_debug, &objs) : 0;
	for (int i = 0; i < n; i++) {
		/* The main program, the interpreter and the vDSO are listed too:
		 * their l_ld lies inside a module already reported.  A shared
		 * object's ELF header is mapped at its bias (it is linked at 0). */
		p = reported_at(r, objs[i].dyn);
		if (!p && objs[i].name[0])
			p = report_object(r, ORIGIN_FILE, objs[i].name, objs[i].bias, objs[i].bias);
		if (p && p->order == LONG_MAX)
			p->order = i;
	}
	image_objects_free(objs, n);
	free(lay.interp);
	return main;
}

struct collect {
	struct refresh *r;
	struct smod **v;
	int n, cap;
	int added;
};

static int cb_collect(Dwfl_Module *dm, void **ud, const char *name, Dwarf_Addr start, void *arg)
{
	struct collect *c = arg;
	struct reported *p = NULL;
	for (int i = 0; i < c->r->nrep && !p; i++)
		if (c->r->rep[i].dm == dm)
			p = &c->r->rep[i];
	if (!*ud) {
		struct smod *m = smod_new(dm);
		if (p) {
			m->origin = xstrdup(p->origin);
			m->origin_bias = p->origin_bias;
		}
		*ud = m;
		if (m->is_elf)
			c->added = 1;
	}
	struct smod *m = *ud;
	if (!m->is_elf)
		return DWARF_CB_OK;
	if (c->n == c->cap) {
		c->cap = c->cap ? c->cap * 2 : 32;
		c->v = xrealloc(c->v, (size_t)c->cap * sizeof(*c->v));
	}
	m->order = p ? p->order : LONG_MAX;
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

/* link_map order, then the modules it does not list by address. */
static int smod_order_cmp(const void *pa, const void *pb)
{
	const struct smod *a = *(struct smod *const *)pa, *b = *(struct smod *const *)pb;
	if (a->order != b->order)
		return a->order < b->order ? -1 : 1;
	return (a->start > b->start) - (a->start < b->start);
}

static void table_relist(struct sym_table *st, struct collect *c, Dwfl_Module *main_dm)
{
	struct smod **v = c->v;
	int n = c->n;
	/* The main program: the module reported for the executable, else the
	 * one holding AT_ENTRY, else the lowest. */
	st->main = NULL;
	for (int i = 0; i < n && !st->main; i++)
		if (main_dm && v[i]->dm == main_dm)
			st->main = v[i];
	if (!st->main && st->at_entry)
		st->main = mod_containing(v, n, st->at_entry);
	if (st->main)
		st->main->order = -1;
	if (n > 1)
		qsort(v, (size_t)n, sizeof(*v), smod_order_cmp);	/* v is NULL when n is 0 */
	if (!st->main && n > 0)
		st->main = v[0];

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

static const struct ssym *smod_find(struct smod *m, const char *name, int exact);

/*
 * Where r_debug is when the main program's DT_DEBUG does not say (a
 * program linked without it, a static one): the loader's _r_debug (for a
 * static program, libc's inside it).  Looked up once per image.
 */
static void find_loader_r_debug(struct sym_table *st)
{
	if (st->loader_looked)
		return;
	uint64_t at_base = 0;
	auxv_find(st->auxv, st->nauxv, st->is32, AUXV_BASE, &at_base);
	struct smod *loader = at_base ? mod_containing(st->mods, st->nmods, at_base) : st->main;
	if (!loader)
		return;
	st->loader_looked = 1;
	const struct ssym *s = smod_find(loader, "_r_debug", 1);
	if (s)
		st->loader_r_debug = s->addr;
}

int sym_refresh(struct sym_table *st, int *changed)
{
	if (changed)
		*changed = 0;
	if (!st)
		return err_set("No symbol table");
	const struct sym_process *p = &st->proc;
	unsigned char auxv[AUXV_MAX];
	char exe[PATH_MAX];
	int nauxv = p->read_auxv(p->user, auxv, sizeof(auxv));
	if (nauxv < 0)
		return -1;
	if (nauxv == 0)
		return err_set("Cannot read the modules: the auxiliary vector is empty");
	if (p->exe_path(p->user, exe, sizeof(exe)) < 0)
		exe[0] = 0;
	int is32 = p->is32(p->user) != 0;
	int fresh = 0;
	if (!st->dwfl || (size_t)nauxv != st->nauxv || memcmp(auxv, st->auxv, (size_t)nauxv) != 0 ||
	    strcmp(exe, st->exe) != 0 || is32 != st->is32) {
		if (table_new_dwfl(st, auxv, (size_t)nauxv, exe, is32) != 0)
			return -1;
		fresh = 1;
	}

	struct refresh r = { .st = st, .is32 = is32 };
	dwfl_getmodules(st->dwfl, cb_known, &r, 0);
	st->removed_any = 0;
	dwfl_report_begin(st->dwfl);
	Dwfl_Module *main_dm = report_image(&r);
	/* Always end the report: the Dwfl is unusable until then. */
	dwfl_report_end(st->dwfl, cb_removed, st);

	struct collect c = { &r, NULL, 0, 0, 0 };
	dwfl_getmodules(st->dwfl, cb_collect, &c, 0);
	table_relist(st, &c, main_dm);
	find_loader_r_debug(st);
	for (int i = 0; i < r.nknown; i++)
		free(r.known[i].dname);
	free(r.known);
	for (int i = 0; i < r.nrep; i++)
		free(r.rep[i].origin);
	free(r.rep);
	if (changed)
		*changed = fresh || c.added || st->removed_any;
	if (st->nmods == 0)
		return err_set("Cannot read the modules: %s", exe[0] ? "the executable is not readable"
								    : "the executable is unknown");
	return 0;
}

struct sym_table *sym_open(const struct sym_process *proc)
{
	elf_version(EV_CURRENT);
	if (!proc || !proc->read || !proc->read_auxv || !proc->exe_path || !proc->is32) {
		err_set("No process to read symbols from");
		return NULL;
	}
	struct sym_table *st = xcalloc(1, sizeof(*st));
	st->proc = *proc;
	st->exe_fd = -1;
	if (sym_refresh(st, NULL) != 0 && st->nmods == 0) {
		sym_close(st);
		return NULL;
	}
	return st;
}

int sym_reload(struct sym_table *st)
{
	if (!st)
		return err_set("No symbol table");
	/* A fresh Dwfl: every module is reported again and searched anew. */
	table_drop_dwfl(st);
	return sym_refresh(st, NULL);
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

int sym_is_ifunc(struct sym_table *st, uint64_t addr)
{
	struct smod *m = table_mod_at(st, addr);
	if (!m)
		return 0;
	smod_load_syms(m);
	for (size_t i = smod_upper(m, addr); i > 0 && m->syms[i - 1].addr == addr; i--)
		if (m->syms[i - 1].type == STT_GNU_IFUNC)
			return 1;
	return 0;
}

int sym_read(struct sym_table *st, uint64_t addr, void *buf, size_t n)
{
	return st->proc.read(st->proc.user, addr, buf, n);
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
	return sym_source_line_dir(st, addr, file, line, NULL);
}

int sym_source_line_dir(struct sym_table *st, uint64_t addr, const char **file, int *line, const char **dir)
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
	if (dir)
		*dir = dwfl_line_comp_dir(l);
	return 0;
}

int sym_source_files(struct sym_table *st, sym_source_fn fn, void *user)
{
	int count = 0;
	for (int i = 0; i < st->nmods; i++) {
		struct smod *m = st->mods[i];
		smod_info(m);
		Dwarf_Addr dbias = 0;
		if (!m->has_dwarf || !dwfl_module_getdwarf(m->dm, &dbias))
			continue;
		Dwarf_Die *cu = NULL;
		Dwarf_Addr bias = 0;
		while ((cu = dwfl_module_nextcu(m->dm, cu, &bias)) != NULL) {
			const char *name = dwarf_diename(cu);
			if (!name)
				continue;
			Dwarf_Attribute at;
			const char *dir = dwarf_formstring(dwarf_attr(cu, DW_AT_comp_dir, &at));
			count++;
			if (fn(user, m->name, name, dir))
				return count;
		}
	}
	return count;
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

/* struct regs index of each DWARF register number (SysV psABI). */
static const int dwarf_x64[17] = {
	REG_RAX, REG_RDX, REG_RCX, REG_RBX, REG_RSI, REG_RDI, REG_RBP, REG_RSP,
	REG_R8, REG_R9, REG_R10, REG_R11, REG_R12, REG_R13, REG_R14, REG_R15, REG_RIP,
};
static const int dwarf_x86[9] = {
	REG_RAX, REG_RCX, REG_RDX, REG_RBX, REG_RSP, REG_RBP, REG_RSI, REG_RDI, REG_RIP,
};

int sym_dwarf_reg(int is32, uint64_t dw)
{
	if (is32)
		return dw < ARRAY_SIZE(dwarf_x86) ? dwarf_x86[dw] : -1;
	return dw < ARRAY_SIZE(dwarf_x64) ? dwarf_x64[dw] : -1;
}

int sym_reg_dwarf(int is32, int idx)
{
	const int *map = is32 ? dwarf_x86 : dwarf_x64;
	size_t n = is32 ? ARRAY_SIZE(dwarf_x86) : ARRAY_SIZE(dwarf_x64);
	for (size_t dw = 0; idx >= 0 && dw < n; dw++)
		if (map[dw] == idx)
			return (int)dw;
	return -1;
}

/*
 * libdwfl names processes and threads by number; here there is only ever
 * the one thread whose registers the caller gave, so it gets a fixed name
 * (which reaches no process: every access goes through our callbacks).
 */
#define UNWIND_THREAD 1

static pid_t cb_next_thread(Dwfl *dwfl, void *arg, void **thread_arg)
{
	struct sym_table *st = arg;
	if (*thread_arg || !st->uw)
		return 0;
	*thread_arg = st;
	return UNWIND_THREAD;
}

static bool cb_get_thread(Dwfl *dwfl, pid_t tid, void *arg, void **thread_arg)
{
	struct sym_table *st = arg;
	if (!st->uw || tid != UNWIND_THREAD)
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
		if (addr > UINT32_MAX - 3 || st->proc.read(st->proc.user, addr, &v, 4) != 4)
			return false;
		*result = v;
	} else {
		uint64_t v = 0;
		if (st->proc.read(st->proc.user, addr, &v, 8) != 8)
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
	int n = u->is32 ? 9 : 17;
	Dwarf_Word v[17];
	const int *map = u->is32 ? dwarf_x86 : dwarf_x64;
	for (int dw = 0; dw < n; dw++)
		v[dw] = u->is32 ? u->regs->r[map[dw]] & 0xffffffffu : u->regs->r[map[dw]];
	if (!dwfl_thread_state_registers(thread, 0, (unsigned)n, v))
		return false;
	dwfl_thread_state_register_pc(thread, v[n - 1]);
	return true;
}

static const Dwfl_Thread_Callbacks thread_callbacks = {
	.next_thread = cb_next_thread,
	.get_thread = cb_get_thread,
	.memory_read = cb_memory_read,
	.set_initial_registers = cb_set_initial_registers,
};

static void table_attach(struct sym_table *st)
{
	if (st->attached || !st->dwfl)
		return;
	/* With the executable's Elf the architecture is known whatever module
	 * comes first; with NULL libdwfl takes it from some module. */
	if (dwfl_attach_state(st->dwfl, st->exe_elf, UNWIND_THREAD, &thread_callbacks, st))
		st->attached = 1;
}

/*
 * Which registers the CFI that unwound the frame `callee` gives an
 * explicit location rule (offset, register, expression): a bit per DWARF
 * register.  0 when no CFI covers it (libdwfl then fell back to the frame
 * pointer).  The same tables and order as libdwfl: .eh_frame, then
 * .debug_frame.
 */
static int callee_rules(struct sym_table *st, const struct sym_frame *callee, int nregs, uint32_t *rules)
{
	uint64_t lookup = callee->pc - (callee->is_return_address ? 1 : 0);
	Dwfl_Module *m = dwfl_addrmodule(st->dwfl, lookup);
	*rules = 0;
	for (int pass = 0; m && pass < 2; pass++) {
		Dwarf_Addr bias = 0;
		Dwarf_CFI *cfi = pass == 0 ? dwfl_module_eh_cfi(m, &bias) : dwfl_module_dwarf_cfi(m, &bias);
		Dwarf_Frame *frame = NULL;
		if (!cfi || dwarf_cfi_addrframe(cfi, lookup - bias, &frame) != 0)
			continue;
		for (int reg = 0; reg < nregs; reg++) {
			Dwarf_Op mem[3], *ops = NULL;
			size_t n = 0;
			if (dwarf_frame_register(frame, reg, mem, &ops, &n) == 0 && n > 0)
				*rules |= 1u << reg;
		}
		free(frame);
		return 1;
	}
	return 0;
}

int sym_cfa_rule(struct sym_table *st, uint64_t lookup, struct sym_cfa_rule *out)
{
	memset(out, 0, sizeof(*out));
	out->reg = -1;
	if (!st || !st->dwfl)
		return err_set("No symbols");
	Dwfl_Module *m = dwfl_addrmodule(st->dwfl, lookup);
	for (int pass = 0; m && pass < 2; pass++) {
		Dwarf_Addr bias = 0;
		Dwarf_CFI *cfi = pass == 0 ? dwfl_module_eh_cfi(m, &bias) : dwfl_module_dwarf_cfi(m, &bias);
		Dwarf_Frame *frame = NULL;
		if (!cfi || dwarf_cfi_addrframe(cfi, lookup - bias, &frame) != 0)
			continue;
		out->source = pass == 0 ? SYM_CFI_EH_FRAME : SYM_CFI_DEBUG_FRAME;
		Dwarf_Op *ops = NULL;
		size_t n = 0;
		/* libdw gives a "register + offset" rule as one DW_OP_bregx. */
		if (dwarf_frame_cfa(frame, &ops, &n) == 0 && n == 1 && ops[0].atom == DW_OP_bregx) {
			out->reg = (int)ops[0].number;
			out->offset = (int64_t)ops[0].number2;
		}
		free(frame);
		return 0;
	}
	return 0;
}

/*
 * The registers of a frame above the innermost.  libdwfl restores what
 * the callee's CFI rules say; for a register without a rule it applies
 * libdw's ABI defaults, whose x86-64 table names DWARF 0 (rax) instead of
 * 3 (rbx) as preserved.  So those are decided here from the SysV ABI:
 * a callee-saved register keeps its value from the callee's frame, any
 * other is lost.  Without CFI (a frame-pointer step) only the
 * callee-saved registers, sp and the return address are believed.
 */
static void frame_registers(struct unwind_ctx *u, Dwfl_Frame *frame, struct sym_frame *out)
{
	int nregs = u->is32 ? 9 : 17, spn = u->is32 ? 4 : 7, ra = nregs - 1;
	/* SysV callee-saved: rbx rbp r12-r15 / ebx ebp esi edi (DWARF numbers) */
	uint32_t callee_saved = u->is32 ? (1u << 3 | 1u << 5 | 1u << 6 | 1u << 7)
					: (1u << 3 | 1u << 6 | 1u << 12 | 1u << 13 | 1u << 14 | 1u << 15);
	uint32_t rules = 0;
	int have_cfi = callee_rules(u->st, &u->prev, nregs, &rules);
	uint64_t mask = u->is32 ? 0xffffffffu : UINT64_MAX;
	memset(&out->regs, 0, sizeof(out->regs));
	out->valid = 0;
	for (int reg = 0; reg < nregs; reg++) {
		int idx = sym_dwarf_reg(u->is32, (uint64_t)reg);
		uint32_t bit = 1u << reg;
		Dwarf_Word v = 0;
		int known = dwfl_frame_reg(frame, (unsigned)reg, &v) == 0;
		if (have_cfi && !(rules & bit)) {
			known = (callee_saved & bit) && (u->prev.valid & bit);
			v = u->prev.regs.r[idx];
		} else if (!have_cfi && !(callee_saved & bit) && reg != spn && reg != ra) {
			known = 0;
		}
		if (known) {
			out->regs.r[idx] = v & mask;
			out->valid |= bit;
		}
	}
}

static int cb_frame(Dwfl_Frame *frame, void *arg)
{
	struct unwind_ctx *u = arg;
	Dwarf_Addr pc = 0;
	bool activation = false;
	if (!dwfl_frame_pc(frame, &pc, &activation))
		return DWARF_CB_ABORT;
	uint64_t mask = u->is32 ? 0xffffffffu : UINT64_MAX;
	int spn = u->is32 ? 4 : 7;
	struct sym_frame f;
	memset(&f, 0, sizeof(f));
	/* Child-SP: the frame's own stack pointer.  libdwfl's x86 ABI rules
	 * define the caller's sp as the callee's CFA, so the unwound sp
	 * register is exactly that; when it is unknown keep the last one. */
	Dwarf_Word sp = u->regs->r[REG_RSP];
	if (u->count == 0) {
		f.regs = *u->regs;
		f.valid = SYM_ALL_REGS;
	} else if (u->flags & SYM_UNWIND_REGS) {
		frame_registers(u, frame, &f);
		sp = f.valid & (1u << spn) ? f.regs.r[REG_RSP] : u->prev.sp;
	} else if (dwfl_frame_reg(frame, (unsigned)spn, &sp) != 0) {
		sp = u->prev.sp;
	}
	pc &= mask;
	sp &= mask;
	if (u->count > 0 && (pc == 0 || (pc == u->prev.pc && sp == u->prev.sp)))
		return DWARF_CB_ABORT;	/* the end, or no progress */
	f.index = u->count;
	f.pc = pc;
	f.sp = sp;
	f.is_return_address = u->count > 0 && !activation;
	if (u->count > 0 && (u->flags & SYM_UNWIND_REGS)) {
		f.regs.r[REG_RIP] = pc;
		f.valid |= 1u << (u->is32 ? 8 : 16);
	}
	u->count++;
	u->prev = f;
	if (u->fn(u->user, &f) != 0 || u->count >= u->max)
		return DWARF_CB_ABORT;
	return DWARF_CB_OK;
}

int sym_unwind(struct sym_table *st, const struct regs *regs, int is32, int max, unsigned flags,
	       sym_frame_fn fn, void *user)
{
	if (!st || !st->dwfl || !regs || !fn)
		return err_set("Unable to unwind: no process");
	if (max <= 0)
		return 0;
	if (!is32 != !st->is32)
		return err_set("Unable to unwind: the process is not %s", is32 ? "i386" : "x86-64");
	table_attach(st);
	if (!st->attached)
		return err_set("Unable to unwind: %s", dwfl_errmsg(-1));
	struct unwind_ctx u = {
		.st = st, .regs = regs, .is32 = is32, .max = max, .flags = flags, .fn = fn, .user = user,
	};
	st->uw = &u;
	/* An error after the first frame is just the end of what CFI can say. */
	dwfl_getthread_frames(st->dwfl, UNWIND_THREAD, cb_frame, &u);
	st->uw = NULL;
	if (u.count == 0)
		return err_set("Unable to unwind: %s", dwfl_errmsg(-1));
	return u.count;
}
