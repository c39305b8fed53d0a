/*
 * cmd_modules.c — modules and their symbols: x, ln, lm (windbg-commands.md
 * §11), .sympath and .reload.
 *
 * x lists the symbols of every module (or those of Module!), each with what
 * the debug information says of it (cmd_vars_symbol_note: a function's
 * parameter types, a variable's value); `x *` lists the selected frame's
 * locals.  lm lists modules by address with where each one's symbols came
 * from: the file itself, a separate debug file found locally, or a
 * debuginfod server (lm's last column is the symbol file, as WinDbg shows
 * the .pdb there; lmv says what provided it).  .sympath changes where
 * separate debug information is looked for (sym_path_set); .reload makes
 * every module search again.
 */
#include "cmd/cmd.h"

#include <ctype.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "cmd/fmt.h"

/* ---- x ---- */

enum x_sort { X_SORT_NONE, X_SORT_ADDR_UP, X_SORT_ADDR_DOWN, X_SORT_NAME_UP, X_SORT_NAME_DOWN };

struct x_opts {
	int form;		/* -1: default; 0 address only, 1 name only, 2 address and name */
	int types;		/* /t */
	int verbose;		/* /v */
	enum x_sort sort;
};

struct x_hit {
	uint64_t addr, size;
	char *module;
	char *name;
	int is_function;
	int has_dwarf;		/* the module's: prv (private) or pub symbols */
};

struct x_state {
	struct cmd_ctx *c;
	struct x_hit *v;
	int n, cap;
};

static int x_each(void *user, const struct sym_module *mod, const char *name, uint64_t addr,
		  uint64_t size, int is_function)
{
	struct x_state *x = user;
	if (x->n == x->cap) {
		x->cap = x->cap ? x->cap * 2 : 64;
		x->v = xrealloc(x->v, sizeof(*x->v) * (size_t)x->cap);
	}
	x->v[x->n++] = (struct x_hit){ addr, size, xstrdup(mod->name), xstrdup(name), is_function, mod->has_dwarf };
	return 0;
}

static enum x_sort sort_mode;

static int x_compare(const void *pa, const void *pb)
{
	const struct x_hit *a = pa, *b = pb;
	int r = 0;
	switch (sort_mode) {
	case X_SORT_ADDR_UP:
	case X_SORT_ADDR_DOWN:
		r = a->addr < b->addr ? -1 : a->addr > b->addr;
		break;
	case X_SORT_NAME_UP:
	case X_SORT_NAME_DOWN:
		r = strcasecmp(a->name, b->name);
		break;
	case X_SORT_NONE:
		break;
	}
	return sort_mode == X_SORT_ADDR_DOWN || sort_mode == X_SORT_NAME_DOWN ? -r : r;
}

static void x_line(struct cmd_ctx *c, const struct x_opts *o, const struct x_hit *h)
{
	struct sbuf sb = { 0 }, note = { 0 }, type = { 0 };
	int with_note = o->form < 0 || o->types || o->verbose;
	int known = with_note && h->has_dwarf &&
		    cmd_vars_symbol_note(c, h->module, h->name, h->addr, h->is_function, &note, o->types ? &type : NULL) == 0;
	if (with_note && !known)
		sb_add(&note, h->is_function ? " (<no parameter info>)" : " = <no type information>");
	if (o->verbose)
		sb_addf(&sb, "%s %-6s ", h->has_dwarf ? "prv" : "pub", h->is_function ? "func" : "global");
	if (o->form != 1) {
		cmd_addr(&sb, c, h->addr);
		if (o->form == 0) {
			cmd_print(c, "%s\n", sb_str(&sb));
			sb_free(&sb);
			sb_free(&note);
			sb_free(&type);
			return;
		}
		sb_add(&sb, " ");
	}
	if (o->verbose)
		sb_addf(&sb, "%4llx ", (unsigned long long)h->size);
	if (o->types && type.len)
		sb_addf(&sb, "%s ", sb_str(&type));
	sb_addf(&sb, "%s!%s%s", h->module, h->name, sb_str(&note));
	cmd_print(c, "%s\n", sb_str(&sb));
	sb_free(&sb);
	sb_free(&note);
	sb_free(&type);
}

