/*
 * test_exec.c — run control (exec.c) without a process: a session on the
 * fake backend (fake_target.h) is launched, attached, run, stepped and
 * detached while the fake plays a script of what the program does.  What
 * is checked is what a user would see (the stop, its thread, its ids) and
 * what the program would feel (which thread was stepped, which signal it
 * got, whether an int3 was left in its memory).
 *
 * After every test the backend's points are compared with the session's
 * view: each armed breakpoint and each stop of run control holds exactly
 * one reference, and nothing else is inserted (session.c's invariant).
 */
#include <setjmp.h>
#include <signal.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>

#include "engine/session.h"
#include "fake_target.h"

/*
 * The program: main calls func.
 *   ENTRY      e8 3b 00 00 00    call func
 *   AFTER_CALL b8 01 00 00 00    mov eax, 1
 *              31 ff             xor edi, edi
 *   FUNC       55                push rbp
 *              48 89 e5          mov rbp, rsp
 *   FUNC_BODY  b8 02 00 00 00    mov eax, 2
 *              5d                pop rbp
 *   FUNC_RET   c3                ret
 *   DATA       a 4-byte variable
 */
#define BASE 0x400000u
#define ENTRY BASE
#define AFTER_CALL (BASE + 0x05)
#define FUNC (BASE + 0x40)
#define FUNC_BODY (BASE + 0x44)
#define FUNC_RET (BASE + 0x4a)
#define DATA (BASE + 0x1000)
#define T1 FAKE_PID
#define T2 (FAKE_PID + 1)

static const uint8_t code[] = {
	[0x00] = 0xe8, 0x3b, 0x00, 0x00, 0x00,
	[0x05] = 0xb8, 0x01, 0x00, 0x00, 0x00,
	[0x0a] = 0x31, 0xff,
	[0x0c] = 0x90, 0x90, 0x90, 0x90,
	[0x10 ... 0x3f] = 0x90,
	[0x40] = 0x55,
	[0x41] = 0x48, 0x89, 0xe5,
	[0x44] = 0xb8, 0x02, 0x00, 0x00, 0x00,
	[0x49] = 0x5d,
	[0x4a] = 0xc3,
};

static struct session *s;
static struct fake *f;
static struct stop_report rep;
static volatile int interrupted;
static uint64_t sp0;
/* The engine's events, as the listener saw them (messages copied). */
static struct engine_event events[16];
static char event_msgs[16][256];
static int nevents;

static void collect_event(void *user, const struct engine_event *ev)
{
	if (nevents < (int)ARRAY_SIZE(events)) {
		events[nevents] = *ev;
		snprintf(event_msgs[nevents], sizeof(event_msgs[0]), "%s", ev->message ? ev->message : "");
		events[nevents].message = event_msgs[nevents];
		events[nevents].path = NULL;
	}
	nevents++;
}

/* An event of this kind about breakpoint id happened (with this removal, when not NONE). */
static const struct engine_event *event_seen(enum engine_event_kind kind, int id, enum bp_removal why)
{
	for (int i = 0; i < nevents && i < (int)ARRAY_SIZE(events); i++)
		if (events[i].kind == kind && events[i].bp_id == id &&
		    (why == BP_REMOVAL_NONE || events[i].removal == why))
			return &events[i];
	return NULL;
}

static int setup(void **state)
{
	f = fake_new(BASE, code, sizeof(code), ENTRY);
	sp0 = fake_get_reg(f, T1, REG_RSP);
	s = session_new();
	s->backend = &fake_backend;
	s->listener = collect_event;
	s->interrupted = &interrupted;
	interrupted = 0;
	nevents = 0;
	memset(&rep, 0, sizeof(rep));
	return 0;
}

/* Each armed breakpoint and each internal stop holds one reference; nothing else is inserted. */
static void assert_points_match_session(void)
{
	struct point want[64];
	int count[64], n = 0, total = 0;
	struct point internal[3];
	int ninternal = 0;
	if (s->step.active)
		internal[ninternal++] = bp_code_point(s->step.addr);
	if (s->r_brk)
		internal[ninternal++] = bp_code_point(s->r_brk);
	if (s->entry_stop)
		internal[ninternal++] = bp_code_point(s->entry_stop);
	for (int i = 0; i < s->bps.n + ninternal; i++) {
		struct point p;
		if (i < s->bps.n) {
			struct bp *b = s->bps.v[i];
			if (!b->armed)
				continue;
			assert_true(b->enabled && b->resolved);
			p = bp_point(b);
		} else {
			p = internal[i - s->bps.n];
		}
		int k = 0;
		while (k < n && !(want[k].type == p.type && want[k].addr == p.addr && want[k].len == p.len &&
				  want[k].tid == p.tid))
			k++;
		if (k == n) {
			assert_true(n < 64);
			want[n] = p;
			count[n++] = 0;
		}
		count[k]++;
		total++;
	}
	for (int k = 0; k < n; k++)
		assert_int_equal(fake_point_refs(f, &want[k]), count[k]);
	int held = 0;
	for (int i = 0; i < s->tgt->nsites; i++)
		held += s->tgt->sites[i].refs;
	for (int i = 0; i < FAKE_HW_SLOTS; i++)
		held += f->hw_refs[i];
	assert_int_equal(held, total);
}

static int teardown(void **state)
{
	if (f->violations)
		fail_msg("fake backend: %d violation(s), first: %s", f->violations, f->violation);
	if (session_has_process(s))
		assert_points_match_session();
	session_end(s);
	session_free(s);
	return 0;
}

