// SPDX-License-Identifier: MIT
/*
 * mm-mem: memory_op as a PV dom0 sees it (linux-pv-requirements.md 1.2,
 * 4.5): reservations, maximum_ram_page, the M2P's place and frames, the
 * machine memory map, the whole p2m agreeing with the M2P, and giving a
 * page back (decrease_reservation) then getting one again
 * (populate_physmap, exchange) with the M2P and p2m kept in step
 * (MMU_MACHPHYS_UPDATE).
 */
#include "mm.h"

TEST_CATEGORY(functional);

#define E820_RAM 1
#define CMD_AT(op, extent) ((op) | ((extent) << MEMOP_EXTENT_SHIFT))

static uint64_t *p2m(void)
{
	return (uint64_t *)(uintptr_t)start_info->mfn_list;
}

static long reservation(unsigned int op, domid_t dom)
{
	return hv_memory_op(op, &dom);
}

static void test_reservation(void)
{
	long cur = reservation(XENMEM_current_reservation, DOMID_SELF);
	long max = reservation(XENMEM_maximum_reservation, DOMID_SELF);

	CHECK(cur == (long)start_info->nr_pages,
	      "current_reservation %ld, start_info nr_pages %lu", cur,
	      start_info->nr_pages);
	CHECK(max >= cur, "maximum_reservation %ld < current %ld", max, cur);
	CHECK_RC(reservation(XENMEM_current_reservation, 0), cur);
	CHECK_RC(reservation(XENMEM_current_reservation, 0x1234), -HV_ESRCH);
	CHECK_RC(reservation(XENMEM_maximum_reservation, 0x1234), -HV_ESRCH);
	CHECK_RC(hv_memory_op(XENMEM_current_reservation, (void *)BAD_PTR_HOLE),
		 -HV_EFAULT);
	CHECK_RC(hv_memory_op(CMD_AT(XENMEM_current_reservation, 1),
			      &(domid_t){ DOMID_SELF }), -HV_EINVAL);
	CHECK_RC(hv_memory_op(63, NULL), -HV_ENOSYS);
}

static void test_max_ram_page(void)
{
	long max = hv_memory_op(XENMEM_maximum_ram_page, NULL);
	uint64_t pfn, top = 0;

	for (pfn = 0; pfn < start_info->nr_pages; pfn++)
		if (p2m()[pfn] > top)
			top = p2m()[pfn];
	CHECK(max > 0 && (uint64_t)max > top,
	      "maximum_ram_page %ld, highest mfn of ours %#lx", max, top);
	CHECK_RC(hv_memory_op(CMD_AT(XENMEM_maximum_ram_page, 1), NULL),
		 -HV_EINVAL);
}

static void test_machphys_mapping(void)
{
	struct xen_machphys_mapping m = { 0 };
	long max = hv_memory_op(XENMEM_maximum_ram_page, NULL);

	CHECK_RC(hv_memory_op(XENMEM_machphys_mapping, &m), 0);
	CHECK_EQ(m.v_start, MACH2PHYS_VIRT_START);
	CHECK_EQ(m.v_end, MACH2PHYS_VIRT_END);
	/* The hardware domain is told the real top frame. */
	CHECK_EQ(m.max_mfn, (uint64_t)max - 1);
	CHECK_RC(hv_memory_op(XENMEM_machphys_mapping, (void *)BAD_PTR_HOLE),
		 -HV_EFAULT);
}

static void test_machphys_mfn_list(void)
{
	uint64_t mfns[16] = { 0 };
	struct xen_machphys_mfn_list l = {
		.max_extents = 16, .extent_start = VA(mfns),
	};
	uint64_t max = (uint64_t)hv_memory_op(XENMEM_maximum_ram_page, NULL);
	uint64_t want = (max * 8 + (1 << 21) - 1) >> 21;	/* 2 MiB each */
	unsigned int i;

	CHECK_RC(hv_memory_op(XENMEM_machphys_mfn_list, &l), 0);
	CHECK_EQ(l.nr_extents, want < 16 ? want : 16);
	for (i = 0; i < l.nr_extents; i++)
		CHECK(mfns[i] && mfns[i] < max && !mfn_to_virt(mfns[i]),
		      "extent %u: mfn %#lx (max_ram_page %#lx)", i, mfns[i],
		      max);
	l.max_extents = 0;
	CHECK_RC(hv_memory_op(XENMEM_machphys_mfn_list, &l), 0);
	CHECK_EQ(l.nr_extents, 0);
	l.max_extents = 16;
	l.extent_start = BAD_PTR_HOLE;
	CHECK_RC(hv_memory_op(XENMEM_machphys_mfn_list, &l), -HV_EFAULT);
}

