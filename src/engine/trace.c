/*
 * trace.c — wt (trace.h): the current thread runs one instruction per
 * step (exec_step_checked: the other threads stay stopped, and a
 * breakpoint at any address it reaches ends the trace as a hit), and each
 * instruction is charged to the frame on top of a shadow call stack.
 *
 * Invariants:
 *   - a frame is pushed by a call that pushed its return address, and
 *     popped as soon as rsp is above that slot (a ret, or a longjmp), so
 *     the shadow stack follows the real one whatever the code does;
 *   - a jump into another function (a PLT stub's, a tail call) ends the
 *     frame and starts one at the same depth, as WinDbg lists thunks;
 *   - when a frame ends, its own and children's counts are added to its
 *     caller's children: every traced instruction is counted exactly once
 *     in the caller chain (a repeated string instruction counts once, how
 *     many steps its iterations take);
 *   - an ignored frame (-m, -i) is never stepped: it runs to its return
 *     slot at full speed and adds nothing.
 */
#include "engine/trace.h"

#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "x86/dis.h"

struct frame {
	uint64_t func;		/* entry address */
	uint64_t lo, hi;	/* the covering symbol's range; lo == hi: unknown */
	uint64_t entry_sp;	/* the slot holding its return address */
	uint64_t own, children;
	int ignored;
};

struct tracer {
	struct session *s;
	pid_t tid;		/* the thread traced (a stop may make another current) */
	const struct trace_options *o;
	trace_line_fn fn;
	void *user;
	struct trace_result *res;
	struct frame *f;	/* f[0..depth] */
	int depth;
	int cap;
	unsigned ptrsize;
	size_t *slots;		/* open addressing over res->funcs: index + 1, 0 empty */
	size_t nslots;
};

/* ---- statistics ---- */

static size_t hash_addr(uint64_t a, size_t nslots)
{
	return (size_t)((a * 0x9e3779b97f4a7c15ULL) >> 17) & (nslots - 1);
}

static struct trace_func_stats *stats_for(struct tracer *t, uint64_t func)
{
	struct trace_result *res = t->res;
	if ((res->nfuncs + 1) * 2 > t->nslots) {
		size_t n = t->nslots ? t->nslots * 2 : 256;
		size_t *slots = xcalloc(n, sizeof(*slots));
		for (size_t i = 0; i < res->nfuncs; i++) {
			size_t h = hash_addr(res->funcs[i].func, n);
			while (slots[h])
				h = (h + 1) & (n - 1);
			slots[h] = i + 1;
		}
		free(t->slots);
		t->slots = slots;
		t->nslots = n;
		res->funcs = xrealloc(res->funcs, sizeof(*res->funcs) * n / 2);
	}
	size_t h = hash_addr(func, t->nslots);
	while (t->slots[h]) {
		struct trace_func_stats *st = &res->funcs[t->slots[h] - 1];
		if (st->func == func)
			return st;
		h = (h + 1) & (t->nslots - 1);
	}
	struct trace_func_stats *st = &res->funcs[res->nfuncs++];
	memset(st, 0, sizeof(*st));
	st->func = func;
	t->slots[h] = res->nfuncs;
	return st;
}

static void count_invocation(struct tracer *t, uint64_t func, uint64_t n)
{
	struct trace_func_stats *st = stats_for(t, func);
	if (!st->invocations || n < st->min)
		st->min = n;
	if (n > st->max)
		st->max = n;
	st->invocations++;
	st->total += n;
}

static void count_syscall(struct tracer *t, uint64_t func)
{
	struct trace_result *res = t->res;
	for (size_t i = 0; i < res->nsyscalls; i++) {
		if (res->syscalls[i].func == func) {
			res->syscalls[i].count++;
			return;
		}
	}
	res->syscalls = xrealloc(res->syscalls, sizeof(*res->syscalls) * (res->nsyscalls + 1));
	res->syscalls[res->nsyscalls++] = (struct trace_syscall_stats){ .func = func, .count = 1 };
}

/* ---- the shadow stack ---- */

static struct frame *top(struct tracer *t)
{
	return &t->f[t->depth];
}

