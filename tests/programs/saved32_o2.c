/* build: -m32 -O2
 * saved32_o2: the saved_o2 program (saved_o2.c) built for i386. */
#include "saved_o2.c"
