/* emulate: one instruction of every kind dr7 emulates under a breakpoint
 * (each at a label emu_iNN), then prints the registers, flags and stack
 * stores they produced.  Run with and without breakpoints, the output must
 * be the same. */
#include <stdint.h>
#include <stdio.h>

void emu_seq(uint64_t *out);
uint64_t emu_data[2] = { 0x1122334455667788ULL, 0x00000000cafef00dULL };

__asm__(".text\n"
	".globl emu_seq\n"
	".type emu_seq,@function\n"
	"emu_seq:\n"
	"emu_i00: endbr64\n"
	"emu_i01: push %rbp\n"
	"emu_i02: mov %rsp,%rbp\n"
	"emu_i03: push %rbx\n"
	"emu_i04: push %r12\n"
	"emu_i05: mov %rdi,%r12\n"
	"emu_i06: sub $0x18,%rsp\n"
	"pushfq\n pop %r10\n mov %r10,64(%r12)\n"
	"emu_i07: add $0x8,%rsp\n"
	"emu_i08: sub $0x1000,%rsp\n"
	"emu_i09: add $0x1000,%rsp\n"
	"emu_i10: lea 0x10(%rip),%rax\n"
	"emu_i11: lea -0x20(%rbp),%rcx\n"
	"emu_i12: lea 8(%rax,%rcx,2),%rdx\n"
	"emu_i13: mov $0x12345678,%eax\n"
	"emu_i14: mov $-1,%rsi\n"
	"emu_i15: mov %esi,%r9d\n"
	"emu_i16: nop\n"
	"emu_i17: nopl 0(%rax,%rax,1)\n"
	"emu_i18: mov $0x7fffffff,%ebx\n"
	"emu_i19: add $1,%ebx\n"
	"pushfq\n pop %r10\n mov %r10,72(%r12)\n"
	"emu_i20: sub $0x80000000,%ebx\n"
	"pushfq\n pop %r10\n mov %r10,80(%r12)\n"
	"emu_i21: add $-1,%rsi\n"
	"pushfq\n pop %r10\n mov %r10,88(%r12)\n"
	"emu_i22: sub $0xf,%r9\n"
	"pushfq\n pop %r10\n mov %r10,96(%r12)\n"
	"emu_i23: mov emu_data(%rip),%r11\n"
	"emu_i24: mov emu_data+8(%rip),%r10d\n"
	"emu_i25: mov %r11,128(%r12)\n"
	"emu_i26: movl $0x55aa,136(%r12)\n"
	"emu_i27: movb $0x7f,140(%r12)\n"
	"emu_i28: mov %r10d,144(%r12)\n"
	"emu_i29: cmp $0x10,%r11d\n"
	"pushfq\n pop %r8\n mov %r8,152(%r12)\n"
	"emu_i30: cmp %rsi,%r11\n"
	"pushfq\n pop %r8\n mov %r8,160(%r12)\n"
	"mov %r11,168(%r12)\n"
	"emu_i32: call emu_leaf\n"
	"emu_i33: jmp 1f\n"
	"ud2\n"
	"1:\n"
	"mov %rax,0(%r12)\n mov %rbx,8(%r12)\n mov %rcx,16(%r12)\n mov %rdx,24(%r12)\n"
	"mov %rsi,32(%r12)\n mov %r9,40(%r12)\n mov %rsp,48(%r12)\n mov %rbp,56(%r12)\n"
	"mov -8(%rbp),%r10\n mov %r10,104(%r12)\n mov -16(%rbp),%r10\n mov %r10,112(%r12)\n"
	"mov 0(%rbp),%r10\n mov %r10,120(%r12)\n"
	"lea -16(%rbp),%rsp\n pop %r12\n pop %rbx\n pop %rbp\n"
	"emu_i31: ret\n"
	".size emu_seq, .-emu_seq\n"
	"emu_leaf:\n"
	"emu_i34: ret\n");

int main(void)
{
	uint64_t out[22] = { 0 };
	emu_seq(out);
	for (int i = 0; i < 22; i++) {
		/* flags: the arithmetic ones (CF PF AF ZF SF OF) */
		int is_flags = (i >= 8 && i <= 12) || i == 19 || i == 20;
		uint64_t v = is_flags ? out[i] & 0x8d5 : out[i];
		printf("out[%d]=%016llx\n", i, (unsigned long long)v);
	}
	return 0;
}
