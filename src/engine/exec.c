/*
 * exec.c — run control: g, p, t, gu, and the two primitives of the run
 * control built from steps (engine/step.c: pt, source lines...;
 * engine/trace.c: wt); deciding, at each event, whether it is a stop to
 * report or something to absorb (a pass not yet reached, a false
 * condition, another thread's breakpoint, the dynamic linker's
 * rendezvous, a signal the program handles).  Moving a thread past a
 * breakpoint it stopped on is the backend's job (target.h).
 *
 * Invariants:
 *   - pass counts move only in go mode (windbg-commands.md §5.6);
 *   - run control's own stops (p over a call, gu) live in s->step and hold
 *     a software point of their own, which the backend shares with user
 *     breakpoints at the same address, so `gc` from a breakpoint hit inside
 *     a `p` finishes that `p`.
 */
#include <assert.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "x86/dis.h"
#include "engine/session.h"

static void step_clear(struct session *s)
{
	if (s->step.active && s->tgt && !s->tgt->exited) {
		struct point p = bp_code_point(s->step.addr);
		target_remove_point(s->tgt, &p);
		if (s->step.has_addr2) {
			p = bp_code_point(s->step.addr2);
			target_remove_point(s->tgt, &p);
		}
	}
	memset(&s->step, 0, sizeof(s->step));
}

/* An internal stop at addr: a software point held by run control itself. */
static int code_stop_insert(struct session *s, uint64_t addr)
{
	struct point p = bp_code_point(addr);
	return target_insert_point(s->tgt, &p);
}

static int step_set(struct session *s, enum run_mode mode, uint64_t addr, pid_t tid, uint64_t min_sp)
{
	step_clear(s);
	if (code_stop_insert(s, addr) < 0)
		return -1;
	s->step = (struct step_state){ .active = 1, .mode = mode, .addr = addr, .tid = tid, .min_sp = min_sp };
	return 0;
}

static uint64_t thread_pc(struct session *s, pid_t tid)
{
	struct regs r;
	if (target_get_regs(s->tgt, tid, &r) < 0)
		return 0;
	return r.r[REG_RIP];
}

/* ---- the dynamic linker's rendezvous and process start ---- */

/* Finds "_dl_debug_state" / "_r_debug" in the dynamic linker mapped at base. */
static int loader_symbol(struct session *s, uint64_t base, const char *name, uint64_t *addr)
{
	struct sym_module m;
	if (!base || sym_module_at(s->sym, base, &m) < 0)
		return -1;
	char full[256];
	snprintf(full, sizeof(full), "%s!%s", m.name, name);
	return sym_lookup(s->sym, full, addr);
}

/* A new process image: symbols, the rendezvous stop, breakpoints. */
static void setup_new_image(struct session *s, int first)
{
	uint64_t entry = 0, base = 0;
	if (s->sym)
		sym_close(s->sym);
	s->sym = session_sym_open(s);
	target_auxv(s->tgt, &entry, &base);
	s->exentry = entry;
	s->r_debug = 0;
	s->r_brk = 0;
	s->entry_stop = 0;
	memset(&s->step, 0, sizeof(s->step));
	session_ifunc_forget(s);
	bp_forget_target(&s->bps);

	if (!first) {
		/* exec replaced every module: address breakpoints die with them (bp
		 * semantics); processor breakpoints are re-armed where they were. */
		for (int i = 0; i < s->bps.n; i++) {
			struct bp *b = s->bps.v[i];
			if (b->origin == BP_BP) {
				int id = b->id;
				bp_delete(&s->bps, s->tgt, id);
				session_emit_bp(s, EV_BP_REMOVED, id, BP_REMOVAL_EXEC, NULL);
				i--;
			} else if (b->origin == BP_BU) {
				b->resolved = 0;
			} else if (b->kind == BP_HARDWARE && b->enabled) {
				if (bp_arm(&s->bps, s->tgt, b) == 0)
					session_emit_bp(s, EV_BP_REARMED, b->id, BP_REMOVAL_EXEC, NULL);
				else
					session_emit_bp(s, EV_BP_ARM_FAILED, b->id, BP_REMOVAL_EXEC, err_get());
			}
		}
	}

	uint64_t brk;
	if (s->sym && loader_symbol(s, base, "_dl_debug_state", &brk) == 0 &&
	    code_stop_insert(s, brk) == 0) {
		s->r_brk = brk;
		loader_symbol(s, base, "_r_debug", &s->r_debug);
	} else if (entry && code_stop_insert(s, entry) == 0) {
		/* Static program (or a loader without symbols): stop at the entry. */
		s->entry_stop = entry;
	}
	s->initial_pending = first;	/* an exec'd image runs on without a new initial stop */
	session_resolve_deferred(s);
}

