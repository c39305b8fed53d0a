/*
 * cmd.c — splitting a line into commands, the thread prefix, dispatch
 * through the command table (cmd_table.c) with the checks its rows ask
 * for, and the run loop that carries out g/p/t and runs breakpoint command
 * strings (the stop display is cmd_show.c; j, .if and z are cmd_flow.c;
 * the ~ commands cmd_threads.c; what every command calls, cmd_util.c).
 * Commands never call back into this file: what they want run afterwards
 * (the program, a branch of j or .if, z's loop) they post in the context,
 * and the line runner carries it out.
 *
 * Line grammar: commands are separated by ';' outside "..." strings and
 * {...} blocks; `*` comments, `~Ne` and rows flagged CMD_REST_OF_LINE (j)
 * take the rest of the line; a `$$` comment ends at the next ';';
 * control-flow statements (CMD_BLOCKS) end after their blocks, and `as`
 * without a switch takes the rest of the line.  Aliases are replaced when
 * a line or block is entered, before it is split (cmd_alias.c).
 *
 * Programs (loops, .foreach, script files, as /c) are posted like j's
 * branch; run_program drives them step by step.  A resuming command (g, p)
 * ends a breakpoint's command string; anywhere else it runs the program
 * there and then, and the commands after it run after the stop.
 */
#include "cmd/cmd.h"

#include <ctype.h>
#include <stdlib.h>
#include <string.h>

#include "cmd/fmt.h"
#include "engine/step.h"

#define MAX_DEPTH 64
#define MAX_LINE 65536
#define MAX_Z_ITERATIONS 1000000

static void run_commands(struct cmd_ctx *c, const char *line);
static void run_program(struct cmd_ctx *c, struct cmd_program *p);

/* ---- running, and breakpoint command strings ---- */

/*
 * Runs a breakpoint's or an event filter's command string one level deeper,
 * from a copy (a command may clear the breakpoint or change the filter); a
 * resume ends it.  A command string is no loop's body.
 */
static void run_nested(struct cmd_ctx *c, const char *commands)
{
	char *copy = xstrdup(commands);
	int loops = c->loop_depth;
	c->loop_depth = 0;
	c->depth++;
	c->hit_depth++;
	cmd_run_line(c, copy);
	c->hit_depth--;
	c->depth--;
	c->loop_depth = loops;
	c->loop = LOOP_NONE;
	free(copy);
}

/*
 * Runs the command strings of the breakpoints hit at one stop, in id order,
 * each up to its first resuming command.  The program resumes only when
 * every hit breakpoint asked for it (one without commands asks to stop).
 */
static void run_hit_commands(struct cmd_ctx *c, const struct stop_report *rep)
{
	struct session *s = c->s;
	/* Copy the ids: a command may clear breakpoints. */
	int ids[MAX_HITS], n = rep->nhits;
	memcpy(ids, rep->hit_ids, sizeof(int) * (size_t)n);
	struct run_request resume = { .kind = RUNREQ_NONE };
	int all_resume = n > 0;
	for (int i = 0; i < n && !c->quit; i++) {
		struct bp *b = bp_find(&s->bps, ids[i]);
		if (!b || !b->command) {
			all_resume = 0;
			continue;
		}
		run_nested(c, b->command);
		if (c->run.kind == RUNREQ_NONE)
			all_resume = 0;
		else
			resume = c->run;
		c->run.kind = RUNREQ_NONE;
	}
	if (all_resume && !c->quit)
		c->run = resume;
	session_bp_retire_oneshots(s, ids, n);
}

/*
 * Runs the command strings of the event filter behind a stop (sx -c, -c2).
 * The first-chance string runs at any stop of the filter; at a stop that is
 * both chances at once (the program would die of the signal) the
 * second-chance string follows, unless the first resumed with the
 * exception handled (gh), which ends it.  A stop that was only for the
 * commands (the filter does not break) resumes as g would unless a command
 * resumed already or stayed: that is the program going on with its event.
 */