static void test_p2m_m2p_all(void)
{
	uint64_t pfn, bad = 0;

	for (pfn = 0; pfn < start_info->nr_pages; pfn++) {
		uint64_t mfn = p2m()[pfn];

		if (mfn < MACH2PHYS_NR_ENTRIES && M2P_TABLE[mfn] == pfn)
			continue;
		if (!bad++)
			fail("pfn %#lx: mfn %#lx, M2P says %#lx", pfn, mfn,
			     mfn < MACH2PHYS_NR_ENTRIES ? M2P_TABLE[mfn] :
			     ~0UL);
	}
	CHECK(!bad, "%lu of %lu pfns disagree", bad, start_info->nr_pages);
}

static struct e820_entry map[64];

static void test_memory_maps(void)
{
	struct xen_memory_map m = { .nr_entries = 64, .buffer = VA(map) };
	uint64_t own = mfn_of((void *)VIRT_BASE) << 12, end = 0;
	unsigned int i, n;
	bool covered = false;

	/* A PV dom0 has no pseudo-physical map of its own. */
	CHECK_RC(hv_memory_op(XENMEM_memory_map, &m), -HV_ENOSYS);
	CHECK_RC(hv_memory_op(XENMEM_machine_memory_map, &m), 0);
	n = m.nr_entries;
	CHECK(n >= 1 && n <= 64, "machine map has %u entries", n);
	for (i = 0; i < n && i < 64; i++) {
		CHECK(map[i].addr >= end && map[i].size,
		      "entry %u [%#lx +%#lx] overlaps or is empty", i,
		      map[i].addr, map[i].size);
		end = map[i].addr + map[i].size;
		if (map[i].type == E820_RAM && own >= map[i].addr &&
		    own < end)
			covered = true;
	}
	CHECK(covered, "our frame %#lx is in no RAM entry", own);
	/* Counting only (NULL buffer), then a buffer that is too small. */
	m.buffer = 0;
	m.nr_entries = 0;
	CHECK_RC(hv_memory_op(XENMEM_machine_memory_map, &m), 0);
	CHECK_EQ(m.nr_entries, n);
	m.buffer = VA(map);
	m.nr_entries = 1;
	CHECK_RC(hv_memory_op(XENMEM_machine_memory_map, &m), -HV_EINVAL);
	m.buffer = BAD_PTR_HOLE;
	m.nr_entries = 64;
	CHECK_RC(hv_memory_op(XENMEM_machine_memory_map, &m), -HV_EFAULT);
}

static long resv_op(unsigned int op, uint64_t *extents, uint64_t n)
{
	struct xen_memory_reservation r = {
		.extent_start = VA(extents), .nr_extents = n,
		.domid = DOMID_SELF,
	};

	return hv_memory_op(op, &r);
}

/* Gives page's frame back; returns its pfn, or ~0 on a reported error. */
static uint64_t release_page(void *page)
{
	uint64_t pfn = (VA(page) - VIRT_BASE) >> 12, mfn = p2m()[pfn];
	long rc;

	rc = hv_update_va_mapping(VA(page), 0, UVMF_INVLPG);
	if (rc) {
		error("unmapping the page: %ld", rc);
		return ~0ULL;
	}
	rc = resv_op(XENMEM_decrease_reservation, &mfn, 1);
	CHECK(rc == 1, "decrease_reservation([%#lx]) = %ld, want 1", mfn, rc);
	p2m()[pfn] = ~0ULL;
	return rc == 1 ? pfn : ~0ULL;
}

/* Puts mfn in as pfn's frame: M2P, p2m and the kernel mapping. */
static void adopt_frame(void *page, uint64_t pfn, uint64_t mfn)
{
	CHECK_EQ(M2P_TABLE[mfn], pfn);
	CHECK_RC(mmu_update1((mfn << 12) | MMU_MACHPHYS_UPDATE, pfn), 0);
	CHECK_EQ(M2P_TABLE[mfn], pfn);
	p2m()[pfn] = mfn;
	CHECK_RC(map_own(page, PT_RW), 0);
	((volatile uint64_t *)page)[0] = 0x1234;
	CHECK_EQ(((volatile uint64_t *)page)[0], 0x1234);
}

