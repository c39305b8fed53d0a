/*
 * cmd_events.c — engine events as WinDbg-style text lines.  This is the
 * command line's listener; the engine only fills structs (engine/event.h).
 * Module loads and unloads, thread creation and exit, forks and signals
 * passed on print only when the event filters say so (ev->notify: `sx`
 * ld, ud, ct, et, cpr and the exceptions); a one-shot breakpoint going
 * after its hit prints nothing.
 */
#include "cmd/cmd.h"
#include "cmd/evtext.h"
#include "cmd/fmt.h"

static const char *removal_reason(enum bp_removal r)
{
	switch (r) {
	case BP_REMOVAL_EXEC:
		return "the process image was replaced by exec";
	case BP_REMOVAL_UNLOADED:
		return "its module was unloaded";
	case BP_REMOVAL_ONESHOT:
	case BP_REMOVAL_DEFERRED:
	case BP_REMOVAL_NONE:
		break;
	}
	return "removed";
}

void cmd_show_event(void *user, const struct engine_event *ev)
{
	struct cmd_ctx *c = user;
	struct sbuf sb = { 0 };
	switch (ev->kind) {
	case EV_MODULE_LOADED:
	case EV_MODULE_UNLOADED:
		if (!ev->notify)
			return;
		evtext_module(&sb, ev->kind == EV_MODULE_LOADED, ev->path, ev->start, ev->end, ev->is32);
		break;
	case EV_THREAD_CREATED:
	case EV_THREAD_EXITED:
		if (!ev->notify)
			return;
		sb_addf(&sb, "(%x.%x): ", (unsigned)ev->pid, (unsigned)ev->tid);
		evtext_thread_event(&sb, ev->kind == EV_THREAD_CREATED, ev->thread_index, ev->tid);
		break;
	case EV_SIGNAL:
		if (!ev->notify)
			return;
		sb_addf(&sb, "(%x.%x): ", (unsigned)ev->pid, (unsigned)ev->tid);
		evtext_exception(&sb, ev->signo, ev->second_chance);
		break;
	case EV_FORK:
		if (!ev->notify)
			return;
		sb_addf(&sb, "(%x.%x): ", (unsigned)ev->pid, (unsigned)ev->tid);
		evtext_fork(&sb, ev->child);
		break;
	case EV_IMAGE_REPLACED:
		sb_addf(&sb, "Process %d replaced its image (exec)", (int)ev->pid);
		break;
	case EV_BP_REMOVED:
		if (ev->removal == BP_REMOVAL_ONESHOT)
			return;
		sb_addf(&sb, "Breakpoint %d removed: %s", ev->bp_id, removal_reason(ev->removal));
		break;
	case EV_BP_REARMED:
		sb_addf(&sb, "Breakpoint %d re-armed after exec (debug registers are cleared by exec)",
			ev->bp_id);
		break;
	case EV_BP_ARM_FAILED:
		if (ev->removal == BP_REMOVAL_EXEC)
			sb_addf(&sb, "Breakpoint %d could not be re-armed after exec: %s", ev->bp_id, ev->message);
		else
			sb_addf(&sb, "Breakpoint %d could not be set: %s", ev->bp_id, ev->message);
		break;
	case EV_BP_CONDITION_FAILED:
		sb_addf(&sb, "Breakpoint %d: condition cannot be evaluated here (%s); stopping", ev->bp_id,
			ev->message);
		break;
	}
	fprintf(c->out, "%s\n", sb_str(&sb));
	fflush(c->out);
	sb_free(&sb);
}
