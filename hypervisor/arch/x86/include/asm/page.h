/* SPDX-License-Identifier: GPL-2.0 */
/* x86_64 4-level page-table entries and address conversions. */
#ifndef ASM_PAGE_H
#define ASM_PAGE_H

#include <hv/types.h>
#include <asm/layout.h>

typedef uint64_t pgentry_t;

#define _PAGE_PRESENT 0x001ULL
#define _PAGE_RW 0x002ULL
#define _PAGE_USER 0x004ULL
#define _PAGE_PWT 0x008ULL
#define _PAGE_PCD 0x010ULL
#define _PAGE_ACCESSED 0x020ULL
#define _PAGE_DIRTY 0x040ULL
#define _PAGE_PSE 0x080ULL	/* in L2/L3 */
#define _PAGE_PAT 0x080ULL	/* in L1 */
#define _PAGE_GLOBAL 0x100ULL
#define _PAGE_AVAIL 0xe00ULL
#define _PAGE_NX (1ULL << 63)
#define PADDR_MASK 0x000ffffffffff000ULL

#define PAGETABLE_ENTRIES 512
#define L1_SHIFT 12
#define L2_SHIFT 21
#define L3_SHIFT 30
#define L4_SHIFT 39

static inline unsigned int pt_index(vaddr_t va, unsigned int level)
{
	return (va >> (12 + 9 * (level - 1))) & 511;
}

static inline bool is_canonical(vaddr_t va)
{
	return (uint64_t)((int64_t)(va << 16) >> 16) == va;
}

static inline void *__va(paddr_t pa)
{
	return (void *)(DIRECTMAP_BASE + pa);
}

static inline void *mfn_to_virt(mfn_t mfn)
{
	return __va(mfn_x(mfn) << PAGE_SHIFT);
}

static inline paddr_t __pa(const void *p)
{
	uint64_t va = (uint64_t)p;

	if (va >= HV_IMAGE_BASE && va < DIRECTMAP_BASE)
		return va - HV_IMAGE_BASE;
	return va - DIRECTMAP_BASE;
}

static inline mfn_t virt_to_mfn(const void *p)
{
	return _mfn(__pa(p) >> PAGE_SHIFT);
}

static inline mfn_t pte_mfn(pgentry_t e)
{
	return _mfn((e & PADDR_MASK) >> PAGE_SHIFT);
}

static inline pgentry_t mfn_pte(mfn_t mfn, uint64_t flags)
{
	return (mfn_x(mfn) << PAGE_SHIFT) | flags;
}

#endif
