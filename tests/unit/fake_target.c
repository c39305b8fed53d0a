/*
 * fake_target.c — the scriptable in-memory backend of fake_target.h: how
 * script entries become stop events (only points really inserted catch
 * anything), how resumes are recorded, and the protocol checks.
 */
#include "fake_target.h"

#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "util/util.h"
#include "x86/dis.h"

struct fake_thread {
	struct regs regs;
};

static struct fake *FK(struct target *t)
{
	return t->backend;
}

struct fake *fake_of(struct target *t)
{
	return FK(t);
}

static void violate(struct fake *f, const char *fmt, ...) PRINTF_LIKE(2, 3);
static void violate(struct fake *f, const char *fmt, ...)
{
	if (!f->violations++) {
		va_list ap;
		va_start(ap, fmt);
		vsnprintf(f->violation, sizeof(f->violation), fmt, ap);
		va_end(ap);
	}
}

static struct fake_thread *thread_of(struct target *t, pid_t tid)
{
	struct target_thread *th = target_thread_by_tid(t, tid);
	return th ? th->backend : NULL;
}

/* ---- memory ---- */

static int in_mem(const struct fake *f, uint64_t addr, size_t n)
{
	return addr >= f->base && addr - f->base <= FAKE_MEM_SIZE && n <= FAKE_MEM_SIZE - (addr - f->base);
}

static int fake_read(struct target *t, uint64_t addr, void *buf, size_t n)
{
	struct fake *f = FK(t);
	if (addr < f->base || addr >= f->base + FAKE_MEM_SIZE)
		return err_set("Memory access error at %llx", (unsigned long long)addr);
	size_t avail = f->base + FAKE_MEM_SIZE - addr;
	size_t k = n < avail ? n : avail;
	memcpy(buf, f->mem + (addr - f->base), k);
	return (int)k;
}

static int fake_write(struct target *t, uint64_t addr, const void *buf, size_t n)
{
	struct fake *f = FK(t);
	if (!in_mem(f, addr, n))
		return err_set("Memory write error at %llx", (unsigned long long)addr);
	memcpy(f->mem + (addr - f->base), buf, n);
	return 0;
}

/* The fake has no page protections: the program may touch all of its memory. */
static int fake_read_as_program(struct target *t, uint64_t addr, void *buf, size_t n)
{
	return in_mem(FK(t), addr, n) && fake_read(t, addr, buf, n) == (int)n ? 0 : -1;
}

static int fake_write_as_program(struct target *t, uint64_t addr, const void *buf, size_t n)
{
	return fake_write(t, addr, buf, n);
}

/* ---- registers ---- */

static int fake_get_regs(struct target *t, pid_t tid, struct regs *r)
{
	struct fake_thread *ft = thread_of(t, tid);
	if (!ft)
		return err_set("No such thread %d", (int)tid);
	*r = ft->regs;
	return 0;
}

static int fake_set_regs(struct target *t, pid_t tid, const struct regs *r)
{
	struct fake_thread *ft = thread_of(t, tid);
	if (!ft)
		return err_set("No such thread %d", (int)tid);
	ft->regs = *r;
	return 0;
}

/* ---- points ---- */

static int same_point(const struct point *a, const struct point *b)
{
	return a->type == b->type && a->addr == b->addr && a->len == b->len && a->tid == b->tid;
}

static int fake_check_point(struct target *t, const struct point *p)
{
	if (p->type == POINT_SOFTWARE)
		return in_mem(FK(t), p->addr, 1) ? 0 : err_set("Memory access error");
	if (p->len != 1 && p->len != 2 && p->len != 4 && p->len != 8)
		return err_set("Size must be 1, 2, 4 or 8");
	if (p->addr % (uint64_t)p->len)
		return err_set("Address must be aligned to the size");
	return 0;
}

