/*
 * cmd_table.c — the command table: the families in the order help lists
 * them, finding the command at the start of a command, and the commands
 * that describe the table (.help and help; `?` alone posts .help).
 *
 * The help commands live here, not in a family of their own, because they
 * list the table they are part of: anywhere else the table would refer to
 * them and they to it.  Everything help prints comes from the rows, so a
 * command is listed, checked and completed exactly when it has a row.
 */
#include "cmd/cmd.h"

#include <ctype.h>
#include <string.h>
#include <strings.h>

static int cmd_help(struct cmd_ctx *c, const struct cmd_def *d, const char *args,
		    const struct thread_sel *sel, int id);

static const struct cmd_def cmd_help_table[] = {
	{ ".help", cmd_help, CMD_ARG_COMMAND, 0, ARGS_ANY, ".help [Command]",
	  "List the commands, or show one command's syntax" },
	{ "help", cmd_help, CMD_ARG_COMMAND, 0, ARGS_ANY, "help [Command]",
	  "List the commands, or show one command's syntax (as .help)" },
	{ NULL, NULL, 0, 0, ARGS_ANY, NULL, NULL },
};

static const struct cmd_family families[] = {
	{ "Breakpoints", cmd_bp_table },
	{ "Running and ending the session", cmd_run_table },
	{ "Tracing", cmd_trace_table },
	{ "Exceptions and events", cmd_sx_table },
	{ "Registers and memory", cmd_data_table },
	{ "The address space", cmd_mem_table },
	{ "Code and stacks", cmd_sym_table },
	{ "Modules and symbols", cmd_modules_table },
	{ "Variables (DWARF)", cmd_vars_table },
	{ "Source files", cmd_source_table },
	{ "Threads", cmd_threads_table },
	{ "Command lines and scripts", cmd_flow_table },
	{ "Loops and blocks", cmd_loop_table },
	{ "Aliases", cmd_alias_table },
	{ "Script files", cmd_script_table },
	{ "Formatted output", cmd_printf_table },
	{ "Log files and the screen", cmd_log_table },
	{ "Help", cmd_help_table },
	{ "Known WinDbg commands dr7 does not support", cmd_unsupported_table },
};

const struct cmd_family *cmd_families(int *n)
{
	*n = (int)ARRAY_SIZE(families);
	return families;
}

/*
 * A row named name[0, len): an exact-case match first (gN before gn), then
 * any case except for case-sensitive rows.  grammar: rows without fn too.
 */
static const struct cmd_def *lookup(const char *name, size_t len, int grammar)
{
	for (int pass = 0; pass < 2; pass++) {
		for (size_t f = 0; f < ARRAY_SIZE(families); f++) {
			for (const struct cmd_def *d = families[f].rows; d->name; d++) {
				if ((!d->fn && !grammar) || strlen(d->name) != len)
					continue;
				if (pass == 0 ? !strncmp(d->name, name, len)
					      : !(d->flags & CMD_CASE) && !strncasecmp(d->name, name, len))
					return d;
			}
		}
	}
	return NULL;
}

const struct cmd_def *cmd_find_name(const char *name, size_t len)
{
	return lookup(name, len, 1);
}

const struct cmd_def *cmd_find(const char *s, const char **args, int *id, int *bad_id)
{
	size_t len = 0;
	*id = -1;
	*bad_id = 0;
	if (s[0] == '.' || s[0] == '!') {
		len = 1;	/* .name, !extension */
		while (isalnum((unsigned char)s[len]) || s[len] == '_')
			len++;
	} else if (s[0] == '?') {
		len = s[1] == '?' ? 2 : 1;	/* "?" and "??" */
	} else if (s[0] == '$' || s[0] == '|') {
		/* the script-file tokens ($<File, $$><File ...) and | */
		static const char *const tokens[] = { "$$>a<", "$$><", "$$<", "$><", "$<", "|" };
		for (size_t i = 0; i < ARRAY_SIZE(tokens) && !len; i++)
			if (!strncmp(s, tokens[i], strlen(tokens[i])))
				len = strlen(tokens[i]);
	} else {
		while (isalpha((unsigned char)s[len]))
			len++;
		if (len == 1 && s[0] == 'l' && (s[1] == '+' || s[1] == '-'))
			len = 2;	/* l+ and l- take their option glued: l+s */
	}
	if (len == 0)
		return NULL;
	const struct cmd_def *d = lookup(s, len, 0);
	/* Glued arguments: "reax=1", "rrip". */
	for (size_t l = len; !d && l > 0; l--) {
		const struct cmd_def *g = lookup(s, l, 0);
		if (g && (g->flags & CMD_GLUED)) {
			d = g;
			len = l;
		}
	}
	if (!d)
		return NULL;
	const char *p = s + len;
	if (d->flags & CMD_ID_SUFFIX) {
		if (*p == '[') {
			*id = CMD_ID_EXPRESSION;	/* bp[2+5]: the command evaluates it (cmd_id_expression) */
		} else if (isdigit((unsigned char)*p)) {
			long v = 0;
			while (isdigit((unsigned char)*p)) {
				v = v * 10 + (*p - '0');
				if (v > 0x7fffffff)
					*bad_id = 1;
				p++;
			}
			*id = (int)v;
		}
	} else if (isalnum((unsigned char)*p) && !(d->flags & CMD_GLUED) && s[0] != '?' &&
		   isalnum((unsigned char)s[len - 1])) {
		return NULL;	/* "gx" is not "g" (but "$<file" is "$<") */
	}
	*args = p;
	return d;
}

/* ---- help ---- */

static void help_list(struct cmd_ctx *c)
{
	/* The column fits what dr7 implements; a longer name of what it lacks overflows it. */
	size_t width = 0;
	for (size_t f = 0; f < ARRAY_SIZE(families); f++)
		for (const struct cmd_def *d = families[f].rows; d->name; d++)
			if (strlen(d->name) > width && !(d->flags & CMD_UNSUPPORTED))
				width = strlen(d->name);
	for (size_t f = 0; f < ARRAY_SIZE(families); f++) {
		cmd_print(c, "%s\n", families[f].title);
		for (const struct cmd_def *d = families[f].rows; d->name; d++)
			cmd_print(c, "  %-*s  %s\n", (int)width, d->name, d->summary);
	}
	cmd_print(c, "help Command shows a command's syntax.\n");
}

static int help_one(struct cmd_ctx *c, const char *name, size_t len)
{
	const struct cmd_def *d = cmd_find_name(name, len);
	if (!d)
		return cmd_error(c, "No command named '%.*s' (.help lists them)", (int)(len > 200 ? 200 : len), name);
	struct sbuf sb = { 0 };
	cmd_syntax(&sb, d);
	cmd_print(c, "%s\n    %s\n", sb_str(&sb), d->summary);
	sb_free(&sb);
	return 0;
}

static int cmd_help(struct cmd_ctx *c, const struct cmd_def *d, const char *args,
		    const struct thread_sel *sel, int id)
{
	const char *p = skip_ws(args);
	if (!*p) {
		help_list(c);
		return 0;
	}
	size_t len = strcspn(p, " \t");
	if (*skip_ws(p + len))
		return cmd_extra_chars(c);
	return help_one(c, p, len);
}
