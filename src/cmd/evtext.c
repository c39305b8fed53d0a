/*
 * evtext.c — the words for signals and events (evtext.h).
 *
 * Codes: WinDbg's where Windows has the event (windbg-commands.md §14,
 * "Controlling exceptions and events"): av is SIGSEGV, ii SIGILL, dz SIGFPE,
 * cce/cc SIGINT sent to the program (break / handling status), bpe/bpec the
 * program's own int3, and the events ct et cpr epr ld ud.  Every other
 * signal is named by its Linux name (SIGBUS, SIGUSR1...), listed after the
 * codes.  The exception code of a signal is its number (code 0000000b for
 * SIGSEGV); the program's int3 is WinDbg's 80000003.
 */
#include "cmd/evtext.h"

#include <signal.h>
#include <stdio.h>
#include <string.h>
#include <strings.h>

#include "cmd/fmt.h"

#define EVENT(code, ev, title) { code, { FKEY_EVENT, ev }, 0, title }
#define SIGNAL(code, sig, handling, title) { code, { FKEY_SIGNAL, sig }, handling, title }

static const struct evtext_code codes[] = {
	EVENT("ct", FEV_CREATE_THREAD, "Create thread"),
	EVENT("et", FEV_EXIT_THREAD, "Exit thread"),
	EVENT("cpr", FEV_CREATE_PROCESS, "Create process"),
	EVENT("epr", FEV_EXIT_PROCESS, "Exit process"),
	EVENT("ld", FEV_LOAD_MODULE, "Load module"),
	EVENT("ud", FEV_UNLOAD_MODULE, "Unload module"),
	SIGNAL("av", SIGSEGV, 0, "Access violation"),
	{ "bpe", { FKEY_EVENT, FEV_BREAK_INSTRUCTION }, 0, "Break instruction exception" },
	{ "bpec", { FKEY_EVENT, FEV_BREAK_INSTRUCTION }, 1, "Break instruction exception continue" },
	SIGNAL("cce", SIGINT, 0, "Control-C exception"),
	SIGNAL("cc", SIGINT, 1, "Control-C exception continue"),
	SIGNAL("ii", SIGILL, 0, "Illegal instruction"),
	SIGNAL("dz", SIGFPE, 0, "Floating-point or integer divide error"),
};

const struct evtext_code *evtext_codes(int *n)
{
	*n = (int)ARRAY_SIZE(codes);
	return codes;
}

const struct evtext_code *evtext_code_find(const char *name, size_t len)
{
	for (size_t i = 0; i < ARRAY_SIZE(codes); i++)
		if (strlen(codes[i].code) == len && !strncasecmp(codes[i].code, name, len))
			return &codes[i];
	return NULL;
}

static const char *const names[32] = {
	[SIGHUP] = "HUP", [SIGINT] = "INT", [SIGQUIT] = "QUIT", [SIGILL] = "ILL",
	[SIGTRAP] = "TRAP", [SIGABRT] = "ABRT", [SIGBUS] = "BUS", [SIGFPE] = "FPE",
	[SIGKILL] = "KILL", [SIGUSR1] = "USR1", [SIGSEGV] = "SEGV", [SIGUSR2] = "USR2",
	[SIGPIPE] = "PIPE", [SIGALRM] = "ALRM", [SIGTERM] = "TERM", [SIGSTKFLT] = "STKFLT",
	[SIGCHLD] = "CHLD", [SIGCONT] = "CONT", [SIGSTOP] = "STOP", [SIGTSTP] = "TSTP",
	[SIGTTIN] = "TTIN", [SIGTTOU] = "TTOU", [SIGURG] = "URG", [SIGXCPU] = "XCPU",
	[SIGXFSZ] = "XFSZ", [SIGVTALRM] = "VTALRM", [SIGPROF] = "PROF", [SIGWINCH] = "WINCH",
	[SIGIO] = "IO", [SIGPWR] = "PWR", [SIGSYS] = "SYS",
};

void evtext_signal_name(struct sbuf *sb, int signo)
{
	if (signo > 0 && signo < 32 && names[signo])
		sb_addf(sb, "SIG%s", names[signo]);
	else
		sb_addf(sb, "SIG%d", signo);
}