static void run_filter_commands(struct cmd_ctx *c, const struct stop_report *rep)
{
	const struct filter *f = session_filter_of_stop(c->s, rep);
	if (!f)
		return;
	char *second = rep->second_chance && f->cmd2 ? xstrdup(f->cmd2) : NULL;
	if (f->cmd1)
		run_nested(c, f->cmd1);
	if (second && !c->quit && !(c->run.kind != RUNREQ_NONE && c->run.sig == SIG_HANDLED)) {
		c->run.kind = RUNREQ_NONE;	/* not handled at first chance: the second chance is this stop */
		run_nested(c, second);
	}
	free(second);
	if (rep->brk != FILTER_BREAK && c->run.kind == RUNREQ_NONE && !c->quit)
		cmd_post_run(c, RUNREQ_GC, RUN_GO, SIG_DEFAULT, 0);
}

static void end_of_process(struct cmd_ctx *c)
{
	session_end(c->s);
	c->quit = 1;
}

/* Carries out run requests until the program stops for good (top level only). */
static void run_requests(struct cmd_ctx *c)
{
	struct session *s = c->s;
	while (c->run.kind != RUNREQ_NONE && !c->quit) {
		struct run_request req = c->run;
		c->run.kind = RUNREQ_NONE;
		unsigned count = req.count ? req.count : 1;
		for (unsigned i = 0; req.until_set || i < count; i++) {
			struct stop_report rep;
			enum sig_disposition sig = i ? SIG_DEFAULT : req.sig;
			int rc = req.kind == RUNREQ_GC	  ? exec_continue(s, &rep)
				 : req.kind == RUNREQ_TRACE ? cmd_trace_run(c, &req.wt, &rep)
							    : step_run(s, req.mode, req.step_flags, sig, &rep);
			if (rc < 0) {
				cmd_fail(c);
				return;
			}
			cmd_show_stop(c, &rep);
			if (rep.kind == REP_GONE) {
				end_of_process(c);
				return;
			}
			if (rep.kind == REP_BREAKPOINT)
				run_hit_commands(c, &rep);
			else
				run_filter_commands(c, &rep);
			if (c->run.kind != RUNREQ_NONE || c->quit)
				break;
			if (rep.kind != REP_STEP || (req.until_set && rep.pc == req.until))
				break;
		}
	}
}

/* ---- line splitting ---- */

/* Length of the first command of s (stops before the separating ';'). */
static size_t command_length(const char *s)
{
	const char *p = skip_ws(s);
	/* Comments and commands that take the rest of the line. */
	const char *args;
	int id, bad_id;
	const struct cmd_def *d = cmd_find(p, &args, &id, &bad_id);
	if (*p == '*' || (d && (d->flags & CMD_REST_OF_LINE)))
		return strlen(s);
	if (*p == '~') {
		const char *q = p + 1;
		while (*q && *q != ' ' && !isalpha((unsigned char)*q))
			q++;
		if (*q == 'e' && (q[1] == ' ' || q[1] == 0))
			return strlen(s);
	}
	if (d && (d->flags & CMD_LINE_UNLESS_SWITCH)) {
		const char *a = skip_ws(args);
		int slash_c = a[0] == '/' && tolower((unsigned char)a[1]) == 'c' &&
			      !isalnum((unsigned char)a[2]);
		if (!(a[0] == '/' && a[1] && !slash_c))
			return strlen(s);
	}
	if (d && (d->flags & CMD_BLOCKS)) {
		enum cmd_block_kind kind = d->flags & CMD_ELSE_BLOCKS	  ? BLOCK_IF
					   : d->flags & CMD_BLOCK_CONDITION ? BLOCK_DO
									    : BLOCK_ONE;
		return (size_t)(args - s) + cmd_block_extent(args, kind);
	}
	return cmd_split_length(s);
}

/* ---- thread prefix ---- */

