/*
 * dap_console.c — dr7's own text in a DAP session.  The command layer
 * prints into a memory stream (the context's output); what accumulates is
 * either taken as a REPL result or sent as console output events.  The
 * engine's listener is here too: an event gives dr7's usual line (as the
 * command line prints it, cmd_show_event) and the DAP event for it
 * (module, thread).
 *
 * Invariant: text is taken exactly once: after dap_console_take the stream
 * is empty again (rewound, not reopened: a .logopen tee may sit in front).
 */
#include "front/dap.h"

#include <stdlib.h>
#include <string.h>

char *dap_console_take(void)
{
	fflush(dap->c.out);
	fflush(dap->console);
	char *text = xstrndup(dap->console_buf ? dap->console_buf : "", dap->console_len);
	rewind(dap->console);
	fflush(dap->console);
	return text;
}

void dap_console_flush(void)
{
	char *text = dap_console_take();
	dap_output("console", text, strlen(text));
	free(text);
}

char *dap_run_command(const char *line)
{
	dap_console_flush();
	cmd_run_line(&dap->c, line);
	return dap_console_take();
}

json_t *dap_module_json(const char *path, uint64_t start, uint64_t end)
{
	json_t *m = json_object();
	char id[32];
	snprintf(id, sizeof(id), "0x%llx", (unsigned long long)start);
	json_object_set_new(m, "id", dap_text(id));
	const char *slash = path ? strrchr(path, '/') : NULL;
	json_object_set_new(m, "name", dap_text(slash ? slash + 1 : path ? path : "?"));
	if (path)
		json_object_set_new(m, "path", dap_text(path));
	char range[64];
	snprintf(range, sizeof(range), "0x%llx-0x%llx", (unsigned long long)start, (unsigned long long)end);
	json_object_set_new(m, "addressRange", dap_text(range));
	return m;
}

void dap_listener(void *user, const struct engine_event *ev)
{
	(void)user;
	cmd_show_event(&dap->c, ev);
	json_t *b = json_object();
	switch (ev->kind) {
	case EV_MODULE_LOADED:
	case EV_MODULE_UNLOADED:
		json_object_set_new(b, "reason", dap_text(ev->kind == EV_MODULE_LOADED ? "new" : "removed"));
		json_object_set_new(b, "module", dap_module_json(ev->path, ev->start, ev->end));
		dap_event("module", b);
		return;
	case EV_THREAD_CREATED:
	case EV_THREAD_EXITED:
		json_object_set_new(b, "reason", dap_text(ev->kind == EV_THREAD_CREATED ? "started" : "exited"));
		json_object_set_new(b, "threadId", json_integer(ev->tid));
		dap_event("thread", b);
		return;
	default:
		break;	/* breakpoint changes are announced after the stop (dap_bptab.c) */
	}
	json_decref(b);
}
