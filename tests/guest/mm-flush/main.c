// SPDX-License-Identifier: MIT
/*
 * mm-flush: what the TLB flush requests guarantee (linux-pv-requirements.md
 * 3.2) when a kernel VA is moved between two frames: update_va_mapping's
 * UVMF_INVLPG/UVMF_TLB_FLUSH (local, all, vCPU bitmap), MMUEXT_INVLPG_* and
 * MMUEXT_TLB_FLUSH_* (only what holds after a flush is asserted), the
 * cache flushes the hardware domain may ask for, and MMUEXT_CLEAR_PAGE /
 * MMUEXT_COPY_PAGE.
 */
#include "mm.h"

TEST_CATEGORY(functional);

#define PATTERN 0x5a5a0123456789a5ULL

/* The page whose mapping the cases move around (restored afterwards). */
static uint8_t window[1][4096]
	__attribute__((aligned(4096), section(".bss.page_aligned")));

static void restore_windows(void)
{
	CHECK_RC(map_own(window[0], PT_RW), 0);
}

/* ---- TLB: only what a flush guarantees ---- */
static void remap(uint64_t *target, uint64_t flags)
{
	uint64_t pte = pte_of_mfn(mfn_of(target), PT_RW);
	long rc = hv_update_va_mapping(VA(window[0]), pte, flags);

	CHECK(!rc, "update_va_mapping(window, flags %#lx) = %ld", flags, rc);
}

static void test_tlb_flush(void)
{
	volatile uint64_t *w = (volatile uint64_t *)window[0];
	uint64_t *a = page_alloc(), *b = page_alloc(), v;

	if (!a || !b) {
		error("page pool exhausted");
		return;
	}
	a[0] = 0xaaaa;
	b[0] = 0xbbbb;
	remap(a, UVMF_INVLPG | UVMF_LOCAL);
	CHECK_EQ(*w, 0xaaaa);
	remap(b, UVMF_NONE);
	v = *w;		/* either frame: no flush was asked for */
	CHECK(v == 0xaaaa || v == 0xbbbb, "window reads %#lx", v);
	CHECK_RC(invlpg_local(VA(window[0])), 0);
	CHECK_EQ(*w, 0xbbbb);
	remap(a, UVMF_NONE);
	CHECK_RC(tlb_flush_local(), 0);
	CHECK_EQ(*w, 0xaaaa);
	remap(b, UVMF_TLB_FLUSH | UVMF_LOCAL);
	CHECK_EQ(*w, 0xbbbb);
	remap(a, UVMF_INVLPG | UVMF_ALL);
	CHECK_EQ(*w, 0xaaaa);
	remap(b, UVMF_TLB_FLUSH | UVMF_ALL);
	CHECK_EQ(*w, 0xbbbb);
	remap(a, UVMF_NONE);
	CHECK_RC(mmuext1(MMUEXT_INVLPG_ALL, VA(window[0]), 0), 0);
	CHECK_EQ(*w, 0xaaaa);
	remap(b, UVMF_NONE);
	CHECK_RC(mmuext1(MMUEXT_TLB_FLUSH_ALL, 0, 0), 0);
	CHECK_EQ(*w, 0xbbbb);
	restore_windows();
	page_free(a);
	page_free(b);
}

/* CLEAR_PAGE and COPY_PAGE on writable pages of ours. */
static void test_clear_copy_page(void)
{
	uint64_t *src = page_alloc(), *dst = page_alloc();
	unsigned int i, bad = 0;

	if (!src || !dst) {
		error("page pool exhausted");
		return;
	}
	for (i = 0; i < 512; i++) {
		src[i] = PATTERN ^ i;
		dst[i] = ~0ULL;
	}
	CHECK_RC(mmuext1(MMUEXT_COPY_PAGE, mfn_of(dst), mfn_of(src)), 0);
	for (i = 0; i < 512; i++)
		bad += ((volatile uint64_t *)dst)[i] != (PATTERN ^ i);
	CHECK(!bad, "COPY_PAGE: %u of 512 words differ", bad);
	CHECK_RC(mmuext1(MMUEXT_CLEAR_PAGE, mfn_of(dst), 0), 0);
	for (i = 0, bad = 0; i < 512; i++)
		bad += ((volatile uint64_t *)dst)[i] != 0;
	CHECK(!bad, "CLEAR_PAGE: %u of 512 words not zero", bad);
	/* Copying from a page table is fine (read-only use). */
	CHECK_RC(mmuext1(MMUEXT_COPY_PAGE, mfn_of(dst), boot_l4_mfn()), 0);
	CHECK_EQ(dst[511], ((uint64_t *)(uintptr_t)start_info->pt_base)[511]);
	page_free(src);
	page_free(dst);
}

/* The _MULTI forms with a bitmap naming vCPU 0, and cache flushes. */
static void test_flush_multi(void)
{
	volatile uint64_t *w = (volatile uint64_t *)window[0];
	uint64_t *a = page_alloc(), *b = page_alloc(), mask = 1;
	struct mmuext_op op = { .cmd = MMUEXT_INVLPG_MULTI };

	if (!a || !b) {
		error("page pool exhausted");
		return;
	}
	a[0] = 0xaaaa;
	b[0] = 0xbbbb;
	remap(a, UVMF_INVLPG | VA(&mask));
	CHECK_EQ(*w, 0xaaaa);
	remap(b, UVMF_NONE);
	op.arg1.linear_addr = VA(window[0]);
	op.arg2.vcpumask = VA(&mask);
	CHECK_RC(hv_mmuext_op(&op, 1, NULL, DOMID_SELF), 0);
	CHECK_EQ(*w, 0xbbbb);
	remap(a, UVMF_NONE);
	op.cmd = MMUEXT_TLB_FLUSH_MULTI;
	CHECK_RC(hv_mmuext_op(&op, 1, NULL, DOMID_SELF), 0);
	CHECK_EQ(*w, 0xaaaa);
	remap(b, UVMF_TLB_FLUSH | VA(&mask));
	CHECK_EQ(*w, 0xbbbb);
	/* The hardware domain may flush caches. */
	CHECK_RC(mmuext1(MMUEXT_FLUSH_CACHE, 0, 0), 0);
	CHECK_RC(mmuext1(MMUEXT_FLUSH_CACHE_GLOBAL, 0, 0), 0);
	restore_windows();
	page_free(a);
	page_free(b);
}

void test_main(void)
{
	if (traps_init()) {
		printk("set_trap_table failed\n");
		return;
	}
	run_case("tlb_flush", test_tlb_flush);
	run_case("flush_multi", test_flush_multi);
	run_case("clear_copy_page", test_clear_copy_page);
}
