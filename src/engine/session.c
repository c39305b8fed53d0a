/*
 * session.c — the session object: launch and attach, the evaluation context
 * of MASM expressions (registers of the current thread, memory with
 * breakpoint bytes hidden, symbols), breakpoint resolution and the module
 * list that the dynamic linker's rendezvous keeps current.  The symbol
 * layer reaches the process only through the callbacks of
 * session_sym_open, which go through the target.
 *
 * Invariant: s->tgt is NULL or a live (or just-exited) process; every
 * breakpoint's armed flag matches what is really in that process.
 */
#include "engine/session.h"

#include <signal.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "expr/expr.h"
#include "cmd/fmt.h"

struct session *session_new(void)
{
	struct session *s = xcalloc(1, sizeof(*s));
	s->radix = 16;
	s->disable_aslr = 1;	/* stable addresses across runs, as gdb does */
	s->bps.free_cond = cond_free;
	s->cond_eval = cond_eval;
	return s;
}

void session_free(struct session *s)
{
	if (!s)
		return;
	for (int i = 0; i < s->bps.n; i++)
		bp_free(&s->bps, s->bps.v[i]);
	free(s->bps.v);
	free(s->bps.sites);
	if (s->sym)
		sym_close(s->sym);
	target_destroy(s->tgt);
	if (s->argv) {
		for (char **a = s->argv; *a; a++)
			free(*a);
		free(s->argv);
	}
	free(s);
}

void session_notify(struct session *s, const char *fmt, ...)
{
	if (!s->notify)
		return;
	struct sbuf sb = { 0 };
	va_list ap;
	va_start(ap, fmt);
	sb_vaddf(&sb, fmt, ap);
	va_end(ap);
	s->notify(s->notify_user, sb_str(&sb));
	sb_free(&sb);
}

int session_has_process(struct session *s)
{
	return s->tgt && !s->tgt->exited;
}

int session_require_process(struct session *s)
{
	if (!session_has_process(s))
		return err_set("No process is being debugged");
	return 0;
}

int session_is32(struct session *s)
{
	return s->tgt ? s->tgt->is32 : 0;
}

int session_read(struct session *s, uint64_t addr, void *buf, size_t n)
{
	if (session_require_process(s) < 0)
		return -1;
	return target_read(s->tgt, addr, buf, n);
}

int session_get_regs(struct session *s, pid_t tid, struct regs *r)
{
	if (session_require_process(s) < 0)
		return -1;
	return target_get_regs(s->tgt, tid ? tid : s->cur_tid, r);
}

int session_set_regs(struct session *s, pid_t tid, const struct regs *r)
{
	if (session_require_process(s) < 0)
		return -1;
	return target_set_regs(s->tgt, tid ? tid : s->cur_tid, r);
}

int session_describe(struct session *s, uint64_t addr, struct sbuf *out)
{
	if (!s->sym)
		return -1;
	return sym_describe(s->sym, addr, out);
}

/* ---- expression context ---- */