int evtext_signal_by_name(const char *name, size_t len)
{
	if (len > 3 && !strncasecmp(name, "SIG", 3)) {
		name += 3;
		len -= 3;
	}
	for (int i = 1; i < 32; i++)
		if (names[i] && strlen(names[i]) == len && !strncasecmp(names[i], name, len))
			return i;
	/* SIG32..SIG64: the real-time signals by number, as gdb names them. */
	int v = 0;
	for (size_t i = 0; i < len; i++) {
		if (name[i] < '0' || name[i] > '9' || v > 100)
			return 0;
		v = v * 10 + (name[i] - '0');
	}
	return len && v >= 32 && v <= FILTER_MAX_SIGNAL ? v : 0;
}

const char *evtext_signal_meaning(int signo)
{
	switch (signo) {
	case SIGHUP: return "Hangup";
	case SIGINT: return "Control-C exception";
	case SIGQUIT: return "Quit";
	case SIGILL: return "Illegal instruction";
	case SIGTRAP: return "Trace/breakpoint trap";
	case SIGABRT: return "Abort";
	case SIGBUS: return "Bus error";
	case SIGFPE: return "Floating-point or integer divide error";
	case SIGKILL: return "Killed";
	case SIGUSR1: return "User defined signal 1";
	case SIGSEGV: return "Access violation";
	case SIGUSR2: return "User defined signal 2";
	case SIGPIPE: return "Broken pipe";
	case SIGALRM: return "Alarm clock";
	case SIGTERM: return "Terminated";
	case SIGSTKFLT: return "Stack fault";
	case SIGCHLD: return "Child exited";
	case SIGCONT: return "Continued";
	case SIGSTOP: return "Stopped (signal)";
	case SIGTSTP: return "Stopped";
	case SIGTTIN: return "Stopped (tty input)";
	case SIGTTOU: return "Stopped (tty output)";
	case SIGURG: return "Urgent I/O condition";
	case SIGXCPU: return "CPU time limit exceeded";
	case SIGXFSZ: return "File size limit exceeded";
	case SIGVTALRM: return "Virtual timer expired";
	case SIGPROF: return "Profiling timer expired";
	case SIGWINCH: return "Window changed";
	case SIGIO: return "I/O possible";
	case SIGPWR: return "Power failure";
	case SIGSYS: return "Bad system call";
	default: return "Real-time signal";
	}
}

void evtext_exception_title(struct sbuf *sb, int signo)
{
	if (signo == 0) {
		sb_add(sb, "Break instruction exception");
		return;
	}
	sb_addf(sb, "%s (", evtext_signal_meaning(signo));
	evtext_signal_name(sb, signo);
	sb_add(sb, ")");
}

void evtext_exception(struct sbuf *sb, int signo, int second_chance)
{
	evtext_exception_title(sb, signo);
	sb_addf(sb, " - code %08x (%s)", signo ? (unsigned)signo : 0x80000003u,
		second_chance ? "!!! second chance !!!" : "first chance");
}

