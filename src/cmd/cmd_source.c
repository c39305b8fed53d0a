/*
 * cmd_source.c — source files at the prompt: .lines, l+ / l- (what the stop
 * display shows of the source), ls, lsa, lsc, lsf (listings) and .srcpath
 * (where files are found).  Files are found and read by srcfile.c.
 *
 * WinDbg's meaning, kept here:
 *   .lines       source line support; off at start as in CDB (-lines turns
 *                it on).  The source options take effect only while it is
 *                on.  dr7 always knows lines for k, kp, .frame, ln and uf:
 *                .lines governs only the prompt.
 *   l+l / l-l    line numbers at the prompt: " [file @ line]" after the
 *                symbol line of a stop.
 *   l+s / l-s    the source line at the prompt, "> 12:     text" above the
 *                symbol line (and the line number as l+l shows it).
 *   l+o / l-o    with s: a stop whose source line is known shows only that
 *                line (after the event line): no registers, no disassembly.
 *   l+*          all of them.  Default options: l and s.
 *
 * Listings (ls, lsa) print "%c%5d: text" per line, the mark '>' on the
 * line the current scope (thread, .frame) executes.  The listing has a
 * file and a next line; they follow the current scope: whenever the scope
 * differs from the one the listing was last positioned in (the program
 * ran, ~s or .frame chose another), the listing moves to the scope's file
 * and line.  ls and lsa continue after the last line they showed; lsf
 * chooses a file.
 */
#include "cmd/cmd.h"

#include <ctype.h>
#include <stdlib.h>
#include <string.h>

#include "cmd/srcfile.h"

enum {
	SRC_OPT_T = 1,	/* source mode (stepping by line) */
	SRC_OPT_L = 2,
	SRC_OPT_S = 4,
	SRC_OPT_O = 8,
};

#define DEFAULT_OPTS (SRC_OPT_L | SRC_OPT_S)
#define LIST_DEFAULT_COUNT 20	/* WinDbg: 0x14 unless lsp -a changed it */
#define LIST_MAX_COUNT 100000

static unsigned options_set(const struct cmd_ctx *c)
{
	return c->source_opts_set ? c->source_opts : DEFAULT_OPTS;
}

unsigned cmd_source_options(const struct cmd_ctx *c)
{
	return c->line_support ? options_set(c) : 0;
}

/* Source mode needs only the line table, not .lines' display. */
int cmd_source_steps_by_line(const struct cmd_ctx *c)
{
	return (options_set(c) & SRC_OPT_T) != 0;
}

int cmd_source_line_known(struct cmd_ctx *c, uint64_t pc, const char **file, int *line)
{
	if (!(cmd_source_options(c) & (SRC_OPT_L | SRC_OPT_S)) || !c->s->sym)
		return 0;
	return sym_source_line(c->s->sym, pc, file, line) == 0;
}

/*
 * The source file of addr as the listing names it: the DWARF name, joined
 * to its unit's directory when relative (so it is found from any current
 * directory); malloc'ed, or NULL when addr has no line information.
 */
static char *source_of(struct cmd_ctx *c, uint64_t addr, int *line)
{
	const char *file, *dir;
	if (!c->s->sym || sym_source_line_dir(c->s->sym, addr, &file, line, &dir) < 0)
		return NULL;
	if (file[0] == '/' || !dir || !*dir)
		return xstrdup(file);
	struct sbuf sb = { 0 };
	sb_addf(&sb, "%s%s%s", dir, dir[strlen(dir) - 1] == '/' ? "" : "/", file);
	char *joined = xstrdup(sb_str(&sb));
	sb_free(&sb);
	return joined;
}

int cmd_source_stop_line(struct cmd_ctx *c, uint64_t pc)
{
	int line;
	if (!(cmd_source_options(c) & SRC_OPT_S))
		return 0;
	char *name = source_of(c, pc, &line);
	const struct srcfile *f = name ? srcfile_find(name) : NULL;
	const char *text = f ? srcfile_line(f, line) : NULL;
	free(name);
	if (!text)
		return 0;
	cmd_print(c, ">%5d: %s\n", line, text);
	return 1;
}

int cmd_source_only(struct cmd_ctx *c)
{
	unsigned o = cmd_source_options(c);
	return (o & SRC_OPT_O) && (o & SRC_OPT_S);
}

/* ---- .lines ---- */

