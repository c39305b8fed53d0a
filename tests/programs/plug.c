/* build: -shared -fPIC
 * plug: the library dlopen_main loads at run time. */
int plug_calls;

int plug_func(int x)
{
	plug_calls++;
	return x * 2;
}
