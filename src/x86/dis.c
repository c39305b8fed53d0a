/*
 * dis.c — instruction decoding and WinDbg-style disassembly text, a facade over Zydis 4.
 *
 * Owns: the mapping from Zydis's decoded instruction to struct dis_insn (length, flow class,
 * direct branch target) and the WinDbg spelling of an instruction (windbg-commands.md §10.2).
 *
 * Invariants:
 *  - Pure: no process access, no printing, no global mutable state.  Every call sets up its
 *    own decoder and formatter on the stack, so callers may use it from anywhere.
 *  - Never reads past buf[n) nor past in->bytes[in->len) (len is clamped to 15).
 *  - Text comes out of Zydis's MASM formatter with hooks replacing the pieces WinDbg spells
 *    differently (numbers, addresses, sizes, segments, mnemonics).  Beyond the hooks, the
 *    text is only touched to drop the space Zydis puts after operand commas and to split
 *    the mnemonic from the operands so the mnemonic can be padded.
 *  - dis_insn.mnemonic is the word the line shows (WinDbg spelling: "jne", "movs", "int").
 *
 * Where WinDbg's disassembler (msdis) and Zydis disagree and we follow WinDbg:
 *  - condition codes: jne/je/jae/ja/jge/jg (Zydis: jnz/jz/jnb/jnbe/jnl/jnle), same for
 *    setcc and cmovcc;  "int 3" for 0xCC (Zydis: "int3");
 *  - string instructions show their memory operands: "rep stos qword ptr [rdi]";
 *  - multi-byte nop shows only its memory operand (Zydis adds a phantom register operand);
 *  - 64-bit memory operands of MMX/SSE instructions are "mmword ptr";
 *  - x87 stack registers print as st(N);
 *  - immediates print unsigned at the operation width (push -1 -> 0FFFFFFFFFFFFFFFFh).
 * Known remaining differences (hard to match without msdis itself): absolute non-RIP
 * memory without a symbol prints "ds:[hex]" (the x86 habit, unverified on x64); immediates
 * that happen to be addresses are never symbolized ("push offset sym" on x86); far pointer
 * operands keep Zydis's "seg:off" spelling; Zydis's prefix words (notrack, bnd) and its
 * operand order for the short xchg form ("xchg edi,eax") are kept.
 */
#include "x86/dis.h"

#include <stdio.h>
#include <string.h>

#include <Zydis/Zydis.h>

#define DIS_MAX_LEN 15
/* Symbol text is cut here so one operand cannot overflow the formatter's buffer. */
#define DIS_MAX_SYM 512
#define DIS_TEXT_CAP 2048

/* Per-call state the formatter hooks need; Zydis hands it back as user_data. */
struct fmt_state {
	uint64_t runtime;	/* instruction address (MASM style hides it from the hooks) */
	int is32;
	dis_symbolizer sym;
	void *user;
	size_t head_end;	/* output offset just after the mnemonic */
	int head_seen;
	ZydisFormatterFunc orig_segment;
};

/* ---- numbers ---------------------------------------------------------------------------- */

/* MASM-flavoured hex as WinDbg prints it: 0-9 plain, else uppercase + 'h', with a leading
 * 0 when the first digit is a letter; pad (digits) zero-fills first. */
static void masm_hex(char *out, size_t cap, uint64_t v, int pad)
{
	char digits[24];

	if (v < 10 && pad <= 1) {
		snprintf(out, cap, "%u", (unsigned)v);
		return;
	}
	snprintf(digits, sizeof(digits), "%0*llX", pad, (unsigned long long)v);
	snprintf(out, cap, "%s%sh", (digits[0] >= 'A' && digits[0] <= 'F') ? "0" : "", digits);
}

/* WinDbg's listing address: 8`8 hex digits, or 8 on a 32-bit target. */
static void addr_text(char *out, size_t cap, uint64_t a, int is32)
{
	if (is32)
		snprintf(out, cap, "%08x", (unsigned)(uint32_t)a);
	else
		snprintf(out, cap, "%08x`%08x", (unsigned)(a >> 32), (unsigned)(uint32_t)a);
}

/* ---- writing into the formatter buffer -------------------------------------------------- */