static int cmd_lines(struct cmd_ctx *c, const struct cmd_def *d, const char *args,
		     const struct thread_sel *sel, int id)
{
	const char *p = skip_ws(args);
	if (!strcmp(p, "-e"))
		c->line_support = 1;
	else if (!strcmp(p, "-d"))
		c->line_support = 0;
	else if (!*p || !strcmp(p, "-t"))
		c->line_support = !c->line_support;
	else
		return cmd_error(c, "Syntax error: .lines [-e|-d|-t]");
	cmd_print(c, "Line number information will %sbe loaded\n", c->line_support ? "" : "not ");
	return 0;
}

/* ---- l+ / l- ---- */

static void show_options(struct cmd_ctx *c)
{
	static const struct {
		unsigned bit;
		const char *text;
	} names[] = {
		{ SRC_OPT_T, "1/t - Step/trace by source line" },
		{ SRC_OPT_L, "2/l - List source line at prompt" },
		{ SRC_OPT_S, "4/s - List source code at prompt" },
		{ SRC_OPT_O, "8/o - Only show source code at prompt" },
	};
	unsigned o = options_set(c);
	cmd_print(c, "Source options are %x:\n", o);
	if (!o)
		cmd_print(c, "    None\n");
	for (size_t i = 0; i < ARRAY_SIZE(names); i++)
		if (o & names[i].bit)
			cmd_print(c, "    %s\n", names[i].text);
	if (!c->line_support)
		cmd_print(c, "Source line support is off: the options take effect after .lines\n");
}

static int cmd_lplus(struct cmd_ctx *c, const struct cmd_def *d, const char *args,
		     const struct thread_sel *sel, int id)
{
	const char *p = skip_ws(args);
	unsigned bit = 0;
	/* One option per command; WinDbg reads only the first letter of several. */
	switch (*p) {
	case 0: break;
	case 'l': bit = SRC_OPT_L; break;
	case 's': bit = SRC_OPT_S; break;
	case 'o': bit = SRC_OPT_O; break;
	case '*': bit = SRC_OPT_L | SRC_OPT_S | SRC_OPT_O; break;
	case 't': bit = SRC_OPT_T; break;
	default:
		return cmd_error(c, "Syntax error: %s takes one option: l, o, s, t or *", d->name);
	}
	if (bit) {
		unsigned o = options_set(c);
		c->source_opts = d->arg ? (o | bit) : (o & ~bit);
		c->source_opts_set = 1;
	}
	show_options(c);
	return 0;
}

/* ---- the listing ---- */

/* The current scope: thread, selected frame, its pc and the address its line is looked up at. */
struct scope_at {
	pid_t tid;
	int frame;
	uint64_t pc;
	uint64_t lookup;
	char *file;		/* as source_of names it; NULL: no line information there */
	int line;
};

static void scope_free(struct scope_at *sc)
{
	free(sc->file);
	sc->file = NULL;
}

static int scope_now(struct cmd_ctx *c, struct scope_at *sc)
{
	struct session *s = c->s;
	memset(sc, 0, sizeof(*sc));
	if (!session_has_process(s))
		return 0;	/* no scope: only a file lsf loaded can be listed */
	sc->tid = s->cur_tid;
	sc->frame = s->cur_frame > 0 ? s->cur_frame : 0;
	if (sc->frame == 0) {
		struct regs r;
		if (session_get_regs(s, 0, &r) < 0)
			return cmd_fail(c);
		sc->pc = sc->lookup = r.r[REG_RIP];
	} else {
		if (session_frame_pc(s, 0, sc->frame, &sc->pc) < 0)
			return cmd_fail(c);
		sc->lookup = sc->pc - 1;	/* a return address: the line of the call */
	}
	sc->file = source_of(c, sc->lookup, &sc->line);
	return 0;
}

static void list_set(struct cmd_ctx *c, const struct scope_at *sc, const char *file, int line)
{
	struct cmd_src_list *l = &c->list;
	l->set = file && strlen(file) < sizeof(l->file);
	if (l->set)
		strcpy(l->file, file);
	l->line = line > 0 ? line : 1;
	l->tid = sc->tid;
	l->frame = sc->frame;
	l->pc = sc->pc;
}

/* Moves the listing to the scope when the scope is not the one it was positioned in. */
static void list_follow(struct cmd_ctx *c, const struct scope_at *sc)
{
	struct cmd_src_list *l = &c->list;
	if (l->set && l->tid == sc->tid && l->frame == sc->frame && l->pc == sc->pc)
		return;
	list_set(c, sc, sc->file, sc->line);
}

