// SPDX-License-Identifier: MIT
/*
 * gntmap: GNTTABOP_map_grant_ref, unmap_grant_ref and copy, with dom0
 * granting frames to itself (both hypervisors allow it): mappings by VA
 * and by PTE address, read-only and writable, the GTF_reading/writing
 * bits the granter sees, what unmap leaves behind, copies in each
 * direction, and every refusal: bad flags, domain, ref, handle, address,
 * a read-only grant mapped writable, a page-table frame granted, copies
 * past the page or by another domain's frame. With implicit=refused
 * (ours only) also: a PTE write over a grant mapping is refused.
 */
#include <hvabi/grant_table.h>
#include "lib.h"
#include "mm.h"

TEST_CATEGORY(functional);

#define REF_DATA 8	/* writable grant of data[] */
#define REF_RO 9	/* read-only grant of data[] */
#define REF_PT 10	/* a writable grant of one of our L1 tables */
#define REF_BAD 11	/* flags invalid */

static volatile struct grant_entry_v1 *table;	/* our grant frame 0 */
static uint8_t *data;				/* the granted page */
static uint64_t data_mfn;
static uint16_t self;				/* our domid */

static long gnttab(unsigned int cmd, void *op, unsigned int count)
{
	return hypercall3(HC_NR_grant_table_op, cmd, VA(op), count);
}

static void grant(unsigned int ref, uint64_t mfn, uint16_t flags)
{
	table[ref].domid = self;
	table[ref].frame = (uint32_t)mfn;
	__atomic_store_n(&table[ref].flags, flags, __ATOMIC_RELEASE);
}

static int16_t map(uint64_t addr, uint32_t flags, uint32_t ref,
		   uint32_t *handle)
{
	struct gnttab_map_grant_ref op = {.host_addr = addr, .flags = flags,
					  .ref = ref, .dom = self};

	CHECK_RC(gnttab(GNTTABOP_map_grant_ref, &op, 1), 0);
	if (handle)
		*handle = op.handle;
	return op.status;
}

static int16_t unmap(uint64_t addr, uint32_t handle, uint64_t dev)
{
	struct gnttab_unmap_grant_ref op = {.host_addr = addr,
					    .dev_bus_addr = dev,
					    .handle = handle};

	CHECK_RC(gnttab(GNTTABOP_unmap_grant_ref, &op, 1), 0);
	return op.status;
}

static bool faults_on_write(volatile uint8_t *p)
{
	trap_clear();
	asm volatile("1: movb $1, (%0)\n2:\n\t" ASM_EXTABLE(1b, 2b)
		     ::"r"(p) : "memory");
	return last_trap.count == 1 && last_trap.vector == 14;
}

static void test_setup(void)
{
	uint64_t frames[1] = {0};
	struct gnttab_setup_table s = {.dom = DOMID_SELF, .nr_frames = 1,
				       .frame_list = VA(frames)};
	void *win = page_alloc();

	data = page_alloc();
	if (!win || !data)
		return error("page pool exhausted");
	self = (start_info->flags & SIF_INITDOMAIN) ? 0 : 0xffff;
	CHECK_RC(gnttab(GNTTABOP_setup_table, &s, 1), 0);
	CHECK_EQ(s.status, GNTST_okay);
	CHECK_RC(hv_update_va_mapping(VA(win), pte_of_mfn(frames[0], PT_RW),
				      UVMF_INVLPG), 0);
	table = win;
	data_mfn = mfn_of(data);
	for (unsigned int i = 0; i < 4096; i++)
		data[i] = (uint8_t)i;
	grant(REF_DATA, data_mfn, GTF_permit_access);
	grant(REF_RO, data_mfn, GTF_permit_access | GTF_readonly);
	grant(REF_BAD, data_mfn, GTF_invalid);
}