/* A frame entered at func, its return address in the slot at entry_sp. */
static void frame_start(struct tracer *t, struct frame *fr, uint64_t func, uint64_t entry_sp)
{
	memset(fr, 0, sizeof(*fr));
	fr->func = func;
	fr->entry_sp = entry_sp;
	struct sym_func sf;
	if (t->s->sym && sym_function_at(t->s->sym, func, &sf) == 0 && sf.size) {
		fr->lo = sf.start;
		fr->hi = sf.start + sf.size;
	} else {
		err_clear();
	}
}

static void push(struct tracer *t, uint64_t func, uint64_t entry_sp)
{
	if (t->depth + 1 >= t->cap) {
		t->cap = t->cap ? t->cap * 2 : 64;
		t->f = xrealloc(t->f, sizeof(*t->f) * (size_t)t->cap);
	}
	t->depth++;
	frame_start(t, top(t), func, entry_sp);
}

static void emit(struct tracer *t, enum trace_event ev, const struct regs *r)
{
	const struct frame *fr = top(t);
	struct trace_line l = {
		.event = ev,
		.depth = t->depth,
		.func = fr->func,
		.caller = t->depth ? t->f[t->depth - 1].func : 0,
		.own = fr->own,
		.children = fr->children,
	};
	if (r) {
		uint64_t mask = t->ptrsize == 4 ? 0xffffffffULL : ~0ULL;
		l.rax = r->r[REG_RAX] & mask;
		l.rdx = r->r[REG_RDX] & mask;
		struct fpregs fp;
		if (t->o->want_fp_return && target_get_fpregs(t->s->tgt, t->tid, &fp) == 0) {
			memcpy(&l.xmm0, fp.xmm[0], sizeof(l.xmm0));
			l.have_xmm0 = 1;
		}
	}
	t->fn(t->user, &l);
}

/* The top frame is over (returned, left, or still open at the end): its
 * line, its statistics, and its counts into its caller's children. */
static void frame_end(struct tracer *t, enum trace_event ev, const struct regs *r)
{
	struct frame *fr = top(t);
	if (fr->ignored)
		return;
	emit(t, ev, ev == TRACE_RETURNS ? r : NULL);
	uint64_t total = fr->own + fr->children;
	count_invocation(t, fr->func, total);
	if (t->depth > 0)
		t->f[t->depth - 1].children += total;
}

static uint64_t function_start(struct tracer *t, uint64_t addr)
{
	struct sym_func sf;
	if (t->s->sym && sym_function_at(t->s->sym, addr, &sf) == 0)
		return sf.start;
	err_clear();
	return addr;
}

/* Whether a jump to addr leaves the top frame's function for another one. */
static int leaves_function(struct tracer *t, uint64_t addr)
{
	const struct frame *fr = top(t);
	if (fr->lo < fr->hi)
		return addr < fr->lo || addr >= fr->hi;
	/* No symbol here (a PLT stub): only a jump to a known function leaves. */
	struct sym_func sf;
	if (t->s->sym && sym_function_at(t->s->sym, addr, &sf) == 0)
		return sf.start != fr->func;
	err_clear();
	return 0;
}

static int module_listed(struct tracer *t, uint64_t addr, const char *const *names, int n)
{
	struct sym_module m;
	if (!n || !t->s->sym || sym_module_at(t->s->sym, addr, &m) < 0) {
		err_clear();
		return 0;
	}
	for (int i = 0; i < n; i++)
		if (!strcasecmp(m.name, names[i]))
			return 1;
	return 0;
}

/* -m: code in the listed modules and what they call directly; -i: not the listed ones. */
static int is_ignored(struct tracer *t, uint64_t func, uint64_t caller)
{
	const struct trace_options *o = t->o;
	if (o->nonly)
		return !module_listed(t, func, o->only, o->nonly) &&
		       !module_listed(t, caller, o->only, o->nonly);
	return module_listed(t, func, o->ignore, o->nignore);
}

/* The top frame has just started: ignored frames say so now, and are run later. */
static void frame_entered(struct tracer *t)
{
	struct frame *fr = top(t);
	if (t->depth > 0 && is_ignored(t, fr->func, t->f[t->depth - 1].func)) {
		emit(t, TRACE_IGNORED, NULL);
		fr->ignored = 1;
	}
}

/* The stack slot frame 0 would return through, for a trace started inside
 * it: from the unwinder (the caller's stack pointer less one slot). */
static uint64_t return_slot(struct tracer *t, uint64_t rsp)
{
	struct sym_frame fr[2];
	int n = session_frames(t->s, t->tid, fr, 2, 0);
	if (n == 2 && fr[1].sp > rsp)
		return fr[1].sp - t->ptrsize;
	err_clear();
	return rsp;
}