/* Prints lines [from, from + count) of file; the last line shown, from - 1 for none, -1 on error. */
static int list_lines(struct cmd_ctx *c, const struct scope_at *sc, const char *file, int from, int count)
{
	const struct srcfile *f = srcfile_find(file);
	if (!f)
		return cmd_fail(c);
	int mark = sc->file && !strcmp(sc->file, file) ? sc->line : 0;
	int last = from - 1;
	for (int n = from; n < from + count && n <= srcfile_nlines(f); n++) {
		cmd_print(c, "%c%5d: %s\n", n == mark ? '>' : ' ', n, srcfile_line(f, n));
		last = n;
	}
	return last;
}

/* "." as a parameter of its own (not the start of an expression such as ".+4"). */
static int take_dot(const char **p)
{
	const char *s = skip_ws(*p);
	if (s[0] == '.' && (s[1] == 0 || s[1] == ' ' || s[1] == '\t' || s[1] == ',')) {
		*p = s + 1;
		return 1;
	}
	return 0;
}

/* A line number or count (MASM, current radix) within [min, max]. */
static int list_number(struct cmd_ctx *c, const char **p, long min, long max, const char *what, int *out)
{
	uint64_t v;
	if (cmd_expr(c, p, &v) < 0)
		return -1;
	if (v < (uint64_t)min || v > (uint64_t)max)
		return cmd_error(c, "Range error: %s must be %ld to %ld", what, min, max);
	*out = (int)v;
	return 0;
}

/* "[first] [, count]" of ls and lsa; absent values are left as they are. */
static int list_range(struct cmd_ctx *c, const char *p, int want_first, int *first, int *count)
{
	p = skip_ws(p);
	if (want_first && *p && *p != ',' && list_number(c, &p, 1, 100000000, "the first line", first) < 0)
		return -1;
	p = skip_ws(p);
	if (*p == ',') {
		p++;
		if (list_number(c, &p, 1, LIST_MAX_COUNT, "the line count", count) < 0)
			return -1;
	}
	if (*skip_ws(p))
		return cmd_extra_chars(c);
	return 0;
}

static int cmd_ls(struct cmd_ctx *c, const struct cmd_def *d, const char *args,
		  const struct thread_sel *sel, int id)
{
	const char *p = args;
	int dot = take_dot(&p);
	int first = 0, count = LIST_DEFAULT_COUNT;
	if (list_range(c, p, 1, &first, &count) < 0)
		return -1;
	struct scope_at sc;
	if (scope_now(c, &sc) < 0)
		return -1;
	if (dot)
		list_set(c, &sc, sc.file, sc.line);	/* the engine's file, whatever lsf chose */
	else
		list_follow(c, &sc);
	if (!c->list.set) {
		scope_free(&sc);
		return cmd_error(c, "No source file is current: no line information for the current scope");
	}
	int from = first ? first : c->list.line;
	int last = list_lines(c, &sc, c->list.file, from, count);
	scope_free(&sc);
	if (last < 0)
		return -1;
	c->list.line = last + 1;
	return 0;
}

static int cmd_lsa(struct cmd_ctx *c, const struct cmd_def *d, const char *args,
		   const struct thread_sel *sel, int id)
{
	const char *p = args;
	/* "lsa . addr": the address's own file is listed either way; "lsa ." alone lists around $ip. */
	const char *after = p;
	if (take_dot(&after) && *skip_ws(after) && *skip_ws(after) != ',')
		p = after;
	uint64_t addr;
	if (cmd_expr(c, &p, &addr) < 0)
		return -1;
	int first = 0, count = LIST_DEFAULT_COUNT;
	p = skip_ws(p);
	if (*p == ',') {
		p++;
		if (list_range(c, p, 1, &first, &count) < 0)
			return -1;
	} else if (*p) {
		return cmd_extra_chars(c);
	}
	int line;
	char *name = source_of(c, addr, &line);
	if (!name) {
		struct sbuf sb = { 0 };
		cmd_addr(&sb, c, addr);
		cmd_error(c, "No source line information for %s", sb_str(&sb));
		sb_free(&sb);
		return -1;
	}
	struct scope_at sc;
	if (scope_now(c, &sc) < 0) {
		free(name);
		return -1;
	}
	/* The address's line with the lines before it: half of the count leads. */
	int from = first ? first : line - count / 2;
	if (from < 1)
		from = 1;
	int last = list_lines(c, &sc, name, from, count);
	if (last >= 0)
		list_set(c, &sc, name, last + 1);
	free(name);
	scope_free(&sc);
	return last < 0 ? -1 : 0;
}

