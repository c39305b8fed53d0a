/*
 * cmd_data.c — looking at and changing data: ? (evaluate; alone it posts
 * .help, as WinDbg's ? alone is help), r (registers),
 * the d* display family and the e* enter family (windbg-commands.md §2.7,
 * §7, §8).  Memory always goes through the session, which hides breakpoint
 * bytes on reads and keeps them on writes.
 */
#include "cmd/cmd.h"

#include <assert.h>
#include <ctype.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "expr/expr.h"
#include "cmd/fmt.h"

/* ---- ? ---- */

static int cmd_eval(struct cmd_ctx *c, const struct cmd_def *d, const char *args,
		    const struct thread_sel *sel, int id)
{
	const char *p = skip_ws(args);
	if (!*p) {
		cmd_post_commands(c, xstrdup(".help"));	/* WinDbg: ? alone is help */
		return 0;
	}
	uint64_t v;
	const char *start = p;
	if (cmd_expr(c, &p, &v) < 0)
		return -1;
	if (*skip_ws(p))
		return cmd_error(c, "%*s^ Syntax error in '? %s'", (int)(p - start) + 2, "", start);
	c->s->last_exp = v;
	struct sbuf sb = { 0 };
	fmt_eval(&sb, v, session_is32(c->s));
	cmd_print(c, "%s\n", sb_str(&sb));
	sb_free(&sb);
	return 0;
}

/* ---- .expr ---- */

static const char *evaluator_name(enum eval_syntax e)
{
	return e == EVAL_CXX ? "C++ - C++ source expressions" : "MASM - Microsoft Assembler expressions";
}

static int cmd_expr_eval(struct cmd_ctx *c, const struct cmd_def *d, const char *args,
			 const struct thread_sel *sel, int id)
{
	const char *p = skip_ws(args);
	if (!strncmp(p, "/q", 2) && !*skip_ws(p + 2)) {
		cmd_print(c, "Available expression evaluators:\n%s\n%s\n\n", evaluator_name(EVAL_MASM),
			  evaluator_name(EVAL_CXX));
	} else if (!strncmp(p, "/s", 2)) {
		p = skip_ws(p + 2);
		size_t n = strcspn(p, " \t");
		if (*skip_ws(p + n))
			return cmd_extra_chars(c);
		if (n == 4 && !strncasecmp(p, "masm", 4))
			c->s->evaluator = EVAL_MASM;
		else if (n == 3 && !strncasecmp(p, "c++", 3))
			c->s->evaluator = EVAL_CXX;
		else
			return cmd_error(c, "Syntax error: .expr /s takes masm or c++");
	} else if (*p) {
		return cmd_error(c, "Syntax error: .expr takes /s masm, /s c++ or /q");
	}
	cmd_print(c, "Current expression evaluator: %s\n", evaluator_name(c->s->evaluator));
	return 0;
}

/* ---- r ---- */

static void print_register(struct cmd_ctx *c, const char *name, size_t len,
			   const struct reg_ref *ref, const struct regs *r, pid_t tid)
{
	if (ref->is_xmm) {
		struct fpregs f;
		if (target_get_fpregs(c->s->tgt, tid, &f) < 0) {
			cmd_fail(c);
			return;
		}
		float v[4];
		memcpy(v, f.xmm[ref->index], sizeof(v));
		cmd_print(c, "%.*s=%g %g %g %g\n", (int)len, name, (double)v[3], (double)v[2],
			  (double)v[1], (double)v[0]);
		return;
	}
	uint64_t v = regs_get(r, ref);
	if (ref->bits < 64)
		v &= (1ULL << ref->bits) - 1;
	if (ref->bits == 64 || (session_is32(c->s) && ref->bits == 32 && ref->shift == 0 &&
				ref->index != REG_EFL))
		cmd_print(c, "%.*s=%0*llx\n", (int)len, name, (int)ref->bits / 4, (unsigned long long)v);
	else
		cmd_print(c, "%.*s=%llx\n", (int)len, name, (unsigned long long)v);
}

/* dr0-dr3, dr6, dr7: the debug registers, which the backend reads (n, or -1 for another name). */
static int debug_register(const char *name, size_t len)
{
	if (len != 3 || strncasecmp(name, "dr", 2))
		return -1;
	int n = name[2] - '0';
	return (n >= 0 && n <= 3) || n == 6 || n == 7 ? n : -1;
}

