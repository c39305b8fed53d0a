/*
 * symsrv.c — the symbol path (.sympath) and the search for separate debug
 * information that follows it (contract in symsrv.h and sym.h).
 *
 * The path is WinDbg's: entries separated by ';'.  A directory is searched
 * as libdwfl searches /usr/lib/debug (its .build-id tree, and the
 * .gnu_debuglink name under the file's own directory): it is appended to
 * libdwfl's debuginfo_path.  A server entry (`srv*[Cache*]URL`,
 * `symsrv*...*URL`, `DebugInfoD*URL`, or `cache*Dir` for the entries after
 * it) is a debuginfod server asked by build id through libdebuginfod, in
 * path order, after everything local failed; Cache becomes that query's
 * DEBUGINFOD_CACHE_PATH.  libdebuginfod reads the servers from
 * DEBUGINFOD_URLS when it queries (as gdb sets them), so each query sets
 * it to that entry's server and puts the user's value back afterwards.
 *
 * Invariants: the path changes whole or not at all; the record of which
 * server sent which file outlives every table (files stay in the cache).
 * Nothing here prints.
 */
#define _GNU_SOURCE
#include "sym/symsrv.h"

#include <elfutils/debuginfod.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <unistd.h>

#include "sym/sym.h"
#include "util/util.h"

char *symsrv_debuginfo_path;

struct server {
	char *url;
	char *cache;		/* NULL: the client's default (DEBUGINFOD_CACHE_PATH, ~/.cache) */
};

static struct {
	char *text;		/* as the user gave it ("" when empty) */
	struct server *servers;
	int nservers;
} path;

/* Debug files servers sent: path -> "debuginfod URL". */
static struct fetched {
	char *file;
	char *source;
} *fetched;
static int nfetched;

static debuginfod_client *client;

static int is_url(const char *s)
{
	return !strncmp(s, "http://", 7) || !strncmp(s, "https://", 8) || !strncmp(s, "file://", 7);
}

static void servers_free(struct server *v, int n)
{
	for (int i = 0; i < n; i++) {
		free(v[i].url);
		free(v[i].cache);
	}
	free(v);
}

/* Splits s at sep into malloc'd pieces (empty pieces kept). */
static char **split(const char *s, char sep, int *n)
{
	char **v = NULL;
	*n = 0;
	for (;;) {
		const char *e = strchr(s, sep);
		size_t len = e ? (size_t)(e - s) : strlen(s);
		v = xrealloc(v, sizeof(*v) * (size_t)(*n + 1));
		v[(*n)++] = xstrndup(s, len);
		if (!e)
			return v;
		s = e + 1;
	}
}

static void pieces_free(char **v, int n)
{
	for (int i = 0; i < n; i++)
		free(v[i]);
	free(v);
}

int sym_path_set(const char *text)
{
	int n;
	char **entries = split(text ? text : "", ';', &n);
	struct sbuf dirs = { 0 };
	struct server *servers = NULL;
	int nservers = 0;
	char *cache = NULL;	/* cache*Dir: for the server entries after it */
	int rc = 0;
	for (int i = 0; i < n && rc == 0; i++) {
		char *e = entries[i];
		while (*e == ' ' || *e == '\t')
			e++;
		size_t len = strlen(e);
		while (len && (e[len - 1] == ' ' || e[len - 1] == '\t'))
			e[--len] = 0;
		if (!*e)
			continue;
		if (!strchr(e, '*')) {
			if (is_url(e)) {
				rc = err_set("Symbol path entry '%s': a server is written srv*%s", e, e);
				break;
			}
			if (strchr(e, ':')) {
				rc = err_set("Symbol path entry '%s': a directory may not contain ':'", e);
				break;
			}
			sb_addf(&dirs, ":%s", e);
			continue;
		}
		int k;
		char **parts = split(e, '*', &k);
		if (!strcasecmp(parts[0], "cache")) {
			free(cache);
			cache = k > 1 && parts[1][0] ? xstrdup(parts[1]) : NULL;
		} else if (!strcasecmp(parts[0], "srv") || !strcasecmp(parts[0], "symsrv") ||
			   !strcasecmp(parts[0], "debuginfod")) {
			/* srv*[Cache*...]URL: the URLs are servers; the first other piece is the cache. */
			char *entry_cache = NULL;
			int urls = 0;
			for (int j = 1; j < k; j++) {
				if (is_url(parts[j])) {
					servers = xrealloc(servers, sizeof(*servers) * (size_t)(nservers + 1));
					servers[nservers].url = xstrdup(parts[j]);
					servers[nservers].cache = entry_cache ? xstrdup(entry_cache)
							 : cache ? xstrdup(cache) : NULL;
					nservers++;
					urls++;
				} else if (parts[j][0] && !entry_cache && strcasecmp(parts[0], "symsrv")) {
					entry_cache = parts[j];
				}
			}
			if (!urls)
				rc = err_set("Symbol path entry '%s': no server URL (http://, https://); dr7 has no default symbol server", e);
		} else {
			rc = err_set("Symbol path entry '%s': not a directory, srv*, cache* or DebugInfoD* entry", e);
		}
		pieces_free(parts, k);
	}
	free(cache);
	if (rc) {
		pieces_free(entries, n);
		sb_free(&dirs);
		servers_free(servers, nservers);
		return -1;
	}
	/* The path as given, without its empty entries and blanks (trimmed above). */
	struct sbuf shown = { 0 };
	for (int i = 0; i < n; i++) {
		const char *e = entries[i];
		while (*e == ' ' || *e == '\t')
			e++;
		if (*e)
			sb_addf(&shown, "%s%s", shown.len ? ";" : "", e);
	}
	pieces_free(entries, n);
	free(path.text);
	path.text = xstrdup(sb_str(&shown));
	sb_free(&shown);
	servers_free(path.servers, path.nservers);
	path.servers = servers;
	path.nservers = nservers;
	free(symsrv_debuginfo_path);
	symsrv_debuginfo_path = NULL;
	if (dirs.len) {
		/* libdwfl's default places first (":.debug:/usr/lib/debug"), then ours. */
		struct sbuf p = { 0 };
		sb_addf(&p, ":.debug:/usr/lib/debug%s", sb_str(&dirs));
		symsrv_debuginfo_path = xstrdup(sb_str(&p));
		sb_free(&p);
	}
	sb_free(&dirs);
	return 0;
}

