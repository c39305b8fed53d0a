/*
 * symsrv.h — where separate debug information comes from: the symbol path
 * (.sympath) and libdwfl's find_debuginfo callback that follows it
 * (symsrv.c).  Only sym.c includes this header; the path itself is set
 * through sym.h (sym_path_set).
 */
#ifndef DR7_SYMSRV_H
#define DR7_SYMSRV_H

#include <elfutils/libdwfl.h>

/* libdwfl's debuginfo_path for the current symbol path (its default
 * places, then the path's directories); NULL: libdwfl's default. */
extern char *symsrv_debuginfo_path;

/*
 * Dwfl_Callbacks.find_debuginfo: libdwfl's standard search (the file, its
 * .debug directory, /usr/lib/debug, the path's directories, by build id
 * and .gnu_debuglink, and debuginfod when DEBUGINFOD_URLS is set), then
 * each server of the symbol path by build id through libdebuginfod.
 */
int symsrv_find_debuginfo(Dwfl_Module *mod, void **userdata, const char *modname, Dwarf_Addr base,
			  const char *file_name, const char *debuglink_file, GElf_Word debuglink_crc,
			  char **debuginfo_file_name);

/* What provided the debug file at path: "debuginfod URL" when a server of
 * the path (or of DEBUGINFOD_URLS) sent it, else NULL (a local file). */
const char *symsrv_source(const char *path);

#endif
