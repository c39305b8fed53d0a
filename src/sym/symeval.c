/*
 * symeval.c — running vloc location programs (symvar_internal.h) against
 * one frame's registers and memory: the values cx_env.load hands the C
 * expression evaluator (symvar_load).  A frame's registers come from the
 * caller: the thread's own for the innermost frame, the unwinder's
 * (sym_unwind) with their validity mask for the others.
 *
 * Invariants: the DWARF stack is bounded (EVAL_STACK) and checked before
 * every push and pop; programs have no branches and the frame base may
 * nest at most 3 deep, so a run always ends; a register the unwinder could
 * not restore, an unreadable word or a malformed program is an error naming
 * the variable, never a zero; registers map from DWARF numbers to struct
 * regs through sym_dwarf_reg.
 */
#include "sym/symvar_internal.h"

#include <dwarf.h>
#include <string.h>

#define EVAL_STACK 64

static int frame_regs(struct symvar_frame *fr)
{
	if (fr->have_regs)
		return 0;
	if (!fr->fetch_regs || fr->fetch_regs(fr->user, &fr->regs) < 0)
		return -1;
	fr->have_regs = 1;
	return 0;
}

static int read_dwreg(struct ectx *c, uint64_t dw, uint64_t *v)
{
	int idx = sym_dwarf_reg(c->fr->is32, dw);
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

static uint64_t le_bits(const uint8_t *b, size_t n)
{
	uint64_t x = 0;
	for (size_t i = 0; i < n && i < 8; i++)
		x |= (uint64_t)b[i] << (8 * i);
	return x;
}

static int read_word(struct symvar_frame *fr, uint64_t addr, size_t n, uint64_t *v)
{
	uint8_t b[8] = { 0 };
	if (n > sizeof(b) || frame_mem(fr, addr, b, n) != 0)
		return -1;
	*v = le_bits(b, n);
	return 0;
}

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
	if (symeval_run(&sub, c->fb->cfa, c->fb->ncfa, 1, &r) < 0)
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
	if (symeval_run(c, c->fb->fb, c->fb->nfb, depth + 1, &r) < 0)
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

int symeval_run(struct ectx *c, const struct vop *ops, size_t n, int depth, struct eres *res)
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
		if (symloc_op_is_reg(a)) {
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
			if (read_word(c->fr, st[sp - 1], (size_t)sz, &x) < 0)
				return err_set("Memory access error: cannot read 0x%llx while locating '%s'",
					       (unsigned long long)st[sp - 1], c->name);
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
				       symloc_op_name(a, nb, sizeof(nb)));
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
	value_from_bits(out, type, le_bits(b, n));
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
		if (symeval_run(&c, l->ops, l->nops, 0, &r) < 0)
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

int symvar_loc_register(const void *loc)
{
	const struct vloc *l = loc;
	if (!l)
		return -1;
	if (l->kind == LK_REGISTER)
		return l->reg_dwarf;
	if (l->kind == LK_EXPR && l->nops == 1 && symloc_op_is_reg(l->ops[0].atom))
		return l->ops[0].atom == DW_OP_regx ? (int)l->ops[0].n1 : l->ops[0].atom - DW_OP_reg0;
	return -1;
}

int symvar_mem(void *frame, uint64_t addr, void *buf, size_t n)
{
	return frame_mem(frame, addr, buf, n);
}

static int frame_masm(void *frame, const char *text, uint64_t *v)
{
	struct symvar_frame *fr = frame;
	return fr->masm(fr->user, text, v);
}

void symvar_cx_env(struct symvar_frame *frame, struct cx_env *out)
{
	memset(out, 0, sizeof(*out));
	out->user = frame;
	out->ptrsize = frame->is32 ? 4 : 8;
	out->mem = symvar_mem;
	out->load = symvar_load;
	out->masm = frame->masm ? frame_masm : NULL;
}
