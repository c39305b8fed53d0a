/*
 * cmd_sym.c — code and stacks: u ub uf (disassembly), k kb kn kp kP kv (stacks)
 * (windbg-commands.md §9-§10); symbols and modules are cmd_modules.c's.
 */
#include "cmd/cmd.h"

#include <ctype.h>
#include <stdlib.h>
#include <string.h>

#include "x86/dis.h"
#include "cmd/fmt.h"

/* ---- disassembly ---- */

/* Prints count instructions from addr, with a label line whenever the symbol changes. */
static uint64_t disasm_run(struct cmd_ctx *c, uint64_t addr, uint64_t end, int count)
{
	struct sym_func last = { 0 };
	int have_last = 0;
	for (int i = 0; (count < 0 || i < count) && (end == 0 || addr < end); i++) {
		struct sym_func f;
		if (c->s->sym && sym_function_at(c->s->sym, addr, &f) == 0) {
			if (!have_last || f.start != last.start || i == 0) {
				struct sbuf sb = { 0 };
				if (session_describe(c->s, addr, &sb) == 0)
					cmd_print(c, "%s:\n", sb_str(&sb));
				sb_free(&sb);
			}
			last = f;
			have_last = 1;
		} else if (i == 0) {
			struct sbuf sb = { 0 };
			if (session_describe(c->s, addr, &sb) == 0)
				cmd_print(c, "%s:\n", sb_str(&sb));
			sb_free(&sb);
		}
		uint8_t buf[16];
		int n = session_read(c->s, addr, buf, sizeof(buf));
		struct dis_insn in;
		struct sbuf sb = { 0 };
		if (n <= 0 || dis_decode(buf, (size_t)n, addr, session_is32(c->s), &in) < 0) {
			cmd_addr(&sb, c, addr);
			sb_add(&sb, " ??              ???");
			cmd_print(c, "%s\n", sb_str(&sb));
			sb_free(&sb);
			addr += 1;
			continue;
		}
		dis_format_line(&in, session_is32(c->s), cmd_disasm_symbolizer, c, &sb);
		cmd_print(c, "%s\n", sb_str(&sb));
		sb_free(&sb);
		addr += in.len;
	}
	return addr;
}

static int cmd_u(struct cmd_ctx *c, const struct cmd_def *d, const char *args,
		 const struct thread_sel *sel, int id)
{
	const char *p = skip_ws(args);
	uint64_t addr;
	if (!*p) {
		if (c->have_next_unasm)
			addr = c->next_unasm;
		else if (cmd_current_pc(c, &addr) < 0)
			return -1;
		c->next_unasm = disasm_run(c, addr, 0, 8);
		c->have_next_unasm = 1;
		return 0;
	}
	if (cmd_expr(c, &p, &addr) < 0)
		return -1;
	p = skip_ws(p);
	int count = 8;
	uint64_t end = 0;
	if (*p == 'L' || *p == 'l') {
		p++;
		uint64_t n;
		if (cmd_expr(c, &p, &n) < 0)
			return -1;
		if (n == 0 || n > 100000)
			return cmd_error(c, "Range error: instruction count must be 1 to 100000");
		count = (int)n;
	} else if (*p) {
		if (cmd_expr(c, &p, &end) < 0)
			return -1;
		if (end <= addr || end - addr > 1 << 20)
			return cmd_error(c, "Range error in 'u%s'", args);
		count = -1;
	}
	if (*skip_ws(p))
		return cmd_extra_chars(c);
	c->next_unasm = disasm_run(c, addr, count < 0 ? end + 1 : 0, count);
	c->have_next_unasm = 1;
	return 0;
}

/*
 * Decodes instructions from start while they begin before end; returns where
 * decoding stopped (end when the instructions tile the span exactly).  The
 * last `keep` start addresses are kept in starts[] as a ring; *n counts them.
 */
static uint64_t decode_span(struct cmd_ctx *c, uint64_t start, uint64_t end, uint64_t *starts,
			    int keep, int *n)
{
	uint64_t a = start;
	while (a < end) {
		uint8_t buf[16];
		struct dis_insn in;
		int got = session_read(c->s, a, buf, sizeof(buf));
		if (got <= 0 || dis_decode(buf, (size_t)got, a, session_is32(c->s), &in) < 0)
			break;
		if (keep)
			starts[*n % keep] = a;
		(*n)++;
		a += in.len;
	}
	return a;
}

