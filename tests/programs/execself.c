/* execself: runs itself again through execv, then the new image writes
 * `value` N times.  Used to check breakpoints across exec. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

volatile int value;

int main(int argc, char **argv)
{
	if (argc < 2 || strcmp(argv[1], "again")) {
		char *args[] = { argv[0], "again", NULL };
		value = 100;
		execv("/proc/self/exe", args);
		return 1;
	}
	for (int i = 0; i < 4; i++)
		value = i;
	printf("after exec value=%d\n", value);
	return 0;
}
