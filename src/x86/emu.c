/*
 * emu.c — executes, in the debugger, the instruction displaced by an int3,
 * so that a breakpoint hit that resumes costs one stop instead of lifting
 * the int3, single-stepping and putting it back.
 *
 * Only instructions whose complete effect is known exactly are emulated:
 * endbr64/endbr32, nop, push r, direct call and jmp, ret, mov between registers, immediates and
 * memory (32/64-bit registers; stores of any width from an immediate),
 * lea, and add/sub/cmp r,imm|r (with every flag they define).
 * Anything else returns -1 and the caller falls back to a real single step;
 * so does any access the caller's load function or store check refuses
 * because a processor breakpoint must see it happen.  Pure: libc, Zydis, util, regs.
 * dis.c is the disassembler facade; this file is the other Zydis user, for
 * operand details the disassembly does not need.
 */
#include "x86/emu.h"

#include <string.h>

#include <Zydis/Zydis.h>

/* Our register index and bit width for a Zydis general-purpose register. */
static int gpr_index(ZydisRegister reg, unsigned *width)
{
	static const ZydisRegister order[] = {
		ZYDIS_REGISTER_RAX, ZYDIS_REGISTER_RBX, ZYDIS_REGISTER_RCX, ZYDIS_REGISTER_RDX,
		ZYDIS_REGISTER_RSI, ZYDIS_REGISTER_RDI, ZYDIS_REGISTER_RBP, ZYDIS_REGISTER_RSP,
		ZYDIS_REGISTER_R8, ZYDIS_REGISTER_R9, ZYDIS_REGISTER_R10, ZYDIS_REGISTER_R11,
		ZYDIS_REGISTER_R12, ZYDIS_REGISTER_R13, ZYDIS_REGISTER_R14, ZYDIS_REGISTER_R15,
	};
	static const int index[] = {
		REG_RAX, REG_RBX, REG_RCX, REG_RDX, REG_RSI, REG_RDI, REG_RBP, REG_RSP,
		REG_R8, REG_R9, REG_R10, REG_R11, REG_R12, REG_R13, REG_R14, REG_R15,
	};
	if (ZydisRegisterGetClass(reg) != ZYDIS_REGCLASS_GPR64 &&
	    ZydisRegisterGetClass(reg) != ZYDIS_REGCLASS_GPR32)
		return -1;	/* 8/16-bit views keep other bits: not worth the risk */
	ZydisRegister full = ZydisRegisterGetLargestEnclosing(ZYDIS_MACHINE_MODE_LONG_64, reg);
	for (size_t i = 0; i < ARRAY_SIZE(order); i++) {
		if (order[i] == full) {
			*width = ZydisRegisterGetWidth(ZYDIS_MACHINE_MODE_LONG_64, reg);
			return index[i];
		}
	}
	return -1;
}

static uint64_t mask_of(unsigned width)
{
	return width >= 64 ? ~0ULL : (1ULL << width) - 1;
}

/* Writing a 32-bit register zero-extends into the 64-bit one (x86-64 rule). */
static void set_gpr(struct regs *r, int idx, unsigned width, uint64_t v)
{
	r->r[idx] = v & mask_of(width);
}

#define FL_CF (1u << 0)
#define FL_PF (1u << 2)
#define FL_AF (1u << 4)
#define FL_ZF (1u << 6)
#define FL_SF (1u << 7)
#define FL_OF (1u << 11)

static int parity_even(uint64_t v)
{
	uint8_t b = (uint8_t)v;
	b ^= b >> 4;
	b ^= b >> 2;
	b ^= b >> 1;
	return !(b & 1);
}

/* a + b or a - b at width bits, with CF PF AF ZF SF OF as the CPU sets them. */
static uint64_t add_sub(uint64_t a, uint64_t b, unsigned width, int sub, uint64_t *efl)
{
	uint64_t m = mask_of(width);
	a &= m;
	b &= m;
	uint64_t res = (sub ? a - b : a + b) & m;
	uint64_t top = 1ULL << (width - 1);
	uint64_t f = *efl & ~(uint64_t)(FL_CF | FL_PF | FL_AF | FL_ZF | FL_SF | FL_OF);
	if (sub ? a < b : res < a)
		f |= FL_CF;
	if (parity_even(res))
		f |= FL_PF;
	if ((a ^ b ^ res) & 0x10)
		f |= FL_AF;
	if (res == 0)
		f |= FL_ZF;
	if (res & top)
		f |= FL_SF;
	if (sub ? ((a ^ b) & (a ^ res) & top) : (~(a ^ b) & (a ^ res) & top))
		f |= FL_OF;
	*efl = f;
	return res;
}