/* r_debug.r_state: RT_CONSISTENT (0) when the link map is stable. */
static int rendezvous_consistent(struct session *s)
{
	if (!s->r_debug)
		return 1;
	uint32_t state;
	uint64_t off = s->tgt->is32 ? 12 : 24;
	if (target_read(s->tgt, s->r_debug + off, &state, sizeof(state)) != sizeof(state))
		return 1;
	return state == 0;
}

/* ---- signals and events: the filter table (filter.h) decides ---- */

/* Events the backend must report as stops for the filters to see them. */
static unsigned wanted_reports(struct session *s)
{
	const struct filter *ev = s->filters.ev;
	unsigned mask = 0;
	if (ev[FEV_CREATE_THREAD].brk == FILTER_BREAK || ev[FEV_CREATE_THREAD].cmd1 ||
	    ev[FEV_EXIT_THREAD].brk == FILTER_BREAK || ev[FEV_EXIT_THREAD].cmd1)
		mask |= TARGET_REPORT_THREADS;
	if (ev[FEV_CREATE_PROCESS].brk == FILTER_BREAK || ev[FEV_CREATE_PROCESS].brk == FILTER_OUTPUT ||
	    ev[FEV_CREATE_PROCESS].cmd1)
		mask |= TARGET_REPORT_FORKS;
	return mask;
}

/*
 * What a filter does with an exception met at first chance.  On Linux the
 * second chance comes at once when the program would die of the signal (no
 * handler, a fatal default action, and the filter does not call it
 * handled): there is no handler search after delivery, so both chances are
 * this one stop.  Returns whether run control reports it (to the user at
 * *brk == FILTER_BREAK, or only for cmd/ to run the filter's commands).
 */
static int exception_stops(const struct filter *f, int would_kill, int *second, enum filter_break *brk)
{
	*second = would_kill && !f->handled;
	int user_stop = f->brk == FILTER_BREAK || (*second && f->brk == FILTER_SECOND_CHANCE);
	*brk = user_stop ? FILTER_BREAK : f->brk;
	return user_stop || f->cmd1 || (*second && f->cmd2);
}

/* Tells the listener of an exception passed on without a stop (sxd at first chance, sxn). */
static void notify_exception(struct session *s, const struct filter *f, const struct stop_event *ev,
			     int signo, int second)
{
	int shown = f->brk == FILTER_OUTPUT || (f->brk == FILTER_SECOND_CHANCE && !second);
	struct engine_event e = { .kind = EV_SIGNAL, .pid = s->tgt->pid, .tid = ev->tid, .signo = signo,
				  .si_code = ev->si_code, .second_chance = second, .notify = shown };
	session_emit(s, &e);
}

/* An event filter's stop: the user's at break, or cmd/'s to run its commands. */
static int event_stops(const struct filter *f)
{
	return f->brk == FILTER_BREAK || f->cmd1;
}

/* ---- breakpoint filters ---- */

/*
 * Whether breakpoint b stops this event.  Order (windbg-commands.md §5.6,
 * with dr7's choices for what WinDbg leaves open): thread filter, call-depth
 * filters, /w condition, then the pass count (go mode only), so only
 * qualifying hits consume passes.
 */
