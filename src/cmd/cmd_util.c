/*
 * cmd_util.c — the helpers every command family calls: output and errors,
 * expressions, words and quoted strings of the argument text, the thread a
 * prefix selects, and posting requests (run the program, run commands) for
 * the line runner to carry out.
 *
 * Invariant: this file calls nothing else in cmd/, so calls inside the
 * layer point one way: the line runner (cmd.c) -> the command table and
 * families -> these helpers.
 */
#include "cmd/cmd.h"

#include <stdarg.h>
#include <stdlib.h>
#include <string.h>

#include "cmd/fmt.h"

void cmd_print(struct cmd_ctx *c, const char *fmt, ...)
{
	va_list ap;
	va_start(ap, fmt);
	vfprintf(c->out, fmt, ap);
	va_end(ap);
}

int cmd_error(struct cmd_ctx *c, const char *fmt, ...)
{
	va_list ap;
	va_start(ap, fmt);
	vfprintf(c->out, fmt, ap);
	va_end(ap);
	fputc('\n', c->out);
	return -1;
}

int cmd_extra_chars(struct cmd_ctx *c)
{
	return cmd_error(c, "^ Extra character error in '%.*s'", c->text ? c->text_len : 0,
			 c->text ? c->text : "");
}

void cmd_syntax(struct sbuf *sb, const struct cmd_def *d)
{
	if (d->flags & CMD_THREADS)
		sb_add(sb, "[~Thread] ");
	sb_add(sb, d->syntax);
}

int cmd_fail(struct cmd_ctx *c)
{
	return cmd_error(c, "%s", err_get());
}

void cmd_addr(struct sbuf *sb, struct cmd_ctx *c, uint64_t addr)
{
	fmt_addr(sb, addr, session_is32(c->s));
}

void cmd_post_run(struct cmd_ctx *c, enum run_request_kind kind, enum run_mode mode,
		  enum sig_disposition sig, unsigned count)
{
	c->run = (struct run_request){ .kind = kind, .mode = mode, .sig = sig, .count = count };
}

void cmd_post_commands(struct cmd_ctx *c, char *commands)
{
	free(c->then_run);
	c->then_run = commands;
}

int cmd_start_address(struct cmd_ctx *c, const char **p, int *have, uint64_t *addr)
{
	const char *q = skip_ws(*p);
	*have = 0;
	if (*q != '=')
		return 0;
	q++;
	if (cmd_expr(c, &q, addr) < 0)
		return -1;
	*have = 1;
	*p = q;
	return 0;
}

int cmd_set_pc(struct cmd_ctx *c, uint64_t addr)
{
	struct regs r;
	if (session_get_regs(c->s, c->s->cur_tid, &r) < 0)
		return cmd_fail(c);
	r.r[REG_RIP] = addr;
	if (session_set_regs(c->s, c->s->cur_tid, &r) < 0)
		return cmd_fail(c);
	return 0;
}

int cmd_expr(struct cmd_ctx *c, const char **p, uint64_t *v)
{
	const char *end;
	*p = skip_ws(*p);
	if (session_eval(c->s, *p, &end, v) < 0)
		return cmd_fail(c);
	*p = end;
	return 0;
}

int cmd_id_expression(struct cmd_ctx *c, const char **p, int *id)
{
	const char *q = *p + 1;
	uint64_t v;
	if (cmd_expr(c, &q, &v) < 0)
		return -1;
	q = skip_ws(q);
	if (*q != ']')
		return cmd_error(c, "Syntax error: expected ']' after the breakpoint ID in '%.*s'",
				 c->text_len, c->text);
	if (v > 0x7fffffff)
		return cmd_error(c, "Breakpoint ID is too large in '%.*s'", c->text_len, c->text);
	*id = (int)v;
	*p = q + 1;
	return 0;
}

/* WinDbg documents Passes of processor breakpoints as "any 16-bit value", and bl shows 4 digits. */
#define MAX_PASSES 0xffffu

int cmd_passes(struct cmd_ctx *c, const char **p, unsigned *passes)
{
	uint64_t v;
	if (cmd_expr(c, p, &v) < 0)
		return -1;
	if (v > MAX_PASSES)
		return cmd_error(c, "Pass count 0x%llx is too large: passes is a 16-bit value (at most 0x%x)",
				 (unsigned long long)v, MAX_PASSES);
	*passes = v ? (unsigned)v : 1;
	return 0;
}

char *cmd_word(const char **p)
{
	const char *s = skip_sep(*p);
	if (!*s)
		return NULL;
	const char *e = s;
	int paren = 0;
	while (*e && (paren || (*e != ' ' && *e != '\t'))) {
		if (*e == '(')
			paren++;
		else if (*e == ')' && paren)
			paren--;
		else if (*e == '"') {
			e++;
			while (*e && *e != '"') {
				if (*e == '\\' && e[1])
					e++;
				e++;
			}
			if (!*e)
				break;
		} else if (*e == '`') {
			e++;
			while (*e && *e != '`')
				e++;
			if (!*e)
				break;
		}
		e++;
	}
	*p = e;
	return xstrndup(s, (size_t)(e - s));
}

int cmd_quoted(struct cmd_ctx *c, const char **p, char **out)
{
	const char *s = *p;
	if (*s != '"')
		return cmd_error(c, "Syntax error: expected a quoted string at '%s'", s);
	struct sbuf sb = { 0 };
	s++;
	while (*s && *s != '"') {
		if (*s == '\\' && s[1]) {
			s++;
			switch (*s) {
			case 'n':
				sb_addc(&sb, '\n');
				break;
			case 't':
				sb_addc(&sb, '\t');
				break;
			default:
				sb_addc(&sb, *s);
				break;
			}
			s++;
			continue;
		}
		sb_addc(&sb, *s++);
	}
	if (*s != '"') {
		sb_free(&sb);
		return cmd_error(c, "Syntax error: unterminated string");
	}
	*p = s + 1;
	*out = xstrdup(sb_str(&sb));
	sb_free(&sb);
	return 0;
}

struct target_thread *cmd_thread_of(struct cmd_ctx *c, const struct thread_sel *sel)
{
	if (!session_has_process(c->s))
		return NULL;
	pid_t tid = sel && sel->kind == TSEL_ONE ? sel->tid : c->s->cur_tid;
	return target_thread_by_tid(c->s->tgt, tid);
}

const char *cmd_dwarf_reg_name(int is32, int dw)
{
	static const char *const names32[] = { "eax", "ecx", "edx", "ebx", "esp", "ebp", "esi", "edi", "eip" };
	if (is32)
		return dw >= 0 && dw < (int)ARRAY_SIZE(names32) ? names32[dw] : NULL;
	int idx = dw < 0 ? -1 : sym_dwarf_reg(0, (uint64_t)dw);
	return idx < 0 ? NULL : regs_name((enum reg_index)idx);
}