static void test_decrease_populate(void)
{
	long cur = reservation(XENMEM_current_reservation, DOMID_SELF);
	uint64_t *page = page_alloc(), pfn, ext, bad = mfn_of(page);
	long rc;

	if (!page) {
		error("page pool exhausted");
		return;
	}
	pfn = release_page(page);
	if (pfn == ~0ULL)
		return;
	CHECK_RC(reservation(XENMEM_current_reservation, DOMID_SELF), cur - 1);
	/* The frame is gone: giving it back again does nothing. */
	CHECK_RC(resv_op(XENMEM_decrease_reservation, &bad, 1), 0);
	ext = pfn;
	rc = resv_op(XENMEM_populate_physmap, &ext, 1);
	CHECK(rc == 1, "populate_physmap([%#lx]) = %ld, want 1", pfn, rc);
	if (rc != 1)
		return;
	CHECK_RC(reservation(XENMEM_current_reservation, DOMID_SELF), cur);
	adopt_frame(page, pfn, ext);
	page_free(page);
}

static void test_increase_reservation(void)
{
	long cur = reservation(XENMEM_current_reservation, DOMID_SELF);
	long max = reservation(XENMEM_maximum_reservation, DOMID_SELF);
	uint64_t *page = page_alloc(), pfn, ext = 0;
	long rc;

	if (!page) {
		error("page pool exhausted");
		return;
	}
	if (cur >= max)	/* at the limit: nothing can be added */
		CHECK_RC(resv_op(XENMEM_increase_reservation, &ext, 1), 0);
	pfn = release_page(page);
	if (pfn == ~0ULL)
		return;
	rc = resv_op(XENMEM_increase_reservation, &ext, 1);
	CHECK(rc == 1, "increase_reservation(1) = %ld, want 1", rc);
	if (rc != 1)
		return;
	CHECK(!mfn_to_virt(ext), "new mfn %#lx already maps back", ext);
	CHECK_RC(reservation(XENMEM_current_reservation, DOMID_SELF), cur);
	/* increase_reservation leaves the M2P to the guest. */
	CHECK_RC(mmu_update1((ext << 12) | MMU_MACHPHYS_UPDATE, pfn), 0);
	adopt_frame(page, pfn, ext);
	page_free(page);
	/* Bad extent arrays and domains: no extent done. */
	CHECK_RC(resv_op(XENMEM_increase_reservation, (void *)BAD_PTR_HOLE, 1),
		 0);
	CHECK_RC(hv_memory_op(XENMEM_increase_reservation,
			      (void *)BAD_PTR_HOLE), 0);
}

static void test_exchange(void)
{
	uint64_t *page = page_alloc(), pfn, in, out;
	struct xen_memory_exchange x = { 0 };
	long rc;

	if (!page) {
		error("page pool exhausted");
		return;
	}
	pfn = (VA(page) - VIRT_BASE) >> 12;
	in = p2m()[pfn];
	out = pfn;
	CHECK_RC(hv_update_va_mapping(VA(page), 0, UVMF_INVLPG), 0);
	x.in = (struct xen_memory_reservation){
		.extent_start = VA(&in), .nr_extents = 1, .domid = DOMID_SELF,
	};
	x.out = (struct xen_memory_reservation){
		.extent_start = VA(&out), .nr_extents = 1, .domid = DOMID_SELF,
	};
	x.nr_exchanged = 2;	/* more than in.nr_extents */
	CHECK_RC(hv_memory_op(XENMEM_exchange, &x), -HV_EINVAL);
	x.nr_exchanged = 0;
	rc = hv_memory_op(XENMEM_exchange, &x);
	CHECK(rc == 0 && x.nr_exchanged == 1,
	      "exchange([%#lx] -> [pfn %#lx]) = %ld, nr_exchanged %lu", in,
	      pfn, rc, x.nr_exchanged);
	if (rc || x.nr_exchanged != 1) {
		p2m()[pfn] = in;
		CHECK_RC(map_own(page, PT_RW), 0);
		return;
	}
	adopt_frame(page, pfn, out);
	page_free(page);
	CHECK_RC(hv_memory_op(XENMEM_exchange, (void *)BAD_PTR_HOLE),
		 -HV_EFAULT);
}

void test_main(void)
{
	if (traps_init()) {
		printk("set_trap_table failed\n");
		return;
	}
	run_case("reservation", test_reservation);
	run_case("maximum_ram_page", test_max_ram_page);
	run_case("machphys_mapping", test_machphys_mapping);
	run_case("machphys_mfn_list", test_machphys_mfn_list);
	run_case("p2m_m2p_all", test_p2m_m2p_all);
	run_case("memory_maps", test_memory_maps);
	run_case("decrease_populate", test_decrease_populate);
	run_case("increase_reservation", test_increase_reservation);
	run_case("exchange", test_exchange);
	run_case("p2m_m2p_after", test_p2m_m2p_all);
}