/* Launches the program; the script's first two events are the exec and the entry. */
static void launch(void)
{
	static char *argv[] = { "fake-program", NULL };
	fake_script(f, FAKE_EXEC, T1, ENTRY);
	fake_script_reach(f, T1, ENTRY);
	fake_backend_prepare(f);
	assert_int_equal(session_launch(s, argv, &rep), 0);
	assert_int_equal(rep.kind, REP_INITIAL);
}

static struct bp *add_bp(int id, uint64_t addr)
{
	struct bp *b = bp_new();
	b->id = id;
	b->kind = BP_SOFTWARE;
	b->origin = BP_BP;
	b->addr = addr;
	b->resolved = 1;
	bp_insert(&s->bps, b);
	assert_int_equal(bp_sync(&s->bps, s->tgt, b), 0);
	assert_true(b->armed);
	return b;
}

/* A processor breakpoint; tid: the thread whose debug registers hold it (0: all). */
static struct bp *add_ba_for(int id, enum point_type type, uint64_t addr, int size, pid_t tid)
{
	struct bp *b = bp_new();
	b->id = id;
	b->tid = tid;
	b->kind = BP_HARDWARE;
	b->origin = BP_BA;
	b->type = type;
	b->addr = addr;
	b->size = size;
	b->resolved = 1;
	bp_insert(&s->bps, b);
	assert_int_equal(bp_sync(&s->bps, s->tgt, b), 0);
	assert_true(b->armed);
	return b;
}

static struct bp *add_ba(int id, enum point_type type, uint64_t addr, int size)
{
	return add_ba_for(id, type, addr, size, 0);
}

static void run_mode(enum run_mode mode, enum sig_disposition sig)
{
	if (exec_run(s, mode, sig, &rep) < 0)
		fail_msg("exec_run: %s", err_get());
}

static void go(void)
{
	run_mode(RUN_GO, SIG_DEFAULT);
}

static void clone_t2(void)
{
	fake_script(f, FAKE_CLONE, T2, FUNC);
}

static void assert_hit(pid_t tid, uint64_t pc, int id)
{
	assert_int_equal(rep.kind, REP_BREAKPOINT);
	assert_int_equal(rep.tid, tid);
	assert_int_equal(rep.pc, pc);
	assert_int_equal(rep.nhits, 1);
	assert_int_equal(rep.hit_ids[0], id);
	assert_int_equal(s->cur_tid, tid);
}

static const struct fake_resume *last_resume(void)
{
	assert_true(f->nresumes > 0 && f->nresumes <= FAKE_MAX_RESUMES);
	return &f->resumes[f->nresumes - 1];
}

static uint8_t mem_at(uint64_t addr)
{
	return f->mem[addr - BASE];
}

/* ---- process start ---- */

static void test_launch_stops_at_entry(void **state)
{
	launch();
	assert_int_equal(rep.tid, T1);
	assert_int_equal(rep.pc, ENTRY);
	assert_int_equal(s->cur_tid, T1);
	assert_int_equal(s->exentry, ENTRY);
	/* The process ran once, from its exec to the entry, where run control put its own stop. */
	assert_int_equal(f->nresumes, 1);
	assert_int_equal(last_resume()->req.step_tid, 0);
	assert_int_equal(s->entry_stop, ENTRY);
	assert_int_equal(mem_at(ENTRY), 0xCC);
	uint8_t shown;
	assert_int_equal(session_read(s, ENTRY, &shown, 1), 1);
	assert_int_equal(shown, 0xe8);	/* reads hide it */
	assert_int_equal(fake_script_left(f), 0);
}

static void test_launch_without_initial_break(void **state)
{
	static char *argv[] = { "fake-program", NULL };
	s->no_initial_break = 1;
	fake_script(f, FAKE_EXEC, T1, ENTRY);
	fake_script_reach(f, T1, ENTRY);
	fake_script_exit(f, 3);
	fake_backend_prepare(f);
	assert_int_equal(session_launch(s, argv, &rep), 0);
	assert_int_equal(rep.kind, REP_EXIT);
	assert_int_equal(rep.exit_code, 3);
	assert_int_equal(f->nresumes, 2);	/* the entry stop was absorbed */
}

static void test_launch_needs_exec_first(void **state)
{
	static char *argv[] = { "fake-program", NULL };
	fake_script_signal(f, T1, SIGSEGV, 0);
	fake_backend_prepare(f);
	assert_int_equal(session_launch(s, argv, &rep), -1);
	assert_non_null(strstr(err_get(), "unexpected first event"));
	assert_int_equal(f->nresumes, 0);
	assert_int_equal(fake_points_in_use(f), 0);
}

static void test_attach_breaks_in(void **state)
{
	fake_backend_prepare(f);
	fake_set_reg(f, T1, REG_RIP, FUNC_BODY);
	assert_int_equal(session_attach(s, FAKE_PID, &rep), 0);
	assert_int_equal(rep.kind, REP_BREAKIN);
	assert_int_equal(rep.tid, T1);
	assert_int_equal(rep.pc, FUNC_BODY);
	assert_int_equal(f->nresumes, 0);
	assert_true(s->tgt->attached);
}

/* ---- breakpoints ---- */

