// SPDX-License-Identifier: GPL-2.0
/*
 * The machine frame allocator: a bitmap with one bit per frame (set =
 * free) over the RAM the boot loader reported, minus the low 1 MiB, the
 * hypervisor image and the boot modules. Single pages come from a moving
 * hint; contiguous runs from a first-fit scan. Owners and types of the
 * frames it hands out are recorded in the frame table by the callers.
 *
 * Locking: boot is single-threaded; the SMP issue adds heap_lock.
 */
#include <hv/boot.h>
#include <hv/bug.h>
#include <hv/console.h>
#include <hv/domain.h>
#include <hv/mm.h>
#include <hv/string.h>

#define MAX_RAM_FRAMES (64ULL << (30 - PAGE_SHIFT))	/* 64 GiB */

static uint64_t free_bitmap[MAX_RAM_FRAMES / 64];
static uint64_t nr_free, alloc_hint;
uint64_t max_mfn;

extern char _start[], _end[];

static bool frame_is_free(uint64_t f)
{
	return free_bitmap[f / 64] & (1ULL << (f % 64));
}

static void mark_range(uint64_t first, uint64_t end, bool free)
{
	for (uint64_t f = first; f < end && f < MAX_RAM_FRAMES; f++) {
		if (frame_is_free(f) == free)
			continue;
		free_bitmap[f / 64] ^= 1ULL << (f % 64);
		nr_free += free ? 1 : -1;
	}
}

void page_alloc_init(const struct boot_info *bi)
{
	for (unsigned int i = 0; i < bi->nr_mmap; i++) {
		const struct boot_mmap_entry *e = &bi->mmap[i];
		uint64_t first = ALIGN_UP(e->base, PAGE_SIZE) >> PAGE_SHIFT;
		uint64_t end = (e->base + e->len) >> PAGE_SHIFT;

		if (e->type != E820_RAM || end <= first)
			continue;
		mark_range(first, end, true);
		if (end > max_mfn)
			max_mfn = MIN(end, MAX_RAM_FRAMES);
	}
	/* Taken: real-mode memory, our image, the modules. */
	mark_range(0, 0x100000 >> PAGE_SHIFT, false);
	mark_range(__pa(_start) >> PAGE_SHIFT,
		   ALIGN_UP(__pa(_end), PAGE_SIZE) >> PAGE_SHIFT, false);
	for (unsigned int i = 0; i < bi->nr_mods; i++)
		mark_range(bi->mods[i].start >> PAGE_SHIFT,
			   ALIGN_UP(bi->mods[i].end, PAGE_SIZE) >> PAGE_SHIFT,
			   false);
	alloc_hint = 0x100000 >> PAGE_SHIFT;
	log_info("memory: %llu MiB free, highest frame %#llx",
		 (unsigned long long)(nr_free >> (20 - PAGE_SHIFT)),
		 (unsigned long long)max_mfn);
}

void frame_table_init(struct page_info *ft)
{
	for (uint64_t f = 0; f < max_mfn; f++)
		ft[f].owner = frame_is_free(f) ? OWNER_NONE : DOMID_XEN;
	frame_table = ft;
}

static void take(uint64_t first, uint64_t nr)
{
	mark_range(first, first + nr, false);
	memset(__va(first << PAGE_SHIFT), 0, nr << PAGE_SHIFT);
	if (frame_table)
		for (uint64_t f = first; f < first + nr; f++)
			frame_table[f] = (struct page_info){ .owner = DOMID_XEN };
}

mfn_t alloc_page(void)
{
	for (uint64_t n = 0; n < max_mfn; n++) {
		uint64_t f = alloc_hint++;

		if (alloc_hint >= max_mfn)
			alloc_hint = 0;
		if (frame_is_free(f)) {
			take(f, 1);
			return _mfn(f);
		}
	}
	return INVALID_MFN;
}

mfn_t alloc_pages(uint64_t nr)
{
	uint64_t run = 0;

	for (uint64_t f = 0; f < max_mfn; f++) {
		run = frame_is_free(f) ? run + 1 : 0;
		if (run == nr) {
			take(f + 1 - nr, nr);
			return _mfn(f + 1 - nr);
		}
	}
	return INVALID_MFN;
}

void free_page(mfn_t mfn)
{
	BUG_ON(!mfn_valid(mfn) || frame_is_free(mfn_x(mfn)));
	frame_table[mfn_x(mfn)] = (struct page_info){ .owner = OWNER_NONE };
	mark_range(mfn_x(mfn), mfn_x(mfn) + 1, true);
}

uint64_t free_page_count(void)
{
	return nr_free;
}

/* First fit of @nr free frames, aligned to @nr, below @limit. */
static mfn_t find_run(uint64_t nr, uint64_t limit)
{
	uint64_t end = limit && limit < max_mfn ? limit : max_mfn;

	for (uint64_t f = 0; f + nr <= end; f += nr) {
		uint64_t i = 0;

		while (i < nr && frame_is_free(f + i))
			i++;
		if (i == nr)
			return _mfn(f);
	}
	return INVALID_MFN;
}

mfn_t alloc_domain_pages(struct domain *d, unsigned int order, uint64_t limit)
{
	uint64_t nr = 1ULL << order;
	mfn_t mfn;

	if (d->tot_pages + nr > d->max_pages)
		return INVALID_MFN;
	mfn = (order == 0 && !limit) ? alloc_page() : find_run(nr, limit);
	if (mfn_x(mfn) == mfn_x(INVALID_MFN))
		return mfn;
	if (order || limit)
		take(mfn_x(mfn), nr);
	for (uint64_t i = 0; i < nr; i++)
		/* One reference for the allocation; "was writable" for flushes. */
		*mfn_to_page(_mfn(mfn_x(mfn) + i)) = (struct page_info){
			.owner = d->domid, .type = PGT_writable,
			.flags = PGF_allocated, .count = 1 };
	d->tot_pages += nr;
	return mfn;
}
