/*
 * cmd_complete.c — tab completion of a command line, without a terminal
 * (front/main.c wires it to libedit).
 *
 * The word before the cursor is completed by where it stands, read with the
 * line grammar cmd.c uses: at the start of a command (the line's start,
 * after ';' or '{', after a ~ prefix, inside a breakpoint's "command
 * string") it is a command name from the table (after ~N only commands
 * that take a thread prefix); in the argument of a command whose row says
 * its argument names a command (help) it is any row's name; elsewhere it is
 * a symbol: `module!name` within that module, a plain word as a module
 * (`module!`) or a symbol of any module.  Comments complete nothing.
 *
 * Invariants: candidates are sorted and unique; `insert` is never shorter
 * than the word it replaces, so completing never loses what was typed.
 */
#include "cmd/cmd.h"

#include <ctype.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#define LIST_LIMIT 100	/* candidates shown in a list; the rest are counted */

enum word_kind { WORD_NONE, WORD_COMMAND, WORD_THREAD_COMMAND, WORD_ANY_ROW, WORD_SYMBOL };

static int is_word_char(char ch)
{
	return isalnum((unsigned char)ch) || (ch && strchr("_.!?$@:", ch));
}

/* Skips a thread prefix (~N, ~*, ~., ~#, ~[e], ~~[e]) at line[i] == '~'; cursor inside it: cursor. */
static size_t skip_thread_prefix(const char *line, size_t i, size_t cursor, int *threads_only)
{
	size_t j = i + 1;
	if (j < cursor && strchr("*.#", line[j])) {
		j++;
	} else if (j < cursor && (line[j] == '[' || line[j] == '~')) {
		while (j < cursor && line[j] != ']')
			j++;
		if (j < cursor)
			j++;
	} else {
		while (j < cursor && isdigit((unsigned char)line[j]))
			j++;
	}
	while (j < cursor && (line[j] == ' ' || line[j] == '\t'))
		j++;
	*threads_only = 1;
	if (j + 1 < cursor && line[j] == 'e' && (line[j + 1] == ' ' || line[j + 1] == '\t')) {
		*threads_only = 0;	/* ~Ne: any commands follow */
		j++;
	}
	return j;
}

/*
 * What the word ending at the cursor is, and where it starts.  Reads the
 * line from its start so that quotes, ';' and prefixes are seen as the
 * dispatcher sees them.
 */
static enum word_kind classify(const char *line, size_t cursor, size_t *start)
{
	int cmd_start = 1, threads_only = 0;
	const struct cmd_def *cmd = NULL, *outer = NULL;
	int in_string = 0, in_commands = 0, inner_string = 0, after_w = 0;
	size_t i = 0;
	while (i < cursor) {
		char ch = line[i];
		if (in_string || inner_string) {
			if (ch == '\\' && i + 1 < cursor) {
				if (inner_string && line[i + 1] == '"')
					inner_string = 0;
				i += 2;
				continue;
			}
			if (ch == '"' && in_string)
				in_string = 0;
			else if (ch == '"') {	/* the command string ends inside an inner string */
				inner_string = in_commands = 0;
				cmd = outer;
				cmd_start = 0;
			}
			i++;
			continue;
		}
		if (in_commands && ch == '\\' && i + 1 < cursor && line[i + 1] == '"') {
			inner_string = 1;
			i += 2;
			continue;
		}
		if (ch == '"') {
			if (in_commands) {
				in_commands = 0;
				cmd = outer;
				cmd_start = 0;
			} else if (cmd && (cmd->flags & CMD_COMMAND_STRING) && !after_w) {
				in_commands = 1;
				outer = cmd;
				cmd = NULL;
				cmd_start = 1;
				threads_only = 0;
			} else {
				in_string = 1;
			}
			after_w = 0;
			i++;
			continue;
		}
		if (ch == ';' || ch == '{') {
			cmd_start = 1;
			cmd = NULL;
			threads_only = 0;
			after_w = 0;
			i++;
			continue;
		}
		if (ch == ' ' || ch == '\t') {
			i++;
			continue;
		}
		if (cmd_start && ch == '*')
			return WORD_NONE;	/* a comment to the end of the line */
		if (cmd_start && ch == '$' && line[i + 1] == '$') {
			while (i < cursor && line[i] != ';')
				i++;
			if (i == cursor)
				return WORD_NONE;	/* inside a $$ comment */
			continue;
		}
		if (cmd_start && ch == '~') {
			i = skip_thread_prefix(line, i, cursor, &threads_only);
			continue;
		}
		if (is_word_char(ch)) {
			size_t e = i;
			while (e < cursor && is_word_char(line[e]))
				e++;
			if (e == cursor)
				break;
			if (cmd_start) {
				char *name = xstrndup(line + i, e - i);
				const char *args;
				int id, bad_id;
				cmd = cmd_find(name, &args, &id, &bad_id);
				free(name);
				cmd_start = 0;
			} else {
				after_w = e - i == 1 && line[i] == 'w' && i > 0 && line[i - 1] == '/';
			}
			i = e;
			continue;
		}
		cmd_start = 0;	/* punctuation: arguments from here on */
		i++;
	}
	if (in_string || inner_string) {
		/* Inside a quoted condition or text: names of the program are still useful. */
		size_t s = cursor;
		while (s > 0 && is_word_char(line[s - 1]) && line[s - 1] != '"')
			s--;
		*start = s;
		return WORD_SYMBOL;
	}
	*start = i < cursor ? i : cursor;
	if (cmd_start)
		return threads_only ? WORD_THREAD_COMMAND : WORD_COMMAND;
	if (cmd && (cmd->flags & CMD_ARG_COMMAND)) {
		/* A command's name may be punctuation (~s, $$, *). */
		size_t s = cursor;
		while (s > 0 && line[s - 1] != ' ' && line[s - 1] != '\t')
			s--;
		*start = s;
		return WORD_ANY_ROW;
	}
	return WORD_SYMBOL;
}