/*
 * Zydis's own string helpers live in libZycore, which dr7 does not link; the ZyanString
 * layout (NUL-terminated vector whose size counts the NUL) is public, so append directly,
 * with the same capacity rule Zydis applies.
 */
static ZyanStatus zs_append(ZyanString *s, const char *t, size_t n)
{
	ZyanVector *v = &s->vector;

	if (v->size == 0 || v->size + n > v->capacity)
		return ZYAN_STATUS_INSUFFICIENT_BUFFER_SIZE;
	memcpy((char *)v->data + v->size - 1, t, n);
	v->size += n;
	((char *)v->data)[v->size - 1] = '\0';
	return ZYAN_STATUS_SUCCESS;
}

static ZyanStatus buf_add(ZydisFormatterBuffer *b, ZydisTokenType type, const char *t)
{
	ZyanString *s;
	ZyanStatus st = ZydisFormatterBufferAppend(b, type);

	if (!ZYAN_SUCCESS(st))
		return st;
	st = ZydisFormatterBufferGetString(b, &s);
	if (!ZYAN_SUCCESS(st))
		return st;
	return zs_append(s, t, strlen(t));
}

static size_t buf_len(ZydisFormatterBuffer *b)
{
	ZyanString *s;

	if (!ZYAN_SUCCESS(ZydisFormatterBufferGetString(b, &s)) || s->vector.size == 0)
		return 0;
	return s->vector.size - 1;
}

/* ---- mnemonics -------------------------------------------------------------------------- */

static int is_string_op(const ZydisDecodedInstruction *ins)
{
	return ins->meta.category == ZYDIS_CATEGORY_STRINGOP ||
	       ins->meta.category == ZYDIS_CATEGORY_IOSTRINGOP;
}

/* The mnemonic word WinDbg prints, lowercase, into out (cap >= 32). */
static void mnemonic_name(const ZydisDecodedInstruction *ins, char *out, size_t cap)
{
	static const struct { const char *zydis, *windbg; } cc[] = {
		{ "z", "e" }, { "nz", "ne" }, { "nb", "ae" }, { "nbe", "a" },
		{ "nl", "ge" }, { "nle", "g" },
	};
	const char *m = ZydisMnemonicGetString(ins->mnemonic);
	const char *stem = NULL;
	size_t i;

	if (!m) {
		snprintf(out, cap, "???");
		return;
	}
	if (ins->mnemonic == ZYDIS_MNEMONIC_INT3) {
		snprintf(out, cap, "int");
		return;
	}
	if (ins->mnemonic == ZYDIS_MNEMONIC_RET && ins->meta.branch_type == ZYDIS_BRANCH_TYPE_FAR) {
		snprintf(out, cap, "retf");
		return;
	}
	if (is_string_op(ins)) {
		/* movsb/stosq/insd... -> movs/stos/ins: the operands carry the size. */
		size_t n = strlen(m);

		snprintf(out, cap, "%.*s", (int)(n > 1 ? n - 1 : n), m);
		return;
	}
	if (ins->meta.category == ZYDIS_CATEGORY_COND_BR && m[0] == 'j')
		stem = "j";
	else if (ins->meta.category == ZYDIS_CATEGORY_SETCC && !strncmp(m, "set", 3))
		stem = "set";
	else if (ins->meta.category == ZYDIS_CATEGORY_CMOV && !strncmp(m, "cmov", 4))
		stem = "cmov";
	if (stem) {
		const char *cond = m + strlen(stem);

		for (i = 0; i < ARRAY_SIZE(cc); i++) {
			if (!strcmp(cond, cc[i].zydis)) {
				snprintf(out, cap, "%s%s", stem, cc[i].windbg);
				return;
			}
		}
	}
	snprintf(out, cap, "%s", m);
}

/* ---- formatter hooks -------------------------------------------------------------------- */

static ZyanStatus hook_mnemonic(const ZydisFormatter *f, ZydisFormatterBuffer *b,
				ZydisFormatterContext *ctx)
{
	struct fmt_state *st = ctx->user_data;
	char name[32];
	ZyanStatus s;

	mnemonic_name(ctx->instruction, name, sizeof(name));
	s = buf_add(b, ZYDIS_TOKEN_MNEMONIC, name);
	if (ZYAN_SUCCESS(s) && !st->head_seen) {
		st->head_end = buf_len(b);
		st->head_seen = 1;
	}
	return s;
}

