/*
 * cmd_loop.c — the loops and blocks of debugger command programs
 * (WinDbg's "Control Flow Tokens"): .for, .while, .do, .foreach, .break,
 * .continue and .block.
 *
 * A loop parses its statement when it runs and posts a program (cmd.h):
 * the line runner asks it for each step (an initial command, a body, an
 * increment) and runs it one level deeper, so every entry into a body is
 * a new block whose aliases are replaced then.  Conditions are MASM
 * expressions evaluated between steps.  .break and .continue post a loop
 * request that ends the current body; the line runner hands it to the
 * innermost loop.  A loop stops after MAX_ITERATIONS bodies or at Ctrl-C,
 * so no input can hang the session.
 */
#include "cmd/cmd.h"

#include <ctype.h>
#include <errno.h>
#include <stdlib.h>
#include <string.h>

#define MAX_ITERATIONS 1000000L
#define MAX_FOREACH_FILE (16 << 20)

/* ---- .for, .while, .do ---- */

enum loop_step { STEP_INIT, STEP_TEST, STEP_BODY_DONE };

struct loop_program {
	struct cmd_program base;
	const char *name;	/* ".for" */
	char *init;		/* .for: run once first (NULL: none) */
	char *condition;	/* NULL: always true (.for with an empty condition) */
	char *increment;	/* .for: run after each body */
	char *body;
	int test_first;		/* .do tests after the body */
	enum loop_step step;
	long iterations;
};

static int loop_next(struct cmd_ctx *c, struct cmd_program *p, char **commands)
{
	struct loop_program *l = (struct loop_program *)p;
	if (l->step == STEP_INIT) {
		l->step = l->test_first ? STEP_TEST : STEP_BODY_DONE;
		if (l->init) {
			*commands = xstrdup(l->init);
			return 1;
		}
		if (!l->test_first) {
			l->iterations++;
			*commands = xstrdup(l->body);
			return 1;
		}
	}
	if (l->step == STEP_BODY_DONE) {
		l->step = STEP_TEST;
		if (l->increment) {
			*commands = xstrdup(l->increment);
			return 1;
		}
	}
	uint64_t v = 1;
	if (l->condition && cmd_condition(c, l->condition, &v) < 0)
		return -1;
	if (!v)
		return 0;
	if (l->iterations >= MAX_ITERATIONS) {
		cmd_error(c, "%s: stopped after %ld iterations", l->name, MAX_ITERATIONS);
		return -1;
	}
	l->iterations++;
	l->step = STEP_BODY_DONE;
	*commands = xstrdup(l->body);
	return 1;
}

static void loop_release(struct cmd_ctx *c, struct cmd_program *p)
{
	struct loop_program *l = (struct loop_program *)p;
	free(l->init);
	free(l->condition);
	free(l->increment);
	free(l->body);
	free(p->output);
	free(l);
}

static struct loop_program *new_loop(const char *name)
{
	struct loop_program *l = xcalloc(1, sizeof(*l));
	l->base.next = loop_next;
	l->base.release = loop_release;
	l->base.flags = PROGRAM_LOOP;
	l->name = name;
	return l;
}

/* After the statement's last block only spaces may follow. */
static int statement_end(struct cmd_ctx *c, const char *p)
{
	if (*skip_ws(p))
		return cmd_error(c, "Syntax error at '%.200s'", skip_ws(p));
	return 0;
}

/* The (...) at *p with its parentheses, spaces and ';' before it skipped; advances past ')'. */
static char *parenthesized(struct cmd_ctx *c, const char **p, const char *what)
{
	const char *s = cmd_skip_seps(*p);
	if (*s != '(') {
		cmd_error(c, "Syntax error: expected '(' before %s at '%.200s'", what, s);
		return NULL;
	}
	int depth = 0;
	const char *e = s;
	for (; *e; e++) {
		if (*e == '"') {
			for (e++; *e && *e != '"'; e++)
				if (*e == '\\' && e[1])
					e++;
			if (!*e)
				break;
		} else if (*e == '(') {
			depth++;
		} else if (*e == ')' && --depth == 0) {
			break;
		}
	}
	if (*e != ')') {
		cmd_error(c, "Syntax error: missing ')' after %s", what);
		return NULL;
	}
	*p = e + 1;
	return xstrndup(s + 1, (size_t)(e - s - 1));
}

/* Text that holds nothing but spaces and ';' is no command. */
static char *commands_or_null(const char *s, size_t n)
{
	const char *e = s + n;
	while (s < e && strchr(" \t;\r\n", *s))
		s++;
	while (e > s && strchr(" \t;\r\n", e[-1]))
		e--;
	return e > s ? xstrndup(s, (size_t)(e - s)) : NULL;
}

