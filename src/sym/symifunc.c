/*
 * symifunc.c — where a GNU indirect function really is (sym.h,
 * sym_ifunc_target): its STT_GNU_IFUNC symbol names a resolver, and the
 * implementation the program calls is what the resolver returned, which
 * the dynamic linker wrote into GOT slots.  This file reads those slots:
 * no code runs in the program.
 *
 * Slots, in the order they are believed:
 *   1. R_X86_64_IRELATIVE / R_386_IRELATIVE in the defining module whose
 *      addend is the resolver (RELA: r_addend; REL: the slot's value in the
 *      file); the dynamic linker applies them while it relocates the
 *      module, before its initialisers run;
 *   2. R_*_JUMP_SLOT and R_*_GLOB_DAT of any module for one of the
 *      symbol's names (memcmp and bcmp share a resolver), once bound.
 * A slot's value is the implementation only when it is an address inside
 * the defining module other than the resolver: before relocation a slot
 * holds its file value (no load bias) or, lazily bound, a PLT stub of the
 * module that calls.  Corrupt or missing sections just give no slot.
 */
#include "sym/sym.h"

#include <elf.h>
#include <elfutils/libdwfl.h>
#include <gelf.h>
#include <stdlib.h>
#include <string.h>

#define MAX_NAMES 8

struct ifunc {
	uint64_t resolver;
	uint64_t lo, hi;	/* the defining module */
	const char *names[MAX_NAMES];	/* its IFUNC symbols at the resolver, "@VERSION" cut */
	size_t name_len[MAX_NAMES];
	int nnames;
};

static size_t base_len(const char *name)
{
	const char *at = strchr(name, '@');
	return at ? (size_t)(at - name) : strlen(name);
}

/* The IFUNC symbols of dm at addr; 0 when addr starts none. */
static int ifunc_names(Dwfl_Module *dm, uint64_t addr, struct ifunc *f)
{
	int n = dwfl_module_getsymtab(dm);
	for (int i = 1; i < n && f->nnames < MAX_NAMES; i++) {
		GElf_Sym sym;
		GElf_Addr value;
		const char *name = dwfl_module_getsym_info(dm, i, &sym, &value, NULL, NULL, NULL);
		if (!name || !*name || GELF_ST_TYPE(sym.st_info) != STT_GNU_IFUNC || value != addr)
			continue;
		size_t len = base_len(name);
		int dup = 0;
		for (int k = 0; k < f->nnames; k++)
			dup |= f->name_len[k] == len && !strncmp(f->names[k], name, len);
		if (!dup) {
			f->names[f->nnames] = name;
			f->name_len[f->nnames++] = len;
		}
	}
	return f->nnames;
}

static int names_match(const struct ifunc *f, const char *name)
{
	size_t len = base_len(name);
	for (int k = 0; k < f->nnames; k++)
		if (f->name_len[k] == len && !strncmp(f->names[k], name, len))
			return 1;
	return 0;
}

/* The file value of the word at vaddr (REL addends live there). */
static int file_word(Elf *elf, uint64_t vaddr, int is32, uint64_t *v)
{
	Elf_Scn *scn = NULL;
	while ((scn = elf_nextscn(elf, scn))) {
		GElf_Shdr sh;
		if (!gelf_getshdr(scn, &sh) || sh.sh_type != SHT_PROGBITS || vaddr < sh.sh_addr ||
		    vaddr - sh.sh_addr >= sh.sh_size)
			continue;
		Elf_Data *d = elf_getdata(scn, NULL);
		size_t off = (size_t)(vaddr - sh.sh_addr), w = is32 ? 4 : 8;
		if (!d || !d->d_buf || off > d->d_size || d->d_size - off < w)
			return -1;
		uint64_t x = 0;
		memcpy(&x, (const char *)d->d_buf + off, w);
		*v = x;
		return 0;
	}
	return -1;
}

/* The slot's value if it holds the implementation (see the file comment). */
static int slot_value(struct sym_table *st, const struct ifunc *f, uint64_t slot, int is32, uint64_t *impl)
{
	uint64_t v = 0;
	size_t w = is32 ? 4 : 8;
	if (sym_read(st, slot, &v, w) != (int)w)
		return -1;
	if (v == f->resolver || v < f->lo || v >= f->hi)
		return -1;
	*impl = v;
	return 0;
}

