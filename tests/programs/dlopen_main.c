/* build: -ldl
 * dlopen_main: loads libplug.so (argv[1]) after start-up and calls plug_func twice. */
#include <dlfcn.h>
#include <stdio.h>

int main(int argc, char **argv)
{
	void *h = dlopen(argc > 1 ? argv[1] : "./libplug.so", RTLD_NOW);
	if (!h) {
		printf("dlopen failed: %s\n", dlerror());
		return 1;
	}
	int (*f)(int) = (int (*)(int))dlsym(h, "plug_func");
	int r = f(20) + f(1);
	printf("plug=%d\n", r);
	return 0;
}
