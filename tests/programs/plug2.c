/* build: -shared -fPIC
 * plug2: a library unlike libplug.so (another layout and build id), for
 * replacing it on disk while a process has it loaded. */
static volatile int pad[64];
__attribute__((noinline)) int plug2_filler(int x)
{
	for (int i = 0; i < 64; i++)
		pad[i] += x * i;
	return pad[3];
}
int plug_func(int x)
{
	return plug2_filler(x) + 1;
}
