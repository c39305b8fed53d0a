/* build: -m32
 * syntax32: syntax.c as an i386 program (its indirect functions are reached
 * only through lazily bound PLT slots). */
#include "syntax.c"