static int bp_qualifies(struct session *s, struct bp *b, pid_t tid, int go_mode)
{
	if (b->tid && b->tid != tid)
		return 0;
	if (b->max_depth || b->min_depth) {
		int depth = session_stack_depth(s, tid);
		if (depth >= 0) {
			if (b->max_depth && !(depth < b->max_depth))
				return 0;
			if (b->min_depth && !(depth > b->min_depth))
				return 0;
		}
	}
	if (b->cond && s->cond_eval) {
		int result = 1;
		if (s->cond_eval(s, b->cond, tid, &result) < 0) {
			session_emit_bp(s, EV_BP_CONDITION_FAILED, b->id, BP_REMOVAL_NONE, err_get());
			result = 1;
		}
		if (!result)
			return 0;
	}
	assert(b->passes_left >= 1 && b->passes_left <= b->passes_init);
	if (go_mode && b->passes_left > 1) {
		b->passes_left--;
		return 0;
	}
	b->hits++;
	return 1;
}

static void fill_hits(struct session *s, const struct stop_event *ev, struct bp **cands, int n,
		      pid_t tid, int go_mode, struct stop_report *rep)
{
	rep->nhits = 0;
	rep->by_syscall = ev->by_syscall;
	rep->syscall_nr = ev->syscall_nr;
	for (int i = 0; i < n && rep->nhits < MAX_HITS; i++) {
		if (!bp_qualifies(s, cands[i], tid, go_mode))
			continue;
		rep->hit_rw[rep->nhits] = bp_hit_access(cands[i], ev);
		rep->hit_ids[rep->nhits++] = cands[i]->id;
	}
}

/* ---- the run loop ---- */

static void report_from_event(const struct stop_event *ev, enum report_kind kind,
			      struct stop_report *rep)
{
	rep->kind = kind;
	rep->tid = ev->tid;
	rep->pc = ev->pc;
}

/* Whether one of the stop's points is a software one (internal stops are). */
static int hit_software(const struct stop_event *ev)
{
	for (int i = 0; i < ev->nhits; i++)
		if (ev->hits[i].type == POINT_SOFTWARE)
			return 1;
	return 0;
}

static int hit_hw_exec(const struct stop_event *ev)
{
	for (int i = 0; i < ev->nhits; i++)
		if (ev->hits[i].type == POINT_HW_EXEC)
			return 1;
	return 0;
}

/*
 * The stop of run control itself at a software point: the rendezvous
 * (which becomes the initial breakpoint once), the entry point of a static
 * program, or a p/gu/g Address target reached in the right frame.
 */
static enum report_kind internal_stop(struct session *s, const struct stop_event *ev)
{
	uint64_t pc = ev->pc;
	enum report_kind stop = REP_NONE;
	if (s->nifuncs && session_ifunc_stop(s, ev->tid, pc))
		session_resolve_deferred(s);	/* an indirect function's breakpoints find their place */
	if (pc == s->r_brk && rendezvous_consistent(s)) {
		session_refresh_modules(s);
		if (s->initial_pending) {
			s->initial_pending = 0;
			if (!s->no_initial_break)
				stop = REP_INITIAL;
		}
		/* A load an ld filter breaks for is this stop, the initial one included. */
		if (s->module_stop.pending)
			stop = REP_EVENT;
	}
	if (pc == s->entry_stop && s->initial_pending) {
		s->initial_pending = 0;
		if (!s->no_initial_break)
			stop = REP_INITIAL;
	}
	if (s->step.active && (pc == s->step.addr || (s->step.has_addr2 && pc == s->step.addr2)) &&
	    (!s->step.tid || s->step.tid == ev->tid)) {
		struct regs r;
		if (target_get_regs(s->tgt, ev->tid, &r) == 0 && r.r[REG_RSP] >= s->step.min_sp)
			stop = REP_STEP;
	}
	return stop;
}

/*
 * A breakpoint hit whose every breakpoint has a light command string
 * (constant output, then a resume: ".echo x; gc") resumes without the user
 * seeing the program: the other threads need not stop for it.
 */