/* Zydis separates operands with ", "; WinDbg with ",".  The delimiter is already in the
 * buffer when this runs, so drop its space. */
static ZyanStatus hook_pre_operand(const ZydisFormatter *f, ZydisFormatterBuffer *b,
				   ZydisFormatterContext *ctx)
{
	ZyanString *s;
	ZyanVector *v;

	if (!ZYAN_SUCCESS(ZydisFormatterBufferGetString(b, &s)))
		return ZYAN_STATUS_SUCCESS;
	v = &s->vector;
	if (v->size >= 3 && ((char *)v->data)[v->size - 2] == ' ' &&
	    ((char *)v->data)[v->size - 3] == ',') {
		v->size--;
		((char *)v->data)[v->size - 1] = '\0';
	}
	return ZYAN_STATUS_SUCCESS;
}

static ZyanStatus hook_imm(const ZydisFormatter *f, ZydisFormatterBuffer *b,
			   ZydisFormatterContext *ctx)
{
	const ZydisDecodedOperand *op = ctx->operand;
	uint64_t v = op->imm.value.u;
	unsigned w = ctx->instruction->operand_width;
	char txt[32];

	/* Sign-extended immediates show as the unsigned value at the operation width. */
	if (op->imm.is_signed && op->imm.value.s < 0) {
		if (w != 8 && w != 16 && w != 32 && w != 64)
			w = op->size;
		if (w == 8 || w == 16 || w == 32)
			v &= (1ULL << w) - 1;
	}
	masm_hex(txt, sizeof(txt), v, 0);
	return buf_add(b, ZYDIS_TOKEN_IMMEDIATE, txt);
}

static ZyanStatus hook_disp(const ZydisFormatter *f, ZydisFormatterBuffer *b,
			    ZydisFormatterContext *ctx)
{
	const ZydisDecodedOperand *op = ctx->operand;
	int64_t d = op->mem.disp.value;
	int has_reg = op->mem.base != ZYDIS_REGISTER_NONE || op->mem.index != ZYDIS_REGISTER_NONE;
	char txt[40];

	if (!has_reg) {
		masm_hex(txt, sizeof(txt), (uint64_t)d, 0);
	} else if (d < 0) {
		txt[0] = '-';
		masm_hex(txt + 1, sizeof(txt) - 1, (uint64_t)0 - (uint64_t)d, 0);
	} else {
		txt[0] = '+';
		masm_hex(txt + 1, sizeof(txt) - 1, (uint64_t)d, 0);
	}
	return buf_add(b, ZYDIS_TOKEN_DISPLACEMENT, txt);
}

static int mem_is_absolute(const ZydisDecodedOperand *op)
{
	return op->type == ZYDIS_OPERAND_TYPE_MEMORY && op->mem.disp.has_displacement &&
	       op->mem.base == ZYDIS_REGISTER_NONE && op->mem.index == ZYDIS_REGISTER_NONE;
}

/* fs:/gs: offsets are thread-block offsets, not addresses worth naming. */
static int mem_is_tls(const ZydisDecodedOperand *op)
{
	return op->mem.segment == ZYDIS_REGISTER_FS || op->mem.segment == ZYDIS_REGISTER_GS;
}

/* "sym (addr)" when the symbolizer knows addr, else nothing; returns 0 on success. */
static int sym_text(struct fmt_state *st, uint64_t a, char *out, size_t cap)
{
	struct sbuf sb = { 0 };
	char at[24];
	int rc = -1;

	if (st->sym && st->sym(st->user, a, &sb) == 0 && sb.len > 0) {
		addr_text(at, sizeof(at), a, st->is32);
		snprintf(out, cap, "%.*s (%s)", DIS_MAX_SYM, sb_str(&sb), at);
		rc = 0;
	}
	sb_free(&sb);
	return rc;
}

static ZyanStatus operand_address(const ZydisFormatterContext *ctx, const struct fmt_state *st,
				  uint64_t *a)
{
	ZyanU64 r;
	ZyanStatus s = ZydisCalcAbsoluteAddress(ctx->instruction, ctx->operand, st->runtime, &r);

	if (!ZYAN_SUCCESS(s))
		return s;
	*a = st->is32 ? (uint32_t)r : r;
	return ZYAN_STATUS_SUCCESS;
}

