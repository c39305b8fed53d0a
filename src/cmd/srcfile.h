/*
 * srcfile.h — the program's source files as the source commands read them
 * (ls, lsa, lsf, the source line at stops): where a file is found, and its
 * lines.  It prints nothing; failures set the error slot.
 *
 * Finding a file (WinDbg's "Source Code Path"): a name from the debug
 * information is tried where it says first (a relative name against the
 * current directory), then in each directory of the source path, joined
 * with the longest trailing part of the name first ("/build/x/src/a.c" in
 * directory D tries D/build/x/src/a.c, D/x/src/a.c, D/src/a.c, D/a.c).
 * The source path is one per dr7 process, as WinDbg has one per debugger:
 * directories separated by ';', empty at start unless _NT_SOURCE_PATH
 * gives one.
 *
 * Lifetime: a file is read once and kept (at most SRCFILE_CACHE of them,
 * the least recently used forgotten first).  A returned srcfile stays valid
 * until the next call here that finds, loads or unloads a file, or changes
 * the source path (which forgets every file, since names may now resolve
 * elsewhere).  Lines longer than SRCFILE_MAX_LINE bytes are cut there;
 * files of more than SRCFILE_MAX_LINES lines end there; a file larger than
 * SRCFILE_MAX_BYTES is refused (it is not source).
 */
#ifndef DR7_SRCFILE_H
#define DR7_SRCFILE_H

#define SRCFILE_CACHE 16
#define SRCFILE_MAX_LINES 1000000
#define SRCFILE_MAX_LINE 4096
#define SRCFILE_MAX_BYTES (64LL << 20)

struct srcfile;

/* The source path ("" when empty). */
const char *srcpath_get(void);
/* Replaces it (NULL or "" empties it) / appends directories to it. */
void srcpath_set(const char *dirs);
void srcpath_append(const char *dirs);

/*
 * The file the debug information (or the user, for lsf) calls name, found
 * as described above.  NULL with the error slot set to "No source found
 * for '<name>'".
 */
const struct srcfile *srcfile_find(const char *name);
/* Forgets the file asked for as name (lsf-); 0, or -1 (error slot set) when none is kept. */
int srcfile_unload(const char *name);

/* The name the file was asked for, and the path it was read from. */
const char *srcfile_name(const struct srcfile *f);
const char *srcfile_path(const struct srcfile *f);
int srcfile_nlines(const struct srcfile *f);
/* Line n (1-based) without its newline, or NULL past the end. */
const char *srcfile_line(const struct srcfile *f, int n);

#endif
