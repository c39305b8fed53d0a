/*
 * dap_requests_memory.c — the program's memory and code as the editor
 * reads them: readMemory and writeMemory (base64, as DAP carries bytes),
 * disassemble (Zydis, through x86/dis.h, the `u` command's decoder),
 * modules and loadedSources.
 *
 * Invariants: reads go through the session (int3 bytes hidden: the editor
 * sees the program's own code); writes through the target (a write over an
 * int3 updates its saved byte).  Unreadable memory is reported as such,
 * never as zeros.
 */
#include "front/dap.h"

#include <stdlib.h>
#include <string.h>

#include "x86/dis.h"

#define MAX_READ (1u << 20)
#define MAX_INSNS 10000

static const char b64[] = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/";

static char *base64(const unsigned char *p, size_t n)
{
	char *out = xmalloc(4 * ((n + 2) / 3) + 1), *o = out;
	for (size_t i = 0; i < n; i += 3) {
		unsigned v = (unsigned)p[i] << 16 | (i + 1 < n ? (unsigned)p[i + 1] << 8 : 0) | (i + 2 < n ? p[i + 2] : 0);
		*o++ = b64[v >> 18 & 63];
		*o++ = b64[v >> 12 & 63];
		*o++ = i + 1 < n ? b64[v >> 6 & 63] : '=';
		*o++ = i + 2 < n ? b64[v & 63] : '=';
	}
	*o = 0;
	return out;
}

/* Decodes base64 text (padding optional); -1 on a character outside the alphabet. */
static int unbase64(const char *s, unsigned char **out, size_t *n)
{
	size_t len = strlen(s);
	unsigned char *buf = xmalloc(len / 4 * 3 + 3);
	size_t k = 0;
	unsigned v = 0;
	int bits = 0;
	for (const char *p = s; *p && *p != '='; p++) {
		const char *c = strchr(b64, *p);
		if (!c || !*p) {
			free(buf);
			return -1;
		}
		v = v << 6 | (unsigned)(c - b64);
		bits += 6;
		if (bits >= 8) {
			bits -= 8;
			buf[k++] = (unsigned char)(v >> bits);
		}
	}
	*out = buf;
	*n = k;
	return 0;
}

static int need_process(json_t *req)
{
	if (session_has_process(dap->s))
		return 0;
	return dap_fail(req, "no program is being debugged");
}

static int address_of(json_t *req, json_t *args, uint64_t *addr)
{
	const char *ref;
	json_int_t off = 0;
	if (dap_need_str(req, args, "memoryReference", &ref) < 0 || dap_arg_int(req, args, "offset", &off) < 0)
		return -1;
	if (dap_parse_addr(ref, addr) < 0)
		return dap_fail(req, "memoryReference '%s' is not an address (0x...)", ref);
	*addr += (uint64_t)off;
	return 0;
}

static void req_read_memory(json_t *req, json_t *args)
{
	uint64_t addr;
	json_int_t count;
	if (address_of(req, args, &addr) < 0 || dap_need_int(req, args, "count", &count) < 0 || need_process(req) < 0)
		return;
	if (count < 0 || count > MAX_READ)
		return (void)dap_fail(req, "count %lld: dr7 reads 0 to %u bytes at once", (long long)count, MAX_READ);
	unsigned char *buf = xmalloc((size_t)count + 1);
	int got = count ? session_read(dap->s, addr, buf, (size_t)count) : 0;
	if (got < 0)
		got = 0;
	json_t *body = json_object();
	json_object_set_new(body, "address", dap_addr_json(addr));
	char *data = base64(buf, (size_t)got);
	json_object_set_new(body, "data", dap_text(data));
	if (got < count)
		json_object_set_new(body, "unreadableBytes", json_integer(count - got));
	free(data);
	free(buf);
	dap_respond(req, body);
}