static int read_ptr(struct tracer *t, uint64_t addr, uint64_t *v)
{
	uint64_t x = 0;
	if (target_read(t->s->tgt, addr, &x, t->ptrsize) != (int)t->ptrsize)
		return err_set("Memory access error at %llx", (unsigned long long)addr);
	*v = t->ptrsize == 4 ? (uint32_t)x : x;
	return 0;
}

/* Where the traced thread is (a break-in reports another thread's pc). */
static int thread_pc(struct tracer *t, uint64_t *pc)
{
	struct regs r;
	if (session_get_regs(t->s, t->tid, &r) < 0)
		return -1;
	*pc = r.r[REG_RIP];
	return 0;
}

/* After a failed run: nothing ran (a stop could not be placed, as in the
 * vsyscall page), so stepping is the way on. */
static int still_at(struct tracer *t, uint64_t pc)
{
	uint64_t now;
	if (t->s->tgt->exited || thread_pc(t, &now) < 0 || now != pc)
		return 0;
	err_clear();
	return 1;
}

static int insn_at(struct session *s, uint64_t pc, struct dis_insn *in)
{
	uint8_t buf[16];
	int n = target_read(s->tgt, pc, buf, sizeof(buf));
	if (n <= 0 || dis_decode(buf, (size_t)n, pc, s->tgt->is32, in) < 0)
		return -1;
	return 0;
}

/* ---- the plan and the run ---- */

int trace_plan(struct session *s, const struct trace_options *o, struct trace_plan *out)
{
	memset(out, 0, sizeof(*out));
	struct regs r;
	if (session_require_process(s) < 0 || session_get_regs(s, s->cur_tid, &r) < 0)
		return -1;
	uint64_t pc = r.r[REG_RIP];
	out->start = pc;
	if (o->have_end) {
		out->kind = TRACE_TO_ADDRESS;
		out->end = o->end;
		return 0;
	}
	struct dis_insn in;
	if (insn_at(s, pc, &in) == 0 && in.flow == DIS_FLOW_CALL) {
		out->kind = TRACE_CALL;
		out->end = pc + in.len;
		return 0;
	}
	struct sym_func sf;
	if (s->sym && sym_function_at(s->sym, pc, &sf) == 0 && sf.start == pc) {
		uint64_t ra = 0;
		unsigned ptrsize = s->tgt->is32 ? 4 : 8;
		if (target_read(s->tgt, r.r[REG_RSP], &ra, ptrsize) != (int)ptrsize)
			return err_set("Cannot read the return address at %llx",
				       (unsigned long long)r.r[REG_RSP]);
		out->kind = TRACE_FUNCTION;
		out->end = ptrsize == 4 ? (uint32_t)ra : ra;
		return 0;
	}
	err_clear();
	out->kind = TRACE_NONE;
	return 0;
}

/*
 * What one event did, in order: `in` ran (a stepped instruction, or a
 * branch run at full speed, which went to next_pc), or a signal handler was
 * entered; then `straight` straight-line instructions ran.  stopped: a stop
 * to report ended the event, and with it the trace.
 */
struct event {
	int stopped;
	int ran;
	int decoded;
	struct dis_insn in;
	uint64_t sp_before;	/* rsp before in */
	uint64_t next_pc;	/* where in went */
	int handler;
	uint64_t straight;
};

/* Whether the thread can be at pc right after in ran (indirect branches
 * and system calls such as rt_sigreturn can go anywhere). */
static int possible_successor(const struct dis_insn *in, uint64_t pc)
{
	uint64_t next = in->addr + in->len;
	switch (in->flow) {
	case DIS_FLOW_NONE:
		return pc == next;
	case DIS_FLOW_COND:
		return pc == next || !in->has_target || pc == in->target;
	case DIS_FLOW_JUMP:
	case DIS_FLOW_CALL:
		return !in->has_target || pc == in->target;
	default:
		return 1;
	}
}

#define STRAIGHT_MAX 64

/*
 * The straight-line instructions from pc: their addresses into at[] (at
 * most STRAIGHT_MAX), and *end, the address after the last: a branching
 * or undecodable instruction, or limit (where the trace ends).  Returns
 * how many.
 */
