/*
 * symvar.c — DWARF variables, types and locations through libdw (contract
 * in symvar.h).
 *
 * A scope lives only while an expression is compiled: it holds libdw
 * state (the scope DIE chain at pc, a DIE -> cx_type memo).  What it
 * produces — cx_types and struct vloc location programs — lives in the
 * caller's cx_pool and refers to nothing of libdw, so a compiled /w
 * condition survives module list refreshes and costs no DWARF work at a
 * hit.
 *
 * Types are converted without deep recursion: pointers, typedefs, arrays
 * and qualifiers recurse (bounded by MAX_TYPE_DEPTH); a struct, union or
 * enum is first created as a shell (kind, name, size) and its members are
 * filled from a work list, so cyclic and very wide type graphs are fine.
 * At most MAX_TYPES types are converted per scope; past that, structs stay
 * incomplete.
 *
 * Location programs are interpreted by a small DWARF stack machine with a
 * bounded stack and no branches (DW_OP_skip/bra are refused: compilers do
 * not emit them in locations).  Registers map from DWARF numbers to struct
 * regs; a register the unwinder could not restore is an error, not a zero.
 */
#include "symvar.h"

#include <dwarf.h>
#include <elfutils/libdw.h>
#include <elfutils/libdwfl.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#define MAX_TYPE_DEPTH 48
#define MAX_TYPES 50000
#define MAX_DEF_SEARCHES 64
#define MAX_OPS 64
#define EVAL_STACK 64
#define MAX_NAME 512

/* ---- location programs ---- */

struct vop {
	uint8_t atom;
	uint64_t n1, n2;
};

/* The frame base and CFA programs of one function at one pc. */
struct fbase {
	const struct vop *fb;
	size_t nfb;
	const char *fb_why;	/* NULL when fb is usable */
	const struct vop *cfa;
	size_t ncfa;
	const char *cfa_why;
};

enum loc_kind { LK_EXPR, LK_REGISTER, LK_PSEUDO, LK_BYTES, LK_UNAVAIL, LK_ADDR };

struct vloc {
	enum loc_kind kind;
	const char *name;	/* the variable, for messages */
	const char *why;	/* LK_UNAVAIL */
	const struct vop *ops;	/* LK_EXPR */
	size_t nops;
	const struct fbase *fb;
	struct reg_ref reg;	/* LK_REGISTER */
	int reg_dwarf;		/* its DWARF number, -1 when it has none */
	uint8_t bytes[16];	/* LK_BYTES */
	size_t nbytes;
	uint64_t addr;		/* LK_ADDR */
};

/* ---- the scope ---- */

struct memo_ent {
	const void *dbg;
	uint64_t off;
	const struct cx_type *t;
};

struct pending {
	Dwarf_Die die;
	struct cx_type *t;
};

enum slot_kind { SLOT_NONE, SLOT_REG, SLOT_STACK, SLOT_UNAVAIL };

struct abi_slot {
	uint64_t off;		/* DIE offset of the parameter */
	enum slot_kind kind;
	int reg;		/* SLOT_REG: DWARF register */
	uint64_t stack;		/* SLOT_STACK: CFA + stack */
	const char *why;	/* SLOT_UNAVAIL */
};

struct symvar_scope {
	struct sym_table *st;
	Dwfl *dwfl;
	struct cx_pool *pool;
	int is32, ptrsize;
	uint64_t pc;
	Dwfl_Module *mod;
	Dwarf_Addr bias;
	Dwarf_Die cudie;
	int have_cu;
	Dwarf_Die *scopes;
	int nscopes;
	int fn_idx;		/* innermost function (subprogram or inlined instance), -1 if none */
	int sub_idx;		/* the concrete subprogram (owner of the frame base), -1 if none */
	char *where;
	struct fbase *fbase;
	int fbase_done;
	int prologue_done, in_prologue, at_entry;
	struct abi_slot *slots;
	int nslots;

	struct memo_ent *memo;
	size_t memo_cap, memo_n;
	struct pending *pend;
	size_t npend, pend_cap;
	int ntypes;
	int def_searches;
};

static const struct cx_type *tvoid(struct symvar_scope *sc)
{
	return cx_builtin(CXB_VOID, sc->ptrsize);
}

/* ---- small libdw helpers ---- */

static const char *die_name(Dwarf_Die *die)
{
	Dwarf_Attribute a;
	if (!dwarf_attr_integrate(die, DW_AT_name, &a))
		return NULL;
	return dwarf_formstring(&a);
}

static int die_flag(Dwarf_Die *die, unsigned name)
{
	Dwarf_Attribute a;
	bool f = false;
	if (!dwarf_attr_integrate(die, name, &a) || dwarf_formflag(&a, &f) != 0)
		return 0;
	return f;
}

static int die_udata(Dwarf_Die *die, unsigned name, uint64_t *v)
{
	Dwarf_Attribute a;
	Dwarf_Word w;
	if (!dwarf_attr_integrate(die, name, &a) || dwarf_formudata(&a, &w) != 0)
		return -1;
	*v = w;
	return 0;
}

static int die_type(Dwarf_Die *die, Dwarf_Die *out)
{
	Dwarf_Attribute a;
	if (!dwarf_attr_integrate(die, DW_AT_type, &a))
		return -1;
	return dwarf_formref_die(&a, out) ? 0 : -1;
}

static int names_equal(const char *dwname, const char *name)
{
	return dwname && !strcmp(dwname, name);
}

/* ---- types ---- */

static size_t memo_slot(const struct symvar_scope *sc, const void *dbg, uint64_t off)
{
	uint64_t h = off * 0x9e3779b97f4a7c15ull ^ (uint64_t)(uintptr_t)dbg;
	return (size_t)(h ^ (h >> 29)) & (sc->memo_cap - 1);
}

static const struct cx_type *memo_get(struct symvar_scope *sc, const void *dbg, uint64_t off)
{
	if (!sc->memo_cap)
		return NULL;
	for (size_t i = memo_slot(sc, dbg, off);; i = (i + 1) & (sc->memo_cap - 1)) {
		struct memo_ent *e = &sc->memo[i];
		if (!e->t)
			return NULL;
		if (e->dbg == dbg && e->off == off)
			return e->t;
	}
}

static void memo_put(struct symvar_scope *sc, const void *dbg, uint64_t off, const struct cx_type *t)
{
	if ((sc->memo_n + 1) * 2 > sc->memo_cap) {
		size_t cap = sc->memo_cap ? sc->memo_cap * 2 : 256;
		struct memo_ent *old = sc->memo;
		size_t oldcap = sc->memo_cap;
		sc->memo = xcalloc(cap, sizeof(*sc->memo));
		sc->memo_cap = cap;
		for (size_t i = 0; i < oldcap; i++) {
			if (!old[i].t)
				continue;
			size_t j = memo_slot(sc, old[i].dbg, old[i].off);
			while (sc->memo[j].t)
				j = (j + 1) & (cap - 1);
			sc->memo[j] = old[i];
		}
		free(old);
	}
	size_t i = memo_slot(sc, dbg, off);
	while (sc->memo[i].t)
		i = (i + 1) & (sc->memo_cap - 1);
	sc->memo[i] = (struct memo_ent){ dbg, off, t };
	sc->memo_n++;
}

static const struct cx_type *convert(struct symvar_scope *sc, Dwarf_Die *die, int depth);

static const struct cx_type *convert_ref(struct symvar_scope *sc, Dwarf_Die *die, int depth)
{
	Dwarf_Die t;
	if (die_type(die, &t) < 0)
		return tvoid(sc);
	return convert(sc, &t, depth + 1);
}

static struct cx_type *new_type(struct symvar_scope *sc, enum cx_kind k, Dwarf_Die *die)
{
	struct cx_type *t = cx_type_new(sc->pool, k);
	const char *n = die ? die_name(die) : NULL;
	if (n)
		t->name = cx_strndup(sc->pool, n, strlen(n));
	sc->ntypes++;
	return t;
}

static const struct cx_type *convert_base(struct symvar_scope *sc, Dwarf_Die *die)
{
	uint64_t enc = 0, size = 0;
	die_udata(die, DW_AT_encoding, &enc);
	if (die_udata(die, DW_AT_byte_size, &size) < 0)
		size = 0;
	struct cx_type *t;
	switch (enc) {
	case DW_ATE_boolean:
		t = new_type(sc, CX_BOOL, die);
		break;
	case DW_ATE_float:
		t = new_type(sc, CX_FLOAT, die);
		t->is_signed = 1;
		break;
	case DW_ATE_signed:
	case DW_ATE_signed_char:
		t = new_type(sc, CX_INT, die);
		t->is_signed = 1;
		t->is_char = enc == DW_ATE_signed_char;
		break;
	case DW_ATE_unsigned:
	case DW_ATE_unsigned_char:
	case DW_ATE_UTF:
		t = new_type(sc, CX_INT, die);
		t->is_char = enc != DW_ATE_unsigned;
		break;
	default:
		/* complex, decimal float...: shown by type name only */
		t = new_type(sc, CX_STRUCT, die);
		break;
	}
	t->size = size;
	return t;
}

