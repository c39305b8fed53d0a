/*
 * cmd_alias.c — user-named aliases (as, aS, ad, al) and their replacement
 * in command text, as WinDbg's "Using Aliases" and "${ } (Alias
 * Interpreter)" pages describe.  Also the names bound for a while by other
 * commands: a .foreach variable, a script's $arg0..$argN.
 *
 * Invariants: replacement happens once when a line or block is entered
 * (the line runner calls cmd_alias_expand before splitting), never inside
 * nested {...} blocks (they are replaced when entered) and never again in
 * replaced text.  A binding shadows an alias of the same name and never
 * changes it; bindings come and go in stack order.  Names and values are
 * case-sensitive.  Fixed-name aliases ($u0-$u9) are not provided.
 */
#include "cmd/cmd.h"

#include <ctype.h>
#include <errno.h>
#include <stdlib.h>
#include <string.h>

#define MAX_STRING_UNITS 0x10000	/* as /ma, /mu: the longest string read */
#define MAX_FILE_SIZE (1 << 20)	/* aS /f */

struct alias {
	char *name;
	char *value;
};

struct cmd_aliases {
	struct alias *user;	/* sorted by name (strcmp): al lists them so */
	int nuser, capuser;
	struct alias *bound;	/* a stack: the last is the innermost */
	int nbound, capbound;
};

static struct cmd_aliases *aliases(struct cmd_ctx *c)
{
	if (!c->aliases)
		c->aliases = xcalloc(1, sizeof(*c->aliases));
	return c->aliases;
}

void cmd_aliases_free(struct cmd_ctx *c)
{
	struct cmd_aliases *a = c->aliases;
	if (!a)
		return;
	for (int i = 0; i < a->nuser; i++) {
		free(a->user[i].name);
		free(a->user[i].value);
	}
	for (int i = 0; i < a->nbound; i++) {
		free(a->bound[i].name);
		free(a->bound[i].value);
	}
	free(a->user);
	free(a->bound);
	free(a);
	c->aliases = NULL;
}

/* Index of name among the user aliases, or where it would go (*found 0). */
static int user_index(const struct cmd_aliases *a, const char *name, size_t len, int *found)
{
	int lo = 0, hi = a->nuser;
	while (lo < hi) {
		int mid = (lo + hi) / 2;
		int cmp = strncmp(a->user[mid].name, name, len);
		if (cmp == 0 && a->user[mid].name[len])
			cmp = 1;
		if (cmp == 0) {
			*found = 1;
			return mid;
		}
		if (cmp < 0)
			lo = mid + 1;
		else
			hi = mid;
	}
	*found = 0;
	return lo;
}

/* The value of name[0, len): a binding first (innermost), then a user alias; NULL if neither. */
static const char *lookup(const struct cmd_ctx *c, const char *name, size_t len)
{
	const struct cmd_aliases *a = c->aliases;
	if (!a || !len)
		return NULL;
	for (int i = a->nbound - 1; i >= 0; i--)
		if (strlen(a->bound[i].name) == len && !strncmp(a->bound[i].name, name, len))
			return a->bound[i].value;
	int found;
	int i = user_index(a, name, len, &found);
	return found ? a->user[i].value : NULL;
}

static void set_alias(struct cmd_ctx *c, const char *name, const char *value)
{
	struct cmd_aliases *a = aliases(c);
	int found;
	int i = user_index(a, name, strlen(name), &found);
	if (found) {
		free(a->user[i].value);
		a->user[i].value = xstrdup(value);
		return;
	}
	if (a->nuser == a->capuser) {
		a->capuser = a->capuser ? a->capuser * 2 : 16;
		a->user = xrealloc(a->user, sizeof(*a->user) * (size_t)a->capuser);
	}
	memmove(a->user + i + 1, a->user + i, sizeof(*a->user) * (size_t)(a->nuser - i));
	a->user[i] = (struct alias){ xstrdup(name), xstrdup(value) };
	a->nuser++;
}

void cmd_alias_bind(struct cmd_ctx *c, const char *name, const char *value)
{
	struct cmd_aliases *a = aliases(c);
	if (a->nbound == a->capbound) {
		a->capbound = a->capbound ? a->capbound * 2 : 8;
		a->bound = xrealloc(a->bound, sizeof(*a->bound) * (size_t)a->capbound);
	}
	a->bound[a->nbound++] = (struct alias){ xstrdup(name), xstrdup(value) };
}

void cmd_alias_unbind(struct cmd_ctx *c, int n)
{
	struct cmd_aliases *a = c->aliases;
	while (a && n-- > 0 && a->nbound > 0) {
		a->nbound--;
		free(a->bound[a->nbound].name);
		free(a->bound[a->nbound].value);
	}
}

/* ---- replacement ---- */

