// SPDX-License-Identifier: GPL-2.0
/*
 * The writable page-table assist: a guest store into one of its own
 * validated L1 tables, which it maps read-only, faults; we decode the one
 * instruction, compute the new entry and apply it through the same
 * validation as mmu_update. As in Xen 4.17 it is always on for 64-bit PV
 * guests, whatever VMASST_TYPE_writable_pagetables says.
 *
 * A small decoder of our own, not an emulator: one memory operand (the
 * faulting address in CR2, inside one 8-byte entry), optional LOCK, 66,
 * segment-override and REX prefixes, and the forms Linux and friends use on PTEs:
 *   mov r/m,r (88/89)   mov r/m,imm (C6/C7 /0)   xchg (86/87)
 *   cmpxchg (0F B0/B1)  or/and r/m,r (08/09/20/21)
 *   or/and r/m,imm (80/81/83 /1 /4)   bts/btr r/m,imm8 (0F BA /5 /6)
 *   bts/btr r/m,r (0F AB/B3)
 * Anything else is not handled and the #PF goes to the guest.
 */
#include <hv/console.h>
#include <hv/domain.h>
#include <hv/errno.h>
#include <hv/guest_access.h>
#include <hv/page-type.h>
#include <asm/cpu_info.h>
#include <asm/processor.h>
#include <asm/pv.h>
#include <asm/pv-mm.h>

#define PTWR_RETRIES 16
#define FLAGS_ARITH (X86_EFLAGS_CF | 0x4 /* PF */ | 0x10 /* AF */ | \
		     0x40 /* ZF */ | 0x80 /* SF */ | 0x800 /* OF */)

enum op { OP_MOV, OP_XCHG, OP_CMPXCHG, OP_OR, OP_AND, OP_BTS, OP_BTR };

struct insn {
	enum op op;
	unsigned int size;	/* operand bytes: 1, 2, 4 or 8 */
	unsigned int len;	/* instruction bytes */
	int reg;		/* register operand, -1 = immediate */
	bool high8;		/* reg is AH/CH/DH/BH */
	uint64_t imm;
};

static uint64_t size_mask(unsigned int size)
{
	return size == 8 ? ~0ULL : (1ULL << (size * 8)) - 1;
}

/* Length of ModRM + SIB + displacement starting at @p[0]. */
static unsigned int modrm_len(const uint8_t *p)
{
	unsigned int mod = p[0] >> 6, rm = p[0] & 7, len = 1;

	if (mod == 3)
		return 0;	/* register operand: no memory access */
	if (rm == 4) {
		len++;
		if (mod == 0 && (p[1] & 7) == 5)
			len += 4;
	} else if (mod == 0 && rm == 5) {
		len += 4;	/* rip-relative */
	}
	if (mod == 1)
		len += 1;
	else if (mod == 2)
		len += 4;
	return len;
}

static int imm_of(const uint8_t *p, unsigned int n, uint64_t *imm)
{
	int32_t v32;

	if (n == 1)
		*imm = (uint64_t)(int64_t)(int8_t)p[0];
	else if (n == 2)
		*imm = (uint64_t)(int64_t)(int16_t)(p[0] | p[1] << 8);
	else {
		__builtin_memcpy(&v32, p, 4);
		*imm = (uint64_t)(int64_t)v32;
	}
	return 0;
}

static bool is_prefix(uint8_t b)
{
	return b == 0xf0 || b == 0x66 || b == 0x26 || b == 0x2e ||
	       b == 0x36 || b == 0x3e || b == 0x64 || b == 0x65;
}