static int hit_resumes_lightly(struct session *s, const struct stop_report *rep)
{
	if (rep->kind != REP_BREAKPOINT || rep->nhits == 0)
		return 0;
	for (int i = 0; i < rep->nhits; i++) {
		struct bp *b = bp_find(&s->bps, rep->hit_ids[i]);
		if (!b || !b->light_command)
			return 0;
	}
	return 1;
}

static int run_until_report(struct session *s, enum run_mode mode, pid_t step_tid, pid_t alone,
			    int first_signo, struct stop_report *rep);

/* rep becomes the module stop the last refresh noted. */
static void take_module_stop(struct session *s, struct stop_report *rep)
{
	rep->event = s->module_stop.event;
	rep->mod_start = s->module_stop.start;
	rep->mod_end = s->module_stop.end;
	memcpy(rep->mod_path, s->module_stop.path, sizeof(rep->mod_path));
	rep->brk = s->filters.ev[rep->event].brk;
	s->module_stop.pending = 0;
}

/*
 * Runs the process until something must be reported; every thread is
 * stopped then, unless the report is a hit that resumes lightly.  mode is
 * how the user started it; step_tid > 0 makes the first resume a single
 * step of that thread alone (t, p on a non-call).
 */
static int run(struct session *s, enum run_mode mode, pid_t step_tid, int first_signo,
	       struct stop_report *rep)
{
	s->tgt->report = wanted_reports(s);
	if (run_until_report(s, mode, step_tid, 0, first_signo, rep) < 0)
		return -1;
	if (rep->kind != REP_GONE && !hit_resumes_lightly(s, rep))
		target_stop_all(s->tgt);
	return 0;
}

/*
 * Absorbed events resume only what stopped for them: the others never
 * stopped.  alone > 0: only that thread runs, every resume (no single
 * step); a signal it would be handed is reported instead (REP_SIGNAL,
 * passed), still to be delivered.
 */
