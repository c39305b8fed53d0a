/*
 * symloc.c — DWARF locations compiled into vloc programs (symvar.h,
 * symvar_internal.h): for a variable DIE at the scope's pc, a small program
 * that needs only registers and memory to run (symeval.c runs it).
 *
 * Locations are bound to pc when a name is resolved: a location list entry
 * is chosen for pc, DW_OP_fbreg is tied to the function's DW_AT_frame_base,
 * DW_OP_call_frame_cfa to the CFA rule the CFI (.eh_frame, else
 * .debug_frame) gives for pc, DW_OP_entry_value is resolved only at the
 * function's first instruction.  Between a function's entry and the end of
 * its prologue, parameters are read where the ABI passes them (symvar.h).
 *
 * Invariants: a program holds at most SYMVAR_MAX_OPS operations, all of
 * which the evaluator runs as they are (no branches, no calls, no typed
 * stack); anything else becomes an LK_UNAVAIL location whose message names
 * the variable and the reason, never a wrong value; addresses are biased to
 * the module's load address here, once.
 */
#include "sym/symvar_internal.h"

#include <dwarf.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

enum slot_kind { SLOT_NONE, SLOT_REG, SLOT_STACK, SLOT_UNAVAIL };

struct abi_slot {
	uint64_t off;		/* DIE offset of the parameter */
	enum slot_kind kind;
	int reg;		/* SLOT_REG: DWARF register */
	uint64_t stack;		/* SLOT_STACK: CFA + stack */
	const char *why;	/* SLOT_UNAVAIL */
};

/* ---- compiling location expressions ---- */

static struct vloc *vloc_new(struct cx_pool *pool, enum loc_kind k, const char *name)
{
	struct vloc *l = cx_alloc(pool, sizeof(*l));
	l->kind = k;
	l->name = name;
	l->reg_dwarf = -1;
	return l;
}

struct vloc *symloc_new(struct symvar_scope *sc, enum loc_kind k, const char *name)
{
	return vloc_new(sc->pool, k, name);
}

static struct vloc *loc_unavail(struct symvar_scope *sc, const char *name, const char *fmt, const char *detail)
{
	struct vloc *l = symloc_new(sc, LK_UNAVAIL, name);
	struct sbuf sb = { 0 };
	sb_addf(&sb, fmt, name, detail ? detail : "");
	l->why = cx_strndup(sc->pool, sb_str(&sb), sb.len);
	sb_free(&sb);
	return l;
}

int symloc_op_is_reg(uint8_t atom)
{
	return (atom >= DW_OP_reg0 && atom <= DW_OP_reg31) || atom == DW_OP_regx;
}

const char *symloc_op_name(uint8_t atom, char *buf, size_t n)
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
	if (n > SYMVAR_MAX_OPS) {
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
			    dwarf_getlocation(&res, &iops, &in) == 0 && in == 1 && symloc_op_is_reg(iops[0].atom)) {
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
				*why = loc_unavail(sc, name, "not supported: the location of '%s' uses %s", symloc_op_name(op->atom, nb, sizeof(nb)));
				return NULL;
			}
		}
	}
	return out;
}

/* The CFI frame covering pc in m: from .eh_frame (debug_frame 0) or
 * .debug_frame (1).  0 with *frame (the caller frees it) and *bias, or -1. */
static int cfi_frame(Dwfl_Module *m, int debug_frame, uint64_t pc, Dwarf_Frame **frame, Dwarf_Addr *bias)
{
	Dwarf_CFI *cfi = debug_frame ? dwfl_module_dwarf_cfi(m, bias) : dwfl_module_eh_cfi(m, bias);
	if (!cfi || dwarf_cfi_addrframe(cfi, pc - *bias, frame) != 0)
		return -1;
	return 0;
}

/*
 * Copies a CFA rule's operations (at most SYMVAR_MAX_OPS), addresses
 * biased.  -1 when one cannot run here: not plain, DW_OP_fbreg, or
 * DW_OP_call_frame_cfa (a CFA defined by itself would never finish).
 */
static int copy_cfa_ops(const Dwarf_Op *ops, size_t n, Dwarf_Addr bias, struct vop *out)
{
	if (n > SYMVAR_MAX_OPS)
		return -1;
	for (size_t i = 0; i < n; i++) {
		if (!op_plain(ops[i].atom) || ops[i].atom == DW_OP_fbreg || ops[i].atom == DW_OP_call_frame_cfa)
			return -1;
		out[i].atom = ops[i].atom;
		out[i].n1 = ops[i].atom == DW_OP_addr ? ops[i].number + bias : ops[i].number;
		out[i].n2 = ops[i].number2;
	}
	return 0;
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
	for (int pass = 0; sc->mod && pass < 2 && fb->cfa_why; pass++) {
		Dwarf_Addr cbias = 0;
		Dwarf_Frame *frame = NULL;
		if (cfi_frame(sc->mod, pass, sc->pc, &frame, &cbias) < 0)
			continue;
		Dwarf_Op *ops = NULL;
		size_t n = 0;
		if (dwarf_frame_cfa(frame, &ops, &n) == 0 && n > 0 && n <= SYMVAR_MAX_OPS) {
			struct vop *v = cx_alloc(sc->pool, n * sizeof(*v));
			if (copy_cfa_ops(ops, n, cbias, v) == 0) {
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
	const struct cx_type *ret = cx_strip(symtype_of_die(sc, sub));
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
		const struct cx_type *t = cx_strip(symtype_of_die(sc, &c));
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
		struct vloc *l = symloc_new(sc, LK_BYTES, name);
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
			struct vloc *l = symloc_new(sc, LK_EXPR, name);
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
		struct vloc *l = symloc_new(sc, LK_BYTES, name);
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
	struct vloc *l = symloc_new(sc, LK_EXPR, name);
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

void symloc_var_sym(struct symvar_scope *sc, Dwarf_Die *var, Dwarf_Addr bias, const char *name, int in_frame,
		    struct cx_sym *out)
{
	memset(out, 0, sizeof(*out));
	out->type = symtype_of_die(sc, var);
	out->loc = var_location(sc, var, bias, pool_name(sc, name), in_frame);
}

struct vloc *symloc_addr(struct symvar_scope *sc, const char *name, uint64_t addr)
{
	struct vloc *l = symloc_new(sc, LK_ADDR, pool_name(sc, name));
	l->addr = addr;
	return l;
}

const void *symvar_pseudo_loc(struct cx_pool *pool, const char *name, size_t len)
{
	return vloc_new(pool, LK_PSEUDO, cx_strndup(pool, name, len));
}
