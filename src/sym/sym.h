/*
 * sym.h — modules, symbols, source lines and stack unwinding: a facade over
 * elfutils' libdwfl.  Only the DWARF variable files (symvar_internal.h)
 * and symifunc.c (relocations), through sym_dwfl, also include
 * <elfutils/...>.
 *
 * A sym_table describes one process image, seen only through struct
 * sym_process (so any backend serves: memory reads, the auxiliary vector,
 * the executable's path).  sym_refresh() re-reads its module list: the main
 * program, the interpreter and the vDSO from the auxiliary vector, the
 * shared objects from the dynamic linker's link map; it is called at start,
 * after exec and at each dynamic-linker notification, never on the hit path.
 * An exec noticed by sym_refresh (a new auxiliary vector) starts over.
 * Module names follow windbg-commands.md §11.4: DT_SONAME if present, else
 * the file's basename; drop the last ".suffix"; every character outside
 * [A-Za-z0-9_] becomes '_' (libc.so.6 -> libc_so, the program "demo" -> demo).
 * Symbol names match case-insensitively with an exact-case preference.
 * Stripped objects still give their .dynsym symbols.  Corrupt ELF or DWARF
 * must never crash: a module whose debug data cannot be read simply has less.
 *
 * No function here prints.  Returned strings stay valid until the next
 * sym_refresh() or sym_close().
 */
#ifndef DR7_SYM_H
#define DR7_SYM_H

#include <stdint.h>
#include <stddef.h>

#include "x86/regs.h"
#include "util/util.h"

struct sym_table;

struct sym_module {
	const char *name;	/* WinDbg-style module name */
	const char *path;	/* file as mapped */
	uint64_t start, end;	/* lowest mapped address, first address after the last mapping */
	uint64_t bias;		/* load bias: runtime address = file address + bias */
	int has_dwarf;		/* DWARF debug info found (in the file or a separate debug file) */
	int has_symtab;		/* a .symtab (not only .dynsym) */
	const char *build_id;	/* GNU build id in hex, "" when none */
	const char *debug_file;	/* the separate debug file read, or NULL (the file's own, or none) */
	const char *symbol_source;	/* what sent debug_file ("debuginfod URL"), NULL when local */
};

/*
 * How the symbol layer reaches the process.  Every function is required.
 *   is32       the image's word size now (1: i386, 0: x86-64); exec may change it
 *   read       bytes read from addr, like target_read: breakpoint bytes
 *              hidden, short (or -1) at unreadable memory
 *   read_auxv  the raw auxiliary vector: bytes copied (at most n), or -1
 *              with the error slot set
 *   exe_path   the executable's path, NUL-terminated: 0, or -1
 */
struct sym_process {
	void *user;
	int (*is32)(void *user);
	int (*read)(void *user, uint64_t addr, void *buf, size_t n);
	int (*read_auxv)(void *user, void *buf, size_t n);
	int (*exe_path)(void *user, char *buf, size_t n);
};

/* proc is copied; its user must outlive the table.  NULL (error slot set)
 * when not even one module can be found. */
struct sym_table *sym_open(const struct sym_process *proc);
void sym_close(struct sym_table *st);
/* Re-reads the module list.  *changed (if non-NULL) is set when the set of
 * modules differs from before.  Returns 0 or -1. */
int sym_refresh(struct sym_table *st, int *changed);

/*
 * The symbol path (.sympath, symsrv.c): where separate debug information
 * is looked for after libdwfl's standard places.  ';'-separated entries:
 * a directory (searched like /usr/lib/debug: its .build-id tree and
 * .gnu_debuglink names), srv*[Cache*]URL / DebugInfoD*URL (a debuginfod
 * server asked by build id; Cache its cache directory), cache*Dir (the
 * cache of the servers after it).  One path for the whole program.  0, or
 * -1 (error slot set: the bad entry) with the path unchanged.  It applies
 * to modules read from then on; sym_reload reads every module again.
 */
int sym_path_set(const char *path);
const char *sym_path_get(void);
/* Forgets every module's symbols and reads the module list again, so the
 * next question about a module searches for its debug information anew. */
