/* rc_textcheck: compares every executable file-backed mapping of process
 * argv[1] with the bytes of its file, and prints each difference as
 * "ADDR: FILE_BYTE -> MEMORY_BYTE PATH" (at most 16).  Prints "text clean"
 * and exits 0 when memory matches the files: a debugger that detached left
 * no int3 (0xCC) behind.  Exits 1 on a difference, 2 when it cannot look. */
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/types.h>
#include <unistd.h>

int main(int argc, char **argv)
{
	if (argc < 2)
		return 2;
	char path[64];
	snprintf(path, sizeof(path), "/proc/%s/maps", argv[1]);
	FILE *maps = fopen(path, "r");
	snprintf(path, sizeof(path), "/proc/%s/mem", argv[1]);
	int mem = open(path, O_RDONLY);
	if (!maps || mem < 0) {
		printf("cannot read process %s\n", argv[1]);
		return 2;
	}
	char line[4096];
	int diffs = 0, mappings = 0;
	while (fgets(line, sizeof(line), maps)) {
		unsigned long start, end, offset;
		char perms[8], file[4096];
		file[0] = 0;
		if (sscanf(line, "%lx-%lx %7s %lx %*s %*s %4095[^\n]", &start, &end, perms, &offset, file) < 4)
			continue;
		if (perms[2] != 'x' || file[0] != '/')
			continue;
		int fd = open(file, O_RDONLY);
		if (fd < 0) {
			printf("cannot open %s\n", file);
			return 2;
		}
		size_t len = end - start;
		unsigned char *want = calloc(1, len), *got = calloc(1, len);
		ssize_t nfile = pread(fd, want, len, (off_t)offset);
		ssize_t nmem = pread(mem, got, len, (off_t)start);
		close(fd);
		if (nfile < 0 || nmem < nfile) {
			printf("cannot read %lx-%lx of %s\n", start, end, file);
			return 2;
		}
		mappings++;
		/* Past the end of the file the mapping is zero fill, not text. */
		for (ssize_t i = 0; i < nfile; i++) {
			if (want[i] == got[i])
				continue;
			if (diffs++ < 16)
				printf("%lx: %02x -> %02x %s\n", start + (unsigned long)i, want[i], got[i], file);
		}
		free(want);
		free(got);
	}
	if (!mappings) {
		printf("no executable mapping in process %s\n", argv[1]);
		return 2;
	}
	if (diffs) {
		printf("%d bytes of text differ from the files\n", diffs);
		return 1;
	}
	printf("text clean\n");
	return 0;
}