/* Characters that delimit a user-named alias standing alone. */
static int delimiter(char ch)
{
	return ch == 0 || ch == ' ' || ch == '\t' || ch == ';' || ch == '"' || ch == '\n' || ch == '\r';
}

/* A word ends at a delimiter, a brace, an escaped quote or a ${ token. */
static size_t word_length(const char *s)
{
	size_t n = 0;
	while (!delimiter(s[n]) && s[n] != '{' && s[n] != '}' && !(s[n] == '\\' && s[n + 1] == '"') &&
	       !(s[n] == '$' && s[n + 1] == '{'))
		n++;
	return n;
}

/* Text that does not receive replacement: it begins with as, aS, ad or al. */
static int alias_command_line(const char *s)
{
	s = skip_ws(s);
	return s[0] == 'a' && (s[1] == 's' || s[1] == 'S' || s[1] == 'd' || s[1] == 'l');
}

/* Replaces the ${...} token at s (its '}' at close). */
static void interpret(const struct cmd_ctx *c, const char *s, const char *close, struct sbuf *out)
{
	const char *inner = s + 2;
	char sw = 0;
	if (inner[0] == '/' && inner[1] && inner[2] == ':') {
		sw = (char)tolower((unsigned char)inner[1]);
		inner += 3;
	}
	size_t len = (size_t)(close - inner);
	const char *value = sw == 'v' ? NULL : lookup(c, inner, len);
	switch (sw) {
	case 'd':
		sb_add(out, value ? "1" : "0");
		return;
	case 'f':
		sb_add(out, value ? value : "");
		return;
	case 'n':
		if (value) {
			sb_addn(out, inner, len);
			return;
		}
		break;
	case 0:
		if (value) {
			sb_add(out, value);
			return;
		}
		break;
	default:
		break;
	}
	sb_addn(out, s, (size_t)(close + 1 - s));	/* stays as written */
}

char *cmd_alias_expand(struct cmd_ctx *c, const char *line)
{
	const struct cmd_aliases *a = c->aliases;
	if (!a || (!a->nuser && !a->nbound) || alias_command_line(line))
		return xstrdup(line);
	struct sbuf out = { 0 };
	const char *s = line;
	int depth = 0, quoted = 0;
	int word_start = 1;	/* the previous character delimits a word */
	while (*s) {
		if (s[0] == '$' && s[1] == '{' && strchr(s, '}')) {
			const char *close = strchr(s, '}');
			if (depth)
				sb_addn(&out, s, (size_t)(close + 1 - s));
			else
				interpret(c, s, close, &out);
			s = close + 1;
			word_start = 0;
			continue;
		}
		if (*s == '"') {
			quoted = !quoted;
		} else if (*s == '\\' && quoted && s[1]) {
			sb_addn(&out, s, 2);
			s += 2;
			word_start = s[-1] == '"';
			continue;
		} else if (*s == '{' && !quoted) {
			depth++;
		} else if (*s == '}' && !quoted && depth) {
			depth--;
		} else if (!depth && word_start && !delimiter(*s)) {
			size_t n = word_length(s);
			int ends = delimiter(s[n]) || (s[n] == '\\' && s[n + 1] == '"');
			const char *value = n && ends ? lookup(c, s, n) : NULL;
			if (value)
				sb_add(&out, value);
			else
				sb_addn(&out, s, n);
			s += n;
			word_start = 0;
			if (n)
				continue;
		}
		word_start = delimiter(*s);
		sb_addc(&out, *s++);
	}
	char *r = xstrdup(sb_str(&out));
	sb_free(&out);
	return r;
}

/* ---- the commands ---- */

/*
 * The alias name at *p: a word, where ${/v:Name} stands for Name (the one
 * place that token means its name).  Names may not begin with al, as, aS
 * or ad: a line beginning so is never replaced.
 */
static char *alias_name(struct cmd_ctx *c, const char **p)
{
	const char *s = skip_ws(*p);
	size_t n = strcspn(s, " \t");
	if (n == 0) {
		cmd_error(c, "Syntax error: an alias name is needed");
		return NULL;
	}
	char *name;
	if (!strncmp(s, "${/v:", 5) && n > 6 && s[n - 1] == '}')
		name = xstrndup(s + 5, n - 6);
	else
		name = xstrndup(s, n);
	*p = s + n;
	if (alias_command_line(name) || strchr(name, '{') || strchr(name, '}') || strchr(name, ';') ||
	    strchr(name, '"')) {
		cmd_error(c, "Syntax error: an alias name may not begin with al, as, aS or ad, nor hold "
			     "braces, ';' or '\"': '%.200s'", name);
		free(name);
		return NULL;
	}
	return name;
}

/* as /c: collects the commands' output, then sets the alias to it. */
struct output_program {
	struct cmd_program base;
	char *name;
	char *commands;
	int step;
};

