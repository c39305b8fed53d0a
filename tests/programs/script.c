/* script: data for .printf, aliases and script files to read; step(i) runs 5 times; exits with 0. */
#include <stdint.h>
#include <stdio.h>

/* Windows' ANSI_STRING / UNICODE_STRING layout: byte lengths, then the buffer. */
struct counted_string {
	uint16_t length;
	uint16_t maximum_length;
	const void *buffer;
};

const char greeting[] = "hello, world";
/* "wide é" and U+1F600 as a surrogate pair, in UTF-16 as Windows' L"..." is. */
const uint16_t wide[] = { 'w', 'i', 'd', 'e', ' ', 0x00e9, ' ', 0xd83d, 0xde00, 0 };
const char ansi_text[] = "counted!--not this";
struct counted_string ansi = { 8, 9, ansi_text };
struct counted_string unicode = { 8, 10, wide };
float ratio = 1.5f;
double precise = 2.25;
int values[4] = { 3, 1, 4, 1 };
volatile long total;

__attribute__((noinline)) void step(int i)
{
	total += values[i % 4] * i;
}

int main(void)
{
	for (int i = 0; i < 5; i++)
		step(i);
	printf("total=%ld\n", total);
	return 0;
}
