/*
 * cmd_show.c — what dr7 prints when the program stops (windbg-commands.md
 * §6.3, §6.4): the event line, the register block, the source line and
 * line number under .lines and l+s / l+l (cmd_source.c), the symbol line and
 * the disassembly of the current instruction; under l+o only the source
 * line where it is known.
 */
#include "cmd/cmd.h"

#include <signal.h>
#include <stdlib.h>
#include <string.h>

#include "x86/dis.h"
#include "cmd/evtext.h"
#include "cmd/fmt.h"

int cmd_disasm_symbolizer(void *user, uint64_t addr, struct sbuf *out)
{
	struct cmd_ctx *c = user;
	return session_describe(c->s, addr, out);
}

void cmd_show_registers(struct cmd_ctx *c, pid_t tid)
{
	struct regs r;
	if (session_get_regs(c->s, tid, &r) < 0)
		return;
	struct sbuf sb = { 0 };
	fmt_regs(&sb, &r, session_is32(c->s));
	fputs(sb_str(&sb), c->out);
	sb_free(&sb);
}

/* One disassembly line at addr into sb; returns the instruction length (0 if unreadable). */
static unsigned disasm_line(struct cmd_ctx *c, uint64_t addr, struct sbuf *sb)
{
	uint8_t buf[16];
	int n = session_read(c->s, addr, buf, sizeof(buf));
	struct dis_insn in;
	if (n <= 0 || dis_decode(buf, (size_t)n, addr, session_is32(c->s), &in) < 0) {
		cmd_addr(sb, c, addr);
		sb_add(sb, " ??              ???");
		return 0;
	}
	dis_format_line(&in, session_is32(c->s), cmd_disasm_symbolizer, c, sb);
	return in.len;
}

void cmd_show_location(struct cmd_ctx *c, uint64_t pc)
{
	struct sbuf sb = { 0 };
	const char *file;
	int line;
	/* WinDbg's source display (l+s): "> line: text" above the symbol line. */
	cmd_source_stop_line(c, pc);
	int have_line = cmd_source_line_known(c, pc, &file, &line);
	if (session_describe(c->s, pc, &sb) == 0) {
		if (have_line)
			sb_addf(&sb, " [%s @ %d]", file, line);
		fprintf(c->out, "%s:\n", sb_str(&sb));
	}
	sb_reset(&sb);
	disasm_line(c, pc, &sb);
	fprintf(c->out, "%s\n", sb_str(&sb));
	sb_free(&sb);
}

static void event_prefix(struct cmd_ctx *c, pid_t tid)
{
	fprintf(c->out, "(%x.%x): ", (unsigned)c->s->tgt->pid, (unsigned)tid);
}

static void show_full(struct cmd_ctx *c, const struct stop_report *rep)
{
	/* l+o: the source line alone, where there is one. */
	if (cmd_source_only(c) && cmd_source_stop_line(c, rep->pc))
		return;
	cmd_show_registers(c, rep->tid);
	cmd_show_location(c, rep->pc);
}

/*
 * A stop of an event filter's (rep->brk): at break the whole display; at
 * output, or the first chance of an sxd exception, only the event line,
 * since the program stopped just to run the filter's commands; at ignore
 * nothing (events, which have no first chance, also nothing at sxd).
 */
void cmd_show_stop(struct cmd_ctx *c, const struct stop_report *rep)
{
	struct session *s = c->s;
	int full = rep->brk == FILTER_BREAK;
	int line = full || rep->brk == FILTER_OUTPUT || rep->brk == FILTER_SECOND_CHANCE;
	int event_line = full || rep->brk == FILTER_OUTPUT;	/* events have no first chance to tell */
	struct sbuf sb = { 0 };
	switch (rep->kind) {
	case REP_NONE:
		break;
	case REP_INITIAL:
	case REP_BREAKIN:
	case REP_TRAP:
	case REP_SIGNAL:
		if (!line)
			break;
		event_prefix(c, rep->tid);
		evtext_stop(&sb, s, rep);
		fprintf(c->out, "%s\n", sb_str(&sb));
		if (rep->kind == REP_SIGNAL && full && !rep->second_chance)
			fprintf(c->out, "First chance exceptions are reported before any exception handling.\n"
					"This exception may be expected and handled.\n");
		if (full)
			show_full(c, rep);
		break;
	case REP_EVENT:
		/* A module's ModLoad line came with its event. */
		if (event_line && rep->event != FEV_LOAD_MODULE && rep->event != FEV_UNLOAD_MODULE) {
			event_prefix(c, rep->event == FEV_CREATE_PROCESS ? rep->tid : rep->event_tid);
			evtext_stop(&sb, s, rep);
			fprintf(c->out, "%s\n", sb_str(&sb));
		}
		if (full)
			show_full(c, rep);
		break;
	case REP_BREAKPOINT: {
		int show = 0;
		for (int i = 0; i < rep->nhits; i++) {
			struct bp *b = bp_find(&s->bps, rep->hit_ids[i]);
			if (b && b->command)
				continue;
			struct sbuf how = { 0 };
			if (b && b->kind == BP_HARDWARE && b->type != POINT_HW_EXEC &&
			    (b->type == POINT_WATCH_RW || rep->by_syscall))
				evtext_watch_access(&how, rep->hit_rw[i], rep->by_syscall, rep->syscall_nr,
						    session_is32(s));
			fprintf(c->out, "Breakpoint %d hit%s\n", rep->hit_ids[i], sb_str(&how));
			sb_free(&how);
			show = 1;
		}
		if (show)
			show_full(c, rep);
		break;
	}
	case REP_STEP:
		show_full(c, rep);
		break;
	case REP_EXIT:
	case REP_GONE: {
		/* epr: the final breakpoint; -G (sxd epr) and sxi epr end silently, as in CDB. */
		enum filter_break epr = s->filters.ev[FEV_EXIT_PROCESS].brk;
		if (rep->already_reported || (rep->kind == REP_GONE && epr != FILTER_BREAK && epr != FILTER_OUTPUT) ||
		    (rep->kind == REP_EXIT && !event_line))
			break;
		event_prefix(c, rep->tid);
		evtext_process_end(&sb, rep->exit_code, rep->term_signal);
		fprintf(c->out, "%s\n", sb_str(&sb));
		break;
	}
	}
	sb_free(&sb);
}