static void test_bp_hit_reports_its_id(void **state)
{
	launch();
	struct bp *b = add_bp(3, FUNC_BODY);
	fake_script_reach(f, T1, AFTER_CALL);	/* nothing of ours there: runs through */
	fake_script_reach(f, T1, FUNC_BODY);
	go();
	assert_hit(T1, FUNC_BODY, 3);
	assert_int_equal(f->dropped, 1);
	assert_int_equal(b->hits, 1);
	assert_int_equal(s->last.kind, REP_BREAKPOINT);
}

static void test_bp_command_is_data(void **state)
{
	launch();
	struct bp *b = add_bp(0, FUNC_BODY);
	b->command = xstrdup("r; g");
	fake_script_reach(f, T1, FUNC_BODY);
	fake_script_reach(f, T1, FUNC_BODY);
	int before = f->nresumes;
	go();
	assert_hit(T1, FUNC_BODY, 0);
	/* exec did not run "g": one resume, and the second hit is still to come. */
	assert_int_equal(f->nresumes - before, 1);
	assert_int_equal(fake_script_left(f), 1);
	assert_string_equal(b->command, "r; g");
}

/* A reported stop has every thread stopped; a light hit (constant output,
 * then resume) and absorbed events leave the others running. */
static void test_stop_all_only_for_what_the_user_sees(void **state)
{
	launch();
	struct bp *b = add_bp(0, FUNC_BODY);
	struct bp *other = add_bp(1, AFTER_CALL);
	other->tid = T2;	/* absorbed when T1 hits it */
	fake_script_reach(f, T1, AFTER_CALL);
	fake_script_reach(f, T1, FUNC_BODY);
	int before = f->stop_alls;
	go();
	assert_hit(T1, FUNC_BODY, 0);
	assert_int_equal(f->stop_alls - before, 1);

	b->command = xstrdup(".echo hit; gc");
	b->light_command = 1;
	fake_script_reach(f, T1, FUNC_BODY);
	before = f->stop_alls;
	go();
	assert_hit(T1, FUNC_BODY, 0);
	assert_int_equal(f->stop_alls - before, 0);

	b->light_command = 0;	/* a command that inspects the program */
	fake_script_reach(f, T1, FUNC_BODY);
	before = f->stop_alls;
	go();
	assert_int_equal(f->stop_alls - before, 1);
}

static void test_pass_count_stops_on_third_hit(void **state)
{
	launch();
	struct bp *b = add_bp(0, FUNC_BODY);
	b->passes_init = b->passes_left = 3;
	for (int i = 1; i <= 3; i++)
		fake_event_reg(fake_script_reach(f, T1, FUNC_BODY), REG_RCX, (uint64_t)i);
	int before = f->nresumes;
	go();
	assert_hit(T1, FUNC_BODY, 0);
	assert_int_equal(fake_get_reg(f, T1, REG_RCX), 3);
	assert_int_equal(f->nresumes - before, 3);
	assert_int_equal(b->passes_left, 1);
	assert_int_equal(b->hits, 1);
	/* Each absorbed hit left the thread on the site: the next resume moved it past. */
	for (int i = f->nresumes - 2; i < f->nresumes; i++) {
		assert_int_equal(f->resumes[i].nmoved, 1);
		assert_int_equal(f->resumes[i].moved[0].tid, T1);
		assert_int_equal(f->resumes[i].moved[0].addr, FUNC_BODY);
	}
}

static void test_pass_count_only_in_go_mode(void **state)
{
	launch();
	struct bp *w = add_ba(1, POINT_WATCH_WRITE, DATA, 4);
	w->passes_init = w->passes_left = 3;
	/* t: the stepped instruction writes the variable; a step does not count passes. */
	struct fake_event *e = fake_script_step(f, T1, AFTER_CALL);
	e->addr = DATA;
	e->len = 4;
	e->write = 1;
	run_mode(RUN_STEP_INTO, SIG_DEFAULT);
	assert_hit(T1, AFTER_CALL, 1);
	assert_int_equal(last_resume()->req.step_tid, T1);
	assert_true(last_resume()->req.step_only);
	assert_int_equal(w->passes_left, 3);
	/* g: the third write stops. */
	for (int i = 0; i < 3; i++)
		fake_script_access(f, T1, DATA, 4, 1, FUNC_BODY + 5);
	go();
	assert_hit(T1, FUNC_BODY + 5, 1);
	assert_int_equal(w->passes_left, 1);
	assert_int_equal(fake_script_left(f), 0);
}

static void test_hits_in_two_threads_one_at_a_time(void **state)
{
	launch();
	add_bp(0, FUNC_BODY);
	add_bp(1, FUNC_RET);
	clone_t2();
	fake_script_reach(f, T1, FUNC_BODY);
	fake_script_reach(f, T2, FUNC_RET);
	fake_script_reach(f, T2, FUNC_BODY);
	fake_script_reach(f, T1, FUNC_BODY);
	go();
	assert_hit(T1, FUNC_BODY, 0);
	go();
	assert_hit(T2, FUNC_RET, 1);
	assert_int_equal(last_resume()->moved[0].tid, T1);	/* the reporting thread moved past its site */
	go();
	assert_hit(T2, FUNC_BODY, 0);
	assert_int_equal(last_resume()->moved[0].tid, T2);
	assert_int_equal(last_resume()->moved[0].addr, FUNC_RET);
	go();
	assert_hit(T1, FUNC_BODY, 0);
	assert_int_equal(bp_find(&s->bps, 0)->hits, 3);
	assert_int_equal(bp_find(&s->bps, 1)->hits, 1);
}

