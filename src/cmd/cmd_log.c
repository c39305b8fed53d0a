/*
 * cmd_log.c — the log file (.logopen, .logappend, .logclose) and .cls.
 *
 * The first .logopen puts a tee in front of the command layer's output:
 * from then on c->out writes to where output went before (the terminal
 * or a pipe) and, while a log is open, to the log file too.  So the log
 * holds everything dr7 shows: the echoed commands (the front end echoes
 * into c->out, or hands what the terminal echoed to cmd_log_input), every
 * command's output and the events.  The tee stays until cmd_log_end, so
 * nothing that holds c->out ever sees it freed; output being collected
 * (.foreach, as /c) goes to neither.
 */
#define _GNU_SOURCE	/* fopencookie */
#include "cmd/cmd.h"

#include <ctype.h>
#include <errno.h>
#include <stdlib.h>
#include <string.h>
#include <sys/time.h>
#include <time.h>
#include <unistd.h>

struct cmd_log {
	FILE *term;		/* the output without a log */
	FILE *tee;		/* c->out from the first .logopen on */
	FILE *file;		/* NULL while no log is open */
	char *path;
	int unicode;		/* /u: UTF-16LE */
	unsigned char pending[4];	/* /u: an unfinished UTF-8 sequence */
	int npending;
};

static void put_utf16(FILE *f, uint32_t cp)
{
	if (cp >= 0x10000) {
		cp -= 0x10000;
		put_utf16(f, 0xd800 + (cp >> 10));
		put_utf16(f, 0xdc00 + (cp & 0x3ff));
		return;
	}
	fputc((int)(cp & 0xff), f);
	fputc((int)(cp >> 8), f);
}

static int sequence_length(unsigned char b)
{
	return b < 0x80 ? 1 : b >= 0xc2 && b < 0xe0 ? 2 : b >= 0xe0 && b < 0xf0 ? 3 : b >= 0xf0 && b < 0xf5 ? 4 : 0;
}

/* UTF-8 text (dr7's output) as UTF-16LE; an invalid byte is U+FFFD. */
static void write_unicode(struct cmd_log *l, const char *buf, size_t size)
{
	for (size_t i = 0; i < size; i++) {
		unsigned char b = (unsigned char)buf[i];
		if (l->npending && (b & 0xc0) != 0x80) {
			put_utf16(l->file, 0xfffd);	/* a sequence cut short */
			l->npending = 0;
		}
		if (!l->npending) {
			int n = sequence_length(b);
			if (n == 1) {
				put_utf16(l->file, b);
				continue;
			}
			if (n == 0) {
				put_utf16(l->file, 0xfffd);
				continue;
			}
		}
		l->pending[l->npending++] = b;
		int want = sequence_length(l->pending[0]);
		if (l->npending < want)
			continue;
		uint32_t cp = l->pending[0] & (0x7f >> want);
		for (int k = 1; k < want; k++)
			cp = cp << 6 | (l->pending[k] & 0x3f);
		l->npending = 0;
		put_utf16(l->file, cp);
	}
}

static void log_write(struct cmd_log *l, const char *buf, size_t size)
{
	if (!l->file)
		return;
	if (l->unicode)
		write_unicode(l, buf, size);
	else
		fwrite(buf, 1, size, l->file);
}

static ssize_t tee_write(void *cookie, const char *buf, size_t size)
{
	struct cmd_log *l = cookie;
	fwrite(buf, 1, size, l->term);
	log_write(l, buf, size);
	return (ssize_t)size;
}

void cmd_log_input(struct cmd_ctx *c, const char *prompt, const char *line)
{
	struct cmd_log *l = c->log;
	if (!l || !l->file)
		return;
	log_write(l, prompt, strlen(prompt));
	log_write(l, line, strlen(line));
	log_write(l, "\n", 1);
}

static void close_file(struct cmd_log *l)
{
	if (l->unicode && l->npending)
		put_utf16(l->file, 0xfffd);
	fclose(l->file);
	l->file = NULL;
	l->npending = 0;
	free(l->path);
	l->path = NULL;
}

void cmd_log_end(struct cmd_ctx *c)
{
	struct cmd_log *l = c->log;
	if (!l)
		return;
	if (l->file)
		close_file(l);
	if (c->out == l->tee)
		c->out = l->term;
	fclose(l->tee);
	free(l);
	c->log = NULL;
}

/* The tee, made by the first .logopen; NULL with the message printed. */
static struct cmd_log *log_of(struct cmd_ctx *c)
{
	if (c->log)
		return c->log;
	struct cmd_log *l = xcalloc(1, sizeof(*l));
	l->term = c->out;
	l->tee = fopencookie(l, "w", (cookie_io_functions_t){ .write = tee_write });
	if (!l->tee) {
		free(l);
		cmd_error(c, "Cannot open a log: %s", strerror(errno));
		return NULL;
	}
	setvbuf(l->tee, NULL, _IONBF, 0);	/* in step with writes that bypass it */
	c->out = l->tee;
	c->log = l;
	return l;
}

