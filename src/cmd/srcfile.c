/*
 * srcfile.c — source files found through the debug information and the
 * source path, read once and kept (contract in srcfile.h).
 *
 * Invariants: the cache holds at most SRCFILE_CACHE files, each with every
 * line it was read with; an entry's name is the text it was asked for, so
 * the same DWARF name always finds the same entry; changing the source path
 * empties the cache.  Only regular files are read, never more than
 * SRCFILE_MAX_LINES lines of at most SRCFILE_MAX_LINE bytes each, none
 * larger than SRCFILE_MAX_BYTES and none with a NUL byte (not text).
 */
#define _GNU_SOURCE
#include "cmd/srcfile.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

#include "util/util.h"

struct srcfile {
	char *name;
	char *path;
	char **lines;
	int nlines;
	unsigned long used;	/* when it was last asked for: the least recent goes first */
};

static struct srcfile *cache[SRCFILE_CACHE];
static unsigned long use_clock;
static char *source_path;	/* NULL until first asked for: then _NT_SOURCE_PATH or "" */

static void file_free(struct srcfile *f)
{
	if (!f)
		return;
	for (int i = 0; i < f->nlines; i++)
		free(f->lines[i]);
	free(f->lines);
	free(f->name);
	free(f->path);
	free(f);
}

static void cache_clear(void)
{
	for (size_t i = 0; i < ARRAY_SIZE(cache); i++) {
		file_free(cache[i]);
		cache[i] = NULL;
	}
}

static const char *path_now(void)
{
	if (!source_path) {
		const char *env = getenv("_NT_SOURCE_PATH");
		source_path = xstrdup(env ? env : "");
	}
	return source_path;
}

const char *srcpath_get(void)
{
	return path_now();
}

void srcpath_set(const char *dirs)
{
	free(source_path);
	source_path = xstrdup(dirs ? dirs : "");
	cache_clear();
}

void srcpath_append(const char *dirs)
{
	const char *old = path_now();
	if (!dirs || !*dirs)
		return;
	struct sbuf sb = { 0 };
	sb_add(&sb, old);
	if (*old && old[strlen(old) - 1] != ';' && dirs[0] != ';')
		sb_addc(&sb, ';');
	sb_add(&sb, dirs);
	srcpath_set(sb_str(&sb));
	sb_free(&sb);
}

static int is_regular(const char *path)
{
	struct stat st;
	return stat(path, &st) == 0 && S_ISREG(st.st_mode);
}

/* Reads path whole; NULL when it cannot be opened, or (*not_text set) holds NUL bytes. */
static struct srcfile *file_read(const char *name, const char *path, int *not_text)
{
	FILE *fp = fopen(path, "r");
	if (!fp)
		return NULL;
	struct srcfile *f = xcalloc(1, sizeof(*f));
	f->name = xstrdup(name);
	f->path = xstrdup(path);
	char *l = NULL;
	size_t cap = 0;
	ssize_t n;
	int room = 0;
	while (f->nlines < SRCFILE_MAX_LINES && (n = getline(&l, &cap, fp)) >= 0) {
		if (memchr(l, 0, (size_t)n)) {
			/* NUL bytes: an object file or data, not source. */
			*not_text = 1;
			free(l);
			fclose(fp);
			file_free(f);
			return NULL;
		}
		size_t len = strcspn(l, "\r\n");
		if (len > SRCFILE_MAX_LINE)
			len = SRCFILE_MAX_LINE;
		if (f->nlines == room) {
			room = room ? room * 2 : 256;
			f->lines = xrealloc(f->lines, sizeof(*f->lines) * (size_t)room);
		}
		f->lines[f->nlines++] = xstrndup(l, len);
	}
	free(l);
	fclose(fp);
	return f;
}

/* The directories of the source path, one at a time: *p moves past the one returned. */
static char *next_dir(const char **p)
{
	while (**p == ';' || **p == ' ' || **p == '\t')
		(*p)++;
	if (!**p)
		return NULL;
	size_t n = strcspn(*p, ";");
	char *d = xstrndup(*p, n);
	*p += n;
	while (n && (d[n - 1] == ' ' || d[n - 1] == '\t' || (n > 1 && d[n - 1] == '/')))
		d[--n] = 0;
	return d;
}

/* Where name is: as it stands, else in the source path; malloc'ed, or NULL. */
static char *locate(const char *name)
{
	if (is_regular(name))
		return xstrdup(name);
	const char *dirs = path_now();
	char *dir;
	while ((dir = next_dir(&dirs)) != NULL) {
		/* Longest trailing part first: "a/b/c.c", then "b/c.c", then "c.c". */
		for (const char *tail = name; tail; tail = strchr(tail, '/')) {
			while (*tail == '/')
				tail++;
			if (!*tail)
				break;
			struct sbuf sb = { 0 };
			sb_addf(&sb, "%s/%s", dir, tail);
			if (is_regular(sb_str(&sb))) {
				free(dir);
				char *found = xstrdup(sb_str(&sb));
				sb_free(&sb);
				return found;
			}
			sb_free(&sb);
		}
		free(dir);
	}
	return NULL;
}

static struct srcfile **cached(const char *name)
{
	for (size_t i = 0; i < ARRAY_SIZE(cache); i++)
		if (cache[i] && !strcmp(cache[i]->name, name))
			return &cache[i];
	return NULL;
}

const struct srcfile *srcfile_find(const char *name)
{
	if (!name || !*name) {
		err_set("No source found for ''");
		return NULL;
	}
	struct srcfile **hit = cached(name);
	if (hit) {
		(*hit)->used = ++use_clock;
		return *hit;
	}
	char *path = locate(name);
	struct stat st;
	if (path && stat(path, &st) == 0 && st.st_size > SRCFILE_MAX_BYTES) {
		err_set("Source file '%s' is too large to list (%lld bytes)", path, (long long)st.st_size);
		free(path);
		return NULL;
	}
	int not_text = 0;
	struct srcfile *f = path ? file_read(name, path, &not_text) : NULL;
	if (!f) {
		if (not_text)
			err_set("Source file '%s' is not text", path);
		else
			err_set("No source found for '%s'", name);
		free(path);
		return NULL;
	}
	free(path);
	size_t slot = 0;
	for (size_t i = 0; i < ARRAY_SIZE(cache); i++) {
		if (!cache[i]) {
			slot = i;
			break;
		}
		if (cache[i]->used < cache[slot]->used)
			slot = i;
	}
	file_free(cache[slot]);
	cache[slot] = f;
	f->used = ++use_clock;
	return f;
}

int srcfile_unload(const char *name)
{
	struct srcfile **hit = cached(name);
	if (!hit)
		return err_set("Source file '%s' is not loaded", name);
	file_free(*hit);
	*hit = NULL;
	return 0;
}

const char *srcfile_name(const struct srcfile *f)
{
	return f->name;
}

const char *srcfile_path(const struct srcfile *f)
{
	return f->path;
}

int srcfile_nlines(const struct srcfile *f)
{
	return f->nlines;
}

const char *srcfile_line(const struct srcfile *f, int n)
{
	return n >= 1 && n <= f->nlines ? f->lines[n - 1] : NULL;
}
