/*
 * access.c — the memory accesses of one instruction, from Zydis's operand list.
 *
 * Zydis describes every memory operand, visible or implicit, with its
 * actions (read, write, conditional) and its address expression; this file
 * turns those into linear address ranges with the thread's registers.
 *
 * Invariants:
 *  - Pure: no process access, no state between calls.
 *  - Addresses are computed as the processor computes them before the
 *    instruction executes: the implicit stack operand of a push (call,
 *    pushf, enter) is below rsp, that of a pop (ret, popf, leave after its
 *    mov) at rsp or rbp as Zydis names it; `pop [rsp+d]` addresses with rsp
 *    already incremented; fs/gs add the thread's segment base; the address
 *    size (including a 0x67 prefix) truncates.
 *  - A result is never narrower than the truth: when the extent cannot be
 *    known exactly (repe/repne, conditional stores) the access is as wide as
 *    it may be and says ACCESS_MAYBE; when it cannot be known at all, -1.
 */
#include "x86/access.h"

#include <string.h>

#include <Zydis/Zydis.h>

/* Zydis's GPR encoding ids 0..15 (rax rcx rdx rbx rsp rbp rsi rdi r8..r15) in struct regs. */
static const enum reg_index gpr_by_id[16] = {
	REG_RAX, REG_RCX, REG_RDX, REG_RBX, REG_RSP, REG_RBP, REG_RSI, REG_RDI,
	REG_R8, REG_R9, REG_R10, REG_R11, REG_R12, REG_R13, REG_R14, REG_R15,
};

static void fill_context(ZydisRegisterContext *ctx, const struct regs *r)
{
	memset(ctx, 0, sizeof(*ctx));
	for (int id = 0; id < 16; id++) {
		uint64_t v = r->r[gpr_by_id[id]];
		ctx->values[ZydisRegisterEncode(ZYDIS_REGCLASS_GPR64, (ZyanU8)id)] = v;
		ctx->values[ZydisRegisterEncode(ZYDIS_REGCLASS_GPR32, (ZyanU8)id)] = (uint32_t)v;
		ctx->values[ZydisRegisterEncode(ZYDIS_REGCLASS_GPR16, (ZyanU8)id)] = (uint16_t)v;
	}
	ctx->values[ZYDIS_REGISTER_RIP] = r->r[REG_RIP];
	ctx->values[ZYDIS_REGISTER_EIP] = (uint32_t)r->r[REG_RIP];
}

static int is_stack_pointer(ZydisRegister reg)
{
	return reg == ZYDIS_REGISTER_RSP || reg == ZYDIS_REGISTER_ESP || reg == ZYDIS_REGISTER_SP;
}

static uint64_t address_mask(const ZydisDecodedInstruction *in)
{
	return in->address_width == 64 ? ~0ull : in->address_width == 32 ? 0xffffffffull : 0xffffull;
}

/* The iteration count of a rep-prefixed string instruction: rcx at its address size. */
static uint64_t rep_count(const ZydisDecodedInstruction *in, const struct regs *r)
{
	return r->r[REG_RCX] & address_mask(in);
}

static int is_string_op(const ZydisDecodedInstruction *in)
{
	switch (in->mnemonic) {
	case ZYDIS_MNEMONIC_MOVSB: case ZYDIS_MNEMONIC_MOVSW: case ZYDIS_MNEMONIC_MOVSD:
	case ZYDIS_MNEMONIC_MOVSQ: case ZYDIS_MNEMONIC_STOSB: case ZYDIS_MNEMONIC_STOSW:
	case ZYDIS_MNEMONIC_STOSD: case ZYDIS_MNEMONIC_STOSQ: case ZYDIS_MNEMONIC_LODSB:
	case ZYDIS_MNEMONIC_LODSW: case ZYDIS_MNEMONIC_LODSD: case ZYDIS_MNEMONIC_LODSQ:
	case ZYDIS_MNEMONIC_CMPSB: case ZYDIS_MNEMONIC_CMPSW: case ZYDIS_MNEMONIC_CMPSD:
	case ZYDIS_MNEMONIC_CMPSQ: case ZYDIS_MNEMONIC_SCASB: case ZYDIS_MNEMONIC_SCASW:
	case ZYDIS_MNEMONIC_SCASD: case ZYDIS_MNEMONIC_SCASQ: case ZYDIS_MNEMONIC_INSB:
	case ZYDIS_MNEMONIC_INSW: case ZYDIS_MNEMONIC_INSD: case ZYDIS_MNEMONIC_OUTSB:
	case ZYDIS_MNEMONIC_OUTSW: case ZYDIS_MNEMONIC_OUTSD:
		/* cmpsd/movsd also name SSE instructions; those have no hidden string operands. */
		return 1;
	default:
		return 0;
	}
}

/* Instructions whose memory operand is a hint: they never fault, so never access. */
static int touches_nothing(const ZydisDecodedInstruction *in)
{
	switch (in->mnemonic) {
	case ZYDIS_MNEMONIC_NOP: case ZYDIS_MNEMONIC_PREFETCH: case ZYDIS_MNEMONIC_PREFETCHNTA:
	case ZYDIS_MNEMONIC_PREFETCHT0: case ZYDIS_MNEMONIC_PREFETCHT1: case ZYDIS_MNEMONIC_PREFETCHT2:
	case ZYDIS_MNEMONIC_PREFETCHW: case ZYDIS_MNEMONIC_PREFETCHWT1:
		return 1;
	default:
		return 0;
	}
}

