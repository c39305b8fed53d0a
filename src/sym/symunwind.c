/*
 * symunwind.c — the registers of outer frames by CFI unwinding (contract
 * at symvar_unwind in symvar.h): for each frame, the CFA rule and the
 * register rules that .eh_frame (else .debug_frame) gives for its pc, run
 * on symeval.c's stack machine.
 *
 * Invariants: at most 4096 frames; memory is read only through the
 * caller's function (which hides breakpoint bytes); a register is marked
 * valid only when a rule restored it, or when it is callee-saved under the
 * SysV ABI and the function has no rule for it; a frame without a
 * recoverable return address ends the walk with an error, never a guess.
 */
#include "sym/symvar_internal.h"

#include <dwarf.h>
#include <stdlib.h>

struct unwind_mem {
	sym_mem_fn fn;
	void *user;
};

static int unwind_read(void *user, uint64_t addr, void *buf, size_t n)
{
	struct unwind_mem *m = user;
	return m->fn(m->user, addr, buf, n) == (int)n ? 0 : -1;
}

static int cfi_frame_at(Dwfl *dwfl, uint64_t pc, Dwarf_Frame **frame, Dwarf_Addr *bias)
{
	Dwfl_Module *m = dwfl_addrmodule(dwfl, pc);
	if (!m)
		return -1;
	for (int pass = 0; pass < 2; pass++)
		if (symloc_cfi_frame(m, pass, pc, frame, bias) == 0)
			return 0;
	return -1;
}

int symvar_unwind(struct sym_table *st, int is32, const struct regs *r0, sym_mem_fn mem, void *mem_user,
		  int n, struct regs *out, uint32_t *valid, uint64_t *pc)
{
	Dwfl *dwfl = (Dwfl *)sym_dwfl(st);
	struct unwind_mem um = { mem, mem_user };
	struct symvar_frame fr = { .is32 = is32, .regs = *r0, .valid = SYMVAR_ALL_REGS, .have_regs = 1,
				   .mem = unwind_read, .user = &um };
	int nregs = is32 ? 9 : 17;
	/* SysV callee-saved: rbx rbp r12-r15 / ebx ebp esi edi (DWARF numbers) */
	uint32_t callee_saved = is32 ? (1u << 3 | 1u << 5 | 1u << 6 | 1u << 7)
				     : (1u << 3 | 1u << 6 | 1u << 12 | 1u << 13 | 1u << 14 | 1u << 15);
	int ra = is32 ? 8 : 16, spn = is32 ? 4 : 7;
	uint64_t cur = r0->r[REG_RIP];
	if (n < 0 || n > 4096)
		return err_set("Frame number %d is out of range", n);
	for (int i = 0; i < n; i++) {
		if (!dwfl)
			return err_set("Cannot unwind: no symbols");
		Dwarf_Frame *frame = NULL;
		Dwarf_Addr bias = 0;
		uint64_t lookup = i == 0 ? cur : cur - 1;
		if (cfi_frame_at(dwfl, lookup, &frame, &bias) < 0)
			return err_set("Cannot unwind past frame %d: no call frame information for %llx", i,
				       (unsigned long long)cur);
		struct ectx c = { .fr = &fr, .name = "the caller's frame" };
		struct vop ops[SYMVAR_MAX_OPS];
		Dwarf_Op *dops = NULL;
		size_t dn = 0;
		struct eres r;
		if (dwarf_frame_cfa(frame, &dops, &dn) != 0 || dn == 0 ||
		    symloc_copy_cfi_ops(dops, dn, bias, 1, ops) < 0 || symeval_run(&c, ops, dn, 0, &r) < 0 ||
		    r.pieces) {
			free(frame);
			return err_set("Cannot unwind past frame %d: unusable CFA rule", i);
		}
		uint64_t cfa = r.v;
		c.have_cfa = 1;
		c.cfa = cfa;
		struct regs next = fr.regs;
		uint32_t nvalid = 0;
		for (int reg = 0; reg < nregs; reg++) {
			Dwarf_Op mem3[3];
			Dwarf_Op *rops = NULL;
			size_t rn = 0;
			int idx = symeval_dwarf_reg(is32, (uint64_t)reg);
			if (idx < 0)
				continue;
			if (dwarf_frame_register(frame, reg, mem3, &rops, &rn) != 0)
				continue;
			if (rn == 0) {
				/*
				 * No rule of the function's own.  libdw then applies its ABI
				 * defaults, whose x86-64 table marks DWARF 0 (rax) instead of 3
				 * (rbx) as preserved; so decide from the SysV ABI directly:
				 * callee-saved registers keep their value, the others are lost.
				 */
				if ((callee_saved & (1u << reg)) && (fr.valid & (1u << reg)))
					nvalid |= 1u << reg;
				continue;
			}
			if (symloc_copy_cfi_ops(rops, rn, bias, 1, ops) < 0 || symeval_run(&c, ops, rn, 0, &r) < 0 ||
			    r.pieces)
				continue;
			uint64_t v = r.v;
			if (r.kind == R_MEM && symeval_read_word(&fr, r.v, is32 ? 4 : 8, &v) < 0)
				continue;
			next.r[idx] = v;
			nvalid |= 1u << reg;
		}
		free(frame);
		next.r[REG_RSP] = cfa;
		nvalid |= 1u << spn;
		if (!(nvalid & (1u << ra)))
			return err_set("Cannot unwind past frame %d: no return address", i);
		if (is32)
			for (int k = 0; k < REG_COUNT; k++)
				next.r[k] &= 0xffffffffu;
		cur = next.r[REG_RIP];
		if (cur == 0)
			return err_set("Frame %d does not exist", i + 1);
		fr.regs = next;
		fr.valid = nvalid;
	}
	*out = fr.regs;
	*valid = fr.valid;
	*pc = cur;
	return 0;
}