static void test_other_threads_bp_is_absorbed(void **state)
{
	launch();
	struct bp *b = add_bp(0, FUNC_BODY);
	b->tid = T2;
	clone_t2();
	fake_script_reach(f, T1, FUNC_BODY);
	fake_script_reach(f, T2, FUNC_BODY);
	int before = f->nresumes;
	go();
	assert_hit(T2, FUNC_BODY, 0);
	assert_int_equal(f->nresumes - before, 2);
	/* T1 was resumed past the int3 it hit; the int3 stayed for T2. */
	assert_int_equal(last_resume()->moved[0].tid, T1);
	assert_int_equal(last_resume()->moved[0].addr, FUNC_BODY);
	assert_int_equal(b->hits, 1);
	assert_int_equal(mem_at(FUNC_BODY), 0xCC);
}

static void test_thread_execute_ba_is_per_thread(void **state)
{
	launch();
	clone_t2();
	add_ba_for(0, POINT_HW_EXEC, FUNC, 1, T2);
	fake_script_reach(f, T1, FUNC);	/* T1's debug registers do not have it */
	fake_script_reach(f, T2, FUNC);
	go();
	assert_hit(T2, FUNC, 0);
	assert_int_equal(f->dropped, 1);
}

static int cond_calls;
static pid_t cond_tid;

/* A /w condition "@rax == 5", evaluated in the hit thread. */
static int rax_is_5(struct session *ss, void *cond, pid_t tid, int *result)
{
	struct regs r;
	cond_calls++;
	cond_tid = tid;
	assert_ptr_equal(cond, &cond_calls);
	if (session_get_regs(ss, tid, &r) < 0)
		return -1;
	*result = r.r[REG_RAX] == 5;
	return 0;
}

static int cond_fails(struct session *ss, void *cond, pid_t tid, int *result)
{
	cond_calls++;
	return err_set("no symbol named counter");
}

static void test_condition_true_and_false(void **state)
{
	launch();
	s->cond_eval = rax_is_5;
	s->bps.free_cond = NULL;
	cond_calls = 0;
	struct bp *b = add_bp(0, FUNC_BODY);
	b->cond = &cond_calls;
	b->passes_init = b->passes_left = 2;
	fake_event_reg(fake_script_reach(f, T1, FUNC_BODY), REG_RAX, 5);	/* true: uses a pass */
	fake_event_reg(fake_script_reach(f, T1, FUNC_BODY), REG_RAX, 1);	/* false: no pass */
	fake_event_reg(fake_script_reach(f, T1, FUNC_BODY), REG_RAX, 5);	/* true: stops */
	go();
	assert_hit(T1, FUNC_BODY, 0);
	assert_int_equal(cond_calls, 3);
	assert_int_equal(cond_tid, T1);
	assert_int_equal(fake_get_reg(f, T1, REG_RAX), 5);
	assert_int_equal(b->passes_left, 1);
	assert_int_equal(fake_script_left(f), 0);
	b->cond = NULL;
}

static void test_condition_error_stops_with_a_note(void **state)
{
	launch();
	s->cond_eval = cond_fails;
	s->bps.free_cond = NULL;
	cond_calls = 0;
	struct bp *b = add_bp(2, FUNC_BODY);
	b->cond = &cond_calls;
	fake_script_reach(f, T1, FUNC_BODY);
	go();
	assert_hit(T1, FUNC_BODY, 2);
	assert_int_equal(cond_calls, 1);
	const struct engine_event *e = event_seen(EV_BP_CONDITION_FAILED, 2, BP_REMOVAL_NONE);
	assert_non_null(e);
	assert_string_equal(e->message, "no symbol named counter");
	b->cond = NULL;
}

static void test_watch_hit_is_the_ba(void **state)
{
	launch();
	add_bp(0, FUNC_BODY);
	add_ba(1, POINT_WATCH_WRITE, DATA, 4);
	clone_t2();
	fake_script_access(f, T1, DATA, 4, 0, FUNC + 1);	/* a load: a write watch does not see it */
	fake_script_access(f, T2, DATA + 2, 1, 1, FUNC_RET);
	go();
	assert_hit(T2, FUNC_RET, 1);
	assert_int_equal(f->dropped, 1);
	assert_int_equal(bp_find(&s->bps, 0)->hits, 0);
}

static void test_sw_and_execute_ba_at_one_pc(void **state)
{
	launch();
	add_bp(0, FUNC_BODY);
	add_ba(1, POINT_HW_EXEC, FUNC_BODY, 1);
	fake_script_reach(f, T1, FUNC_BODY);
	go();
	/* One execution hits both; both are reported in id order. */
	assert_int_equal(rep.kind, REP_BREAKPOINT);
	assert_int_equal(rep.nhits, 2);
	assert_int_equal(rep.hit_ids[0], 0);
	assert_int_equal(rep.hit_ids[1], 1);
}

/* ---- signals ---- */

static void test_handled_signal_passes_silently(void **state)
{
	launch();
	add_bp(0, FUNC_BODY);
	fake_set_handled(f, SIGUSR1, 1);
	clone_t2();
	fake_script_signal(f, T2, SIGUSR1, 0);
	fake_script_signal(f, T1, SIGCHLD, 0);	/* not caught, but ignored by default */
	fake_script_reach(f, T1, FUNC_BODY);
	int before = f->nresumes;
	go();
	assert_hit(T1, FUNC_BODY, 0);
	assert_int_equal(f->nresumes - before, 3);
	assert_int_equal(f->resumes[before + 1].req.signal_tid, T2);
	assert_int_equal(f->resumes[before + 1].req.signo, SIGUSR1);
	assert_int_equal(f->resumes[before + 2].req.signal_tid, T1);
	assert_int_equal(f->resumes[before + 2].req.signo, SIGCHLD);
	assert_int_equal(f->resumes[before].req.signo, 0);
	assert_false(s->signal_pending);
}