static int fake_insert_point(struct target *t, const struct point *p)
{
	struct fake *f = FK(t);
	if (p->type == POINT_SOFTWARE)
		return target_sw_insert(t, p->addr);
	if (fake_check_point(t, p) < 0)
		return -1;
	for (int i = 0; i < FAKE_HW_SLOTS; i++)
		if (f->hw_refs[i] && same_point(&f->hw[i], p))
			return f->hw_refs[i]++, 0;
	for (int i = 0; i < FAKE_HW_SLOTS; i++) {
		if (!f->hw_refs[i]) {
			f->hw[i] = *p;
			f->hw_refs[i] = 1;
			return 0;
		}
	}
	return err_set("Too many processor breakpoints: the fake has %d slots, all in use", FAKE_HW_SLOTS);
}

static int fake_remove_point(struct target *t, const struct point *p)
{
	struct fake *f = FK(t);
	if (p->type == POINT_SOFTWARE) {
		if (!target_sw_find(t, p->addr))
			violate(f, "remove of software point %llx that is not inserted",
				(unsigned long long)p->addr);
		return target_sw_remove(t, p->addr);
	}
	for (int i = 0; i < FAKE_HW_SLOTS; i++)
		if (f->hw_refs[i] && same_point(&f->hw[i], p))
			return f->hw_refs[i]--, 0;
	violate(f, "remove of hardware point %llx that is not inserted", (unsigned long long)p->addr);
	return err_set("No matching processor breakpoint to remove");
}

static int fake_remove_all(struct target *t)
{
	struct fake *f = FK(t);
	memset(f->hw_refs, 0, sizeof(f->hw_refs));
	return target_sw_remove_all(t);
}

int fake_hw_in_use(const struct fake *f)
{
	int n = 0;
	for (int i = 0; i < FAKE_HW_SLOTS; i++)
		n += f->hw_refs[i] != 0;
	return n;
}

int fake_points_in_use(const struct fake *f)
{
	return f->t->nsites + fake_hw_in_use(f);
}

int fake_point_refs(const struct fake *f, const struct point *p)
{
	if (p->type == POINT_SOFTWARE) {
		const struct sw_site *s = target_sw_find(f->t, p->addr);
		return s ? s->refs : 0;
	}
	for (int i = 0; i < FAKE_HW_SLOTS; i++)
		if (f->hw_refs[i] && same_point(&f->hw[i], p))
			return f->hw_refs[i];
	return 0;
}

int fake_count_cc(const struct fake *f)
{
	int n = 0;
	for (unsigned i = 0; i < FAKE_MEM_SIZE; i++)
		n += f->mem[i] == 0xCC;
	return n;
}

/* ---- run control ---- */

static int at_inserted_site(struct target *t, pid_t tid)
{
	struct fake_thread *ft = thread_of(t, tid);
	if (!ft)
		return 0;
	const struct sw_site *s = target_sw_find(t, ft->regs.r[REG_RIP]);
	return s && s->inserted;
}

/* Moves tid past the instruction under our int3 (the int3 stays), as a real backend does. */
static void move_past_site(struct target *t, pid_t tid, struct fake_resume *rec)
{
	struct fake_thread *ft = thread_of(t, tid);
	uint64_t pc = ft->regs.r[REG_RIP];
	uint8_t buf[16];
	struct dis_insn in;
	int n = target_read(t, pc, buf, sizeof(buf));
	unsigned len = n > 0 && dis_decode(buf, (size_t)n, pc, t->is32, &in) == 0 ? in.len : 1;
	ft->regs.r[REG_RIP] = pc + len;
	rec->moved[rec->nmoved].tid = tid;
	rec->moved[rec->nmoved].addr = pc;
	rec->nmoved++;
}