static int x_options(struct cmd_ctx *c, const char **pp, struct x_opts *o)
{
	const char *p = *pp;
	while (*p == '/') {
		char ch = p[1];
		if (p[2] && !isspace((unsigned char)p[2]))
			return cmd_error(c, "Syntax error: x options are one letter each (/v /t /0 /1 /2 /a /A /n /N)");
		switch (ch) {
		case '0': case '1': case '2': o->form = ch - '0'; break;
		case 't': o->types = 1; break;
		case 'v': o->verbose = 1; break;
		case 'a': o->sort = X_SORT_ADDR_UP; break;
		case 'A': o->sort = X_SORT_ADDR_DOWN; break;
		case 'n': o->sort = X_SORT_NAME_UP; break;
		case 'N': o->sort = X_SORT_NAME_DOWN; break;
		case 'D': break;	/* DML: dr7 prints plain text */
		default:
			return cmd_error(c, "not supported: x /%c (dr7 takes /v /t /0 /1 /2 /a /A /n /N)", ch ? ch : ' ');
		}
		p = skip_ws(p + 2);
	}
	*pp = p;
	return 0;
}

static int cmd_x(struct cmd_ctx *c, const struct cmd_def *d, const char *args,
		 const struct thread_sel *sel, int id)
{
	const char *p = skip_ws(args);
	struct x_opts o = { .form = -1 };
	if (x_options(c, &p, &o) < 0)
		return -1;
	/* The rest is the pattern (WinDbg allows spaces in it: "operator new"). */
	size_t len = strlen(p);
	while (len && isspace((unsigned char)p[len - 1]))
		len--;
	if (!len)
		return cmd_error(c, "Syntax error: x needs a pattern: x [Options] [Module!]Symbol, or x *");
	char *pattern = xstrndup(p, len);
	if (!c->s->sym) {
		free(pattern);
		return cmd_error(c, "No symbols are loaded");
	}
	char *bang = strchr(pattern, '!');
	if (!strcmp(pattern, "*")) {
		/* x *: the selected frame's locals and parameters. */
		int rc = cmd_vars_x_locals(c, NULL, o.types, o.verbose);
		free(pattern);
		return rc;
	}
	const char *modpat = NULL, *sympat = pattern;
	if (bang) {
		*bang = 0;
		modpat = pattern[0] ? pattern : NULL;
		sympat = bang + 1;
	}
	if (!*sympat) {
		free(pattern);
		return cmd_error(c, "Syntax error: x needs a symbol pattern after '!'");
	}
	struct x_state x = { .c = c };
	sym_enumerate(c->s->sym, modpat, sympat, 0, x_each, &x);
	if (o.sort != X_SORT_NONE) {
		sort_mode = o.sort;
		qsort(x.v, (size_t)x.n, sizeof(*x.v), x_compare);
	}
	for (int i = 0; i < x.n && !(c->s->interrupted && *c->s->interrupted); i++)
		x_line(c, &o, &x.v[i]);
	for (int i = 0; i < x.n; i++) {
		free(x.v[i].module);
		free(x.v[i].name);
	}
	free(x.v);
	free(pattern);
	return 0;
}

/* ---- ln ---- */