/*
 * ub: the instructions before addr.  x86 cannot be decoded backwards, so
 * try start points further and further back until one decodes exactly onto
 * addr with the wanted count.
 */
static int cmd_ub(struct cmd_ctx *c, const struct cmd_def *d, const char *args,
		  const struct thread_sel *sel, int id)
{
	const char *p = skip_ws(args);
	uint64_t addr;
	if (cmd_address_or_pc(c, &p, &addr) < 0)
		return -1;
	p = skip_ws(p);
	int count = 8;
	if (*p == 'L' || *p == 'l') {
		p++;
		uint64_t n;
		if (cmd_expr(c, &p, &n) < 0)
			return -1;
		if (n == 0 || n > 1000)
			return cmd_error(c, "Range error: instruction count must be 1 to 1000");
		count = (int)n;
	}
	if (*skip_ws(p))
		return cmd_extra_chars(c);
	uint64_t best = addr;
	/* Decoding forward from the function's start gives the true boundaries. */
	struct sym_func f;
	if (c->s->sym && sym_function_at(c->s->sym, addr - 1, &f) == 0 && f.start < addr &&
	    addr - f.start <= (1u << 20)) {
		uint64_t *starts = xcalloc((size_t)count, sizeof(*starts));
		int n = 0;
		if (decode_span(c, f.start, addr, starts, count, &n) == addr && n > 0)
			best = starts[n < count ? 0 : n % count];
		free(starts);
	}
	/* Otherwise: the nearest start that decodes exactly onto addr. */
	for (uint64_t back = (uint64_t)count; best == addr && back <= (uint64_t)count * 15 && back <= addr; back++) {
		int n = 0;
		if (decode_span(c, addr - back, addr, NULL, 0, &n) == addr && n == count)
			best = addr - back;
	}
	if (best == addr)
		return cmd_error(c, "Unable to find %d whole instructions before the address", count);
	disasm_run(c, best, addr, -1);
	return 0;
}

/* " [file @ line]" of addr, when the line is known. */
static void add_line_note(struct cmd_ctx *c, uint64_t addr, struct sbuf *sb)
{
	const char *file;
	int line;
	if (c->s->sym && sym_source_line(c->s->sym, addr, &file, &line) == 0)
		sb_addf(sb, " [%s @ %d]", file, line);
}

/* The instructions of a function, decoded once for uf. */
struct uf_code {
	struct dis_insn *in;
	int n;
	uint8_t *block;		/* block[i]: instruction i starts a basic block */
};

static void uf_free(struct uf_code *u)
{
	free(u->in);
	free(u->block);
}

/* Decodes [start, end); an undecodable byte ends the listing there, as u shows "???". */
static void uf_decode(struct cmd_ctx *c, uint64_t start, uint64_t end, struct uf_code *u)
{
	int cap = 0;
	memset(u, 0, sizeof(*u));
	for (uint64_t a = start; a < end;) {
		uint8_t buf[16];
		struct dis_insn in;
		int got = session_read(c->s, a, buf, sizeof(buf));
		if (got <= 0 || dis_decode(buf, (size_t)got, a, session_is32(c->s), &in) < 0)
			break;
		if (u->n == cap) {
			cap = cap ? cap * 2 : 64;
			u->in = xrealloc(u->in, sizeof(*u->in) * (size_t)cap);
		}
		u->in[u->n++] = in;
		a += in.len;
	}
	/* Basic blocks: the entry, every branch target inside, whatever follows a branch. */
	u->block = xcalloc((size_t)u->n + 1, 1);
	if (u->n)
		u->block[0] = 1;
	for (int i = 0; i < u->n; i++) {
		const struct dis_insn *in = &u->in[i];
		int branch = in->flow == DIS_FLOW_JUMP || in->flow == DIS_FLOW_COND || in->flow == DIS_FLOW_RET;
		if (branch && i + 1 < u->n)
			u->block[i + 1] = 1;
		if ((in->flow == DIS_FLOW_JUMP || in->flow == DIS_FLOW_COND) && in->has_target) {
			/* Binary search: instructions are in address order. */
			int lo = 0, hi = u->n - 1;
			while (lo <= hi) {
				int mid = (lo + hi) / 2;
				if (u->in[mid].addr == in->target) {
					u->block[mid] = 1;
					break;
				}
				if (u->in[mid].addr < in->target)
					lo = mid + 1;
				else
					hi = mid - 1;
			}
		}
	}
}