/* Fills @in from the bytes at @b; false if the form is not handled. */
static bool decode(const uint8_t *b, struct insn *in)
{
	unsigned int i = 0, rex = 0, opsz = 4, ml, immsz = 0;
	uint8_t opc, ext;
	bool twobyte = false;

	/* LOCK, operand size, and segment overrides (CR2 is linear). */
	for (; i < 4 && is_prefix(b[i]); i++)
		if (b[i] == 0x66)
			opsz = 2;
	if ((b[i] & 0xf0) == 0x40)
		rex = b[i++];
	if (rex & 8)
		opsz = 8;
	opc = b[i++];
	if (opc == 0x0f) {
		twobyte = true;
		opc = b[i++];
	}
	ml = modrm_len(&b[i]);
	if (!ml)
		return false;
	ext = (b[i] >> 3) & 7;
	in->reg = ext | ((rex & 4) << 1);
	in->high8 = false;
	in->size = (opc & 1) ? opsz : 1;
	if (!twobyte) {
		switch (opc) {
		case 0x88: case 0x89: in->op = OP_MOV; break;
		case 0x86: case 0x87: in->op = OP_XCHG; break;
		case 0x08: case 0x09: in->op = OP_OR; break;
		case 0x20: case 0x21: in->op = OP_AND; break;
		case 0xc6: case 0xc7:
			if (ext != 0)
				return false;
			in->op = OP_MOV;
			immsz = in->size == 1 ? 1 : MIN(in->size, 4U);
			break;
		case 0x80: case 0x81: case 0x83:
			if (ext != 1 && ext != 4)
				return false;
			in->op = ext == 1 ? OP_OR : OP_AND;
			in->size = opc == 0x80 ? 1 : opsz;
			immsz = opc == 0x81 ? MIN(in->size, 4U) : 1;
			break;
		default:
			return false;
		}
	} else {
		switch (opc) {
		case 0xb0: case 0xb1: in->op = OP_CMPXCHG; break;
		case 0xab: in->op = OP_BTS; in->size = opsz; break;
		case 0xb3: in->op = OP_BTR; in->size = opsz; break;
		case 0xba:
			if (ext != 5 && ext != 6)
				return false;
			in->op = ext == 5 ? OP_BTS : OP_BTR;
			in->size = opsz;
			immsz = 1;
			break;
		default:
			return false;
		}
	}
	if (immsz) {
		in->reg = -1;
		imm_of(&b[i + ml], immsz, &in->imm);
	} else if (in->size == 1 && !rex && in->reg >= 4) {
		in->high8 = true;	/* AH, CH, DH, BH */
		in->reg -= 4;
	}
	in->len = i + ml + immsz;
	return in->len <= 15;
}

static uint64_t reg_value(struct cpu_regs *r, const struct insn *in)
{
	uint64_t v;

	if (in->reg < 0)
		return in->imm;
	v = *regs_gpr(r, (unsigned int)in->reg);
	return in->high8 ? v >> 8 : v;
}

static void set_reg_part(struct cpu_regs *r, const struct insn *in, int reg,
			 uint64_t v)
{
	uint64_t *p = regs_gpr(r, (unsigned int)reg);
	uint64_t m = size_mask(in->size);

	if (in->high8)
		*p = (*p & ~0xff00ULL) | ((v & 0xff) << 8);
	else if (in->size == 4)
		*p = (uint32_t)v;	/* 32-bit writes zero-extend */
	else
		*p = (*p & ~m) | (v & m);
}

static uint64_t logic_flags(uint64_t res, unsigned int size)
{
	uint64_t f = 0;
	uint8_t low = (uint8_t)res;

	res &= size_mask(size);
	if (!res)
		f |= 0x40;
	if (res >> (size * 8 - 1))
		f |= 0x80;
	if (!(__builtin_popcount(low) & 1))
		f |= 0x4;
	return f;
}

/*
 * Computes the new operand value from @cur (the old operand) and applies
 * register and flag side effects to @r. Returns false when memory is not
 * written (cmpxchg mismatch).
 */