static int cmd_ln(struct cmd_ctx *c, const struct cmd_def *d, const char *args,
		  const struct thread_sel *sel, int id)
{
	const char *p = skip_ws(args);
	uint64_t addr;
	if (cmd_address_or_pc(c, &p, &addr) < 0)
		return -1;
	if (*skip_ws(p))
		return cmd_extra_chars(c);
	struct sym_func before, after;
	if (!c->s->sym || sym_nearest(c->s->sym, addr, &before, &after) < 0)
		return 0;	/* WinDbg prints nothing for an address in no module */
	struct sbuf sb = { 0 };
	if (before.name) {
		const char *file;
		int line;
		if (sym_source_line(c->s->sym, addr, &file, &line) == 0)
			sb_addf(&sb, " [%s @ %d] ", file, line);
		sb_add(&sb, "(");
		cmd_addr(&sb, c, before.start);
		sb_addf(&sb, ")   %s!%s", before.module, before.name);
		if (addr != before.start)
			sb_addf(&sb, "+0x%llx", (unsigned long long)(addr - before.start));
	}
	if (after.name) {
		sb_add(&sb, before.name ? "   |  (" : "(");
		cmd_addr(&sb, c, after.start);
		sb_addf(&sb, ")   %s!%s", after.module, after.name);
	}
	if (sb.len)
		cmd_print(c, "%s\n", sb_str(&sb));
	if (before.name && addr == before.start) {
		/* The symbol's type, as x shows it: "mod!f (int, char *)", "mod!v = 0n5". */
		struct sbuf note = { 0 };
		struct sym_module m;
		int has_dwarf = sym_module_at(c->s->sym, addr, &m) == 0 && m.has_dwarf;
		/* A function's parameter types, else a variable's value. */
		if (!has_dwarf || cmd_vars_symbol_note(c, before.module, before.name, addr, 1, &note, NULL) < 0) {
			sb_reset(&note);
			if (!has_dwarf || cmd_vars_symbol_note(c, before.module, before.name, addr, 0, &note, NULL) < 0) {
				sb_reset(&note);
				sb_add(&note, " = <no type information>");
			}
		}
		cmd_print(c, "Exact matches:\n    %s!%s%s\n", before.module, before.name, sb_str(&note));
		sb_free(&note);
	}
	sb_free(&sb);
	return 0;
}

/* ---- lm ---- */

struct lm_opts {
	int verbose;		/* v */
	int full_path;		/* f: the image's path instead of the symbol file */
	int names_only;		/* 1m */
	int with_symbols;	/* l: only modules whose symbols are loaded */
	int sort_by_name;	/* sm */
	char *pattern;		/* m Pattern: module name */
	char *path_pattern;	/* M Pattern: image path */
	int have_addr;		/* a Address */
	uint64_t addr;
};

/* What lm's parenthesised column says (WinDbg's symbol states, §11.3). */
static const char *symbol_state(const struct sym_module *m)
{
	if (m->has_dwarf)
		return "(private pdb symbols)";
	if (m->has_symtab)
		return "(pdb symbols)";
	return "(export symbols)";
}

static const char *symbol_file(const struct sym_module *m)
{
	return m->debug_file ? m->debug_file : m->path ? m->path : "";
}

static void symbols_from(const struct sym_module *m, struct sbuf *sb)
{
	if (m->symbol_source)
		sb_addf(sb, "%s", m->symbol_source);
	else if (m->debug_file)
		sb_add(sb, "a separate debug file found locally");
	else if (m->has_dwarf || m->has_symtab)
		sb_add(sb, "the image itself");
	else
		sb_add(sb, "the image's dynamic symbols only (no debug information found)");
}

static int lm_parse(struct cmd_ctx *c, const char *args, struct lm_opts *o)
{
	const char *p = skip_ws(args);
	while (*p) {
		char *w = cmd_word(&p);
		const char *needs = NULL;	/* the option letter that takes the next word */
		for (const char *q = w; *q && !needs; q++) {
			switch (*q) {
			case 'v': o->verbose = 1; break;
			case 'f': o->full_path = 1; break;
			case 'o': break;	/* only loaded modules: dr7 lists no unloaded ones */
			case 'l': o->with_symbols = 1; break;
			case 'D': break;	/* DML */
			case '1':
				if (q[1] != 'm')
					goto bad;
				o->names_only = 1;
				q++;
				break;
			case 's':
				if (q[1] != 'm')
					goto bad;
				o->sort_by_name = 1;
				q++;
				break;
			case 'm': case 'M': case 'a':
				if (q[1])
					goto bad;
				needs = q;
				break;
			default:
				goto bad;
			}
		}
		if (needs) {
			char which = *needs;
			p = skip_ws(p);
			if (!*p) {
				free(w);
				return cmd_error(c, "Syntax error: lm %c needs %s", which, which == 'a' ? "an address" : "a pattern");
			}
			if (which == 'a') {
				if (cmd_expr(c, &p, &o->addr) < 0) {
					free(w);
					return -1;
				}
				o->have_addr = 1;
			} else {
				char **slot = which == 'm' ? &o->pattern : &o->path_pattern;
				free(*slot);
				*slot = cmd_word(&p);
			}
		}
		free(w);
		p = skip_ws(p);
		continue;
bad:
		cmd_error(c, "not supported: lm option '%s' (dr7 takes v, f, o, l, 1m, sm, m Pattern, M Pattern, a Address)", w);
		free(w);
		return -1;
	}
	return 0;
}