/*
 * uf: every block under a label line ("mod!f+0x30 [file @ line]:", a blank
 * line before all but the first), and with line information each
 * instruction led by its source line number in five columns, as WinDbg
 * prints a function whose lines are known.
 */
static void uf_listing(struct cmd_ctx *c, const struct uf_code *u)
{
	int have_lines = 0;
	for (int i = 0; i < u->n && !have_lines; i++) {
		const char *file;
		int line;
		have_lines = c->s->sym && sym_source_line(c->s->sym, u->in[i].addr, &file, &line) == 0;
	}
	for (int i = 0; i < u->n; i++) {
		const struct dis_insn *in = &u->in[i];
		struct sbuf sb = { 0 };
		if (u->block[i]) {
			if (session_describe(c->s, in->addr, &sb) < 0)
				cmd_addr(&sb, c, in->addr);
			add_line_note(c, in->addr, &sb);
			cmd_print(c, "%s%s:\n", i ? "\n" : "", sb_str(&sb));
			sb_reset(&sb);
		}
		if (have_lines) {
			const char *file;
			int line;
			if (sym_source_line(c->s->sym, in->addr, &file, &line) == 0)
				sb_addf(&sb, "%5d ", line);
			else
				sb_add(&sb, "      ");
		}
		dis_format_line(in, session_is32(c->s), cmd_disasm_symbolizer, c, &sb);
		cmd_print(c, "%s\n", sb_str(&sb));
		sb_free(&sb);
	}
}

/*
 * uf /c: the function's calls in WinDbg's layout:
 *   mod!f (00005555`55555189)
 *     mod!f+0x1c (00005555`555551a5):
 *       call to mod!g (00005555`55555149)
 * A call through a register or memory shows its operand ("call to rax").
 */
static void uf_calls(struct cmd_ctx *c, uint64_t start, const struct uf_code *u)
{
	struct sbuf sb = { 0 };
	if (session_describe(c->s, start, &sb) < 0)
		sb_reset(&sb);
	sb_add(&sb, " (");
	cmd_addr(&sb, c, start);
	cmd_print(c, "%s)\n", sb_str(&sb));
	for (int i = 0; i < u->n; i++) {
		const struct dis_insn *in = &u->in[i];
		if (in->flow != DIS_FLOW_CALL)
			continue;
		sb_reset(&sb);
		sb_add(&sb, "  ");
		if (session_describe(c->s, in->addr, &sb) == 0)
			sb_add(&sb, " ");
		sb_add(&sb, "(");
		cmd_addr(&sb, c, in->addr);
		sb_add(&sb, ")");
		add_line_note(c, in->addr, &sb);
		cmd_print(c, "%s:\n", sb_str(&sb));
		sb_reset(&sb);
		sb_add(&sb, "    call to ");
		if (in->has_target) {
			if (session_describe(c->s, in->target, &sb) == 0)
				sb_add(&sb, " ");
			sb_add(&sb, "(");
			cmd_addr(&sb, c, in->target);
			sb_add(&sb, ")");
		} else {
			struct sbuf text = { 0 };
			dis_format_text(in, session_is32(c->s), cmd_disasm_symbolizer, c, &text);
			const char *ops = sb_str(&text);
			ops += strcspn(ops, " ");
			sb_add(&sb, skip_ws(ops));
			sb_free(&text);
		}
		cmd_print(c, "%s\n", sb_str(&sb));
	}
	sb_free(&sb);
}

static int cmd_uf(struct cmd_ctx *c, const struct cmd_def *d, const char *args,
		  const struct thread_sel *sel, int id)
{
	const char *p = skip_ws(args);
	int calls = 0;
	while (*p == '/') {
		char o = p[1];
		if (o == 'c')
			calls = 1;
		else if (o != 'o')	/* /o: address order, which is dr7's order anyway */
			return cmd_error(c, "not supported: uf /%c (dr7 takes /c and /o)", o ? o : ' ');
		if (p[2] && p[2] != ' ' && p[2] != '\t')
			return cmd_error(c, "Syntax error: uf options are /c and /o, one per slash");
		p = skip_ws(p + 2);
	}
	uint64_t addr;
	if (cmd_address_or_pc(c, &p, &addr) < 0)
		return -1;
	if (*skip_ws(p))
		return cmd_extra_chars(c);
	struct sym_func f;
	if (!c->s->sym || sym_function_at(c->s->sym, addr, &f) < 0 || !f.size)
		return cmd_error(c, "No code found, aborting: no function with a known size contains the address");
	if (f.size > (1u << 20))
		return cmd_error(c, "No code found, aborting: the function is larger than 1 MiB");
	struct uf_code u;
	uf_decode(c, f.start, f.start + f.size, &u);
	/* Address order: dr7's uf behaves like WinDbg's uf /o. */
	if (calls)
		uf_calls(c, f.start, &u);
	else
		uf_listing(c, &u);
	uf_free(&u);
	return 0;
}