static int pseudo_register(struct session *s, const char *name, size_t len, uint64_t *v)
{
	char buf[32];
	if (len >= sizeof(buf))
		return -1;
	memcpy(buf, name, len);
	buf[len] = 0;
	struct regs r;
	int have_regs = session_has_process(s) && session_get_regs(s, 0, &r) == 0;

	if (!strcasecmp(buf, "$ip") || !strcasecmp(buf, "$eventip") || !strcasecmp(buf, "$scopeip")) {
		if (!have_regs)
			return -1;
		*v = !strcasecmp(buf, "$eventip") ? s->last.pc : r.r[REG_RIP];
		return 0;
	}
	if (!strcasecmp(buf, "$csp")) {
		if (!have_regs)
			return -1;
		*v = r.r[REG_RSP];
		return 0;
	}
	if (!strcasecmp(buf, "$retreg") || !strcasecmp(buf, "$retreg64")) {
		if (!have_regs)
			return -1;
		*v = r.r[REG_RAX];
		return 0;
	}
	if (!strcasecmp(buf, "$ra")) {
		if (!have_regs)
			return -1;
		return session_return_address(s, s->cur_tid, v);
	}
	if (!strcasecmp(buf, "$thread") || !strcasecmp(buf, "$teb")) {
		if (!have_regs)
			return -1;
		*v = r.r[REG_FS_BASE];
		return 0;
	}
	if (!strcasecmp(buf, "$exentry")) {
		if (!session_has_process(s))
			return -1;
		*v = s->exentry;
		return 0;
	}
	if (!strcasecmp(buf, "$tid")) {
		if (!session_has_process(s))
			return -1;
		*v = (uint64_t)s->cur_tid;
		return 0;
	}
	if (!strcasecmp(buf, "$tpid")) {
		if (!session_has_process(s))
			return -1;
		*v = (uint64_t)s->tgt->pid;
		return 0;
	}
	if (!strcasecmp(buf, "$ptrsize")) {
		*v = session_is32(s) ? 4 : 8;
		return 0;
	}
	if (!strcasecmp(buf, "$pagesize")) {
		*v = (uint64_t)sysconf(_SC_PAGESIZE);
		return 0;
	}
	if (!strcasecmp(buf, "$exp")) {
		*v = s->last_exp;
		return 0;
	}
	if (!strcasecmp(buf, "$previp")) {
		*v = s->previp;
		return 0;
	}
	if (!strncasecmp(buf, "$t", 2) && buf[2] >= '0' && buf[2] <= '9') {
		char *end;
		long n = strtol(buf + 2, &end, 10);
		if (*end || n < 0 || n > 19)
			return -1;
		*v = s->tregs[n];
		return 0;
	}
	if (!strncasecmp(buf, "$bp", 3) && buf[3] >= '0' && buf[3] <= '9') {
		char *end;
		long n = strtol(buf + 3, &end, 10);
		if (*end)
			return -1;
		struct bp *b = bp_find(&s->bps, (int)n);
		*v = b && b->resolved ? b->addr : 0;
		return 0;
	}
	return -1;
}

static int ctx_reg(void *user, const char *name, size_t len, uint64_t *v)
{
	struct session *s = user;
	if (len && name[0] == '$')
		return pseudo_register(s, name, len, v);
	struct reg_ref ref;
	if (regs_lookup(name, len, session_is32(s), &ref) < 0 || ref.is_xmm)
		return -1;
	struct regs r;
	if (!session_has_process(s) || session_get_regs(s, 0, &r) < 0)
		return -1;
	*v = regs_get(&r, &ref);
	return 0;
}

static int ctx_mem(void *user, uint64_t addr, void *buf, size_t n)
{
	struct session *s = user;
	if (!session_has_process(s))
		return -1;
	return target_read(s->tgt, addr, buf, n) == (int)n ? 0 : -1;
}

static int ctx_sym(void *user, const char *name, size_t len, uint64_t *v)
{
	struct session *s = user;
	if (!s->sym)
		return -1;
	char *n = xstrndup(name, len);
	int rc = sym_lookup(s->sym, n, v);
	free(n);
	return rc;
}

static int ctx_srcline(void *user, const char *text, size_t len, uint64_t *v)
{
	struct session *s = user;
	if (!s->sym)
		return err_set("No symbols are loaded");
	char *spec = xstrndup(text, len);
	int rc = sym_line_address(s->sym, spec, v);
	free(spec);
	return rc;
}

int session_eval(struct session *s, const char *text, const char **end, uint64_t *val)
{
	struct expr_env env = {
		.user = s,
		.radix = s->radix,
		.ptrsize = session_is32(s) ? 4 : 8,
		.reg = ctx_reg,
		.mem = ctx_mem,
		.sym = ctx_sym,
		.srcline = ctx_srcline,
	};
	const char *e;
	int rc = expr_eval(&env, text, &e, val);
	if (end)
		*end = e;
	return rc;
}

/* ---- stacks ---- */

struct frame_array {
	struct sym_frame *f;
	int n;
	int max;
};

static int collect_frame(void *user, const struct sym_frame *f)
{
	struct frame_array *a = user;
	if (a->n < a->max)
		a->f[a->n++] = *f;
	return a->n >= a->max;
}