static void req_write_memory(json_t *req, json_t *args)
{
	uint64_t addr;
	const char *data;
	int partial = 0;
	if (address_of(req, args, &addr) < 0 || dap_need_str(req, args, "data", &data) < 0 ||
	    dap_arg_bool(req, args, "allowPartial", &partial) < 0 || need_process(req) < 0)
		return;
	unsigned char *buf;
	size_t n;
	if (unbase64(data, &buf, &n) < 0)
		return (void)dap_fail(req, "data is not base64");
	size_t done = 0;
	if (target_write(dap->s->tgt, addr, buf, n) == 0) {
		done = n;
	} else if (partial) {
		while (done < n && target_write(dap->s->tgt, addr + done, buf + done, 1) == 0)
			done++;
	}
	free(buf);
	if (done == 0 && n > 0)
		return (void)dap_fail(req, "Memory write error at 0x%llx", (unsigned long long)addr);
	if (done < n && !partial)
		return (void)dap_fail(req, "Memory write error at 0x%llx", (unsigned long long)(addr + done));
	json_t *body = json_object();
	json_object_set_new(body, "bytesWritten", json_integer((json_int_t)done));
	dap_respond(req, body);
}

static int symbolize(void *user, uint64_t addr, struct sbuf *out)
{
	(void)user;
	return dap->s->sym ? sym_describe(dap->s->sym, addr, out) : -1;
}

/* Decodes one instruction at addr: 0 and *in, or -1 where memory cannot be read or decoded. */
static int decode_at(uint64_t addr, struct dis_insn *in)
{
	uint8_t buf[16];
	int got = session_read(dap->s, addr, buf, sizeof(buf));
	if (got <= 0)
		return -1;
	return dis_decode(buf, (size_t)got, addr, session_is32(dap->s), in);
}

/*
 * The address `back` instructions before addr: decoding forward from
 * back * 15 bytes before it (x86 cannot be decoded backwards) until the
 * instructions meet addr exactly.  x86 decoding falls into step within a
 * few instructions, so a start that does not meet addr is tried again one
 * byte later, at most 16 times (every phase of a 15-byte instruction):
 * linear in back.  0 when no start meets it.
 */
static uint64_t instructions_before(uint64_t addr, int back)
{
	uint64_t span = (uint64_t)back * 15;
	if (span > addr)
		span = addr;
	uint8_t *buf = xmalloc((size_t)span + 16);
	int got = session_read(dap->s, addr - span, buf, (size_t)span);
	uint64_t found = 0;
	uint64_t *starts = xmalloc(sizeof(uint64_t) * ((size_t)span + 1));
	for (uint64_t from = 0; got == (int)span && from < 16 && from + (uint64_t)back <= span && !found; from++) {
		int n = 0;
		uint64_t off = from;
		struct dis_insn in;
		while (off < span && dis_decode(buf + off, (size_t)(span - off), addr - span + off,
						session_is32(dap->s), &in) == 0) {
			starts[n++] = addr - span + off;
			off += in.len;
		}
		if (off == span && n >= back)
			found = starts[n - back];
	}
	free(starts);
	free(buf);
	return found;
}

static void req_disassemble(json_t *req, json_t *args)
{
	uint64_t addr;
	json_int_t ioff = 0, count;
	int symbols = 1;
	if (address_of(req, args, &addr) < 0 || dap_arg_int(req, args, "instructionOffset", &ioff) < 0 ||
	    dap_need_int(req, args, "instructionCount", &count) < 0 ||
	    dap_arg_bool(req, args, "resolveSymbols", &symbols) < 0 || need_process(req) < 0)
		return;
	if (count < 0 || count > MAX_INSNS || ioff < -MAX_INSNS || ioff > MAX_INSNS)
		return (void)dap_fail(req, "dr7 disassembles at most %d instructions at once", MAX_INSNS);
	struct session *s = dap->s;
	json_t *arr = json_array();
	int pad = 0;	/* instructions before any readable code */
	if (ioff < 0) {
		uint64_t start = instructions_before(addr, (int)-ioff);
		if (start)
			addr = start;
		else
			pad = (int)-ioff;
	} else {
		struct dis_insn in;
		for (json_int_t i = 0; i < ioff && decode_at(addr, &in) == 0; i++)
			addr += in.len;
	}
	const char *last_file = NULL;
	for (json_int_t i = 0; i < count; i++) {
		json_t *o = json_object();
		struct dis_insn in;
		if (pad > 0 || decode_at(addr, &in) < 0) {
			uint64_t at = pad > 0 ? addr - (uint64_t)pad : addr;
			json_object_set_new(o, "address", dap_addr_json(at));
			json_object_set_new(o, "instruction", json_string("??"));
			json_object_set_new(o, "presentationHint", json_string("invalid"));
			json_array_append_new(arr, o);
			if (pad > 0)
				pad--;
			else
				addr++;
			continue;
		}
		json_object_set_new(o, "address", dap_addr_json(addr));
		struct sbuf sb = { 0 };
		for (unsigned k = 0; k < in.len; k++)
			sb_addf(&sb, "%02x", in.bytes[k]);
		json_object_set_new(o, "instructionBytes", dap_text(sb_str(&sb)));
		sb_reset(&sb);
		dis_format_text(&in, session_is32(s), symbols ? symbolize : NULL, NULL, &sb);
		json_object_set_new(o, "instruction", dap_text(sb_str(&sb)));
		sb_reset(&sb);
		if (symbols && s->sym && sym_describe(s->sym, addr, &sb) == 0)
			json_object_set_new(o, "symbol", dap_text(sb_str(&sb)));
		sb_free(&sb);
		const char *file, *dir;
		int line;
		if (s->sym && sym_source_line_dir(s->sym, addr, &file, &line, &dir) == 0) {
			json_object_set_new(o, "line", json_integer(line));
			if (file != last_file) {
				json_t *src = json_object();
				struct sbuf path = { 0 };
				if (file[0] != '/' && dir)
					sb_addf(&path, "%s/%s", dir, file);
				else
					sb_add(&path, file);
				json_object_set_new(src, "path", dap_text(sb_str(&path)));
				sb_free(&path);
				json_object_set_new(o, "location", src);
				last_file = file;
			}
		}
		json_array_append_new(arr, o);
		addr += in.len;
	}
	json_t *body = json_object();
	json_object_set_new(body, "instructions", arr);
	dap_respond(req, body);
}

