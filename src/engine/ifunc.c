/*
 * ifunc.c — software breakpoints on GNU indirect functions (glibc's
 * memcmp, strlen, strstr...): they go to the implementation the program
 * calls, not to the resolver the symbol names, as gdb does.
 *
 * The implementation comes from the program's own relocated GOT
 * (sym_ifunc_target).  Until one slot is relocated (a function that only
 * a lazily bound PLT entry reaches, before its first call; a library
 * being dlopened), run control watches the resolver: an internal stop at
 * its entry, then one at its return address for that thread, where the
 * return register holds the implementation.  The breakpoint waits
 * unresolved meanwhile and is placed before the program jumps there, so
 * the first call is caught too.  Nothing runs in the program that would
 * not run anyway.
 *
 * Invariants: a watch holds one software point at its resolver until its
 * implementation is known, and one at the return address while a thread
 * is inside the resolver; an image replaced by exec forgets them all
 * (the points died with the image).
 */
#include "engine/session.h"

#include <stdio.h>
#include <string.h>

static struct ifunc_watch *watch_of(struct session *s, uint64_t resolver)
{
	for (int i = 0; i < s->nifuncs; i++)
		if (s->ifuncs[i].resolver == resolver)
			return &s->ifuncs[i];
	return NULL;
}

static int point_at(struct session *s, uint64_t addr, int insert)
{
	struct point p = bp_code_point(addr);
	return insert ? target_insert_point(s->tgt, &p) : target_remove_point(s->tgt, &p);
}

int session_ifunc_place(struct session *s, uint64_t addr, uint64_t *impl)
{
	*impl = addr;
	if (!s->sym)
		return 0;
	struct ifunc_watch *w = watch_of(s, addr);
	if (w && w->impl) {
		*impl = w->impl;
		return 0;
	}
	int r = sym_ifunc_target(s->sym, addr, impl);
	if (r >= 0) {
		if (r == 1)
			*impl = addr;
		return 0;
	}
	char why[256];
	snprintf(why, sizeof(why), "%s", err_get());
	if (!w && session_has_process(s)) {
		if (s->nifuncs == MAX_IFUNC_WATCHES)
			return err_set("%s (and too many are awaited)", why);
		if (point_at(s, addr, 1) < 0)
			return err_set("%s (its resolver cannot be watched: %s)", why, err_get());
		w = &s->ifuncs[s->nifuncs++];
		memset(w, 0, sizeof(*w));
		w->resolver = addr;
	}
	return err_set("%s: the breakpoint waits for its resolver to choose", why);
}

int session_ifunc_stop(struct session *s, pid_t tid, uint64_t pc)
{
	int chosen = 0;
	for (int i = 0; i < s->nifuncs; i++) {
		struct ifunc_watch *w = &s->ifuncs[i];
		if (w->impl)
			continue;
		struct regs r;
		if (pc == w->resolver && !w->ret) {
			/* At the resolver's entry the return address is at the stack pointer. */
			uint64_t ra = 0;
			int wsz = session_is32(s) ? 4 : 8;
			if (target_get_regs(s->tgt, tid, &r) < 0 ||
			    target_read(s->tgt, r.r[REG_RSP], &ra, (size_t)wsz) != wsz || point_at(s, ra, 1) < 0)
				continue;
			w->ret = ra;
			w->tid = tid;
			w->min_sp = r.r[REG_RSP] + (uint64_t)wsz;
		} else if (w->ret && pc == w->ret && tid == w->tid && target_get_regs(s->tgt, tid, &r) == 0 &&
			   r.r[REG_RSP] >= w->min_sp) {
			uint64_t impl = r.r[REG_RAX];
			if (session_is32(s))
				impl &= 0xffffffffu;
			point_at(s, w->ret, 0);
			w->ret = 0;
			if (!impl)
				continue;	/* no choice made: wait for the next call */
			w->impl = impl;
			point_at(s, w->resolver, 0);
			chosen = 1;
		}
	}
	return chosen;
}

void session_ifunc_forget(struct session *s)
{
	s->nifuncs = 0;
}
