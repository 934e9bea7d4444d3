// SPDX-License-Identifier: MIT
/*
 * mm-desc: descriptor tables (linux-pv-requirements.md 2.2, 3.2): set_gdt
 * with a read-only frame of ours and a user data segment loaded into %ds
 * and %es, update_descriptor on a live GDT frame (the change shows on
 * the next segment load), the checks both calls apply, GDT and LDT
 * frames refused as writable mappings, and MMUEXT_SET_LDT.
 */
#include "mm.h"

TEST_CATEGORY(security);

#define GDT_ENTRIES 512
#define SEL(i) (((i) << 3) | 3)		/* GDT, RPL 3 */
#define LDT_SEL(i) (((i) << 3) | 4 | 3)	/* LDT, RPL 3 */

/* Flat 4 GiB data segment, DPL 3, present, writable, accessed. */
#define DESC_DATA_DPL3 0x00cff3000000ffffULL
#define DESC_CODE64_DPL3 0x00affb000000ffffULL
#define DESC_NOT_PRESENT (DESC_DATA_DPL3 & ~(1ULL << 47))
#define DESC_TSS 0x0000890000000067ULL	/* system segment: refused */
/* A 64-bit call gate to a hypervisor selector (0xe008): refused. */
#define DESC_BAD_GATE 0x0000ec00e0080000ULL

static uint16_t read_ds(void)
{
	uint16_t v;

	asm volatile("mov %%ds, %0" : "=r"(v));
	return v;
}

static uint16_t read_es(void)
{
	uint16_t v;

	asm volatile("mov %%es, %0" : "=r"(v));
	return v;
}

/* Loads %ds; returns the vector it raised or -1. */
static long load_ds(uint16_t sel)
{
	trap_clear();
	asm volatile("1: mov %0, %%ds\n2:\n\t" ASM_EXTABLE(1b, 2b)
		     : : "r"(sel) : "memory");
	return last_trap.count ? (long)last_trap.vector : -1;
}

static void reset_segments(void)
{
	asm volatile("mov %0, %%ds\n\tmov %0, %%es" : : "r"(0) : "memory");
}

static uint64_t desc_maddr(const uint64_t *table, unsigned int i)
{
	return (mfn_of(table) << 12) + 8 * i;
}

static uint64_t *gdt_page(void)
{
	uint64_t *g = page_alloc();

	if (!g) {
		error("page pool exhausted");
		case_abort();
	}
	g[1] = DESC_DATA_DPL3;
	g[2] = DESC_CODE64_DPL3;
	return g;
}

static void test_set_gdt_load(void)
{
	uint64_t *g = gdt_page(), frame = mfn_of(g);
	volatile uint64_t probe = 0x77;
	long rc;

	CHECK_RC(make_ro(g), 0);
	rc = hv_set_gdt(&frame, GDT_ENTRIES);
	if (rc) {
		fail("set_gdt([%#lx], %u) = %ld, want 0", frame, GDT_ENTRIES,
		     rc);
		goto out;
	}
	CHECK_RC(load_ds(SEL(1)), -1);
	asm volatile("mov %0, %%es" : : "r"((uint16_t)SEL(1)));
	CHECK_EQ(read_ds(), SEL(1));
	CHECK_EQ(read_es(), SEL(1));
	CHECK_EQ(probe, 0x77);		/* memory through the new %ds */
	reset_segments();
	/* In use as a GDT: no writable mapping. */
	CHECK_RC(make_rw(g), -HV_EBUSY);
	/* Swap the descriptor underneath: the next load sees it. */
	CHECK_RC(hv_update_descriptor(desc_maddr(g, 1), DESC_NOT_PRESENT), 0);
	CHECK_EQ(g[1], DESC_NOT_PRESENT);
	CHECK_RC(load_ds(SEL(1)), 11);		/* #NP */
	CHECK_EQ(last_trap.error_code, SEL(1) & ~3);
	CHECK_RC(hv_update_descriptor(desc_maddr(g, 3), DESC_DATA_DPL3), 0);
	CHECK_RC(load_ds(SEL(3)), -1);
	CHECK_EQ(read_ds(), SEL(3));
	reset_segments();
out:
	CHECK_RC(hv_set_gdt(NULL, 0), 0);
	CHECK_RC(make_rw(g), 0);
	page_free(g);
}