static int count_frame(void *user, const struct sym_frame *f)
{
	(void)f;
	(*(int *)user)++;
	return 0;
}

int session_unwind(struct session *s, pid_t tid, int max, unsigned flags, sym_frame_fn fn, void *user)
{
	struct regs r;
	if (session_require_process(s) < 0 || !s->sym)
		return -1;
	if (target_get_regs(s->tgt, tid ? tid : s->cur_tid, &r) < 0)
		return -1;
	return sym_unwind(s->sym, &r, s->tgt->is32, max, flags, fn, user);
}

int session_frames(struct session *s, pid_t tid, struct sym_frame *out, int max, unsigned flags)
{
	struct frame_array a = { .f = out, .max = max };
	if (session_unwind(s, tid, max, flags, collect_frame, &a) < 0 && a.n == 0)
		return -1;
	return a.n;
}

int session_frame_pc(struct session *s, pid_t tid, int index, uint64_t *pc)
{
	struct sym_frame *f = xcalloc((size_t)index + 1, sizeof(*f));
	int n = session_frames(s, tid, f, index + 1, 0);
	if (n > index)
		*pc = f[index].pc;
	free(f);
	return n > index ? 0 : err_set("Cannot find frame %d", index);
}

int session_return_address(struct session *s, pid_t tid, uint64_t *ra)
{
	if (session_frame_pc(s, tid, 1, ra) < 0)
		return err_set("Cannot find the return address of the current function");
	return 0;
}

int session_stack_depth(struct session *s, pid_t tid)
{
	int n = 0;
	if (session_unwind(s, tid, 4096, 0, count_frame, &n) < 0)
		return -1;
	return n;
}

/* ---- breakpoints and modules ---- */

/* The symbol layer sees the process only through the target. */
static int symproc_is32(void *user)
{
	struct session *s = user;
	return s->tgt && s->tgt->is32;
}

static int symproc_read(void *user, uint64_t addr, void *buf, size_t n)
{
	struct session *s = user;
	return s->tgt ? target_read(s->tgt, addr, buf, n) : -1;
}

static int symproc_read_auxv(void *user, void *buf, size_t n)
{
	struct session *s = user;
	return s->tgt ? target_read_auxv(s->tgt, buf, n) : err_set("No process");
}

static int symproc_exe_path(void *user, char *buf, size_t n)
{
	struct session *s = user;
	return s->tgt ? target_exe_path(s->tgt, buf, n) : err_set("No process");
}

struct sym_table *session_sym_open(struct session *s)
{
	const struct sym_process proc = {
		.user = s, .is32 = symproc_is32, .read = symproc_read,
		.read_auxv = symproc_read_auxv, .exe_path = symproc_exe_path,
	};
	return sym_open(&proc);
}

int session_resolve_bp(struct session *s, struct bp *b)
{
	if (!b->expr)
		return 0;
	uint64_t addr;
	const char *end;
	if (!session_has_process(s) || session_eval(s, b->expr, &end, &addr) < 0 ||
	    *skip_ws(end)) {
		if (b->resolved)
			bp_disarm(&s->bps, s->tgt, b);
		b->resolved = 0;
		return -1;
	}
	if (b->resolved && b->addr == addr)
		return 0;
	bp_disarm(&s->bps, s->tgt, b);
	b->addr = addr;
	b->resolved = 1;
	return 0;
}

void session_resolve_deferred(struct session *s)
{
	for (int i = 0; i < s->bps.n; i++) {
		struct bp *b = s->bps.v[i];
		if (b->origin == BP_BU)
			session_resolve_bp(s, b);
		if (b->armed || !b->enabled || !b->resolved)
			continue;
		/* Not armed yet (new module, restart): try again; an address whose
		 * module is not mapped yet stays pending without a message. */
		if (bp_sync(&s->bps, s->tgt, b) < 0 && b->origin == BP_BU)
			session_notify(s, "Breakpoint %d could not be set: %s", b->id, err_get());
	}
}