/*
 * Branch targets, RIP-relative and absolute memory all arrive here (MASM style routes the
 * relative kinds through the absolute printer as well).
 */
static ZyanStatus hook_address(const ZydisFormatter *f, ZydisFormatterBuffer *b,
			       ZydisFormatterContext *ctx)
{
	struct fmt_state *st = ctx->user_data;
	const ZydisDecodedOperand *op = ctx->operand;
	char txt[DIS_MAX_SYM + 64];
	uint64_t a;
	ZyanStatus s = operand_address(ctx, st, &a);

	if (!ZYAN_SUCCESS(s))
		return s;
	if (mem_is_absolute(op)) {
		if (mem_is_tls(op) || sym_text(st, a, txt, sizeof(txt)) != 0)
			masm_hex(txt, sizeof(txt), a, st->is32 ? 8 : 0);
		return buf_add(b, ZYDIS_TOKEN_ADDRESS_ABS, txt);
	}
	if (sym_text(st, a, txt, sizeof(txt)) != 0)
		addr_text(txt, sizeof(txt), a, st->is32);
	return buf_add(b, ZYDIS_TOKEN_ADDRESS_ABS, txt);
}

static int has_vector_reg(const ZydisFormatterContext *ctx)
{
	const ZydisDecodedInstruction *ins = ctx->instruction;
	unsigned i;

	for (i = 0; i < ins->operand_count_visible && i < ZYDIS_MAX_OPERAND_COUNT; i++) {
		const ZydisDecodedOperand *o = &ctx->operands[i];
		ZydisRegisterClass c;

		if (o->type != ZYDIS_OPERAND_TYPE_REGISTER)
			continue;
		c = ZydisRegisterGetClass(o->reg.value);
		if (c == ZYDIS_REGCLASS_MMX || c == ZYDIS_REGCLASS_XMM)
			return 1;
	}
	return 0;
}

/* Integer-to-float conversions read a general-purpose quadword, which msdis calls qword. */
static int reads_gpr_quad(const ZydisDecodedInstruction *ins)
{
	switch (ins->mnemonic) {
	case ZYDIS_MNEMONIC_CVTSI2SD:
	case ZYDIS_MNEMONIC_CVTSI2SS:
	case ZYDIS_MNEMONIC_VCVTSI2SD:
	case ZYDIS_MNEMONIC_VCVTSI2SS:
	case ZYDIS_MNEMONIC_VCVTUSI2SD:
	case ZYDIS_MNEMONIC_VCVTUSI2SS:
		return 1;
	case ZYDIS_MNEMONIC_MOVQ:
		/* 66 REX.W 0F 6E/7E: movq between a GPR-or-memory and an xmm register. */
		return ins->opcode_map == ZYDIS_OPCODE_MAP_0F &&
		       (ins->opcode == 0x6E || ins->opcode == 0x7E) &&
		       (ins->attributes & ZYDIS_ATTRIB_HAS_REX) && ins->raw.rex.W;
	default:
		return 0;
	}
}

/* WinDbg always names the memory operand size (lea never reaches here). */
static ZyanStatus hook_typecast(const ZydisFormatter *f, ZydisFormatterBuffer *b,
				ZydisFormatterContext *ctx)
{
	const char *t;

	switch (ctx->operand->size) {
	case 8: t = "byte ptr "; break;
	case 16: t = "word ptr "; break;
	case 32: t = "dword ptr "; break;
	case 48: t = "fword ptr "; break;
	case 64:
		t = has_vector_reg(ctx) && !reads_gpr_quad(ctx->instruction) ?
			"mmword ptr " : "qword ptr ";
		break;
	case 80: t = "tbyte ptr "; break;
	case 128: t = "xmmword ptr "; break;
	case 256: t = "ymmword ptr "; break;
	case 512: t = "zmmword ptr "; break;
	default: return ZYAN_STATUS_SUCCESS;
	}
	return buf_add(b, ZYDIS_TOKEN_TYPECAST, t);
}

/* The segment a prefix byte names, if any.  Raw bytes rather than Zydis's attributes: in
 * 64-bit mode Zydis files cs/ds/es/ss prefixes as ignored, yet WinDbg still prints them. */