static int run_until_report(struct session *s, enum run_mode mode, pid_t step_tid, pid_t alone,
			    int first_signo, struct stop_report *rep)
{
	pid_t event_tid = s->last.tid ? s->last.tid : s->cur_tid;
	int signo = first_signo;
	pid_t signal_tid = signo ? event_tid : 0;
	memset(rep, 0, sizeof(*rep));
	rep->mode = mode;

	for (;;) {
		struct stop_event ev;
		struct resume_req req = { .step_tid = step_tid ? step_tid : alone,
					  .step_only = step_tid || alone, .run_alone = !step_tid && alone,
					  .signal_tid = signal_tid, .signo = signo };
		if (target_resume(s->tgt, &req) < 0 || target_wait(s->tgt, &ev, s->interrupted) < 0)
			return -1;
		signo = 0;
		signal_tid = 0;
		pid_t stepped = step_tid;
		/* Another thread's event (a pending one reported first, a breakpoint
		 * of another thread) does not end a step: absorbed, the step is
		 * asked for again. */
		step_tid = stepped && ev.tid != stepped ? stepped : 0;
		switch (ev.kind) {
		case STOP_NONE:
		case STOP_INTERRUPT:
			if (s->interrupted)
				*s->interrupted = 0;
			report_from_event(&ev, REP_BREAKIN, rep);
			return 0;
		case STOP_EXEC:
			{
				struct engine_event e = { .kind = EV_IMAGE_REPLACED, .pid = s->tgt->pid };
				session_emit(s, &e);
			}
			setup_new_image(s, 0);
			continue;
		case STOP_GONE:
			report_from_event(&ev, REP_GONE, rep);
			rep->exit_code = ev.exit_code;
			rep->term_signal = ev.term_signal;
			return 0;
		case STOP_EXIT: {
			/* The final breakpoint is epr's (-G is sxd epr). */
			const struct filter *f = &s->filters.ev[FEV_EXIT_PROCESS];
			if (!event_stops(f))
				continue;
			report_from_event(&ev, REP_EXIT, rep);
			rep->exit_code = ev.exit_code;
			rep->term_signal = ev.term_signal;
			rep->brk = f->brk;
			return 0;
		}
		case STOP_THREAD_CREATED:
		case STOP_THREAD_EXITED:
		case STOP_FORK: {
			enum filter_event fe = ev.kind == STOP_FORK ? FEV_CREATE_PROCESS
					       : ev.kind == STOP_THREAD_CREATED ? FEV_CREATE_THREAD : FEV_EXIT_THREAD;
			const struct filter *f = &s->filters.ev[fe];
			if (!event_stops(f)) {
				if (fe == FEV_CREATE_PROCESS) {
					struct engine_event e = { .kind = EV_FORK, .pid = s->tgt->pid, .tid = ev.tid,
								  .child = ev.new_tid,
								  .notify = f->brk == FILTER_OUTPUT };
					session_emit(s, &e);
				}
				continue;
			}
			report_from_event(&ev, REP_EVENT, rep);
			rep->event = fe;
			rep->brk = f->brk;
			rep->event_tid = fe == FEV_EXIT_THREAD ? ev.tid : ev.new_tid;
			/* A new thread is where the event is shown (it is stopped once all are). */
			if (fe == FEV_CREATE_THREAD)
				rep->tid = ev.new_tid;
			struct target_thread *th = target_thread_by_tid(s->tgt, rep->event_tid);
			rep->event_index = th ? th->index : -1;
			return 0;
		}
		case STOP_TRAP:
		case STOP_SIGNAL: {
			/* The program's own int3 is bpe's; any other signal its own filter's. */
			int trap = ev.kind == STOP_TRAP;
			int sig = trap ? SIGTRAP : ev.signo;
			const struct filter *f = trap ? &s->filters.ev[FEV_BREAK_INSTRUCTION]
						      : filter_for_signal(&s->filters, sig);
			int would_kill = !target_signal_handled(s->tgt, sig) && filter_default_kills(sig);
			int second;
			enum filter_break brk;
			if (!exception_stops(f, would_kill, &second, &brk)) {
				notify_exception(s, f, &ev, trap ? 0 : sig, second);
				/* A thread run alone (exec_run_alone_to) hands it back: its
				 * caller steps again with it, so the handler's first
				 * instruction is reached with the other threads stopped. */
				if (alone && ev.tid == alone && !trap) {
					report_from_event(&ev, REP_SIGNAL, rep);
					rep->signo = sig;
					rep->si_code = ev.si_code;
					rep->fault_addr = ev.fault_addr;
					rep->passed = 1;
					return 0;
				}
				/* The program gets it at once, unless the filter calls it handled. */
				signo = f->handled ? 0 : sig;
				signal_tid = ev.tid;
				if (stepped && ev.tid == stepped)
					step_tid = stepped;
				continue;
			}
			report_from_event(&ev, trap ? REP_TRAP : REP_SIGNAL, rep);
			rep->signo = sig;
			rep->si_code = ev.si_code;
			rep->fault_addr = ev.fault_addr;
			rep->sender_pid = ev.sender_pid;
			rep->sender_uid = ev.sender_uid;
			rep->child_status = ev.child_status;
			rep->second_chance = second;
			rep->brk = brk;
			return 0;
		}
		case STOP_STEP:
		case STOP_WATCH:
		case STOP_BREAKPOINT: {
			enum report_kind internal = ev.kind == STOP_BREAKPOINT && hit_software(&ev)
							    ? internal_stop(s, &ev) : REP_NONE;
			/* Passes count in go mode only; an execute ba stops every time. */
			int go_mode = ev.kind == STOP_WATCH || hit_hw_exec(&ev) || (!stepped && !alone);
			struct bp *c[MAX_HITS];
			int n = bp_collect_hits(&s->bps, &ev, c, MAX_HITS);
			fill_hits(s, &ev, c, n, ev.tid, go_mode, rep);
			if (internal == REP_STEP)
				step_clear(s);
			if (internal != REP_EVENT)
				s->module_stop.pending = 0;	/* only a rendezvous stop can be one */
			if (rep->nhits) {
				s->module_stop.pending = 0;	/* the breakpoint's stop is this one */
				report_from_event(&ev, REP_BREAKPOINT, rep);
				return 0;
			}
			if (internal) {
				report_from_event(&ev, internal, rep);
				if (internal == REP_EVENT)
					take_module_stop(s, rep);
				return 0;
			}
			/* A single step of this thread ended, maybe on a breakpoint's address. */
			if (stepped && ev.tid == stepped &&
			    (ev.kind == STOP_STEP || (ev.kind == STOP_BREAKPOINT && hit_software(&ev)))) {
				report_from_event(&ev, REP_STEP, rep);
				return 0;
			}
			continue;
		}
		}
	}
}