static void test_sigsegv_first_and_second_chance(void **state)
{
	launch();
	fake_set_handled(f, SIGSEGV, 1);
	clone_t2();
	fake_script_signal(f, T2, SIGSEGV, 0x10);
	/* After its handler, T2 runs through the entry's int3, which only run control holds. */
	fake_script_reach(f, T2, ENTRY);
	go();
	assert_int_equal(rep.kind, REP_SIGNAL);
	assert_int_equal(rep.tid, T2);
	assert_int_equal(rep.signo, SIGSEGV);
	assert_int_equal(rep.fault_addr, 0x10);
	assert_false(rep.second_chance);	/* the program has a handler */
	assert_true(s->signal_pending);
	/* g hands it to the program's handler, in the thread that faulted. */
	fake_set_handled(f, SIGSEGV, 0);
	fake_script_signal(f, T2, SIGSEGV, 0x10);
	go();
	assert_int_equal(f->resumes[f->nresumes - 2].req.signal_tid, T2);
	assert_int_equal(f->resumes[f->nresumes - 2].req.signo, SIGSEGV);
	/* The handler is gone now: the same fault would kill it. */
	assert_int_equal(rep.kind, REP_SIGNAL);
	assert_true(rep.second_chance);
	/* gh: the fault is suppressed. */
	fake_script_reach(f, T2, ENTRY);
	fake_script_exit(f, 0);
	run_mode(RUN_GO, SIG_HANDLED);
	assert_int_equal(rep.kind, REP_EXIT);
	assert_int_equal(f->resumes[f->nresumes - 2].req.signo, 0);
}

static void test_unhandled_signal_that_kills_is_reported(void **state)
{
	launch();
	fake_script_signal(f, T1, SIGUSR2, 0);
	go();
	assert_int_equal(rep.kind, REP_SIGNAL);
	assert_int_equal(rep.signo, SIGUSR2);
	assert_true(rep.second_chance);
}

/* sx: the filters decide; a handled filter suppresses, commands make a stop of their own. */
static void set_filter(int signo, enum filter_break brk, int handled, const char *cmd1)
{
	struct filter_change ch = { .set_break = 1, .brk = brk, .set_handled = 1, .handled = handled,
				    .cmd1 = cmd1 };
	assert_int_equal(session_filter_change(s, (struct filter_key){ FKEY_SIGNAL, signo }, &ch), 0);
}

static void test_filters_decide_signals(void **state)
{
	launch();
	add_bp(0, FUNC_BODY);
	fake_set_handled(f, SIGUSR1, 1);
	/* sxi with -h handled: not shown, not delivered. */
	set_filter(SIGUSR1, FILTER_IGNORE, 1, NULL);
	fake_script_signal(f, T1, SIGUSR1, 0);
	fake_script_reach(f, T1, FUNC_BODY);
	int before = f->nresumes;
	go();
	assert_hit(T1, FUNC_BODY, 0);
	assert_int_equal(f->resumes[before + 1].req.signal_tid, T1);
	assert_int_equal(f->resumes[before + 1].req.signo, 0);
	/* sxe: a first-chance stop although the program handles it; g then delivers it. */
	set_filter(SIGUSR1, FILTER_BREAK, 0, NULL);
	fake_script_signal(f, T1, SIGUSR1, 0);
	go();
	assert_int_equal(rep.kind, REP_SIGNAL);
	assert_int_equal(rep.brk, FILTER_BREAK);
	assert_false(rep.second_chance);
	fake_script_reach(f, T1, FUNC_BODY);
	before = f->nresumes;
	go();
	assert_hit(T1, FUNC_BODY, 0);
	assert_int_equal(f->resumes[before].req.signal_tid, T1);
	assert_int_equal(f->resumes[before].req.signo, SIGUSR1);
	/* sxn with a command: a stop for the command only (brk says output). */
	set_filter(SIGUSR1, FILTER_OUTPUT, 0, ".echo x");
	fake_script_signal(f, T1, SIGUSR1, 0);
	go();
	assert_int_equal(rep.kind, REP_SIGNAL);
	assert_int_equal(rep.brk, FILTER_OUTPUT);
	/* sxd, no handler: the second chance is this stop. */
	fake_set_handled(f, SIGUSR2, 0);
	set_filter(SIGUSR2, FILTER_SECOND_CHANCE, 0, NULL);
	fake_script_signal(f, T1, SIGUSR2, 0);
	go();
	assert_int_equal(rep.kind, REP_SIGNAL);
	assert_int_equal(rep.signo, SIGUSR2);
	assert_true(rep.second_chance);
	assert_int_equal(rep.brk, FILTER_BREAK);
}

/* ---- resuming and stepping ---- */

static void test_go_moves_event_thread_past_site(void **state)
{
	launch();
	add_bp(0, FUNC_BODY);
	fake_script_reach(f, T1, FUNC_BODY);
	fake_script_signal(f, T1, SIGSEGV, 0);
	go();
	assert_hit(T1, FUNC_BODY, 0);
	go();
	const struct fake_resume *r = last_resume();
	assert_int_equal(r->nmoved, 1);
	assert_int_equal(r->moved[0].tid, T1);
	assert_int_equal(r->moved[0].addr, FUNC_BODY);
	assert_int_equal(r->req.step_tid, 0);
	/* It executed mov eax, 2 (5 bytes) and faulted after it; the int3 stays. */
	assert_int_equal(rep.kind, REP_SIGNAL);
	assert_int_equal(rep.pc, FUNC_BODY + 5);
	assert_int_equal(mem_at(FUNC_BODY), 0xCC);
	assert_true(bp_find(&s->bps, 0)->armed);
}

