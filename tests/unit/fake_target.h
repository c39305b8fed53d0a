/*
 * fake_target.h — a scriptable in-memory backend (struct target_ops) for
 * unit tests of everything above target.h: run control, breakpoints,
 * sessions, without a process.
 *
 * The fake holds one flat memory region (the program's code and data), the
 * threads with their registers, the points the engine inserted (software
 * ones through target.c's shared sites, so reads hide the 0xCC; hardware
 * ones in a table of 4, reference-counted like debug registers), and a
 * script: what the program does, in order.  wait() turns the next script
 * entry into the stop event a real backend would report, or into nothing:
 *   - "thread T reaches X" stops only when a point of ours is at X (an
 *     inserted int3, or an execute point for T); otherwise the program simply
 *     runs through and the entry is dropped (counted in `dropped`);
 *   - "thread T accesses [A, A+len)" stops only when a watch of the right
 *     kind (write / read-write, every thread or T) overlaps it;
 *   - a step completes, a signal arrives, the program traps, exits, execs,
 *     is killed, is interrupted (Ctrl-C), a thread starts or ends.
 * While one thread is stepped alone (resume_req.step_only) only its entries,
 * and process-wide ones, are eligible; the others wait their turn.
 *
 * resume() records every request (which thread steps, which signal goes to
 * which thread) and, like a real backend, first moves the thread of the last
 * reported breakpoint or step past an int3 of ours it stands on: the move is recorded and
 * the thread's pc advances by the instruction's length (the fake does not
 * emulate control flow: the thread's next script entry places it).  An exec
 * stop, like a break-in, leaves its thread before any instruction of the new
 * image, so the int3 run control puts at the entry is reached, not skipped
 * (the ptrace backend gets the same from the kernel: the first step after an
 * exec stop reports the end of execve without executing anything).
 *
 * Invariants the fake checks and counts in `violations` (a test asserts it
 * stays 0; `violation` holds the first message): resume and wait alternate;
 * nothing resumes a process that is gone; every remove matches an insert;
 * a scripted step belongs to the thread the last resume stepped.
 */
#ifndef DR7_FAKE_TARGET_H
#define DR7_FAKE_TARGET_H

#include <stdint.h>
#include <sys/types.h>

#include "target/target.h"

/* Above any pid_max (2^22): no /proc entry can exist, nothing real is touched. */
#define FAKE_PID 5000000
#define FAKE_MEM_SIZE 0x2000u
#define FAKE_HW_SLOTS 4
#define FAKE_MAX_SCRIPT 64
#define FAKE_MAX_RESUMES 64

enum fake_kind {
	FAKE_EXEC,		/* the image is replaced; tid's pc becomes pc */
	FAKE_REACH,		/* tid reaches pc (executes what is there) */
	FAKE_ACCESS,		/* tid accesses [addr, addr+len) in the instruction ending at pc */
	FAKE_STEP,		/* the single step of tid ends at pc (may access memory too) */
	FAKE_SIGNAL,		/* signo arrives for tid, where it is */
	FAKE_TRAP,		/* tid executes an int3 of the program's own, ending at pc */
	FAKE_INTERRUPT,		/* the user presses Ctrl-C while the program runs */
	FAKE_EXIT,		/* the process is about to exit with status code */
	FAKE_GONE,		/* the process no longer exists: exit status code, or killed by signo */
	FAKE_CLONE,		/* thread tid starts (not reported: backends absorb it) */
	FAKE_THREAD_EXIT,	/* thread tid ends (not reported) */
};

struct fake_event {
	enum fake_kind kind;
	pid_t tid;
	uint64_t pc;
	uint64_t addr;		/* ACCESS, STEP: memory touched (len 0: none) */
	int len;
	int write;
	int signo;		/* SIGNAL; GONE: the killing signal */
	int si_code;
	uint64_t fault_addr;
	int code;		/* EXIT, GONE */
	int nset;		/* registers tid holds at the event */
	struct {
		int reg;
		uint64_t val;
	} set[4];
	int done;
};