const char *sym_path_get(void)
{
	return path.text ? path.text : "";
}

static void remember(const char *file, const char *url)
{
	for (int i = 0; i < nfetched; i++)
		if (!strcmp(fetched[i].file, file))
			return;
	fetched = xrealloc(fetched, sizeof(*fetched) * (size_t)(nfetched + 1));
	fetched[nfetched].file = xstrdup(file);
	struct sbuf sb = { 0 };
	sb_addf(&sb, "debuginfod %s", url);
	fetched[nfetched].source = xstrdup(sb_str(&sb));
	sb_free(&sb);
	nfetched++;
}

/* Sets (value non-NULL) or unsets name, returning the old value (malloc'd, or NULL). */
static char *swap_env(const char *name, const char *value)
{
	const char *old = getenv(name);
	char *saved = old ? xstrdup(old) : NULL;
	if (value)
		setenv(name, value, 1);
	else
		unsetenv(name);
	return saved;
}

static void restore_env(const char *name, char *saved)
{
	if (saved)
		setenv(name, saved, 1);
	else
		unsetenv(name);
	free(saved);
}

/* Asks one server for the debug file of build id; an open fd, or -1. */
static int ask_server(const struct server *srv, const unsigned char *id, int len, char **file)
{
	if (!client)
		client = debuginfod_begin();
	if (!client)
		return -1;
	char *urls = swap_env(DEBUGINFOD_URLS_ENV_VAR, srv->url);
	char *cache = srv->cache ? swap_env(DEBUGINFOD_CACHE_PATH_ENV_VAR, srv->cache) : NULL;
	char *got = NULL;
	int fd = debuginfod_find_debuginfo(client, id, len, &got);
	if (srv->cache)
		restore_env(DEBUGINFOD_CACHE_PATH_ENV_VAR, cache);
	restore_env(DEBUGINFOD_URLS_ENV_VAR, urls);
	if (fd < 0) {
		free(got);
		return -1;
	}
	if (got) {
		remember(got, srv->url);
		*file = got;
	}
	return fd;
}

int symsrv_find_debuginfo(Dwfl_Module *mod, void **userdata, const char *modname, Dwarf_Addr base,
			  const char *file_name, const char *debuglink_file, GElf_Word debuglink_crc,
			  char **debuginfo_file_name)
{
	int fd = dwfl_standard_find_debuginfo(mod, userdata, modname, base, file_name, debuglink_file,
					      debuglink_crc, debuginfo_file_name);
	if (fd >= 0 || !path.nservers)
		return fd;
	const unsigned char *id = NULL;
	GElf_Addr id_vaddr;
	int len = dwfl_module_build_id(mod, &id, &id_vaddr);
	if (len <= 0)
		return -1;
	for (int i = 0; i < path.nservers; i++) {
		char *file = NULL;
		fd = ask_server(&path.servers[i], id, len, &file);
		if (fd >= 0) {
			free(*debuginfo_file_name);
			*debuginfo_file_name = file;
			return fd;
		}
	}
	return -1;
}

const char *symsrv_source(const char *file)
{
	if (!file)
		return NULL;
	for (int i = 0; i < nfetched; i++)
		if (!strcmp(fetched[i].file, file))
			return fetched[i].source;
	/* libdwfl's own client (DEBUGINFOD_URLS) keeps its files in its cache. */
	const char *cache = getenv(DEBUGINFOD_CACHE_PATH_ENV_VAR);
	size_t n = cache ? strlen(cache) : 0;
	if ((n && !strncmp(file, cache, n) && file[n] == '/') || strstr(file, "/debuginfod_client/"))
		return "debuginfod (DEBUGINFOD_URLS)";
	return NULL;
}
