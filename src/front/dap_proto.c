/*
 * dap_proto.c — the DAP wire: every message dr7 sends goes through
 * dap_send, which numbers it and writes "Content-Length: N\r\n\r\n" and
 * the JSON under one lock (the program's output threads send too), and the
 * checks of request arguments: a wrong type is a failure response naming
 * the argument, never a guess.
 *
 * Invariant: integers travel as JSON integers (jansson's are 64-bit), so
 * addresses and ids are exact; memory references are "0x..." strings.
 */
#include "front/dap.h"

#include <assert.h>
#include <errno.h>
#include <stdarg.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

struct dap *dap;	/* the session's state (dap_main sets it up) */

static void write_all(int fd, const char *p, size_t n)
{
	while (n) {
		ssize_t w = write(fd, p, n);
		if (w < 0 && errno == EINTR)
			continue;
		if (w <= 0)
			return;	/* the editor is gone; the reader sees end of input */
		p += w;
		n -= (size_t)w;
	}
}

void dap_send(json_t *msg)
{
	pthread_mutex_lock(&dap->out_lock);
	json_object_set_new(msg, "seq", json_integer(++dap->seq));
	char *body = json_dumps(msg, JSON_COMPACT);
	if (body) {
		char head[64];
		int n = snprintf(head, sizeof(head), "Content-Length: %zu\r\n\r\n", strlen(body));
		write_all(dap->proto_fd, head, (size_t)n);
		write_all(dap->proto_fd, body, strlen(body));
		free(body);
	}
	pthread_mutex_unlock(&dap->out_lock);
	json_decref(msg);
}

void dap_event(const char *event, json_t *body)
{
	json_t *m = json_object();
	json_object_set_new(m, "type", json_string("event"));
	json_object_set_new(m, "event", json_string(event));
	if (body)
		json_object_set_new(m, "body", body);
	dap_send(m);
}

static json_t *response(json_t *req, int success)
{
	json_t *m = json_object();
	json_object_set_new(m, "type", json_string("response"));
	json_t *seq = req ? json_object_get(req, "seq") : NULL;
	json_object_set_new(m, "request_seq", json_integer(json_is_integer(seq) ? json_integer_value(seq) : 0));
	json_object_set_new(m, "success", json_boolean(success));
	json_t *cmd = req ? json_object_get(req, "command") : NULL;
	json_object_set_new(m, "command", json_string(json_is_string(cmd) ? json_string_value(cmd) : ""));
	return m;
}

void dap_respond(json_t *req, json_t *body)
{
	json_t *m = response(req, 1);
	json_object_set_new(m, "body", body ? body : json_object());
	dap_send(m);
}

/* Text of any origin as a JSON string: bytes that are not UTF-8 (or NUL) become '?'. */
static json_t *text_json(const char *text, size_t len)
{
	json_t *s = json_stringn(text, len);
	if (s)
		return s;
	/* jansson takes only UTF-8 without NUL; a program, a file name or a
	 * symbol may hold anything: bytes beyond ASCII become '?'. */
	char *copy = xmalloc(len + 1);
	for (size_t i = 0; i < len; i++)
		copy[i] = ((unsigned char)text[i] >= 0x80 || !text[i]) ? '?' : text[i];
	s = json_stringn(copy, len);
	free(copy);
	assert(s);
	return s;
}

json_t *dap_text(const char *text)
{
	return text ? text_json(text, strlen(text)) : NULL;
}

int dap_fail(json_t *req, const char *fmt, ...)
{
	/* Sized to fit: a cut could split a UTF-8 sequence and lose the message. */
	va_list ap, again;
	va_start(ap, fmt);
	va_copy(again, ap);
	int n = vsnprintf(NULL, 0, fmt, ap);
	va_end(ap);
	char *msg = n >= 0 ? xmalloc((size_t)n + 1) : NULL;
	if (msg)
		vsnprintf(msg, (size_t)n + 1, fmt, again);
	va_end(again);
	json_t *m = response(req, 0);
	json_object_set_new(m, "message", dap_text(msg ? msg : "out of memory"));
	json_t *err = json_object();
	json_object_set_new(err, "id", json_integer(1));
	json_object_set_new(err, "format", dap_text(msg ? msg : "out of memory"));
	free(msg);
	json_object_set_new(err, "showUser", json_false());
	json_t *body = json_object();
	json_object_set_new(body, "error", err);
	json_object_set_new(m, "body", body);
	dap_send(m);
	return -1;
}