static int parse_thread_prefix(struct cmd_ctx *c, const char **p, struct thread_sel *sel)
{
	const char *s = *p;
	*sel = (struct thread_sel){ .kind = TSEL_NONE };
	if (*s != '~')
		return 0;
	s++;
	struct session *ss = c->s;
	if (*s == '*') {
		sel->kind = TSEL_ALL;
		s++;
	} else if (*s == '.') {
		sel->kind = TSEL_ONE;
		sel->tid = ss->cur_tid;
		s++;
	} else if (*s == '#') {
		sel->kind = TSEL_ONE;
		sel->tid = ss->last.tid ? ss->last.tid : ss->cur_tid;
		s++;
	} else if (*s == '~' && s[1] == '[') {
		const char *q = s + 2;
		uint64_t v;
		if (cmd_expr(c, &q, &v) < 0)
			return -1;
		q = skip_ws(q);
		if (*q != ']')
			return cmd_error(c, "Syntax error: expected ']' in thread specifier");
		sel->kind = TSEL_ONE;
		sel->tid = (pid_t)v;
		s = q + 1;
	} else if (*s == '[') {
		const char *q = s + 1;
		uint64_t v;
		if (cmd_expr(c, &q, &v) < 0)
			return -1;
		q = skip_ws(q);
		if (*q != ']')
			return cmd_error(c, "Syntax error: expected ']' in thread specifier");
		sel->kind = TSEL_ONE;
		sel->tid = (pid_t)v;
		s = q + 1;
	} else if (isdigit((unsigned char)*s)) {
		long idx = 0;
		while (isdigit((unsigned char)*s)) {
			idx = idx * 10 + (*s - '0');
			if (idx > 1000000)
				break;
			s++;
		}
		if (!session_has_process(ss))
			return cmd_error(c, "No process is being debugged");
		struct target_thread *th = target_thread_by_index(ss->tgt, (int)idx);
		if (!th)
			return cmd_error(c, "Illegal thread error: no thread %ld", idx);
		sel->kind = TSEL_ONE;
		sel->tid = th->tid;
	} else {
		/* bare "~": the current thread for commands, all threads for the list */
		sel->kind = TSEL_NONE;
	}
	if (sel->kind == TSEL_ONE && session_has_process(ss) && !target_thread_by_tid(ss->tgt, sel->tid))
		return cmd_error(c, "Illegal thread error: no thread with id %x", (unsigned)sel->tid);
	*p = s;
	return 1;
}

/* Runs one command, then the commands it posted (j and .if choose a branch this way). */
static void call_command(struct cmd_ctx *c, const struct cmd_def *d, const char *args,
			 const struct thread_sel *sel, int id)
{
	err_clear();
	d->fn(c, d, args, sel, id);
	char *nested = c->then_run;
	c->then_run = NULL;
	if (nested && *skip_ws(nested)) {
		const char *text = c->text;
		int text_len = c->text_len;
		c->depth++;
		cmd_run_line(c, nested);
		c->depth--;
		c->text = text;	/* ~* runs d again for the next thread */
		c->text_len = text_len;
	}
	free(nested);
	struct cmd_program *prog = c->program;
	c->program = NULL;
	if (prog) {
		const char *text = c->text;
		int text_len = c->text_len;
		run_program(c, prog);
		c->text = text;
		c->text_len = text_len;
	}
}