static void test_step_into(void **state)
{
	launch();
	clone_t2();
	fake_script_reach(f, T2, ENTRY);	/* T2 must not run while T1 steps */
	fake_script_step(f, T1, FUNC);
	run_mode(RUN_STEP_INTO, SIG_DEFAULT);
	assert_int_equal(rep.kind, REP_STEP);
	assert_int_equal(rep.tid, T1);
	assert_int_equal(rep.pc, FUNC);
	assert_int_equal(last_resume()->req.step_tid, T1);
	assert_true(last_resume()->req.step_only);
	assert_int_equal(fake_script_left(f), 2);	/* T2's start and its reach are still to come */
	/* g: T2 runs now and hits the entry's int3, which only run control holds. */
	fake_script_exit(f, 0);
	go();
	assert_int_equal(rep.kind, REP_EXIT);
}

static void test_step_over_call(void **state)
{
	launch();
	clone_t2();
	/* T2 reaches the return address: not the stepping thread. */
	fake_script_reach(f, T2, AFTER_CALL);
	/* T1 reaches it in a deeper frame (func recursed): not the p's frame. */
	fake_event_reg(fake_script_reach(f, T1, AFTER_CALL), REG_RSP, sp0 - 0x40);
	/* func returned: the stack is back where the call was made. */
	fake_event_reg(fake_script_reach(f, T1, AFTER_CALL), REG_RSP, sp0);
	run_mode(RUN_STEP_OVER, SIG_DEFAULT);
	assert_int_equal(rep.kind, REP_STEP);
	assert_int_equal(rep.tid, T1);
	assert_int_equal(rep.pc, AFTER_CALL);
	assert_int_equal(fake_script_left(f), 0);
	/* The call ran with every thread free (no single step), T1 moved past the entry's int3. */
	assert_int_equal(f->resumes[1].req.step_tid, 0);
	assert_int_equal(f->resumes[1].moved[0].tid, T1);
	assert_int_equal(f->resumes[1].moved[0].addr, ENTRY);
	/* The temporary stop is gone from memory. */
	assert_false(s->step.active);
	assert_int_equal(mem_at(AFTER_CALL), 0xb8);
}

static void test_step_over_call_hits_bp_then_gc_finishes(void **state)
{
	launch();
	add_bp(0, FUNC_BODY);
	fake_script_reach(f, T1, FUNC_BODY);
	fake_event_reg(fake_script_reach(f, T1, AFTER_CALL), REG_RSP, sp0);
	run_mode(RUN_STEP_OVER, SIG_DEFAULT);
	assert_hit(T1, FUNC_BODY, 0);
	assert_int_equal(rep.mode, RUN_STEP_OVER);
	assert_true(s->step.active);
	assert_int_equal(exec_continue(s, &rep), 0);
	assert_int_equal(rep.kind, REP_STEP);
	assert_int_equal(rep.pc, AFTER_CALL);
	assert_false(s->step.active);
}

/* A signal the program handles, arriving while T1 steps alone, goes with
 * a step again: T2 stays stopped and the step ends in the handler. */
static void test_signal_during_step_stays_a_step(void **state)
{
	launch();
	clone_t2();
	fake_script_reach(f, T2, ENTRY);	/* T2 must not run */
	fake_set_handled(f, SIGUSR1, 1);
	fake_script_signal(f, T1, SIGUSR1, 0);
	fake_script_step(f, T1, FUNC);
	int before = f->nresumes;
	run_mode(RUN_STEP_INTO, SIG_DEFAULT);
	assert_int_equal(rep.kind, REP_STEP);
	assert_int_equal(rep.pc, FUNC);
	assert_int_equal(f->nresumes - before, 2);
	assert_int_equal(last_resume()->req.step_tid, T1);
	assert_true(last_resume()->req.step_only);
	assert_int_equal(last_resume()->req.signal_tid, T1);
	assert_int_equal(last_resume()->req.signo, SIGUSR1);
	assert_int_equal(fake_script_left(f), 2);	/* T2's start and its reach */
}

/* A checked step that ends on a breakpoint's address reports the hit there
 * (no pass counted); a plain step shows the step. */
static void test_checked_step_reports_bp_where_it_lands(void **state)
{
	launch();
	struct bp *b = add_bp(0, FUNC);
	b->passes_init = b->passes_left = 3;
	fake_script_step(f, T1, FUNC);
	run_mode(RUN_STEP_INTO, SIG_DEFAULT);
	assert_int_equal(rep.kind, REP_STEP);
	assert_int_equal(b->hits, 0);
	fake_set_reg(f, T1, REG_RIP, ENTRY);
	fake_script_step(f, T1, FUNC);
	assert_int_equal(exec_step_checked(s, RUN_STEP_INTO, SIG_DEFAULT, &rep), 0);
	assert_hit(T1, FUNC, 0);
	assert_int_equal(s->last.kind, REP_BREAKPOINT);
	assert_int_equal(b->hits, 1);
	assert_int_equal(b->passes_left, 3);
}

/* Run alone: only T1 runs, freely, to the stop; a signal it would be handed
 * ends the run instead, and the next step delivers it. */