static int show_debug_register(struct cmd_ctx *c, const char *name, int n, pid_t tid)
{
	if (!session_has_process(c->s))
		return cmd_error(c, "No process is being debugged");
	uint64_t v;
	if (target_get_debugreg(c->s->tgt, tid ? tid : c->s->cur_tid, n, &v) < 0)
		return cmd_fail(c);
	cmd_print(c, "%.3s=%0*llx\n", name, session_is32(c->s) ? 8 : 16, (unsigned long long)v);
	return 0;
}

static int set_pseudo(struct cmd_ctx *c, const char *name, size_t len, uint64_t v)
{
	if (len >= 3 && !strncasecmp(name, "$t", 2)) {
		char *e;
		char buf[8];
		if (len - 2 >= sizeof(buf))
			return cmd_error(c, "Bad register error in '%.*s'", (int)len, name);
		memcpy(buf, name + 2, len - 2);
		buf[len - 2] = 0;
		long n = strtol(buf, &e, 10);
		if (!*e && n >= 0 && n <= 19) {
			c->s->tregs[n] = v;
			return 0;
		}
	}
	if (len == 3 && !strncasecmp(name, "$ip", 3)) {
		struct regs r;
		if (session_get_regs(c->s, 0, &r) < 0)
			return cmd_fail(c);
		r.r[REG_RIP] = v;
		return session_set_regs(c->s, 0, &r) < 0 ? cmd_fail(c) : 0;
	}
	return cmd_error(c, "Bad register error in 'r %.*s'", (int)len, name);
}

static int cmd_r(struct cmd_ctx *c, const struct cmd_def *d, const char *args,
		 const struct thread_sel *sel, int id)
{
	struct session *s = c->s;
	const char *p = skip_ws(args);
	struct target_thread *th = cmd_thread_of(c, sel);
	pid_t tid = th ? th->tid : 0;
	if (!*p) {
		if (!session_has_process(s))
			return cmd_error(c, "No process is being debugged");
		cmd_show_registers(c, tid);
		return 0;
	}
	while (*p) {
		if (*p == '@')
			p++;	/* tolerated on the left, though WinDbg documents it without */
		const char *name = p;
		while (isalnum((unsigned char)*p) || *p == '$' || *p == '_')
			p++;
		size_t len = (size_t)(p - name);
		if (!len)
			return cmd_error(c, "^ Syntax error in 'r %s'", args);
		p = skip_ws(p);
		int is_pseudo = name[0] == '$';
		int dr = debug_register(name, len);
		if (dr >= 0) {
			if (*p == '=')
				return cmd_error(c, "not supported: writing debug registers (ba and bc manage them)");
			if (show_debug_register(c, name, dr, tid) < 0)
				return -1;
			p = skip_ws(p);
			if (*p == ',')
				p = skip_ws(p + 1);
			else if (*p)
				return cmd_error(c, "^ Syntax error in 'r %s'", skip_ws(args));
			continue;
		}
		struct reg_ref ref;
		if (!is_pseudo && regs_lookup(name, len, session_is32(s), &ref) < 0)
			return cmd_error(c, "Bad register error in 'r %s'", skip_ws(args));
		if (*p == '=') {
			p = skip_ws(p + 1);
			uint64_t v;
			if (cmd_expr(c, &p, &v) < 0)
				return -1;
			if (is_pseudo) {
				if (set_pseudo(c, name, len, v) < 0)
					return -1;
			} else {
				if (ref.is_xmm)
					return cmd_error(c, "not supported: setting vector registers");
				struct regs r;
				if (session_get_regs(s, tid, &r) < 0)
					return cmd_fail(c);
				regs_set(&r, &ref, v);
				if (session_set_regs(s, tid, &r) < 0)
					return cmd_fail(c);
			}
		} else if (is_pseudo) {
			uint64_t v;
			const char *q = name - (name > args && name[-1] == '@' ? 1 : 0);
			char *text = xstrndup(name, len);
			struct sbuf e = { 0 };
			sb_addf(&e, "@%s", text);
			free(text);
			q = sb_str(&e);
			if (session_eval_masm(s, q, NULL, &v) < 0) {
				sb_free(&e);
				return cmd_error(c, "Bad register error in 'r %.*s'", (int)len, name);
			}
			sb_free(&e);
			cmd_print(c, "%.*s=%016llx\n", (int)len, name, (unsigned long long)v);
		} else {
			struct regs r;
			if (!session_has_process(s))
				return cmd_error(c, "No process is being debugged");
			if (session_get_regs(s, tid, &r) < 0)
				return cmd_fail(c);
			print_register(c, name, len, &ref, &r, tid ? tid : s->cur_tid);
		}
		p = skip_ws(p);
		if (*p == ',')
			p = skip_ws(p + 1);
		else if (*p)
			return cmd_error(c, "^ Syntax error in 'r %s'", skip_ws(args));
	}
	return 0;
}