/* ---- stacks ---- */

enum k_style { K_PLAIN, K_ARGS, K_PARAMS, K_PARAMS_LINES, K_VERBOSE };

struct k_state {
	struct cmd_ctx *c;
	enum k_style style;
	int count;
	struct sym_frame frames[256];
	int n;
};

/*
 * kv: WinDbg shows frame-pointer-omission data here; the Linux nearest is
 * the CFI rule that locates the frame: " (CFI: CFA=rsp+0x10)", or that
 * none covers it (the unwinder followed the frame pointer).
 */
static void add_unwind_rule(struct cmd_ctx *c, uint64_t lookup, struct sbuf *sb)
{
	struct sym_cfa_rule r;
	if (!c->s->sym || sym_cfa_rule(c->s->sym, lookup, &r) < 0 || r.source == SYM_CFI_NONE) {
		sb_add(sb, " (CFI: none, frame pointer)");
		return;
	}
	const char *reg = r.reg >= 0 ? cmd_dwarf_reg_name(session_is32(c->s), r.reg) : NULL;
	sb_addf(sb, " (CFI%s: CFA=", r.source == SYM_CFI_DEBUG_FRAME ? " .debug_frame" : "");
	if (!reg)
		sb_add(sb, "expression");
	else if (r.offset < 0)
		sb_addf(sb, "%s-0x%llx", reg, (unsigned long long)-r.offset);
	else
		sb_addf(sb, "%s+0x%llx", reg, (unsigned long long)r.offset);
	sb_addc(sb, ')');
}

/*
 * The call site with kp's parameters where WinDbg puts them, between the
 * function and its offset: "mod!walk(int depth = 0n3)+0x1a".
 */
static void add_call_site(struct k_state *k, const struct sym_frame *f, struct sbuf *sb)
{
	struct cmd_ctx *c = k->c;
	struct sbuf site = { 0 };
	if (session_describe(c->s, f->pc, &site) < 0) {
		sb_add(sb, "0x");
		cmd_addr(sb, c, f->pc);
		sb_free(&site);
		return;
	}
	struct sbuf params = { 0 };
	/* Frames without debug information (libc) print as k shows them. */
	if ((k->style == K_PARAMS || k->style == K_PARAMS_LINES) &&
	    cmd_vars_frame_params(c, f, k->style == K_PARAMS_LINES, &params) == 0) {
		const char *str = sb_str(&site);
		const char *plus = strrchr(str, '+');
		size_t cut = plus && plus[1] == '0' && plus[2] == 'x' && !strchr(plus, '!') ? (size_t)(plus - str) : site.len;
		sb_addn(sb, str, cut);
		sb_add(sb, sb_str(&params));
		sb_add(sb, str + cut);
	} else {
		sb_add(sb, sb_str(&site));
	}
	sb_free(&params);
	sb_free(&site);
}