static bool execute(struct cpu_regs *r, const struct insn *in, uint64_t cur,
		    uint64_t *out)
{
	uint64_t src = reg_value(r, in), m = size_mask(in->size);
	unsigned int bit;

	switch (in->op) {
	case OP_MOV:
		*out = src;
		return true;
	case OP_XCHG:
		*out = src;
		set_reg_part(r, in, in->reg, cur);
		return true;
	case OP_CMPXCHG:
		r->rflags &= ~FLAGS_ARITH;
		if (((r->rax ^ cur) & m) == 0) {
			r->rflags |= 0x40 | 0x4;	/* ZF (and PF of 0) */
			*out = src;
			return true;
		}
		/* Flags of the comparison, then rax takes the entry. */
		r->rflags |= logic_flags(r->rax - cur, in->size) |
			     (((r->rax & m) < cur) ? X86_EFLAGS_CF : 0);
		set_reg_part(r, &(struct insn){ .size = in->size }, 0, cur);
		return false;
	case OP_OR:
	case OP_AND:
		*out = in->op == OP_OR ? cur | src : cur & src;
		r->rflags = (r->rflags & ~FLAGS_ARITH) |
			    logic_flags(*out, in->size);
		return true;
	case OP_BTS:
	case OP_BTR:
		bit = (unsigned int)(src & (in->size * 8 - 1));
		r->rflags = (r->rflags & ~X86_EFLAGS_CF) |
			    ((cur >> bit) & 1 ? X86_EFLAGS_CF : 0);
		*out = in->op == OP_BTS ? cur | (1ULL << bit)
					: cur & ~(1ULL << bit);
		return true;
	}
	return false;
}

/* The entry @cr2 points into, if it is in a validated L1 of @d. */
static pgentry_t *target_entry(struct vcpu *v, uint64_t cr2)
{
	pgentry_t *map = pv_l1e_of(v, cr2);
	struct page_info *pg;

	if (!map || !(*map & _PAGE_PRESENT) || (*map & _PAGE_RW) ||
	    !mfn_valid(pte_mfn(*map)))
		return NULL;
	pg = mfn_to_page(pte_mfn(*map));
	if (pg->owner != v->domain->domid || pg->type != PGT_l1 ||
	    !pg->type_count)
		return NULL;
	return (pgentry_t *)((uint8_t *)mfn_to_virt(pte_mfn(*map)) +
			     ((cr2 & (PAGE_SIZE - 1)) & ~7ULL));
}

bool pv_ptwr_fault(struct cpu_regs *regs, uint64_t cr2)
{
	struct vcpu *v = current;
	struct cpu_regs saved = *regs;
	unsigned int shift = (cr2 & 7) * 8;
	uint8_t bytes[15] = { 0 };
	struct insn in = { 0 };
	pgentry_t *pe;

	pe = target_entry(v, cr2);
	if (!pe || copy_from_guest(bytes, regs->rip, 1))
		return false;
	/* The instruction may end near a page end: fetch what is mapped. */
	for (unsigned int n = 15; n > 1; n--)
		if (!copy_from_guest(bytes, regs->rip, n))
			break;
	if (!decode(bytes, &in) || (cr2 & 7) + in.size > 8)
		return false;
	for (unsigned int tries = 0; tries < PTWR_RETRIES; tries++) {
		pgentry_t old = *(volatile pgentry_t *)pe, new;
		uint64_t m = size_mask(in.size) << shift, part, res;
		int rc;

		*regs = saved;
		part = (old & m) >> shift;
		if (!execute(regs, &in, part, &res)) {
			regs->rip += in.len;
			return true;	/* cmpxchg mismatch: nothing written */
		}
		new = (old & ~m) | ((res << shift) & m);
		rc = mod_entry_cmpxchg(pe, old, new, 1, v->domain);
		if (rc == -EAGAIN)
			continue;	/* the CPU set A/D meanwhile */
		if (rc) {
			*regs = saved;
			return false;	/* refused: the #PF goes to the guest */
		}
		regs->rip += in.len;
		return true;
	}
	*regs = saved;
	return false;
}
