// SPDX-License-Identifier: MIT
/*
 * mm-neg: page-table updates the hypervisor must refuse, each with Xen
 * 4.17's exact error, and the domain carrying on afterwards: frames we
 * do not own, writable mappings of page tables, addresses in the
 * hypervisor hole, PSE and writable linear entries, pin/unpin misuse,
 * MMU_MACHPHYS_UPDATE of foreign frames, bad pointers, counts and
 * command bits.
 */
#include "mm.h"

TEST_CATEGORY(security);

#define TEST_VA 0x0000008000000000ULL	/* L4 slot 1, unmapped */
#define LAPIC_MFN 0xfee00ULL		/* denied to dom0 by Xen */
#define MMIO_MFN 0x20000ULL		/* 512 MiB: above RAM, no device */
#define SENTINEL 0x600d600d600d600dULL

static uint64_t window[512] __attribute__((aligned(4096)));

static uint64_t m2p_mfn(void)
{
	uint64_t mfns[4] = { 0 };
	struct xen_machphys_mfn_list l = {
		.max_extents = 4, .extent_start = VA(mfns),
	};
	long rc = hv_memory_op(XENMEM_machphys_mfn_list, &l);

	if (rc || !l.nr_extents || !mfns[0]) {
		error("XENMEM_machphys_mfn_list: rc %ld, %u extents", rc,
		      l.nr_extents);
		case_abort();
	}
	return mfns[0];
}

/* The window still maps its own frame and the domain still works. */
static void check_window_intact(void)
{
	uint64_t v = 0;

	CHECK(!probe_read(VA(window), &v) && v == SENTINEL,
	      "window now reads %#lx", v);
	CHECK_RC(tlb_flush_local(), 0);
}

static long map_window(uint64_t mfn, uint64_t flags)
{
	return hv_update_va_mapping(VA(window), pte_of_mfn(mfn, flags),
				    UVMF_INVLPG | UVMF_LOCAL);
}

static void test_map_unowned(void)
{
	uint64_t mfn = m2p_mfn();

	window[0] = SENTINEL;
	CHECK_RC(map_window(mfn, PT_RO), -HV_EBUSY);
	CHECK_RC(map_window(mfn, PT_RW), -HV_EBUSY);
	/* The local APIC is MMIO the hardware domain may not map. */
	CHECK_RC(map_window(LAPIC_MFN, PT_RO), -HV_EPERM);
	/* The same through mmu_update on the window's L1 entry. */
	CHECK_RC(mmu_update1(pt_maddr(pt_entry(VA(window), 1)),
			     pte_of_mfn(mfn, PT_RO)), -HV_EBUSY);
	check_window_intact();
}

/* mmu_update of the window's L1 entry with a foreign-domain argument. */
static long update_window(uint64_t val, unsigned int foreigndom)
{
	struct mmu_update req = {
		.ptr = pt_maddr(pt_entry(VA(window), 1)), .val = val,
	};

	return hv_mmu_update(&req, 1, NULL, foreigndom);
}

/* DOMID_XEN's frames: the M2P read-only is allowed, never writable. */
static void test_map_domid_xen(void)
{
	uint64_t mfn = m2p_mfn(), v = 0;
	uint64_t own = pte_of_mfn(mfn_of(window), PT_RW);

	window[0] = SENTINEL;
	CHECK_RC(hv_update_va_mapping_otherdomain(VA(window),
						  pte_of_mfn(mfn, PT_RW),
						  UVMF_INVLPG, DOMID_XEN),
		 -HV_EBUSY);
	check_window_intact();
	CHECK_RC(hv_update_va_mapping_otherdomain(VA(window),
						  pte_of_mfn(mfn, PT_RO),
						  UVMF_INVLPG, DOMID_XEN), 0);
	CHECK(!probe_read(VA(window), &v) && v == M2P_TABLE[0],
	      "M2P frame through the window: %#lx, M2P[0] %#lx", v,
	      M2P_TABLE[0]);
	CHECK_RC(hv_update_va_mapping_otherdomain(VA(window),
						  pte_of_mfn(mfn_of(window),
							     PT_RW),
						  UVMF_INVLPG, 0x1234),
		 -HV_ESRCH);
	CHECK_RC(map_own(window, PT_RW), 0);
	check_window_intact();
	/* mmu_update's foreign forms: pages of DOMID_XEN, tables of dom0. */
	CHECK_RC(update_window(pte_of_mfn(mfn, PT_RO), DOMID_XEN), 0);
	CHECK_RC(invlpg_local(VA(window)), 0);
	CHECK(!probe_read(VA(window), &v) && v == M2P_TABLE[0],
	      "M2P frame via mmu_update(DOMID_XEN): %#lx", v);
	CHECK_RC(update_window(own, (1U << 16) | DOMID_SELF), 0);
	CHECK_RC(invlpg_local(VA(window)), 0);
	check_window_intact();
	CHECK_RC(update_window(own, (0x1235U << 16) | DOMID_SELF), -HV_ESRCH);
	CHECK_RC(hv_update_va_mapping_otherdomain(VA(window), own, UVMF_INVLPG,
						  DOMID_SELF), 0);
	check_window_intact();
}

