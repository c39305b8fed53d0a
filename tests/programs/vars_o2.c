/* build: -O2
 * vars_o2: the vars program (vars.c) optimized: location lists, values in
 * registers, optimized-out variables. */
#include "vars.c"
