/*
 * main.c — dr7's command line, the read-eval loop and the signals that end
 * a session.  Commands come from the terminal (libedit: editing, history,
 * TAB completion decided by cmd_complete) or, when standard input is not
 * a terminal, line by line, each echoed after the prompt so a piped
 * transcript reads like a session.
 *
 * Whatever ends dr7 — q, end of input, SIGTERM, SIGHUP, SIGINT while no
 * program runs in a script — first removes every int3 and clears DR7 in
 * every thread (session_end), then kills a program dr7 started or detaches
 * from one it attached to.
 *
 * `--dap` hands the process to the DAP server (dap_main.c) instead.
 */
#include <ctype.h>
#include <errno.h>
#include <histedit.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "cmd/cmd.h"
#include "cmd/srcfile.h"
#include "front/dap.h"
#include "target/ptrace/ptrace.h"

#define DR7_VERSION "0.1.0"

static volatile int interrupted;	/* Ctrl-C: break into the running program */
static volatile sig_atomic_t terminate;	/* SIGTERM/SIGHUP: clean up and leave */
static int interactive;

static void on_signal(int sig)
{
	if (sig == SIGINT && interactive) {
		interrupted = 1;
		return;
	}
	if (sig == SIGINT) {
		/* In a script, Ctrl-C breaks into a running program; at the
		 * reading of commands it ends the session (cleanly). */
		interrupted = 1;
		return;
	}
	terminate = 1;
	interrupted = 1;	/* makes a waiting run loop stop the program */
}

static void install_signals(void)
{
	struct sigaction sa;
	memset(&sa, 0, sizeof(sa));
	sa.sa_handler = on_signal;
	sigemptyset(&sa.sa_mask);
	sa.sa_flags = 0;	/* no SA_RESTART: blocking waits must see the signal */
	sigaction(SIGINT, &sa, NULL);
	sigaction(SIGTERM, &sa, NULL);
	sigaction(SIGHUP, &sa, NULL);
	signal(SIGPIPE, SIG_IGN);
}

static void usage(FILE *f)
{
	fprintf(f,
		"usage: dr7 [options] program [arguments...]\n"
		"       dr7 [options] -p PID | -pn NAME\n"
		"       dr7 --dap   (a Debug Adapter Protocol server on stdin/stdout)\n"
		"options:\n"
		"  -c \"cmds\"   run these commands (';'-separated) at the first prompt\n"
		"  -cf file    run the commands in file at start\n"
		"  -g          do not stop at the initial breakpoint\n"
		"  -G          do not stop at the final breakpoint (process exit)\n"
		"  -lines      show source lines at stops (as .lines)\n"
		"  -srcpath P  the source search path (as .srcpath P)\n"
		"  -y P        the symbol path (as .sympath P; default _NT_SYMBOL_PATH)\n"
		"  -aslr       keep address-space randomisation on (dr7 turns it off by default)\n"
		"  -p PID      attach to a running process\n"
		"  -pn NAME    attach to the one process with that name\n"
		"  --help, --version\n"
		"Commands follow WinDbg's language; type ? at the prompt for the list.\n");
}

static char *prompt_text;

static char *el_prompt(EditLine *el)
{
	(void)el;
	return prompt_text;
}

/*
 * TAB: cmd_complete decides; this only edits libedit's line.  A word that
 * cannot grow lists the candidates under the line, as shells do.
 */
static unsigned char complete_key(EditLine *el, int ch)
{
	(void)ch;
	struct cmd_ctx *c = NULL;
	el_get(el, EL_CLIENTDATA, &c);
	const LineInfo *li = el_line(el);
	char *line = xstrndup(li->buffer, (size_t)(li->lastchar - li->buffer));
	size_t cursor = (size_t)(li->cursor - li->buffer);
	struct cmd_completion cc;
	unsigned char rc = CC_REFRESH_BEEP;
	if (c && cmd_complete(c, line, cursor, &cc) > 0) {
		size_t word_len = cursor - cc.start;
		if (strlen(cc.insert) != word_len || strncmp(cc.insert, line + cc.start, word_len)) {
			el_deletestr(el, (int)word_len);
			el_insertstr(el, cc.insert);
			rc = CC_REFRESH;
		} else if (cc.n > 1) {
			int width = 80;
			if (el_get(el, EL_GETTC, "co", &width) != 0 || width <= 0)
				width = 80;
			struct sbuf sb = { 0 };
			cmd_completion_list(&cc, width, &sb);
			fprintf(c->out, "\n%s", sb_str(&sb));
			fflush(c->out);
			sb_free(&sb);
			rc = CC_REDISPLAY;
		}
	}
	if (c)
		cmd_completion_free(&cc);
	free(line);
	return rc;
}