static int effective_address(const ZydisDecodedInstruction *in, const ZydisDecodedOperand *op,
			     const struct regs *r, uint64_t addr, uint64_t *out)
{
	const ZydisDecodedOperandMem *m = &op->mem;
	if (m->segment != ZYDIS_REGISTER_DS && m->segment != ZYDIS_REGISTER_SS &&
	    m->segment != ZYDIS_REGISTER_NONE)
		return -1;	/* fs:/gs: bases are not in this model */
	uint64_t ea = (uint64_t)m->disp.value;
	if (m->base == ZYDIS_REGISTER_RIP || m->base == ZYDIS_REGISTER_EIP) {
		ea += addr + in->length;
	} else if (m->base != ZYDIS_REGISTER_NONE) {
		unsigned w;
		int b = gpr_index(m->base, &w);
		if (b < 0)
			return -1;
		ea += r->r[b] & mask_of(w);
	}
	if (m->index != ZYDIS_REGISTER_NONE) {
		unsigned w;
		int x = gpr_index(m->index, &w);
		if (x < 0)
			return -1;
		ea += (r->r[x] & mask_of(w)) * m->scale;
	}
	*out = ea & mask_of(in->address_width);
	return 0;
}

static void set_store(struct emu_store *store, uint64_t ea, uint64_t v, unsigned bytes)
{
	memcpy(store->bytes, &v, bytes);	/* little-endian: the low bytes */
	store->addr = ea;
	store->size = bytes;
}

