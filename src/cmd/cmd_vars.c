/*
 * cmd_vars.c — variables from DWARF: dv, dt, ?? and .frame
 * (windbg-commands.md §2.7, §9).
 */
#include "cmd/cmd.h"

const struct cmd_def cmd_vars_table[] = {
	{ NULL, NULL, 0, 0, NULL },
};
