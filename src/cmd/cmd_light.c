/*
 * cmd_light.c — which breakpoint command strings are light: they print
 * only constant text and then resume (".echo hit; gc", "gc").  The engine
 * resumes such a hit without stopping the program's other threads, since
 * nothing the user sees depends on them (engine/exec.c); anything else
 * (r, d*, k, ?, .printf, j, z, .if, a second resume...) runs with every
 * thread stopped, as WinDbg shows a hit.
 *
 * The commands are split at ';' outside double quotes, as the line runner
 * splits them.
 */
#include "cmd/cmd.h"

#include <ctype.h>
#include <string.h>
#include <strings.h>

/* [p, end) trimmed is `word` alone. */
static int is_word(const char *p, const char *end, const char *word)
{
	while (p < end && isspace((unsigned char)*p))
		p++;
	while (end > p && isspace((unsigned char)end[-1]))
		end--;
	size_t n = strlen(word);
	return (size_t)(end - p) == n && !strncasecmp(p, word, n);
}

/* [p, end) is ".echo" with any text (printed as is: nothing is evaluated). */
static int is_echo(const char *p, const char *end)
{
	while (p < end && isspace((unsigned char)*p))
		p++;
	if (end - p < 5 || strncasecmp(p, ".echo", 5))
		return 0;
	return p + 5 == end || isspace((unsigned char)p[5]);
}

int cmd_command_is_light(const char *cmds)
{
	if (!cmds)
		return 0;
	const char *p = cmds;
	for (;;) {
		const char *end = p;
		int quoted = 0;
		while (*end && (quoted || *end != ';')) {
			if (*end == '"')
				quoted = !quoted;
			end++;
		}
		if (quoted)
			return 0;
		if (is_word(p, end, "gc") || is_word(p, end, "g")) {
			/* The resume must be the last command. */
			for (const char *q = end; *q; q++)
				if (*q != ';' && !isspace((unsigned char)*q))
					return 0;
			return 1;
		}
		if (!is_echo(p, end) && !is_word(p, end, ""))
			return 0;
		if (!*end)
			return 0;	/* no resume: the user sees the stop */
		p = end + 1;
	}
}
