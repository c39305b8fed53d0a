/*
 * symvar.c — the names visible at a code address (contract in symvar.h):
 * the scope at a pc, and lookup of variables, registers, types and dv's
 * locals through libdw.  Types come from symtype.c, locations from
 * symloc.c, the walk over units and modules from symdie.c; this file
 * decides which DIE a name means.
 *
 * A scope lives only while an expression is compiled: it holds libdw
 * state (the scope DIE chain at pc, symtype.c's DIE -> cx_type memo).
 * What it produces — cx_types and vloc location programs — lives in the
 * caller's cx_pool and refers to nothing of libdw, so a compiled /w
 * condition survives module list refreshes and costs no DWARF work at a
 * hit.
 *
 * Invariants: lookups walk units and modules in the order symvar.h gives
 * (innermost block first, then the scope's unit, its module, the other
 * modules) and stop at the first match; names are at most MAX_NAME bytes;
 * another module is walked for a variable only when its ELF symbol table
 * has the name.
 */
#include "sym/symvar_internal.h"

#include <dwarf.h>
#include <stdlib.h>
#include <string.h>

#define MAX_NAME 512

static int names_equal(const char *dwname, const char *name)
{
	return dwname && !strcmp(dwname, name);
}

/* ---- scope construction ---- */

static int is_function_tag(int tag)
{
	return tag == DW_TAG_subprogram || tag == DW_TAG_inlined_subroutine;
}

struct symvar_scope *symvar_scope_new(struct sym_table *st, uint64_t pc, int is32, struct cx_pool *pool)
{
	struct symvar_scope *sc = xcalloc(1, sizeof(*sc));
	sc->st = st;
	sc->dwfl = (Dwfl *)sym_dwfl(st);
	sc->pool = pool;
	sc->is32 = is32;
	sc->ptrsize = is32 ? 4 : 8;
	sc->pc = pc;
	sc->fn_idx = sc->sub_idx = -1;
	if (!sc->dwfl)
		return sc;
	if (pc) {
		sc->mod = dwfl_addrmodule(sc->dwfl, pc);
		Dwarf_Die *cu = sc->mod ? dwfl_module_addrdie(sc->mod, pc, &sc->bias) : NULL;
		if (cu) {
			sc->cudie = *cu;
			sc->have_cu = 1;
			int n = dwarf_getscopes(&sc->cudie, pc - sc->bias, &sc->scopes);
			sc->nscopes = n > 0 ? n : 0;
			if (n <= 0)
				sc->scopes = NULL;
			for (int i = 0; i < sc->nscopes; i++) {
				int tag = dwarf_tag(&sc->scopes[i]);
				if (sc->fn_idx < 0 && is_function_tag(tag))
					sc->fn_idx = i;
				if (tag == DW_TAG_subprogram) {
					sc->sub_idx = i;
					break;
				}
			}
		}
		struct sym_module mi;
		const char *fname = sc->fn_idx >= 0 ? symdie_name(&sc->scopes[sc->fn_idx]) : NULL;
		struct sym_func f;
		if (!fname && sym_function_at(st, pc, &f) == 0)
			fname = f.name;
		if (fname && sym_module_at(st, pc, &mi) == 0) {
			struct sbuf sb = { 0 };
			sb_addf(&sb, "%s!%s", mi.name, fname);
			sc->where = xstrdup(sb_str(&sb));
			sb_free(&sb);
		}
	}
	return sc;
}

void symvar_scope_free(struct symvar_scope *sc)
{
	if (!sc)
		return;
	free(sc->scopes);
	free(sc->where);
	free(sc->slots);
	free(sc->memo);
	free(sc->pend);
	free(sc);
}

const char *symvar_where(struct symvar_scope *sc)
{
	return sc ? sc->where : NULL;
}

void symvar_cx_scope(struct symvar_scope *sc, struct cx_scope *out)
{
	memset(out, 0, sizeof(*out));
	out->user = sc;
	out->pool = sc->pool;
	out->ptrsize = sc->ptrsize;
	out->var = symvar_var;
	out->type = symvar_type;
	out->where = sc->where;
}

/* ---- name lookup ---- */