static void test_run_alone_to_an_address(void **state)
{
	launch();
	clone_t2();
	fake_script_reach(f, T2, ENTRY);	/* T2 must not run */
	fake_script_reach(f, T1, FUNC_BODY);
	uint64_t at[2] = { FUNC_RET, FUNC_BODY };
	assert_int_equal(exec_run_alone_to(s, at, 2, &rep), 0);
	assert_int_equal(rep.kind, REP_STEP);
	assert_int_equal(rep.tid, T1);
	assert_int_equal(rep.pc, FUNC_BODY);
	assert_int_equal(last_resume()->req.step_tid, T1);
	assert_true(last_resume()->req.step_only);
	assert_true(last_resume()->req.run_alone);
	assert_false(s->step.active);
	assert_int_equal(mem_at(FUNC_BODY), 0xb8);
	assert_int_equal(mem_at(FUNC_RET), 0xc3);

	fake_set_handled(f, SIGUSR1, 1);
	fake_script_signal(f, T1, SIGUSR1, 0);
	at[0] = FUNC_RET;
	assert_int_equal(exec_run_alone_to(s, at, 1, &rep), 0);
	assert_int_equal(rep.kind, REP_SIGNAL);
	assert_true(rep.passed);
	assert_true(s->signal_pending);
	assert_false(s->step.active);
	fake_script_step(f, T1, FUNC_BODY + 5);
	assert_int_equal(exec_step_checked(s, RUN_STEP_INTO, SIG_DEFAULT, &rep), 0);
	assert_int_equal(rep.kind, REP_STEP);
	assert_int_equal(last_resume()->req.signo, SIGUSR1);
	assert_int_equal(fake_script_left(f), 2);
}

static void test_go_after_interrupted_p_abandons_it(void **state)
{
	launch();
	add_bp(0, FUNC_BODY);
	fake_script_reach(f, T1, FUNC_BODY);
	fake_event_reg(fake_script_reach(f, T1, AFTER_CALL), REG_RSP, sp0);
	fake_script_exit(f, 0);
	run_mode(RUN_STEP_OVER, SIG_DEFAULT);
	assert_hit(T1, FUNC_BODY, 0);
	go();
	/* g forgot the p: the return address runs through. */
	assert_int_equal(rep.kind, REP_EXIT);
	assert_int_equal(f->dropped, 1);
}

static void test_go_to_address_any_thread(void **state)
{
	launch();
	clone_t2();
	fake_script_reach(f, T2, FUNC_RET);
	if (exec_run_to(s, FUNC_RET, SIG_DEFAULT, &rep) < 0)
		fail_msg("exec_run_to: %s", err_get());
	assert_int_equal(rep.kind, REP_STEP);
	assert_int_equal(rep.tid, T2);
	assert_int_equal(rep.pc, FUNC_RET);
	assert_int_equal(s->cur_tid, T2);
	assert_int_equal(mem_at(FUNC_RET), 0xc3);
}

static void test_go_up_without_symbols_changes_nothing(void **state)
{
	launch();
	int before = f->nresumes;
	int points = fake_points_in_use(f);
	assert_int_equal(exec_run(s, RUN_GO_UP, SIG_DEFAULT, &rep), -1);
	assert_non_null(strstr(err_get(), "return address"));
	assert_int_equal(f->nresumes, before);
	assert_int_equal(fake_points_in_use(f), points);
	assert_false(s->step.active);
}

/* ---- other stops, the end, detach ---- */

static void test_breakin_and_program_trap(void **state)
{
	launch();
	fake_script(f, FAKE_INTERRUPT, T1, 0);
	fake_script(f, FAKE_TRAP, T1, FUNC_BODY + 1);
	go();
	assert_int_equal(rep.kind, REP_BREAKIN);
	assert_int_equal(interrupted, 0);	/* the break-in was consumed */
	go();
	assert_int_equal(rep.kind, REP_TRAP);
	assert_int_equal(rep.pc, FUNC_BODY + 1);
}

static void test_exit_then_gone(void **state)
{
	launch();
	struct bp *b = add_bp(0, FUNC_BODY);
	fake_script_exit(f, 7);
	go();
	assert_int_equal(rep.kind, REP_EXIT);
	assert_int_equal(rep.exit_code, 7);
	assert_true(session_has_process(s));
	assert_points_match_session();
	go();
	assert_int_equal(rep.kind, REP_GONE);
	assert_int_equal(rep.exit_code, 7);
	assert_true(rep.already_reported);
	assert_false(session_has_process(s));
	assert_false(b->armed);
	assert_int_equal(exec_run(s, RUN_GO, SIG_DEFAULT, &rep), -1);
	assert_non_null(strstr(err_get(), "No process"));
	assert_int_equal(f->nresumes, 3);
}

static void test_killed_without_final_break(void **state)
{
	launch();
	/* -G: sxd epr. */
	struct filter_change ch = { .set_break = 1, .brk = FILTER_SECOND_CHANCE };
	session_filter_change(s, (struct filter_key){ FKEY_EVENT, FEV_EXIT_PROCESS }, &ch);
	fake_script(f, FAKE_EXIT, T1, 0)->code = -1;
	fake_script(f, FAKE_GONE, T1, 0)->signo = SIGKILL;
	go();
	assert_int_equal(rep.kind, REP_GONE);
	assert_int_equal(rep.term_signal, SIGKILL);
	assert_false(rep.already_reported);
}

