/*
 * step.c — run control built from steps of the current thread (step.h):
 * source-line stepping for p and t under `l+t`, and pt tt pc tc pct tct
 * ph th, which step until the instruction at the pc is of a kind.
 *
 * Invariants:
 *   - every step is exec_step_checked's: a breakpoint at an address the
 *     thread reaches ends the command there and is reported as hit, and
 *     any other stop (a signal, the exit, Ctrl-C) ends it too;
 *   - a traced instruction runs the current thread alone; only a call
 *     stepped over (p-like commands, calls into code without line
 *     information) runs every thread, as p does;
 *   - the first instruction is always executed: a command started on an
 *     instruction of the kind it looks for goes on to the next one.
 */
#include "engine/step.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "x86/dis.h"

int step_mode_traces(enum run_mode mode)
{
	switch (mode) {
	case RUN_STEP_INTO:
	case RUN_TRACE_TO_RETURN:
	case RUN_TRACE_TO_CALL:
	case RUN_TRACE_TO_CALL_OR_RETURN:
	case RUN_TRACE_TO_BRANCH:
		return 1;
	default:
		return 0;
	}
}

static int thread_regs(struct session *s, struct regs *r)
{
	return session_get_regs(s, s->cur_tid, r);
}

static int insn_at(struct session *s, uint64_t pc, struct dis_insn *in)
{
	uint8_t buf[16];
	int n = target_read(s->tgt, pc, buf, sizeof(buf));
	if (n <= 0 || dis_decode(buf, (size_t)n, pc, s->tgt->is32, in) < 0)
		return -1;
	return 0;
}

/* A source position; file is a copy (a module refresh may happen mid-step). */
struct src_pos {
	int known;
	int line;
	char file[512];
};

static void pos_at(struct session *s, uint64_t pc, struct src_pos *p)
{
	const char *file;
	p->known = s->sym && sym_source_line(s->sym, pc, &file, &p->line) == 0;
	if (p->known)
		snprintf(p->file, sizeof(p->file), "%s", file);
	else
		err_clear();	/* no line here is an answer, not an error */
}

static int same_line(const struct src_pos *a, const struct src_pos *b)
{
	return a->known && b->known && a->line == b->line && !strcmp(a->file, b->file);
}

/* ---- to the next instruction of a kind ---- */

static int flow_wanted(enum run_mode mode, enum dis_flow f)
{
	switch (mode) {
	case RUN_TO_RETURN:
	case RUN_TRACE_TO_RETURN:
		return f == DIS_FLOW_RET;
	case RUN_STEP_TO_CALL:
	case RUN_TRACE_TO_CALL:
		return f == DIS_FLOW_CALL;
	case RUN_STEP_TO_CALL_OR_RETURN:
	case RUN_TRACE_TO_CALL_OR_RETURN:
		return f == DIS_FLOW_CALL || f == DIS_FLOW_RET;
	case RUN_STEP_TO_BRANCH:
	case RUN_TRACE_TO_BRANCH:
		return f == DIS_FLOW_CALL || f == DIS_FLOW_RET || f == DIS_FLOW_JUMP ||
		       f == DIS_FLOW_COND || f == DIS_FLOW_SYSCALL;
	default:
		return 0;
	}
}

/*
 * Steps (over or into calls, as the mode says) until the pc is on an
 * instruction the mode wants.  In source mode one on the start's line does
 * not count (WinDbg: "does not stop at a call instruction that is
 * associated with the current source line").
 */