static int fake_resume(struct target *t, const struct resume_req *req)
{
	struct fake *f = FK(t);
	if (t->exited) {
		violate(f, "resume of a process that is gone");
		return err_set("No process");
	}
	if (f->running)
		violate(f, "resume twice without a wait");
	if (req->step_tid && !target_thread_by_tid(t, req->step_tid))
		return err_set("No such thread");
	struct fake_resume rec = { .req = *req };
	struct target_thread *ev_th = f->last_event_tid ? target_thread_by_tid(t, f->last_event_tid) : NULL;
	f->last_event_tid = 0;
	if (ev_th && !ev_th->frozen && at_inserted_site(t, ev_th->tid))
		move_past_site(t, ev_th->tid, &rec);
	if (req->step_tid && (!ev_th || ev_th->tid != req->step_tid) && at_inserted_site(t, req->step_tid))
		move_past_site(t, req->step_tid, &rec);
	if (f->nresumes < FAKE_MAX_RESUMES)
		f->resumes[f->nresumes] = rec;
	f->nresumes++;
	f->stepped = req->step_tid;
	f->step_only = req->step_only ? req->step_tid : 0;
	f->running = 1;
	return 0;
}

static int process_wide(enum fake_kind k)
{
	return k == FAKE_EXIT || k == FAKE_GONE || k == FAKE_INTERRUPT;
}

/* Whether e can happen now: while one thread steps alone, only its entries can. */
static int eligible(struct target *t, const struct fake_event *e)
{
	struct fake *f = FK(t);
	if (process_wide(e->kind))
		return 1;
	if (f->step_only && e->tid != f->step_only)
		return 0;
	struct target_thread *th = target_thread_by_tid(t, e->tid);
	return !th || !th->frozen;
}

static void add_hit(struct stop_event *ev, const struct point *p)
{
	if (ev->nhits < STOP_MAX_POINTS)
		ev->hits[ev->nhits++] = *p;
}

static int point_for_thread(const struct point *p, pid_t tid)
{
	return !p->tid || p->tid == tid;
}

/* Watches that the access of e touches. */
static void watch_hits(struct fake *f, const struct fake_event *e, struct stop_event *ev)
{
	if (e->len <= 0)
		return;
	for (int i = 0; i < FAKE_HW_SLOTS; i++) {
		const struct point *p = &f->hw[i];
		if (!f->hw_refs[i] || !point_is_watch(p->type) || !point_for_thread(p, e->tid))
			continue;
		if ((p->type == POINT_WATCH_WRITE && !e->write) || (p->type == POINT_WATCH_READ && e->write))
			continue;
		if (e->addr < p->addr + (uint64_t)p->len && p->addr < e->addr + (uint64_t)e->len) {
			/* The fake tells what the access was, as a page-protection backend does. */
			if (ev->nhits < STOP_MAX_POINTS)
				ev->hit_rw[ev->nhits] = e->write ? POINT_ACCESS_WRITE : POINT_ACCESS_READ;
			add_hit(ev, p);
		}
	}
}

/* Execute points (first: they fire before the instruction) and our int3 at e->pc. */
static void code_hits(struct fake *f, const struct fake_event *e, struct stop_event *ev)
{
	for (int i = 0; i < FAKE_HW_SLOTS; i++) {
		const struct point *p = &f->hw[i];
		if (f->hw_refs[i] && p->type == POINT_HW_EXEC && p->addr == e->pc && point_for_thread(p, e->tid))
			add_hit(ev, p);
	}
	const struct sw_site *s = target_sw_find(f->t, e->pc);
	if (s && s->inserted) {
		struct point sw = { .type = POINT_SOFTWARE, .addr = e->pc, .len = 1 };
		add_hit(ev, &sw);
	}
}

/* The thread's registers at the event: pc (unless a signal, which arrives where it is), then set[]. */
static void apply_regs(struct target *t, const struct fake_event *e)
{
	struct fake_thread *ft = thread_of(t, e->tid);
	if (!ft)
		return;
	if (e->kind != FAKE_SIGNAL)
		ft->regs.r[REG_RIP] = e->pc;
	for (int i = 0; i < e->nset; i++)
		ft->regs.r[e->set[i].reg] = e->set[i].val;
}