static void test_update_descriptor_checks(void)
{
	uint64_t *g = gdt_page(), m = desc_maddr(g, 5);
	uint64_t mfns[1] = { 0 };
	struct xen_machphys_mfn_list l = {
		.max_extents = 1, .extent_start = VA(mfns),
	};

	/* A plain writable page of ours takes any valid descriptor. */
	CHECK_RC(hv_update_descriptor(m, DESC_DATA_DPL3), 0);
	CHECK_EQ(g[5], DESC_DATA_DPL3);
	CHECK_RC(hv_update_descriptor(m, 0), 0);
	CHECK_RC(hv_update_descriptor(m + 4, DESC_DATA_DPL3), -HV_EINVAL);
	CHECK_RC(hv_update_descriptor(m, DESC_TSS), -HV_EINVAL);
	CHECK_RC(hv_update_descriptor(m, DESC_BAD_GATE), -HV_EINVAL);
	CHECK_EQ(g[5], 0);
	if (hv_memory_op(XENMEM_machphys_mfn_list, &l) || !mfns[0]) {
		error("XENMEM_machphys_mfn_list failed");
	} else {
		CHECK_RC(hv_update_descriptor(mfns[0] << 12, 0), -HV_EINVAL);
	}
	/* A page table is no place for descriptors. */
	CHECK_RC(hv_update_descriptor(boot_l4_mfn() << 12, 0), -HV_EINVAL);
	page_free(g);
}

static void test_set_gdt_checks(void)
{
	uint64_t *g = gdt_page(), frame = mfn_of(g);

	/* Still writable. */
	CHECK_RC(hv_set_gdt(&frame, GDT_ENTRIES), -HV_EINVAL);
	CHECK_RC(make_ro(g), 0);
	CHECK_RC(hv_set_gdt(&frame, FIRST_RESERVED_GDT_ENTRY + 1), -HV_EINVAL);
	CHECK_RC(hv_set_gdt((void *)BAD_PTR_HOLE, GDT_ENTRIES), -HV_EFAULT);
	CHECK_RC(make_rw(g), 0);
	/* A frame holding a descriptor that fails the checks. */
	g[9] = DESC_TSS;
	CHECK_RC(make_ro(g), 0);
	CHECK_RC(hv_set_gdt(&frame, GDT_ENTRIES), -HV_EINVAL);
	CHECK_RC(make_rw(g), 0);
	/* A frame that is a page table. */
	frame = boot_l4_mfn();
	CHECK_RC(hv_set_gdt(&frame, GDT_ENTRIES), -HV_EINVAL);
	page_free(g);
}

static void test_ldt(void)
{
	uint64_t *ldt = page_alloc();

	if (!ldt) {
		error("page pool exhausted");
		return;
	}
	ldt[0] = DESC_DATA_DPL3;
	CHECK_RC(make_ro(ldt), 0);
	CHECK_RC(mmuext1(MMUEXT_SET_LDT, VA(ldt), 1), 0);
	CHECK_RC(load_ds(LDT_SEL(0)), -1);
	CHECK_EQ(read_ds(), LDT_SEL(0));
	reset_segments();
	/* Beyond the LDT's one entry. */
	CHECK_RC(load_ds(LDT_SEL(1)), 13);
	CHECK_EQ(last_trap.error_code, LDT_SEL(1) & ~3);
	reset_segments();
	/* Once in use, the LDT frame cannot be made writable. */
	CHECK_RC(make_rw(ldt), -HV_EBUSY);
	CHECK_RC(mmuext1(MMUEXT_SET_LDT, VA(ldt) + 8, 1), -HV_EINVAL);
	CHECK_RC(mmuext1(MMUEXT_SET_LDT, VA(ldt), 8193), -HV_EINVAL);
	CHECK_RC(mmuext1(MMUEXT_SET_LDT, BAD_PTR_HOLE, 1), -HV_EINVAL);
	CHECK_RC(mmuext1(MMUEXT_SET_LDT, 0, 0), 0);
	CHECK_RC(make_rw(ldt), 0);
	page_free(ldt);
}

void test_main(void)
{
	if (traps_init()) {
		printk("set_trap_table failed\n");
		return;
	}
	run_case("set_gdt_load", test_set_gdt_load);
	run_case("update_descriptor_checks", test_update_descriptor_checks);
	run_case("set_gdt_checks", test_set_gdt_checks);
	run_case("ldt", test_ldt);
	reset_segments();
}