static ZydisRegister prefix_segment(const ZydisDecodedInstruction *ins)
{
	ZydisRegister seg = ZYDIS_REGISTER_NONE;
	unsigned i;

	for (i = 0; i < ins->raw.prefix_count && i < ZYDIS_MAX_INSTRUCTION_LENGTH; i++) {
		switch (ins->raw.prefixes[i].value) {
		case 0x2E: seg = ZYDIS_REGISTER_CS; break;
		case 0x36: seg = ZYDIS_REGISTER_SS; break;
		case 0x3E: seg = ZYDIS_REGISTER_DS; break;
		case 0x26: seg = ZYDIS_REGISTER_ES; break;
		case 0x64: seg = ZYDIS_REGISTER_FS; break;
		case 0x65: seg = ZYDIS_REGISTER_GS; break;
		default: break;
		}
	}
	return seg;
}

/*
 * 64-bit: segments show only when a prefix names them (fs/gs always do), so string
 * destinations are plain [rdi] while gcc's "cs nopw" padding keeps its cs:.  32-bit keeps
 * Zydis's x86 habit (es:[edi] for string destinations).  An absolute address that no symbol
 * names gets ds: as MASM requires ("dword ptr ds:[00403000h]").
 */
static ZyanStatus hook_segment(const ZydisFormatter *f, ZydisFormatterBuffer *b,
			       ZydisFormatterContext *ctx)
{
	struct fmt_state *st = ctx->user_data;
	const ZydisDecodedOperand *op = ctx->operand;
	ZydisRegister seg = ZYDIS_REGISTER_NONE;
	ZyanStatus s;
	char txt[DIS_MAX_SYM + 64];
	uint64_t a;

	if (mem_is_absolute(op) && !mem_is_tls(op) && !prefix_segment(ctx->instruction) &&
	    ZYAN_SUCCESS(operand_address(ctx, st, &a)) && sym_text(st, a, txt, sizeof(txt)) != 0)
		return buf_add(b, ZYDIS_TOKEN_REGISTER, "ds:");
	if (st->is32)
		return st->orig_segment(f, b, ctx);
	if (mem_is_tls(op))
		seg = op->mem.segment;
	else
		seg = prefix_segment(ctx->instruction);
	if (seg == ZYDIS_REGISTER_NONE)
		return ZYAN_STATUS_SUCCESS;
	s = buf_add(b, ZYDIS_TOKEN_REGISTER, ZydisRegisterGetString(seg));
	if (!ZYAN_SUCCESS(s))
		return s;
	return buf_add(b, ZYDIS_TOKEN_DELIMITER, ":");
}

static ZyanStatus hook_register(const ZydisFormatter *f, ZydisFormatterBuffer *b,
				ZydisFormatterContext *ctx, ZydisRegister reg)
{
	char txt[16];
	const char *name;

	if (reg >= ZYDIS_REGISTER_ST0 && reg <= ZYDIS_REGISTER_ST7) {
		snprintf(txt, sizeof(txt), "st(%d)", (int)(reg - ZYDIS_REGISTER_ST0));
		return buf_add(b, ZYDIS_TOKEN_REGISTER, txt);
	}
	name = ZydisRegisterGetString(reg);
	return buf_add(b, ZYDIS_TOKEN_REGISTER, name ? name : "???");
}

static int set_hook(ZydisFormatter *f, ZydisFormatterFunction type, const void *fn,
		    const void **old)
{
	const void *cb = fn;

	if (!ZYAN_SUCCESS(ZydisFormatterSetHook(f, type, &cb)))
		return -1;
	if (old)
		*old = cb;
	return 0;
}