/* ---- d* ---- */

struct range {
	uint64_t start;
	uint64_t bytes;
	int have;
};


/* Address [L[?] Count | End]; the command's default size when only the address is given. */
static int parse_range(struct cmd_ctx *c, const char *args, int unit, uint64_t default_bytes,
		       struct range *r)
{
	const char *p = skip_ws(args);
	r->have = 0;
	r->bytes = default_bytes;
	if (!*p)
		return 0;
	if (cmd_expr(c, &p, &r->start) < 0)
		return -1;
	r->have = 1;
	p = skip_ws(p);
	if (!*p)
		return 0;
	if (cmd_range_extent(c, &p, unit, 0, &r->start, &r->bytes) < 0)
		return -1;
	if (*skip_ws(p))
		return cmd_extra_chars(c);
	return 0;
}

/* Reads [addr, addr+n) byte by byte validity (page granular). */
static void read_valid(struct cmd_ctx *c, uint64_t addr, uint8_t *buf, uint8_t *valid, size_t n)
{
	size_t done = 0;
	memset(valid, 0, n);
	while (done < n) {
		int got = session_read(c->s, addr + done, buf + done, n - done);
		if (got > 0) {
			memset(valid + done, 1, (size_t)got);
			done += (size_t)got;
			continue;
		}
		/* Skip to the next page. */
		uint64_t next = ((addr + done) | 0xfff) + 1;
		size_t skip = (size_t)(next - (addr + done));
		done += skip < n - done ? skip : n - done;
	}
}

/* How one line of a dump is shown: numbers (unit bytes, ascii column) or floats. */
struct dump_shape {
	int unit;		/* 1 2 4 8 */
	int ascii;
	int floats;		/* 4: float, 8: double; 0: integers */
};

/* Dumps r line by line in shape; the next bare d* goes on after it. */
static int dump_lines(struct cmd_ctx *c, const struct range *r, const struct dump_shape *shape)
{
	size_t per_line = shape->floats == 8 ? 8 * FMT_DOUBLES_PER_LINE
			  : shape->floats == 4 ? 4 * FMT_FLOATS_PER_LINE : 16;
	uint64_t addr = r->start;
	uint64_t left = r->bytes;
	while (left) {
		size_t n = left < per_line ? (size_t)left : per_line;
		uint8_t buf[32], valid[32];
		assert(n <= sizeof(buf));
		read_valid(c, addr, buf, valid, n);
		struct sbuf sb = { 0 };
		if (shape->floats)
			fmt_float_line(&sb, addr, buf, valid, n, shape->floats == 8, session_is32(c->s));
		else
			fmt_dump_line(&sb, addr, buf, valid, n, shape->unit, shape->ascii, 16, session_is32(c->s));
		cmd_print(c, "%s\n", sb_str(&sb));
		sb_free(&sb);
		addr += n;
		left -= n;
	}
	c->next_dump = addr;
	c->have_next_dump = 1;
	return 0;
}

