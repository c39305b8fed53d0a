/*
 * dap_program.c — the launched program's standard streams.  dr7's own
 * stdout carries the protocol, so a program it launches never shares it:
 * its stdin is /dev/null and its stdout and stderr are pipes, each read by
 * a thread that sends what arrives as output events of category "stdout"
 * or "stderr".
 *
 * Invariants: the threads only read their pipe and send (dap_send holds
 * the writer lock); they never touch the engine.  dr7 keeps the program's
 * ends open for the whole session, so a restarted program writes into the
 * same pipes; the end of a process is therefore not end of file, and
 * dap_program_drain waits until the pipes are empty instead.  A UTF-8
 * character a read cuts is held (under the pipe's lock) until the rest
 * arrives, so it is not sent as '?'; the drain sends what is held.
 */
#include "front/dap.h"

#include <errno.h>
#include <fcntl.h>
#include <stdlib.h>
#include <string.h>
#include <poll.h>
#include <sched.h>
#include <stdint.h>
#include <sys/ioctl.h>
#include <unistd.h>

static pthread_mutex_t pipe_lock[2] = { PTHREAD_MUTEX_INITIALIZER, PTHREAD_MUTEX_INITIALIZER };
/* The start of a UTF-8 character the last read ended inside, per pipe. */
static char held[2][4];
static size_t nheld[2];

/* Length of an incomplete UTF-8 character at the end of text (0: none). */
static size_t incomplete_tail(const char *text, size_t len)
{
	for (size_t back = 1; back <= 3 && back <= len; back++) {
		unsigned char c = (unsigned char)text[len - back];
		if ((c & 0xc0) == 0x80)
			continue;	/* a continuation byte: the lead is further back */
		size_t need = c >= 0xf0 && c < 0xf8 ? 4 : c >= 0xe0 ? 3 : c >= 0xc0 ? 2 : 1;
		return need > back && c >= 0xc0 && c < 0xf8 ? back : 0;
	}
	return 0;
}

static const char *const category[2] = { "stdout", "stderr" };

/* Reads under the pipe's lock, so dap_program_drain knows that an empty
 * pipe means everything the program wrote has been sent. */
static void *forward(void *arg)
{
	int which = (int)(intptr_t)arg;
	int fd = dap->program_stdio[which];
	char buf[4096 + 4];
	for (;;) {
		struct pollfd p = { .fd = fd, .events = POLLIN };
		if (poll(&p, 1, -1) < 0) {
			if (errno == EINTR)
				continue;
			break;
		}
		pthread_mutex_lock(&pipe_lock[which]);
		size_t have = nheld[which];
		memcpy(buf, held[which], have);
		ssize_t n = read(fd, buf + have, sizeof(buf) - 4);
		if (n > 0) {
			size_t len = have + (size_t)n;
			size_t tail = incomplete_tail(buf, len);
			dap_output(category[which], buf, len - tail);
			memcpy(held[which], buf + len - tail, tail);
			nheld[which] = tail;
		}
		pthread_mutex_unlock(&pipe_lock[which]);
		if (n == 0 || (n < 0 && errno != EINTR && errno != EAGAIN))
			break;
	}
	return NULL;
}

int dap_program_pipes(void)
{
	struct session *s = dap->s;
	if (s->launch_io.redirect)
		return 0;	/* one set for the session: .restart's program gets them too */
	int out[2], err[2];
	if (pipe(out) < 0)
		return err_set("pipe: %s", strerror(errno));
	if (pipe(err) < 0) {
		close(out[0]);
		close(out[1]);
		return err_set("pipe: %s", strerror(errno));
	}
	/* None of them leaks into the program: it gets copies on 0, 1 and 2. */
	for (int i = 0; i < 2; i++) {
		fcntl(out[i], F_SETFD, FD_CLOEXEC);
		fcntl(err[i], F_SETFD, FD_CLOEXEC);
	}
	fcntl(out[0], F_SETFL, O_NONBLOCK);
	fcntl(err[0], F_SETFL, O_NONBLOCK);
	int in = open("/dev/null", O_RDONLY | O_CLOEXEC);
	s->launch_io.redirect = 1;
	s->launch_io.stdio[0] = in;
	s->launch_io.stdio[1] = out[1];
	s->launch_io.stdio[2] = err[1];
	dap->program_stdio[0] = out[0];
	dap->program_stdio[1] = err[0];
	sigset_t all, old;
	sigfillset(&all);
	pthread_sigmask(SIG_BLOCK, &all, &old);	/* signals are the main thread's */
	for (int i = 0; i < 2; i++) {
		if (pthread_create(&dap->stdio_threads[i], NULL, forward, (void *)(intptr_t)i) == 0)
			pthread_detach(dap->stdio_threads[i]);
	}
	pthread_sigmask(SIG_SETMASK, &old, NULL);
	return 0;
}

void dap_program_drain(void)
{
	for (int i = 0; i < 2; i++) {
		if (dap->program_stdio[i] < 0)
			continue;
		for (;;) {
			int pending = 0;
			pthread_mutex_lock(&pipe_lock[i]);
			if (ioctl(dap->program_stdio[i], FIONREAD, &pending) < 0)
				pending = 0;
			if (!pending && nheld[i]) {
				/* The rest of that character never came: sent as it is ('?'). */
				dap_output(category[i], held[i], nheld[i]);
				nheld[i] = 0;
			}
			pthread_mutex_unlock(&pipe_lock[i]);
			if (!pending)
				break;
			sched_yield();	/* the forwarding thread is sending it */
		}
	}
}
