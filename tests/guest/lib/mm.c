// SPDX-License-Identifier: MIT
/*
 * Page-table helpers for the mm-* test kernels: the spare-page pool, frame
 * lookups, live page-table walks and small mmu_update/mmuext_op wrappers.
 * Only kernels that include mm.h use these.
 */
#include "mm.h"

#define POOL_PAGES 48

static uint8_t pool[POOL_PAGES][4096]
	__attribute__((aligned(4096), section(".bss.page_aligned")));
/* 0 free, 1 in use, 2 lost (could not be made writable again) */
static uint8_t pool_state[POOL_PAGES];

uint64_t mfn_of(const void *va)
{
	return virt_to_mfn(va);
}

void *mfn_to_virt(uint64_t mfn)
{
	uint64_t pfn;

	if (mfn >= MACH2PHYS_NR_ENTRIES)
		return NULL;
	pfn = M2P_TABLE[mfn];
	if (pfn >= start_info->nr_pages)
		return NULL;
	/* Only our own frames map back: check the p2m agrees. */
	if (((const uint64_t *)(uintptr_t)start_info->mfn_list)[pfn] != mfn)
		return NULL;
	return (void *)(uintptr_t)(VIRT_BASE + (pfn << 12));
}

uint64_t pte_of_mfn(uint64_t mfn, uint64_t flags)
{
	return (mfn << 12) | flags;
}

void *page_alloc(void)
{
	unsigned int i;

	for (i = 0; i < POOL_PAGES; i++) {
		if (pool_state[i])
			continue;
		pool_state[i] = 1;
		memset(pool[i], 0, sizeof(pool[i]));
		return pool[i];
	}
	return NULL;
}

void page_free(void *page)
{
	unsigned int i;

	if (!page)
		return;
	i = (unsigned int)(((uint8_t *)page - pool[0]) / 4096);
	if (i >= POOL_PAGES)
		return;
	/* A page still typed as a table cannot be written: leave it out. */
	pool_state[i] = make_rw(page) ? 2 : 0;
}

unsigned int pool_free_pages(void)
{
	unsigned int i, n = 0;

	for (i = 0; i < POOL_PAGES; i++)
		n += !pool_state[i];
	return n;
}

long map_own(void *page, uint64_t flags)
{
	return hv_update_va_mapping(VA(page), pte_of_mfn(mfn_of(page), flags),
				    UVMF_INVLPG | UVMF_LOCAL);
}

long make_ro(void *page)
{
	return map_own(page, PT_RO);
}

long make_rw(void *page)
{
	return map_own(page, PT_RW);
}

uint64_t boot_l4_mfn(void)
{
	return mfn_of((void *)(uintptr_t)start_info->pt_base);
}

volatile uint64_t *pt_entry(uint64_t va, unsigned int level)
{
	volatile uint64_t *table = (uint64_t *)(uintptr_t)start_info->pt_base;
	unsigned int lvl;

	for (lvl = 4;; lvl--) {
		unsigned int shift = 12 + 9 * (lvl - 1);
		volatile uint64_t *e = &table[(va >> shift) & 511];

		if (lvl == level)
			return e;
		if (!(*e & _PAGE_PRESENT))
			return NULL;
		table = mfn_to_virt((*e & PTE_ADDR_MASK) >> 12);
		if (!table)
			return NULL;
	}
}

uint64_t pt_maddr(volatile uint64_t *entry)
{
	const void *va = (const void *)((uintptr_t)entry & ~0xfffUL);

	return (mfn_of(va) << 12) | ((uintptr_t)entry & 0xfff);
}

long mmuext1(unsigned int cmd, uint64_t arg1, uint64_t arg2)
{
	struct mmuext_op op = { .cmd = cmd };

	op.arg1.mfn = arg1;
	op.arg2.src_mfn = arg2;
	return hv_mmuext_op(&op, 1, NULL, DOMID_SELF);
}

long pin_table(unsigned int level, uint64_t mfn)
{
	return mmuext1(MMUEXT_PIN_L1_TABLE + level - 1, mfn, 0);
}