static void test_map_table_writable(void)
{
	uint64_t *l1 = page_alloc();
	volatile uint64_t *boot_l1e = pt_entry(VA(window), 1);
	uint64_t boot_l1 = pt_maddr(boot_l1e) >> 12;

	if (!l1) {
		error("page pool exhausted");
		return;
	}
	window[0] = SENTINEL;
	CHECK_RC(make_ro(l1), 0);
	CHECK_RC(pin_table(1, mfn_of(l1)), 0);
	CHECK_RC(make_rw(l1), -HV_EBUSY);
	CHECK_RC(map_window(mfn_of(l1), PT_RW), -HV_EBUSY);
	/* Read-only mappings of a page table are fine. */
	CHECK_RC(map_window(mfn_of(l1), PT_RO), 0);
	CHECK_RC(map_own(window, PT_RW), 0);
	CHECK_RC(map_window(boot_l4_mfn(), PT_RW), -HV_EBUSY);
	CHECK_RC(map_window(boot_l1, PT_RW), -HV_EBUSY);
	check_window_intact();
	CHECK_RC(unpin_table(mfn_of(l1)), 0);
	CHECK_RC(make_rw(l1), 0);
	page_free(l1);
}

static void test_uvm_bad_va(void)
{
	static const uint64_t bad[] = {
		MACH2PHYS_VIRT_START, BAD_PTR_HOLE, HYPERVISOR_VIRT_END - 4096,
		BAD_PTR_NONCANON, 0x0000800000000000ULL, TEST_VA,
	};
	uint64_t pte = pte_of_mfn(mfn_of(window), PT_RO);
	unsigned int i;
	long rc;

	window[0] = SENTINEL;
	for (i = 0; i < ARRAY_SIZE(bad); i++) {
		rc = hv_update_va_mapping(bad[i], pte, UVMF_INVLPG);
		CHECK(rc == -HV_EINVAL,
		      "update_va_mapping(%#lx, %#lx, INVLPG) = %ld, want %d",
		      bad[i], pte, rc, -HV_EINVAL);
	}
	check_window_intact();
}

/* A pinned set not loaded anywhere, for entry updates at every level. */
static int pinned_set(struct pt_set *s, uint64_t **data)
{
	*data = page_alloc();
	if (!*data || pt_set_build(s, TEST_VA, pte_of_mfn(mfn_of(*data), PT_RW),
				   false)) {
		error("page pool exhausted");
		return -1;
	}
	if (pt_set_protect(s) || pt_set_pin(s)) {
		error("could not protect and pin a table set");
		return -1;
	}
	return 0;
}

static void release_set(struct pt_set *s, uint64_t *data)
{
	CHECK_RC(pt_set_unpin(s), 0);
	pt_set_free(s);
	page_free(data);
}

