/*
 * cmd_sx.c — exceptions and events (windbg-commands.md §14): sx, sxe, sxd,
 * sxn, sxi, sx-, sxr change and list the engine's event filters; .lastevent
 * and .exr -1 describe the last event.
 *
 * An exception is a signal, named by WinDbg's code where Windows has the
 * same event (av, ii, dz, cce/cc, bpe/bpec: evtext.c), by its Linux name
 * (SIGUSR1) or by its number in the current radix, as WinDbg reads
 * exception numbers (sxe 0n10 and sxe a are SIGUSR1; sxe 10 is signal 16).
 * .exr -1 lays the signal's siginfo out as WinDbg's EXCEPTION_RECORD: the
 * signal number is the code, si_code the first parameter.
 */
#include "cmd/cmd.h"

#include <ctype.h>
#include <signal.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <time.h>

#include "cmd/evtext.h"
#include "cmd/fmt.h"

static const char *break_word(enum filter_break b)
{
	switch (b) {
	case FILTER_BREAK: return "break";
	case FILTER_SECOND_CHANCE: return "second-chance break";
	case FILTER_OUTPUT: return "output";
	case FILTER_IGNORE: return "ignore";
	}
	return "?";
}

/* ---- sx: the list ---- */

static void show_extra(struct cmd_ctx *c, const struct filter *f, int with_arg)
{
	if (with_arg && f->arg)
		cmd_print(c, "       (only break for %s)\n", f->arg);
	if (f->cmd1)
		cmd_print(c, "       Command: \"%s\"\n", f->cmd1);
	if (f->cmd2)
		cmd_print(c, "       Second command: \"%s\"\n", f->cmd2);
}

static void show_signal_line(struct cmd_ctx *c, const char *code, int signo, const struct filter *f)
{
	struct sbuf title = { 0 };
	if (code)
		evtext_exception_title(&title, signo);
	else
		sb_add(&title, evtext_signal_meaning(signo));
	struct sbuf name = { 0 };
	if (!code)
		evtext_signal_name(&name, signo);
	cmd_print(c, "%4s - %s - %s - %s\n", code ? code : sb_str(&name), sb_str(&title), break_word(f->brk),
		  f->handled ? "handled" : "not handled");
	show_extra(c, f, 0);
	sb_free(&title);
	sb_free(&name);
}

static void sx_list(struct cmd_ctx *c)
{
	struct filter_table *t = &c->s->filters;
	int n;
	const struct evtext_code *codes = evtext_codes(&n);
	int coded[FILTER_MAX_SIGNAL + 1] = { 0 };
	int exceptions_started = 0;
	for (int i = 0; i < n; i++) {
		const struct evtext_code *k = &codes[i];
		const struct filter *f = filter_lookup(t, k->key);
		int exception = k->key.kind == FKEY_SIGNAL || k->key.id == FEV_BREAK_INSTRUCTION;
		if (exception && !exceptions_started) {
			cmd_print(c, "\n");
			exceptions_started = 1;
		}
		if (k->key.kind == FKEY_SIGNAL)
			coded[k->key.id] = 1;
		if (k->handling) {
			cmd_print(c, "%4s - %s - %s\n", k->code, k->title, f->handled ? "handled" : "not handled");
		} else if (k->key.kind == FKEY_SIGNAL) {
			/* A signal that also has a handling code (cce/cc) shows its break status only. */
			int split = i + 1 < n && codes[i + 1].handling && codes[i + 1].key.id == k->key.id;
			if (split) {
				struct sbuf title = { 0 };
				evtext_exception_title(&title, k->key.id);
				cmd_print(c, "%4s - %s - %s\n", k->code, sb_str(&title), break_word(f->brk));
				show_extra(c, f, 0);
				sb_free(&title);
			} else {
				show_signal_line(c, k->code, k->key.id, f);
			}
		} else {
			cmd_print(c, "%4s - %s - %s\n", k->code, k->title, break_word(f->brk));
			show_extra(c, f, k->key.id == FEV_LOAD_MODULE || k->key.id == FEV_UNLOAD_MODULE);
		}
	}
	for (int sig = 1; sig <= FILTER_MAX_SIGNAL; sig++)
		if (!coded[sig] && t->sig[sig].own)
			show_signal_line(c, NULL, sig, &t->sig[sig]);
	cmd_print(c, "\n   * - Other signal - %s - %s\n", break_word(t->other.brk),
		  t->other.handled ? "handled" : "not handled");
	show_extra(c, &t->other, 0);
}