static int module_by_address(const void *pa, const void *pb)
{
	const struct sym_module *a = pa, *b = pb;
	return a->start < b->start ? -1 : a->start > b->start;
}

static int module_by_name(const void *pa, const void *pb)
{
	const struct sym_module *a = pa, *b = pb;
	return strcasecmp(a->name, b->name);
}

static void lm_verbose(struct cmd_ctx *c, const struct sym_module *m)
{
	const char *path = m->path ? m->path : "";
	const char *base = strrchr(path, '/');
	struct sbuf from = { 0 };
	symbols_from(m, &from);
	cmd_print(c, "    Loaded symbol image file: %s\n", path);
	cmd_print(c, "    Image path: %s\n", path);
	cmd_print(c, "    Image name: %s\n", base ? base + 1 : path);
	cmd_print(c, "    Build ID:         %s\n", m->build_id && m->build_id[0] ? m->build_id : "<none>");
	cmd_print(c, "    Symbol file:      %s\n", symbol_file(m));
	cmd_print(c, "    Symbols from:     %s\n", sb_str(&from));
	cmd_print(c, "    ImageSize:        %08llx\n", (unsigned long long)(m->end - m->start));
	sb_free(&from);
}

static int cmd_lm(struct cmd_ctx *c, const struct cmd_def *d, const char *args,
		  const struct thread_sel *sel, int id)
{
	struct lm_opts o = { 0 };
	if (lm_parse(c, args, &o) < 0) {
		free(o.pattern);
		free(o.path_pattern);
		return -1;
	}
	if (!c->s->sym) {
		free(o.pattern);
		free(o.path_pattern);
		return cmd_error(c, "No process is being debugged");
	}
	int n = sym_module_count(c->s->sym);
	struct sym_module *mods = xcalloc((size_t)n + 1, sizeof(*mods));
	int k = 0;
	for (int i = 0; i < n; i++) {
		struct sym_module m;
		if (sym_module_get(c->s->sym, i, &m) < 0)
			continue;
		if (o.pattern && !wild_match(o.pattern, m.name, 0))
			continue;
		if (o.path_pattern && !wild_match(o.path_pattern, m.path ? m.path : "", 0))
			continue;
		if (o.have_addr && (o.addr < m.start || o.addr >= m.end))
			continue;
		if (o.with_symbols && !m.has_dwarf && !m.has_symtab)
			continue;
		mods[k++] = m;
	}
	/* WinDbg lists modules by address (sm: by name). */
	qsort(mods, (size_t)k, sizeof(*mods), o.sort_by_name ? module_by_name : module_by_address);
	int is32 = session_is32(c->s);
	if (!o.names_only)
		cmd_print(c, is32 ? "start    end        module name\n" : "start             end                 module name\n");
	for (int i = 0; i < k; i++) {
		const struct sym_module *m = &mods[i];
		if (o.names_only) {
			cmd_print(c, "%s\n", m->name);
			continue;
		}
		struct sbuf sb = { 0 };
		cmd_addr(&sb, c, m->start);
		sb_add(&sb, " ");
		cmd_addr(&sb, c, m->end);
		sb_addf(&sb, "   %-8s   %-22s %s", m->name, symbol_state(m),
			o.full_path ? (m->path ? m->path : "") : symbol_file(m));
		cmd_print(c, "%s\n", sb_str(&sb));
		sb_free(&sb);
		if (o.verbose)
			lm_verbose(c, m);
	}
	free(mods);
	free(o.pattern);
	free(o.path_pattern);
	return 0;
}