static int output_next(struct cmd_ctx *c, struct cmd_program *p, char **commands)
{
	struct output_program *o = (struct output_program *)p;
	if (o->step++ == 0) {
		p->capture = 1;
		*commands = xstrdup(o->commands);
		return 1;
	}
	set_alias(c, o->name, p->output ? p->output : "");
	return 0;
}

static void output_release(struct cmd_ctx *c, struct cmd_program *p)
{
	struct output_program *o = (struct output_program *)p;
	free(o->name);
	free(o->commands);
	free(p->output);
	free(o);
}

/* Reads the whole file for aS /f; -1 with the message printed. */
static int read_file(struct cmd_ctx *c, const char *path, struct sbuf *out)
{
	FILE *f = fopen(path, "rb");
	if (!f)
		return cmd_error(c, "Cannot read '%s': %s", path, strerror(errno));
	char buf[4096];
	size_t n;
	while ((n = fread(buf, 1, sizeof(buf), f)) > 0) {
		if (out->len + n > MAX_FILE_SIZE) {
			fclose(f);
			return cmd_error(c, "'%s' is too large for an alias (the limit is %d bytes)", path,
					 MAX_FILE_SIZE);
		}
		sb_addn(out, buf, n);
	}
	int bad = ferror(f) || memchr(out->buf ? out->buf : "", 0, out->len) != NULL;
	fclose(f);
	if (bad)
		return cmd_error(c, "Cannot read '%s' as text", path);
	return 0;
}

/* "Phrase" or Phrase (aS), and what as /x and the others read: the rest, trimmed of leading spaces. */
static int phrase(struct cmd_ctx *c, const char *s, int quotes, char **out)
{
	s = skip_ws(s);
	if (quotes && *s == '"') {
		const char *e = strchr(s + 1, '"');
		if (!e)
			return cmd_error(c, "Syntax error: unterminated string");
		if (*skip_ws(e + 1))
			return cmd_extra_chars(c);
		*out = xstrndup(s + 1, (size_t)(e - s - 1));
		return 0;
	}
	*out = xstrdup(s);
	return 0;
}

static int cmd_as(struct cmd_ctx *c, const struct cmd_def *d, const char *args,
		  const struct thread_sel *sel, int id)
{
	int phrase_form = d->arg;	/* aS: the equivalent ends at ';' and may be quoted */
	const char *p = skip_ws(args);
	char sw[4] = "";
	if (*p == '/') {
		size_t n = strcspn(p + 1, " \t");
		if (n == 0 || n > 3)
			return cmd_error(c, "Syntax error: unknown switch '%.*s'", (int)(n > 20 ? 20 : n) + 1, p);
		memcpy(sw, p + 1, n);
		sw[n] = 0;
		for (size_t i = 0; i < n; i++)
			sw[i] = (char)tolower((unsigned char)sw[i]);
		if (strcmp(sw, "x") && strcmp(sw, "e") && strcmp(sw, "ma") && strcmp(sw, "mu") &&
		    strcmp(sw, "msa") && strcmp(sw, "msu") && strcmp(sw, "c") && strcmp(sw, "f"))
			return cmd_error(c, "Syntax error: unknown switch '/%s'", sw);
		p += n + 1;
	}
	char *name = alias_name(c, &p);
	if (!name)
		return -1;
	if (!sw[0] && !*p) {
		free(name);
		return cmd_error(c, "Syntax error: %s needs an alias name and its equivalent", d->name);
	}
	if (!sw[0] && *p != ' ' && *p != '\t') {
		free(name);
		return cmd_error(c, "Syntax error: a space must separate the alias name from its equivalent");
	}
	struct sbuf value = { 0 };
	int rc = 0;
	if (!sw[0]) {
		char *text;
		rc = phrase(c, p, phrase_form, &text);
		if (rc == 0) {
			sb_add(&value, text);
			free(text);
		}
	} else if (!strcmp(sw, "c")) {
		const char *cmds = skip_ws(p);
		char *text = NULL;
		if (*cmds == '"' && phrase(c, cmds, 1, &text) < 0) {
			free(name);
			return -1;
		}
		if (!*(text ? text : cmds)) {
			free(text);
			free(name);
			return cmd_error(c, "Syntax error: as /c needs commands");
		}
		struct output_program *o = xcalloc(1, sizeof(*o));
		o->base.next = output_next;
		o->base.release = output_release;
		o->name = name;
		o->commands = text ? text : xstrdup(cmds);
		cmd_post_program(c, &o->base);
		return 0;
	} else if (!strcmp(sw, "f")) {
		char *path;
		rc = phrase(c, p, 0, &path);
		if (rc == 0) {
			size_t n = strlen(path);
			while (n && (path[n - 1] == ' ' || path[n - 1] == '\t'))
				path[--n] = 0;
			rc = *path ? read_file(c, path, &value) : cmd_error(c, "Syntax error: aS /f needs a file");
			free(path);
		}
	} else if (!strcmp(sw, "e")) {
		const char *var = skip_ws(p);
		size_t n = strcspn(var, " \t");
		if (!n || *skip_ws(var + n)) {
			rc = n ? cmd_extra_chars(c) : cmd_error(c, "Syntax error: as /e needs a variable name");
		} else {
			char *vname = xstrndup(var, n);
			const char *env = getenv(vname);
			if (env)
				sb_add(&value, env);
			else
				rc = cmd_error(c, "Environment variable '%s' is not set", vname);
			free(vname);
		}
	} else {
		uint64_t v;
		const char *q = p;
		if (!*skip_ws(q))
			rc = cmd_error(c, "Syntax error: as /%s needs %s", sw, !strcmp(sw, "x") ? "an expression" : "an address");
		else if (cmd_expr(c, &q, &v) < 0)
			rc = -1;
		else if (*skip_ws(q))
			rc = cmd_extra_chars(c);
		else if (!strcmp(sw, "x"))
			sb_addf(&value, "0x%llx", (unsigned long long)v);
		else if (!strcmp(sw, "ma") || !strcmp(sw, "mu"))
			rc = cmd_read_string(c, v, sw[1] == 'u' ? 2 : 1, MAX_STRING_UNITS, &value);
		else
			rc = cmd_read_counted_string(c, v, sw[2] == 'u' ? 2 : 1, &value);
	}
	if (rc == 0)
		set_alias(c, name, sb_str(&value));
	sb_free(&value);
	free(name);
	return rc;
}