int sym_reload(struct sym_table *st);

int sym_module_count(struct sym_table *st);
int sym_module_get(struct sym_table *st, int i, struct sym_module *out);
/* Module containing addr; 0 or -1. */
int sym_module_at(struct sym_table *st, uint64_t addr, struct sym_module *out);
/* Module by WinDbg name (case-insensitive); 0 or -1. */
int sym_module_by_name(struct sym_table *st, const char *name, struct sym_module *out);

/*
 * Address of a symbol: "name", "module!name" or "!name" (functions and
 * data; ELF symtab/dynsym).  For a name without module the main program is
 * searched first, then the others in load order.  0, or -1 (error slot set
 * to "Couldn't resolve error at '<name>'").
 */
int sym_lookup(struct sym_table *st, const char *name, uint64_t *addr);

/*
 * "module!symbol+0xNN" for addr ("+0xNN" omitted when 0), "module+0xNN"
 * when the module has no covering symbol.  Returns 0, or -1 when addr is in
 * no module (out untouched).
 */
int sym_describe(struct sym_table *st, uint64_t addr, struct sbuf *out);

/* The function (symbol) containing addr: start, size and "module!name". */
struct sym_func {
	uint64_t start;
	uint64_t size;
	const char *name;	/* bare symbol name */
	const char *module;	/* WinDbg module name */
};
int sym_function_at(struct sym_table *st, uint64_t addr, struct sym_func *out);

/* Nearest symbols before (or at) and after addr, for `ln`.  Missing ones
 * have start 0 and name NULL.  Returns 0, or -1 when addr is in no module. */
int sym_nearest(struct sym_table *st, uint64_t addr, struct sym_func *before, struct sym_func *after);

/*
 * Calls fn for each symbol whose module matches modpat and whose name
 * matches sympat (WinDbg wildcards, case-insensitive; modpat NULL = all
 * modules).  Only functions when functions_only.  Each (module, name,
 * address) is reported once, in module load order then address order.
 * fn returns non-zero to stop.  Returns the number of symbols reported.
 */
typedef int (*sym_enum_fn)(void *user, const struct sym_module *mod, const char *name,
			   uint64_t addr, uint64_t size, int is_function);
int sym_enumerate(struct sym_table *st, const char *modpat, const char *sympat,
		  int functions_only, sym_enum_fn fn, void *user);

/* Source file and line of addr from DWARF; 0, or -1 when unknown. */
int sym_source_line(struct sym_table *st, uint64_t addr, const char **file, int *line);
/* The same, and the directory a relative file name is relative to (the
 * unit's DW_AT_comp_dir; NULL when it has none). */
int sym_source_line_dir(struct sym_table *st, uint64_t addr, const char **file, int *line, const char **dir);
/*
 * Calls fn for the primary source file of each compilation unit of every
 * module with DWARF (name as the unit names it, dir its DW_AT_comp_dir or
 * NULL); fn returns non-zero to stop.  Returns how many were reported.
 */
typedef int (*sym_source_fn)(void *user, const char *module, const char *name, const char *dir);
int sym_source_files(struct sym_table *st, sym_source_fn fn, void *user);

/*
 * Address of the first instruction of a source line: "file.c:42",
 * "module!file.c:42" (file matched by path suffix).  Uses the lowest
 * is_stmt address for that line; when the line has no code, the next line
 * that has.  0, or -1 (error slot set).
 */
int sym_line_address(struct sym_table *st, const char *spec, uint64_t *addr);

/*
 * The libdwfl session behind the table, for symvar.c (DWARF variables and
 * types), the one other file that reads DWARF.  It stays valid until the
 * next sym_refresh() or sym_close(); NULL when there is none.
 */
struct Dwfl;
struct Dwfl *sym_dwfl(struct sym_table *st);

/* Bytes of the process through the table's sym_process.read (its return value). */
int sym_read(struct sym_table *st, uint64_t addr, void *buf, size_t n);

