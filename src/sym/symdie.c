/*
 * symdie.c — reading DIEs for the DWARF variable module (symvar_internal.h):
 * a DIE's name and flags, and the walk over the top-level DIEs of the
 * units and modules in lookup order (symvar.h), with the search for a
 * struct, union or enum definition by tag name built on it.
 *
 * The bottom of the module's files: it calls only libdw and sym.h, so
 * symtype.c, symloc.c and symvar.c can all use it without a cycle.
 *
 * Invariants: the walk visits the scope's unit, the rest of its module,
 * then the other modules in load order, and stops at the first DIE the
 * callback accepts; with a symbol name, another module is walked only when
 * its ELF symbol table has that name.
 */
#include "sym/symvar_internal.h"

#include <dwarf.h>
#include <stdbool.h>
#include <string.h>

const char *symdie_name(Dwarf_Die *die)
{
	Dwarf_Attribute a;
	if (!dwarf_attr_integrate(die, DW_AT_name, &a))
		return NULL;
	return dwarf_formstring(&a);
}

int symdie_flag(Dwarf_Die *die, unsigned name)
{
	Dwarf_Attribute a;
	bool f = false;
	if (!dwarf_attr_integrate(die, name, &a) || dwarf_formflag(&a, &f) != 0)
		return 0;
	return f;
}

static int names_equal(const char *dwname, const char *name)
{
	return dwname && !strcmp(dwname, name);
}

static int walk_cu(struct symvar_scope *sc, Dwarf_Die *cu, Dwarf_Addr bias, symdie_fn fn, void *arg)
{
	Dwarf_Die c;
	if (dwarf_child(cu, &c) != 0)
		return 0;
	do {
		if (fn(sc, &c, bias, arg))
			return 1;
	} while (dwarf_siblingof(&c, &c) == 0);
	return 0;
}

static int walk_module(struct symvar_scope *sc, Dwfl_Module *m, const Dwarf_Die *skip_cu, symdie_fn fn,
		       void *arg)
{
	Dwarf_Addr bias = 0;
	if (!m || !dwfl_module_getdwarf(m, &bias))
		return 0;
	Dwarf_Die *cu = NULL;
	while ((cu = dwfl_module_nextcu(m, cu, &bias)) != NULL) {
		if (skip_cu && dwarf_dieoffset(cu) == dwarf_dieoffset((Dwarf_Die *)skip_cu) &&
		    cu->cu == skip_cu->cu)
			continue;
		if (walk_cu(sc, cu, bias, fn, arg))
			return 1;
	}
	return 0;
}

/*
 * The scope's unit, the rest of its module, then the other modules in load
 * order.  With symbol set, another module is walked only when its ELF
 * symbol table has that name: a global variable always has a symbol, and
 * walking every unit of a big library (libc with debug information) for a
 * name it does not define costs tens of milliseconds.
 */
int symdie_walk(struct symvar_scope *sc, Dwfl_Module *only, symdie_fn fn, void *arg, const char *symbol)
{
	if (only)
		return walk_module(sc, only, NULL, fn, arg);
	if (sc->have_cu && walk_cu(sc, &sc->cudie, sc->bias, fn, arg))
		return 1;
	if (sc->mod && walk_module(sc, sc->mod, sc->have_cu ? &sc->cudie : NULL, fn, arg))
		return 1;
	int n = sym_module_count(sc->st);
	for (int i = 0; i < n; i++) {
		struct sym_module info;
		if (sym_module_get(sc->st, i, &info) < 0 || !info.has_dwarf)
			continue;
		Dwfl_Module *m = dwfl_addrmodule(sc->dwfl, info.start);
		if (!m || m == sc->mod)
			continue;
		if (symbol) {
			struct sbuf q = { 0 };
			uint64_t a;
			sb_addf(&q, "%s!%s", info.name, symbol);
			int has = sym_lookup(sc->st, sb_str(&q), &a) == 0;
			sb_free(&q);
			if (!has)
				continue;
		}
		if (walk_module(sc, m, NULL, fn, arg))
			return 1;
	}
	return 0;
}

struct def_search {
	int tag;
	const char *name;
	Dwarf_Die found;
	int ok;
};

static int same_kind_tag(int a, int b)
{
	if (a == DW_TAG_class_type)
		a = DW_TAG_structure_type;
	if (b == DW_TAG_class_type)
		b = DW_TAG_structure_type;
	return a == b;
}

static int cb_definition(struct symvar_scope *sc, Dwarf_Die *die, Dwarf_Addr bias, void *arg)
{
	struct def_search *d = arg;
	if (!same_kind_tag(dwarf_tag(die), d->tag) || symdie_flag(die, DW_AT_declaration))
		return 0;
	if (!names_equal(symdie_name(die), d->name))
		return 0;
	d->found = *die;
	d->ok = 1;
	return 1;
}

int symdie_find_definition(struct symvar_scope *sc, int tag, const char *name, Dwarf_Die *out)
{
	sc->def_searches++;
	struct def_search d = { .tag = tag, .name = name };
	symdie_walk(sc, NULL, cb_definition, &d, NULL);
	if (!d.ok)
		return -1;
	*out = d.found;
	return 0;
}