/* Reads one line; NULL at end of input.  The result is malloc'ed. */
static char *read_line(EditLine *el, struct cmd_ctx *c, char *prompt)
{
	if (el) {
		int n;
		prompt_text = prompt;
		for (;;) {
			interrupted = 0;
			const char *line = el_gets(el, &n);
			if (terminate)
				return NULL;
			if (!line) {
				if (n < 0 && errno == EINTR && !terminate) {
					fputc('\n', stdout);
					continue;
				}
				return NULL;
			}
			char *copy = xstrdup(line);
			copy[strcspn(copy, "\r\n")] = 0;
			return copy;
		}
	}
	char *line = NULL;
	size_t cap = 0;
	errno = 0;
	interrupted = 0;
	ssize_t n = getline(&line, &cap, stdin);
	if (n < 0 || terminate || interrupted) {
		free(line);
		return NULL;
	}
	line[strcspn(line, "\r\n")] = 0;
	fprintf(c->out, "%s%s\n", prompt, line);
	return line;
}

int main(int argc, char **argv)
{
	const char *initial = NULL, *script = NULL, *attach_name = NULL;
	pid_t attach_pid = 0;
	int no_initial = 0, no_final = 0, lines = 0, aslr = 0, sympath_given = 0;
	int i = 1;
	for (; i < argc && argv[i][0] == '-'; i++) {
		const char *o = argv[i];
		if (!strcmp(o, "--help") || !strcmp(o, "-h") || !strcmp(o, "-?")) {
			usage(stdout);
			return 0;
		} else if (!strcmp(o, "--dap") && argc == 2) {
			return dap_main();
		} else if (!strcmp(o, "--version")) {
			printf("dr7 %s\n", DR7_VERSION);
			return 0;
		} else if (!strcmp(o, "-c") && i + 1 < argc) {
			initial = argv[++i];
		} else if (!strcmp(o, "-cf") && i + 1 < argc) {
			script = argv[++i];
		} else if (!strcmp(o, "-p") && i + 1 < argc) {
			char *e;
			long v = strtol(argv[++i], &e, 10);
			if (*e || v <= 0) {
				fprintf(stderr, "dr7: -p needs a process id\n");
				return 2;
			}
			attach_pid = (pid_t)v;
		} else if (!strcmp(o, "-pn") && i + 1 < argc) {
			attach_name = argv[++i];
		} else if (!strcmp(o, "-lines")) {
			lines = 1;
		} else if (!strcmp(o, "-srcpath") && i + 1 < argc) {
			srcpath_set(argv[++i]);
		} else if (!strcmp(o, "-y") && i + 1 < argc) {
			if (sym_path_set(argv[++i]) < 0) {
				fprintf(stderr, "dr7: -y: %s\n", err_get());
				return 2;
			}
			sympath_given = 1;
		} else if (!strcmp(o, "-aslr")) {
			aslr = 1;
		} else if (o[1] && strspn(o + 1, "gG") == strlen(o + 1)) {
			no_initial |= strchr(o, 'g') != NULL;
			no_final |= strchr(o, 'G') != NULL;
		} else if (!strcmp(o, "--")) {
			i++;
			break;
		} else {
			fprintf(stderr, "dr7: unknown option '%s'\n", o);
			usage(stderr);
			return 2;
		}
	}
	if (attach_name) {
		attach_pid = ptrace_find_process(attach_name);
		if (attach_pid < 0) {
			fprintf(stderr, "dr7: more than one process is named '%s'; use -p\n", attach_name);
			return 2;
		}
		if (attach_pid == 0) {
			fprintf(stderr, "dr7: no process is named '%s'\n", attach_name);
			return 2;
		}
	}
	if (!attach_pid && i >= argc) {
		usage(stderr);
		return 2;
	}

	/* WinDbg's environment variable when -y did not say. */
	const char *env_sympath = getenv("_NT_SYMBOL_PATH");
	if (!sympath_given && env_sympath && sym_path_set(env_sympath) < 0)
		fprintf(stderr, "dr7: _NT_SYMBOL_PATH ignored: %s\n", err_get());

	setvbuf(stdout, NULL, _IOLBF, 0);
	interactive = isatty(STDIN_FILENO);
	install_signals();

	struct session *s = session_new();
	s->backend = &ptrace_backend;
	struct cmd_ctx c = { .s = s, .out = stdout, .line_support = lines };
	s->no_initial_break = no_initial;
	if (no_final) {
		/* -G is sxd epr, as in CDB. */
		struct filter_change ch = { .set_break = 1, .brk = FILTER_SECOND_CHANCE };
		session_filter_change(s, (struct filter_key){ FKEY_EVENT, FEV_EXIT_PROCESS }, &ch);
	}
	s->disable_aslr = !aslr;
	s->interrupted = &interrupted;
	s->listener = cmd_show_event;
	s->listener_user = &c;

	struct stop_report rep;
	int rc = attach_pid ? session_attach(s, attach_pid, &rep) : session_launch(s, argv + i, &rep);
	if (rc < 0) {
		fprintf(stderr, "dr7: %s\n", err_get());
		session_free(s);
		return 1;
	}
	cmd_show_stop(&c, &rep);
	if (rep.kind == REP_GONE) {
		session_end(s);
		c.quit = 1;
	}
	if (!c.quit && initial) {
		char prompt[32];
		cmd_prompt(&c, prompt, sizeof(prompt));
		fprintf(c.out, "%s%s\n", prompt, initial);
		cmd_run_line(&c, initial);
	}
	if (!c.quit && script)
		cmd_run_file(&c, script);

	EditLine *el = NULL;
	History *hist = NULL;
	HistEvent ev;
	if (interactive) {
		el = el_init("dr7", stdin, stdout, stderr);
		hist = history_init();
		history(hist, &ev, H_SETSIZE, 1000);
		el_set(el, EL_HIST, history, hist);
		el_set(el, EL_PROMPT, el_prompt);
		el_set(el, EL_EDITOR, "emacs");
		el_set(el, EL_SIGNAL, 0);
		el_set(el, EL_CLIENTDATA, &c);
		/* The wide call: el_set(EL_ADDFN) copies the two strings and never frees them. */
		el_wset(el, EL_ADDFN, L"dr7-complete", L"Complete a command or symbol name", complete_key);
		el_set(el, EL_BIND, "^I", "dr7-complete", NULL);
	}
	char *last = NULL;
	while (!c.quit && !terminate) {
		char prompt[32];
		cmd_prompt(&c, prompt, sizeof(prompt));
		char *line = read_line(el, &c, prompt);
		if (!line)
			break;
		if (el)
			cmd_log_input(&c, prompt, line);	/* the terminal echoed it */
		const char *run = line;
		if (!*skip_ws(line)) {
			if (!last || !c.repeat_ok) {
				free(line);
				continue;
			}
			run = last;
		} else {
			if (hist)
				history(hist, &ev, H_ENTER, line);
			free(last);
			last = xstrdup(line);
		}
		cmd_run_line(&c, run);
		free(line);
		fflush(c.out);
	}
	free(last);
	if (terminate)
		fprintf(c.out, "dr7: signal received; removing breakpoints and %s the program\n",
			s->tgt && s->tgt->attached ? "detaching from" : "ending");
	session_end(s);
	cmd_end(&c);
	session_free(s);
	if (el) {
		history_end(hist);
		el_end(el);
	}
	return 0;
}