/* ---- candidates ---- */

struct collect {
	struct cmd_completion *out;
	int cap;
	const char *prefix;	/* what a candidate's name must start with (any case) */
	size_t prefix_len;
	enum { BARE, WITH_MODULE, WITH_BANG } qualify;	/* name, module!name, !name */
};

static void add(struct collect *k, const char *a, const char *b)
{
	struct cmd_completion *cc = k->out;
	if (cc->n == k->cap) {
		k->cap = k->cap ? 2 * k->cap : 64;
		cc->items = xrealloc(cc->items, sizeof(*cc->items) * (size_t)k->cap);
	}
	struct sbuf sb = { 0 };
	sb_add(&sb, a);
	if (b)
		sb_add(&sb, b);
	cc->items[cc->n++] = xstrdup(sb_str(&sb));
	sb_free(&sb);
}

static void add_rows(struct collect *k, enum word_kind kind)
{
	int nf;
	const struct cmd_family *f = cmd_families(&nf);
	/* A word that already spells a command exactly (dd) does not offer a
	 * case-sensitive one spelled otherwise (dD); GN offers gN and gn. */
	int exact = 0;
	for (int i = 0; i < nf; i++)
		for (const struct cmd_def *d = f[i].rows; d->name; d++)
			if (strlen(d->name) == k->prefix_len && !strncmp(d->name, k->prefix, k->prefix_len))
				exact = 1;
	for (int i = 0; i < nf; i++) {
		for (const struct cmd_def *d = f[i].rows; d->name; d++) {
			if (kind != WORD_ANY_ROW && !d->fn)
				continue;
			/* What dr7 lacks is never offered (help lists it, and it says so when typed). */
			if (d->flags & CMD_UNSUPPORTED)
				continue;
			if (kind == WORD_THREAD_COMMAND && !(d->flags & CMD_THREADS))
				continue;
			if (strncasecmp(d->name, k->prefix, k->prefix_len))
				continue;
			if (exact && (d->flags & CMD_CASE) && strncmp(d->name, k->prefix, k->prefix_len))
				continue;
			add(k, d->name, NULL);
		}
	}
}

static int symbol_each(void *user, const struct sym_module *mod, const char *name, uint64_t addr,
		       uint64_t size, int is_function)
{
	struct collect *k = user;
	if (strncasecmp(name, k->prefix, k->prefix_len))
		return 0;
	if (k->qualify == BARE) {
		add(k, name, NULL);
	} else {
		struct sbuf sb = { 0 };
		sb_addf(&sb, "%s!", k->qualify == WITH_MODULE ? mod->name : "");
		add(k, sb_str(&sb), name);
		sb_free(&sb);
	}
	return 0;
}

static int is_plain(const char *s)
{
	for (; *s; s++)
		if (!isalnum((unsigned char)*s))
			return 0;
	return 1;
}