static int cmd_lsc(struct cmd_ctx *c, const struct cmd_def *d, const char *args,
		   const struct thread_sel *sel, int id)
{
	struct scope_at sc;
	if (scope_now(c, &sc) < 0)
		return -1;
	list_follow(c, &sc);
	scope_free(&sc);
	if (!c->list.set)
		return cmd_error(c, "No source file is current: no line information for the current scope");
	cmd_print(c, "Current: %s(%d)\n", c->list.file, c->list.line);
	return 0;
}

/* The file name argument: the rest of the line, or a "quoted" name. */
static char *file_argument(struct cmd_ctx *c, const char *p)
{
	p = skip_ws(p);
	if (*p == '"') {
		char *q;
		if (cmd_quoted(c, &p, &q) < 0)
			return NULL;
		if (*skip_ws(p)) {
			free(q);
			cmd_extra_chars(c);
			return NULL;
		}
		return q;
	}
	size_t n = strlen(p);
	while (n && isspace((unsigned char)p[n - 1]))
		n--;
	if (!n) {
		cmd_error(c, "Syntax error: lsf needs a file name");
		return NULL;
	}
	return xstrndup(p, n);
}

static int cmd_lsf(struct cmd_ctx *c, const struct cmd_def *d, const char *args,
		   const struct thread_sel *sel, int id)
{
	const char *p = args;
	int unload = *p == '-';
	char *name = file_argument(c, unload ? p + 1 : p);
	if (!name)
		return -1;
	int rc = -1;
	if (unload) {
		if (srcfile_unload(name) < 0) {
			cmd_fail(c);
			goto out;
		}
		if (c->list.set && !strcmp(c->list.file, name))
			c->list.set = 0;
		rc = 0;
		goto out;
	}
	if (strlen(name) >= sizeof(c->list.file)) {
		cmd_error(c, "File name too long");
		goto out;
	}
	if (!srcfile_find(name)) {
		cmd_fail(c);
		goto out;
	}
	struct scope_at sc;
	if (scope_now(c, &sc) < 0)
		goto out;
	list_set(c, &sc, name, 1);
	scope_free(&sc);
	rc = 0;
out:
	free(name);
	return rc;
}

/* ---- .srcpath ---- */

static int cmd_srcpath(struct cmd_ctx *c, const struct cmd_def *d, const char *args,
		       const struct thread_sel *sel, int id)
{
	int append;
	size_t n;
	const char *p = cmd_path_argument(args, &append, &n);
	if (n) {
		char *dirs = xstrndup(p, n);
		if (append)
			srcpath_append(dirs);
		else
			srcpath_set(dirs);
		free(dirs);
	}
	const char *now = srcpath_get();
	cmd_print(c, "Source search path is: %s\n", *now ? now : "<empty>");
	return 0;
}

const struct cmd_def cmd_source_table[] = {
	{ ".lines", cmd_lines, 0, 0, ARGS_ANY, ".lines [-e | -d | -t]",
	  "Toggle source line support at the prompt (-e on, -d off)" },
	{ "l+", cmd_lplus, CMD_CASE | CMD_GLUED, 1, ARGS_ANY, "l+[l | o | s | t | *]",
	  "Source option on: l lines, s source, o only source, t step by line" },
	{ "l-", cmd_lplus, CMD_CASE | CMD_GLUED, 0, ARGS_ANY, "l-[l | o | s | t | *]", "Turn a source option off" },
	{ "ls", cmd_ls, 0, 0, ARGS_ANY, "ls [.] [First] [, Count]",
	  "List source lines, on from the last listing (or the current line)" },
	{ "lsa", cmd_lsa, CMD_NEED_PROCESS, 0, ARGS_NEEDED, "lsa [.] Address [, First [, Count]]",
	  "List the source lines around Address" },
	{ "lsc", cmd_lsc, CMD_NEED_PROCESS, 0, ARGS_NONE, "lsc", "Show the current source file and line" },
	{ "lsf", cmd_lsf, 0, 0, ARGS_NEEDED, "lsf[-] Filename",
	  "Load a source file for ls (lsf- forgets it)" },
	{ ".srcpath", cmd_srcpath, CMD_REST_OF_LINE, 0, ARGS_ANY, ".srcpath[+] [Directory[;...]]",
	  "Show, set or (+) extend the source search path" },
	{ NULL, NULL, 0, 0, ARGS_ANY, NULL, NULL },
};