static int straight_run(struct session *s, uint64_t pc, uint64_t limit, uint64_t *at, uint64_t *end)
{
	uint8_t buf[STRAIGHT_MAX * 4];
	int n = target_read(s->tgt, pc, buf, sizeof(buf));
	int k = 0;
	size_t off = 0;
	while (n > 0 && k < STRAIGHT_MAX && off < (size_t)n && pc + off != limit) {
		struct dis_insn in;
		if (dis_decode(buf + off, (size_t)n - off, pc + off, s->tgt->is32, &in) < 0)
			break;
		if (off + in.len == (size_t)n && n == (int)sizeof(buf))
			break;	/* may be cut short by the buffer: decode it next time */
		if (in.flow != DIS_FLOW_NONE)
			break;
		at[k++] = pc + off;
		off += in.len;
	}
	err_clear();
	*end = pc + off;
	return k;
}

/* How many of the k straight-line instructions at[] ran before the thread stopped at pc. */
static uint64_t ran_before(const uint64_t *at, int k, uint64_t pc)
{
	int done = 0;
	while (done < k && at[done] < pc)
		done++;
	return (uint64_t)done;
}

/* A stop the trace goes on from: a signal to deliver (with the next step). */
static int goes_on(const struct stop_report *rep)
{
	return rep->kind == REP_SIGNAL && rep->passed;
}

/* A near ret (c3, c2 iw, with any prefixes). */
static int near_ret(const struct dis_insn *in)
{
	return in->flow == DIS_FLOW_RET &&
	       (in->bytes[in->len - 1] == 0xc3 || (in->len >= 3 && in->bytes[in->len - 3] == 0xc2));
}

/*
 * Where the branch in at the pc can go, when that is known exactly and
 * running there at full speed keeps the accounting exact: direct calls and
 * jumps (not into ignored code), both ways of a conditional branch, and a
 * ret (its address is on the stack) unless return values are wanted (they
 * are read right after it).  Returns how many (0: step it).
 */
static int branch_targets(struct tracer *t, const struct dis_insn *in, const struct regs *r, uint64_t *succ)
{
	uint64_t caller = t->depth ? t->f[t->depth - 1].func : 0;
	switch (in->flow) {
	case DIS_FLOW_CALL:
		if (!in->has_target || is_ignored(t, in->target, top(t)->func))
			return 0;
		succ[0] = in->target;
		return 1;
	case DIS_FLOW_JUMP:
	case DIS_FLOW_COND:
		if (!in->has_target || (leaves_function(t, in->target) && is_ignored(t, in->target, caller)))
			return 0;
		succ[0] = in->target;
		succ[1] = in->addr + in->len;
		return in->flow == DIS_FLOW_JUMP || succ[1] == succ[0] ? 1 : 2;
	case DIS_FLOW_RET:
		if (t->o->want_returns || !near_ret(in) || read_ptr(t, r->r[REG_RSP], &succ[0]) < 0) {
			err_clear();
			return 0;
		}
		return 1;
	default:
		return 0;
	}
}

/*
 * The branch in at the pc and the straight-line code after it, run at
 * full speed: a stop planted at the end of each way it can go (at the
 * branch's target when that code leads back to the branch: no stop is
 * planted at the pc, so a stop there always means the branch did not
 * run).  1 when it was run (e filled), 0 when it must be stepped instead
 * (a branch to itself, or ways whose code overlaps).
 */
static int run_branch(struct tracer *t, const struct trace_plan *plan, const struct regs *r,
		      struct stop_report *rep, struct event *e)
{
	uint64_t succ[2], end[2], at[2][STRAIGHT_MAX];
	int k[2];
	int n = branch_targets(t, &e->in, r, succ);
	if (n == 0)
		return 0;
	uint64_t pc = r->r[REG_RIP];
	for (int i = 0; i < n; i++) {
		if (succ[i] == pc)
			return 0;
		k[i] = straight_run(t->s, succ[i], plan->end, at[i], &end[i]);
		if (end[i] == pc) {
			/* A loop back to this branch: stop where it lands instead. */
			end[i] = succ[i];
			k[i] = 0;
		}
	}
	if (n == 2 && ((succ[0] <= succ[1] && succ[1] <= end[0]) || (succ[1] <= succ[0] && succ[0] <= end[1])))
		return 0;
	uint64_t stop;
	if (exec_run_alone_to(t->s, end, n, rep) < 0)
		return still_at(t, pc) ? 0 : -1;
	if (thread_pc(t, &stop) < 0)
		return -1;
	e->stopped = rep->kind != REP_STEP && !goes_on(rep);
	if (rep->kind != REP_STEP && stop == pc)
		return 1;	/* stopped before the branch ran */
	for (int i = 0; i < n; i++) {
		if (stop >= succ[i] && stop <= end[i]) {
			e->ran = 1;
			e->next_pc = succ[i];
			e->straight = ran_before(at[i], k[i], stop);
			return 1;
		}
	}
	e->stopped = 1;	/* somewhere the branch cannot have led: nothing more can be told */
	return 1;
}