static void req_modules(json_t *req, json_t *args)
{
	json_int_t start = 0, count = 0;
	if (dap_arg_int(req, args, "startModule", &start) < 0 || dap_arg_int(req, args, "moduleCount", &count) < 0)
		return;
	struct session *s = dap->s;
	json_t *arr = json_array();
	int n = s->sym && session_has_process(s) ? sym_module_count(s->sym) : 0;
	int from = start > 0 ? (start < n ? (int)start : n) : 0;
	int to = count > 0 && count < n - from ? from + (int)count : n;
	for (int i = from; i < to; i++) {
		struct sym_module m;
		if (sym_module_get(s->sym, i, &m) < 0)
			continue;
		json_t *o = dap_module_json(m.path, m.start, m.end);
		json_object_set_new(o, "symbolStatus", dap_text(m.has_dwarf ? "Symbols and lines loaded"
							  : m.has_symtab ? "Symbols loaded" : "Exported symbols only"));
		json_array_append_new(arr, o);
	}
	json_t *body = json_object();
	json_object_set_new(body, "modules", arr);
	json_object_set_new(body, "totalModules", json_integer(n));
	dap_respond(req, body);
}

static int add_source(void *user, const char *module, const char *name, const char *dir)
{
	(void)module;
	json_t *arr = user;
	struct sbuf path = { 0 };
	if (name[0] != '/' && dir)
		sb_addf(&path, "%s/%s", dir, name);
	else
		sb_add(&path, name);
	/* Compared as sent (a path that is not UTF-8 is sent with '?'). */
	json_t *shown = dap_text(sb_str(&path));
	size_t i;
	json_t *o;
	json_array_foreach(arr, i, o) {
		const char *known = json_string_value(json_object_get(o, "path"));
		if (known && !strcmp(known, json_string_value(shown))) {
			json_decref(shown);
			sb_free(&path);
			return 0;
		}
	}
	o = json_object();
	const char *slash = strrchr(sb_str(&path), '/');
	json_object_set_new(o, "name", dap_text(slash ? slash + 1 : sb_str(&path)));
	json_object_set_new(o, "path", shown);
	json_array_append_new(arr, o);
	sb_free(&path);
	return json_array_size(arr) >= 5000;
}

static void req_loaded_sources(json_t *req, json_t *args)
{
	(void)args;
	json_t *arr = json_array();
	if (dap->s->sym && session_has_process(dap->s))
		sym_source_files(dap->s->sym, add_source, arr);
	json_t *body = json_object();
	json_object_set_new(body, "sources", arr);
	dap_respond(req, body);
}

const struct dap_request_def dap_memory_requests[] = {
	{ "readMemory", req_read_memory },
	{ "writeMemory", req_write_memory },
	{ "disassemble", req_disassemble },
	{ "modules", req_modules },
	{ "loadedSources", req_loaded_sources },
	{ NULL, NULL },
};