/* ---- .sympath, .reload ---- */

static void show_sympath(struct cmd_ctx *c)
{
	const char *now = sym_path_get();
	cmd_print(c, "Symbol search path is: %s\n", *now ? now : "<empty>");
}

static int cmd_sympath(struct cmd_ctx *c, const struct cmd_def *d, const char *args,
		       const struct thread_sel *sel, int id)
{
	int append;
	size_t n;
	const char *p = cmd_path_argument(args, &append, &n);
	if (n) {
		struct sbuf sb = { 0 };
		const char *now = sym_path_get();
		if (append && *now)
			sb_addf(&sb, "%s;", now);
		/* "" alone: the empty path. */
		if (n != 2 || p[0] != '"' || p[1] != '"')
			sb_addn(&sb, p, n);
		int rc = sym_path_set(sb_str(&sb));
		sb_free(&sb);
		if (rc < 0)
			return cmd_fail(c);
	}
	show_sympath(c);
	if (n)
		cmd_print(c, "Symbols are searched there for modules read from now on; .reload reads every module again\n");
	return 0;
}

static int cmd_reload(struct cmd_ctx *c, const struct cmd_def *d, const char *args,
		      const struct thread_sel *sel, int id)
{
	const char *p = skip_ws(args);
	int force = 0;
	while (*p == '/') {
		if (p[1] == 'f')
			force = 1;
		else if (p[1] != 'v' && p[1] != 'n')
			return cmd_error(c, "not supported: .reload /%c (dr7 takes /f, /v and /n)", p[1] ? p[1] : ' ');
		if (p[2] && !isspace((unsigned char)p[2]))
			return cmd_error(c, "Syntax error: .reload options are one letter each");
		p = skip_ws(p + 2);
	}
	if (*p)
		return cmd_error(c, "not supported: .reload Module (dr7 reloads every module)");
	cmd_print(c, "Reloading current modules\n");
	if (session_reload_symbols(c->s) < 0)
		return cmd_fail(c);
	/* /f: read every module's symbols now instead of when first needed. */
	int n = sym_module_count(c->s->sym);
	for (int i = 0; force && i < n; i++) {
		struct sym_module m;
		sym_module_get(c->s->sym, i, &m);
	}
	return 0;
}

const struct cmd_def cmd_modules_table[] = {
	{ "x", cmd_x, CMD_NEED_PROCESS, 0, ARGS_NEEDED,
	  "x [/v] [/t] [/0|/1|/2] [/a|/A|/n|/N] [Module!]SymbolPattern | *",
	  "List matching symbols of every module (or Module!), or locals (*)" },
	{ "ln", cmd_ln, CMD_NEED_PROCESS, 0, ARGS_ANY, "ln [Address]", "List the symbols nearest to Address" },
	{ "lm", cmd_lm, CMD_NEED_PROCESS | CMD_GLUED, 0, ARGS_ANY,
	  "lm[v][f][o][l][1m][sm] [a Address] [m Pattern | M Pattern]",
	  "List the modules by address and where their symbols came from" },
	{ ".sympath", cmd_sympath, CMD_REST_OF_LINE, 0, ARGS_ANY, ".sympath[+] [Path[;...]]",
	  "Show, set or (+) extend the symbol path (dirs, srv*URL debuginfod)" },
	{ ".reload", cmd_reload, CMD_NEED_PROCESS, 0, ARGS_ANY, ".reload [/f]",
	  "Read every module's symbols again (/f: now)" },
	{ NULL, NULL, 0, 0, ARGS_ANY, NULL, NULL },
};
