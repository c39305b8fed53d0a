/* build: -m32
 * vars32: the vars program (vars.c) built for i386. */
#include "vars.c"