long unpin_table(uint64_t mfn)
{
	return mmuext1(MMUEXT_UNPIN_TABLE, mfn, 0);
}

long new_baseptr(uint64_t mfn)
{
	return mmuext1(MMUEXT_NEW_BASEPTR, mfn, 0);
}

long new_user_baseptr(uint64_t mfn)
{
	return mmuext1(MMUEXT_NEW_USER_BASEPTR, mfn, 0);
}

long invlpg_local(uint64_t va)
{
	return mmuext1(MMUEXT_INVLPG_LOCAL, va, 0);
}

long tlb_flush_local(void)
{
	return mmuext1(MMUEXT_TLB_FLUSH_LOCAL, 0, 0);
}

long mmu_update1(uint64_t ptr, uint64_t val)
{
	struct mmu_update req = { .ptr = ptr, .val = val };

	return hv_mmu_update(&req, 1, NULL, DOMID_SELF);
}

int pt_set_build(struct pt_set *s, uint64_t va, uint64_t pte,
		 bool share_kernel)
{
	const uint64_t *boot_l4 = (uint64_t *)(uintptr_t)start_info->pt_base;
	unsigned int i;

	memset(s, 0, sizeof(*s));
	s->va = va;
	s->l4 = page_alloc();
	s->l3 = page_alloc();
	s->l2 = page_alloc();
	s->l1 = page_alloc();
	if (!s->l4 || !s->l3 || !s->l2 || !s->l1) {
		pt_set_free(s);
		return -HV_ENOMEM;
	}
	if (share_kernel)
		for (i = GUEST_KERNEL_SLOT0; i < 512; i++)
			s->l4[i] = boot_l4[i];
	s->l4[L4_SLOT(va)] = pte_of_mfn(mfn_of(s->l3), PT_TABLE);
	s->l3[L3_SLOT(va)] = pte_of_mfn(mfn_of(s->l2), PT_TABLE);
	s->l2[L2_SLOT(va)] = pte_of_mfn(mfn_of(s->l1), PT_TABLE);
	s->l1[L1_SLOT(va)] = pte;
	return 0;
}

long pt_set_protect(struct pt_set *s)
{
	uint64_t *t[] = { s->l1, s->l2, s->l3, s->l4 };
	unsigned int i;
	long rc;

	for (i = 0; i < ARRAY_SIZE(t); i++) {
		rc = make_ro(t[i]);
		if (rc)
			return rc;
	}
	return 0;
}

long pt_set_pin(struct pt_set *s)
{
	uint64_t *t[] = { s->l1, s->l2, s->l3, s->l4 };
	unsigned int i;
	long rc;

	for (i = 0; i < ARRAY_SIZE(t); i++) {
		rc = pin_table(i + 1, mfn_of(t[i]));
		if (rc)
			return rc;
	}
	return 0;
}

long pt_set_unpin(struct pt_set *s)
{
	uint64_t *t[] = { s->l4, s->l3, s->l2, s->l1 };
	unsigned int i;
	long rc, first = 0;

	for (i = 0; i < ARRAY_SIZE(t); i++) {
		rc = unpin_table(mfn_of(t[i]));
		if (rc && !first)
			first = rc;
	}
	return first;
}

void pt_set_free(struct pt_set *s)
{
	page_free(s->l4);
	page_free(s->l3);
	page_free(s->l2);
	page_free(s->l1);
	memset(s, 0, sizeof(*s));
}

bool probe_read(uint64_t va, uint64_t *val)
{
	uint64_t v = 0;

	trap_clear();
	asm volatile("1: mov (%1), %0\n2:\n\t" ASM_EXTABLE(1b, 2b)
		     : "+r"(v) : "r"(va) : "memory");
	if (val)
		*val = v;
	return last_trap.count != 0;
}

bool probe_write(uint64_t va, uint64_t val)
{
	trap_clear();
	asm volatile("1: mov %1, (%0)\n2:\n\t" ASM_EXTABLE(1b, 2b)
		     : : "r"(va), "r"(val) : "memory");
	return last_trap.count != 0;
}
