/*
 * symtype.c — DWARF types (through libdw) converted to cx_types for the C
 * expression evaluator (symvar.h, symvar_internal.h).
 *
 * Types are converted without deep recursion: pointers, typedefs, arrays
 * and qualifiers recurse (bounded by MAX_TYPE_DEPTH); a struct, union or
 * enum is first created as a shell (kind, name, size) and its members are
 * filled from a work list, so cyclic and very wide type graphs are fine.
 * At most MAX_TYPES types are converted per scope; past that, structs stay
 * incomplete.  A DIE -> cx_type memo (per scope) converts each DIE once, so
 * one type reached two ways is one cx_type.  A struct known here only by a
 * declaration is completed from its definition elsewhere (found by
 * symdie.c), at most MAX_DEF_SEARCHES times per scope.
 */
#include "sym/symvar_internal.h"

#include <dwarf.h>
#include <stdbool.h>
#include <stdlib.h>
#include <string.h>

#define MAX_TYPE_DEPTH 48
#define MAX_TYPES 50000
#define MAX_DEF_SEARCHES 64

struct memo_ent {
	const void *dbg;
	uint64_t off;
	const struct cx_type *t;
};

struct pending {
	Dwarf_Die die;
	struct cx_type *t;
};

static const struct cx_type *tvoid(struct symvar_scope *sc)
{
	return cx_builtin(CXB_VOID, sc->ptrsize);
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
	const char *n = die ? symdie_name(die) : NULL;
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
					const char *nm = symdie_name(&c);
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
	if (symdie_flag(&die, DW_AT_declaration)) {
		const char *nm = symdie_name(&die);
		Dwarf_Die def;
		if (!nm || sc->def_searches >= MAX_DEF_SEARCHES || symdie_find_definition(sc, tag, nm, &def) < 0)
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
			n += (ct == DW_TAG_member && !symdie_flag(&c, DW_AT_external)) || ct == DW_TAG_inheritance;
		} while (dwarf_siblingof(&c, &c) == 0 && n < 65536);
	t->members = n ? cx_alloc(sc->pool, n * sizeof(*t->members)) : NULL;
	size_t k = 0;
	if (n && dwarf_child(&die, &c) == 0) {
		do {
			int ct = dwarf_tag(&c);
			if (k >= n || !((ct == DW_TAG_member && !symdie_flag(&c, DW_AT_external)) ||
					ct == DW_TAG_inheritance))
				continue;
			struct cx_member *m = &t->members[k];
			const char *nm = ct == DW_TAG_inheritance ? NULL : symdie_name(&c);
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

const struct cx_type *symtype_convert(struct symvar_scope *sc, Dwarf_Die *die)
{
	const struct cx_type *t = convert(sc, die, 0);
	drain_pending(sc);
	return t;
}

const struct cx_type *symtype_of_die(struct symvar_scope *sc, Dwarf_Die *die)
{
	Dwarf_Die t;
	if (die_type(die, &t) < 0)
		return tvoid(sc);
	return symtype_convert(sc, &t);
}