/* ---- sxe, sxd, sxn, sxi, sx-: parsing ---- */

/* A number in the current radix (0x, 0n, 0t, 0y prefixes as in MASM). */
static int parse_number(const char *s, size_t len, int radix, uint64_t *v)
{
	if (len > 2 && s[0] == '0' && strchr("xXnNtTyY", s[1])) {
		char p = (char)tolower((unsigned char)s[1]);
		radix = p == 'x' ? 16 : p == 'n' ? 10 : p == 't' ? 8 : 2;
		s += 2;
		len -= 2;
	}
	if (len == 0)
		return -1;
	uint64_t x = 0;
	for (size_t i = 0; i < len; i++) {
		int d = isdigit((unsigned char)s[i]) ? s[i] - '0'
			: isalpha((unsigned char)s[i]) ? tolower((unsigned char)s[i]) - 'a' + 10 : 99;
		if (d >= radix || x > 0xffffffffu)
			return -1;
		x = x * (uint64_t)radix + (uint64_t)d;
	}
	*v = x;
	return 0;
}

struct sx_target {
	struct filter_key key;
	int handling;		/* the code names the handling status (bpec, cc) */
	int is_event;		/* ct et cpr epr ld ud: no handling status */
	int takes_module;	/* ld, ud */
	char *module;		/* ld:Module */
};

/* The {Exception|Event|*} at *p. */
static int parse_sx_target(struct cmd_ctx *c, const char **pp, struct sx_target *t)
{
	const char *p = skip_ws(*pp);
	memset(t, 0, sizeof(*t));
	if (*p == '*') {
		t->key.kind = FKEY_OTHER;
		*pp = p + 1;
		return 0;
	}
	size_t len = strcspn(p, " \t:");
	if (len == 0)
		return cmd_error(c, "Syntax error: sx needs an exception or event");
	const struct evtext_code *k = evtext_code_find(p, len);
	if (k) {
		t->key = k->key;
		t->handling = k->handling;
		t->is_event = k->key.kind == FKEY_EVENT && k->key.id != FEV_BREAK_INSTRUCTION;
		t->takes_module = k->key.kind == FKEY_EVENT &&
				  (k->key.id == FEV_LOAD_MODULE || k->key.id == FEV_UNLOAD_MODULE);
	} else {
		int signo = evtext_signal_by_name(p, len);
		uint64_t v = 0;
		if (!signo && parse_number(p, len, c->s->radix, &v) == 0)
			signo = v <= 0x7fffffff ? (int)v : -1;
		if (!signo)
			return cmd_error(c, "Unknown exception or event '%.*s' (sx lists them)",
					 (int)(len > 100 ? 100 : len), p);
		t->key.kind = FKEY_SIGNAL;
		t->key.id = signo;
	}
	const char *q = p + len;
	if (*q == ':' || (t->takes_module && *skip_ws(q))) {
		if (!t->takes_module)
			return cmd_error(c, "not supported: an argument to '%.*s' (only ld and ud take a module)",
					 (int)len, p);
		q = skip_ws(*q == ':' ? q + 1 : q);
		size_t mlen = strcspn(q, " \t");
		if (mlen == 0)
			return cmd_error(c, "Syntax error: expected a module after '%.*s:'", (int)len, p);
		t->module = xstrndup(q, mlen);
		q += mlen;
	}
	*pp = q;
	return 0;
}