/*
 * .for (InitialCommand ; Condition ; IncrementCommands) { Commands }.  The
 * header's first ';' ends the initial command and the next the condition
 * (empty pieces, as a script's line breaks leave, are skipped); the
 * increment commands are the rest.
 */
static int cmd_for(struct cmd_ctx *c, const struct cmd_def *d, const char *args,
		   const struct thread_sel *sel, int id)
{
	const char *p = args;
	char *header = parenthesized(c, &p, "the loop's header");
	if (!header)
		return -1;
	const char *piece[2] = { NULL, NULL };
	size_t len[2] = { 0, 0 };
	const char *h = header;
	int found = 0;
	while (found < 2) {
		h = cmd_skip_seps(h);
		if (!*h)
			break;
		size_t n = cmd_split_length(h);
		piece[found] = h;
		len[found++] = n;
		h += n;
	}
	if (found < 2 || !*h) {
		free(header);
		return cmd_error(c, "Syntax error: .for needs (InitialCommand ; Condition ; IncrementCommands)");
	}
	struct loop_program *l = new_loop(".for");
	l->init = commands_or_null(piece[0], len[0]);
	l->condition = commands_or_null(piece[1], len[1]);
	l->increment = commands_or_null(h, strlen(h));
	l->test_first = 1;
	free(header);
	l->body = cmd_block(c, &p);
	if (!l->body || statement_end(c, p) < 0) {
		loop_release(c, &l->base);
		return -1;
	}
	cmd_post_program(c, &l->base);
	return 0;
}

/* The condition of .while: parentheses optional, up to the block. */
static char *condition_before_block(struct cmd_ctx *c, const char **p)
{
	const char *s = skip_ws(*p), *e = s;
	while (*e && *e != '{') {
		if (*e == '(') {
			int depth = 0;
			for (; *e; e++) {
				if (*e == '(')
					depth++;
				else if (*e == ')' && --depth == 0)
					break;
			}
			if (!*e)
				break;
		}
		e++;
	}
	if (*e != '{') {
		cmd_error(c, "Syntax error: expected '{' after the condition");
		return NULL;
	}
	*p = e;
	char *cond = commands_or_null(s, (size_t)(e - s));
	if (!cond)
		cmd_error(c, "Syntax error: a condition is needed");
	return cond;
}

static int cmd_while(struct cmd_ctx *c, const struct cmd_def *d, const char *args,
		     const struct thread_sel *sel, int id)
{
	const char *p = args;
	char *cond = condition_before_block(c, &p);
	if (!cond)
		return -1;
	struct loop_program *l = new_loop(".while");
	l->condition = cond;
	l->test_first = 1;
	l->body = cmd_block(c, &p);
	if (!l->body || statement_end(c, p) < 0) {
		loop_release(c, &l->base);
		return -1;
	}
	cmd_post_program(c, &l->base);
	return 0;
}

/* .do { Commands } (Condition): the body runs once before the first test. */
static int cmd_do(struct cmd_ctx *c, const struct cmd_def *d, const char *args,
		  const struct thread_sel *sel, int id)
{
	const char *p = args;
	struct loop_program *l = new_loop(".do");
	l->body = cmd_block(c, &p);
	if (!l->body) {
		loop_release(c, &l->base);
		return -1;
	}
	const char *q = cmd_skip_seps(p);
	if (!*q) {
		loop_release(c, &l->base);
		return cmd_error(c, "Syntax error: .do needs a (Condition) after its block");
	}
	/* Parentheses are optional: the condition is the rest. */
	if (*q == '(') {
		const char *after = q;
		char *inner = parenthesized(c, &after, "the condition");
		free(inner);
		if (!inner || statement_end(c, after) < 0) {
			loop_release(c, &l->base);
			return -1;
		}
	}
	l->condition = xstrdup(q);
	cmd_post_program(c, &l->base);
	return 0;
}

static int loop_request(struct cmd_ctx *c, const struct cmd_def *d, enum loop_request req)
{
	if (c->loop_depth <= 0)
		return cmd_error(c, "Syntax error: %s is only allowed in a .for, .while, .do or .foreach loop",
				 d->name);
	c->loop = req;
	return 0;
}

static int cmd_break(struct cmd_ctx *c, const struct cmd_def *d, const char *args,
		     const struct thread_sel *sel, int id)
{
	return loop_request(c, d, LOOP_BREAK);
}

static int cmd_continue(struct cmd_ctx *c, const struct cmd_def *d, const char *args,
			const struct thread_sel *sel, int id)
{
	return loop_request(c, d, LOOP_CONTINUE);
}