static int dump_string(struct cmd_ctx *c, const struct range *r, int wide)
{
	uint64_t addr = r->start;
	uint64_t limit = r->bytes;
	int unit = wide ? 2 : 1;
	uint64_t used = 0;
	while (used < limit) {
		struct sbuf sb = { 0 };
		cmd_addr(&sb, c, addr + used);
		sb_add(&sb, "  \"");
		int ended = 0, count = 0;
		while (used < limit && count < 48) {
			uint8_t ch[2] = { 0, 0 };
			if (session_read(c->s, addr + used, ch, (size_t)unit) != unit) {
				if (count == 0) {
					sb_free(&sb);
					sb_reset(&sb);
					cmd_addr(&sb, c, addr + used);
					sb_add(&sb, "  ????");
					cmd_print(c, "%s\n", sb_str(&sb));
					sb_free(&sb);
					return 0;
				}
				ended = 1;
				break;
			}
			uint16_t v = wide ? (uint16_t)(ch[0] | ch[1] << 8) : ch[0];
			used += (uint64_t)unit;
			if (v == 0) {
				ended = 1;
				break;
			}
			sb_addc(&sb, v >= 0x20 && v < 0x7f ? (char)v : '.');
			count++;
		}
		sb_add(&sb, "\"");
		cmd_print(c, "%s\n", sb_str(&sb));
		sb_free(&sb);
		if (ended)
			break;
	}
	c->next_dump = addr + used;
	c->have_next_dump = 1;
	return 0;
}

static int dump_symbols(struct cmd_ctx *c, const struct range *r, int unit)
{
	uint64_t addr = r->start;
	for (uint64_t off = 0; off + (uint64_t)unit <= r->bytes; off += (uint64_t)unit) {
		struct sbuf sb = { 0 };
		cmd_addr(&sb, c, addr + off);
		sb_add(&sb, "  ");
		uint64_t v = 0;
		if (session_read(c->s, addr + off, &v, (size_t)unit) != unit) {
			sb_add(&sb, unit == 8 ? "????????`????????" : "????????");
		} else {
			fmt_addr(&sb, v, unit == 4);
			struct sbuf sym = { 0 };
			if (session_describe(c->s, v, &sym) == 0)
				sb_addf(&sb, " %s", sb_str(&sym));
			sb_free(&sym);
		}
		cmd_print(c, "%s\n", sb_str(&sb));
		sb_free(&sb);
	}
	c->next_dump = addr + r->bytes;
	c->have_next_dump = 1;
	return 0;
}

static int cmd_d(struct cmd_ctx *c, const struct cmd_def *d, const char *args,
		 const struct thread_sel *sel, int id)
{
	const char *name = d->name;
	if (!strcmp(name, "d"))
		name = c->last_dump[0] ? c->last_dump : "db";
	int ptr = session_is32(c->s) ? 4 : 8;
	/* kind 0 numbers, 1 ascii string, 2 wide, 3 symbols, 4 floating point */
	int unit = 1, ascii = 0, kind = 0;
	uint64_t deflt = 128;
	if (!strcmp(name, "db")) {
		unit = 1, ascii = 1;
	} else if (!strcmp(name, "dw")) {
		unit = 2;
	} else if (!strcmp(name, "dW")) {
		unit = 2, ascii = 1;
	} else if (!strcmp(name, "dd")) {
		unit = 4;
	} else if (!strcmp(name, "dc")) {
		unit = 4, ascii = 1;
	} else if (!strcmp(name, "dq")) {
		unit = 8;
	} else if (!strcmp(name, "dp")) {
		unit = ptr;
	} else if (!strcmp(name, "dD")) {
		kind = 4, unit = 8, deflt = 15 * 8;
	} else if (!strcmp(name, "df")) {
		kind = 4, unit = 4, deflt = 16 * 4;
	} else if (!strcmp(name, "da")) {
		kind = 1, deflt = 256;
	} else if (!strcmp(name, "du")) {
		kind = 2, unit = 2, deflt = 256;
	} else if (!strcmp(name, "dds")) {
		kind = 3, unit = 4;
	} else if (!strcmp(name, "dqs")) {
		kind = 3, unit = 8;
	} else if (!strcmp(name, "dps")) {
		kind = 3, unit = ptr;
	}
	if (kind == 3 && unit == 4)
		deflt = 128;
	struct range r;
	if (parse_range(c, args, kind == 1 ? 1 : unit, deflt, &r) < 0)
		return -1;
	if (!r.have) {
		if (c->have_next_dump) {
			r.start = c->next_dump;
		} else {
			struct regs regs;
			if (session_get_regs(c->s, 0, &regs) < 0)
				return cmd_fail(c);
			r.start = regs.r[REG_RIP];
		}
	}
	snprintf(c->last_dump, sizeof(c->last_dump), "%s", name);
	switch (kind) {
	case 1:
		return dump_string(c, &r, 0);
	case 2:
		return dump_string(c, &r, 1);
	case 3:
		return dump_symbols(c, &r, unit);
	case 4: {
		struct dump_shape floats = { .unit = unit, .floats = unit == 8 ? 8 : 4 };
		return dump_lines(c, &r, &floats);
	}
	default: {
		struct dump_shape numbers = { .unit = unit, .ascii = ascii };
		return dump_lines(c, &r, &numbers);
	}
	}
}

