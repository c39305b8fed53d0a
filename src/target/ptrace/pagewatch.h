/*
 * pagewatch.h — watches served by page protection: the watched ranges, the
 * table of the program's pages that hold watched bytes (each page's own
 * protection and the one dr7 imposes), and deciding at a SIGSEGV whether
 * it is ours and what the faulting instruction touched.
 *
 * A page holding bytes a load watch (`ba l`, `ba r`) sees is made
 * PROT_NONE, one holding only store-watched bytes loses PROT_WRITE; pages
 * are changed with mprotect run inside the program (inject.c).
 *
 * Invariants:
 *   - pages[] is sorted by address, one entry per page holding watched
 *     bytes; own is the program's protection (what it set or mapped), now
 *     is what is in force in the program; now == imposed except while a
 *     page is opened (a step, a system call's buffer);
 *   - a page some thread's call in progress opened (nopeners > 0) stays at
 *     own until the last of those threads reaches its exit stop; no other
 *     thread's exit, step or watch change closes it;
 *   - a page never has more access than own gives it;
 *   - an access to unwatched bytes completes without a report; the
 *     program's own faults (own forbids the access) are never absorbed.
 */
#ifndef DR7_PAGEWATCH_H
#define DR7_PAGEWATCH_H

#include <signal.h>
#include <stdint.h>
#include <sys/types.h>

#include "target/target.h"
#include "x86/access.h"

struct target_thread;

struct pw_watch {
	struct point p;
	unsigned sees;		/* ACCESS_READ / ACCESS_WRITE */
	int refs;
};

struct pw_page {
	uint64_t addr;
	int own;		/* the program's PROT_* bits; -1: not mapped */
	int now;		/* in force now */
	/* The threads whose system call in progress needs the page open (own):
	 * it is closed only when the last of them leaves its call. */
	pid_t *openers;
	int nopeners;
	uint32_t unrelated;	/* faults of accesses to unwatched bytes (placement) */
};

struct pw_state {
	struct pw_watch *w;
	int nw;
	struct pw_page *pages;
	int npages;
	/* Pages given back recently: a fault on one that was already queued is
	 * stale (the access succeeds when the instruction runs again). */
	uint64_t former[4096];	/* a 16 MiB watch's pages, at the most */
	int nformer, former_next;
};

/* What an access to pages of ours amounts to. */
enum pw_verdict {
	PW_NOT_OURS,		/* not a page of ours, or the program itself would fault: its signal */
	PW_EMULATED,		/* completed in dr7: th is past the instruction */
	PW_STEP,		/* must run on the CPU with the pages in open[] opened */
};

#define PW_MAX_OPEN 8
struct pw_fault {
	enum pw_verdict verdict;
	struct point hits[STOP_MAX_POINTS];
	unsigned hit_rw[STOP_MAX_POINTS];
	int nhits;
	int unknown;		/* the instruction could not be decoded: hits are found by comparing bytes */
	uint64_t open[PW_MAX_OPEN];	/* pages to open for the step */
	int nopen;
	uint64_t pc;		/* the instruction's address */
	struct mem_access acc[ACCESS_MAX];	/* what it may access (x86/access.c) */
	int nacc;
	uint64_t rcx;		/* before it ran, and its direction flag: a repeated string op's extent */
	int df;
};

static inline int pw_active(const struct pw_state *s)
{
	return s->nw > 0;
}

/* The page of ours holding addr, or NULL. */
struct pw_page *pw_page_find(struct pw_state *s, uint64_t addr);

/* Adds one reference to watch p (served by pages), protecting the pages it
 * covers (those a call in progress needs stay open until it returns); inj
 * is a stopped thread to run mprotect in.  All or nothing: 0 / -1. */
int pw_insert(struct target *t, struct target_thread *inj, const struct point *p);
/* Drops one reference; with the last, the pages get back what they need. */
int pw_remove(struct target *t, struct target_thread *inj, const struct point *p);

/* Every page back to the program's protection; every watch forgotten. */
int pw_remove_all(struct target *t, struct target_thread *inj);
/* The image was replaced (exec): pages and watches are gone with it. */
void pw_forget(struct target *t);

/* A SEGV_ACCERR of th's on a page given back recently: 1 when th should just
 * run the instruction again.  Once per thread and page: a second fault there
 * in a row is the program's own. */
int pw_stale_fault(struct target *t, struct target_thread *th, const siginfo_t *si);

/* Puts the program's protection back in a fork child (a copy of our pages). */
void pw_restore_child(struct target *t, pid_t child);

/* A vfork child runs in our memory untraced: every page gets the program's
 * protection (mprotect run in the child, at its first stop) until the
 * parent's VFORK_DONE, when ours are imposed again (run in the parent). */
void pw_vfork_open(struct target *t, pid_t child);
void pw_vfork_close(struct target *t, struct target_thread *parent);

/*
 * th stopped with SIGSEGV si: decides (and, where dr7 can, completes the
 * access by emulation).  With PW_STEP the caller stops every other thread,
 * opens f->open (pw_set_open), steps th, closes them, and reports f's hits
 * (pw_finish_step for an undecodable instruction).
 */
void pw_on_fault(struct target *t, struct target_thread *th, const siginfo_t *si, struct pw_fault *f);
/* After the step of f's instruction (rcx_after: rcx then): a repe/repne
 * string instruction that stopped short of its count has its hits found
 * again over the iterations that ran, so none is invented. */
void pw_after_step(struct target *t, pid_t tid, struct pw_fault *f, uint64_t rcx_after);
/* Opens (open = 1: the program's protection) or closes the pages of f, run in th. */
int pw_set_open(struct target *t, struct target_thread *th, const struct pw_fault *f, int open);
/* Before/after the step of an undecodable instruction: snapshot of watched
 * bytes on f's pages, then the store watches whose bytes changed. */
void pw_snapshot(struct target *t, struct pw_fault *f, uint8_t **snap);
void pw_finish_step(struct target *t, pid_t tid, struct pw_fault *f, uint8_t *snap);

/*
 * Opens (program's protection) every page of ours in [addr, addr+len) for
 * a system call of th: at its syscall-entry stop (at_entry), or at its exit
 * stop before the call runs again.  The count of pages opened, or -1.
 */
int pw_open_for_syscall(struct target *t, struct target_thread *th, uint64_t addr, uint64_t len, int at_entry);
/* th's call is over (th at its exit stop): th leaves the openers of every
 * page, and the pages no other call in progress needs are closed. */
int pw_close_after_syscall(struct target *t, struct target_thread *th);

/*
 * The program changed its own mappings (th at the exit stop of a successful
 * mprotect, munmap, mremap, mmap or brk over [addr, addr+len), new_prot for
 * mprotect/mmap, -1 unmapped): own is updated and ours imposed again.
 */
int pw_program_mapped(struct target *t, struct target_thread *th, uint64_t addr, uint64_t len, int new_prot);

#endif
