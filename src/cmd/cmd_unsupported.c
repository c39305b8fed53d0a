/*
 * cmd_unsupported.c — the WinDbg commands dr7 knows but does not implement
 * (from windbg-commands.md), each answering one line:
 *   not supported: <command> (<why>)
 * so that a user can tell a gap from a typo (a typo still says "Unknown
 * command").
 *
 * Invariant: a command is either implemented (a row in its family) or
 * listed here, never both: the table test requires unique names, so a
 * command that lands in a family fails `make check` until its row here is
 * deleted.  The family comes last in cmd_table.c, so help lists these after
 * everything dr7 does.  Prune a row when its command lands.
 */
#include "cmd/cmd.h"

static int cmd_not_supported(struct cmd_ctx *c, const struct cmd_def *d, const char *args,
			     const struct thread_sel *sel, int id)
{
	return cmd_error(c, "not supported: %s (%s)", d->name, d->summary);
}

#define GAP(name, syntax, why) \
	{ name, cmd_not_supported, CMD_UNSUPPORTED, 0, ARGS_ANY, syntax, why }

const struct cmd_def cmd_unsupported_table[] = {
	/* breakpoints */
	GAP(".bpsync", ".bpsync [0|1]", "dr7 always steps past a breakpoint with other threads stopped"),
	/* execution */
	GAP("ga", "ga [BreakAddress]", "processor-breakpoint break addresses: not implemented yet"),
	GAP("tb", "tb [Count]", "branch tracing needs processor support ptrace does not give"),
	GAP("pr", "pr", "toggling the register display: not implemented yet"),
	GAP("tr", "tr", "toggling the register display: not implemented yet"),
	GAP(".prompt_allow", ".prompt_allow {+|-}Item", "choosing what stops display: not implemented yet"),
	GAP(".step_filter", ".step_filter Pattern", "step filters: not implemented yet"),
	GAP(".cxr", ".cxr Context", "Windows CONTEXT records have no Linux equivalent"),
	GAP(".childdbg", ".childdbg [0|1]", "debugging child processes: fork children are let go"),
	GAP(".call", ".call Function(Arguments)", "dr7 never runs code of its own in the program"),
	GAP(".fnret", ".fnret Address", "not implemented yet"),
	/* registers, memory, stacks */
	GAP("rm", "rm [Mask]", "register display masks: not implemented yet"),
	GAP("rM", "rM Mask [Register]", "register display masks: not implemented yet"),
	GAP("rF", "rF [Register]", "floating-point register display: not implemented yet"),
	GAP("rX", "rX [Register]", "SSE register display: not implemented yet; r xmm0 works"),
	GAP("dyb", "dyb [Range]", "binary display: not implemented yet"),
	GAP("dyd", "dyd [Range]", "binary display: not implemented yet"),
	GAP("e", "e Address [Values]", "entering values in the last e* format: not implemented yet"),
	GAP("ef", "ef Address [Values]", "entering floating-point values: not implemented yet"),
	GAP("eD", "eD Address [Values]", "entering floating-point values: not implemented yet"),
	GAP("uu", "uu Range", "not implemented yet; u shows unreadable bytes as question marks"),
	GAP("kc", "kc [FrameCount]", "not implemented yet"),
	GAP("kd", "kd [WordCount]", "raw stack words: not implemented yet; dps @rsp shows them"),
	GAP("kf", "kf [FrameCount]", "frame sizes: not implemented yet"),
	GAP("kL", "kL [FrameCount]", "not implemented yet"),
	GAP("kM", "kM [FrameCount]", "DML links: dr7 prints plain text"),
	GAP(".kframes", ".kframes FrameCountDefault", "not implemented yet"),
	GAP("dx", "dx Expression", "the data-model evaluator is Windows-only; dt and ?? cover C"),
	GAP("n", "n [Radix]", "setting the number base: not implemented yet"),
	/* source */
	/* threads and processes */
	GAP("~n", "~Thread n", "Windows thread suspend counts have no Linux equivalent"),
	GAP("~m", "~Thread m", "Windows thread suspend counts have no Linux equivalent"),
	GAP("|", "| [Process]", "dr7 debugs one process, process 0"),
	/* scripts */
	GAP(".catch", ".catch { Commands }", "not implemented yet"),
	GAP(".leave", ".leave", "not implemented yet"),
	/* events */
	/* extensions and WinDbg's own window */
	GAP("!analyze", "!analyze -v", "Windows crash analysis"),
	GAP("!gle", "!gle", "GetLastError is Windows-only"),
	GAP(".remote", ".remote Pipe", "remote debugging servers: not implemented"),
	GAP(".beep", ".beep", "WinDbg's command window: no meaning at a terminal"),
	GAP(".wtitle", ".wtitle Title", "WinDbg's command window: no meaning at a terminal"),
	GAP(".hh", ".hh [Text]", "WinDbg's help file: help and .help list dr7's commands"),
	GAP(".idle_cmd", ".idle_cmd String", "WinDbg's command window: no meaning at a terminal"),
	{ NULL, NULL, 0, 0, ARGS_ANY, NULL, NULL },
};
