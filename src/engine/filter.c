/*
 * filter.c — the event-filter table (filter.h): its defaults, changes and
 * lookups.  Pure data: run control reads it, nothing here touches the
 * program.
 *
 * The defaults follow WinDbg's where it has the event (windbg-commands.md
 * §14, "Controlling exceptions and events"): av (SIGSEGV) and dz (SIGFPE)
 * break, ii (SIGILL) breaks at second chance, the program's own int3 (bpe)
 * breaks and is handled, ld prints, ct/et/cpr/ud are ignored, epr (the
 * final breakpoint) breaks, and any other exception breaks at second
 * chance.  dr7's own choices for what Windows has not: SIGBUS and SIGABRT
 * break at first chance (dr7 always did), and the signals whose default
 * action never ends the process (SIGCHLD, SIGCONT, SIGURG, SIGWINCH and the
 * stop signals) are ignored: a second chance never comes for them, so
 * WinDbg's second-chance default would only print a line for each.
 */
#include "engine/filter.h"

#include <signal.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "util/util.h"

int filter_signal_catchable(int signo)
{
	return signo >= 1 && signo <= FILTER_MAX_SIGNAL && signo != SIGKILL;
}

int filter_default_kills(int signo)
{
	switch (signo) {
	case SIGCHLD:
	case SIGCONT:
	case SIGURG:
	case SIGWINCH:
	case SIGSTOP:
	case SIGTSTP:
	case SIGTTIN:
	case SIGTTOU:
		return 0;
	default:
		return 1;
	}
}

static void filter_clear(struct filter *f)
{
	free(f->cmd1);
	free(f->cmd2);
	free(f->arg);
	memset(f, 0, sizeof(*f));
}

static enum filter_break signal_default(int signo)
{
	switch (signo) {
	case SIGSEGV:
	case SIGBUS:
	case SIGFPE:
	case SIGABRT:
	case SIGINT:
		return FILTER_BREAK;
	case SIGILL:
		return FILTER_SECOND_CHANCE;
	default:
		return filter_default_kills(signo) ? FILTER_SECOND_CHANCE : FILTER_IGNORE;
	}
}

void filters_free(struct filter_table *t)
{
	for (int i = 0; i < FEV_COUNT; i++)
		filter_clear(&t->ev[i]);
	for (int i = 0; i <= FILTER_MAX_SIGNAL; i++)
		filter_clear(&t->sig[i]);
	filter_clear(&t->other);
}

void filters_reset(struct filter_table *t)
{
	filters_free(t);
	for (int i = 0; i < FEV_COUNT; i++)
		t->ev[i].brk = FILTER_IGNORE;
	t->ev[FEV_EXIT_PROCESS].brk = FILTER_BREAK;
	t->ev[FEV_LOAD_MODULE].brk = FILTER_OUTPUT;
	t->ev[FEV_BREAK_INSTRUCTION].brk = FILTER_BREAK;
	t->ev[FEV_BREAK_INSTRUCTION].handled = 1;
	t->other.brk = FILTER_SECOND_CHANCE;
	/* The standard signals are listed one by one; real-time ones fall under "*". */
	for (int i = 1; i < 32; i++) {
		if (!filter_signal_catchable(i))
			continue;
		t->sig[i].brk = signal_default(i);
		t->sig[i].own = 1;
	}
}

struct filter *filter_for_signal(struct filter_table *t, int signo)
{
	if (signo >= 1 && signo <= FILTER_MAX_SIGNAL && t->sig[signo].own)
		return &t->sig[signo];
	return &t->other;
}

struct filter *filter_lookup(struct filter_table *t, struct filter_key key)
{
	switch (key.kind) {
	case FKEY_EVENT:
		return key.id >= 0 && key.id < FEV_COUNT ? &t->ev[key.id] : NULL;
	case FKEY_SIGNAL:
		return filter_signal_catchable(key.id) ? filter_for_signal(t, key.id) : NULL;
	case FKEY_OTHER:
		return &t->other;
	}
	return NULL;
}

/* Replaces *slot with a copy of text ("" or NULL: none). */
static void set_string(char **slot, const char *text)
{
	free(*slot);
	*slot = text && *text ? xstrdup(text) : NULL;
}

int filter_apply(struct filter_table *t, struct filter_key key, const struct filter_change *ch)
{
	struct filter *f;
	if (key.kind == FKEY_SIGNAL) {
		if (!filter_signal_catchable(key.id))
			return err_set("Signal %d cannot be filtered: %s", key.id,
				       key.id == SIGKILL ? "the kernel never shows SIGKILL to a debugger"
							 : "no such signal");
		f = &t->sig[key.id];
		if (!f->own) {
			/* A signal named for the first time starts from what "*" says. */
			filter_clear(f);
			f->brk = t->other.brk;
			f->handled = t->other.handled;
			f->own = 1;
		}
	} else {
		f = filter_lookup(t, key);
		if (!f)
			return err_set("No such event filter");
	}
	if (ch->set_break)
		f->brk = ch->brk;
	if (ch->set_handled)
		f->handled = ch->handled;
	if (ch->cmd1)
		set_string(&f->cmd1, ch->cmd1);
	if (ch->cmd2)
		set_string(&f->cmd2, ch->cmd2);
	if (ch->set_arg)
		set_string(&f->arg, ch->arg);
	return 0;
}

/* "libfoo" for "/usr/lib/libfoo.so.1": the file name up to its first dot. */
static int stem_equals(const char *pattern, const char *path)
{
	const char *base = strrchr(path, '/');
	base = base ? base + 1 : path;
	size_t n = strcspn(base, ".");
	return n == strlen(pattern) && !strncasecmp(base, pattern, n);
}

int filter_module_matches(const struct filter *f, const char *name, const char *path, uint64_t start)
{
	const char *p = f->arg;
	if (!p)
		return 1;
	/* An address names the module loaded there. */
	char *end;
	unsigned long long addr = strtoull(p, &end, 16);
	if (*p && !*end && addr == start)
		return 1;
	const char *base = path ? strrchr(path, '/') : NULL;
	base = base ? base + 1 : path;
	if (name && wild_match(p, name, 0))
		return 1;
	if (path && (wild_match(p, path, 0) || wild_match(p, base, 0)))
		return 1;
	return path && !wild_has_wildcards(p) && stem_equals(p, path);
}