static unsigned rw_of(ZydisOperandActions actions)
{
	unsigned rw = 0;
	if (actions & ZYDIS_OPERAND_ACTION_MASK_READ)
		rw |= ACCESS_READ;
	if (actions & ZYDIS_OPERAND_ACTION_MASK_WRITE)
		rw |= ACCESS_WRITE;
	if ((actions & (ZYDIS_OPERAND_ACTION_CONDREAD | ZYDIS_OPERAND_ACTION_CONDWRITE)) &&
	    !(actions & (ZYDIS_OPERAND_ACTION_READ | ZYDIS_OPERAND_ACTION_WRITE)))
		rw |= ACCESS_MAYBE;
	/* A store that may not happen beside a load that does (cmpxchg). */
	if ((actions & ZYDIS_OPERAND_ACTION_CONDWRITE) && !(actions & ZYDIS_OPERAND_ACTION_WRITE))
		rw |= ACCESS_MAYBE;
	return rw;
}

int x86_accesses(const uint8_t *code, size_t n, uint64_t pc, int is32, const struct regs *r,
		 struct mem_access *out, int max, int *count)
{
	ZydisDecoder dec;
	ZydisDecodedInstruction in;
	ZydisDecodedOperand ops[ZYDIS_MAX_OPERAND_COUNT];
	ZydisRegisterContext ctx;

	*count = 0;
	if (ZYAN_FAILED(ZydisDecoderInit(&dec, is32 ? ZYDIS_MACHINE_MODE_LEGACY_32 : ZYDIS_MACHINE_MODE_LONG_64,
					 is32 ? ZYDIS_STACK_WIDTH_32 : ZYDIS_STACK_WIDTH_64)))
		return -1;
	if (ZYAN_FAILED(ZydisDecoderDecodeFull(&dec, code, n, &in, ops)))
		return -1;
	if (in.mnemonic == ZYDIS_MNEMONIC_ENTER && in.operand_count_visible >= 2 &&
	    ops[1].type == ZYDIS_OPERAND_TYPE_IMMEDIATE && (ops[1].imm.value.u & 31) != 0)
		return -1;	/* a nesting level copies frame pointers Zydis does not list */
	if (touches_nothing(&in))
		return in.length;
	fill_context(&ctx, r);

	int repeated = is_string_op(&in) &&
		       (in.attributes & (ZYDIS_ATTRIB_HAS_REP | ZYDIS_ATTRIB_HAS_REPE | ZYDIS_ATTRIB_HAS_REPNE));
	int until_condition = repeated && (in.attributes & (ZYDIS_ATTRIB_HAS_REPE | ZYDIS_ATTRIB_HAS_REPNE));
	uint64_t iterations = repeated ? rep_count(&in, r) : 1;
	int backwards = (r->r[REG_EFL] >> 10) & 1;	/* EFLAGS.DF */

	for (int i = 0; i < in.operand_count; i++) {
		const ZydisDecodedOperand *op = &ops[i];
		if (op->type != ZYDIS_OPERAND_TYPE_MEMORY)
			continue;
		if (op->mem.type == ZYDIS_MEMOP_TYPE_AGEN || op->actions == 0)
			continue;
		if (op->mem.type != ZYDIS_MEMOP_TYPE_MEM || op->size == 0 || op->size % 8)
			return -1;
		unsigned rw = rw_of(op->actions);
		uint64_t size = op->size / 8;
		uint64_t addr;
		if (ZYAN_FAILED(ZydisCalcAbsoluteAddressEx(&in, op, pc, &ctx, &addr)))
			return -1;
		if (op->visibility == ZYDIS_OPERAND_VISIBILITY_HIDDEN && is_stack_pointer(op->mem.base) &&
		    (rw & ACCESS_WRITE))
			addr -= size;	/* push, call, pushf, enter: the slot below rsp */
		else if (in.mnemonic == ZYDIS_MNEMONIC_POP && op->visibility != ZYDIS_OPERAND_VISIBILITY_HIDDEN &&
			 is_stack_pointer(op->mem.base))
			addr += size;	/* pop [rsp+d] addresses after rsp moved */
		if (op->mem.segment == ZYDIS_REGISTER_FS)
			addr += r->r[REG_FS_BASE];
		else if (op->mem.segment == ZYDIS_REGISTER_GS)
			addr += r->r[REG_GS_BASE];
		addr &= address_mask(&in);

		uint64_t len = size;
		if (repeated && op->visibility == ZYDIS_OPERAND_VISIBILITY_HIDDEN) {
			if (iterations == 0)
				continue;
			if (iterations > (UINT64_MAX / size))
				return -1;
			len = size * iterations;
			if (backwards)
				addr -= len - size;
			rw &= ~(unsigned)ACCESS_MAYBE;
			if (until_condition)
				rw |= ACCESS_MAYBE;
		}
		if (*count == max)
			return -1;
		out[*count].addr = addr;
		out[*count].len = len;
		out[*count].rw = rw;
		(*count)++;
	}
	return in.length;
}