struct global_search {
	const char *name;
	int found;		/* 1 definition, 2 enumerator, 3 function */
	Dwarf_Die die;
	Dwarf_Addr bias;
	int64_t enum_value;
	const struct cx_type *enum_type;
	int have_decl;
	Dwarf_Die decl;
};

static int cb_global(struct symvar_scope *sc, Dwarf_Die *die, Dwarf_Addr bias, void *arg)
{
	struct global_search *g = arg;
	int tag = dwarf_tag(die);
	if (tag == DW_TAG_variable) {
		if (!names_equal(symdie_name(die), g->name))
			return 0;
		if (dwarf_hasattr(die, DW_AT_location) || dwarf_hasattr_integrate(die, DW_AT_const_value)) {
			g->found = 1;
			g->die = *die;
			g->bias = bias;
			return 1;
		}
		if (!g->have_decl) {
			g->have_decl = 1;
			g->decl = *die;
		}
		return 0;
	}
	if (tag == DW_TAG_enumeration_type) {
		Dwarf_Die c;
		if (dwarf_child(die, &c) != 0)
			return 0;
		do {
			Dwarf_Attribute a;
			Dwarf_Sword v;
			if (dwarf_tag(&c) == DW_TAG_enumerator && names_equal(symdie_name(&c), g->name) &&
			    dwarf_attr(&c, DW_AT_const_value, &a) && dwarf_formsdata(&a, &v) == 0) {
				g->found = 2;
				g->enum_value = v;
				g->enum_type = symtype_convert(sc, die);
				return 1;
			}
		} while (dwarf_siblingof(&c, &c) == 0);
		return 0;
	}
	if (tag == DW_TAG_subprogram && names_equal(symdie_name(die), g->name)) {
		Dwarf_Addr low;
		if (dwarf_lowpc(die, &low) == 0) {
			g->found = 3;
			g->die = *die;
			g->bias = bias;
			return 1;
		}
	}
	return 0;
}

static int lookup_global(struct symvar_scope *sc, const char *name, Dwfl_Module *only, struct cx_sym *out)
{
	struct global_search g = { .name = name };
	symdie_walk(sc, only, cb_global, &g, name);
	memset(out, 0, sizeof(*out));
	switch (g.found) {
	case 1:
		symloc_var_sym(sc, &g.die, g.bias, name, 0, out);
		return 0;
	case 2:
		out->is_constant = 1;
		out->value = g.enum_value;
		out->type = g.enum_type;
		return 0;
	case 3: {
		Dwarf_Addr low = 0;
		dwarf_lowpc(&g.die, &low);
		out->type = symtype_convert(sc, &g.die);
		out->loc = symloc_addr(sc, name, low + g.bias);
		return 0;
	}
	default:
		break;
	}
	if (g.have_decl) {
		/* Declared here, defined where there is no DWARF: the ELF symbol gives the address. */
		uint64_t addr;
		if (sym_lookup(sc->st, name, &addr) < 0)
			return err_set("Couldn't resolve error at '%s' (declared, but no definition or symbol found)", name);
		out->type = symtype_of_die(sc, &g.decl);
		out->loc = symloc_addr(sc, name, addr);
		return 0;
	}
	return 1;
}

static int scope_var_tag(int tag)
{
	return tag == DW_TAG_variable || tag == DW_TAG_formal_parameter;
}

static int lookup_local(struct symvar_scope *sc, const char *name, struct cx_sym *out)
{
	if (sc->fn_idx < 0)
		return 1;
	for (int i = 0; i <= sc->fn_idx && i < sc->nscopes; i++) {
		Dwarf_Die c;
		if (dwarf_child(&sc->scopes[i], &c) != 0)
			continue;
		do {
			if (!scope_var_tag(dwarf_tag(&c)) || !names_equal(symdie_name(&c), name))
				continue;
			if (symdie_flag(&c, DW_AT_declaration) && !dwarf_hasattr(&c, DW_AT_location)) {
				/* "extern int x;" inside a function: the global */
				return 1;
			}
			symloc_var_sym(sc, &c, sc->bias, name, 1, out);
			return 0;
		} while (dwarf_siblingof(&c, &c) == 0);
	}
	return 1;
}