static int cmd_k(struct cmd_ctx *c, const struct cmd_def *d, const char *args,
		 const struct thread_sel *sel, int id)
{
	struct k_state k = { .c = c, .count = 255, .style = (enum k_style)d->arg };
	const char *p = skip_ws(args);
	if (*p) {
		uint64_t n;
		if (cmd_expr(c, &p, &n) < 0)
			return -1;
		if (n == 0 || n > 255)
			return cmd_error(c, "Frame count must be between 1 and 0xff");
		k.count = (int)n;
	}
	if (*skip_ws(p))
		return cmd_extra_chars(c);
	struct target_thread *th = cmd_thread_of(c, sel);
	if (!th)
		return cmd_error(c, "No process is being debugged");
	if (sel && sel->each) {
		/* ~*k: each stack under its thread's line, as WinDbg prints them. */
		cmd_print(c, "\n");
		cmd_thread_row(c, th);
	} else if (sel && sel->kind == TSEL_ONE && sel->tid != c->s->cur_tid) {
		cmd_print(c, "\n");
	}
	/* One frame more than shown: its pc is the last row's return address. */
	int shown = k.count;
	k.count = shown + 1;
	int params = k.style == K_PARAMS || k.style == K_PARAMS_LINES;
	k.n = session_frames(c->s, th->tid, k.frames, k.count, params ? SYM_UNWIND_REGS : 0);
	if (k.n < 0)
		return cmd_fail(c);
	int is32 = session_is32(c->s);
	int args_col = k.style == K_ARGS || k.style == K_VERBOSE;
	if (args_col)
		cmd_print(c, is32 ? " # ChildEBP RetAddr  Args to Child              \n"
				  : " # Child-SP          RetAddr           : Args to Child                                                           : Call Site\n");
	else
		cmd_print(c, is32 ? " # ChildEBP RetAddr      \n" : " # Child-SP          RetAddr               Call Site\n");
	for (int i = 0; i < k.n && i < shown; i++) {
		const struct sym_frame *f = &k.frames[i];
		struct sbuf sb = { 0 };
		sb_addf(&sb, "%02x ", i);
		cmd_addr(&sb, c, f->sp);
		sb_add(&sb, " ");
		cmd_addr(&sb, c, i + 1 < k.n ? k.frames[i + 1].pc : 0);
		if (args_col) {
			sb_add(&sb, " : ");
			for (int a = 0; a < 4; a++) {
				uint64_t v = 0;
				int w = is32 ? 4 : 8;
				if (session_read(c->s, f->sp + (uint64_t)(w * (a + 1)), &v, (size_t)w) != w)
					v = 0;
				cmd_addr(&sb, c, v);
				sb_add(&sb, " ");
			}
			sb_add(&sb, ": ");
		} else {
			sb_add(&sb, is32 ? " " : "     ");
		}
		/* Frames above 0 hold return addresses: their source line is the call's. */
		uint64_t at = f->is_return_address ? f->pc - 1 : f->pc;
		add_call_site(&k, f, &sb);
		if (k.style == K_VERBOSE)
			add_unwind_rule(c, at, &sb);
		const char *file;
		int line;
		if (c->s->sym && sym_source_line(c->s->sym, at, &file, &line) == 0)
			sb_addf(&sb, " [%s @ %d]", file, line);
		cmd_print(c, "%s\n", sb_str(&sb));
		sb_free(&sb);
	}
	return 0;
}

const struct cmd_def cmd_sym_table[] = {
	{ "u", cmd_u, CMD_NEED_PROCESS, 0, ARGS_ANY, "u [Address [L Count | EndAddress]]",
	  "Disassemble 8 instructions or a range; alone: on from the last u" },
	{ "ub", cmd_ub, CMD_NEED_PROCESS, 0, ARGS_ANY, "ub [Address [L Count]]",
	  "Disassemble the instructions before Address" },
	{ "uf", cmd_uf, CMD_NEED_PROCESS, 0, ARGS_ANY, "uf [/c] [/o] [Address]",
	  "Disassemble the function with its source lines; /c: only its calls" },
	{ "k", cmd_k, CMD_NEED_PROCESS | CMD_THREADS, 0, ARGS_ANY, "k [FrameCount]", "Show the call stack" },
	{ "kn", cmd_k, CMD_NEED_PROCESS | CMD_THREADS, 0, ARGS_ANY, "kn [FrameCount]",
	  "Show the call stack with frame numbers" },
	{ "kb", cmd_k, CMD_NEED_PROCESS | CMD_THREADS, K_ARGS, ARGS_ANY, "kb [FrameCount]",
	  "Show the call stack with four stack words per frame" },
	{ "kp", cmd_k, CMD_NEED_PROCESS | CMD_THREADS | CMD_CASE, K_PARAMS, ARGS_ANY, "kp [FrameCount]",
	  "Show the call stack with each frame's parameters" },
	{ "kP", cmd_k, CMD_NEED_PROCESS | CMD_THREADS | CMD_CASE, K_PARAMS_LINES, ARGS_ANY, "kP [FrameCount]",
	  "Show the call stack with each parameter on a line of its own" },
	{ "kv", cmd_k, CMD_NEED_PROCESS | CMD_THREADS, K_VERBOSE, ARGS_ANY, "kv [FrameCount]",
	  "Show the call stack with stack words and each frame's CFI rule" },
	{ NULL, NULL, 0, 0, ARGS_ANY, NULL, NULL },
};