static int cmd_ad(struct cmd_ctx *c, const struct cmd_def *d, const char *args,
		  const struct thread_sel *sel, int id)
{
	const char *p = skip_ws(args);
	int quiet = 0;
	if (p[0] == '/' && (p[1] == 'q' || p[1] == 'Q') && (p[2] == ' ' || p[2] == '\t' || !p[2])) {
		quiet = 1;
		p = skip_ws(p + 2);
	}
	if (!*p)
		return cmd_error(c, "Syntax error: ad needs an alias name or *");
	struct cmd_aliases *a = c->aliases;
	if (p[0] == '*' && !*skip_ws(p + 1)) {
		/* Every alias, even one named "*". */
		while (a && a->nuser > 0) {
			a->nuser--;
			free(a->user[a->nuser].name);
			free(a->user[a->nuser].value);
		}
		return 0;
	}
	char *name = alias_name(c, &p);
	if (!name)
		return -1;
	if (*skip_ws(p)) {
		free(name);
		return cmd_extra_chars(c);
	}
	int found = 0;
	int i = a ? user_index(a, name, strlen(name), &found) : 0;
	if (!found) {
		int rc = quiet ? 0 : cmd_error(c, "No alias named '%s'", name);
		free(name);
		return rc;
	}
	free(a->user[i].name);
	free(a->user[i].value);
	memmove(a->user + i, a->user + i + 1, sizeof(*a->user) * (size_t)(a->nuser - i - 1));
	a->nuser--;
	free(name);
	return 0;
}

static int cmd_al(struct cmd_ctx *c, const struct cmd_def *d, const char *args,
		  const struct thread_sel *sel, int id)
{
	const struct cmd_aliases *a = c->aliases;
	if (!a || !a->nuser) {
		cmd_print(c, "No aliases\n");
		return 0;
	}
	cmd_print(c, "  Alias            Value\n -------          -------\n");
	for (int i = 0; i < a->nuser; i++)
		cmd_print(c, " %-16s %s\n", a->user[i].name, a->user[i].value);
	return 0;
}

const struct cmd_def cmd_alias_table[] = {
	{ "as", cmd_as, CMD_LINE_UNLESS_SWITCH, 0, ARGS_NEEDED,
	  "as [/x | /e | /ma | /mu | /msa | /msu | /c] Name Equivalent",
	  "Set an alias; without a switch it is the rest of the line" },
	{ "aS", cmd_as, CMD_CASE, 1, ARGS_NEEDED, "aS [/x | /e | /ma | /mu | /msa | /msu | /f | /c] Name \"Phrase\"",
	  "Set an alias to a phrase, which ends at ';' unless quoted" },
	{ "ad", cmd_ad, 0, 0, ARGS_NEEDED, "ad [/q] Name | ad *", "Delete an alias, or every alias" },
	{ "al", cmd_al, 0, 0, ARGS_NONE, "al", "List the user-named aliases" },
	{ "${", NULL, 0, 0, ARGS_ANY, "${Alias} ${/d:Alias} ${/f:Alias} ${/n:Alias} ${/v:Alias}",
	  "Alias interpreter: replaced anywhere, even next to other text" },
	{ NULL, NULL, 0, 0, ARGS_ANY, NULL, NULL },
};