/* .block { Commands }: a block entered now, so its aliases are replaced now. */
static int cmd_block_cmd(struct cmd_ctx *c, const struct cmd_def *d, const char *args,
			 const struct thread_sel *sel, int id)
{
	const char *p = args;
	char *body = cmd_block(c, &p);
	if (!body)
		return -1;
	if (statement_end(c, p) < 0) {
		free(body);
		return -1;
	}
	cmd_post_commands(c, body);
	return 0;
}

/* ---- .foreach ---- */

enum foreach_source { FROM_COMMANDS, FROM_STRING, FROM_FILE };

struct foreach_program {
	struct cmd_program base;
	char *variable;
	char *in;		/* InCommands (run first, output collected), or the text to split */
	char *body;
	enum foreach_source source;
	uint64_t initial_skip;	/* /pS */
	uint64_t skip;		/* /ps */
	const char *next_token;	/* into in (FROM_STRING, FROM_FILE) or base.output */
	int started;		/* 1: InCommands ran; 2: tokens are being passed */
	int bound;		/* the variable is bound for the body that just ran */
	long iterations;
};

static int blank(char ch)
{
	return ch == ' ' || ch == '\t' || ch == '\r' || ch == '\n';
}

/* The next whitespace-separated token at *p (NULL at the end); *len its length. */
static const char *token(const char **p, size_t *len)
{
	const char *s = *p;
	while (blank(*s))
		s++;
	if (!*s)
		return NULL;
	const char *e = s;
	while (*e && !blank(*e))
		e++;
	*len = (size_t)(e - s);
	*p = e;
	return s;
}

static void skip_tokens(const char **p, uint64_t n)
{
	size_t len;
	while (n-- > 0 && token(p, &len))
		;
}

static int foreach_next(struct cmd_ctx *c, struct cmd_program *p, char **commands)
{
	struct foreach_program *f = (struct foreach_program *)p;
	if (f->bound) {
		cmd_alias_unbind(c, 1);
		f->bound = 0;
	}
	if (f->started == 0 && f->source == FROM_COMMANDS) {
		f->started = 1;
		p->capture = 1;	/* "The output from InCommands is not displayed." */
		*commands = xstrdup(f->in);
		return 1;
	}
	if (f->started < 2) {
		f->started = 2;
		f->next_token = f->source == FROM_COMMANDS ? (p->output ? p->output : "") : f->in;
		skip_tokens(&f->next_token, f->initial_skip);
	} else {
		skip_tokens(&f->next_token, f->skip);
	}
	size_t len;
	const char *t = token(&f->next_token, &len);
	if (!t)
		return 0;
	if (f->iterations++ >= MAX_ITERATIONS) {
		cmd_error(c, ".foreach: stopped after %ld iterations", MAX_ITERATIONS);
		return -1;
	}
	char *value = xstrndup(t, len);
	cmd_alias_bind(c, f->variable, value);
	free(value);
	f->bound = 1;
	*commands = xstrdup(f->body);
	return 1;
}

static void foreach_release(struct cmd_ctx *c, struct cmd_program *p)
{
	struct foreach_program *f = (struct foreach_program *)p;
	if (f->bound)
		cmd_alias_unbind(c, 1);
	free(f->variable);
	free(f->in);
	free(f->body);
	free(p->output);
	free(f);
}

/* A skip count after /pS or /ps: an expression. */
static int skip_count(struct cmd_ctx *c, const char **p, uint64_t *v)
{
	char *w = cmd_word(p);
	if (!w)
		return cmd_error(c, "Syntax error: /pS and /ps need a number");
	const char *q = w;
	int rc = cmd_expr(c, &q, v);
	if (rc == 0 && *skip_ws(q))
		rc = cmd_error(c, "Syntax error at '%.200s'", skip_ws(q));
	free(w);
	return rc;
}

static int read_whole_file(struct cmd_ctx *c, const char *path, char **out)
{
	FILE *f = fopen(path, "rb");
	if (!f)
		return cmd_error(c, "Cannot read '%s': %s", path, strerror(errno));
	struct sbuf sb = { 0 };
	char buf[4096];
	size_t n;
	while ((n = fread(buf, 1, sizeof(buf), f)) > 0 && sb.len <= MAX_FOREACH_FILE)
		sb_addn(&sb, buf, n);
	int bad = ferror(f);
	fclose(f);
	if (bad || sb.len > MAX_FOREACH_FILE) {
		sb_free(&sb);
		return cmd_error(c, "Cannot read '%s'%s", path, bad ? "" : ": larger than 16 MiB");
	}
	/* A NUL byte ends the text, as it would a string. */
	*out = xstrdup(sb_str(&sb));
	sb_free(&sb);
	return 0;
}