const char *evtext_si_code(int signo, int si_code)
{
	switch (si_code) {
	case SI_USER: return "SI_USER: sent by kill";
	case SI_KERNEL: return "SI_KERNEL: sent by the kernel";
	case SI_QUEUE: return "SI_QUEUE: sent by sigqueue";
	case SI_TIMER: return "SI_TIMER: a POSIX timer expired";
	case SI_MESGQ: return "SI_MESGQ: a message arrived";
	case SI_ASYNCIO: return "SI_ASYNCIO: asynchronous I/O completed";
	case SI_TKILL: return "SI_TKILL: sent by tkill or tgkill";
	default: break;
	}
	switch (signo) {
	case SIGSEGV:
		switch (si_code) {
		case SEGV_MAPERR: return "SEGV_MAPERR: address not mapped";
		case SEGV_ACCERR: return "SEGV_ACCERR: no permission for the access";
		}
		break;
	case SIGBUS:
		switch (si_code) {
		case BUS_ADRALN: return "BUS_ADRALN: misaligned address";
		case BUS_ADRERR: return "BUS_ADRERR: no physical page behind the address";
		case BUS_OBJERR: return "BUS_OBJERR: hardware error";
		}
		break;
	case SIGILL:
		switch (si_code) {
		case ILL_ILLOPC: return "ILL_ILLOPC: illegal opcode";
		case ILL_ILLOPN: return "ILL_ILLOPN: illegal operand";
		case ILL_PRVOPC: return "ILL_PRVOPC: privileged opcode";
		case ILL_BADSTK: return "ILL_BADSTK: internal stack error";
		}
		break;
	case SIGFPE:
		switch (si_code) {
		case FPE_INTDIV: return "FPE_INTDIV: integer divide by zero";
		case FPE_INTOVF: return "FPE_INTOVF: integer overflow";
		case FPE_FLTDIV: return "FPE_FLTDIV: floating-point divide by zero";
		case FPE_FLTOVF: return "FPE_FLTOVF: floating-point overflow";
		case FPE_FLTUND: return "FPE_FLTUND: floating-point underflow";
		case FPE_FLTRES: return "FPE_FLTRES: floating-point inexact result";
		case FPE_FLTINV: return "FPE_FLTINV: invalid floating-point operation";
		}
		break;
	case SIGCHLD:
		switch (si_code) {
		case CLD_EXITED: return "CLD_EXITED: the child exited";
		case CLD_KILLED: return "CLD_KILLED: the child was killed";
		case CLD_DUMPED: return "CLD_DUMPED: the child dumped core";
		case CLD_STOPPED: return "CLD_STOPPED: the child stopped";
		case CLD_CONTINUED: return "CLD_CONTINUED: the child continued";
		}
		break;
	}
	return NULL;
}

void evtext_thread_event(struct sbuf *sb, int created, int index, pid_t tid)
{
	sb_addf(sb, "%s thread %d:%x", created ? "Create" : "Exit", index, (unsigned)tid);
}

void evtext_fork(struct sbuf *sb, pid_t child)
{
	sb_addf(sb, "Create process %x (a fork child: dr7 does not debug it)", (unsigned)child);
}

void evtext_module(struct sbuf *sb, int loaded, const char *path, uint64_t start, uint64_t end, int is32)
{
	if (loaded) {
		sb_add(sb, "ModLoad: ");
		fmt_addr(sb, start, is32);
		sb_add(sb, " ");
		fmt_addr(sb, end, is32);
		sb_addf(sb, "   %s", path);
	} else {
		sb_addf(sb, "Unload module %s at ", path);
		fmt_addr(sb, start, is32);
	}
}

void evtext_process_end(struct sbuf *sb, int exit_code, int term_signal)
{
	if (term_signal) {
		sb_add(sb, "Process killed by signal ");
		evtext_signal_name(sb, term_signal);
	} else {
		sb_addf(sb, "Process exited with code %d", exit_code);
	}
}

void evtext_stop(struct sbuf *sb, struct session *s, const struct stop_report *rep)
{
	int is32 = session_is32(s);
	switch (rep->kind) {
	case REP_NONE:
		sb_add(sb, "none");
		return;
	case REP_INITIAL:
	case REP_BREAKIN:
		evtext_exception(sb, 0, 0);
		return;
	case REP_TRAP:
		evtext_exception(sb, 0, rep->second_chance);
		return;
	case REP_SIGNAL:
		evtext_exception(sb, rep->signo, rep->second_chance);
		return;
	case REP_BREAKPOINT:
		sb_addf(sb, "Hit breakpoint %d", rep->nhits ? rep->hit_ids[0] : 0);
		return;
	case REP_STEP:
		sb_add(sb, "Single step exception - code 80000004 (first chance)");
		return;
	case REP_EVENT:
		switch (rep->event) {
		case FEV_CREATE_THREAD:
		case FEV_EXIT_THREAD:
			evtext_thread_event(sb, rep->event == FEV_CREATE_THREAD, rep->event_index, rep->event_tid);
			return;
		case FEV_CREATE_PROCESS:
			evtext_fork(sb, rep->event_tid);
			return;
		case FEV_LOAD_MODULE:
		case FEV_UNLOAD_MODULE:
			sb_addf(sb, "%s module %s at ", rep->event == FEV_LOAD_MODULE ? "Load" : "Unload",
				rep->mod_path);
			fmt_addr(sb, rep->mod_start, is32);
			return;
		default:
			break;
		}
		sb_add(sb, "Event");
		return;
	case REP_EXIT:
	case REP_GONE:
		sb_addf(sb, "Exit process 0:%x, ", s->tgt ? (unsigned)s->tgt->pid : 0u);
		if (rep->term_signal) {
			sb_add(sb, "killed by ");
			evtext_signal_name(sb, rep->term_signal);
		} else {
			sb_addf(sb, "code %d", rep->exit_code);
		}
		return;
	}
}