static const struct cx_type *convert_array(struct symvar_scope *sc, Dwarf_Die *die, int depth)
{
	const struct cx_type *elem = convert_ref(sc, die, depth);
	uint64_t counts[8];
	int ndims = 0;
	Dwarf_Die child;
	if (dwarf_child(die, &child) == 0) {
		do {
			int tag = dwarf_tag(&child);
			if (tag != DW_TAG_subrange_type && tag != DW_TAG_enumeration_type)
				continue;
			if (ndims == (int)ARRAY_SIZE(counts))
				break;
			uint64_t c = 0, ub = 0, lb = 0;
			Dwarf_Attribute a;
			if (die_udata(&child, DW_AT_count, &c) == 0) {
			} else if (dwarf_attr_integrate(&child, DW_AT_upper_bound, &a) &&
				   dwarf_whatform(&a) != DW_FORM_exprloc && dwarf_formudata(&a, &ub) == 0) {
				die_udata(&child, DW_AT_lower_bound, &lb);
				c = ub >= lb && ub - lb < UINT64_MAX ? ub - lb + 1 : 0;
				/* a flexible array member's bound may be encoded as -1 */
				if (ub == UINT64_MAX || ub == 0xffffffffu)
					c = 0;
			}
			counts[ndims++] = c;
		} while (dwarf_siblingof(&child, &child) == 0);
	}
	if (ndims == 0)
		counts[ndims++] = 0;
	const struct cx_type *t = elem;
	for (int i = ndims; i-- > 0;) {
		struct cx_type *a = new_type(sc, CX_ARRAY, NULL);
		a->target = t;
		a->count = counts[i];
		uint64_t es = cx_strip(t)->size;
		a->size = es && counts[i] <= UINT64_MAX / es ? es * counts[i] : 0;
		t = a;
	}
	return t;
}

static void push_pending(struct symvar_scope *sc, Dwarf_Die *die, struct cx_type *t)
{
	if (sc->npend == sc->pend_cap) {
		sc->pend_cap = sc->pend_cap ? sc->pend_cap * 2 : 32;
		sc->pend = xrealloc(sc->pend, sc->pend_cap * sizeof(*sc->pend));
	}
	sc->pend[sc->npend].die = *die;
	sc->pend[sc->npend].t = t;
	sc->npend++;
}

static const struct cx_type *convert(struct symvar_scope *sc, Dwarf_Die *die, int depth)
{
	if (depth > MAX_TYPE_DEPTH || sc->ntypes > MAX_TYPES)
		return tvoid(sc);
	const void *dbg = die->cu ? (const void *)dwarf_cu_getdwarf(die->cu) : NULL;
	uint64_t off = dwarf_dieoffset(die);
	const struct cx_type *m = memo_get(sc, dbg, off);
	if (m)
		return m;
	const struct cx_type *r;
	int tag = dwarf_tag(die);
	switch (tag) {
	case DW_TAG_base_type:
		r = convert_base(sc, die);
		break;
	case DW_TAG_pointer_type:
	case DW_TAG_reference_type:
	case DW_TAG_rvalue_reference_type:
	case DW_TAG_ptr_to_member_type: {
		struct cx_type *t = new_type(sc, CX_PTR, NULL);
		uint64_t sz = 0;
		t->size = die_udata(die, DW_AT_byte_size, &sz) == 0 && sz ? sz : (uint64_t)sc->ptrsize;
		memo_put(sc, dbg, off, t);
		t->target = convert_ref(sc, die, depth);
		return t;
	}
	case DW_TAG_const_type:
	case DW_TAG_volatile_type:
	case DW_TAG_restrict_type:
	case DW_TAG_atomic_type:
	case DW_TAG_immutable_type:
	case DW_TAG_packed_type:
	case DW_TAG_shared_type:
		r = convert_ref(sc, die, depth);
		break;
	case DW_TAG_typedef: {
		struct cx_type *t = new_type(sc, CX_TYPEDEF, die);
		memo_put(sc, dbg, off, t);
		t->target = convert_ref(sc, die, depth);
		t->size = cx_strip(t->target)->size;
		if (!t->name)
			t->name = "<unnamed-typedef>";
		return t;
	}
	case DW_TAG_structure_type:
	case DW_TAG_class_type:
	case DW_TAG_union_type:
	case DW_TAG_enumeration_type: {
		enum cx_kind k = tag == DW_TAG_union_type ? CX_UNION
				 : tag == DW_TAG_enumeration_type ? CX_ENUM : CX_STRUCT;
		struct cx_type *t = new_type(sc, k, die);
		uint64_t sz = 0;
		if (die_udata(die, DW_AT_byte_size, &sz) == 0)
			t->size = sz;
		t->incomplete = k != CX_ENUM;	/* until its members are filled */
		if (k == CX_ENUM && t->size == 0)
			t->size = 4;
		memo_put(sc, dbg, off, t);
		push_pending(sc, die, t);
		return t;
	}
	case DW_TAG_array_type:
		r = convert_array(sc, die, depth);
		break;
	case DW_TAG_subroutine_type:
	case DW_TAG_subprogram: {
		struct cx_type *t = new_type(sc, CX_FUNC, NULL);
		t->size = 1;
		memo_put(sc, dbg, off, t);
		t->target = convert_ref(sc, die, depth);
		return t;
	}
	case DW_TAG_unspecified_type:
	default: {
		struct cx_type *t = new_type(sc, CX_VOID, die);
		uint64_t sz = 0;
		t->size = die_udata(die, DW_AT_byte_size, &sz) == 0 ? sz : 0;
		if (!t->name)
			t->name = "void";
		r = t;
		break;
	}
	}
	memo_put(sc, dbg, off, r);
	return r;
}

/* Where a member starts, in bits from the start of its aggregate. */
static int member_bits(Dwarf_Die *m, const struct cx_type *mt, uint64_t *bitpos, unsigned *bitsize)
{
	uint64_t bs = 0, loc = 0;
	Dwarf_Attribute a;
	if (dwarf_attr_integrate(m, DW_AT_data_member_location, &a)) {
		Dwarf_Word w;
		Dwarf_Op *ops;
		size_t n;
		if (dwarf_formudata(&a, &w) == 0)
			loc = w;
		else if (dwarf_getlocation(&a, &ops, &n) == 0 && n == 1 &&
			 ops[0].atom == DW_OP_plus_uconst)
			loc = ops[0].number;
		else
			return -1;
	}
	*bitsize = 0;
	if (die_udata(m, DW_AT_bit_size, &bs) == 0 && bs > 0 && bs <= 64) {
		uint64_t dbo = 0, bo = 0, bytes = 0;
		*bitsize = (unsigned)bs;
		if (die_udata(m, DW_AT_data_bit_offset, &dbo) == 0) {
			*bitpos = dbo;
			return 0;
		}
		if (die_udata(m, DW_AT_bit_offset, &bo) == 0) {
			/* DWARF 2/3: bit_offset counts from the storage unit's most significant bit. */
			if (die_udata(m, DW_AT_byte_size, &bytes) < 0)
				bytes = cx_strip(mt)->size;
			uint64_t total = bytes * 8;
			if (total < bo + bs)
				return -1;
			*bitpos = loc * 8 + total - bo - bs;
			return 0;
		}
	}
	*bitpos = loc * 8;
	return 0;
}

static int find_definition(struct symvar_scope *sc, int tag, const char *name, Dwarf_Die *out);

static void fill_aggregate(struct symvar_scope *sc, struct pending *pd)
{
	Dwarf_Die die = pd->die;
	struct cx_type *t = pd->t;
	int tag = dwarf_tag(&die);
	if (t->kind == CX_ENUM) {
		size_t n = 0;
		Dwarf_Die c;
		if (dwarf_child(&die, &c) == 0)
			do
				n += dwarf_tag(&c) == DW_TAG_enumerator;
			while (dwarf_siblingof(&c, &c) == 0 && n < 100000);
		Dwarf_Die ut;
		int has_neg = 0;
		if (n) {
			t->enums = cx_alloc(sc->pool, n * sizeof(*t->enums));
			size_t k = 0;
			if (dwarf_child(&die, &c) == 0) {
				do {
					if (dwarf_tag(&c) != DW_TAG_enumerator || k >= n)
						continue;
					Dwarf_Attribute a;
					Dwarf_Sword sv = 0;
					const char *nm = die_name(&c);
					if (!nm || !dwarf_attr(&c, DW_AT_const_value, &a) || dwarf_formsdata(&a, &sv) != 0)
						continue;
					t->enums[k].name = cx_strndup(sc->pool, nm, strlen(nm));
					t->enums[k].value = sv;
					if (sv < 0 && dwarf_whatform(&a) == DW_FORM_sdata)
						has_neg = 1;
					k++;
				} while (dwarf_siblingof(&c, &c) == 0);
			}
			t->nenums = k;
		}
		if (die_type(&die, &ut) == 0)
			t->is_signed = cx_strip(convert(sc, &ut, 1))->is_signed;
		else
			t->is_signed = has_neg;
		return;
	}
	if (die_flag(&die, DW_AT_declaration)) {
		const char *nm = die_name(&die);
		Dwarf_Die def;
		if (!nm || sc->def_searches >= MAX_DEF_SEARCHES || find_definition(sc, tag, nm, &def) < 0)
			return;	/* stays incomplete */
		die = def;
		uint64_t sz = 0;
		if (die_udata(&die, DW_AT_byte_size, &sz) == 0)
			t->size = sz;
	}
	size_t n = 0;
	Dwarf_Die c;
	if (dwarf_child(&die, &c) == 0)
		do {
			int ct = dwarf_tag(&c);
			n += (ct == DW_TAG_member && !die_flag(&c, DW_AT_external)) || ct == DW_TAG_inheritance;
		} while (dwarf_siblingof(&c, &c) == 0 && n < 65536);
	t->members = n ? cx_alloc(sc->pool, n * sizeof(*t->members)) : NULL;
	size_t k = 0;
	if (n && dwarf_child(&die, &c) == 0) {
		do {
			int ct = dwarf_tag(&c);
			if (k >= n || !((ct == DW_TAG_member && !die_flag(&c, DW_AT_external)) ||
					ct == DW_TAG_inheritance))
				continue;
			struct cx_member *m = &t->members[k];
			const char *nm = ct == DW_TAG_inheritance ? NULL : die_name(&c);
			m->name = nm ? cx_strndup(sc->pool, nm, strlen(nm)) : NULL;
			m->type = convert_ref(sc, &c, 0);
			uint64_t bitpos = 0;
			unsigned bitsize = 0;
			if (member_bits(&c, m->type, &bitpos, &bitsize) < 0)
				continue;	/* a location we cannot follow: leave it out */
			m->offset = bitpos / 8;
			m->bit_offset = bitsize ? (unsigned)(bitpos % 8) : 0;
			m->bit_size = bitsize;
			if (!m->name) {
				/* an unnamed bitfield is padding, not a member */
				if (bitsize)
					continue;
				enum cx_kind mk = cx_strip(m->type)->kind;
				if (mk != CX_STRUCT && mk != CX_UNION)
					continue;
			}
			k++;
		} while (dwarf_siblingof(&c, &c) == 0);
	}
	t->nmembers = k;
	t->incomplete = 0;
}