/* -c "Cmd1", -c2 "Cmd2" (the space before the quote is optional), -h. */
static int parse_sx_options(struct cmd_ctx *c, const char **pp, char **cmd1, char **cmd2, int *h)
{
	const char *p = skip_ws(*pp);
	while (*p == '-') {
		if (p[1] == 'c' && p[2] == '2') {
			p = skip_ws(p + 3);
			free(*cmd2);
			*cmd2 = NULL;
			if (cmd_quoted(c, &p, cmd2) < 0)
				return -1;
		} else if (p[1] == 'c' && (p[2] == ' ' || p[2] == '\t' || p[2] == '"')) {
			p = skip_ws(p + 2);
			free(*cmd1);
			*cmd1 = NULL;
			if (cmd_quoted(c, &p, cmd1) < 0)
				return -1;
		} else if (p[1] == 'h' && (p[2] == 0 || p[2] == ' ' || p[2] == '\t')) {
			*h = 1;
			p += 2;
		} else {
			size_t n = strcspn(p, " \t");
			return cmd_error(c, "Syntax error: unknown option '%.*s' (-c \"Cmd1\", -c2 \"Cmd2\", -h)",
					 (int)(n > 20 ? 20 : n), p);
		}
		p = skip_ws(p);
	}
	*pp = p;
	return 0;
}

/* sxe sxd sxn sxi (d->arg: the break status) and sx- (d->arg -1: commands only). */
static int sx_set(struct cmd_ctx *c, int status, const char *args)
{
	const char *p = args;
	char *cmd1 = NULL, *cmd2 = NULL;
	int h = 0;
	struct sx_target t = { 0 };
	int rc = -1;
	if (parse_sx_options(c, &p, &cmd1, &cmd2, &h) < 0 || parse_sx_target(c, &p, &t) < 0)
		goto out;
	if (*skip_ws(p)) {
		cmd_extra_chars(c);
		goto out;
	}
	struct filter_change ch = { .cmd1 = cmd1, .cmd2 = cmd2 };
	if (status >= 0) {
		if (t.handling || h) {
			/* Handling status: sxe handled, the others not handled; events have none. */
			if (!t.is_event) {
				ch.set_handled = 1;
				ch.handled = status == FILTER_BREAK;
			}
		} else {
			ch.set_break = 1;
			ch.brk = (enum filter_break)status;
			if (t.takes_module) {
				/* "The debugger remembers only the most recent ld setting." */
				ch.set_arg = 1;
				ch.arg = t.module;
			}
		}
	} else if (t.module) {
		ch.set_arg = 1;
		ch.arg = t.module;
	}
	if (session_filter_change(c->s, t.key, &ch) < 0) {
		cmd_fail(c);
		goto out;
	}
	rc = 0;
out:
	free(cmd1);
	free(cmd2);
	free(t.module);
	return rc;
}

static int cmd_sx(struct cmd_ctx *c, const struct cmd_def *d, const char *args,
		  const struct thread_sel *sel, int id)
{
	if (args[0] == '-')
		return sx_set(c, -1, args + 1);	/* sx- */
	if (*skip_ws(args))
		return cmd_extra_chars(c);
	sx_list(c);
	return 0;
}

static int cmd_sxset(struct cmd_ctx *c, const struct cmd_def *d, const char *args,
		     const struct thread_sel *sel, int id)
{
	return sx_set(c, d->arg, args);
}

static int cmd_sxr(struct cmd_ctx *c, const struct cmd_def *d, const char *args,
		   const struct thread_sel *sel, int id)
{
	filters_reset(&c->s->filters);
	return 0;
}

/* ---- .lastevent ---- */

