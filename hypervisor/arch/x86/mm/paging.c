// SPDX-License-Identifier: GPL-2.0
/*
 * The hypervisor's own page tables: the image window, the direct map of
 * all RAM and the read-only M2P, built in L4 slots 256-271 of
 * idle_pg_table and shared (by pointing at the same L3 pages) with every
 * guest L4. Also the frame table and the M2P themselves.
 */
#include <hv/boot.h>
#include <hv/bug.h>
#include <hv/console.h>
#include <hv/errno.h>
#include <hv/mm.h>
#include <hv/string.h>
#include <asm/processor.h>

extern char _start[], _end[];

pgentry_t *idle_pg_table;
struct page_info *frame_table;
uint64_t *m2p;

#define HV_TABLE_FLAGS (_PAGE_PRESENT | _PAGE_RW | _PAGE_ACCESSED | _PAGE_DIRTY)

static pgentry_t *walk_alloc(pgentry_t *table, unsigned int idx,
			     uint64_t table_flags)
{
	if (!(table[idx] & _PAGE_PRESENT)) {
		mfn_t mfn = alloc_page();

		if (mfn_x(mfn) == mfn_x(INVALID_MFN))
			return NULL;
		table[idx] = mfn_pte(mfn, table_flags);
	}
	BUG_ON(table[idx] & _PAGE_PSE);
	return mfn_to_virt(pte_mfn(table[idx]));
}

int map_pages(pgentry_t *l4, vaddr_t va, mfn_t mfn, uint64_t nr,
	      uint64_t flags, uint64_t table_flags)
{
	for (uint64_t i = 0; i < nr; i++, va += PAGE_SIZE) {
		pgentry_t *t = l4;

		for (unsigned int level = 4; level > 1 && t; level--)
			t = walk_alloc(t, pt_index(va, level), table_flags);
		if (!t)
			return -ENOMEM;
		t[pt_index(va, 1)] = mfn_pte(_mfn(mfn_x(mfn) + i), flags);
	}
	return 0;
}

/* 2 MiB mappings of [pa, pa + len) at va; both 2 MiB aligned. */
static void map_2m(pgentry_t *l4, vaddr_t va, paddr_t pa, uint64_t len,
		   uint64_t flags)
{
	for (uint64_t off = 0; off < len; off += 1ULL << L2_SHIFT) {
		pgentry_t *l3 = walk_alloc(l4, pt_index(va + off, 4),
					   HV_TABLE_FLAGS);
		pgentry_t *l2 = l3 ? walk_alloc(l3, pt_index(va + off, 3),
						HV_TABLE_FLAGS)
				   : NULL;

		if (!l2)
			panic("out of memory building the direct map");
		l2[pt_index(va + off, 2)] = (pa + off) | flags | _PAGE_PSE;
	}
}

static void *alloc_table_area(uint64_t bytes, const char *what)
{
	mfn_t mfn = alloc_pages(ALIGN_UP(bytes, PAGE_SIZE) >> PAGE_SHIFT);

	if (mfn_x(mfn) == mfn_x(INVALID_MFN))
		panic("no memory for the %s (%llu KiB)", what,
		      (unsigned long long)(bytes >> 10));
	return mfn_to_virt(mfn);
}

/*
 * Frames below max_mfn that are not RAM are device memory: DOMID_IO. So
 * is the first MiB (BIOS data, VGA, option ROMs, ACPI pointers), which
 * the allocator never hands out and the hardware domain maps, as on Xen.
 */
static void mark_io_frames(void)
{
	uint64_t f = 0;

	for (uint64_t low = 0; low < (0x100000 >> PAGE_SHIFT); low++)
		frame_table[low].owner = DOMID_IO;
	for (unsigned int i = 0; i <= boot_info.nr_mmap; i++) {
		const struct boot_mmap_entry *e = &boot_info.mmap[i];
		uint64_t start = i < boot_info.nr_mmap ? e->base >> PAGE_SHIFT
						       : max_mfn;

		if (i < boot_info.nr_mmap && e->type != E820_RAM)
			continue;
		for (; f < MIN(start, max_mfn); f++)
			frame_table[f].owner = DOMID_IO;
		if (i < boot_info.nr_mmap)
			f = MAX(f, ALIGN_UP(e->base + e->len, PAGE_SIZE) >>
					   PAGE_SHIFT);
	}
}

void paging_init(void)
{
	uint64_t img_start = ALIGN_DOWN(__pa(_start), 1ULL << L2_SHIFT);
	uint64_t img_end = ALIGN_UP(__pa(_end), 1ULL << L2_SHIFT);
	uint64_t ram_end = ALIGN_UP(max_mfn << PAGE_SHIFT, 1ULL << L2_SHIFT);
	uint64_t m2p_bytes = ALIGN_UP(max_mfn * 8, PAGE_SIZE);

	if (ram_end > DIRECTMAP_SIZE)
		panic("more RAM than the direct map covers");
	idle_pg_table = mfn_to_virt(alloc_page());
	map_2m(idle_pg_table, HV_IMAGE_BASE + img_start, img_start,
	       img_end - img_start, HV_TABLE_FLAGS | _PAGE_GLOBAL);
	map_2m(idle_pg_table, DIRECTMAP_BASE, 0, ram_end,
	       HV_TABLE_FLAGS | _PAGE_GLOBAL | _PAGE_NX);

	frame_table_init(alloc_table_area(max_mfn * sizeof(struct page_info),
					  "frame table"));
	mark_io_frames();

	m2p = alloc_table_area(m2p_bytes, "M2P");
	memset(m2p, 0xff, m2p_bytes);	/* INVALID_M2P_ENTRY */
	for (uint64_t i = 0; i < m2p_bytes >> PAGE_SHIFT; i++)
		mfn_to_page(_mfn(mfn_x(virt_to_mfn(m2p)) + i))->flags |=
			PGF_xen_ro;
	if (map_pages(idle_pg_table, RO_MPT_BASE, virt_to_mfn(m2p),
		      m2p_bytes >> PAGE_SHIFT,
		      _PAGE_PRESENT | _PAGE_USER | _PAGE_ACCESSED | _PAGE_NX,
		      HV_TABLE_FLAGS | _PAGE_USER))
		panic("out of memory mapping the M2P");

	write_cr3(__pa(idle_pg_table));
	log_info("paging: image %#llx-%#llx, direct map %llu MiB, M2P %llu KiB",
		 (unsigned long long)__pa(_start),
		 (unsigned long long)__pa(_end),
		 (unsigned long long)(ram_end >> 20),
		 (unsigned long long)(m2p_bytes >> 10));
}

void init_guest_l4_slots(pgentry_t *l4)
{
	for (unsigned int i = HV_L4_FIRST_SLOT; i <= HV_L4_LAST_SLOT; i++)
		l4[i] = idle_pg_table[i];
}