static int lookup_register(struct symvar_scope *sc, const char *name, size_t len, struct cx_sym *out)
{
	struct reg_ref ref;
	if (regs_lookup(name, len, sc->is32, &ref) < 0)
		return 1;
	if (ref.is_xmm)
		return err_set("not supported: @%.*s in C expressions", (int)len, name);
	struct vloc *l = symloc_new(sc, LK_REGISTER, cx_strndup(sc->pool, name, len));
	l->reg = ref;
	/* Which DWARF register backs it, for frames where only some are known
	 * (-1 for registers the target's DWARF numbering lacks). */
	l->reg_dwarf = sym_reg_dwarf(sc->is32, ref.index);
	enum cx_builtin b = ref.bits > 32 ? CXB_UINT64 : ref.bits > 16 ? CXB_UINT : ref.bits > 8 ? CXB_USHORT : CXB_UCHAR;
	out->type = cx_builtin(b, sc->ptrsize);
	out->loc = l;
	return 0;
}

/*
 * Copies name (len < MAX_NAME) into buf and splits "mod!name": *only is
 * mod's libdw module (NULL without a '!') and *nm the name itself.  0, or
 * 1 when there is no such module.
 */
static int split_name(struct symvar_scope *sc, const char *name, size_t len, char *buf, Dwfl_Module **only,
		      const char **nm)
{
	memcpy(buf, name, len);
	buf[len] = 0;
	*only = NULL;
	*nm = buf;
	char *bang = strchr(buf, '!');
	if (!bang)
		return 0;
	*bang = 0;
	struct sym_module mi;
	if (sym_module_by_name(sc->st, buf, &mi) < 0 || !(*only = dwfl_addrmodule(sc->dwfl, mi.start)))
		return 1;
	*nm = bang + 1;
	return 0;
}

int symvar_var(void *scope, const char *name, size_t len, int is_reg, struct cx_sym *out)
{
	struct symvar_scope *sc = scope;
	memset(out, 0, sizeof(*out));
	if (!len || len >= MAX_NAME)
		return 1;
	if (is_reg)
		return name[0] == '$' ? 1 : lookup_register(sc, name, len, out);
	char buf[MAX_NAME];
	Dwfl_Module *only;
	const char *nm;
	if (!sc->dwfl || split_name(sc, name, len, buf, &only, &nm))
		return 1;
	if (only)
		return lookup_global(sc, nm, only, out);
	int rc = lookup_local(sc, buf, out);
	if (rc == 0)
		out->in_frame = 1;
	if (rc <= 0)
		return rc;
	rc = lookup_global(sc, buf, NULL, out);
	if (rc != 1)
		return rc;
	/* A symbol without debug information: usable through a cast, (int)counter. */
	uint64_t addr;
	if (sym_lookup(sc->st, buf, &addr) < 0)
		return 1;
	struct vloc *l = symloc_addr(sc, buf, addr);
	struct cx_type *t = cx_type_new(sc->pool, CX_VOID);
	t->name = "<no type information>";
	out->type = t;
	out->loc = l;
	return 0;
}

struct type_search {
	int tags[6];
	const char *name;
	Dwarf_Die found;
	int ok;
	int decl_ok;
	Dwarf_Die decl;
};

static int cb_type(struct symvar_scope *sc, Dwarf_Die *die, Dwarf_Addr bias, void *arg)
{
	struct type_search *t = arg;
	int tag = dwarf_tag(die);
	int match = 0;
	for (int i = 0; i < 6 && t->tags[i]; i++)
		match |= tag == t->tags[i];
	if (!match || !names_equal(symdie_name(die), t->name))
		return 0;
	if (symdie_flag(die, DW_AT_declaration)) {
		if (!t->decl_ok) {
			t->decl_ok = 1;
			t->decl = *die;
		}
		return 0;
	}
	t->found = *die;
	t->ok = 1;
	return 1;
}

