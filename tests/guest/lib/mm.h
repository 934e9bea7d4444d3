/* SPDX-License-Identifier: MIT */
/*
 * Page-table helpers for the PV memory-model test kernels (mm-*): a pool
 * of spare pages from the kernel image, frame lookups through the p2m and
 * the M2P, walks of the live page tables through their read-only
 * mappings, and one-op wrappers around mmu_update and mmuext_op.
 */
#ifndef PVTEST_MM_H
#define PVTEST_MM_H

#include <hvabi/memory.h>
#include "lib.h"

#define _PAGE_PRESENT 0x001ULL
#define _PAGE_RW 0x002ULL
#define _PAGE_USER 0x004ULL
#define _PAGE_PWT 0x008ULL
#define _PAGE_PCD 0x010ULL
#define _PAGE_ACCESSED 0x020ULL
#define _PAGE_DIRTY 0x040ULL
#define _PAGE_PSE 0x080ULL
#define _PAGE_GLOBAL 0x100ULL
#define _PAGE_NX (1ULL << 63)
#define PTE_ADDR_MASK 0x000ffffffffff000ULL
/* The flags Xen may add to or keep in a guest entry; compare the rest. */
#define PTE_CMP_MASK (PTE_ADDR_MASK | _PAGE_PRESENT | _PAGE_RW)

#define PT_RO (_PAGE_PRESENT | _PAGE_USER | _PAGE_ACCESSED)
#define PT_RW (PT_RO | _PAGE_RW | _PAGE_DIRTY)
/* Flags of a page-table entry pointing at a lower table. */
#define PT_TABLE (_PAGE_PRESENT | _PAGE_RW | _PAGE_USER | _PAGE_ACCESSED)

#define M2P_TABLE ((const uint64_t *)MACH2PHYS_VIRT_START)
#define VA(p) ((uint64_t)(uintptr_t)(p))
#define L4_SLOT(va) (((va) >> 39) & 511)
#define L3_SLOT(va) (((va) >> 30) & 511)
#define L2_SLOT(va) (((va) >> 21) & 511)
#define L1_SLOT(va) (((va) >> 12) & 511)
/* First L4 slot after the hypervisor's 256-271. */
#define GUEST_KERNEL_SLOT0 272

/* ---- frames ---- */
uint64_t mfn_of(const void *va);	/* p2m lookup of an image page */
/* Kernel VA of a frame of ours (M2P then the initial mapping), or NULL. */
void *mfn_to_virt(uint64_t mfn);
uint64_t pte_of_mfn(uint64_t mfn, uint64_t flags);

/* ---- the page pool: zeroed, writable pages of the image ---- */
void *page_alloc(void);
/* Makes the page writable again (if it can) and returns it to the pool. */
void page_free(void *page);
unsigned int pool_free_pages(void);

/* ---- mappings of the image ---- */
/* update_va_mapping(va, own frame | flags, UVMF_INVLPG). */
long map_own(void *page, uint64_t flags);
long make_ro(void *page);
long make_rw(void *page);

/*
 * Pointer to the live entry for va at level (1-4), reached from the
 * builder's L4 through the read-only mappings of the initial region;
 * NULL when a higher level is not present.
 */
volatile uint64_t *pt_entry(uint64_t va, unsigned int level);
uint64_t pt_maddr(volatile uint64_t *entry);	/* machine address of it */
uint64_t boot_l4_mfn(void);

/* ---- one-op wrappers (return the hypercall's rc) ---- */
long mmuext1(unsigned int cmd, uint64_t arg1, uint64_t arg2);
long pin_table(unsigned int level, uint64_t mfn);
long unpin_table(uint64_t mfn);
long new_baseptr(uint64_t mfn);
long new_user_baseptr(uint64_t mfn);
long invlpg_local(uint64_t va);
long tlb_flush_local(void);
long mmu_update1(uint64_t ptr, uint64_t val);

/*
 * A four-level table set mapping one page at va (in L4 slot 1..255 or a
 * guest kernel slot): l4..l1 are pool pages. With share_kernel the guest
 * kernel slots of the builder's L4 are copied, so the set can be loaded
 * with NEW_BASEPTR. pt_set_build leaves the tables writable and
 * unvalidated; pt_set_protect makes them read-only.
 */
struct pt_set {
	uint64_t *l4, *l3, *l2, *l1;
	uint64_t va;
};

int pt_set_build(struct pt_set *s, uint64_t va, uint64_t pte,
		 bool share_kernel);
long pt_set_protect(struct pt_set *s);
long pt_set_pin(struct pt_set *s);
long pt_set_unpin(struct pt_set *s);
/* Frees the pages (made writable again first). */
void pt_set_free(struct pt_set *s);

/* Reads a byte at va; true when it faulted (#PF recorded in last_trap). */
bool probe_read(uint64_t va, uint64_t *val);
bool probe_write(uint64_t va, uint64_t val);

#endif