/* /t: "name_PID_YYYY-MM-DD_HH-MM-SS-mmm.ext", the process id in hex. */
static char *timestamped(struct cmd_ctx *c, const char *path)
{
	const char *base = strrchr(path, '/');
	base = base ? base + 1 : path;
	const char *dot = strrchr(base, '.');
	size_t stem = dot && dot != base ? (size_t)(dot - path) : strlen(path);
	struct timeval tv;
	gettimeofday(&tv, NULL);
	time_t now = tv.tv_sec;
	struct tm tm;
	localtime_r(&now, &tm);
	unsigned pid = session_has_process(c->s) ? (unsigned)c->s->tgt->pid : (unsigned)getpid();
	struct sbuf sb = { 0 };
	sb_addn(&sb, path, stem);
	sb_addf(&sb, "_%04X_%04d-%02d-%02d_%02d-%02d-%02d-%03ld", pid, tm.tm_year + 1900, tm.tm_mon + 1,
		tm.tm_mday, tm.tm_hour, tm.tm_min, tm.tm_sec, (long)(tv.tv_usec / 1000));
	sb_add(&sb, path + stem);
	char *r = xstrdup(sb_str(&sb));
	sb_free(&sb);
	return r;
}

static int open_log(struct cmd_ctx *c, const struct cmd_def *d, const char *args)
{
	int append = d->arg;
	int unicode = 0, stamp = 0;
	const char *p = skip_ws(args);
	/* Options are one letter; anything longer after '/' is an absolute path. */
	while (p[0] == '/' && p[1] && strchr(" \t\"", p[2])) {
		char o = (char)tolower((unsigned char)p[1]);
		if (o == 'u')
			unicode = 1;
		else if (o == 't' && !append)
			stamp = 1;
		else if (o == 'd' && !append)
			return cmd_error(c, "not supported: .logopen /d (name the file)");
		else
			return cmd_error(c, "Syntax error: unknown %s option '/%c'", d->name, p[1]);
		p = skip_ws(p + 2);
	}
	char *name;
	if (*p == '"') {
		if (cmd_quoted(c, &p, &name) < 0)
			return -1;
		if (*skip_ws(p)) {
			free(name);
			return cmd_extra_chars(c);
		}
	} else {
		size_t n = strlen(p);
		while (n && (p[n - 1] == ' ' || p[n - 1] == '\t'))
			n--;
		name = xstrndup(p, n);
	}
	if (!*name) {
		free(name);
		name = xstrdup("Dbgeng.log");
	}
	if (stamp) {
		char *t = timestamped(c, name);
		free(name);
		name = t;
	}
	if (c->capture_depth > 0) {
		free(name);
		return cmd_error(c, "%s: not while a command's output is being collected", d->name);
	}
	FILE *f = fopen(name, append ? "ab" : "wb");
	if (!f) {
		cmd_error(c, "Cannot open log file '%s': %s", name, strerror(errno));
		free(name);
		return -1;
	}
	struct cmd_log *l = log_of(c);
	if (!l) {
		fclose(f);
		free(name);
		return -1;
	}
	setvbuf(f, NULL, _IOLBF, 0);
	if (l->file) {
		cmd_print(c, "Closing open log file %s\n", l->path);
		close_file(l);
	}
	if (unicode && ftell(f) == 0) {
		fputc(0xff, f);	/* the byte-order mark */
		fputc(0xfe, f);
	}
	l->file = f;
	l->path = name;
	l->unicode = unicode;
	cmd_print(c, "Opened log file '%s'\n", name);
	return 0;
}

static int cmd_logopen(struct cmd_ctx *c, const struct cmd_def *d, const char *args,
		       const struct thread_sel *sel, int id)
{
	return open_log(c, d, args);
}

static int cmd_logclose(struct cmd_ctx *c, const struct cmd_def *d, const char *args,
			const struct thread_sel *sel, int id)
{
	struct cmd_log *l = c->log;
	if (l && l->file) {
		cmd_print(c, "Closing open log file %s\n", l->path);
		close_file(l);
	}
	return 0;
}

/*
 * .cls clears a terminal (and its scroll-back).  In a piped transcript
 * there is no screen: nothing is printed, and a log never holds it.
 */
static int cmd_cls(struct cmd_ctx *c, const struct cmd_def *d, const char *args,
		   const struct thread_sel *sel, int id)
{
	FILE *term = c->log ? c->log->term : c->out;
	if (c->capture_depth > 0 || fileno(term) < 0 || !isatty(fileno(term)))
		return 0;
	fputs("\033[H\033[2J\033[3J", term);
	fflush(term);
	return 0;
}

const struct cmd_def cmd_log_table[] = {
	{ ".logopen", cmd_logopen, 0, 0, ARGS_ANY, ".logopen [/t] [/u] [FileName]",
	  "Copy commands, output and events to a new log file" },
	{ ".logappend", cmd_logopen, 0, 1, ARGS_ANY, ".logappend [/u] [FileName]",
	  "Copy commands, output and events to the end of a log file" },
	{ ".logclose", cmd_logclose, 0, 0, ARGS_NONE, ".logclose", "Close the log file" },
	{ ".cls", cmd_cls, 0, 0, ARGS_NONE, ".cls", "Clear the terminal's screen" },
	{ NULL, NULL, 0, 0, ARGS_ANY, NULL, NULL },
};