static int formatter_init(ZydisFormatter *f, struct fmt_state *st)
{
	union { const void *p; ZydisFormatterFunc fn; } orig_seg;
	union { ZydisFormatterFunc fn; ZydisFormatterRegisterFunc reg; const void *p; } h[9];
	int rc = 0;

	if (!ZYAN_SUCCESS(ZydisFormatterInit(f, ZYDIS_FORMATTER_STYLE_INTEL_MASM)))
		return -1;
	ZydisFormatterSetProperty(f, ZYDIS_FORMATTER_PROP_FORCE_SCALE_ONE, ZYAN_FALSE);
	ZydisFormatterSetProperty(f, ZYDIS_FORMATTER_PROP_FORCE_SIZE, ZYAN_TRUE);
	h[0].fn = hook_mnemonic;
	h[1].fn = hook_pre_operand;
	h[2].fn = hook_imm;
	h[3].fn = hook_disp;
	h[4].fn = hook_address;
	h[5].fn = hook_address;
	h[6].fn = hook_typecast;
	h[7].fn = hook_segment;
	h[8].reg = hook_register;
	rc |= set_hook(f, ZYDIS_FORMATTER_FUNC_PRINT_MNEMONIC, h[0].p, NULL);
	rc |= set_hook(f, ZYDIS_FORMATTER_FUNC_PRE_OPERAND, h[1].p, NULL);
	rc |= set_hook(f, ZYDIS_FORMATTER_FUNC_PRINT_IMM, h[2].p, NULL);
	rc |= set_hook(f, ZYDIS_FORMATTER_FUNC_PRINT_DISP, h[3].p, NULL);
	rc |= set_hook(f, ZYDIS_FORMATTER_FUNC_PRINT_ADDRESS_ABS, h[4].p, NULL);
	rc |= set_hook(f, ZYDIS_FORMATTER_FUNC_PRINT_ADDRESS_REL, h[5].p, NULL);
	rc |= set_hook(f, ZYDIS_FORMATTER_FUNC_PRINT_TYPECAST, h[6].p, NULL);
	rc |= set_hook(f, ZYDIS_FORMATTER_FUNC_PRINT_SEGMENT, h[7].p, &orig_seg.p);
	rc |= set_hook(f, ZYDIS_FORMATTER_FUNC_PRINT_REGISTER, h[8].p, NULL);
	st->orig_segment = orig_seg.fn;
	return rc ? -1 : 0;
}

/* ---- decoding --------------------------------------------------------------------------- */

static int decode_raw(const uint8_t *buf, size_t n, int is32, ZydisDecodedInstruction *ins,
		      ZydisDecodedOperand *ops)
{
	ZydisDecoder d;

	if (!buf || n == 0)
		return -1;
	if (n > DIS_MAX_LEN)
		n = DIS_MAX_LEN;
	if (is32) {
		if (!ZYAN_SUCCESS(ZydisDecoderInit(&d, ZYDIS_MACHINE_MODE_LEGACY_32,
						   ZYDIS_STACK_WIDTH_32)))
			return -1;
	} else if (!ZYAN_SUCCESS(ZydisDecoderInit(&d, ZYDIS_MACHINE_MODE_LONG_64,
						  ZYDIS_STACK_WIDTH_64))) {
		return -1;
	}
	if (!ZYAN_SUCCESS(ZydisDecoderDecodeFull(&d, buf, n, ins, ops)))
		return -1;
	if (ins->length == 0 || ins->length > n)
		return -1;
	return 0;
}

static enum dis_flow classify(const ZydisDecodedInstruction *ins, const ZydisDecodedOperand *ops)
{
	switch (ins->mnemonic) {
	case ZYDIS_MNEMONIC_CALL:
		return DIS_FLOW_CALL;
	case ZYDIS_MNEMONIC_RET:
	case ZYDIS_MNEMONIC_IRET:
	case ZYDIS_MNEMONIC_IRETD:
	case ZYDIS_MNEMONIC_IRETQ:
		return DIS_FLOW_RET;
	case ZYDIS_MNEMONIC_JMP:
	case ZYDIS_MNEMONIC_XABORT:	/* to the fallback of the transaction */
		return DIS_FLOW_JUMP;
	case ZYDIS_MNEMONIC_XBEGIN:	/* to the fallback when the transaction aborts */
		return DIS_FLOW_COND;
	case ZYDIS_MNEMONIC_LOOP:
	case ZYDIS_MNEMONIC_LOOPE:
	case ZYDIS_MNEMONIC_LOOPNE:
	case ZYDIS_MNEMONIC_JCXZ:
	case ZYDIS_MNEMONIC_JECXZ:
	case ZYDIS_MNEMONIC_JRCXZ:
		return DIS_FLOW_COND;
	case ZYDIS_MNEMONIC_SYSCALL:
	case ZYDIS_MNEMONIC_SYSENTER:
		return DIS_FLOW_SYSCALL;
	case ZYDIS_MNEMONIC_INT:
		if (ins->operand_count_visible >= 1 &&
		    ops[0].type == ZYDIS_OPERAND_TYPE_IMMEDIATE && ops[0].imm.value.u == 0x80)
			return DIS_FLOW_SYSCALL;
		return DIS_FLOW_INT;
	case ZYDIS_MNEMONIC_INT1:
	case ZYDIS_MNEMONIC_INT3:
	case ZYDIS_MNEMONIC_INTO:
	case ZYDIS_MNEMONIC_UD0:
	case ZYDIS_MNEMONIC_UD1:
	case ZYDIS_MNEMONIC_UD2:
	case ZYDIS_MNEMONIC_HLT:
		return DIS_FLOW_INT;
	default:
		break;
	}
	if (ins->meta.category == ZYDIS_CATEGORY_COND_BR)
		return DIS_FLOW_COND;
	return DIS_FLOW_NONE;
}

