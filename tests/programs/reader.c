/* reader: echoes one line of its standard input, uppercased by tick(). */
#include <ctype.h>
#include <stdio.h>

__attribute__((noinline)) void tick(char *s)
{
	for (; *s; s++)
		*s = (char)toupper((unsigned char)*s);
}

int main(void)
{
	char line[256];
	if (!fgets(line, sizeof(line), stdin))
		return 1;
	tick(line);
	fputs(line, stdout);
	return 0;
}