/*
 * Turns script entry e into ev: 1 when it is an event to report, 0 when the
 * program just runs on (nothing of ours caught it, or backends absorb it).
 */
static int deliver(struct target *t, const struct fake_event *e, volatile int *interrupted,
		   struct stop_event *ev)
{
	struct fake *f = FK(t);
	memset(ev, 0, sizeof(*ev));
	ev->tid = e->tid;
	ev->pc = e->pc;
	if (!process_wide(e->kind) && e->kind != FAKE_CLONE && !target_thread_by_tid(t, e->tid)) {
		violate(f, "script names thread %d, which does not exist", (int)e->tid);
		return 0;
	}
	switch (e->kind) {
	case FAKE_EXEC:
		/* exec leaves one thread, a new image without our int3s, clear debug registers */
		for (int i = t->nthreads - 1; i >= 0; i--)
			if (t->threads[i]->tid != e->tid)
				target_thread_remove(t, t->threads[i]->tid);
		target_sw_forget(t);
		memcpy(f->mem, f->image, sizeof(f->mem));
		memset(f->hw_refs, 0, sizeof(f->hw_refs));
		ev->kind = STOP_EXEC;
		break;
	case FAKE_REACH:
		code_hits(f, e, ev);
		if (!ev->nhits)
			return 0;
		ev->kind = STOP_BREAKPOINT;
		break;
	case FAKE_ACCESS:
		watch_hits(f, e, ev);
		if (!ev->nhits)
			return 0;
		ev->kind = STOP_WATCH;
		break;
	case FAKE_STEP:
		if (f->stepped != e->tid)
			violate(f, "script: a step of thread %d, which the last resume did not step",
				(int)e->tid);
		watch_hits(f, e, ev);
		ev->kind = STOP_STEP;
		break;
	case FAKE_SIGNAL:
		ev->kind = STOP_SIGNAL;
		ev->pc = fake_get_reg(f, e->tid, REG_RIP);
		ev->signo = e->signo;
		ev->si_code = e->si_code;
		ev->fault_addr = e->fault_addr;
		break;
	case FAKE_TRAP:
		ev->kind = STOP_TRAP;
		break;
	case FAKE_INTERRUPT:
		if (!interrupted)
			return 0;	/* nobody could press Ctrl-C */
		*interrupted = 1;
		ev->kind = STOP_INTERRUPT;
		ev->tid = t->pid;
		ev->pc = fake_get_reg(f, t->pid, REG_RIP);
		return 1;
	case FAKE_EXIT:
		ev->kind = STOP_EXIT;
		ev->tid = t->pid;
		ev->exit_code = e->code;
		ev->pc = fake_get_reg(f, t->pid, REG_RIP);
		return 1;
	case FAKE_GONE:
		ev->kind = STOP_GONE;
		ev->tid = t->pid;
		ev->exit_code = e->signo ? -1 : e->code;
		ev->term_signal = e->signo;
		t->exited = 1;
		return 1;
	case FAKE_CLONE: {
		struct target_thread *th = target_thread_add(t, e->tid);
		if (!th->backend) {
			th->backend = xcalloc(1, sizeof(struct fake_thread));
			struct fake_thread *parent = thread_of(t, t->pid);
			if (parent)
				((struct fake_thread *)th->backend)->regs = parent->regs;
		}
		apply_regs(t, e);
		return 0;
	}
	case FAKE_THREAD_EXIT:
		target_thread_remove(t, e->tid);
		return 0;
	}
	apply_regs(t, e);
	return 1;
}

/* The fake runs one scripted thread at a time: stopping the others only counts. */
static int fake_stop_all(struct target *t)
{
	fake_of(t)->stop_alls++;
	return 0;
}

