/* build: -m32
 * sigreturn32: sigreturn.c as an i386 program (int 0x80, __restore_rt). */
#include "sigreturn.c"