json_t *dap_args(json_t *req)
{
	json_t *a = json_object_get(req, "arguments");
	return json_is_object(a) ? a : NULL;
}

static int wrong(json_t *req, const char *name, const char *what)
{
	return dap_fail(req, "argument '%s' must be %s", name, what);
}

int dap_arg_str(json_t *req, json_t *args, const char *name, const char **out)
{
	json_t *v = args ? json_object_get(args, name) : NULL;
	if (!v || json_is_null(v))
		return 0;
	if (!json_is_string(v))
		return wrong(req, name, "a string");
	*out = json_string_value(v);
	return 1;
}

int dap_arg_int(json_t *req, json_t *args, const char *name, json_int_t *out)
{
	json_t *v = args ? json_object_get(args, name) : NULL;
	if (!v || json_is_null(v))
		return 0;
	if (!json_is_integer(v))
		return wrong(req, name, "an integer");
	*out = json_integer_value(v);
	return 1;
}

int dap_arg_range(json_t *req, json_t *args, const char *name, json_int_t lo, json_int_t hi, json_int_t *out)
{
	json_int_t v = 0;
	int r = dap_arg_int(req, args, name, &v);
	if (r <= 0)
		return r;
	if (v < lo || v > hi)
		return dap_fail(req, "argument '%s' is %lld: it must be from %lld to %lld", name, (long long)v,
				(long long)lo, (long long)hi);
	*out = v;
	return 1;
}

int dap_need_range(json_t *req, json_t *args, const char *name, json_int_t lo, json_int_t hi, json_int_t *out)
{
	int r = dap_arg_range(req, args, name, lo, hi, out);
	if (r == 0)
		return dap_fail(req, "argument '%s' is required", name);
	return r;
}

int dap_arg_bool(json_t *req, json_t *args, const char *name, int *out)
{
	json_t *v = args ? json_object_get(args, name) : NULL;
	if (!v || json_is_null(v))
		return 0;
	if (!json_is_boolean(v))
		return wrong(req, name, "a boolean");
	*out = json_is_true(v);
	return 1;
}

int dap_arg_array(json_t *req, json_t *args, const char *name, json_t **out)
{
	json_t *v = args ? json_object_get(args, name) : NULL;
	if (!v || json_is_null(v))
		return 0;
	if (!json_is_array(v))
		return wrong(req, name, "an array");
	*out = v;
	return 1;
}

int dap_arg_object(json_t *req, json_t *args, const char *name, json_t **out)
{
	json_t *v = args ? json_object_get(args, name) : NULL;
	if (!v || json_is_null(v))
		return 0;
	if (!json_is_object(v))
		return wrong(req, name, "an object");
	*out = v;
	return 1;
}

int dap_need_str(json_t *req, json_t *args, const char *name, const char **out)
{
	int r = dap_arg_str(req, args, name, out);
	if (r == 0)
		return dap_fail(req, "argument '%s' is required", name);
	return r;
}

int dap_need_array(json_t *req, json_t *args, const char *name, json_t **out)
{
	int r = dap_arg_array(req, args, name, out);
	if (r == 0)
		return dap_fail(req, "argument '%s' is required", name);
	return r;
}

int dap_need_object(json_t *req, json_t *args, const char *name, json_t **out)
{
	int r = dap_arg_object(req, args, name, out);
	if (r == 0)
		return dap_fail(req, "argument '%s' is required", name);
	return r;
}

int dap_need_int(json_t *req, json_t *args, const char *name, json_int_t *out)
{
	int r = dap_arg_int(req, args, name, out);
	if (r == 0)
		return dap_fail(req, "argument '%s' is required", name);
	return r;
}

void dap_output(const char *category, const char *text, size_t len)
{
	if (!len)
		return;
	json_t *b = json_object();
	json_object_set_new(b, "category", json_string(category));
	json_object_set_new(b, "output", text_json(text, len));
	dap_event("output", b);
}

json_t *dap_addr_json(uint64_t addr)
{
	char buf[32];
	snprintf(buf, sizeof(buf), "0x%llx", (unsigned long long)addr);
	return json_string(buf);
}

int dap_parse_addr(const char *text, uint64_t *addr)
{
	if (!text || !*text)
		return -1;
	char *end;
	errno = 0;
	unsigned long long v = strtoull(text, &end, 0);
	if (errno || *end)
		return -1;
	*addr = v;
	return 0;
}