static void test_pse_and_slots(void)
{
	struct pt_set s;
	uint64_t *data, big;

	if (pinned_set(&s, &data))
		return;
	big = pte_of_mfn(mfn_of(data) & ~511ULL, PT_RW | _PAGE_PSE);
	CHECK_RC(mmu_update1((mfn_of(s.l2) << 12) + 8 * 7, big), -HV_EINVAL);
	CHECK_RC(mmu_update1((mfn_of(s.l3) << 12) + 8 * 7,
			     pte_of_mfn(mfn_of(data) & ~0x3ffffULL,
					PT_RW | _PAGE_PSE)), -HV_EINVAL);
	/* L4 slots 256-271 belong to the hypervisor. */
	CHECK_RC(mmu_update1((mfn_of(s.l4) << 12) + 8 * 256,
			     pte_of_mfn(mfn_of(s.l3), PT_TABLE)), -HV_EINVAL);
	CHECK_RC(mmu_update1((mfn_of(s.l4) << 12) + 8 * 271, 0), -HV_EINVAL);
	/* A writable self-reference (linear page table) is refused. */
	CHECK_RC(mmu_update1((mfn_of(s.l4) << 12) + 8 * 2,
			     pte_of_mfn(mfn_of(s.l4), PT_TABLE)), -HV_EINVAL);
	CHECK_RC(mmu_update1((mfn_of(s.l3) << 12) + 8 * 2,
			     pte_of_mfn(mfn_of(s.l3), PT_TABLE)), -HV_EINVAL);
	CHECK_RC(mmu_update1((mfn_of(s.l2) << 12) + 8 * 2,
			     pte_of_mfn(mfn_of(s.l2), PT_TABLE)), -HV_EINVAL);
	/* Tables that are frames of others. */
	CHECK_RC(mmu_update1((mfn_of(s.l4) << 12) + 8 * 3,
			     pte_of_mfn(m2p_mfn(), PT_TABLE)), -HV_EINVAL);
	CHECK_RC(mmu_update1((mfn_of(s.l2) << 12) + 8 * 3,
			     pte_of_mfn(m2p_mfn(), PT_TABLE)), -HV_EINVAL);
	/* An L2 entry naming a page that is in use as data (writable). */
	CHECK_RC(mmu_update1((mfn_of(s.l2) << 12) + 8 * 4,
			     pte_of_mfn(mfn_of(data), PT_TABLE)), -HV_EINVAL);
	/* An L1 entry granting write access to the L1 itself. */
	CHECK_RC(mmu_update1((mfn_of(s.l1) << 12) + 8 * 2,
			     pte_of_mfn(mfn_of(s.l1), PT_RW)), -HV_EBUSY);
	/* Nothing changed: the entries still read as before. */
	CHECK_EQ(s.l2[7], 0);
	CHECK_EQ(s.l4[2], 0);
	CHECK_EQ(s.l1[2], 0);
	release_set(&s, data);
}

/* Validation at pin time: a PSE L2 entry makes the pin fail. */
static void test_pin_pse_table(void)
{
	uint64_t *l2 = page_alloc(), *data = page_alloc();

	if (!l2 || !data) {
		error("page pool exhausted");
		return;
	}
	l2[3] = pte_of_mfn(mfn_of(data) & ~511ULL, PT_RW | _PAGE_PSE);
	CHECK_RC(make_ro(l2), 0);
	CHECK_RC(pin_table(2, mfn_of(l2)), -HV_EINVAL);
	CHECK_RC(make_rw(l2), 0);
	page_free(l2);
	page_free(data);
}

static void test_pin_misuse(void)
{
	uint64_t *t = page_alloc(), *w = page_alloc();
	uint64_t m2p = m2p_mfn();

	if (!t || !w) {
		error("page pool exhausted");
		return;
	}
	CHECK_RC(unpin_table(mfn_of(t)), -HV_EINVAL);	/* never pinned */
	CHECK_RC(pin_table(1, mfn_of(w)), -HV_EINVAL);	/* mapped writable */
	CHECK_RC(make_ro(t), 0);
	CHECK_RC(pin_table(1, mfn_of(t)), 0);
	CHECK_RC(pin_table(1, mfn_of(t)), -HV_EINVAL);	/* twice */
	CHECK_RC(pin_table(2, mfn_of(t)), -HV_EINVAL);	/* other type */
	CHECK_RC(pin_table(4, mfn_of(t)), -HV_EINVAL);
	CHECK_RC(pin_table(1, m2p), -HV_EINVAL);	/* not ours */
	CHECK_RC(unpin_table(m2p), -HV_EINVAL);
	CHECK_RC(new_baseptr(mfn_of(t)), -HV_EINVAL);	/* an L1, not an L4 */
	CHECK_RC(unpin_table(mfn_of(t)), 0);
	CHECK_RC(unpin_table(mfn_of(t)), -HV_EINVAL);
	CHECK_RC(make_rw(t), 0);
	page_free(t);
	page_free(w);
}

