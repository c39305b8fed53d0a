/*
 * event.h — what the engine tells a front end while it works: things that
 * happen to the program or the breakpoints between the user's commands
 * (a module loaded, a breakpoint removed and why, a thread created...).
 *
 * The engine never formats them: it fills a struct engine_event and hands
 * it to the session's listener, which prints it (cmd/) or sends it as JSON
 * (a DAP server).  Pointers inside an event are valid only during the
 * call; a listener copies what it keeps and never calls back into the
 * engine.  Stops are not events: run control returns them (struct
 * stop_report).
 *
 * notify says whether the user is to be told: the engine decides it from
 * the event filters (sx), so a listener prints a notified event and keeps
 * quiet about the rest (a DAP server may send everything).
 */
#ifndef DR7_EVENT_H
#define DR7_EVENT_H

#include <stdint.h>
#include <sys/types.h>

enum engine_event_kind {
	EV_MODULE_LOADED,	/* module: start, end, path (or name) */
	EV_MODULE_UNLOADED,	/* module: start, end, path (or name) */
	EV_IMAGE_REPLACED,	/* the process called exec: pid */
	EV_BP_REMOVED,		/* bp_id, removal */
	EV_BP_REARMED,		/* bp_id: a processor breakpoint armed again after exec */
	EV_BP_ARM_FAILED,	/* bp_id, removal (why it was tried), message */
	EV_BP_CONDITION_FAILED,	/* bp_id, message: the /w condition could not be evaluated; it stops */
	EV_THREAD_CREATED,	/* tid, thread_index */
	EV_THREAD_EXITED,	/* tid, thread_index */
	EV_SIGNAL,		/* a signal passed on without a stop: tid, signo, si_code, second_chance */
	EV_FORK,		/* the program forked: tid (the parent thread), child (not debugged) */
};

/* Why a breakpoint went away, or when arming it was tried. */
enum bp_removal {
	BP_REMOVAL_NONE,
	BP_REMOVAL_EXEC,	/* the process image was replaced: address breakpoints die with it */
	BP_REMOVAL_UNLOADED,	/* its module was unloaded */
	BP_REMOVAL_ONESHOT,	/* a /1 breakpoint after its hit */
	BP_REMOVAL_DEFERRED,	/* arming a deferred (bu) breakpoint when its module appeared */
};

struct engine_event {
	enum engine_event_kind kind;
	int bp_id;
	enum bp_removal removal;
	const char *message;	/* EV_BP_ARM_FAILED, EV_BP_CONDITION_FAILED: the reason */
	uint64_t start, end;	/* modules */
	const char *path;	/* modules: the file, or its name when the path is unknown */
	int is32;		/* how addresses are shown */
	pid_t pid, tid;
	int thread_index;
	int notify;		/* the filters say the user sees it (sxe/sxn) */
	int signo, si_code, second_chance;	/* EV_SIGNAL */
	pid_t child;		/* EV_FORK */
};

typedef void (*engine_listener)(void *user, const struct engine_event *ev);

#endif