int dis_decode(const uint8_t *buf, size_t n, uint64_t addr, int is32, struct dis_insn *out)
{
	ZydisDecodedInstruction ins;
	ZydisDecodedOperand ops[ZYDIS_MAX_OPERAND_COUNT];
	unsigned i;

	if (!out)
		return err_set("dis_decode: no output");
	memset(out, 0, sizeof(*out));
	out->addr = addr;
	if (!buf || n == 0)
		return err_set("no instruction bytes");
	if (decode_raw(buf, n, is32, &ins, ops) < 0)
		return err_set("invalid instruction at %llx", (unsigned long long)addr);
	out->len = ins.length;
	memcpy(out->bytes, buf, ins.length);
	out->flow = classify(&ins, ops);
	out->repeats = is_string_op(&ins) &&
		       (ins.attributes & (ZYDIS_ATTRIB_HAS_REP | ZYDIS_ATTRIB_HAS_REPE | ZYDIS_ATTRIB_HAS_REPNE)) != 0;
	mnemonic_name(&ins, out->mnemonic, sizeof(out->mnemonic));
	if (out->flow == DIS_FLOW_CALL || out->flow == DIS_FLOW_JUMP ||
	    out->flow == DIS_FLOW_COND) {
		for (i = 0; i < ins.operand_count_visible && i < ZYDIS_MAX_OPERAND_COUNT; i++) {
			ZyanU64 t;

			if (ops[i].type != ZYDIS_OPERAND_TYPE_IMMEDIATE || !ops[i].imm.is_relative)
				continue;
			if (ZYAN_SUCCESS(ZydisCalcAbsoluteAddress(&ins, &ops[i], addr, &t))) {
				out->has_target = 1;
				out->target = is32 ? (uint32_t)t : t;
			}
			break;
		}
	}
	return 0;
}

/* ---- formatting ------------------------------------------------------------------------- */

/*
 * The operand list WinDbg shows, copied into shown[]; returns its length.  Zydis hides the
 * operands of string instructions and shows a phantom register on multi-byte nop.
 */
static unsigned shown_operands(const ZydisDecodedInstruction *ins, const ZydisDecodedOperand *ops,
			       ZydisDecodedOperand *shown)
{
	unsigned n = ins->operand_count_visible, i, k = 0;

	if (n > ZYDIS_MAX_OPERAND_COUNT)
		n = ZYDIS_MAX_OPERAND_COUNT;
	if (is_string_op(ins)) {
		int mem_only = ins->mnemonic >= ZYDIS_MNEMONIC_LODSB &&
			       ins->mnemonic <= ZYDIS_MNEMONIC_LODSW;

		mem_only |= ins->mnemonic >= ZYDIS_MNEMONIC_SCASB &&
			    ins->mnemonic <= ZYDIS_MNEMONIC_SCASW;
		mem_only |= ins->mnemonic >= ZYDIS_MNEMONIC_STOSB &&
			    ins->mnemonic <= ZYDIS_MNEMONIC_STOSW;
		/* movs/cmps: both memory operands; ins/outs: memory and dx, in Zydis's order. */
		for (i = 0; i < ins->operand_count && i < ZYDIS_MAX_OPERAND_COUNT && k < 2; i++) {
			const ZydisDecodedOperand *o = &ops[i];
			int is_dx = o->type == ZYDIS_OPERAND_TYPE_REGISTER &&
				    o->reg.value == ZYDIS_REGISTER_DX;

			if (o->type != ZYDIS_OPERAND_TYPE_MEMORY && (mem_only || !is_dx))
				continue;
			shown[k] = *o;
			shown[k].visibility = ZYDIS_OPERAND_VISIBILITY_EXPLICIT;
			k++;
		}
		return k;
	}
	if (ins->mnemonic == ZYDIS_MNEMONIC_NOP && n > 1)
		n = 1;
	memcpy(shown, ops, sizeof(*ops) * ZYDIS_MAX_OPERAND_COUNT);
	return n;
}