static void test_read_watch_sees_loads_only(void **state)
{
	launch();
	add_ba(1, POINT_WATCH_READ, DATA, 4);
	add_ba(2, POINT_WATCH_RW, DATA + 8, 4);
	/* A store to the load watch's bytes runs on; the load after it stops. */
	fake_script_access(f, T1, DATA, 4, 1, FUNC_BODY + 5);
	fake_script_access(f, T1, DATA, 4, 0, FUNC_RET);
	go();
	assert_hit(T1, FUNC_RET, 1);
	assert_int_equal(rep.hit_rw[0], POINT_ACCESS_READ);
	/* ba r names what it saw, as the backend tells it. */
	fake_script_access(f, T1, DATA + 8, 4, 1, FUNC_BODY + 5);
	go();
	assert_hit(T1, FUNC_BODY + 5, 2);
	assert_int_equal(rep.hit_rw[0], POINT_ACCESS_WRITE);
	assert_int_equal(rep.by_syscall, 0);
	assert_int_equal(fake_script_left(f), 0);
}

static void test_exec_replaces_image(void **state)
{
	launch();
	add_bp(0, FUNC_BODY);
	struct bp *w = add_ba(1, POINT_WATCH_WRITE, DATA, 4);
	fake_script(f, FAKE_EXEC, T1, ENTRY);
	fake_script_reach(f, T1, ENTRY);	/* the new image's entry: not a second initial stop */
	fake_script_access(f, T1, DATA, 4, 1, FUNC_RET);
	go();
	assert_hit(T1, FUNC_RET, 1);
	assert_null(bp_find(&s->bps, 0));
	assert_non_null(event_seen(EV_BP_REMOVED, 0, BP_REMOVAL_EXEC));
	assert_non_null(event_seen(EV_BP_REARMED, 1, BP_REMOVAL_NONE));
	assert_true(w->armed);
	assert_int_equal(mem_at(FUNC_BODY), 0xb8);
}

static void test_detach_removes_every_point(void **state)
{
	launch();
	struct bp *b[5];
	b[0] = add_bp(0, FUNC_BODY);
	b[1] = add_bp(1, FUNC_BODY);
	b[2] = add_bp(2, FUNC_RET);
	b[3] = add_ba(3, POINT_HW_EXEC, FUNC, 1);
	b[4] = add_ba(4, POINT_WATCH_RW, DATA, 8);
	/* A p interrupted by a breakpoint, then a fault: run control's stop is in place too. */
	fake_script_reach(f, T1, FUNC_BODY);
	fake_script_signal(f, T1, SIGSEGV, 0);
	run_mode(RUN_STEP_OVER, SIG_DEFAULT);
	assert_int_equal(rep.nhits, 2);
	assert_int_equal(exec_continue(s, &rep), 0);
	assert_int_equal(rep.kind, REP_SIGNAL);
	assert_true(s->step.active);
	assert_true(fake_count_cc(f) >= 4);
	assert_int_equal(fake_hw_in_use(f), 2);
	assert_points_match_session();

	assert_int_equal(session_detach(s), 0);
	assert_true(f->detached);
	assert_int_equal(f->points_at_detach, 0);	/* removed before the detach itself */
	assert_int_equal(f->detach_signo, SIGSEGV);	/* the program gets its pending fault */
	assert_int_equal(fake_count_cc(f), 0);
	assert_int_equal(fake_hw_in_use(f), 0);
	assert_memory_equal(f->mem, code, sizeof(code));
	for (int i = 0; i < 5; i++)
		assert_false(b[i]->armed);
	assert_false(session_has_process(s));
}

int main(void)
{
#define T(name) cmocka_unit_test_setup_teardown(name, setup, teardown)
	const struct CMUnitTest tests[] = {
		T(test_launch_stops_at_entry),
		T(test_launch_without_initial_break),
		T(test_launch_needs_exec_first),
		T(test_attach_breaks_in),
		T(test_bp_hit_reports_its_id),
		T(test_bp_command_is_data),
		T(test_stop_all_only_for_what_the_user_sees),
		T(test_pass_count_stops_on_third_hit),
		T(test_pass_count_only_in_go_mode),
		T(test_hits_in_two_threads_one_at_a_time),
		T(test_other_threads_bp_is_absorbed),
		T(test_thread_execute_ba_is_per_thread),
		T(test_condition_true_and_false),
		T(test_condition_error_stops_with_a_note),
		T(test_watch_hit_is_the_ba),
		T(test_sw_and_execute_ba_at_one_pc),
		T(test_handled_signal_passes_silently),
		T(test_sigsegv_first_and_second_chance),
		T(test_unhandled_signal_that_kills_is_reported),
		T(test_filters_decide_signals),
		T(test_go_moves_event_thread_past_site),
		T(test_step_into),
		T(test_step_over_call),
		T(test_step_over_call_hits_bp_then_gc_finishes),
		T(test_signal_during_step_stays_a_step),
		T(test_checked_step_reports_bp_where_it_lands),
		T(test_run_alone_to_an_address),
		T(test_go_after_interrupted_p_abandons_it),
		T(test_go_to_address_any_thread),
		T(test_go_up_without_symbols_changes_nothing),
		T(test_breakin_and_program_trap),
		T(test_exit_then_gone),
		T(test_killed_without_final_break),
		T(test_read_watch_sees_loads_only),
		T(test_exec_replaces_image),
		T(test_detach_removes_every_point),
	};
#undef T
	return cmocka_run_group_tests(tests, NULL, NULL);
}