static void add_symbols(struct collect *k, struct sym_table *sym, const char *word)
{
	if (!sym || isdigit((unsigned char)word[0]) || word[0] == '@' || word[0] == '$')
		return;	/* numbers, registers and pseudo-registers are not symbols */
	const char *bang = strchr(word, '!');
	char *modpat = bang && bang > word ? xstrndup(word, (size_t)(bang - word)) : NULL;
	k->qualify = !bang ? BARE : modpat ? WITH_MODULE : WITH_BANG;
	k->prefix = bang ? bang + 1 : word;
	k->prefix_len = strlen(k->prefix);
	if (!bang) {
		int n = sym_module_count(sym);
		for (int i = 0; i < n; i++) {
			struct sym_module m;
			if (sym_module_get(sym, i, &m) == 0 && !strncasecmp(m.name, word, k->prefix_len))
				add(k, m.name, "!");
		}
	}
	/* A plain prefix narrows the search (wildcards and '_' have rules of their own); the rest is filtered here. */
	char *pattern = NULL;
	if (k->prefix_len && is_plain(k->prefix)) {
		pattern = xmalloc(k->prefix_len + 2);
		memcpy(pattern, k->prefix, k->prefix_len);
		memcpy(pattern + k->prefix_len, "*", 2);
	}
	sym_enumerate(sym, modpat, pattern, 0, symbol_each, k);
	free(pattern);
	free(modpat);
}

static int compare_items(const void *a, const void *b)
{
	return strcmp(*(char *const *)a, *(char *const *)b);
}

static void sort_unique(struct cmd_completion *cc)
{
	if (cc->n == 0)
		return;
	qsort(cc->items, (size_t)cc->n, sizeof(*cc->items), compare_items);
	int w = 1;
	for (int r = 1; r < cc->n; r++) {
		if (strcmp(cc->items[r], cc->items[w - 1]))
			cc->items[w++] = cc->items[r];
		else
			free(cc->items[r]);
	}
	cc->n = w;
}

/* The candidates' longest common prefix (it may change the word's case), or the word when that is shorter. */
static char *insertion(const struct cmd_completion *cc, const char *word, size_t word_len)
{
	if (cc->n == 1) {
		const char *only = cc->items[0];
		size_t n = strlen(only);
		int more = n && only[n - 1] == '!';	/* a module: its symbol comes next */
		char *s = xmalloc(n + 2);
		memcpy(s, only, n);
		s[n] = more ? 0 : ' ';
		s[n + 1] = 0;
		return s;
	}
	size_t common = cc->n ? strlen(cc->items[0]) : 0;
	for (int i = 1; i < cc->n; i++) {
		size_t j = 0;
		while (j < common && cc->items[i][j] == cc->items[0][j])
			j++;
		common = j;
	}
	if (common < word_len)
		return xstrndup(word, word_len);
	return xstrndup(cc->items[0], common);
}

int cmd_complete(struct cmd_ctx *c, const char *line, size_t cursor, struct cmd_completion *out)
{
	memset(out, 0, sizeof(*out));
	size_t len = strlen(line);
	if (cursor > len)
		cursor = len;
	size_t start = cursor;
	enum word_kind kind = classify(line, cursor, &start);
	out->start = start;
	char *word = xstrndup(line + start, cursor - start);
	struct collect k = { .out = out, .prefix = word, .prefix_len = strlen(word) };
	switch (kind) {
	case WORD_NONE:
		break;
	case WORD_COMMAND:
	case WORD_THREAD_COMMAND:
	case WORD_ANY_ROW:
		add_rows(&k, kind);
		break;
	case WORD_SYMBOL:
		add_symbols(&k, c->s ? c->s->sym : NULL, word);
		break;
	}
	sort_unique(out);
	out->insert = out->n ? insertion(out, word, strlen(word)) : xstrdup(word);
	free(word);
	return out->n;
}

void cmd_completion_free(struct cmd_completion *cc)
{
	for (int i = 0; i < cc->n; i++)
		free(cc->items[i]);
	free(cc->items);
	free(cc->insert);
	memset(cc, 0, sizeof(*cc));
}

void cmd_completion_list(const struct cmd_completion *cc, int width, struct sbuf *out)
{
	int shown = cc->n < LIST_LIMIT ? cc->n : LIST_LIMIT;
	size_t widest = 1;
	for (int i = 0; i < shown; i++)
		if (strlen(cc->items[i]) > widest)
			widest = strlen(cc->items[i]);
	int columns = width > 0 ? width / (int)(widest + 2) : 1;
	if (columns < 1)
		columns = 1;
	for (int i = 0; i < shown; i++) {
		int last = (i + 1) % columns == 0 || i + 1 == shown;
		if (last)
			sb_addf(out, "%s\n", cc->items[i]);
		else
			sb_addf(out, "%-*s", (int)(widest + 2), cc->items[i]);
	}
	if (cc->n > shown)
		sb_addf(out, "... and %d more\n", cc->n - shown);
}