static int cmd_lastevent(struct cmd_ctx *c, const struct cmd_def *d, const char *args,
			 const struct thread_sel *sel, int id)
{
	struct session *s = c->s;
	const struct stop_report *rep = &s->last;
	struct sbuf sb = { 0 };
	evtext_stop(&sb, s, rep);
	if (rep->kind == REP_NONE) {
		cmd_print(c, "Last event: %s\n", sb_str(&sb));
		sb_free(&sb);
		return 0;
	}
	cmd_print(c, "Last event: %x.%x: %s\n", s->tgt ? (unsigned)s->tgt->pid : 0u, (unsigned)rep->tid,
		  sb_str(&sb));
	struct tm tm;
	time_t secs = rep->when.tv_sec;
	char date[64];
	localtime_r(&secs, &tm);
	strftime(date, sizeof(date), "%a %b %e %H:%M:%S", &tm);
	long off = tm.tm_gmtoff / 60;
	char year[16];
	strftime(year, sizeof(year), "%Y", &tm);
	cmd_print(c, "  debugger time: %s.%03ld %s (UTC %c %ld:%02ld)\n", date, rep->when.tv_nsec / 1000000,
		  year, off < 0 ? '-' : '+', labs(off) / 60, labs(off) % 60);
	sb_free(&sb);
	return 0;
}

/* ---- .exr -1 ---- */

/* "module!symbol+0x0000000000000010", offsets as wide as a pointer, as .exr shows them. */
static void exr_symbol(struct cmd_ctx *c, uint64_t addr, struct sbuf *out)
{
	struct sbuf sb = { 0 };
	if (session_describe(c->s, addr, &sb) == 0) {
		const char *plus = strstr(sb_str(&sb), "+0x");
		if (plus) {
			sb_addf(out, " (%.*s+0x%0*llx)", (int)(plus - sb_str(&sb)), sb_str(&sb),
				session_is32(c->s) ? 8 : 16, strtoull(plus + 3, NULL, 16));
		} else {
			sb_addf(out, " (%s)", sb_str(&sb));
		}
	}
	sb_free(&sb);
}

static void exr_value(struct cmd_ctx *c, struct sbuf *sb, uint64_t v)
{
	if (session_is32(c->s))
		sb_addf(sb, "%08llx", (unsigned long long)(uint32_t)v);
	else
		sb_addf(sb, "%016llx", (unsigned long long)v);
}

static int faults_at_address(int signo, int si_code)
{
	return si_code > 0 && (signo == SIGSEGV || signo == SIGBUS || signo == SIGILL || signo == SIGFPE ||
			       signo == SIGTRAP);
}