static int fake_wait(struct target *t, struct stop_event *ev, volatile int *interrupted)
{
	struct fake *f = FK(t);
	if (!f->running)
		violate(f, "wait without a resume");
	f->running = 0;
	for (int i = 0; i < f->nscript; i++) {
		struct fake_event *e = &f->script[i];
		if (e->done || !eligible(t, e))
			continue;
		e->done = 1;
		if (deliver(t, e, interrupted, ev)) {
			/* As the ptrace backend: only a thread reported at a breakpoint
			 * or after a step executes what it stands on when it resumes. */
			f->last_event_tid = ev->kind == STOP_BREAKPOINT || ev->kind == STOP_STEP ? ev->tid : 0;
			return 0;
		}
		if (e->kind == FAKE_REACH || e->kind == FAKE_ACCESS)
			f->dropped++;
	}
	return err_set("fake: the script has no further event");
}

/* ---- process facts, detach, kill ---- */

/* The raw auxiliary vector a 64-bit process would have: AT_ENTRY, AT_BASE, AT_NULL. */
static int fake_read_auxv(struct target *t, void *buf, size_t n)
{
	uint64_t v[6] = { 9, FK(t)->entry, 7, FK(t)->interp_base, 0, 0 };
	size_t k = n < sizeof(v) ? n : sizeof(v);
	memcpy(buf, v, k);
	return (int)k;
}

/* No file behind the fake's image: the symbol layer finds no modules. */
static int fake_exe_path(struct target *t, char *buf, size_t n)
{
	return err_set("fake: no executable file");
}

static int fake_signal_handled(struct target *t, int signo)
{
	return signo > 0 && signo < 64 && (FK(t)->handled >> signo & 1);
}

static int fake_thread_name(struct target *t, pid_t tid, char *buf, size_t n)
{
	snprintf(buf, n, "fake-%d", (int)tid);
	return 0;
}

static int fake_detach(struct target *t, int signo)
{
	struct fake *f = FK(t);
	f->detached = 1;
	f->detach_signo = signo;
	f->points_at_detach = fake_points_in_use(f);
	t->exited = 1;
	return 0;
}

static int fake_kill(struct target *t)
{
	if (t->exited)
		return 0;
	FK(t)->killed = 1;
	t->exited = 1;
	return 0;
}

static void fake_destroy(struct target *t)
{
	free(t->backend);
	t->backend = NULL;
}

static const struct target_ops fake_ops = {
	.name = "fake",
	.resume = fake_resume,
	.wait = fake_wait,
	.stop_all = fake_stop_all,
	.read_mem = fake_read,
	.write_mem = fake_write,
	.read_as_program = fake_read_as_program,
	.write_as_program = fake_write_as_program,
	.get_regs = fake_get_regs,
	.set_regs = fake_set_regs,
	.check_point = fake_check_point,
	.insert_point = fake_insert_point,
	.remove_point = fake_remove_point,
	.read_auxv = fake_read_auxv,
	.exe_path = fake_exe_path,
	.signal_handled = fake_signal_handled,
	.thread_name = fake_thread_name,
	.remove_all = fake_remove_all,
	.detach = fake_detach,
	.kill = fake_kill,
	.destroy = fake_destroy,
};

/* ---- construction and scripting ---- */

struct fake *fake_new(uint64_t base, const uint8_t *code, size_t n, uint64_t entry)
{
	struct fake *f = xcalloc(1, sizeof(*f));
	struct target *t = xcalloc(1, sizeof(*t));
	t->ops = &fake_ops;
	t->pid = FAKE_PID;
	t->backend = f;
	f->t = t;
	f->base = base;
	f->entry = entry;
	memset(f->mem, 0x90, sizeof(f->mem));
	if (n > FAKE_MEM_SIZE)
		n = FAKE_MEM_SIZE;
	memcpy(f->mem, code, n);
	memcpy(f->image, f->mem, sizeof(f->image));
	f->running = 1;	/* launched: the exec stop is on its way */
	fake_add_thread(f, FAKE_PID);
	fake_set_reg(f, FAKE_PID, REG_RIP, entry);
	fake_set_reg(f, FAKE_PID, REG_RSP, 0x7ffffffde000);
	return f;
}