/* Splits the formatted instruction into the mnemonic part (with prefixes) and operands. */
static int format_parts(const struct dis_insn *in, int is32, dis_symbolizer sym, void *user,
			struct sbuf *head, struct sbuf *opnds)
{
	ZydisDecodedInstruction ins;
	ZydisDecodedOperand ops[ZYDIS_MAX_OPERAND_COUNT], shown[ZYDIS_MAX_OPERAND_COUNT];
	ZydisFormatter f;
	struct fmt_state st;
	char text[DIS_TEXT_CAP];
	unsigned n, len = in->len;
	const char *rest;

	if (len == 0 || len > DIS_MAX_LEN)
		return -1;
	if (decode_raw(in->bytes, len, is32, &ins, ops) < 0 || ins.length != len)
		return -1;
	n = shown_operands(&ins, ops, shown);
	/* The formatter walks operand_count_visible, so it must describe shown[]. */
	ins.operand_count_visible = (ZyanU8)n;
	if (ins.operand_count < n)
		ins.operand_count = (ZyanU8)n;
	memset(&st, 0, sizeof(st));
	st.runtime = in->addr;
	st.is32 = is32;
	st.sym = sym;
	st.user = user;
	if (formatter_init(&f, &st) < 0)
		return -1;
	if (!ZYAN_SUCCESS(ZydisFormatterFormatInstruction(&f, &ins, shown, (ZyanU8)n, text,
							  sizeof(text), in->addr, &st)) ||
	    !st.head_seen || st.head_end > strlen(text))
		return -1;
	sb_addn(head, text, st.head_end);
	rest = text + st.head_end;
	if (*rest == ' ')
		rest++;
	sb_add(opnds, rest);
	if (ins.mnemonic == ZYDIS_MNEMONIC_INT3 && opnds->len == 0)
		sb_add(opnds, "3");
	return 0;
}

void dis_format_text(const struct dis_insn *in, int is32, dis_symbolizer sym, void *user,
		     struct sbuf *out)
{
	struct sbuf head = { 0 }, opnds = { 0 };

	if (!in || format_parts(in, is32, sym, user, &head, &opnds) < 0) {
		/* A symbol long enough to overflow the formatter still deserves a line. */
		sb_reset(&head);
		sb_reset(&opnds);
		if (!in || !sym || format_parts(in, is32, NULL, NULL, &head, &opnds) < 0) {
			sb_add(out, "???");
			goto done;
		}
	}
	if (opnds.len == 0)
		sb_add(out, sb_str(&head));
	else
		sb_addf(out, "%-7s %s", sb_str(&head), sb_str(&opnds));
done:
	sb_free(&head);
	sb_free(&opnds);
}

void dis_format_line(const struct dis_insn *in, int is32, dis_symbolizer sym, void *user,
		     struct sbuf *out)
{
	char at[24], hex[2 * DIS_MAX_LEN + 1];
	unsigned i, len;

	if (!in) {
		sb_add(out, "???");
		return;
	}
	len = in->len <= DIS_MAX_LEN ? in->len : 0;
	addr_text(at, sizeof(at), in->addr, is32);
	if (len == 0)
		snprintf(hex, sizeof(hex), "??");
	for (i = 0; i < len; i++)
		snprintf(hex + 2 * i, sizeof(hex) - 2 * i, "%02x", in->bytes[i]);
	sb_addf(out, "%s %-15s ", at, hex);
	dis_format_text(in, is32, sym, user, out);
}
