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

/* "SEGV" for SIGSEGV; NULL for numbers without a name. */
static const char *signal_abbrev(int signo)
{
	static const char *const names[] = {
		[SIGHUP] = "HUP", [SIGINT] = "INT", [SIGQUIT] = "QUIT", [SIGILL] = "ILL",
		[SIGTRAP] = "TRAP", [SIGABRT] = "ABRT", [SIGBUS] = "BUS", [SIGFPE] = "FPE",
		[SIGKILL] = "KILL", [SIGUSR1] = "USR1", [SIGSEGV] = "SEGV", [SIGUSR2] = "USR2",
		[SIGPIPE] = "PIPE", [SIGALRM] = "ALRM", [SIGTERM] = "TERM", [SIGCHLD] = "CHLD",
		[SIGCONT] = "CONT", [SIGSTOP] = "STOP", [SIGTSTP] = "TSTP", [SIGTTIN] = "TTIN",
		[SIGTTOU] = "TTOU", [SIGURG] = "URG", [SIGXCPU] = "XCPU", [SIGXFSZ] = "XFSZ",
		[SIGVTALRM] = "VTALRM", [SIGPROF] = "PROF", [SIGWINCH] = "WINCH", [SIGIO] = "IO",
		[SIGPWR] = "PWR", [SIGSYS] = "SYS",
	};
	if (signo > 0 && signo < (int)ARRAY_SIZE(names) && names[signo])
		return names[signo];
	return NULL;
}

static const char *signal_title(int signo)
{
	switch (signo) {
	case SIGSEGV: return "Access violation";
	case SIGBUS: return "Bus error";
	case SIGILL: return "Illegal instruction";
	case SIGFPE: return "Floating-point or integer divide error";
	case SIGABRT: return "Abort";
	case SIGINT: return "Control-C";
	default: return "Signal";
	}
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

void cmd_show_stop(struct cmd_ctx *c, const struct stop_report *rep)
{
	struct session *s = c->s;
	switch (rep->kind) {
	case REP_NONE:
		return;
	case REP_INITIAL:
	case REP_BREAKIN:
	case REP_TRAP:
		event_prefix(c, rep->tid);
		fprintf(c->out, "Break instruction exception - code 80000003 (first chance)\n");
		show_full(c, rep);
		return;
	case REP_SIGNAL: {
		event_prefix(c, rep->tid);
		const char *name = signal_abbrev(rep->signo);
		fprintf(c->out, "%s (SIG%s) - code %08x (%s)\n", signal_title(rep->signo),
			name ? name : "?", (unsigned)rep->signo,
			rep->second_chance ? "!!! second chance !!!" : "first chance");
		if (!rep->second_chance)
			fprintf(c->out, "First chance exceptions are reported before any exception handling.\n"
					"This exception may be expected and handled.\n");
		show_full(c, rep);
		return;
	}
	case REP_BREAKPOINT: {
		int show = 0;
		for (int i = 0; i < rep->nhits; i++) {
			struct bp *b = bp_find(&s->bps, rep->hit_ids[i]);
			if (b && b->command)
				continue;
			fprintf(c->out, "Breakpoint %d hit\n", rep->hit_ids[i]);
			show = 1;
		}
		if (show)
			show_full(c, rep);
		return;
	}
	case REP_STEP:
		show_full(c, rep);
		return;
	case REP_EXIT:
	case REP_GONE:
		if (rep->already_reported || (rep->kind == REP_GONE && s->no_final_break))
			return;	/* -G: the end of the process is silent, as in CDB */
		event_prefix(c, rep->tid);
		if (rep->term_signal) {
			const char *name = signal_abbrev(rep->term_signal);
			fprintf(c->out, "Process killed by signal SIG%s\n", name ? name : "?");
		} else {
			fprintf(c->out, "Process exited with code %d\n", rep->exit_code);
		}
		return;
	}
}