void fake_add_thread(struct fake *f, pid_t tid)
{
	struct target_thread *th = target_thread_add(f->t, tid);
	if (!th->backend)
		th->backend = xcalloc(1, sizeof(struct fake_thread));
}

void fake_set_reg(struct fake *f, pid_t tid, int reg, uint64_t val)
{
	struct fake_thread *ft = thread_of(f->t, tid);
	if (ft)
		ft->regs.r[reg] = val;
}

uint64_t fake_get_reg(struct fake *f, pid_t tid, int reg)
{
	struct fake_thread *ft = thread_of(f->t, tid);
	return ft ? ft->regs.r[reg] : 0;
}

void fake_set_handled(struct fake *f, int signo, int handled)
{
	if (handled)
		f->handled |= 1ull << signo;
	else
		f->handled &= ~(1ull << signo);
}

struct fake_event *fake_script(struct fake *f, enum fake_kind kind, pid_t tid, uint64_t pc)
{
	struct fake_event *e = &f->overflow;
	if (f->nscript < FAKE_MAX_SCRIPT)
		e = &f->script[f->nscript++];
	else
		violate(f, "script longer than %d entries", FAKE_MAX_SCRIPT);
	memset(e, 0, sizeof(*e));
	e->kind = kind;
	e->tid = tid;
	e->pc = pc;
	return e;
}

struct fake_event *fake_script_reach(struct fake *f, pid_t tid, uint64_t pc)
{
	return fake_script(f, FAKE_REACH, tid, pc);
}

struct fake_event *fake_script_access(struct fake *f, pid_t tid, uint64_t addr, int len, int write,
				      uint64_t pc_after)
{
	struct fake_event *e = fake_script(f, FAKE_ACCESS, tid, pc_after);
	e->addr = addr;
	e->len = len;
	e->write = write;
	return e;
}

struct fake_event *fake_script_step(struct fake *f, pid_t tid, uint64_t pc)
{
	return fake_script(f, FAKE_STEP, tid, pc);
}

struct fake_event *fake_script_signal(struct fake *f, pid_t tid, int signo, uint64_t fault_addr)
{
	struct fake_event *e = fake_script(f, FAKE_SIGNAL, tid, 0);
	e->signo = signo;
	e->fault_addr = fault_addr;
	return e;
}

void fake_script_exit(struct fake *f, int code)
{
	fake_script(f, FAKE_EXIT, f->t->pid, 0)->code = code;
	fake_script(f, FAKE_GONE, f->t->pid, 0)->code = code;
}

struct fake_event *fake_event_reg(struct fake_event *e, int reg, uint64_t val)
{
	if (e->nset < (int)ARRAY_SIZE(e->set)) {
		e->set[e->nset].reg = reg;
		e->set[e->nset].val = val;
		e->nset++;
	}
	return e;
}

int fake_script_left(const struct fake *f)
{
	int n = 0;
	for (int i = 0; i < f->nscript; i++)
		n += !f->script[i].done;
	return n;
}

/* ---- the backend ---- */

static struct fake *prepared;

void fake_backend_prepare(struct fake *f)
{
	prepared = f;
}

static struct target *take_prepared(int attached)
{
	struct fake *f = prepared;
	prepared = NULL;
	if (!f) {
		err_set("fake: no target prepared");
		return NULL;
	}
	f->t->attached = attached;
	if (attached)
		f->running = 0;	/* attach stops the process: nothing is on its way */
	return f->t;
}

static struct target *fake_launch(const struct launch_opts *o)
{
	return take_prepared(0);
}

static struct target *fake_attach(pid_t pid)
{
	return take_prepared(1);
}

const struct target_backend fake_backend = {
	.name = "fake",
	.launch = fake_launch,
	.attach = fake_attach,
};