/*
 * One event: an ignored frame run to its return; straight-line code run
 * at full speed by the thread alone up to the next branching instruction;
 * a branch with the straight-line code after it, the same way; or one
 * instruction stepped.  Whatever runs at full speed is executed by the
 * processor, so breakpoints and watches on the way are met as in any run.
 */
static int advance(struct tracer *t, const struct trace_plan *plan, struct stop_report *rep, struct event *e)
{
	struct session *s = t->s;
	struct frame *fr = top(t);
	memset(e, 0, sizeof(*e));
	t->res->events++;
	if (fr->ignored) {
		uint64_t ra = 0;
		if (read_ptr(t, fr->entry_sp, &ra) < 0 || exec_run_to_frame(s, ra, fr->entry_sp + t->ptrsize, rep) < 0)
			return -1;
		e->stopped = rep->kind != REP_STEP;
		return 0;
	}
	struct regs r;
	if (session_get_regs(s, t->tid, &r) < 0)
		return -1;
	uint64_t pc = r.r[REG_RIP];
	e->sp_before = r.r[REG_RSP];
	/* A signal still to be delivered goes with a step, so its handler is traced. */
	if (!s->signal_pending) {
		uint64_t at[STRAIGHT_MAX], end, stop;
		int k = straight_run(s, pc, plan->end, at, &end);
		if (k > 0 && exec_run_alone_to(s, &end, 1, rep) == 0) {
			if (thread_pc(t, &stop) < 0)
				return -1;
			e->straight = ran_before(at, k, stop);
			e->stopped = rep->kind != REP_STEP && !goes_on(rep);
			return 0;
		}
		if (k > 0 && !still_at(t, pc))
			return -1;
	}
	e->decoded = insn_at(s, pc, &e->in) == 0;
	if (!s->signal_pending) {
		if (e->decoded) {
			int rc = run_branch(t, plan, &r, rep, e);
			if (rc != 0)
				return rc < 0 ? -1 : 0;
		}
	}
	if (exec_step_checked(s, RUN_STEP_INTO, SIG_DEFAULT, rep) < 0)
		return -1;
	if (rep->kind != REP_STEP) {
		e->stopped = 1;
		return 0;
	}
	if (e->decoded && e->in.repeats && rep->pc == pc)
		return 0;	/* a string instruction between iterations */
	if (e->decoded && !possible_successor(&e->in, rep->pc)) {
		e->handler = 1;
		return 0;
	}
	e->ran = 1;
	e->next_pc = rep->pc;
	return 0;
}

/* Frames whose return slot is below sp are over; 1 when frame 0 was among them. */
static int pop_returned(struct tracer *t, uint64_t sp, const struct regs *r)
{
	while (t->depth >= 0 && top(t)->entry_sp < sp) {
		frame_end(t, TRACE_RETURNS, r);
		if (t->depth == 0) {
			t->depth = -1;
			return 1;
		}
		t->depth--;
	}
	return 0;
}

/*
 * The effect of an instruction that ran (stack pointer sp after it, at
 * next): frames it returned from, the frame a call entered, a jump into
 * another function.  1 when frame 0 returned.
 */