/*
 * .foreach [/pS n] [/ps n] ( Variable { InCommands } ) { OutCommands }
 * .foreach [Options] /s ( Variable "InString" ) { OutCommands }
 * .foreach [Options] /f ( Variable "InFile" ) { OutCommands }
 */
static int cmd_foreach(struct cmd_ctx *c, const struct cmd_def *d, const char *args,
		       const struct thread_sel *sel, int id)
{
	const char *p = skip_ws(args);
	struct foreach_program *f = xcalloc(1, sizeof(*f));
	f->base.next = foreach_next;
	f->base.release = foreach_release;
	f->base.flags = PROGRAM_LOOP;
	f->source = FROM_COMMANDS;
	char *header = NULL;
	while (*p == '/') {
		if (p[1] == 'p' && p[2] == 'S' && blank(p[3])) {
			p += 3;
			if (skip_count(c, &p, &f->initial_skip) < 0)
				goto fail;
		} else if (p[1] == 'p' && p[2] == 's' && blank(p[3])) {
			p += 3;
			if (skip_count(c, &p, &f->skip) < 0)
				goto fail;
		} else if ((p[1] == 's' || p[1] == 'f') && (blank(p[2]) || p[2] == '(')) {
			f->source = p[1] == 's' ? FROM_STRING : FROM_FILE;
			p += 2;
		} else {
			cmd_error(c, "Syntax error: unknown .foreach option '%.*s'", (int)strcspn(p, " \t("), p);
			goto fail;
		}
		p = skip_ws(p);
	}
	header = parenthesized(c, &p, "the variable");
	if (!header)
		goto fail;
	const char *h = skip_ws(header);
	size_t n = 0;
	while (h[n] && !blank(h[n]) && h[n] != '{' && h[n] != '"')
		n++;
	if (!n) {
		cmd_error(c, "Syntax error: .foreach needs a variable name");
		goto fail;
	}
	f->variable = xstrndup(h, n);
	h = skip_ws(h + n);
	if (f->source == FROM_COMMANDS) {
		if (*h != '{') {
			cmd_error(c, "Syntax error: .foreach needs ( Variable { InCommands } ), or /s or /f");
			goto fail;
		}
		f->in = cmd_block(c, &h);
		if (!f->in)
			goto fail;
	} else {
		char *text;
		if (*h != '"') {
			cmd_error(c, "Syntax error: .foreach /%c needs a quoted %s", f->source == FROM_STRING ? 's' : 'f',
				  f->source == FROM_STRING ? "string" : "file name");
			goto fail;
		}
		if (cmd_quoted(c, &h, &text) < 0)
			goto fail;
		if (f->source == FROM_FILE) {
			int rc = read_whole_file(c, text, &f->in);
			free(text);
			if (rc < 0)
				goto fail;
		} else {
			f->in = text;
		}
	}
	if (*skip_ws(h)) {
		cmd_error(c, "Syntax error at '%.200s'", skip_ws(h));
		goto fail;
	}
	free(header);
	header = NULL;
	f->body = cmd_block(c, &p);
	if (!f->body || statement_end(c, p) < 0)
		goto fail;
	cmd_post_program(c, &f->base);
	return 0;
fail:
	free(header);
	foreach_release(c, &f->base);
	return -1;
}

const struct cmd_def cmd_loop_table[] = {
	{ ".for", cmd_for, CMD_BLOCKS, 0, ARGS_NEEDED,
	  ".for (InitialCommand ; Condition ; IncrementCommands) { Commands }",
	  "Loop as C's for; several increment commands are separated by ';'" },
	{ ".while", cmd_while, CMD_BLOCKS, 0, ARGS_NEEDED, ".while (Condition) { Commands }",
	  "Run the block while Condition is nonzero" },
	{ ".do", cmd_do, CMD_BLOCKS | CMD_BLOCK_CONDITION, 0, ARGS_NEEDED, ".do { Commands } (Condition)",
	  "Run the block, then again while Condition is nonzero" },
	{ ".foreach", cmd_foreach, CMD_BLOCKS, 0, ARGS_NEEDED,
	  ".foreach [/pS n] [/ps n] [/s | /f] ( Variable { InCommands } | \"InString\" | \"InFile\" ) { OutCommands }",
	  "Run OutCommands per token of commands' output, a string or a file" },
	{ ".break", cmd_break, 0, 0, ARGS_NONE, ".break", "Leave the innermost loop" },
	{ ".continue", cmd_continue, 0, 0, ARGS_NONE, ".continue", "Go on with the innermost loop's next pass" },
	{ ".block", cmd_block_cmd, CMD_BLOCKS, 0, ARGS_NEEDED, ".block { Commands }",
	  "A block: its aliases are replaced when it is entered" },
	{ NULL, NULL, 0, 0, ARGS_ANY, NULL, NULL },
};