static void drain_pending(struct symvar_scope *sc)
{
	while (sc->npend > 0) {
		struct pending pd = sc->pend[--sc->npend];
		fill_aggregate(sc, &pd);
	}
}

static const struct cx_type *convert_top(struct symvar_scope *sc, Dwarf_Die *die)
{
	const struct cx_type *t = convert(sc, die, 0);
	drain_pending(sc);
	return t;
}

static const struct cx_type *type_of_die(struct symvar_scope *sc, Dwarf_Die *die)
{
	Dwarf_Die t;
	if (die_type(die, &t) < 0)
		return tvoid(sc);
	return convert_top(sc, &t);
}

/* ---- walking the units of the modules ---- */

/* fn returns 1 to stop the walk. */
typedef int (*die_fn)(struct symvar_scope *sc, Dwarf_Die *die, Dwarf_Addr bias, void *arg);

static int walk_cu(struct symvar_scope *sc, Dwarf_Die *cu, Dwarf_Addr bias, die_fn fn, void *arg)
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

static int walk_module(struct symvar_scope *sc, Dwfl_Module *m, const Dwarf_Die *skip_cu, die_fn fn,
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
static int walk_all_filtered(struct symvar_scope *sc, Dwfl_Module *only, die_fn fn, void *arg,
			     const char *symbol)
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

static int walk_all(struct symvar_scope *sc, Dwfl_Module *only, die_fn fn, void *arg)
{
	return walk_all_filtered(sc, only, fn, arg, NULL);
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
	if (!same_kind_tag(dwarf_tag(die), d->tag) || die_flag(die, DW_AT_declaration))
		return 0;
	if (!names_equal(die_name(die), d->name))
		return 0;
	d->found = *die;
	d->ok = 1;
	return 1;
}

static int find_definition(struct symvar_scope *sc, int tag, const char *name, Dwarf_Die *out)
{
	sc->def_searches++;
	struct def_search d = { .tag = tag, .name = name };
	walk_all(sc, NULL, cb_definition, &d);
	if (!d.ok)
		return -1;
	*out = d.found;
	return 0;
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
		const char *fname = sc->fn_idx >= 0 ? die_name(&sc->scopes[sc->fn_idx]) : NULL;
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

/* ---- compiling location expressions ---- */

static struct vloc *loc_new(struct symvar_scope *sc, enum loc_kind k, const char *name)
{
	struct vloc *l = cx_alloc(sc->pool, sizeof(*l));
	l->kind = k;
	l->name = name;
	l->reg_dwarf = -1;
	return l;
}

static struct vloc *loc_unavail(struct symvar_scope *sc, const char *name, const char *fmt, const char *detail)
{
	struct vloc *l = loc_new(sc, LK_UNAVAIL, name);
	struct sbuf sb = { 0 };
	sb_addf(&sb, fmt, name, detail ? detail : "");
	l->why = cx_strndup(sc->pool, sb_str(&sb), sb.len);
	sb_free(&sb);
	return l;
}

static int op_is_reg(uint8_t atom)
{
	return (atom >= DW_OP_reg0 && atom <= DW_OP_reg31) || atom == DW_OP_regx;
}

static const char *op_name(uint8_t atom, char *buf, size_t n)
{
	const char *s = NULL;
	switch (atom) {
	case DW_OP_skip: s = "DW_OP_skip"; break;
	case DW_OP_bra: s = "DW_OP_bra"; break;
	case DW_OP_call2: case DW_OP_call4: case DW_OP_call_ref: s = "DW_OP_call"; break;
	case DW_OP_convert: case DW_OP_GNU_convert: s = "DW_OP_convert"; break;
	case DW_OP_regval_type: case DW_OP_GNU_regval_type: s = "DW_OP_regval_type"; break;
	case DW_OP_deref_type: case DW_OP_GNU_deref_type: s = "DW_OP_deref_type"; break;
	case DW_OP_const_type: case DW_OP_GNU_const_type: s = "DW_OP_const_type"; break;
	case DW_OP_xderef: case DW_OP_xderef_size: s = "DW_OP_xderef"; break;
	default: break;
	}
	if (s)
		return s;
	snprintf(buf, n, "DW_OP 0x%02x", atom);
	return buf;
}

/* Operations the evaluator runs as they are. */
static int op_plain(uint8_t a)
{
	if ((a >= DW_OP_lit0 && a <= DW_OP_lit31) || (a >= DW_OP_reg0 && a <= DW_OP_reg31) ||
	    (a >= DW_OP_breg0 && a <= DW_OP_breg31))
		return 1;
	switch (a) {
	case DW_OP_addr: case DW_OP_deref: case DW_OP_const1u: case DW_OP_const1s:
	case DW_OP_const2u: case DW_OP_const2s: case DW_OP_const4u: case DW_OP_const4s:
	case DW_OP_const8u: case DW_OP_const8s: case DW_OP_constu: case DW_OP_consts:
	case DW_OP_dup: case DW_OP_drop: case DW_OP_over: case DW_OP_pick: case DW_OP_swap:
	case DW_OP_rot: case DW_OP_abs: case DW_OP_and: case DW_OP_div: case DW_OP_minus:
	case DW_OP_mod: case DW_OP_mul: case DW_OP_neg: case DW_OP_not: case DW_OP_or:
	case DW_OP_plus: case DW_OP_plus_uconst: case DW_OP_shl: case DW_OP_shr: case DW_OP_shra:
	case DW_OP_xor: case DW_OP_eq: case DW_OP_ge: case DW_OP_gt: case DW_OP_le: case DW_OP_lt:
	case DW_OP_ne: case DW_OP_regx: case DW_OP_fbreg: case DW_OP_bregx: case DW_OP_piece:
	case DW_OP_deref_size: case DW_OP_nop: case DW_OP_call_frame_cfa: case DW_OP_stack_value:
		return 1;
	default:
		return 0;
	}
}

/*
 * Copies a libdw expression into the pool: addresses biased, entry values
 * resolved where they can be.  Returns NULL with *why set when the
 * expression cannot be evaluated here.
 */
static struct vop *compile_ops(struct symvar_scope *sc, Dwarf_Attribute *attr, const Dwarf_Op *ops,
			       size_t n, Dwarf_Addr bias, const char *name, int allow_fbreg, struct vloc **why)
{
	if (n > MAX_OPS) {
		*why = loc_unavail(sc, name, "not supported: the location of '%s' is too complex%s", NULL);
		return NULL;
	}
	struct vop *out = cx_alloc(sc->pool, (n ? n : 1) * sizeof(*out));
	char nb[32];
	for (size_t i = 0; i < n; i++) {
		const Dwarf_Op *op = &ops[i];
		struct vop *o = &out[i];
		o->atom = op->atom;
		o->n1 = op->number;
		o->n2 = op->number2;
		switch (op->atom) {
		case DW_OP_addr:
			o->n1 = op->number + bias;
			continue;
		case DW_OP_fbreg:
			if (!allow_fbreg) {
				*why = loc_unavail(sc, name, "not supported: DW_OP_fbreg inside the frame base of '%s'%s", NULL);
				return NULL;
			}
			continue;
		case DW_OP_addrx:
		case DW_OP_GNU_addr_index:
		case DW_OP_constx:
		case DW_OP_GNU_const_index: {
			Dwarf_Attribute res;
			Dwarf_Addr a;
			if (!attr || dwarf_getlocation_attr(attr, op, &res) != 0 || dwarf_formaddr(&res, &a) != 0) {
				*why = loc_unavail(sc, name, "the location of '%s' cannot be read%s", NULL);
				return NULL;
			}
			int is_addr = op->atom == DW_OP_addrx || op->atom == DW_OP_GNU_addr_index;
			o->atom = is_addr ? DW_OP_addr : DW_OP_constu;
			o->n1 = is_addr ? a + bias : a;
			continue;
		}
		case DW_OP_entry_value:
		case DW_OP_GNU_entry_value: {
			Dwarf_Attribute res;
			Dwarf_Op *iops;
			size_t in;
			if (sc->at_entry && attr && dwarf_getlocation_attr(attr, op, &res) == 0 &&
			    dwarf_getlocation(&res, &iops, &in) == 0 && in == 1 && op_is_reg(iops[0].atom)) {
				/* At the entry point the register still holds its entry value. */
				o->atom = DW_OP_bregx;
				o->n1 = iops[0].atom == DW_OP_regx ? iops[0].number : (uint64_t)(iops[0].atom - DW_OP_reg0);
				o->n2 = 0;
				continue;
			}
			*why = loc_unavail(sc, name, "'%s' is optimized out here (only its value at function entry is described)%s", NULL);
			return NULL;
		}
		case DW_OP_implicit_pointer:
		case DW_OP_GNU_implicit_pointer:
			*why = loc_unavail(sc, name, "'%s' is optimized out (a pointer to an object that no longer exists in memory)%s", NULL);
			return NULL;
		case DW_OP_GNU_parameter_ref:
		case DW_OP_GNU_variable_value:
			*why = loc_unavail(sc, name, "'%s' is optimized out here%s", NULL);
			return NULL;
		case DW_OP_form_tls_address:
		case DW_OP_GNU_push_tls_address:
			*why = loc_unavail(sc, name, "not supported: '%s' is a thread-local variable%s", NULL);
			return NULL;
		case DW_OP_implicit_value:
			*why = loc_unavail(sc, name, "not supported: the location of '%s' mixes an implicit value with other pieces%s", NULL);
			return NULL;
		default:
			if (!op_plain(op->atom)) {
				*why = loc_unavail(sc, name, "not supported: the location of '%s' uses %s", op_name(op->atom, nb, sizeof(nb)));
				return NULL;
			}
		}
	}
	return out;
}

static void scope_fbase(struct symvar_scope *sc)
{
	if (sc->fbase_done)
		return;
	sc->fbase_done = 1;
	struct fbase *fb = cx_alloc(sc->pool, sizeof(*fb));
	sc->fbase = fb;
	fb->fb_why = "the function has no frame base";
	fb->cfa_why = "no call frame information (CFI) covers this address";
	if (sc->sub_idx >= 0) {
		Dwarf_Attribute a;
		Dwarf_Op *ops;
		size_t n = 0;
		if (dwarf_attr(&sc->scopes[sc->sub_idx], DW_AT_frame_base, &a) &&
		    dwarf_getlocation_addr(&a, sc->pc - sc->bias, &ops, &n, 1) == 1 && n > 0) {
			struct vloc *why = NULL;
			struct vop *v = compile_ops(sc, &a, ops, n, sc->bias, "frame base", 0, &why);
			if (v) {
				fb->fb = v;
				fb->nfb = n;
				fb->fb_why = NULL;
			} else {
				fb->fb_why = why->why;
			}
		}
	}
	/* The CFA rule at pc, from .eh_frame or .debug_frame. */
	Dwfl_Module *m = sc->mod;
	for (int pass = 0; m && pass < 2 && fb->cfa_why; pass++) {
		Dwarf_Addr cbias = 0;
		Dwarf_CFI *cfi = pass == 0 ? dwfl_module_eh_cfi(m, &cbias) : dwfl_module_dwarf_cfi(m, &cbias);
		Dwarf_Frame *frame = NULL;
		if (!cfi || dwarf_cfi_addrframe(cfi, sc->pc - cbias, &frame) != 0)
			continue;
		Dwarf_Op *ops = NULL;
		size_t n = 0;
		if (dwarf_frame_cfa(frame, &ops, &n) == 0 && n > 0 && n <= MAX_OPS) {
			struct vop *v = cx_alloc(sc->pool, n * sizeof(*v));
			int ok = 1;
			for (size_t i = 0; i < n; i++) {
				v[i].atom = ops[i].atom;
				v[i].n1 = ops[i].atom == DW_OP_addr ? ops[i].number + cbias : ops[i].number;
				v[i].n2 = ops[i].number2;
				if (!op_plain(ops[i].atom) || ops[i].atom == DW_OP_fbreg ||
				    ops[i].atom == DW_OP_call_frame_cfa)
					ok = 0;
			}
			if (ok) {
				fb->cfa = v;
				fb->ncfa = n;
				fb->cfa_why = NULL;
			}
		}
		free(frame);
	}
}

static int form_is_loclist(Dwarf_Attribute *a)
{
	unsigned f = dwarf_whatform(a);
	return f == DW_FORM_sec_offset || f == DW_FORM_loclistx || f == DW_FORM_data4 || f == DW_FORM_data8;
}

/* ---- parameters at function entry ---- */

static int has_float_member(const struct cx_type *t, int depth)
{
	t = cx_strip(t);
	if (depth > 8)
		return 1;
	if (t->kind == CX_FLOAT)
		return 1;
	if (t->kind == CX_ARRAY)
		return has_float_member(t->target, depth + 1);
	if (t->kind == CX_STRUCT || t->kind == CX_UNION) {
		if (t->incomplete)
			return 1;
		for (size_t i = 0; i < t->nmembers; i++)
			if (has_float_member(t->members[i].type, depth + 1))
				return 1;
	}
	return 0;
}

/* Where the ABI puts each parameter of the subprogram at its first instruction. */
static void compute_slots(struct symvar_scope *sc, Dwarf_Die *sub)
{
	static const int int_regs[6] = { 5, 4, 1, 2, 8, 9 };	/* rdi rsi rdx rcx r8 r9 */
	int next_int = 0, sse = 0, broken = 0;
	uint64_t stack = 0;
	const struct cx_type *ret = cx_strip(type_of_die(sc, sub));
	int aggregate_ret = ret->kind == CX_STRUCT || ret->kind == CX_UNION;
	if (aggregate_ret && (sc->is32 || ret->size > 16)) {
		if (sc->is32)
			stack = 4;
		else
			next_int = 1;	/* rdi holds the address of the return value */
	}
	int cap = 0;
	Dwarf_Die c;
	if (dwarf_child(sub, &c) != 0)
		return;
	do {
		int tag = dwarf_tag(&c);
		if (tag == DW_TAG_unspecified_parameters)
			break;
		if (tag != DW_TAG_formal_parameter)
			continue;
		if (sc->nslots == cap) {
			cap = cap ? cap * 2 : 8;
			sc->slots = xrealloc(sc->slots, (size_t)cap * sizeof(*sc->slots));
		}
		struct abi_slot *s = &sc->slots[sc->nslots++];
		memset(s, 0, sizeof(*s));
		s->off = dwarf_dieoffset(&c);
		const struct cx_type *t = cx_strip(type_of_die(sc, &c));
		uint64_t size = t->size;
		if (sc->is32) {
			if (!size) {
				broken = 1;
			}
			if (broken) {
				s->kind = SLOT_NONE;
				continue;
			}
			s->kind = SLOT_STACK;
			s->stack = stack;
			stack += (size + 3) / 4 * 4;
			continue;
		}
		if (broken) {
			s->kind = SLOT_NONE;
			continue;
		}
		switch (t->kind) {
		case CX_INT:
		case CX_BOOL:
		case CX_ENUM:
		case CX_PTR:
			if (size > 8) {
				broken = 1;
				s->kind = SLOT_NONE;
			} else if (next_int < 6) {
				s->kind = SLOT_REG;
				s->reg = int_regs[next_int++];
			} else {
				s->kind = SLOT_STACK;
				s->stack = stack;
				stack += 8;
			}
			break;
		case CX_FLOAT:
			if (size == 4 || size == 8) {
				s->kind = SLOT_UNAVAIL;
				s->why = "'%s' is in an SSE register until the prologue has stored it; step past the prologue to see it%s";
				if (++sse > 8)
					broken = 1;
			} else {
				stack = (stack + 15) / 16 * 16;
				s->kind = SLOT_STACK;
				s->stack = stack;
				stack += (size + 7) / 8 * 8;
			}
			break;
		case CX_STRUCT:
		case CX_UNION:
			if (size > 16) {
				s->kind = SLOT_STACK;
				s->stack = stack;
				stack += (size + 7) / 8 * 8;
			} else if (!size || has_float_member(t, 0)) {
				broken = 1;
				s->kind = SLOT_NONE;
			} else {
				int need = (int)((size + 7) / 8);
				if (next_int + need <= 6) {
					next_int += need;
					s->kind = SLOT_UNAVAIL;
					s->why = "'%s' is passed in registers until the prologue has stored it; step past the prologue to see it%s";
				} else {
					s->kind = SLOT_STACK;
					s->stack = stack;
					stack += (size + 7) / 8 * 8;
				}
			}
			break;
		default:
			broken = 1;
			s->kind = SLOT_NONE;
			break;
		}
	} while (dwarf_siblingof(&c, &c) == 0 && sc->nslots < 4096);
}

/* Whether pc lies between the function's entry and the end of its prologue. */
static void scope_prologue(struct symvar_scope *sc)
{
	if (sc->prologue_done)
		return;
	sc->prologue_done = 1;
	if (sc->sub_idx < 0 || !sc->have_cu)
		return;
	Dwarf_Die *sub = &sc->scopes[sc->sub_idx];
	Dwarf_Addr low = 0, high = 0;
	if (dwarf_lowpc(sub, &low) != 0)
		return;
	if (dwarf_highpc(sub, &high) != 0 || high <= low)
		high = low + 1;
	uint64_t pcf = sc->pc - sc->bias;
	if (pcf < low || pcf >= high)
		return;
	sc->at_entry = pcf == low;
	if (sc->fn_idx != sc->sub_idx)
		return;	/* inside inlined code: not the prologue */
	uint64_t pend = low + 1;
	Dwarf_Lines *lines = NULL;
	size_t nl = 0;
	if (dwarf_getsrclines(&sc->cudie, &lines, &nl) == 0) {
		int low_line = -1;
		uint64_t flagged = UINT64_MAX, next_line = UINT64_MAX;
		for (size_t i = 0; i < nl; i++) {
			Dwarf_Line *l = dwarf_onesrcline(lines, i);
			Dwarf_Addr a;
			int ln;
			bool f = false;
			if (!l || dwarf_lineaddr(l, &a) != 0 || a < low || a >= high || dwarf_lineno(l, &ln) != 0)
				continue;
			if (dwarf_lineendsequence(l, &f) == 0 && f)
				continue;
			if (a == low && low_line < 0)
				low_line = ln;
			if (a > low && dwarf_lineprologueend(l, &f) == 0 && f && a < flagged)
				flagged = a;
		}
		for (size_t i = 0; low_line >= 0 && i < nl; i++) {
			Dwarf_Line *l = dwarf_onesrcline(lines, i);
			Dwarf_Addr a;
			int ln;
			if (!l || dwarf_lineaddr(l, &a) != 0 || a <= low || a >= high || dwarf_lineno(l, &ln) != 0)
				continue;
			if (ln != low_line && a < next_line)
				next_line = a;
		}
		if (flagged != UINT64_MAX)
			pend = flagged;
		else if (next_line != UINT64_MAX)
			pend = next_line;
	}
	sc->in_prologue = pcf < pend;
	if (sc->in_prologue)
		compute_slots(sc, sub);
}

static const struct abi_slot *param_slot(struct symvar_scope *sc, Dwarf_Die *var)
{
	scope_prologue(sc);
	if (!sc->in_prologue)
		return NULL;
	uint64_t off = dwarf_dieoffset(var);
	for (int i = 0; i < sc->nslots; i++)
		if (sc->slots[i].off == off)
			return &sc->slots[i];
	return NULL;
}

/* The location of a variable DIE; in_frame: a local or parameter of the scope's function. */
static const struct vloc *var_location(struct symvar_scope *sc, Dwarf_Die *var, Dwarf_Addr bias,
				       const char *name, int in_frame)
{
	Dwarf_Attribute a;
	if (dwarf_attr_integrate(var, DW_AT_const_value, &a)) {
		struct vloc *l = loc_new(sc, LK_BYTES, name);
		Dwarf_Block blk;
		Dwarf_Sword sv;
		Dwarf_Word uv;
		unsigned form = dwarf_whatform(&a);
		if (form == DW_FORM_block1 || form == DW_FORM_block2 || form == DW_FORM_block4 ||
		    form == DW_FORM_block || form == DW_FORM_data16) {
			if (dwarf_formblock(&a, &blk) != 0 || blk.length > sizeof(l->bytes))
				return loc_unavail(sc, name, "not supported: the constant value of '%s' is too large%s", NULL);
			memcpy(l->bytes, blk.data, blk.length);
			l->nbytes = blk.length;
		} else {
			uint64_t v;
			if (form == DW_FORM_sdata && dwarf_formsdata(&a, &sv) == 0)
				v = (uint64_t)sv;
			else if (dwarf_formudata(&a, &uv) == 0)
				v = uv;
			else
				return loc_unavail(sc, name, "the constant value of '%s' cannot be read%s", NULL);
			for (int i = 0; i < 8; i++)
				l->bytes[i] = (uint8_t)(v >> (8 * i));
			l->nbytes = 8;
		}
		return l;
	}
	if (!dwarf_attr(var, DW_AT_location, &a))
		return loc_unavail(sc, name, "'%s' is optimized out%s", NULL);
	int is_list = form_is_loclist(&a);
	if (in_frame && !is_list && dwarf_tag(var) == DW_TAG_formal_parameter) {
		const struct abi_slot *s = param_slot(sc, var);
		if (s && s->kind == SLOT_UNAVAIL)
			return loc_unavail(sc, name, s->why, NULL);
		if (s && s->kind == SLOT_NONE)
			return loc_unavail(sc, name, "'%s' is not yet stored at this address (in the prologue); step past the prologue to see it%s", NULL);
		if (s) {
			struct vloc *l = loc_new(sc, LK_EXPR, name);
			struct vop *v = cx_alloc(sc->pool, 2 * sizeof(*v));
			if (s->kind == SLOT_REG) {
				v[0].atom = DW_OP_regx;
				v[0].n1 = (uint64_t)s->reg;
				l->nops = 1;
			} else {
				v[0].atom = DW_OP_call_frame_cfa;
				v[1].atom = DW_OP_plus_uconst;
				v[1].n1 = s->stack;
				l->nops = 2;
				scope_fbase(sc);
				l->fb = sc->fbase;
			}
			l->ops = v;
			return l;
		}
	}
	Dwarf_Op *ops = NULL;
	size_t n = 0;
	int got;
	if (is_list && !sc->pc)
		return loc_unavail(sc, name, "'%s' has a location only inside its function%s", NULL);
	got = dwarf_getlocation_addr(&a, sc->pc - bias, &ops, &n, 1);
	if (got < 0)
		return loc_unavail(sc, name, "the location of '%s' cannot be read (%s)", dwarf_errmsg(-1));
	if (got == 0 || n == 0)
		return loc_unavail(sc, name, "'%s' is optimized out at this address%s", NULL);
	if (n == 1 && ops[0].atom == DW_OP_implicit_value) {
		Dwarf_Block blk;
		struct vloc *l = loc_new(sc, LK_BYTES, name);
		if (dwarf_getlocation_implicit_value(&a, &ops[0], &blk) != 0 || blk.length > sizeof(l->bytes))
			return loc_unavail(sc, name, "not supported: the implicit value of '%s'%s", NULL);
		memcpy(l->bytes, blk.data, blk.length);
		l->nbytes = blk.length;
		return l;
	}
	if (in_frame)
		scope_prologue(sc);	/* at_entry decides DW_OP_entry_value */
	struct vloc *why = NULL;
	struct vop *v = compile_ops(sc, &a, ops, n, bias, name, 1, &why);
	if (!v)
		return why;
	struct vloc *l = loc_new(sc, LK_EXPR, name);
	l->ops = v;
	l->nops = n;
	for (size_t i = 0; i < n; i++) {
		if (v[i].atom == DW_OP_fbreg || v[i].atom == DW_OP_call_frame_cfa) {
			scope_fbase(sc);
			l->fb = sc->fbase;
			break;
		}
	}
	return l;
}

static const char *pool_name(struct symvar_scope *sc, const char *s)
{
	return cx_strndup(sc->pool, s, strlen(s));
}

static void var_sym(struct symvar_scope *sc, Dwarf_Die *var, Dwarf_Addr bias, const char *name, int in_frame,
		    struct cx_sym *out)
{
	memset(out, 0, sizeof(*out));
	out->type = type_of_die(sc, var);
	out->loc = var_location(sc, var, bias, pool_name(sc, name), in_frame);
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
		if (!names_equal(die_name(die), g->name))
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
			if (dwarf_tag(&c) == DW_TAG_enumerator && names_equal(die_name(&c), g->name) &&
			    dwarf_attr(&c, DW_AT_const_value, &a) && dwarf_formsdata(&a, &v) == 0) {
				g->found = 2;
				g->enum_value = v;
				g->enum_type = convert_top(sc, die);
				return 1;
			}
		} while (dwarf_siblingof(&c, &c) == 0);
		return 0;
	}
	if (tag == DW_TAG_subprogram && names_equal(die_name(die), g->name)) {
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
	walk_all_filtered(sc, only, cb_global, &g, name);
	memset(out, 0, sizeof(*out));
	switch (g.found) {
	case 1:
		var_sym(sc, &g.die, g.bias, name, 0, out);
		return 0;
	case 2:
		out->is_constant = 1;
		out->value = g.enum_value;
		out->type = g.enum_type;
		return 0;
	case 3: {
		Dwarf_Addr low = 0;
		dwarf_lowpc(&g.die, &low);
		struct vloc *l = loc_new(sc, LK_ADDR, pool_name(sc, name));
		l->addr = low + g.bias;
		out->type = convert_top(sc, &g.die);
		out->loc = l;
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
		struct vloc *l = loc_new(sc, LK_ADDR, pool_name(sc, name));
		l->addr = addr;
		out->type = type_of_die(sc, &g.decl);
		out->loc = l;
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
			if (!scope_var_tag(dwarf_tag(&c)) || !names_equal(die_name(&c), name))
				continue;
			if (die_flag(&c, DW_AT_declaration) && !dwarf_hasattr(&c, DW_AT_location)) {
				/* "extern int x;" inside a function: the global */
				return 1;
			}
			var_sym(sc, &c, sc->bias, name, 1, out);
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
	struct vloc *l = loc_new(sc, LK_REGISTER, cx_strndup(sc->pool, name, len));
	l->reg = ref;
	/* Which DWARF register backs it, for frames where only some are known. */
	static const int dw64[REG_COUNT] = {
		[REG_RAX] = 0, [REG_RDX] = 1, [REG_RCX] = 2, [REG_RBX] = 3, [REG_RSI] = 4, [REG_RDI] = 5,
		[REG_RBP] = 6, [REG_RSP] = 7, [REG_R8] = 8, [REG_R9] = 9, [REG_R10] = 10, [REG_R11] = 11,
		[REG_R12] = 12, [REG_R13] = 13, [REG_R14] = 14, [REG_R15] = 15, [REG_RIP] = 16,
	};
	static const int dw32[REG_COUNT] = {
		[REG_RAX] = 0, [REG_RCX] = 1, [REG_RDX] = 2, [REG_RBX] = 3, [REG_RSP] = 4, [REG_RBP] = 5,
		[REG_RSI] = 6, [REG_RDI] = 7, [REG_RIP] = 8,
	};
	l->reg_dwarf = -1;
	if (ref.index >= 0 && ref.index <= REG_RIP)
		l->reg_dwarf = sc->is32 ? dw32[ref.index] : dw64[ref.index];
	if (sc->is32 && ref.index > REG_RDI && ref.index != REG_RIP)
		l->reg_dwarf = -1;
	enum cx_builtin b = ref.bits > 32 ? CXB_UINT64 : ref.bits > 16 ? CXB_UINT : ref.bits > 8 ? CXB_USHORT : CXB_UCHAR;
	out->type = cx_builtin(b, sc->ptrsize);
	out->loc = l;
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
	memcpy(buf, name, len);
	buf[len] = 0;
	if (!sc->dwfl)
		return 1;
	char *bang = strchr(buf, '!');
	if (bang) {
		*bang = 0;
		struct sym_module mi;
		if (sym_module_by_name(sc->st, buf, &mi) < 0)
			return 1;
		Dwfl_Module *m = dwfl_addrmodule(sc->dwfl, mi.start);
		if (!m)
			return 1;
		return lookup_global(sc, bang + 1, m, out);
	}
	int rc = lookup_local(sc, buf, out);
	if (rc <= 0)
		return rc;
	rc = lookup_global(sc, buf, NULL, out);
	if (rc != 1)
		return rc;
	/* A symbol without debug information: usable through a cast, (int)counter. */
	uint64_t addr;
	if (sym_lookup(sc->st, buf, &addr) < 0)
		return 1;
	struct vloc *l = loc_new(sc, LK_ADDR, pool_name(sc, buf));
	l->addr = addr;
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
	if (!match || !names_equal(die_name(die), t->name))
		return 0;
	if (die_flag(die, DW_AT_declaration)) {
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

int symvar_type(void *scope, enum cx_kind tag, const char *name, size_t len, const struct cx_type **out)
{
	struct symvar_scope *sc = scope;
	if (!sc->dwfl || !len || len >= MAX_NAME)
		return 1;
	char buf[MAX_NAME];
	memcpy(buf, name, len);
	buf[len] = 0;
	Dwfl_Module *only = NULL;
	char *nm = buf;
	char *bang = strchr(buf, '!');
	if (bang) {
		*bang = 0;
		struct sym_module mi;
		if (sym_module_by_name(sc->st, buf, &mi) < 0 || !(only = dwfl_addrmodule(sc->dwfl, mi.start)))
			return 1;
		nm = bang + 1;
	}
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
		walk_all(sc, only, cb_type, &t);
	if (!t.ok && !t.decl_ok)
		return 1;
	*out = convert_top(sc, t.ok ? &t.found : &t.decl);
	return 0;
}

const void *symvar_pseudo_loc(struct cx_pool *pool, const char *name, size_t len)
{
	struct vloc *l = cx_alloc(pool, sizeof(*l));
	l->kind = LK_PSEUDO;
	l->name = cx_strndup(pool, name, len);
	l->reg_dwarf = -1;
	return l;
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
				if (die_flag(&c, DW_AT_declaration) && !dwarf_hasattr(&c, DW_AT_location))
					continue;
				const char *nm = die_name(&c);
				if (!nm)
					continue;
				struct cx_sym s;
				var_sym(sc, &c, sc->bias, nm, 1, &s);
				fn(user, nm, pass == 0, &s);
				count++;
			} while (dwarf_siblingof(&c, &c) == 0);
		}
	}
	return count;
}

/* ---- evaluation ---- */

enum eres_kind { R_NONE, R_MEM, R_REG, R_VALUE };

struct eres {
	enum eres_kind kind;
	uint64_t v;		/* R_MEM address, R_REG/R_VALUE value */
	uint8_t bytes[16];	/* pieces */
	size_t nbytes;
	int pieces;
};

struct ectx {
	struct symvar_frame *fr;
	const char *name;
	const struct fbase *fb;
	int have_cfa;
	uint64_t cfa;
};

static int frame_regs(struct symvar_frame *fr)
{
	if (fr->have_regs)
		return 0;
	if (!fr->fetch_regs || fr->fetch_regs(fr->user, &fr->regs) < 0)
		return -1;
	fr->have_regs = 1;
	return 0;
}

static int dwarf_to_regs(int is32, uint64_t dw)
{
	static const int x64[17] = {
		REG_RAX, REG_RDX, REG_RCX, REG_RBX, REG_RSI, REG_RDI, REG_RBP, REG_RSP,
		REG_R8, REG_R9, REG_R10, REG_R11, REG_R12, REG_R13, REG_R14, REG_R15, REG_RIP,
	};
	static const int x86[9] = {
		REG_RAX, REG_RCX, REG_RDX, REG_RBX, REG_RSP, REG_RBP, REG_RSI, REG_RDI, REG_RIP,
	};
	if (is32)
		return dw < 9 ? x86[dw] : -1;
	return dw < 17 ? x64[dw] : -1;
}

static int read_dwreg(struct ectx *c, uint64_t dw, uint64_t *v)
{
	int idx = dwarf_to_regs(c->fr->is32, dw);
	if (idx < 0)
		return err_set("not supported: '%s' is in DWARF register %llu (not an integer register)",
			       c->name, (unsigned long long)dw);
	if (frame_regs(c->fr) < 0)
		return -1;
	if (dw < 32 && !(c->fr->valid & (1u << dw)))
		return err_set("'%s' is not available in this frame (register %s was not saved)", c->name,
			       regs_name((enum reg_index)idx));
	uint64_t r = c->fr->regs.r[idx];
	*v = c->fr->is32 ? r & 0xffffffffu : r;
	return 0;
}

static int frame_mem(struct symvar_frame *fr, uint64_t addr, void *buf, size_t n)
{
	if (!fr->mem)
		return -1;
	return fr->mem(fr->user, addr, buf, n);
}

static int run_ops(struct ectx *c, const struct vop *ops, size_t n, int depth, struct eres *res);

static int eval_cfa(struct ectx *c, uint64_t *v)
{
	if (c->have_cfa) {
		*v = c->cfa;
		return 0;
	}
	if (!c->fb || c->fb->cfa_why)
		return err_set("'%s' cannot be located: %s", c->name,
			       c->fb ? c->fb->cfa_why : "no call frame information");
	struct eres r;
	struct ectx sub = *c;
	if (run_ops(&sub, c->fb->cfa, c->fb->ncfa, 1, &r) < 0)
		return -1;
	*v = r.v;
	c->have_cfa = 1;
	c->cfa = r.v;
	return 0;
}

static int eval_fbase(struct ectx *c, int depth, uint64_t *v)
{
	if (!c->fb || c->fb->fb_why)
		return err_set("'%s' cannot be located: %s", c->name, c->fb ? c->fb->fb_why : "no frame base");
	struct eres r;
	if (run_ops(c, c->fb->fb, c->fb->nfb, depth + 1, &r) < 0)
		return -1;
	if (r.kind == R_NONE || r.pieces)
		return err_set("'%s' cannot be located: unusable frame base", c->name);
	*v = r.v;
	return 0;
}

/* Appends n bytes of the current piece to res. */
static int add_piece(struct ectx *c, struct eres *res, enum eres_kind k, uint64_t v, uint64_t n)
{
	if (n == 0 || res->nbytes + n > sizeof(res->bytes))
		return err_set("not supported: '%s' is split into pieces larger than 16 bytes", c->name);
	uint8_t buf[16] = { 0 };
	if (k == R_MEM) {
		if (frame_mem(c->fr, v, buf, (size_t)n) != 0)
			return err_set("Memory access error: cannot read a piece of '%s' at 0x%llx", c->name,
				       (unsigned long long)v);
	} else if (k == R_REG || k == R_VALUE) {
		for (uint64_t i = 0; i < n && i < 8; i++)
			buf[i] = (uint8_t)(v >> (8 * i));
	} else {
		return err_set("'%s' is partly optimized out at this address", c->name);
	}
	memcpy(res->bytes + res->nbytes, buf, (size_t)n);
	res->nbytes += (size_t)n;
	res->pieces = 1;
	return 0;
}

static int run_ops(struct ectx *c, const struct vop *ops, size_t n, int depth, struct eres *res)
{
	uint64_t st[EVAL_STACK];
	int sp = 0;
	enum eres_kind k = R_NONE;	/* what the last operation made the current piece */
	uint64_t regval = 0;
	memset(res, 0, sizeof(*res));
	if (depth > 3)
		return err_set("'%s' cannot be located: nested frame base", c->name);
#define NEED(m) do { if (sp < (m)) return err_set("'%s' cannot be located: malformed DWARF expression", c->name); } while (0)
#define PUSH(x) do { uint64_t v_ = (x); if (sp >= EVAL_STACK) return err_set("'%s' cannot be located: DWARF stack overflow", c->name); st[sp] = v_; sp++; } while (0)
	for (size_t i = 0; i < n; i++) {
		const struct vop *o = &ops[i];
		uint8_t a = o->atom;
		if (k == R_REG || k == R_VALUE) {
			if (a != DW_OP_piece)
				return err_set("'%s' cannot be located: malformed DWARF expression", c->name);
		}
		if (a >= DW_OP_lit0 && a <= DW_OP_lit31) {
			PUSH((uint64_t)(a - DW_OP_lit0));
			continue;
		}
		if (a >= DW_OP_breg0 && a <= DW_OP_breg31) {
			uint64_t v;
			if (read_dwreg(c, (uint64_t)(a - DW_OP_breg0), &v) < 0)
				return -1;
			PUSH(v + o->n1);
			continue;
		}
		if (op_is_reg(a)) {
			uint64_t dw = a == DW_OP_regx ? o->n1 : (uint64_t)(a - DW_OP_reg0);
			if (read_dwreg(c, dw, &regval) < 0)
				return -1;
			k = R_REG;
			continue;
		}
		uint64_t x = 0, y = 0;
		switch (a) {
		case DW_OP_addr:
		case DW_OP_const1u: case DW_OP_const1s: case DW_OP_const2u: case DW_OP_const2s:
		case DW_OP_const4u: case DW_OP_const4s: case DW_OP_const8u: case DW_OP_const8s:
		case DW_OP_constu: case DW_OP_consts:
			PUSH(o->n1);
			break;
		case DW_OP_bregx:
			if (read_dwreg(c, o->n1, &x) < 0)
				return -1;
			PUSH(x + o->n2);
			break;
		case DW_OP_fbreg:
			if (eval_fbase(c, depth, &x) < 0)
				return -1;
			PUSH(x + o->n1);
			break;
		case DW_OP_call_frame_cfa:
			if (eval_cfa(c, &x) < 0)
				return -1;
			PUSH(x);
			break;
		case DW_OP_dup: NEED(1); PUSH(st[sp - 1]); break;
		case DW_OP_drop: NEED(1); sp--; break;
		case DW_OP_over: NEED(2); PUSH(st[sp - 2]); break;
		case DW_OP_pick:
			if (o->n1 >= (uint64_t)sp)
				return err_set("'%s' cannot be located: malformed DWARF expression", c->name);
			PUSH(st[sp - 1 - (int)o->n1]);
			break;
		case DW_OP_swap: NEED(2); x = st[sp - 1]; st[sp - 1] = st[sp - 2]; st[sp - 2] = x; break;
		case DW_OP_rot:
			NEED(3);
			x = st[sp - 1];
			st[sp - 1] = st[sp - 2];
			st[sp - 2] = st[sp - 3];
			st[sp - 3] = x;
			break;
		case DW_OP_deref:
		case DW_OP_deref_size: {
			NEED(1);
			uint64_t sz = a == DW_OP_deref ? (uint64_t)(c->fr->is32 ? 4 : 8) : o->n1;
			if (sz == 0 || sz > 8)
				return err_set("'%s' cannot be located: bad DW_OP_deref_size", c->name);
			uint8_t b[8] = { 0 };
			if (frame_mem(c->fr, st[sp - 1], b, (size_t)sz) != 0)
				return err_set("Memory access error: cannot read 0x%llx while locating '%s'",
					       (unsigned long long)st[sp - 1], c->name);
			x = 0;
			for (uint64_t j = 0; j < sz; j++)
				x |= (uint64_t)b[j] << (8 * j);
			st[sp - 1] = x;
			break;
		}
		case DW_OP_abs: NEED(1); if ((int64_t)st[sp - 1] < 0) st[sp - 1] = 0 - st[sp - 1]; break;
		case DW_OP_neg: NEED(1); st[sp - 1] = 0 - st[sp - 1]; break;
		case DW_OP_not: NEED(1); st[sp - 1] = ~st[sp - 1]; break;
		case DW_OP_plus_uconst: NEED(1); st[sp - 1] += o->n1; break;
		case DW_OP_and: case DW_OP_div: case DW_OP_minus: case DW_OP_mod: case DW_OP_mul:
		case DW_OP_or: case DW_OP_plus: case DW_OP_shl: case DW_OP_shr: case DW_OP_shra:
		case DW_OP_xor: case DW_OP_eq: case DW_OP_ge: case DW_OP_gt: case DW_OP_le:
		case DW_OP_lt: case DW_OP_ne:
			NEED(2);
			y = st[--sp];
			x = st[sp - 1];
			switch (a) {
			case DW_OP_and: x &= y; break;
			case DW_OP_or: x |= y; break;
			case DW_OP_xor: x ^= y; break;
			case DW_OP_plus: x += y; break;
			case DW_OP_minus: x -= y; break;
			case DW_OP_mul: x *= y; break;
			case DW_OP_div:
				if (!y)
					return err_set("'%s' cannot be located: division by zero", c->name);
				x = (int64_t)y == -1 ? 0 - x : (uint64_t)((int64_t)x / (int64_t)y);
				break;
			case DW_OP_mod:
				if (!y)
					return err_set("'%s' cannot be located: division by zero", c->name);
				x %= y;
				break;
			case DW_OP_shl: x = y >= 64 ? 0 : x << y; break;
			case DW_OP_shr: x = y >= 64 ? 0 : x >> y; break;
			case DW_OP_shra:
				if (y >= 64)
					x = (int64_t)x < 0 ? UINT64_MAX : 0;
				else
					x = (int64_t)x < 0 ? ~(~x >> y) : x >> y;
				break;
			case DW_OP_eq: x = (int64_t)x == (int64_t)y; break;
			case DW_OP_ne: x = (int64_t)x != (int64_t)y; break;
			case DW_OP_lt: x = (int64_t)x < (int64_t)y; break;
			case DW_OP_le: x = (int64_t)x <= (int64_t)y; break;
			case DW_OP_gt: x = (int64_t)x > (int64_t)y; break;
			default: x = (int64_t)x >= (int64_t)y; break;
			}
			st[sp - 1] = x;
			break;
		case DW_OP_nop:
			break;
		case DW_OP_stack_value:
			NEED(1);
			regval = st[--sp];
			k = R_VALUE;
			break;
		case DW_OP_piece: {
			enum eres_kind pk = k;
			uint64_t pv = regval;
			if (k == R_NONE && sp > 0) {
				pk = R_MEM;
				pv = st[--sp];
			}
			if (add_piece(c, res, pk, pv, o->n1) < 0)
				return -1;
			k = R_NONE;
			sp = 0;
			break;
		}
		default: {
			char nb[32];
			return err_set("not supported: the location of '%s' uses %s", c->name,
				       op_name(a, nb, sizeof(nb)));
		}
		}
	}
#undef NEED
#undef PUSH
	if (res->pieces) {
		if (k != R_NONE || sp)
			return err_set("'%s' cannot be located: malformed DWARF expression", c->name);
		return 0;
	}
	if (k == R_REG || k == R_VALUE) {
		res->kind = k;
		res->v = regval;
		return 0;
	}
	if (sp == 0)
		return err_set("'%s' is optimized out at this address", c->name);
	res->kind = R_MEM;
	res->v = st[sp - 1];
	return 0;
}

static void value_from_bits(struct cx_value *out, const struct cx_type *type, uint64_t bits)
{
	const struct cx_type *t = cx_strip(type);
	out->lvalue = 0;
	out->bits = bits;
	if (t->kind == CX_FLOAT) {
		if (t->size == 4) {
			uint32_t u = (uint32_t)bits;
			float f;
			memcpy(&f, &u, 4);
			out->f = f;
		} else {
			double d;
			memcpy(&d, &bits, 8);
			out->f = d;
		}
	}
}

static int bytes_value(const char *name, const uint8_t *b, size_t n, const struct cx_type *type,
		       struct cx_value *out)
{
	const struct cx_type *t = cx_strip(type);
	if (t->kind == CX_STRUCT || t->kind == CX_UNION || t->kind == CX_ARRAY || t->size > 8)
		return err_set("not supported: '%s' is not in memory (its value is spread over registers or constants)",
			       name);
	if (n < t->size)
		return err_set("'%s' is partly optimized out at this address", name);
	uint64_t bits = 0;
	for (size_t i = 0; i < 8 && i < n; i++)
		bits |= (uint64_t)b[i] << (8 * i);
	value_from_bits(out, type, bits);
	return 0;
}

int symvar_load(void *frame, const void *loc, const struct cx_type *type, struct cx_value *out)
{
	struct symvar_frame *fr = frame;
	const struct vloc *l = loc;
	memset(out, 0, sizeof(*out));
	out->type = type;
	if (!l)
		return err_set("No location");
	switch (l->kind) {
	case LK_UNAVAIL:
		return err_set("%s", l->why);
	case LK_ADDR:
		out->lvalue = 1;
		out->addr = l->addr;
		return 0;
	case LK_PSEUDO: {
		uint64_t v;
		if (!fr->pseudo || fr->pseudo(fr->user, l->name, &v) < 0)
			return fr->pseudo ? -1 : err_set("Bad register error at '@%s'", l->name);
		value_from_bits(out, type, v);
		return 0;
	}
	case LK_REGISTER: {
		if (frame_regs(fr) < 0)
			return -1;
		if (fr->valid != SYMVAR_ALL_REGS && (l->reg_dwarf < 0 || !(fr->valid & (1u << l->reg_dwarf))))
			return err_set("@%s is not known in this frame (the unwinder could not restore it)", l->name);
		uint64_t v = regs_get(&fr->regs, &l->reg);
		if (l->reg.bits < 64)
			v &= (1ULL << l->reg.bits) - 1;
		value_from_bits(out, type, v);
		return 0;
	}
	case LK_BYTES:
		return bytes_value(l->name, l->bytes, l->nbytes, type, out);
	case LK_EXPR: {
		struct ectx c = { .fr = fr, .name = l->name, .fb = l->fb };
		struct eres r;
		if (run_ops(&c, l->ops, l->nops, 0, &r) < 0)
			return -1;
		if (r.pieces)
			return bytes_value(l->name, r.bytes, r.nbytes, type, out);
		if (r.kind == R_MEM) {
			out->lvalue = 1;
			out->addr = fr->is32 ? r.v & 0xffffffffu : r.v;
			return 0;
		}
		const struct cx_type *t = cx_strip(type);
		if (t->kind == CX_STRUCT || t->kind == CX_UNION || t->kind == CX_ARRAY || t->size > 8)
			return err_set("not supported: '%s' is held in a register, not in memory", l->name);
		value_from_bits(out, type, r.v);
		return 0;
	}
	}
	return err_set("No location");
}

int symvar_mem(void *frame, uint64_t addr, void *buf, size_t n)
{
	return frame_mem(frame, addr, buf, n);
}

void symvar_cx_env(struct symvar_frame *frame, struct cx_env *out)
{
	memset(out, 0, sizeof(*out));
	out->user = frame;
	out->ptrsize = frame->is32 ? 4 : 8;
	out->mem = symvar_mem;
	out->load = symvar_load;
}

/* ---- unwinding for frames above the innermost ---- */

struct unwind_mem {
	sym_mem_fn fn;
	void *user;
};

static int unwind_read(void *user, uint64_t addr, void *buf, size_t n)
{
	struct unwind_mem *m = user;
	return m->fn(m->user, addr, buf, n) == (int)n ? 0 : -1;
}

static int cfi_frame_at(Dwfl *dwfl, uint64_t pc, Dwarf_Frame **frame, Dwarf_Addr *bias)
{
	Dwfl_Module *m = dwfl_addrmodule(dwfl, pc);
	if (!m)
		return -1;
	for (int pass = 0; pass < 2; pass++) {
		Dwarf_CFI *cfi = pass == 0 ? dwfl_module_eh_cfi(m, bias) : dwfl_module_dwarf_cfi(m, bias);
		if (cfi && dwarf_cfi_addrframe(cfi, pc - *bias, frame) == 0)
			return 0;
	}
	return -1;
}

/* Copies libdw ops (at most MAX_OPS) for run_ops. */
static int copy_frame_ops(const Dwarf_Op *ops, size_t n, Dwarf_Addr bias, struct vop *out)
{
	if (n > MAX_OPS)
		return -1;
	for (size_t i = 0; i < n; i++) {
		if (!op_plain(ops[i].atom) || ops[i].atom == DW_OP_fbreg)
			return -1;
		out[i].atom = ops[i].atom;
		out[i].n1 = ops[i].atom == DW_OP_addr ? ops[i].number + bias : ops[i].number;
		out[i].n2 = ops[i].number2;
	}
	return 0;
}

int symvar_unwind(struct sym_table *st, int is32, const struct regs *r0, sym_mem_fn mem, void *mem_user,
		  int n, struct regs *out, uint32_t *valid, uint64_t *pc)
{
	Dwfl *dwfl = (Dwfl *)sym_dwfl(st);
	struct unwind_mem um = { mem, mem_user };
	struct symvar_frame fr = { .is32 = is32, .regs = *r0, .valid = SYMVAR_ALL_REGS, .have_regs = 1,
				   .mem = unwind_read, .user = &um };
	int nregs = is32 ? 9 : 17;
	/* SysV callee-saved: rbx rbp r12-r15 / ebx ebp esi edi (DWARF numbers) */
	uint32_t callee_saved = is32 ? (1u << 3 | 1u << 5 | 1u << 6 | 1u << 7)
				     : (1u << 3 | 1u << 6 | 1u << 12 | 1u << 13 | 1u << 14 | 1u << 15);
	int ra = is32 ? 8 : 16, spn = is32 ? 4 : 7;
	uint64_t cur = r0->r[REG_RIP];
	if (n < 0 || n > 4096)
		return err_set("Frame number %d is out of range", n);
	for (int i = 0; i < n; i++) {
		if (!dwfl)
			return err_set("Cannot unwind: no symbols");
		Dwarf_Frame *frame = NULL;
		Dwarf_Addr bias = 0;
		uint64_t lookup = i == 0 ? cur : cur - 1;
		if (cfi_frame_at(dwfl, lookup, &frame, &bias) < 0)
			return err_set("Cannot unwind past frame %d: no call frame information for %llx", i,
				       (unsigned long long)cur);
		struct ectx c = { .fr = &fr, .name = "the caller's frame" };
		struct vop ops[MAX_OPS];
		Dwarf_Op *dops = NULL;
		size_t dn = 0;
		struct eres r;
		uint64_t cfa = 0;
		if (dwarf_frame_cfa(frame, &dops, &dn) != 0 || dn == 0 ||
		    copy_frame_ops(dops, dn, bias, ops) < 0 || run_ops(&c, ops, dn, 0, &r) < 0 || r.pieces) {
			free(frame);
			return err_set("Cannot unwind past frame %d: unusable CFA rule", i);
		}
		cfa = r.kind == R_REG || r.kind == R_VALUE ? r.v : r.v;
		c.have_cfa = 1;
		c.cfa = cfa;
		struct regs next = fr.regs;
		uint32_t nvalid = 0;
		for (int reg = 0; reg < nregs; reg++) {
			Dwarf_Op mem3[3];
			Dwarf_Op *rops = NULL;
			size_t rn = 0;
			int idx = dwarf_to_regs(is32, (uint64_t)reg);
			if (idx < 0)
				continue;
			if (dwarf_frame_register(frame, reg, mem3, &rops, &rn) != 0)
				continue;
			if (rn == 0) {
				/*
				 * No rule of the function's own.  libdw then applies its ABI
				 * defaults, whose x86-64 table marks DWARF 0 (rax) instead of 3
				 * (rbx) as preserved; so decide from the SysV ABI directly:
				 * callee-saved registers keep their value, the others are lost.
				 */
				if ((callee_saved & (1u << reg)) && (fr.valid & (1u << reg)))
					nvalid |= 1u << reg;
				continue;
			}
			if (copy_frame_ops(rops, rn, bias, ops) < 0 || run_ops(&c, ops, rn, 0, &r) < 0 || r.pieces)
				continue;
			uint64_t v = r.v;
			if (r.kind == R_MEM) {
				uint8_t b[8] = { 0 };
				size_t w = is32 ? 4 : 8;
				if (unwind_read(&um, r.v, b, w) < 0)
					continue;
				v = 0;
				for (size_t j = 0; j < w; j++)
					v |= (uint64_t)b[j] << (8 * j);
			}
			next.r[idx] = v;
			nvalid |= 1u << reg;
		}
		free(frame);
		next.r[REG_RSP] = cfa;
		nvalid |= 1u << spn;
		if (!(nvalid & (1u << ra)))
			return err_set("Cannot unwind past frame %d: no return address", i);
		next.r[REG_RIP] = next.r[is32 ? REG_RIP : dwarf_to_regs(0, 16)];
		if (is32)
			for (int k = 0; k < REG_COUNT; k++)
				next.r[k] &= 0xffffffffu;
		cur = next.r[REG_RIP];
		if (cur == 0)
			return err_set("Frame %d does not exist", i + 1);
		fr.regs = next;
		fr.valid = nvalid;
	}
	*out = fr.regs;
	*valid = fr.valid;
	*pc = cur;
	return 0;
}