static int account_ran(struct tracer *t, const struct event *e, uint64_t sp, const struct regs *r)
{
	struct frame *fr = top(t);
	fr->own++;
	t->res->instructions++;
	if (!e->decoded)
		return pop_returned(t, sp, r);
	const struct dis_insn *in = &e->in;
	if (in->flow == DIS_FLOW_SYSCALL)
		count_syscall(t, fr->func);
	if (pop_returned(t, sp, r))
		return 1;
	if (in->flow == DIS_FLOW_CALL && sp < e->sp_before) {
		emit(t, TRACE_CALLS, NULL);
		push(t, e->next_pc, sp);
		frame_entered(t);
	} else if ((in->flow == DIS_FLOW_JUMP || in->flow == DIS_FLOW_COND || in->flow == DIS_FLOW_RET) &&
		   leaves_function(t, e->next_pc)) {
		/* (A ret that popped no frame is a jump: i386's lazy binding
		 * enters the function so.) */
		frame_end(t, TRACE_LEAVES, NULL);
		frame_start(t, top(t), e->next_pc, top(t)->entry_sp);
		frame_entered(t);
	}
	return 0;
}

/*
 * Frame 0 returned, and then `more` instructions ran to bring the thread
 * to pc: 1 when that ends the trace (a function's trace, or the address
 * reached by the return itself); otherwise (an EndAddress ahead, or reached
 * in the caller) the caller becomes frame 0.
 */
static int frame0_returned(struct tracer *t, const struct trace_plan *plan, uint64_t pc, uint64_t more,
			   const struct regs *r)
{
	if (plan->kind != TRACE_TO_ADDRESS || (pc == plan->end && !more))
		return 1;
	push(t, function_start(t, pc), return_slot(t, r->r[REG_RSP]));
	return 0;
}

int trace_run(struct session *s, const struct trace_options *o, const struct trace_plan *plan,
	      trace_line_fn fn, void *user, struct trace_result *res, struct stop_report *rep)
{
	memset(res, 0, sizeof(*res));
	memset(rep, 0, sizeof(*rep));
	if (plan->kind == TRACE_NONE)
		return err_set("wt: nothing to trace here");
	struct regs r;
	if (session_require_process(s) < 0 || session_get_regs(s, s->cur_tid, &r) < 0)
		return -1;
	struct tracer t = { .s = s, .tid = s->cur_tid, .o = o, .fn = fn, .user = user, .res = res,
			    .depth = -1, .ptrsize = s->tgt->is32 ? 4 : 8 };
	uint64_t start_sp = r.r[REG_RSP];
	if (plan->kind == TRACE_FUNCTION)
		push(&t, plan->start, start_sp);
	else
		push(&t, function_start(&t, plan->start), return_slot(&t, start_sp));
	int rc = 0;
	for (;;) {
		struct event e;
		if (advance(&t, plan, rep, &e) < 0) {
			rc = -1;
			break;
		}
		if (session_get_regs(s, t.tid, &r) < 0) {
			rc = -1;
			break;
		}
		uint64_t pc = r.r[REG_RIP];
		int returned = 0;
		if (e.ran) {
			/* A branch run at full speed: its stack pointer is known from the instruction. */
			uint64_t sp = r.r[REG_RSP];
			if (e.straight || e.next_pc != pc) {
				sp = e.sp_before;
				if (e.in.flow == DIS_FLOW_CALL)
					sp -= t.ptrsize;
				else if (e.in.flow == DIS_FLOW_RET)
					sp += t.ptrsize;
			}
			returned = account_ran(&t, &e, sp, &r);
		} else if (e.handler) {
			/* Entered as if called: its return address is the signal trampoline's. */
			emit(&t, TRACE_CALLS, NULL);
			push(&t, pc, r.r[REG_RSP]);
			frame_entered(&t);
		}
		if (returned && frame0_returned(&t, plan, pc, e.straight, &r)) {
			res->completed = 1;
			break;
		}
		top(&t)->own += e.straight;
		res->instructions += e.straight;
		if (pop_returned(&t, r.r[REG_RSP], &r) && frame0_returned(&t, plan, pc, 0, &r)) {
			res->completed = 1;
			break;
		}
		if (e.stopped)
			break;
		if ((plan->kind == TRACE_CALL && pc == plan->end && r.r[REG_RSP] >= start_sp) ||
		    (plan->kind == TRACE_TO_ADDRESS && pc == plan->end)) {
			res->completed = 1;
			break;
		}
	}
	while (t.depth >= 0) {
		frame_end(&t, TRACE_OPEN, NULL);
		t.depth--;
	}
	free(t.f);
	free(t.slots);
	if (rc == 0 && res->completed)
		rep->mode = RUN_STEP_INTO;
	return rc;
}

void trace_result_free(struct trace_result *res)
{
	free(res->funcs);
	free(res->syscalls);
	memset(res, 0, sizeof(*res));
}