static int step_until(struct session *s, enum run_mode mode, unsigned flags, enum sig_disposition sig,
		      struct stop_report *rep)
{
	enum run_mode each = step_mode_traces(mode) ? RUN_STEP_INTO : RUN_STEP_OVER;
	int by_line = (flags & STEP_BY_LINE) && mode != RUN_TO_RETURN && mode != RUN_TRACE_TO_RETURN;
	struct regs r;
	struct src_pos start = { 0 };
	if (thread_regs(s, &r) < 0)
		return -1;
	if (by_line)
		pos_at(s, r.r[REG_RIP], &start);
	for (int first = 1;; first = 0) {
		uint64_t pc = r.r[REG_RIP];
		struct dis_insn in;
		if (!first && insn_at(s, pc, &in) == 0 && flow_wanted(mode, in.flow)) {
			struct src_pos here;
			if (by_line)
				pos_at(s, pc, &here);
			if (!by_line || !same_line(&here, &start))
				break;
		}
		if (exec_step_checked(s, each, first ? sig : SIG_DEFAULT, rep) < 0)
			return -1;
		if (rep->kind != REP_STEP)
			return 0;
		if (thread_regs(s, &r) < 0)
			return -1;
	}
	rep->mode = mode;
	return 0;
}

/* ---- source lines ---- */

/* An instruction a call may pass through on its way to the function: a PLT
 * stub's endbr and indirect jump. */
static int trampoline(const struct dis_insn *in)
{
	return in->flow == DIS_FLOW_JUMP || !strncmp(in->mnemonic, "endbr", 5);
}

/*
 * t in source mode on a call: into the function when it has line
 * information (through a PLT stub whose target is bound), otherwise the
 * whole call runs, as p runs it.  Leaves rep at the stop.
 */
static int step_into_call(struct session *s, const struct dis_insn *call, uint64_t sp_before,
			  enum sig_disposition sig, struct stop_report *rep)
{
	if (exec_step_checked(s, RUN_STEP_INTO, sig, rep) < 0)
		return -1;
	if (rep->kind != REP_STEP)
		return 0;
	for (int hops = 0; hops < 8; hops++) {
		struct src_pos here;
		struct dis_insn in;
		pos_at(s, rep->pc, &here);
		if (here.known)
			return 0;
		if (insn_at(s, rep->pc, &in) < 0 || !trampoline(&in))
			break;
		if (exec_step_checked(s, RUN_STEP_INTO, SIG_DEFAULT, rep) < 0)
			return -1;
		if (rep->kind != REP_STEP)
			return 0;
	}
	return exec_run_to_frame(s, call->addr + call->len, sp_before, rep);
}

/*
 * The signal-return trampolines a handler returns into (glibc's and musl's
 * __restore_rt; i386's __restore and __restore_rt): rt_sigreturn or
 * sigreturn, and nothing else.  Their length, or 0.
 */
static size_t sigreturn_trampoline_at(struct session *s, uint64_t pc)
{
	static const struct { int is32; size_t len; uint8_t bytes[9]; } shapes[] = {
		{ 0, 9, { 0x48, 0xc7, 0xc0, 0x0f, 0x00, 0x00, 0x00, 0x0f, 0x05 } },	/* mov rax,15; syscall */
		{ 0, 7, { 0xb8, 0x0f, 0x00, 0x00, 0x00, 0x0f, 0x05 } },		/* mov eax,15; syscall */
		{ 1, 7, { 0xb8, 0xad, 0x00, 0x00, 0x00, 0xcd, 0x80 } },		/* mov eax,173; int 80h */
		{ 1, 8, { 0x58, 0xb8, 0x77, 0x00, 0x00, 0x00, 0xcd, 0x80 } },	/* pop eax; mov eax,119; int 80h */
	};
	uint8_t code[9];
	if (session_read(s, pc, code, sizeof(code)) < 8)
		return 0;
	for (size_t i = 0; i < sizeof(shapes) / sizeof(shapes[0]); i++)
		if (shapes[i].is32 == session_is32(s) && !memcmp(code, shapes[i].bytes, shapes[i].len))
			return shapes[i].len;
	return 0;
}

/*
 * A handler returned into the signal-return trampoline: steps through it, so
 * the step ends where the signal interrupted the program, as a return ends
 * in the caller.
 */
static int step_through_sigreturn(struct session *s, size_t len, struct stop_report *rep)
{
	uint64_t start = rep->pc;
	for (int n = 0; n < 4 && rep->pc >= start && rep->pc < start + len; n++) {
		if (exec_step_checked(s, RUN_STEP_INTO, SIG_DEFAULT, rep) < 0)
			return -1;
		if (rep->kind != REP_STEP)
			return 0;
	}
	return 0;
}