/*
 * GNU indirect functions (STT_GNU_IFUNC: glibc's memcmp, strlen, memcpy):
 * the symbol's address is a resolver that returns the implementation the
 * program calls.  When addr is the start of one, sym_ifunc_target reads
 * the implementation from a relocated GOT slot that holds it (symifunc.c):
 * the defining module's R_*_IRELATIVE slot whose addend is the resolver
 * (applied while the dynamic linker relocates, before the initial
 * breakpoint), else any module's R_*_JUMP_SLOT or R_*_GLOB_DAT slot for
 * the symbol's name once bound.  A slot counts only when it holds an
 * address inside the defining module other than the resolver (an
 * unrelocated slot holds a file value or a PLT stub elsewhere).
 * 1: addr is no indirect function's; 0 with *impl; -1 (error slot set)
 * when it is one but no slot is relocated yet.
 */
int sym_ifunc_target(struct sym_table *st, uint64_t addr, uint64_t *impl);
/* Whether an STT_GNU_IFUNC symbol starts at addr (cheap: the sorted symbol table). */
int sym_is_ifunc(struct sym_table *st, uint64_t addr);

/* Entry point (ELF e_entry + bias) of the main program; 0 when unknown. */
uint64_t sym_main_entry(struct sym_table *st);

/* struct regs index of DWARF register dw (x86-64 or i386 psABI numbering), or -1. */
int sym_dwarf_reg(int is32, uint64_t dw);
/* The DWARF number of struct regs index idx, or -1. */
int sym_reg_dwarf(int is32, int idx);

/*
 * Call-stack unwinding with DWARF CFI (.eh_frame/.debug_frame) through
 * libdwfl's unwinder (falling back to the frame pointer where a frame has
 * no CFI), from one thread's registers: the one unwinder behind k, kp,
 * .frame, dv and ?? in outer frames, gu and the depth filters.  Frame 0
 * uses regs; memory comes through the table's sym_process.read.  is32 must
 * match the process.  For each frame, fn gets its index, pc (for frames > 0
 * the return address), the CFA-based stack pointer (Child-SP: the frame's
 * rsp), whether pc is a return address (frames > 0: look it up at pc-1)
 * and the frame's registers: regs holds those whose bit (DWARF number) is
 * set in valid.  Frame 0 has all of regs (SYM_ALL_REGS).  Above it, with
 * SYM_UNWIND_REGS in flags, a register is valid when the callee's CFI
 * restored it, or when it is callee-saved in the SysV ABI and the callee's
 * CFI has no rule for it (so it still holds the value it had in the
 * callee); the others are unknown, never guessed.  Without the flag frames
 * above 0 carry no registers (valid 0), which saves a CFI lookup per frame
 * for callers that only count frames or need pcs.  At most max frames.
 * Returns the number of frames, or -1.
 */
/*
 * The CFI rule for the canonical frame address at lookup (a frame's pc, or
 * its return address minus 1), for kv: which table has it (.eh_frame is
 * searched first, as the unwinder does) and, when it is "register +
 * offset", the DWARF register and the offset (reg -1: a DWARF expression,
 * or no rule).  SYM_CFI_NONE when no CFI covers lookup (the unwinder then
 * follows the frame pointer).  0, or -1 without a symbol table.
 */
enum sym_cfi_source { SYM_CFI_NONE, SYM_CFI_EH_FRAME, SYM_CFI_DEBUG_FRAME };
struct sym_cfa_rule {
	enum sym_cfi_source source;
	int reg;
	int64_t offset;
};
int sym_cfa_rule(struct sym_table *st, uint64_t lookup, struct sym_cfa_rule *out);

#define SYM_ALL_REGS 0x1ffffu
#define SYM_UNWIND_REGS 1u
struct sym_frame {
	int index;
	uint64_t pc;
	uint64_t sp;
	int is_return_address;
	struct regs regs;
	uint32_t valid;
};
typedef int (*sym_frame_fn)(void *user, const struct sym_frame *frame);
int sym_unwind(struct sym_table *st, const struct regs *regs, int is32, int max, unsigned flags,
	       sym_frame_fn fn, void *user);

#endif
