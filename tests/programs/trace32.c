/* build: -m32 -pthread
 * trace32: trace.c as an i386 program. */
#include "trace.c"