static void test_map_va(void)
{
	volatile uint8_t *va = page_alloc();
	uint32_t h;

	CHECK_EQ(map(VA(va), GNTMAP_host_map, REF_DATA, &h), GNTST_okay);
	/* A VA that mapped something else: the guest flushes it. */
	CHECK_RC(mmuext1(MMUEXT_INVLPG_LOCAL, VA(va), 0), 0);
	CHECK_EQ(va[5], 5);
	va[7] = 0xaa;
	CHECK_EQ(data[7], 0xaa);
	CHECK_EQ(table[REF_DATA].flags & (GTF_reading | GTF_writing),
		 GTF_reading | GTF_writing);
	CHECK(*pt_entry(VA(va), 1) & _PAGE_RW, "writable PTE");
	CHECK_EQ(*pt_entry(VA(va), 1) & PTE_ADDR_MASK, data_mfn << 12);
	/*
	 * The entry is the grant's. Ours refuses a plain PTE write over it
	 * (argument implicit=refused); Xen 4.17 lets it through and injects
	 * #GP, leaving the grant pinned (hypercall-abi/docs/deviations.md).
	 */
	if (cmdline_has("implicit=refused"))
		CHECK(hv_update_va_mapping(VA(va), 0, UVMF_INVLPG) < 0,
		      "update_va_mapping replaced a grant mapping");
	CHECK_EQ(unmap(VA(va) + 4096, h, 0), GNTST_general_error);
	CHECK_EQ(unmap(VA(va), h, 0), GNTST_okay);
	CHECK_EQ(*pt_entry(VA(va), 1) & _PAGE_PRESENT, 0);
	CHECK_EQ(table[REF_DATA].flags & (GTF_reading | GTF_writing), 0);
	CHECK_EQ(unmap(VA(va), h, 0), GNTST_bad_handle);
}

static void test_map_ro(void)
{
	volatile uint8_t *va = page_alloc();
	uint32_t h;

	CHECK_EQ(map(VA(va), GNTMAP_host_map | GNTMAP_readonly, REF_RO, &h),
		 GNTST_okay);
	CHECK_RC(mmuext1(MMUEXT_INVLPG_LOCAL, VA(va), 0), 0);
	CHECK_EQ(va[9], 9);
	CHECK(faults_on_write(va), "write through a read-only grant map");
	CHECK_EQ(table[REF_RO].flags & (GTF_reading | GTF_writing),
		 GTF_reading);
	CHECK_EQ(unmap(VA(va), h, 0), GNTST_okay);
	CHECK_EQ(table[REF_RO].flags & GTF_reading, 0);
	/* A read-only grant cannot be mapped writable. */
	CHECK_EQ(map(VA(va), GNTMAP_host_map, REF_RO, NULL),
		 GNTST_general_error);
}

static void test_map_pte(void)
{
	volatile uint8_t *va = page_alloc();
	uint64_t pte = pt_maddr(pt_entry(VA(va), 1));
	struct gnttab_map_grant_ref op = {
		.host_addr = pte, .ref = REF_DATA, .dom = self,
		.flags = GNTMAP_host_map | GNTMAP_contains_pte |
			 GNTMAP_device_map};

	CHECK_RC(gnttab(GNTTABOP_map_grant_ref, &op, 1), 0);
	CHECK_EQ(op.status, GNTST_okay);
	CHECK_EQ(op.dev_bus_addr, data_mfn << 12);
	CHECK_RC(mmuext1(MMUEXT_INVLPG_LOCAL, VA(va), 0), 0);
	CHECK_EQ(va[3], 3);
	CHECK_EQ(unmap(pte, op.handle, (data_mfn + 1) << 12),
		 GNTST_bad_dev_addr);
	CHECK_EQ(unmap(pte, op.handle, op.dev_bus_addr), GNTST_okay);
	CHECK_EQ(table[REF_DATA].flags & GTF_reading, 0);
}

