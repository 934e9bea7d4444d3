// SPDX-License-Identifier: GPL-2.0
/*
 * The machine frame allocator: a free map (frame-bitmap.c) over the RAM
 * the boot loader reported, minus the low 1 MiB, the hypervisor image and
 * the boot modules. Single pages come from a moving hint; contiguous runs
 * from a first-fit scan. This file zeroes what it hands out; owners and
 * types of the frames are recorded in the frame table by the callers.
 *
 * Locking: boot is single-threaded; the SMP issue adds heap_lock.
 */
#include <hv/boot.h>
#include <hv/bug.h>
#include <hv/console.h>
#include <hv/domain.h>
#include <hv/frame-bitmap.h>
#include <hv/mm.h>
#include <hv/string.h>
#include <asm/tlbflush.h>

#define MAX_RAM_FRAMES (64ULL << (30 - PAGE_SHIFT))	/* 64 GiB */

static uint64_t free_bits[MAX_RAM_FRAMES / 64];
static struct frame_bitmap frames = {
	.bits = free_bits,
	.nr_bits = MAX_RAM_FRAMES,
};
uint64_t max_mfn;
static uint64_t ram_pages;	/* every RAM frame, free or not */

extern char _start[], _end[];

static void mark_range(uint64_t first, uint64_t end, bool free)
{
	frame_bitmap_mark(&frames, first, end, free);
}

void page_alloc_init(const struct boot_info *bi)
{
	for (unsigned int i = 0; i < bi->nr_mmap; i++)
		if (bi->mmap[i].type == E820_RAM)
			frame_bitmap_add_ram(&frames, bi->mmap[i].base,
					     bi->mmap[i].len);
	max_mfn = frames.end;
	ram_pages = frames.nr_free;
	/* Taken: real-mode memory, our image, the modules. */
	mark_range(0, 0x100000 >> PAGE_SHIFT, false);
	mark_range(__pa(_start) >> PAGE_SHIFT,
		   ALIGN_UP(__pa(_end), PAGE_SIZE) >> PAGE_SHIFT, false);
	for (unsigned int i = 0; i < bi->nr_mods; i++)
		mark_range(bi->mods[i].start >> PAGE_SHIFT,
			   ALIGN_UP(bi->mods[i].end, PAGE_SIZE) >> PAGE_SHIFT,
			   false);
	frames.hint = 0x100000 >> PAGE_SHIFT;
	log_info("memory: %llu MiB free, highest frame %#llx",
		 (unsigned long long)(frames.nr_free >> (20 - PAGE_SHIFT)),
		 (unsigned long long)max_mfn);
}

void frame_table_init(struct page_info *ft)
{
	for (uint64_t f = 0; f < max_mfn; f++)
		ft[f].owner = frame_bitmap_is_free(&frames, f) ? OWNER_NONE
							       : DOMID_XEN;
	frame_table = ft;
}

/*
 * A freed frame may still be in the TLB of a CPU that ran its last user:
 * such CPUs are flushed before the frame is zeroed and handed out.
 */
static void take(uint64_t first, uint64_t nr)
{
	cpumask_t stale = 0, online = cpu_online_mask();

	mark_range(first, first + nr, false);
	if (frame_table)
		for (uint64_t f = first; f < first + nr; f++)
			stale |= tlbflush_filter(online,
						 frame_table[f].tlbflush_stamp);
	if (stale)
		flush_tlb_mask(stale);
	memset(__va(first << PAGE_SHIFT), 0, nr << PAGE_SHIFT);
	if (frame_table)
		for (uint64_t f = first; f < first + nr; f++)
			frame_table[f] = (struct page_info){ .owner = DOMID_XEN };
}

/* Takes @nr frames from @first (FRAME_NONE: none found) and zeroes them. */
static mfn_t take_found(uint64_t first, uint64_t nr)
{
	if (first == FRAME_NONE)
		return INVALID_MFN;
	take(first, nr);
	return _mfn(first);
}

mfn_t alloc_page(void)
{
	return take_found(frame_bitmap_find_one(&frames), 1);
}

mfn_t alloc_pages(uint64_t nr)
{
	return take_found(frame_bitmap_find_run(&frames, nr, 1, 0), nr);
}

void free_page(mfn_t mfn)
{
	BUG_ON(!mfn_valid(mfn) || frame_bitmap_is_free(&frames, mfn_x(mfn)));
	frame_table[mfn_x(mfn)] = (struct page_info){
		.owner = OWNER_NONE, .tlbflush_stamp = tlbflush_stamp_now() };
	mark_range(mfn_x(mfn), mfn_x(mfn) + 1, true);
}

uint64_t free_page_count(void)
{
	return frames.nr_free;
}

uint64_t total_page_count(void)
{
	return ram_pages;
}

mfn_t alloc_domain_pages(struct domain *d, unsigned int order, uint64_t limit)
{
	uint64_t nr = 1ULL << order;
	mfn_t mfn;

	if (d->tot_pages + nr > d->max_pages)
		return INVALID_MFN;
	/* First fit of @nr frames aligned to @nr, below @limit. */
	mfn = (order == 0 && !limit)
		      ? alloc_page()
		      : take_found(frame_bitmap_find_run(&frames, nr, nr, limit),
				   nr);
	if (mfn_x(mfn) == mfn_x(INVALID_MFN))
		return mfn;
	for (uint64_t i = 0; i < nr; i++)
		/* One reference for the allocation. */
		*mfn_to_page(_mfn(mfn_x(mfn) + i)) = (struct page_info){
			.owner = d->domid, .type = PGT_writable,
			.flags = PGF_allocated, .count = 1 };
	d->tot_pages += nr;
	return mfn;
}