static void test_machphys_foreign(void)
{
	uint64_t m2p = m2p_mfn(), own = mfn_of(window);
	uint64_t pfn = M2P_TABLE[own];

	CHECK_RC(mmu_update1((m2p << 12) | MMU_MACHPHYS_UPDATE, 5), -HV_EINVAL);
	CHECK_RC(mmu_update1((LAPIC_MFN << 12) | MMU_MACHPHYS_UPDATE, 5),
		 -HV_EINVAL);
	/* Our own frame: allowed; put the same value back. */
	CHECK_RC(mmu_update1((own << 12) | MMU_MACHPHYS_UPDATE, pfn), 0);
	CHECK_EQ(M2P_TABLE[own], pfn);
}

static long mmuext_foreign(unsigned int cmd, unsigned int dom)
{
	struct mmuext_op op = { .cmd = cmd };

	return hv_mmuext_op(&op, 1, NULL, dom);
}

static void test_bad_requests(void)
{
	uint64_t ptr = pt_maddr(pt_entry(VA(window), 1));
	uint64_t good = pte_of_mfn(mfn_of(window), PT_RW);
	struct mmu_update req = { .ptr = ptr, .val = good };
	unsigned int cmd, done = 0;

	window[0] = SENTINEL;
	for (cmd = 4; cmd < 8; cmd++)
		CHECK(mmu_update1(ptr | cmd, good) == -HV_ENOSYS,
		      "mmu_update(ptr | %u) = %ld, want %d", cmd,
		      mmu_update1(ptr | cmd, good), -HV_ENOSYS);
	/* A "page table" in a frame we do not own. */
	CHECK_RC(mmu_update1(m2p_mfn() << 12, good), -HV_EINVAL);
	/* Request arrays in the hole, non-canonical, or running past 2^47. */
	CHECK_RC(hv_mmu_update((void *)BAD_PTR_HOLE, 1, NULL, DOMID_SELF),
		 -HV_EFAULT);
	CHECK_RC(hv_mmu_update((void *)BAD_PTR_NONCANON, 1, NULL, DOMID_SELF),
		 -HV_EFAULT);
	CHECK_RC(hv_mmu_update((void *)0x00007ffffffff000ULL, 0xffffffffU, NULL,
			       DOMID_SELF), -HV_EFAULT);
	CHECK_RC(hv_mmu_update((void *)0x00007ffffffff000ULL, 4096, NULL,
			       DOMID_SELF), -HV_EFAULT);
	CHECK_RC(hv_mmuext_op((void *)0x00007ffffffff000ULL, 0xffffffffU, NULL,
			      DOMID_SELF), -HV_EFAULT);
	CHECK_RC(hv_mmuext_op((void *)BAD_PTR_HOLE, 1, NULL, DOMID_SELF),
		 -HV_EFAULT);
	/* An unknown foreign domain. */
	CHECK_RC(hv_mmu_update(&req, 1, NULL, 0x1234), -HV_ESRCH);
	CHECK_RC(mmuext_foreign(MMUEXT_TLB_FLUSH_LOCAL, 0x1234), -HV_ESRCH);
	/* An unknown mmuext command. */
	CHECK_RC(mmuext1(14, 0, 0), -HV_ENOSYS);
	CHECK_RC(mmuext1(99, 0, 0), -HV_ENOSYS);
	/* The count written back counts the requests done. */
	CHECK_RC(hv_mmu_update(&req, 1, &done, DOMID_SELF), 0);
	CHECK_EQ(done, 1);
	check_window_intact();
}

