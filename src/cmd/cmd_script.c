/*
 * cmd_script.c — script files: $<, $><, $$<, $$>< and $$>a< (WinDbg's
 * "Run Script File"), and -cf's startup script, which runs as $< does.
 *
 *   $<File, $$<File    run the file line by line, each line echoed after the
 *                      prompt and run as a command line of its own
 *   $><File, $$><File  condense the file into one command block (line breaks
 *                      become ';'), echo it once and run it
 *   $$>a<File args     condense it too, and run it with ${$arg1}... bound to
 *                      the arguments and ${$arg0} to the file name; no echo
 *
 * $< and $>< take the rest of the line as the file name (it may hold ';');
 * the $$ forms end at ';' so more commands may follow.  A script is a
 * program (cmd.h): the line runner runs its steps one level deeper, so
 * scripts nest and may call themselves up to the nesting limit.
 */
#include "cmd/cmd.h"

#include <errno.h>
#include <stdlib.h>
#include <string.h>

#define MAX_SCRIPT_SIZE (16 << 20)

struct script_program {
	struct cmd_program base;
	char *text;		/* the file (line mode) or the condensed block */
	const char *next_line;	/* line mode: where the next line starts */
	int condensed;
	int echo;
	char **args;		/* $$>a<: $arg0 (the file) and the arguments */
	int nargs;
	int bound;
	int done;
};

static int script_next(struct cmd_ctx *c, struct cmd_program *p, char **commands)
{
	struct script_program *s = (struct script_program *)p;
	if (s->done)
		return 0;
	p->echo = s->echo;
	if (s->condensed) {
		s->done = 1;
		for (int i = 0; i < s->nargs; i++) {
			char name[32];
			snprintf(name, sizeof(name), "$arg%d", i);
			cmd_alias_bind(c, name, s->args[i]);
		}
		s->bound = s->nargs;
		*commands = xstrdup(s->text);
		return 1;
	}
	const char *line = s->next_line;
	if (!*line) {
		s->done = 1;
		return 0;
	}
	size_t n = strcspn(line, "\n");
	s->next_line = line[n] ? line + n + 1 : line + n;
	if (n && line[n - 1] == '\r')
		n--;
	*commands = xstrndup(line, n);
	return 1;
}

static void script_release(struct cmd_ctx *c, struct cmd_program *p)
{
	struct script_program *s = (struct script_program *)p;
	cmd_alias_unbind(c, s->bound);
	for (int i = 0; i < s->nargs; i++)
		free(s->args[i]);
	free(s->args);
	free(s->text);
	free(p->output);
	free(s);
}

/* The file's text; NULL with the message printed. */
static char *read_script(struct cmd_ctx *c, const char *path)
{
	FILE *f = fopen(path, "rb");
	if (!f) {
		cmd_error(c, "Cannot open script file '%s': %s", path, strerror(errno));
		return NULL;
	}
	struct sbuf sb = { 0 };
	char buf[4096];
	size_t n;
	while ((n = fread(buf, 1, sizeof(buf), f)) > 0 && sb.len <= MAX_SCRIPT_SIZE)
		sb_addn(&sb, buf, n);
	int bad = ferror(f);
	fclose(f);
	if (bad || sb.len > MAX_SCRIPT_SIZE || memchr(sb_str(&sb), 0, sb.len)) {
		cmd_error(c, "Cannot read script file '%s'%s", path,
			  bad ? "" : sb.len > MAX_SCRIPT_SIZE ? ": larger than 16 MiB" : ": not text");
		sb_free(&sb);
		return NULL;
	}
	char *text = xstrdup(sb_str(&sb));
	sb_free(&sb);
	return text;
}

/* Line breaks become ';', so the whole file is one command block. */
static void condense(char *text)
{
	char *w = text;
	for (const char *r = text; *r; r++) {
		if (*r == '\r' && r[1] == '\n')
			continue;
		*w++ = *r == '\n' || *r == '\r' ? ';' : *r;
	}
	*w = 0;
}