static int cmd_exr(struct cmd_ctx *c, const struct cmd_def *d, const char *args,
		   const struct thread_sel *sel, int id)
{
	struct session *s = c->s;
	const char *p = skip_ws(args);
	if (strncmp(p, "-1", 2) || *skip_ws(p + 2))
		return cmd_error(c, "not supported: .exr Address (Linux keeps no exception records; "
				    ".exr -1 shows the last signal)");
	const struct stop_report *rep = &s->last;
	uint64_t addr = rep->pc, params[4];
	int np = 0;
	unsigned code;
	struct sbuf title = { 0 }, line = { 0 }, extra = { 0 };
	switch (rep->kind) {
	case REP_SIGNAL: {
		code = (unsigned)rep->signo;
		sb_addf(&title, "%s, ", evtext_signal_meaning(rep->signo));
		evtext_signal_name(&title, rep->signo);
		const char *why = evtext_si_code(rep->signo, rep->si_code);
		params[np++] = (uint64_t)(int64_t)rep->si_code;
		if (faults_at_address(rep->signo, rep->si_code)) {
			params[np++] = rep->fault_addr;
			sb_add(&extra, rep->signo == SIGSEGV || rep->signo == SIGBUS ? "Attempt to access address "
										     : "Fault at address ");
			exr_value(c, &extra, rep->fault_addr);
			if (why)
				sb_addf(&extra, " (%s)", why);
		} else if (rep->si_code <= 0 || rep->signo == SIGCHLD) {
			params[np++] = (uint64_t)(uint32_t)rep->sender_pid;
			params[np++] = (uint64_t)(uint32_t)rep->sender_uid;
			if (rep->signo == SIGCHLD && rep->si_code > 0)
				params[np++] = (uint64_t)(int64_t)rep->child_status;
			sb_addf(&extra, "Sent by process %x (uid %d)", (unsigned)rep->sender_pid, rep->sender_uid);
			if (why)
				sb_addf(&extra, ": %s", why);
		} else if (why) {
			sb_add(&extra, why);
		}
		break;
	}
	case REP_TRAP: {
		code = 0x80000003;
		sb_add(&title, "Break instruction exception");
		/* The exception is at the int3, which rip has passed. */
		uint8_t b;
		if (addr && session_read(s, addr - 1, &b, 1) == 1 && b == 0xcc)
			addr--;
		break;
	}
	case REP_INITIAL:
	case REP_BREAKIN:
	case REP_BREAKPOINT:
		code = 0x80000003;
		sb_add(&title, "Break instruction exception");
		break;
	case REP_STEP:
		code = 0x80000004;
		sb_add(&title, "Single step exception");
		break;
	default:
		return cmd_error(c, "The last event is not an exception (.lastevent shows it)");
	}
	sb_add(&line, "ExceptionAddress: ");
	exr_value(c, &line, addr);
	exr_symbol(c, addr, &line);
	cmd_print(c, "%s\n", sb_str(&line));
	cmd_print(c, "   ExceptionCode: %08x (%s)\n", code, sb_str(&title));
	cmd_print(c, "  ExceptionFlags: %08x\n", 0u);
	cmd_print(c, "NumberParameters: %d\n", np);
	for (int i = 0; i < np; i++) {
		sb_reset(&line);
		exr_value(c, &line, params[i]);
		cmd_print(c, "   Parameter[%d]: %s\n", i, sb_str(&line));
	}
	if (extra.len)
		cmd_print(c, "%s\n", sb_str(&extra));
	sb_free(&title);
	sb_free(&line);
	sb_free(&extra);
	return 0;
}

const struct cmd_def cmd_sx_table[] = {
	{ "sx", cmd_sx, 0, 0, ARGS_ANY, "sx",
	  "List what each signal and event does (break, output, ignore...)" },
	{ "sxe", cmd_sxset, 0, FILTER_BREAK, ARGS_NEEDED,
	  "sxe [-c \"Cmd1\"] [-c2 \"Cmd2\"] [-h] {Exception|Event|*}",
	  "Break at first chance (-h: treat it as handled)" },
	{ "sxd", cmd_sxset, 0, FILTER_SECOND_CHANCE, ARGS_NEEDED,
	  "sxd [-c \"Cmd1\"] [-c2 \"Cmd2\"] [-h] {Exception|Event|*}",
	  "Break at second chance only (-h: not handled)" },
	{ "sxn", cmd_sxset, 0, FILTER_OUTPUT, ARGS_NEEDED,
	  "sxn [-c \"Cmd1\"] [-c2 \"Cmd2\"] [-h] {Exception|Event|*}",
	  "Print a line, do not break (-h: not handled)" },
	{ "sxi", cmd_sxset, 0, FILTER_IGNORE, ARGS_NEEDED,
	  "sxi [-c \"Cmd1\"] [-c2 \"Cmd2\"] [-h] {Exception|Event|*}",
	  "Ignore it (-h: not handled)" },
	{ "sx-", NULL, 0, 0, ARGS_NEEDED, "sx- [-c \"Cmd1\"] [-c2 \"Cmd2\"] {Exception|Event|*}",
	  "Change only the command strings of an exception or event" },
	{ "sxr", cmd_sxr, 0, 0, ARGS_NONE, "sxr", "Reset every exception and event to its default" },
	{ ".lastevent", cmd_lastevent, 0, 0, ARGS_NONE, ".lastevent", "Show the most recent event" },
	{ ".exr", cmd_exr, CMD_NEED_PROCESS, 0, ARGS_NEEDED, ".exr -1",
	  "Show the last signal as an exception record (its siginfo)" },
	{ NULL, NULL, 0, 0, ARGS_ANY, NULL, NULL },
};