/* The type DIE name stands for (see symvar_type); 0 found (*die), 1 none. */
static int find_type(struct symvar_scope *sc, enum cx_kind tag, const char *name, size_t len, Dwarf_Die *die)
{
	if (!sc->dwfl || !len || len >= MAX_NAME)
		return 1;
	char buf[MAX_NAME];
	Dwfl_Module *only;
	const char *nm;
	if (split_name(sc, name, len, buf, &only, &nm))
		return 1;
	struct type_search t = { .name = nm };
	switch (tag) {
	case CX_STRUCT:
		t.tags[0] = DW_TAG_structure_type;
		t.tags[1] = DW_TAG_class_type;
		break;
	case CX_UNION:
		t.tags[0] = DW_TAG_union_type;
		break;
	case CX_ENUM:
		t.tags[0] = DW_TAG_enumeration_type;
		break;
	case CX_VOID:	/* any kind: a struct, union or enum tag, a typedef or a base type */
		t.tags[0] = DW_TAG_structure_type;
		t.tags[1] = DW_TAG_class_type;
		t.tags[2] = DW_TAG_union_type;
		t.tags[3] = DW_TAG_enumeration_type;
		t.tags[4] = DW_TAG_typedef;
		t.tags[5] = DW_TAG_base_type;
		break;
	default:
		t.tags[0] = DW_TAG_typedef;
		t.tags[1] = DW_TAG_base_type;
		break;
	}
	/* Types local to the function come first (a struct defined inside it). */
	for (int i = 0; !only && i <= sc->fn_idx && i < sc->nscopes && !t.ok; i++) {
		Dwarf_Die c;
		if (dwarf_child(&sc->scopes[i], &c) != 0)
			continue;
		do
			if (cb_type(sc, &c, sc->bias, &t))
				break;
		while (dwarf_siblingof(&c, &c) == 0);
	}
	if (!t.ok)
		symdie_walk(sc, only, cb_type, &t, NULL);
	if (!t.ok && !t.decl_ok)
		return 1;
	*die = t.ok ? t.found : t.decl;
	return 0;
}

int symvar_type(void *scope, enum cx_kind tag, const char *name, size_t len, const struct cx_type **out)
{
	struct symvar_scope *sc = scope;
	Dwarf_Die die;
	if (find_type(sc, tag, name, len, &die))
		return 1;
	*out = symtype_convert(sc, &die);
	return 0;
}

int symvar_type_module(struct symvar_scope *sc, enum cx_kind tag, const char *name, size_t len, const char **module)
{
	Dwarf_Die die;
	*module = NULL;
	if (find_type(sc, tag, name, len, &die))
		return 1;
	Dwarf *dbg = dwarf_cu_getdwarf(die.cu);
	int n = sym_module_count(sc->st);
	for (int i = 0; i < n; i++) {
		struct sym_module info;
		Dwarf_Addr bias;
		if (sym_module_get(sc->st, i, &info) < 0 || !info.has_dwarf)
			continue;
		Dwfl_Module *m = dwfl_addrmodule(sc->dwfl, info.start);
		if (m && dwfl_module_getdwarf(m, &bias) == dbg) {
			*module = info.name;
			return 0;
		}
	}
	return 0;
}

/* ---- dv ---- */

int symvar_locals(struct symvar_scope *sc, symvar_local_fn fn, void *user)
{
	if (sc->fn_idx < 0)
		return err_set("No local variables: %s has no debug information for this address",
			       sc->where ? sc->where : "the code");
	int count = 0;
	/* Parameters first, then locals from the function's outermost block inward. */
	for (int pass = 0; pass < 2; pass++) {
		for (int i = sc->fn_idx; i >= 0; i--) {
			Dwarf_Die c;
			if (dwarf_child(&sc->scopes[i], &c) != 0)
				continue;
			do {
				int tag = dwarf_tag(&c);
				if (pass == 0 ? tag != DW_TAG_formal_parameter : tag != DW_TAG_variable)
					continue;
				if (symdie_flag(&c, DW_AT_declaration) && !dwarf_hasattr(&c, DW_AT_location))
					continue;
				const char *nm = symdie_name(&c);
				if (!nm)
					continue;
				struct cx_sym s;
				symloc_var_sym(sc, &c, sc->bias, nm, 1, &s);
				fn(user, nm, pass == 0, &s);
				count++;
			} while (dwarf_siblingof(&c, &c) == 0);
		}
	}
	return count;
}
