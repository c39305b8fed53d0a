/*
 * expr.h — the MASM expression evaluator of WinDbg (windbg-commands.md §2-§3).
 *
 * Pure: it reads registers, memory and symbols only through the callbacks in
 * struct expr_env, so it can be unit-tested without a process.  Evaluation
 * stops at the first character that cannot continue the expression (end of
 * string, a separator, or a token that is not an operator after a complete
 * operand), and *end points there, so each command parses the rest of its own
 * grammar ("bp foo 5", "dd 1000 L2").  *end is just past the last token
 * consumed: spaces after the expression are left for the caller ("foo 5" ends
 * at " 5").
 *
 * Semantics kept: default radix 16 (env.radix), 0x/0n/0t/0y prefixes and the
 * h suffix, backtick separators, unsigned 64-bit arithmetic, WinDbg's
 * precedence (* / mod % ; + - ; << >> >>> ; comparisons ; and & ; xor ^ ;
 * or |), unary + - not hi low, by wo dwo qwo poi, registers with or without
 * '@' (bare words are tried as number, then symbol, then register), $-pseudo
 * registers through the reg callback, `file:line` through srcline, and '.'
 * for the instruction pointer.
 *
 * Errors (returned as -1 with the util.h error slot set), in WinDbg's words:
 *   "Syntax error at '<rest>'", "Couldn't resolve error at '<rest>'",
 *   "Bad register error at '<rest>'", "Memory access error at '<rest>'",
 *   "Operand error at '<rest>'" (division by zero), "Numeric overflow at '<rest>'".
 * On error *end points at the offending text.
 *
 * @@c++(...) and @@(...) go to env->cxx; @@masm(...) is read here, inside
 * the same depth budget as parentheses.  A failure inside the inner text is
 * reported with the callee's message, *end at the "@@".
 */
#ifndef DR7_EXPR_H
#define DR7_EXPR_H

#include <stddef.h>
#include <stdint.h>

struct expr_env {
	void *user;
	int radix;		/* 16 unless `n` changed it */
	int ptrsize;		/* 8, or 4 for i386 targets: width of poi() */
	/* name excludes '@'; includes a leading '$' for pseudo-registers.
	 * Returns 0 and sets *v, or -1 when there is no such register. */
	int (*reg)(void *user, const char *name, size_t len, uint64_t *v);
	/* Returns 0 when all n bytes were read, -1 otherwise. */
	int (*mem)(void *user, uint64_t addr, void *buf, size_t n);
	/* "sym", "mod!sym", "!sym": 0 and *v = address, or -1 when unknown. */
	int (*sym)(void *user, const char *name, size_t len, uint64_t *v);
	/* Text between the grave accents of `file.c:42`; 0 and *v, or -1 (error slot set). */
	int (*srcline)(void *user, const char *text, size_t len, uint64_t *v);
	/* @@c++(text) and @@(text): text (NUL-terminated) as a C++ expression,
	 * its value as a number; 0 and *v, or -1 (error slot set).  NULL: none. */
	int (*cxx)(void *user, const char *text, uint64_t *v);
};

int expr_eval(const struct expr_env *env, const char *s, const char **end, uint64_t *val);

/*
 * The evaluator switch of windbg-commands.md §2.2: "@@c++(Text)",
 * "@@masm(Text)" or "@@(Text)" (the other evaluator than the one around
 * it) at s, with no space before the '('.  1 with *which, the text between
 * the parentheses [*inner, *inner + *len) and *end just past the closing
 * ')'; 0 when s starts none of them; -1 (error slot set) when the
 * parenthesis is not closed.  Parentheses inside "strings" and 'c'
 * literals do not count.  Nesting is the caller's: each evaluator reads
 * the inner text itself.
 */
enum expr_switch { EXPR_SWITCH_MASM, EXPR_SWITCH_CXX, EXPR_SWITCH_OTHER };
int expr_switch_at(const char *s, enum expr_switch *which, const char **inner, size_t *len,
		   const char **end);

/* True when s starts something expr_eval could parse as an operand (used by
 * commands whose arguments are optional: "bp" vs "bp foo"). */
int expr_starts_operand(const char *s);

#endif