/*
 * The signal the stop left for the program: a signal event's is delivered
 * by g and gn, not gh; the break exception of the program's own int3 only
 * by gn (g and gh treat it as handled, as WinDbg does).
 */
static int signal_for_resume(struct session *s, enum sig_disposition sig)
{
	if (!s->signal_pending || sig == SIG_HANDLED)
		return 0;
	if (sig == SIG_NOT_HANDLED)
		return s->last.signo;
	/* g: as the filter's handling status says (sxe -h: handled). */
	const struct filter *f = session_filter_of_stop(s, &s->last);
	return f && f->handled ? 0 : s->last.signo;
}

static void finish(struct session *s, struct stop_report *rep)
{
	rep->already_reported = rep->kind == REP_GONE && s->last.kind == REP_EXIT;
	clock_gettime(CLOCK_REALTIME, &rep->when);
	s->previp = s->last.pc;
	s->last = *rep;
	s->cur_frame = 0;	/* every stop starts in the innermost frame */
	s->signal_pending = rep->kind == REP_SIGNAL || rep->kind == REP_TRAP;
	if (rep->tid && s->tgt && target_thread_by_tid(s->tgt, rep->tid))
		s->cur_tid = rep->tid;
	if (rep->kind == REP_GONE) {
		step_clear(s);
		bp_forget_target(&s->bps);
	}
}

int exec_run(struct session *s, enum run_mode mode, enum sig_disposition sig,
	     struct stop_report *rep)
{
	if (session_require_process(s) < 0)
		return -1;
	int signo = signal_for_resume(s, sig);
	pid_t tid = s->cur_tid;
	int rc;

	switch (mode) {
	case RUN_GO:
		step_clear(s);
		rc = run(s, RUN_GO, 0, signo, rep);
		break;
	case RUN_STEP_INTO:
		step_clear(s);
		rc = run(s, mode, tid, signo, rep);
		break;
	case RUN_STEP_OVER: {
		step_clear(s);
		uint64_t pc = thread_pc(s, tid);
		uint8_t buf[16];
		int n = target_read(s->tgt, pc, buf, sizeof(buf));
		struct dis_insn in;
		if (n > 0 && dis_decode(buf, (size_t)n, pc, s->tgt->is32, &in) == 0 &&
		    in.flow == DIS_FLOW_CALL) {
			struct regs r;
			if (target_get_regs(s->tgt, tid, &r) < 0 ||
			    step_set(s, RUN_STEP_OVER, pc + in.len, tid, r.r[REG_RSP]) < 0)
				return -1;
			rc = run(s, mode, 0, signo, rep);
		} else {
			rc = run(s, mode, tid, signo, rep);
		}
		break;
	}
	case RUN_GO_UP: {
		step_clear(s);
		uint64_t ra;
		struct regs r;
		if (session_return_address(s, tid, &ra) < 0 || target_get_regs(s->tgt, tid, &r) < 0)
			return err_set("Cannot find the return address of the current function");
		if (step_set(s, RUN_GO_UP, ra, tid, r.r[REG_RSP] + 1) < 0)
			return -1;
		rc = run(s, mode, 0, signo, rep);
		break;
	}
	default:
		return err_set("unknown run mode");
	}
	if (rc < 0)
		return -1;
	finish(s, rep);
	return 0;
}

