/* SPDX-License-Identifier: GPL-2.0 */
/*
 * Machine memory: the frame allocator, the frame table (owner and type of
 * every machine frame), the machine-to-phys table, and the hypervisor's
 * own page tables. The page-type rules for guest page tables live in
 * arch/x86/mm/ (see the design note there).
 */
#ifndef HV_MM_H
#define HV_MM_H

#include <hv/types.h>
#include <hvabi/xen.h>
#include <asm/page.h>

struct boot_info;
struct domain;

/* Frame types (page_info.type). */
enum page_type {
	PGT_none = 0,		/* free or hypervisor-internal */
	PGT_writable,		/* ordinary guest RAM */
	PGT_l1,
	PGT_l2,
	PGT_l3,
	PGT_l4,
	PGT_seg_desc,
};

#define OWNER_NONE 0xffffU	/* free frame */

/*
 * One per machine frame. See arch/x86/mm/page-type.c for the rules.
 * Protected by the owning domain's page lock once SMP guests exist.
 */
struct page_info {
	domid_t owner;		/* OWNER_NONE, DOMID_XEN or a domain */
	uint8_t type;		/* enum page_type while type_count > 0 */
	uint8_t flags;
#define PGF_pinned 0x01		/* a pin holds one type reference */
#define PGF_allocated 0x02	/* the allocation holds one reference */
#define PGF_xen_ro 0x04		/* hypervisor frame privileged guests may
				   map read-only (the M2P) */
	uint32_t type_count;	/* type references */
	uint32_t count;		/* general references (1 = allocated) */
	uint32_t tlbflush_stamp; /* when its last mapping or type went
				    (asm/tlbflush.h) */
};

extern struct page_info *frame_table;
extern uint64_t max_mfn;	/* one past the highest RAM frame */
extern uint64_t *m2p;		/* hypervisor's writable view of the M2P */

static inline struct page_info *mfn_to_page(mfn_t mfn)
{
	return &frame_table[mfn_x(mfn)];
}

static inline bool mfn_valid(mfn_t mfn)
{
	return mfn_x(mfn) < max_mfn;
}

void page_alloc_init(const struct boot_info *bi);
/* Starts recording owners in @ft (max_mfn entries): free or DOMID_XEN. */
void frame_table_init(struct page_info *ft);
/* One zeroed frame, or INVALID_MFN. Owner DOMID_XEN. */
mfn_t alloc_page(void);
/* @nr physically contiguous zeroed frames, or INVALID_MFN. */
mfn_t alloc_pages(uint64_t nr);
void free_page(mfn_t mfn);
uint64_t free_page_count(void);
/* Every RAM frame of the machine. */
uint64_t total_page_count(void);
/*
 * 2^@order contiguous zeroed frames below @limit (an MFN; 0 = anywhere)
 * for @d, each holding its allocation reference; INVALID_MFN when @d is
 * at its max_pages or memory is short.
 */
mfn_t alloc_domain_pages(struct domain *d, unsigned int order, uint64_t limit);
static inline mfn_t alloc_domain_page(struct domain *d)
{
	return alloc_domain_pages(d, 0, 0);
}

/* memory_op sub-ops about maps and the M2P (arch/x86/mm/memory-map.c). */
long arch_memory_op(unsigned int op, unsigned long arg);

/* Builds and loads the hypervisor's page tables (image, direct map, M2P). */
void paging_init(void);
/* The hypervisor's L4 template; its slots 256-271 go into every guest L4. */
extern pgentry_t *idle_pg_table;
void init_guest_l4_slots(pgentry_t *l4);
/*
 * Maps @nr 4 KiB frames from @mfn at @va in the tables under @l4,
 * allocating intermediate tables with @table_flags. Returns 0 or -ENOMEM.
 */
int __must_check map_pages(pgentry_t *l4, vaddr_t va, mfn_t mfn, uint64_t nr,
			   uint64_t flags, uint64_t table_flags);

#endif
