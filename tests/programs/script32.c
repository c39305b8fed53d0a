/* build: -m32
 * script32: the script program (script.c) built for i386. */
#include "script.c"