/* ---- e* ---- */

static int enter_string(struct cmd_ctx *c, uint64_t addr, const char *p, int wide, int zero)
{
	char *text;
	p = skip_ws(p);
	if (cmd_quoted(c, &p, &text) < 0)
		return -1;
	if (*skip_ws(p)) {
		free(text);
		return cmd_extra_chars(c);
	}
	size_t n = strlen(text) + (zero ? 1 : 0);
	size_t bytes = n * (wide ? 2 : 1);
	uint8_t *buf = xmalloc(bytes ? bytes : 1);
	for (size_t i = 0; i < n; i++) {
		if (wide) {
			buf[2 * i] = (uint8_t)text[i];
			buf[2 * i + 1] = 0;
		} else {
			buf[i] = (uint8_t)text[i];
		}
	}
	int rc = target_write(c->s->tgt, addr, buf, bytes);
	free(buf);
	free(text);
	return rc < 0 ? cmd_fail(c) : 0;
}

static int cmd_e(struct cmd_ctx *c, const struct cmd_def *d, const char *args,
		 const struct thread_sel *sel, int id)
{
	const char *p = skip_ws(args);
	uint64_t addr;
	if (cmd_expr(c, &p, &addr) < 0)
		return -1;
	if (!strcmp(d->name, "ea") || !strcmp(d->name, "eza"))
		return enter_string(c, addr, p, 0, d->name[1] == 'z');
	if (!strcmp(d->name, "eu") || !strcmp(d->name, "ezu"))
		return enter_string(c, addr, p, 1, d->name[1] == 'z');
	int unit = d->arg == 0 ? (session_is32(c->s) ? 4 : 8) : d->arg;
	/* Parse every value first: bad input changes nothing. */
	uint8_t *buf = NULL;
	size_t n = 0;
	for (;;) {
		p = skip_sep(p);
		if (!*p)
			break;
		uint64_t v;
		if (*p == '\'' && p[1] && p[2] == '\'' && unit == 1) {
			v = (uint8_t)p[1];
			p += 3;
		} else if (cmd_expr(c, &p, &v) < 0) {
			free(buf);
			return -1;
		}
		if (unit < 8 && v >> (unit * 8) && ~v >> (unit * 8 - 1) != 0) {
			free(buf);
			return cmd_error(c, "Value %llx is too large for %d byte(s)", (unsigned long long)v, unit);
		}
		buf = xrealloc(buf, n + (size_t)unit);
		for (int i = 0; i < unit; i++)
			buf[n + (size_t)i] = (uint8_t)(v >> (8 * i));
		n += (size_t)unit;
	}
	if (!n) {
		free(buf);
		return cmd_error(c, "not supported: interactive entry (give the values on the command line)");
	}
	int rc = target_write(c->s->tgt, addr, buf, n);
	free(buf);
	return rc < 0 ? cmd_fail(c) : 0;
}

