/*
 * cmd_flow.c — control flow and output in command lines and breakpoint
 * command strings (windbg-commands.md §13): j (if-else on one line),
 * .if/.elsif/.else with braced blocks, z (execute while) and .echo.
 * j and .if post the branch they chose and z posts whether to loop; the
 * line runner (cmd.c), which owns the position in the line, carries it out.
 */
#include "cmd/cmd.h"

#include <stdlib.h>
#include <string.h>

/* Extracts one 'quoted' or bare command group for j, advancing *p. */
static char *j_branch(const char **p)
{
	const char *s = skip_ws(*p);
	if (*s == '\'') {
		const char *e = strchr(s + 1, '\'');
		if (!e)
			e = s + strlen(s);
		*p = *e ? e + 1 : e;
		return xstrndup(s + 1, (size_t)(e - s - 1));
	}
	const char *e = s;
	while (*e && *e != ';')
		e++;
	*p = e;
	size_t n = (size_t)(e - s);
	while (n && (s[n - 1] == ' ' || s[n - 1] == '\t'))
		n--;
	return xstrndup(s, n);
}

static int cmd_j(struct cmd_ctx *c, const struct cmd_def *d, const char *args,
		 const struct thread_sel *sel, int id)
{
	const char *p = args;
	uint64_t v;
	if (cmd_expr(c, &p, &v) < 0)
		return -1;
	char *yes = j_branch(&p);
	char *no = NULL;
	p = skip_ws(p);
	if (*p == ';') {
		p++;
		no = j_branch(&p);
	}
	if (v) {
		cmd_post_commands(c, yes);
		free(no);
	} else {
		cmd_post_commands(c, no);
		free(yes);
	}
	return 0;
}

/*
 * Condition of .if/.elsif: an expression, parentheses optional, up to the
 * block's '{' (a ${Name} token is not one).
 */
static int block_condition(struct cmd_ctx *c, const char **p, uint64_t *v)
{
	const char *s = *p, *brace = s;
	while (*brace && *brace != '{') {
		if (brace[0] == '$' && brace[1] == '{' && strchr(brace, '}'))
			brace = strchr(brace, '}');
		brace++;
	}
	if (!*brace)
		return cmd_error(c, "Syntax error: expected '{' after the condition");
	char *text = xstrndup(s, (size_t)(brace - s));
	int rc = cmd_condition(c, text, v);
	free(text);
	*p = brace;
	return rc;
}

static int cmd_if(struct cmd_ctx *c, const struct cmd_def *d, const char *args,
		  const struct thread_sel *sel, int id)
{
	const char *p = args;
	char *chosen = NULL;
	uint64_t v;
	if (block_condition(c, &p, &v) < 0)
		return -1;
	char *body = cmd_block(c, &p);
	if (!body)
		return -1;
	if (v)
		chosen = body;
	else
		free(body);
	for (;;) {
		const char *q = cmd_skip_seps(p);
		size_t n;
		if ((n = str_iprefix(q, ".elsif")) != 0) {
			q += n;
			if (block_condition(c, &q, &v) < 0)
				goto fail;
			body = cmd_block(c, &q);
			if (!body)
				goto fail;
			if (!chosen && v)
				chosen = body;
			else
				free(body);
			p = q;
		} else if ((n = str_iprefix(q, ".else")) != 0) {
			q += n;
			body = cmd_block(c, &q);
			if (!body)
				goto fail;
			if (!chosen)
				chosen = body;
			else
				free(body);
			p = q;
			break;
		} else {
			break;
		}
	}
	if (*skip_ws(p)) {
		cmd_error(c, "Syntax error at '%s'", skip_ws(p));
		goto fail;
	}
	cmd_post_commands(c, chosen);
	return 0;
fail:
	free(chosen);
	return -1;
}

/* z ( Expression ): the line runner repeats the commands before it while the value is nonzero. */
static int cmd_z(struct cmd_ctx *c, const struct cmd_def *d, const char *args,
		 const struct thread_sel *sel, int id)
{
	const char *p = args;
	uint64_t v;
	c->z = Z_FAILED;
	if (cmd_expr(c, &p, &v) < 0)
		return -1;
	if (*skip_ws(p))
		return cmd_extra_chars(c);
	c->z = v ? Z_AGAIN : Z_DONE;
	return 0;
}

static int cmd_echo(struct cmd_ctx *c, const struct cmd_def *d, const char *args,
		    const struct thread_sel *sel, int id)
{
	const char *p = skip_ws(args);
	if (*p == '"') {
		char *text;
		if (cmd_quoted(c, &p, &text) < 0)
			return -1;
		fprintf(c->out, "%s\n", text);
		free(text);
		return 0;
	}
	size_t n = strlen(p);
	while (n && (p[n - 1] == ' ' || p[n - 1] == '\t'))
		n--;
	fprintf(c->out, "%.*s\n", (int)n, p);
	return 0;
}

const struct cmd_def cmd_flow_table[] = {
	{ "j", cmd_j, CMD_REST_OF_LINE, 0, ARGS_NEEDED, "j Expression 'Command1' ; 'Command2'",
	  "Run Command1 when Expression is nonzero, else Command2" },
	{ ".if", cmd_if, CMD_BLOCKS | CMD_ELSE_BLOCKS, 0, ARGS_NEEDED,
	  ".if (Condition) { Commands } [.elsif (Condition) { Commands }] [.else { Commands }]",
	  "Run the block of the first condition that holds" },
	{ "z", cmd_z, 0, 0, ARGS_NEEDED, "Commands ; z( Expression )",
	  "Repeat the commands before it while Expression is nonzero" },
	{ ".echo", cmd_echo, 0, 0, ARGS_ANY, ".echo [String | \"String\"]", "Print the text" },
	{ "$$", NULL, 0, 0, ARGS_ANY, "$$ Comment", "A comment up to the next ';'" },
	{ "*", NULL, 0, 0, ARGS_ANY, "* Comment", "A comment to the end of the line, ';' included" },
	{ NULL, NULL, 0, 0, ARGS_ANY, NULL, NULL },
};