struct fake_resume {
	struct resume_req req;
	/* Threads first moved past an int3 of ours: the last event's, then the stepped one. */
	int nmoved;
	struct {
		pid_t tid;
		uint64_t addr;
	} moved[2];
};

struct fake {
	struct target *t;
	uint64_t base;		/* memory is [base, base + FAKE_MEM_SIZE) */
	uint8_t mem[FAKE_MEM_SIZE];
	uint8_t image[FAKE_MEM_SIZE];	/* what exec loads into mem */
	uint64_t entry, interp_base;	/* auxv */
	uint64_t handled;	/* bit n: the program catches signal n */

	struct fake_event script[FAKE_MAX_SCRIPT];
	int nscript;
	struct fake_event overflow;	/* where entries past FAKE_MAX_SCRIPT go (a violation) */
	int dropped;		/* entries no point of ours caught: the program ran on */

	struct point hw[FAKE_HW_SLOTS];
	int hw_refs[FAKE_HW_SLOTS];

	struct fake_resume resumes[FAKE_MAX_RESUMES];
	int nresumes;
	int running;		/* resumed and not yet waited for */
	int stop_alls;		/* how often the engine asked every thread to stop */
	pid_t step_only;	/* the last resume stepped this thread alone */
	pid_t stepped;		/* the last resume stepped this thread */
	pid_t last_event_tid;

	int detached;
	int detach_signo;
	int points_at_detach;	/* int3 sites and hardware points left when detach was called */
	int killed;

	int violations;
	char violation[256];
};

/* A stopped process FAKE_PID with one thread (FAKE_PID) at entry, its
 * memory filled with nops, then code copied to base.  The first scripted
 * event should be FAKE_EXEC (launch) unless the target counts as attached. */
struct fake *fake_new(uint64_t base, const uint8_t *code, size_t n, uint64_t entry);
struct fake *fake_of(struct target *t);

/* Hands f's target to the next launch or attach of fake_backend. */
void fake_backend_prepare(struct fake *f);
extern const struct target_backend fake_backend;

void fake_add_thread(struct fake *f, pid_t tid);
void fake_set_reg(struct fake *f, pid_t tid, int reg, uint64_t val);
uint64_t fake_get_reg(struct fake *f, pid_t tid, int reg);
void fake_set_handled(struct fake *f, int signo, int handled);
/* Software sites (inserted 0xCC bytes) plus hardware points in use. */
int fake_points_in_use(const struct fake *f);
int fake_hw_in_use(const struct fake *f);
/* References the fake holds for point p (0: not inserted). */
int fake_point_refs(const struct fake *f, const struct point *p);
/* How many 0xCC bytes memory holds in [base, base + FAKE_MEM_SIZE). */
int fake_count_cc(const struct fake *f);

/* Script entries, in the order the program does them; each returns the entry
 * so a test may give it registers (fake_event_reg). */
struct fake_event *fake_script(struct fake *f, enum fake_kind kind, pid_t tid, uint64_t pc);
struct fake_event *fake_script_reach(struct fake *f, pid_t tid, uint64_t pc);
struct fake_event *fake_script_access(struct fake *f, pid_t tid, uint64_t addr, int len, int write,
				      uint64_t pc_after);
struct fake_event *fake_script_step(struct fake *f, pid_t tid, uint64_t pc);
struct fake_event *fake_script_signal(struct fake *f, pid_t tid, int signo, uint64_t fault_addr);
/* FAKE_EXIT then FAKE_GONE with the same status. */
void fake_script_exit(struct fake *f, int code);
struct fake_event *fake_event_reg(struct fake_event *e, int reg, uint64_t val);
/* Entries not yet delivered or dropped. */
int fake_script_left(const struct fake *f);

#endif