static void dispatch(struct cmd_ctx *c, const char *cmd)
{
	const char *p = skip_ws(cmd);
	if (!*p)
		return;
	if (*p == '*')
		return;	/* comments */
	int id, bad_id;
	const char *args;
	const struct cmd_def *d;
	if (p[0] == '$' && p[1] == '$' && !((d = cmd_find(p, &args, &id, &bad_id)) && d->fn))
		return;	/* $$ comment (not $$< or $$><, the script files) */
	size_t len = strlen(p);
	while (len && (p[len - 1] == ' ' || p[len - 1] == '\t'))
		len--;
	c->text = p;
	c->text_len = len > 1000 ? 1000 : (int)len;
	struct thread_sel sel;
	int has_prefix = parse_thread_prefix(c, &p, &sel);
	if (has_prefix < 0)
		return;
	if (has_prefix) {
		const char *rest = skip_ws(p);
		if (*rest == 'e' && (rest[1] == ' ' || rest[1] == 0)) {
			/* ~Ne: run the rest for each selected thread. */
			if (session_require_process(c->s) < 0) {
				cmd_fail(c);
				return;
			}
			pid_t saved = c->s->cur_tid;
			for (int i = 0; i < c->s->tgt->nthreads; i++) {
				struct target_thread *th = c->s->tgt->threads[i];
				if (sel.kind == TSEL_ONE && th->tid != sel.tid)
					continue;
				if (sel.kind == TSEL_NONE && th->tid != saved)
					continue;
				c->s->cur_tid = th->tid;
				cmd_run_line(c, rest + 1);
				if (!session_has_process(c->s))
					return;
			}
			c->s->cur_tid = saved;
			return;
		}
		if ((rest[0] == 'n' || rest[0] == 'm') && (!rest[1] || rest[1] == ' ')) {
			/* ~N n, ~N m: Windows suspend counts, listed as not supported */
			char name[3] = { '~', rest[0], 0 };
			const struct cmd_def *gap = cmd_find_name(name, 2);
			if (gap && gap->fn) {
				call_command(c, gap, rest + 1, &sel, -1);
				return;
			}
		}
		int r = cmd_thread_command(c, &sel, p);
		if (r <= 0)
			return;
		p = rest;
	}
	d = cmd_find(p, &args, &id, &bad_id);
	if (!d) {
		size_t n = strcspn(p, " \t");
		cmd_error(c, "^ Unknown command in '%.*s'", (int)(n > 200 ? 200 : n), p);
		return;
	}
	if (bad_id) {
		cmd_error(c, "Breakpoint ID is too large in '%s'", p);
		return;
	}
	if (has_prefix && sel.kind != TSEL_NONE && !(d->flags & (CMD_THREADS | CMD_UNSUPPORTED))) {
		cmd_error(c, "Syntax error: '%s' does not take a thread prefix", d->name);
		return;
	}
	if ((d->flags & CMD_NEED_PROCESS) && !session_has_process(c->s)) {
		cmd_error(c, "No process is being debugged");
		return;
	}
	if (d->args == ARGS_NONE && *skip_ws(args)) {
		cmd_extra_chars(c);
		return;
	}
	if (d->args == ARGS_NEEDED && !*skip_ws(args)) {
		struct sbuf sb = { 0 };
		cmd_syntax(&sb, d);
		cmd_error(c, "Syntax error: %s needs arguments: %s", d->name, sb_str(&sb));
		sb_free(&sb);
		return;
	}
	c->repeat_ok = (d->flags & CMD_REPEAT) != 0;
	if (sel.kind == TSEL_ALL && (d->flags & CMD_THREADS) && !(d->flags & CMD_SEL_SELF)) {
		/* ~* cmd: once per thread, in index order. */
		pid_t saved = c->s->cur_tid;
		for (int i = 0; session_has_process(c->s) && i < c->s->tgt->nthreads; i++) {
			struct thread_sel one = { .kind = TSEL_ONE, .tid = c->s->tgt->threads[i]->tid, .each = 1 };
			call_command(c, d, args, &one, id);
		}
		c->s->cur_tid = saved;
		return;
	}
	call_command(c, d, args, &sel, id);
}

void cmd_run_line(struct cmd_ctx *c, const char *text)
{
	if (c->depth > MAX_DEPTH) {
		cmd_error(c, "Command nesting is too deep");
		return;
	}
	size_t total = strlen(text);
	if (total > MAX_LINE) {
		cmd_error(c, "Command line is too long (%zu characters; the limit is %d)", total, MAX_LINE);
		return;
	}
	char *line = cmd_alias_expand(c, text);
	total = strlen(line);
	if (total > MAX_LINE) {
		cmd_error(c, "Command line is too long after alias replacement (%zu characters; the limit is %d)",
			  total, MAX_LINE);
		free(line);
		return;
	}
	run_commands(c, line);
	free(line);
}

