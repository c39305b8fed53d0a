/* build: -m32 -O2
 * count32: count.c as an optimised i386 program, whose functions begin with
 * call __x86.get_pc_thunk (position-independent code). */
#include "count.c"
