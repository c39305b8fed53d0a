/*
 * bp.h — logical breakpoints (what the user set: id, kind, location,
 * enabled, passes, thread, command string, filters) over the backend's
 * points (struct point: a breakpoint or a watch at an address).
 *
 * Invariants:
 *   - ids are unique; bp_table keeps breakpoints sorted by id;
 *   - a breakpoint is "armed" exactly when it is enabled and resolved and
 *     holds one reference on its point in the backend; the backend shares
 *     identical points, so several breakpoints and run control's temporary
 *     stops share one int3, and a debug register is held only while armed
 *     (`bd` frees it);
 *   - the command string is data: bp.c never interprets it.
 */
#ifndef DR7_BP_H
#define DR7_BP_H

#include <stdint.h>
#include <sys/types.h>

#include "target/target.h"

enum bp_kind { BP_SOFTWARE, BP_HARDWARE };
/* How .bpcmds recreates it: bp (address), bu (deferred, symbolic), ba. */
enum bp_origin { BP_BP, BP_BU, BP_BA };

struct bp {
	int id;
	enum bp_kind kind;
	enum bp_origin origin;
	char *expr;		/* location as typed */
	int resolved;
	int ifunc_pending;	/* unresolved until its indirect function's implementation is known */
	uint64_t addr;
	int enabled;
	int armed;
	unsigned passes_init;
	unsigned passes_left;
	int oneshot;
	pid_t tid;		/* 0: every thread */
	int thread_index;	/* WinDbg number of tid, for display */
	char *command;		/* NULL or the command string */
	int light_command;	/* the command string only prints constant text and resumes (cmd/ decides) */
	enum point_type type;	/* BP_HARDWARE: POINT_HW_EXEC or a watch */
	int size;
	int max_depth;		/* /c: stop only when depth < max_depth (0: off) */
	int min_depth;		/* /C: stop only when depth > min_depth (0: off) */
	char *cond_text;	/* /w "..." as typed, NULL if none */
	void *cond;		/* compiled condition, owned by the session's evaluator */
	uint64_t hits;		/* times it stopped (or ran its command) */
};

struct bp_table {
	struct bp **v;
	int n;
	void (*free_cond)(void *cond);
	int first_id;	/* the lowest id given when none is asked for (0; the DAP server: 1) */
};

struct bp *bp_find(struct bp_table *t, int id);
int bp_lowest_free_id(struct bp_table *t);
/* Inserts b (id already set and unused) into the table; takes ownership. */
void bp_insert(struct bp_table *t, struct bp *b);
struct bp *bp_new(void);
void bp_free(struct bp_table *t, struct bp *b);

/* Puts the breakpoint's int3 or debug register in place / takes it away. */
int bp_arm(struct bp_table *t, struct target *tg, struct bp *b);
void bp_disarm(struct bp_table *t, struct target *tg, struct bp *b);
/* Arms or disarms to match enabled && resolved. */
int bp_sync(struct bp_table *t, struct target *tg, struct bp *b);

int bp_delete(struct bp_table *t, struct target *tg, int id);
int bp_renumber(struct bp_table *t, int old_id, int new_id);

/* The point that b asks the backend for (b must be resolved). */
struct point bp_point(const struct bp *b);
/* A software point at addr: run control's temporary stops. */
struct point bp_code_point(uint64_t addr);

/* The target is gone or was replaced: mark every breakpoint disarmed. */
void bp_forget_target(struct bp_table *t);

/* Armed breakpoints that one of the stop's points belongs to, in table
 * order: how many were written to out (at most max). */
int bp_collect_hits(struct bp_table *t, const struct stop_event *ev, struct bp **out, int max);
/* POINT_ACCESS_* bits the stop's hits of b's point say it saw (0: not known). */
unsigned bp_hit_access(const struct bp *b, const struct stop_event *ev);

#endif