/* The commands of one line or block, left to right. */
static void run_commands(struct cmd_ctx *c, const char *line)
{
	const char *p = line;
	const char *loop_start = line;	/* z(...) repeats from here */
	long iterations = 0;
	while (*p && !c->quit) {
		size_t n = command_length(p);
		char *one = xstrndup(p, n);
		c->z = Z_NONE;
		dispatch(c, one);
		free(one);
		/* Only a z of this line counts: nested lines clear theirs before returning. */
		enum z_state z = c->z;
		c->z = Z_NONE;
		if (z == Z_AGAIN && ++iterations > MAX_Z_ITERATIONS) {
			cmd_error(c, "z: stopped after %d iterations", MAX_Z_ITERATIONS);
			return;
		}
		if (z == Z_AGAIN && c->s->interrupted && *c->s->interrupted) {
			*c->s->interrupted = 0;
			cmd_error(c, "z: interrupted");
			return;
		}
		if (z == Z_FAILED)
			return;
		if (c->loop != LOOP_NONE)
			return;	/* .break / .continue: the loop's program carries on */
		p += n;
		if (*p == ';')
			p++;
		if (z == Z_AGAIN)
			p = loop_start;
		else if (z == Z_DONE)
			loop_start = p;	/* commands after z run once, after the loop */
		if (c->run.kind != RUNREQ_NONE) {
			if (c->hit_depth > 0)
				return;	/* a resuming command ends a command string */
			run_requests(c);
		}
	}
}

/* ---- programs ---- */

/* Runs one step of a program with its output collected into p->output. */
static void run_captured(struct cmd_ctx *c, struct cmd_program *p, const char *commands)
{
	char *buf = NULL;
	size_t len = 0;
	FILE *mem = open_memstream(&buf, &len);
	if (!mem) {
		cmd_error(c, "Out of memory collecting command output");
		return;
	}
	FILE *saved = c->out;
	c->out = mem;
	c->capture_depth++;
	c->depth++;
	cmd_run_line(c, commands);
	c->depth--;
	c->capture_depth--;
	c->out = saved;
	fclose(mem);
	free(p->output);
	p->output = buf;
}

static void run_program(struct cmd_ctx *c, struct cmd_program *p)
{
	int loop = (p->flags & PROGRAM_LOOP) != 0;
	c->loop_depth += loop;
	while (!c->quit) {
		char *commands = NULL;
		p->capture = p->echo = 0;
		if (p->next(c, p, &commands) <= 0) {
			free(commands);
			break;
		}
		if (p->echo) {
			char prompt[32];
			cmd_prompt(c, prompt, sizeof(prompt));
			fprintf(c->out, "%s%s\n", prompt, commands);
		}
		if (p->capture) {
			run_captured(c, p, commands);
		} else {
			c->depth++;
			cmd_run_line(c, commands);
			c->depth--;
		}
		free(commands);
		if (c->loop != LOOP_NONE) {
			if (!loop)
				break;	/* for the loop around this program */
			enum loop_request req = c->loop;
			c->loop = LOOP_NONE;
			if (req == LOOP_BREAK)
				break;
		}
		if (c->run.kind != RUNREQ_NONE && c->hit_depth > 0)
			break;	/* a resuming command ends the command string */
		if (loop && c->s->interrupted && *c->s->interrupted) {
			*c->s->interrupted = 0;
			cmd_error(c, "Loop interrupted");
			break;
		}
	}
	c->loop_depth -= loop;
	p->release(c, p);
}

void cmd_run_file(struct cmd_ctx *c, const char *path)
{
	struct cmd_program *p = cmd_script_lines(c, path);
	if (p)
		run_program(c, p);
}

void cmd_end(struct cmd_ctx *c)
{
	cmd_log_end(c);
	cmd_aliases_free(c);
}

void cmd_prompt(struct cmd_ctx *c, char *buf, size_t n)
{
	int idx = 0;
	if (session_has_process(c->s)) {
		struct target_thread *th = target_thread_by_tid(c->s->tgt, c->s->cur_tid);
		if (th)
			idx = th->index;
	}
	snprintf(buf, n, "0:%03d> ", idx);
}