static void test_map_bad(void)
{
	volatile uint8_t *va = page_alloc();
	struct gnttab_map_grant_ref op = {.host_addr = VA(va),
					  .flags = GNTMAP_host_map,
					  .ref = REF_DATA, .dom = DOMID_SELF};

	CHECK_EQ(map(VA(va), 0, REF_DATA, NULL), GNTST_bad_gntref);
	CHECK_EQ(map(VA(va), GNTMAP_host_map, 100000, NULL), GNTST_bad_gntref);
	CHECK_EQ(map(VA(va), GNTMAP_host_map, REF_BAD, NULL),
		 GNTST_general_error);
	CHECK_RC(gnttab(GNTTABOP_map_grant_ref, &op, 1), 0);
	CHECK_EQ(op.status, GNTST_bad_domain);
	/* One of our L1 tables, granted writable: cannot be mapped so. */
	grant(REF_PT, pt_maddr(pt_entry(VA(va), 1)) >> 12, GTF_permit_access);
	CHECK_EQ(map(VA(va), GNTMAP_host_map, REF_PT, NULL),
		 GNTST_general_error);
	CHECK_EQ(table[REF_PT].flags & (GTF_reading | GTF_writing), 0);
	CHECK_EQ(unmap(VA(va), 12345, 0), GNTST_bad_handle);
	CHECK_RC(gnttab(GNTTABOP_map_grant_ref, (void *)BAD_PTR_HOLE, 1),
		 -HV_EFAULT);
}

static int16_t copy(uint64_t src, uint16_t sdom, uint16_t soff,
		    uint64_t dst, uint16_t ddom, uint16_t doff, uint16_t len,
		    uint16_t flags)
{
	struct gnttab_copy op = {
		.source = {.u = src, .domid = sdom, .offset = soff},
		.dest = {.u = dst, .domid = ddom, .offset = doff},
		.len = len, .flags = flags};

	CHECK_RC(gnttab(GNTTABOP_copy, &op, 1), 0);
	return op.status;
}

static void test_copy(void)
{
	uint8_t *buf = page_alloc();
	uint64_t buf_mfn = mfn_of(buf);

	CHECK_EQ(copy(REF_RO, self, 100, buf_mfn, DOMID_SELF, 10, 50,
		      GNTCOPY_source_gref), GNTST_okay);
	CHECK(buf[10] == 100 && buf[59] == 149, "copied %u..%u", buf[10],
	      buf[59]);
	memset(buf, 0x5a, 64);
	CHECK_EQ(copy(buf_mfn, DOMID_SELF, 0, REF_DATA, self, 200, 64,
		      GNTCOPY_dest_gref), GNTST_okay);
	CHECK(data[200] == 0x5a && data[263] == 0x5a, "dest gref");
	CHECK_EQ(copy(REF_DATA, self, 200, REF_DATA, self, 300, 4,
		      GNTCOPY_source_gref | GNTCOPY_dest_gref), GNTST_okay);
	CHECK_EQ(data[303], 0x5a);
	CHECK_EQ(table[REF_DATA].flags & (GTF_reading | GTF_writing), 0);
	/* Refusals. */
	CHECK_EQ(copy(REF_RO, self, 4000, buf_mfn, DOMID_SELF, 0, 200,
		      GNTCOPY_source_gref), GNTST_bad_copy_arg);
	CHECK_EQ(copy(buf_mfn, DOMID_SELF, 0, REF_RO, self, 0, 8,
		      GNTCOPY_dest_gref), GNTST_general_error);
	/* A frame only as DOMID_SELF, even our own id; a missing domain first. */
	CHECK_EQ(copy(buf_mfn, self, 0, buf_mfn, DOMID_SELF, 8, 8, 0),
		 GNTST_permission_denied);
	CHECK_EQ(copy(buf_mfn, 5, 0, buf_mfn, DOMID_SELF, 8, 8, 0),
		 GNTST_bad_domain);
	CHECK_EQ(copy(REF_DATA, 0x7ff4, 0, buf_mfn, DOMID_SELF, 0, 8,
		      GNTCOPY_source_gref), GNTST_bad_domain);
	CHECK_EQ(copy(100000, self, 0, buf_mfn, DOMID_SELF, 0, 8,
		      GNTCOPY_source_gref), GNTST_bad_gntref);
}

void test_main(void)
{
	if (traps_init())
		return error("set_trap_table failed");
	run_case("setup", test_setup);
	if (!table)
		return;
	run_case("map_va", test_map_va);
	run_case("map_ro", test_map_ro);
	run_case("map_pte", test_map_pte);
	run_case("map_bad", test_map_bad);
	run_case("copy", test_copy);
}