int exec_run_to(struct session *s, uint64_t addr, enum sig_disposition sig, struct stop_report *rep)
{
	if (session_require_process(s) < 0)
		return -1;
	int signo = signal_for_resume(s, sig);
	if (step_set(s, RUN_GO, addr, 0, 0) < 0)
		return -1;
	if (run(s, RUN_GO, 0, signo, rep) < 0)
		return -1;
	finish(s, rep);
	return 0;
}

int exec_step_checked(struct session *s, enum run_mode mode, enum sig_disposition sig,
		      struct stop_report *rep)
{
	assert(mode == RUN_STEP_INTO || mode == RUN_STEP_OVER);
	if (exec_run(s, mode, sig, rep) < 0)
		return -1;
	if (rep->kind != REP_STEP || !s->tgt || s->tgt->exited)
		return 0;
	struct stop_event at = { .kind = STOP_BREAKPOINT, .tid = rep->tid, .pc = rep->pc, .nhits = 1 };
	at.hits[0] = bp_code_point(rep->pc);
	struct bp *c[MAX_HITS];
	int n = bp_collect_hits(&s->bps, &at, c, MAX_HITS);
	fill_hits(s, &at, c, n, rep->tid, 0, rep);
	if (rep->nhits) {
		rep->kind = REP_BREAKPOINT;
		s->last = *rep;
	}
	return 0;
}

int exec_run_to_frame(struct session *s, uint64_t addr, uint64_t min_sp, struct stop_report *rep)
{
	if (session_require_process(s) < 0)
		return -1;
	if (step_set(s, RUN_GO_UP, addr, s->cur_tid, min_sp) < 0)
		return -1;
	if (run(s, RUN_GO_UP, 0, 0, rep) < 0)
		return -1;
	finish(s, rep);
	return 0;
}

int exec_run_alone_to(struct session *s, const uint64_t *at, int n, struct stop_report *rep)
{
	assert(n == 1 || n == 2);
	if (session_require_process(s) < 0)
		return -1;
	pid_t tid = s->cur_tid;
	if (step_set(s, RUN_STEP_INTO, at[0], tid, 0) < 0)
		return -1;
	if (n == 2) {
		if (code_stop_insert(s, at[1]) < 0) {
			step_clear(s);
			return -1;
		}
		s->step.addr2 = at[1];
		s->step.has_addr2 = 1;
	}
	int rc = run_until_report(s, RUN_STEP_INTO, 0, tid, 0, rep);
	step_clear(s);	/* whatever stopped the run, gc does not go on with it */
	if (rc < 0)
		return -1;
	finish(s, rep);
	return 0;
}

int exec_continue(struct session *s, struct stop_report *rep)
{
	if (session_require_process(s) < 0)
		return -1;
	if (!s->step.active)
		return exec_run(s, RUN_GO, SIG_DEFAULT, rep);
	enum run_mode mode = s->step.mode;
	int rc = run(s, mode, 0, signal_for_resume(s, SIG_DEFAULT), rep);
	if (rc < 0)
		return -1;
	finish(s, rep);
	return 0;
}

int exec_start(struct session *s, struct stop_report *rep)
{
	memset(rep, 0, sizeof(*rep));
	if (s->tgt->attached) {
		setup_new_image(s, 1);
		/* Attached after start-up: the rendezvous is already initialised. */
		s->initial_pending = 0;
		session_refresh_modules(s);
		s->module_stop.pending = 0;	/* attaching is the stop */
		rep->kind = REP_BREAKIN;
		rep->tid = s->tgt->pid;
		rep->pc = thread_pc(s, s->tgt->pid);
		finish(s, rep);
		return 0;
	}
	struct stop_event ev;
	if (target_wait(s->tgt, &ev, NULL) < 0)
		return -1;
	if (ev.kind != STOP_EXEC)
		return err_set("unexpected first event from the new process");
	setup_new_image(s, 1);
	s->last.tid = ev.tid;
	s->cur_tid = ev.tid;
	int rc = run(s, RUN_GO, 0, 0, rep);
	if (rc < 0)
		return -1;
	finish(s, rep);
	return 0;
}
