/*
 * cond.c — /w breakpoint conditions.  A condition is compiled once, when the
 * breakpoint is set, and evaluated at each hit through session.cond_eval.
 */
#include <stdlib.h>

#include "session.h"

int cond_compile(struct session *s, const char *text, void **out)
{
	(void)s;
	(void)text;
	*out = NULL;
	return err_set("not supported: /w conditions need the C expression evaluator, which dr7 does not have yet");
}

int cond_eval(struct session *s, void *cond, pid_t tid, int *result)
{
	(void)s;
	(void)cond;
	(void)tid;
	*result = 1;
	return err_set("not supported: /w conditions");
}

void cond_free(void *cond)
{
	free(cond);
}
