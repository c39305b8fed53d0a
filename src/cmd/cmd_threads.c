/*
 * cmd_threads.c — the ~ commands: list threads (~), switch (~N s), freeze
 * and unfreeze (~N f, ~N u) (windbg-commands.md §12).  They are part of
 * the line grammar (cmd.c reads the prefix and calls cmd_thread_command);
 * their rows carry only what help shows.
 */
#include "cmd/cmd.h"

#include <stdio.h>
#include <string.h>

#include "cmd/fmt.h"

void cmd_thread_row(struct cmd_ctx *c, struct target_thread *th)
{
	struct session *s = c->s;
	char mark = th->tid == s->cur_tid ? '.' : (th->tid == s->last.tid ? '#' : ' ');
	struct regs r;
	uint64_t teb = 0;
	if (target_get_regs(s->tgt, th->tid, &r) == 0)
		teb = r.r[REG_FS_BASE];
	struct sbuf sb = { 0 };
	cmd_addr(&sb, c, teb);
	char comm[64] = "";
	target_thread_name(s->tgt, th->tid, comm, sizeof(comm));
	fprintf(c->out, "%c%3d  Id: %x.%x Suspend: 1 Teb: %s %s%s%s%s\n", mark, th->index,
		(unsigned)s->tgt->pid, (unsigned)th->tid, sb_str(&sb),
		th->frozen ? "Frozen" : "Unfrozen", comm[0] ? " \"" : "", comm, comm[0] ? "\"" : "");
	sb_free(&sb);
}

int cmd_thread_command(struct cmd_ctx *c, const struct thread_sel *sel, const char *rest)
{
	struct session *s = c->s;
	if (session_require_process(s) < 0)
		return cmd_fail(c);
	rest = skip_ws(rest);
	if (!*rest) {
		for (int i = 0; i < s->tgt->nthreads; i++) {
			struct target_thread *th = s->tgt->threads[i];
			if (sel->kind == TSEL_ONE && th->tid != sel->tid)
				continue;
			cmd_thread_row(c, th);
		}
		return 0;
	}
	if ((rest[0] == 's' || rest[0] == 'f' || rest[0] == 'u') && (rest[1] == 0 || rest[1] == ' ')) {
		if (*skip_ws(rest + 1))
			return cmd_error(c, "Syntax error: unexpected text after '~%c'", rest[0]);
		if (rest[0] == 's') {
			if (sel->kind == TSEL_ALL)
				return cmd_error(c, "Syntax error: ~* s needs one thread");
			struct target_thread *th = cmd_thread_of(c, sel);
			if (!th)
				return cmd_error(c, "Illegal thread error");
			s->cur_tid = th->tid;
			s->cur_frame = 0;
			struct regs r;
			if (session_get_regs(s, th->tid, &r) == 0)
				cmd_show_location(c, r.r[REG_RIP]);
			return 0;
		}
		for (int i = 0; i < s->tgt->nthreads; i++) {
			struct target_thread *th = s->tgt->threads[i];
			if (sel->kind == TSEL_ALL || (sel->kind == TSEL_ONE ? th->tid == sel->tid
									     : th->tid == s->cur_tid))
				th->frozen = rest[0] == 'f';
		}
		return 0;
	}
	return 1;	/* not a thread command: a prefixed ordinary command */
}


/* The ~ commands are line grammar (the dispatcher reads the prefix first); the rows are for help. */
const struct cmd_def cmd_threads_table[] = {
	{ "~", NULL, 0, 0, ARGS_ANY, "~[Thread]",
	  "List threads; Thread: N, . (current), # (event), *, ~[TID], [Expr]" },
	{ "~s", NULL, 0, 0, ARGS_ANY, "~Thread s", "Make the thread current and show where it is" },
	{ "~f", NULL, 0, 0, ARGS_ANY, "~Thread f", "Freeze the thread: it stays stopped while the program runs" },
	{ "~u", NULL, 0, 0, ARGS_ANY, "~Thread u", "Unfreeze the thread" },
	{ "~e", NULL, 0, 0, ARGS_ANY, "~Thread e Commands", "Run the commands for each selected thread" },
	{ NULL, NULL, 0, 0, ARGS_ANY, NULL, NULL },
};