int emu_step(const uint8_t *code, size_t n, uint64_t addr, int is32, struct regs *r,
	     emu_load_fn load, void *user, struct emu_store *store)
{
	ZydisDecoder dec;
	ZydisDecodedInstruction in;
	ZydisDecodedOperand ops[ZYDIS_MAX_OPERAND_COUNT];
	store->size = 0;
	if (ZYAN_FAILED(ZydisDecoderInit(&dec, is32 ? ZYDIS_MACHINE_MODE_LEGACY_32 : ZYDIS_MACHINE_MODE_LONG_64,
					 is32 ? ZYDIS_STACK_WIDTH_32 : ZYDIS_STACK_WIDTH_64)))
		return -1;
	if (ZYAN_FAILED(ZydisDecoderDecodeFull(&dec, code, n, &in, ops)))
		return -1;
	if (in.attributes & (ZYDIS_ATTRIB_HAS_LOCK | ZYDIS_ATTRIB_HAS_REP | ZYDIS_ATTRIB_HAS_REPNE))
		return -1;
	struct regs next = *r;
	uint64_t ipmask = is32 ? 0xffffffffULL : ~0ULL;
	next.r[REG_RIP] = (addr + in.length) & ipmask;
	unsigned w, w2;
	int d, s;

	switch (in.mnemonic) {
	case ZYDIS_MNEMONIC_ENDBR64:
	case ZYDIS_MNEMONIC_ENDBR32:
	case ZYDIS_MNEMONIC_NOP:
		break;
	case ZYDIS_MNEMONIC_PUSH: {
		if (ops[0].type != ZYDIS_OPERAND_TYPE_REGISTER || (s = gpr_index(ops[0].reg.value, &w)) < 0)
			return -1;
		unsigned bytes = in.operand_width / 8;
		if (bytes != (is32 ? 4u : 8u))
			return -1;
		uint64_t sp = (r->r[REG_RSP] - bytes) & ipmask;
		set_store(store, sp, r->r[s] & mask_of(in.operand_width), bytes);
		next.r[REG_RSP] = is32 ? (r->r[REG_RSP] & ~0xffffffffULL) | sp : sp;
		break;
	}
	case ZYDIS_MNEMONIC_CALL:
	case ZYDIS_MNEMONIC_JMP: {
		/* direct (relative) targets only; i386 PIC code enters functions with
		 * call __x86.get_pc_thunk */
		ZyanU64 target;
		if (ops[0].type != ZYDIS_OPERAND_TYPE_IMMEDIATE || !ops[0].imm.is_relative ||
		    ZYAN_FAILED(ZydisCalcAbsoluteAddress(&in, &ops[0], addr, &target)))
			return -1;
		if (in.mnemonic == ZYDIS_MNEMONIC_CALL) {
			unsigned bytes = is32 ? 4 : 8;
			uint64_t sp = (r->r[REG_RSP] - bytes) & ipmask;
			set_store(store, sp, next.r[REG_RIP], bytes);
			next.r[REG_RSP] = is32 ? (r->r[REG_RSP] & ~0xffffffffULL) | sp : sp;
		}
		next.r[REG_RIP] = target & ipmask;
		break;
	}
	case ZYDIS_MNEMONIC_RET: {
		if (in.operand_count_visible != 0)
			return -1;	/* ret imm16 */
		unsigned bytes = is32 ? 4 : 8;
		uint64_t sp = r->r[REG_RSP] & ipmask, target = 0;
		if (load(user, sp, &target, bytes) < 0)
			return -1;
		next.r[REG_RIP] = target;
		next.r[REG_RSP] = (sp + bytes) & ipmask;
		break;
	}
	case ZYDIS_MNEMONIC_MOV: {
		uint64_t ea, v = 0;
		if (ops[0].type == ZYDIS_OPERAND_TYPE_MEMORY) {
			/* store: from a 32/64-bit register, or an immediate of any width */
			unsigned bytes = in.operand_width / 8;
			if (effective_address(&in, &ops[0], r, addr, &ea) < 0 || bytes == 0 || bytes > 8)
				return -1;
			if (ops[1].type == ZYDIS_OPERAND_TYPE_REGISTER) {
				if ((s = gpr_index(ops[1].reg.value, &w2)) < 0)
					return -1;
				v = r->r[s];
			} else if (ops[1].type == ZYDIS_OPERAND_TYPE_IMMEDIATE) {
				v = ops[1].imm.value.u;
			} else {
				return -1;
			}
			set_store(store, ea, v, bytes);
			break;
		}
		if (ops[0].type != ZYDIS_OPERAND_TYPE_REGISTER || (d = gpr_index(ops[0].reg.value, &w)) < 0)
			return -1;
		if (ops[1].type == ZYDIS_OPERAND_TYPE_REGISTER) {
			if ((s = gpr_index(ops[1].reg.value, &w2)) < 0 || w2 != w)
				return -1;
			v = r->r[s];
		} else if (ops[1].type == ZYDIS_OPERAND_TYPE_IMMEDIATE) {
			v = ops[1].imm.value.u;
		} else if (ops[1].type == ZYDIS_OPERAND_TYPE_MEMORY) {
			if (effective_address(&in, &ops[1], r, addr, &ea) < 0 || load(user, ea, &v, w / 8) < 0)
				return -1;
		} else {
			return -1;
		}
		set_gpr(&next, d, w, v);
		break;
	}
	case ZYDIS_MNEMONIC_LEA: {
		uint64_t ea;
		if (ops[0].type != ZYDIS_OPERAND_TYPE_REGISTER || (d = gpr_index(ops[0].reg.value, &w)) < 0 ||
		    ops[1].type != ZYDIS_OPERAND_TYPE_MEMORY || effective_address(&in, &ops[1], r, addr, &ea) < 0)
			return -1;
		set_gpr(&next, d, w, ea);
		break;
	}
	case ZYDIS_MNEMONIC_ADD:
	case ZYDIS_MNEMONIC_SUB:
	case ZYDIS_MNEMONIC_CMP: {
		/* register destination; immediate or same-width register source */
		uint64_t b;
		if (ops[0].type != ZYDIS_OPERAND_TYPE_REGISTER || (d = gpr_index(ops[0].reg.value, &w)) < 0)
			return -1;
		if (ops[1].type == ZYDIS_OPERAND_TYPE_IMMEDIATE)
			b = ops[1].imm.value.u;
		else if (ops[1].type == ZYDIS_OPERAND_TYPE_REGISTER &&
			 (s = gpr_index(ops[1].reg.value, &w2)) >= 0 && w2 == w)
			b = r->r[s];
		else
			return -1;
		uint64_t efl = r->r[REG_EFL];
		uint64_t v = add_sub(r->r[d], b, w, in.mnemonic != ZYDIS_MNEMONIC_ADD, &efl);
		if (in.mnemonic != ZYDIS_MNEMONIC_CMP)
			set_gpr(&next, d, w, v);
		next.r[REG_EFL] = efl;
		break;
	}
	default:
		return -1;
	}
	*r = next;
	return (int)in.length;
}
