/* build: -ldl
 * dlopen_main: loads libplug.so (argv[1]) after start-up and calls plug_func
 * twice; with argv[2] "reload" it then closes the library, calls
 * between_loads(), opens it again and calls plug_func once more. */
#include <dlfcn.h>
#include <stdio.h>
#include <string.h>

__attribute__((noinline)) void between_loads(void)
{
}

static int call_plug(const char *path, int a, int b)
{
	void *h = dlopen(path, RTLD_NOW);
	if (!h) {
		printf("dlopen failed: %s\n", dlerror());
		return -1;
	}
	int (*f)(int) = (int (*)(int))dlsym(h, "plug_func");
	int r = f(a) + (b ? f(b) : 0);
	dlclose(h);
	return r;
}

int main(int argc, char **argv)
{
	const char *path = argc > 1 ? argv[1] : "./libplug.so";
	printf("plug=%d\n", call_plug(path, 20, 1));
	if (argc > 2 && !strcmp(argv[2], "reload")) {
		between_loads();
		printf("again=%d\n", call_plug(path, 5, 0));
	}
	return 0;
}