static struct script_program *new_script(struct cmd_ctx *c, const char *path, int condensed, int echo)
{
	char *text = read_script(c, path);
	if (!text)
		return NULL;
	struct script_program *s = xcalloc(1, sizeof(*s));
	s->base.next = script_next;
	s->base.release = script_release;
	s->text = text;
	s->next_line = text;
	s->condensed = condensed;
	s->echo = echo;
	if (condensed)
		condense(text);
	return s;
}

struct cmd_program *cmd_script_lines(struct cmd_ctx *c, const char *path)
{
	struct script_program *s = new_script(c, path, 0, 1);
	return s ? &s->base : NULL;
}

/* The file name of $< and its kin: the text, trimmed, without surrounding quotes. */
static char *file_name(struct cmd_ctx *c, const char *args)
{
	const char *s = skip_ws(args);
	size_t n = strlen(s);
	while (n && (s[n - 1] == ' ' || s[n - 1] == '\t'))
		n--;
	if (n >= 2 && s[0] == '"' && s[n - 1] == '"') {
		s++;
		n -= 2;
	}
	if (!n) {
		cmd_error(c, "Syntax error: a script file name is needed");
		return NULL;
	}
	return xstrndup(s, n);
}

static int cmd_run_script(struct cmd_ctx *c, const struct cmd_def *d, const char *args,
			  const struct thread_sel *sel, int id)
{
	int condensed = d->arg;
	char *path = file_name(c, args);
	if (!path)
		return -1;
	struct script_program *s = new_script(c, path, condensed, 1);
	free(path);
	if (!s)
		return -1;
	cmd_post_program(c, &s->base);
	return 0;
}

/* One argument of $$>a<: a word, or "text with spaces" (arguments hold no quotes). */
static char *script_arg(const char **p)
{
	const char *s = skip_ws(*p);
	if (!*s)
		return NULL;
	const char *e;
	char *arg;
	if (*s == '"') {
		e = strchr(s + 1, '"');
		if (!e)
			e = s + strlen(s);
		arg = xstrndup(s + 1, (size_t)(e - s - 1));
		*p = *e ? e + 1 : e;
		return arg;
	}
	e = s + strcspn(s, " \t");
	*p = e;
	return xstrndup(s, (size_t)(e - s));
}

static int cmd_run_script_args(struct cmd_ctx *c, const struct cmd_def *d, const char *args,
			       const struct thread_sel *sel, int id)
{
	const char *p = args;
	char *path = script_arg(&p);
	if (!path || !*path) {
		free(path);
		return cmd_error(c, "Syntax error: a script file name is needed");
	}
	struct script_program *s = new_script(c, path, 1, 0);
	if (!s) {
		free(path);
		return -1;
	}
	int cap = 4;
	s->args = xmalloc(sizeof(char *) * (size_t)cap);
	s->args[s->nargs++] = path;
	char *a;
	while ((a = script_arg(&p)) != NULL) {
		if (s->nargs == cap) {
			cap *= 2;
			s->args = xrealloc(s->args, sizeof(char *) * (size_t)cap);
		}
		s->args[s->nargs++] = a;
	}
	cmd_post_program(c, &s->base);
	return 0;
}

const struct cmd_def cmd_script_table[] = {
	{ "$<", cmd_run_script, CMD_REST_OF_LINE, 0, ARGS_NEEDED, "$<Filename",
	  "Run a script file line by line (the name is the rest of the line)" },
	{ "$><", cmd_run_script, CMD_REST_OF_LINE, 1, ARGS_NEEDED, "$><Filename",
	  "Run a script file as one block: line breaks become ';'" },
	{ "$$<", cmd_run_script, 0, 0, ARGS_NEEDED, "$$<Filename",
	  "Run a script file line by line; more commands may follow ';'" },
	{ "$$><", cmd_run_script, 0, 1, ARGS_NEEDED, "$$><Filename",
	  "Run a script file as one block; more commands may follow ';'" },
	{ "$$>a<", cmd_run_script_args, 0, 0, ARGS_NEEDED, "$$>a<Filename [Arg1 Arg2 ...]",
	  "Run a script as one block with ${$arg1}... set; no echo" },
	{ NULL, NULL, 0, 0, ARGS_ANY, NULL, NULL },
};