/*
 * p or t by source line: steps until the pc is on another line than the
 * one it started on (or in another file), or the function returned.  p runs
 * calls; t enters those with line information.  Code without line
 * information inside the function (line 0) is stepped through; a jump out
 * of it into code without lines (a tail call) runs until that returns.
 * A signal handler returns through the signal-return trampoline to the
 * code the signal interrupted: the step ends there.  Started where there is no line information, it steps one instruction.
 */
static int line_step(struct session *s, int into, enum sig_disposition sig, struct stop_report *rep)
{
	struct regs r;
	if (thread_regs(s, &r) < 0)
		return -1;
	struct src_pos start, here;
	pos_at(s, r.r[REG_RIP], &start);
	if (!start.known)
		return exec_step_checked(s, into ? RUN_STEP_INTO : RUN_STEP_OVER, sig, rep);
	struct sym_func fn;
	int have_fn = sym_function_at(s->sym, r.r[REG_RIP], &fn) == 0;
	uint64_t fn_start = have_fn ? fn.start : 0, fn_end = have_fn ? fn.start + fn.size : 0;
	uint64_t start_sp = r.r[REG_RSP];
	for (;;) {
		struct dis_insn in;
		int decoded = insn_at(s, r.r[REG_RIP], &in) == 0;
		int rc;
		if (decoded && in.flow == DIS_FLOW_CALL && into)
			rc = step_into_call(s, &in, r.r[REG_RSP], sig, rep);
		else
			rc = exec_step_checked(s, decoded && in.flow == DIS_FLOW_CALL ? RUN_STEP_OVER : RUN_STEP_INTO,
					       sig, rep);
		sig = SIG_DEFAULT;
		if (rc < 0)
			return -1;
		if (rep->kind != REP_STEP)
			return 0;
		if (thread_regs(s, &r) < 0)
			return -1;
		uint64_t pc = r.r[REG_RIP];
		if (decoded && in.flow == DIS_FLOW_RET && r.r[REG_RSP] > start_sp) {
			/* The function returned: stop in the caller, mid-line or not;
			 * a signal handler's caller is the code the signal interrupted. */
			size_t tramp = sigreturn_trampoline_at(s, pc);
			if (tramp && step_through_sigreturn(s, tramp, rep) < 0)
				return -1;
			if (rep->kind != REP_STEP)
				return 0;
			break;
		}
		pos_at(s, pc, &here);
		if (here.known) {
			if (!same_line(&here, &start))
				break;
			continue;
		}
		if (!have_fn || (pc >= fn_start && pc < fn_end))
			continue;
		/* Jumped into code without lines: let it run until it returns. */
		if (exec_run(s, RUN_GO_UP, SIG_DEFAULT, rep) < 0)
			return -1;
		if (rep->kind != REP_STEP)
			return 0;
		break;
	}
	rep->mode = into ? RUN_STEP_INTO : RUN_STEP_OVER;
	return 0;
}

int step_run(struct session *s, enum run_mode mode, unsigned flags, enum sig_disposition sig,
	     struct stop_report *rep)
{
	if (session_require_process(s) < 0)
		return -1;
	switch (mode) {
	case RUN_STEP_INTO:
	case RUN_STEP_OVER:
		if (flags & STEP_BY_LINE)
			return line_step(s, mode == RUN_STEP_INTO, sig, rep);
		if (flags & STEP_CHECKED)
			return exec_step_checked(s, mode, sig, rep);
		return exec_run(s, mode, sig, rep);
	case RUN_TO_RETURN:
	case RUN_TRACE_TO_RETURN:
	case RUN_STEP_TO_CALL:
	case RUN_TRACE_TO_CALL:
	case RUN_STEP_TO_CALL_OR_RETURN:
	case RUN_TRACE_TO_CALL_OR_RETURN:
	case RUN_STEP_TO_BRANCH:
	case RUN_TRACE_TO_BRANCH:
		return step_until(s, mode, flags, sig, rep);
	default:
		return exec_run(s, mode, sig, rep);
	}
}