/* One module's relocation sections; own: the defining module (IRELATIVE counts there). */
static int scan_module(struct sym_table *st, Dwfl_Module *dm, const struct ifunc *f, int own, uint64_t *impl)
{
	GElf_Addr bias = 0;
	Elf *elf = dwfl_module_getelf(dm, &bias);
	GElf_Ehdr eh;
	if (!elf || !gelf_getehdr(elf, &eh))
		return -1;
	int is32 = eh.e_machine == EM_386;
	if (!is32 && eh.e_machine != EM_X86_64)
		return -1;
	unsigned irelative = is32 ? R_386_IRELATIVE : R_X86_64_IRELATIVE;
	unsigned jump_slot = is32 ? R_386_JMP_SLOT : R_X86_64_JUMP_SLOT;
	unsigned glob_dat = is32 ? R_386_GLOB_DAT : R_X86_64_GLOB_DAT;
	Elf_Scn *scn = NULL;
	while ((scn = elf_nextscn(elf, scn))) {
		GElf_Shdr sh;
		if (!gelf_getshdr(scn, &sh) || (sh.sh_type != SHT_RELA && sh.sh_type != SHT_REL) || !sh.sh_entsize)
			continue;
		Elf_Data *d = elf_getdata(scn, NULL);
		Elf_Scn *symscn = elf_getscn(elf, sh.sh_link);
		GElf_Shdr symsh;
		Elf_Data *syms = symscn && gelf_getshdr(symscn, &symsh) ? elf_getdata(symscn, NULL) : NULL;
		if (!d)
			continue;
		size_t n = sh.sh_size / sh.sh_entsize;
		for (size_t i = 0; i < n; i++) {
			GElf_Rela r;
			if (sh.sh_type == SHT_RELA) {
				if (!gelf_getrela(d, (int)i, &r))
					break;
			} else {
				GElf_Rel rel;
				if (!gelf_getrel(d, (int)i, &rel))
					break;
				r.r_offset = rel.r_offset;
				r.r_info = rel.r_info;
				r.r_addend = 0;
			}
			unsigned type = (unsigned)GELF_R_TYPE(r.r_info);
			uint64_t slot = r.r_offset + bias;
			if (type == irelative && own) {
				uint64_t addend = (uint64_t)r.r_addend;
				if (sh.sh_type == SHT_REL && file_word(elf, r.r_offset, is32, &addend) < 0)
					continue;
				if (addend + bias == f->resolver && slot_value(st, f, slot, is32, impl) == 0)
					return 0;
			} else if ((type == jump_slot || type == glob_dat) && syms) {
				GElf_Sym sym;
				size_t idx = GELF_R_SYM(r.r_info);
				if (!idx || !gelf_getsym(syms, (int)idx, &sym))
					continue;
				const char *name = elf_strptr(elf, symsh.sh_link, sym.st_name);
				if (name && names_match(f, name) && slot_value(st, f, slot, is32, impl) == 0)
					return 0;
			}
		}
	}
	return -1;
}

int sym_ifunc_target(struct sym_table *st, uint64_t addr, uint64_t *impl)
{
	if (!st || !sym_is_ifunc(st, addr))
		return 1;
	Dwfl *dwfl = sym_dwfl(st);
	Dwfl_Module *own = dwfl ? dwfl_addrmodule(dwfl, addr) : NULL;
	struct sym_module om;
	if (!own || sym_module_at(st, addr, &om) < 0)
		return 1;
	struct ifunc f = { .resolver = addr, .lo = om.start, .hi = om.end };
	if (!ifunc_names(own, addr, &f))
		return 1;
	if (scan_module(st, own, &f, 1, impl) == 0)
		return 0;
	int n = sym_module_count(st);
	for (int i = 0; i < n; i++) {
		struct sym_module m;
		Dwfl_Module *dm;
		if (sym_module_get(st, i, &m) < 0 || !(dm = dwfl_addrmodule(dwfl, m.start)) || dm == own)
			continue;
		if (scan_module(st, dm, &f, 0, impl) == 0)
			return 0;
	}
	int best = 0;	/* the shortest name: strstr, not __libc_strstr */
	for (int k = 1; k < f.nnames; k++)
		if (f.name_len[k] < f.name_len[best])
			best = k;
	return err_set("%.*s is a GNU indirect function whose implementation is not chosen yet",
		       (int)f.name_len[best], f.names[best]);
}