/* Device memory: the hardware domain may map it, forced uncachable. */
static void test_map_mmio(void)
{
	volatile uint64_t *e = pt_entry(VA(window), 1);
	long rc;

	window[0] = SENTINEL;
	rc = map_window(MMIO_MFN, PT_RW);
	CHECK(rc == 0, "update_va_mapping(window, mfn %#llx) = %ld, want 0",
	      MMIO_MFN, rc);
	if (!rc) {
		CHECK_EQ((*e & PTE_ADDR_MASK) >> 12, MMIO_MFN);
		CHECK((*e & (_PAGE_PCD | _PAGE_PWT)) == (_PAGE_PCD | _PAGE_PWT),
		      "MMIO entry %#lx not uncachable", *e);
	}
	CHECK_RC(map_own(window, PT_RW), 0);
	check_window_intact();
}

static void test_page_ops(void)
{
	uint64_t *pg = page_alloc(), m2p = m2p_mfn();
	struct mmuext_op op = { .cmd = MMUEXT_TLB_FLUSH_MULTI };
	long rc;

	if (!pg) {
		error("page pool exhausted");
		return;
	}
	/* No writes into page tables or frames of others. */
	CHECK_RC(mmuext1(MMUEXT_CLEAR_PAGE, boot_l4_mfn(), 0), -HV_EINVAL);
	CHECK_RC(mmuext1(MMUEXT_CLEAR_PAGE, m2p, 0), -HV_EINVAL);
	CHECK_RC(mmuext1(MMUEXT_COPY_PAGE, boot_l4_mfn(), mfn_of(pg)),
		 -HV_EINVAL);
	CHECK_RC(mmuext1(MMUEXT_COPY_PAGE, mfn_of(pg), m2p), -HV_EINVAL);
	CHECK_RC(mmuext1(MMUEXT_COPY_PAGE, m2p, mfn_of(pg)), -HV_EINVAL);
	CHECK_RC(mmuext1(MMUEXT_MARK_SUPER, mfn_of(pg), 0), -HV_EOPNOTSUPP);
	CHECK_RC(mmuext1(MMUEXT_UNMARK_SUPER, mfn_of(pg), 0), -HV_EOPNOTSUPP);
	/* A vCPU bitmap the hypervisor cannot read. */
	op.arg2.vcpumask = BAD_PTR_HOLE;
	CHECK_RC(hv_mmuext_op(&op, 1, NULL, DOMID_SELF), -HV_EINVAL);
	op.cmd = MMUEXT_INVLPG_MULTI;
	CHECK_RC(hv_mmuext_op(&op, 1, NULL, DOMID_SELF), -HV_EINVAL);
	/* update_va_mapping applies the update, then fails the flush. */
	window[0] = SENTINEL;
	pg[0] = 0xabab;
	rc = hv_update_va_mapping(VA(window), pte_of_mfn(mfn_of(pg), PT_RW),
				  UVMF_INVLPG | BAD_PTR_HOLE);
	CHECK(rc == -HV_EFAULT, "update_va_mapping(bitmap in the hole) = %ld",
	      rc);
	CHECK_EQ(pt_entry(VA(window), 1)[0] & PTE_ADDR_MASK, mfn_of(pg) << 12);
	CHECK_RC(map_own(window, PT_RW), 0);
	check_window_intact();
	page_free(pg);
}

void test_main(void)
{
	if (traps_init()) {
		printk("set_trap_table failed\n");
		return;
	}
	run_case("map_unowned", test_map_unowned);
	run_case("map_domid_xen", test_map_domid_xen);
	run_case("map_table_writable", test_map_table_writable);
	run_case("uvm_bad_va", test_uvm_bad_va);
	run_case("pse_slots_linear", test_pse_and_slots);
	run_case("pin_pse_table", test_pin_pse_table);
	run_case("pin_misuse", test_pin_misuse);
	run_case("machphys_foreign", test_machphys_foreign);
	run_case("bad_requests", test_bad_requests);
	run_case("map_mmio", test_map_mmio);
	run_case("page_ops", test_page_ops);
	printk("pool: %u pages free\n", pool_free_pages());
}