void session_refresh_modules(struct session *s)
{
	if (!s->sym)
		return;
	int before = sym_module_count(s->sym);
	struct sym_module *old = xcalloc((size_t)before + 1, sizeof(*old));
	char **oldpaths = xcalloc((size_t)before + 1, sizeof(char *));
	for (int i = 0; i < before; i++) {
		sym_module_get(s->sym, i, &old[i]);
		oldpaths[i] = xstrdup(old[i].path ? old[i].path : "");
	}
	int changed = 0;
	sym_refresh(s->sym, &changed);
	if (changed) {
		int n = sym_module_count(s->sym);
		for (int i = 0; i < n; i++) {
			struct sym_module m;
			if (sym_module_get(s->sym, i, &m) < 0)
				continue;
			int seen = 0;
			for (int j = 0; j < before; j++)
				if (old[j].start == m.start && !strcmp(oldpaths[j], m.path ? m.path : ""))
					seen = 1;
			if (seen)
				continue;
			struct sbuf sb = { 0 };
			sb_add(&sb, "ModLoad: ");
			fmt_addr(&sb, m.start, session_is32(s));
			sb_add(&sb, " ");
			fmt_addr(&sb, m.end, session_is32(s));
			sb_addf(&sb, "   %s", m.path ? m.path : m.name);
			session_notify(s, "%s", sb_str(&sb));
			sb_free(&sb);
		}
		/* Address breakpoints whose module went away are removed (WinDbg's bp rule). */
		for (int i = 0; i < s->bps.n; i++) {
			struct bp *b = s->bps.v[i];
			struct sym_module m;
			if (b->origin != BP_BP || b->kind != BP_SOFTWARE || !b->resolved)
				continue;
			if (sym_module_at(s->sym, b->addr, &m) == 0)
				continue;
			int was_mapped = 0;
			for (int j = 0; j < before; j++)
				if (b->addr >= old[j].start && b->addr < old[j].end)
					was_mapped = 1;
			if (!was_mapped)
				continue;
			int id = b->id;
			b->armed = 0;	/* its memory is gone: nothing to restore */
			bp_site_release(&s->bps, NULL, b->addr);
			bp_delete(&s->bps, s->tgt, id);
			session_notify(s, "Breakpoint %d removed: its module was unloaded", id);
			i--;
		}
	}
	for (int i = 0; i < before; i++)
		free(oldpaths[i]);
	free(oldpaths);
	free(old);
	session_resolve_deferred(s);
}

/* ---- launch, attach, end ---- */

int session_launch(struct session *s, char **argv, struct stop_report *rep)
{
	struct launch_opts o = { .argv = argv, .disable_aslr = s->disable_aslr };
	if (s->argv != argv) {
		int n = 0;
		while (argv[n])
			n++;
		char **copy = xcalloc((size_t)n + 1, sizeof(char *));
		for (int i = 0; i < n; i++)
			copy[i] = xstrdup(argv[i]);
		if (s->argv) {
			for (char **a = s->argv; *a; a++)
				free(*a);
			free(s->argv);
		}
		s->argv = copy;
		o.argv = copy;
	}
	s->tgt = ptrace_launch(&o);
	if (!s->tgt)
		return -1;
	s->cur_tid = s->tgt->pid;
	return exec_start(s, rep);
}

int session_attach(struct session *s, pid_t pid, struct stop_report *rep)
{
	s->tgt = ptrace_attach(pid);
	if (!s->tgt)
		return -1;
	s->cur_tid = pid;
	return exec_start(s, rep);
}

int session_detach(struct session *s)
{
	if (!session_has_process(s))
		return err_set("No process is being debugged");
	int sig = s->signal_pending ? s->last.signo : 0;
	int rc = target_detach(s->tgt, sig);
	bp_forget_target(&s->bps);
	return rc;
}

void session_end(struct session *s)
{
	if (!s->tgt)
		return;
	if (!s->tgt->exited) {
		if (s->tgt->attached)
			target_detach(s->tgt, 0);
		else {
			/* Leave no int3 behind even in a dying process's fork children. */
			target_remove_all(s->tgt);
			target_kill(s->tgt);
		}
	}
	bp_forget_target(&s->bps);
	target_destroy(s->tgt);
	s->tgt = NULL;
	if (s->sym) {
		sym_close(s->sym);
		s->sym = NULL;
	}
}