const struct cmd_def cmd_data_table[] = {
	{ "?", cmd_eval, 0, 0, ARGS_ANY, "? Expression",
	  "Evaluate an expression (see .expr); ? alone lists the commands" },
	{ ".expr", cmd_expr_eval, 0, 0, ARGS_ANY, ".expr [/s masm | /s c++ | /q]",
	  "Show or choose the default expression evaluator (MASM or C++)" },
	{ "r", cmd_r, CMD_GLUED | CMD_THREADS, 0, ARGS_ANY, "r [Register[=Value][, ...]]",
	  "Show the registers, or show or set the ones named" },
	{ "d", cmd_d, CMD_NEED_PROCESS, 0, ARGS_ANY, "d [Address [L Count | EndAddress]]",
	  "Display memory in the last d* command's format (db at first)" },
	{ "db", cmd_d, CMD_NEED_PROCESS, 0, ARGS_ANY, "db [Address [L Count | EndAddress]]",
	  "Display bytes and ASCII" },
	{ "dw", cmd_d, CMD_NEED_PROCESS | CMD_CASE, 0, ARGS_ANY, "dw [Address [L Count | EndAddress]]",
	  "Display words (2 bytes)" },
	{ "dW", cmd_d, CMD_NEED_PROCESS | CMD_CASE, 0, ARGS_ANY, "dW [Address [L Count | EndAddress]]",
	  "Display words and ASCII" },
	{ "dd", cmd_d, CMD_NEED_PROCESS, 0, ARGS_ANY, "dd [Address [L Count | EndAddress]]",
	  "Display double words (4 bytes)" },
	{ "dD", cmd_d, CMD_NEED_PROCESS | CMD_CASE, 0, ARGS_ANY, "dD [Address [L Count | EndAddress]]",
	  "Display double-precision floating-point numbers (8 bytes)" },
	{ "df", cmd_d, CMD_NEED_PROCESS, 0, ARGS_ANY, "df [Address [L Count | EndAddress]]",
	  "Display single-precision floating-point numbers (4 bytes)" },
	{ "dc", cmd_d, CMD_NEED_PROCESS, 0, ARGS_ANY, "dc [Address [L Count | EndAddress]]",
	  "Display double words and ASCII" },
	{ "dq", cmd_d, CMD_NEED_PROCESS, 0, ARGS_ANY, "dq [Address [L Count | EndAddress]]",
	  "Display quad words (8 bytes)" },
	{ "dp", cmd_d, CMD_NEED_PROCESS, 0, ARGS_ANY, "dp [Address [L Count | EndAddress]]",
	  "Display pointer-sized values" },
	{ "da", cmd_d, CMD_NEED_PROCESS, 0, ARGS_ANY, "da [Address [L Count | EndAddress]]",
	  "Display an ASCII string" },
	{ "du", cmd_d, CMD_NEED_PROCESS, 0, ARGS_ANY, "du [Address [L Count | EndAddress]]",
	  "Display a UTF-16 string" },
	{ "dds", cmd_d, CMD_NEED_PROCESS, 0, ARGS_ANY, "dds [Address [L Count | EndAddress]]",
	  "Display double words with the symbols they point to" },
	{ "dqs", cmd_d, CMD_NEED_PROCESS, 0, ARGS_ANY, "dqs [Address [L Count | EndAddress]]",
	  "Display quad words with the symbols they point to" },
	{ "dps", cmd_d, CMD_NEED_PROCESS, 0, ARGS_ANY, "dps [Address [L Count | EndAddress]]",
	  "Display pointers with the symbols they point to" },
	{ "eb", cmd_e, CMD_NEED_PROCESS, 1, ARGS_NEEDED, "eb Address Values", "Write bytes" },
	{ "ew", cmd_e, CMD_NEED_PROCESS, 2, ARGS_NEEDED, "ew Address Values", "Write words" },
	{ "ed", cmd_e, CMD_NEED_PROCESS, 4, ARGS_NEEDED, "ed Address Values", "Write double words" },
	{ "eq", cmd_e, CMD_NEED_PROCESS, 8, ARGS_NEEDED, "eq Address Values", "Write quad words" },
	{ "ep", cmd_e, CMD_NEED_PROCESS, 0, ARGS_NEEDED, "ep Address Values", "Write pointer-sized values" },
	{ "ea", cmd_e, CMD_NEED_PROCESS, 1, ARGS_NEEDED, "ea Address \"String\"",
	  "Write an ASCII string, without a terminating NUL" },
	{ "eza", cmd_e, CMD_NEED_PROCESS, 1, ARGS_NEEDED, "eza Address \"String\"",
	  "Write an ASCII string and a terminating NUL" },
	{ "eu", cmd_e, CMD_NEED_PROCESS, 2, ARGS_NEEDED, "eu Address \"String\"",
	  "Write a UTF-16 string, without a terminating NUL" },
	{ "ezu", cmd_e, CMD_NEED_PROCESS, 2, ARGS_NEEDED, "ezu Address \"String\"",
	  "Write a UTF-16 string and a terminating NUL" },
	{ NULL, NULL, 0, 0, ARGS_ANY, NULL, NULL },
};