/* The system calls that write into the program's memory, as the watches report them. */
static const char *syscall_name(int nr, int is32)
{
	static const struct { int nr64, nr32; const char *name; } calls[] = {
		{ 0, 3, "read" },	{ 4, 106, "stat" },	{ 5, 108, "fstat" },
		{ 6, 107, "lstat" },	{ 17, 180, "pread64" },	{ 19, 145, "readv" },
		{ 45, -1, "recvfrom" },	{ 47, -1, "recvmsg" },	{ 262, 300, "newfstatat" },
		{ 295, 333, "preadv" },	{ 327, 378, "preadv2" }, { 332, 383, "statx" },
		{ 299, -1, "recvmmsg" }, { 7, 168, "poll" },	{ 61, 114, "wait4" },
		{ 96, 78, "gettimeofday" }, { 228, 265, "clock_gettime" }, { 89, 85, "readlink" },
		{ 267, 305, "readlinkat" }, { 217, 220, "getdents64" }, { 232, -1, "epoll_wait" },
		{ 4, 195, "stat64" }, { 5, 197, "fstat64" }, { 6, 196, "lstat64" },
		{ 262, 300, "fstatat64" }, { 1, 4, "write" }, { 18, 181, "pwrite64" }, { 20, 146, "writev" },
		{ 43, -1, "accept" },	{ 288, -1, "accept4" },	{ 247, -1, "waitid" },
		{ 51, -1, "getsockname" }, { 52, -1, "getpeername" }, { 55, -1, "getsockopt" },
		{ 128, -1, "rt_sigtimedwait" }, { 40, -1, "sendfile" }, { 318, -1, "getrandom" },
		{ 22, -1, "pipe" },	{ 293, -1, "pipe2" },	{ 53, -1, "socketpair" },
		{ 23, -1, "select" },	{ 270, -1, "pselect6" }, { 271, -1, "ppoll" },
		{ 229, -1, "clock_getres" }, { 281, -1, "epoll_pwait" }, { 307, -1, "sendmmsg" },
		{ 44, -1, "sendto" },	{ 46, -1, "sendmsg" },	{ 296, 334, "pwritev" }, { 328, 379, "pwritev2" },
	};
	for (size_t i = 0; i < sizeof(calls) / sizeof(calls[0]); i++)
		if ((is32 ? calls[i].nr32 : calls[i].nr64) == nr)
			return calls[i].name;
	return NULL;
}

void evtext_watch_access(struct sbuf *sb, unsigned rw, int by_syscall, int syscall_nr, int is32)
{
	if (by_syscall) {
		const char *name = syscall_name(syscall_nr, is32);
		const char *how = rw == POINT_ACCESS_READ ? "read" : "written";
		if (name)
			sb_addf(sb, " (%s by %s)", how, name);
		else
			sb_addf(sb, " (%s by system call %d)", how, syscall_nr);
	} else if (rw == (POINT_ACCESS_READ | POINT_ACCESS_WRITE)) {
		sb_add(sb, " (read, write)");
	} else if (rw == POINT_ACCESS_READ) {
		sb_add(sb, " (read)");
	} else if (rw == POINT_ACCESS_WRITE) {
		sb_add(sb, " (write)");
	}
}
