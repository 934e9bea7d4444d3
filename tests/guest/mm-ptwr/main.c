// SPDX-License-Identifier: MIT
/*
 * mm-ptwr: the writable page-table assist (VMASST_TYPE_writable_pagetables,
 * linux-pv-requirements.md 3.2). Direct stores into a live L1 through its
 * read-only mapping are decoded, validated and applied: mov, xchg,
 * cmpxchg, `lock andb`/`lock orb` (Linux's clear_bit/set_bit on a PTE)
 * and `lock btr` (ptep_test_and_clear_young). Stores that would create a
 * forbidden entry and stores into other table levels fault back to the
 * guest as a write #PF.
 */
#include "mm.h"

TEST_CATEGORY(functional);

static uint64_t window[512] __attribute__((aligned(4096)));
static uint64_t *frame_a, *frame_b;

#define WIN ((volatile uint64_t *)window)

static volatile uint64_t *win_pte(void)
{
	return pt_entry(VA(window), 1);
}

static uint64_t pte_to(const uint64_t *page, uint64_t flags)
{
	return pte_of_mfn(mfn_of(page), flags);
}

/* The entry's frame and P/RW bits, the part a guest fully controls. */
#define CHECK_PTE(e, want)                                                   \
	CHECK(((e) & PTE_CMP_MASK) == ((want) & PTE_CMP_MASK),               \
	      "PTE %#lx, want %#lx (mask %#llx)", (uint64_t)(e),             \
	      (uint64_t)(want), PTE_CMP_MASK)

static void flush_window(void)
{
	CHECK_RC(invlpg_local(VA(window)), 0);
}

/* A store into the L1 that must fault (write #PF at the entry). */
static void expect_store_fault(volatile uint64_t *e, uint64_t val,
			       const char *what)
{
	uint64_t before = *e;

	trap_clear();
	asm volatile("1: movq %1, (%0)\n2:\n\t" ASM_EXTABLE(1b, 2b)
		     : : "r"(e), "r"(val) : "memory");
	CHECK(last_trap.count == 1 && last_trap.vector == 14 &&
	      last_trap.error_code == 3,
	      "%s: %lu exceptions, vector %lu ec %#lx, want one #PF ec 3",
	      what, last_trap.count, last_trap.vector, last_trap.error_code);
	if (shared_info && last_trap.count == 1)
		CHECK_EQ(shared_info->vcpu_info[0].arch.cr2, VA(e));
	CHECK(*e == before, "%s: entry changed to %#lx from %#lx", what, *e,
	      before);
}

static int set_up(void)
{
	frame_a = page_alloc();
	frame_b = page_alloc();
	if (!frame_a || !frame_b || !win_pte()) {
		error("page pool exhausted or window unmapped");
		return -1;
	}
	frame_a[0] = 0xaaaa;
	frame_b[0] = 0xbbbb;
	window[0] = 0x1111;
	return 0;
}

static void tear_down(void)
{
	CHECK_RC(map_own(window, PT_RW), 0);
	CHECK_EQ(WIN[0], 0x1111);
	page_free(frame_a);
	page_free(frame_b);
}

/*
 * Xen 4.17 emulates L1 stores whether or not the guest enabled the assist
 * (the flag is still accepted and recorded): a store with it off works.
 */
static void test_assist_flag(void)
{
	volatile uint64_t *e = win_pte();
	uint64_t v = *e;
	long rc;

	rc = hv_vm_assist(VMASST_CMD_disable, VMASST_TYPE_writable_pagetables);
	trap_clear();
	asm volatile("1: movq %1, (%0)\n2:\n\t" ASM_EXTABLE(1b, 2b)
		     : : "r"(e), "r"(v) : "memory");
	/* Back on before checking anything: the other cases need it. */
	CHECK_RC(hv_vm_assist(VMASST_CMD_enable,
			      VMASST_TYPE_writable_pagetables), 0);
	CHECK(rc == 0, "vm_assist(disable, writable_pagetables) = %ld", rc);
	CHECK(last_trap.count == 0 && *e == v,
	      "store with the assist off: %lu faults (vector %lu ec %#lx), "
	      "entry %#lx (was %#lx)", last_trap.count, last_trap.vector,
	      last_trap.error_code, *e, v);
}

static void test_mov(void)
{
	volatile uint64_t *e = win_pte();

	if (set_up())
		return;
	*e = pte_to(frame_a, PT_RW);
	CHECK_PTE(*e, pte_to(frame_a, PT_RW));
	flush_window();
	CHECK_EQ(WIN[0], 0xaaaa);
	WIN[1] = 0x77;
	CHECK_EQ(frame_a[1], 0x77);
	/* Not present: the next access faults. */
	*e = 0;
	CHECK_EQ(*e, 0);
	flush_window();
	CHECK(probe_read(VA(window), NULL) && last_trap.error_code == 0,
	      "read through a cleared entry: %lu faults, ec %#lx",
	      last_trap.count, last_trap.error_code);
	*e = pte_to(frame_b, PT_RO);
	flush_window();
	CHECK_EQ(WIN[0], 0xbbbb);
	tear_down();
}

static void test_xchg(void)
{
	volatile uint64_t *e = win_pte();
	uint64_t v = pte_to(frame_a, PT_RW);

	if (set_up())
		return;
	*e = pte_to(frame_b, PT_RW);
	asm volatile("xchg %0, (%1)" : "+r"(v) : "r"(e) : "memory");
	CHECK_PTE(v, pte_to(frame_b, PT_RW));
	CHECK_PTE(*e, pte_to(frame_a, PT_RW));
	flush_window();
	CHECK_EQ(WIN[0], 0xaaaa);
	tear_down();
}

static bool cmpxchg(volatile uint64_t *e, uint64_t *old, uint64_t new)
{
	bool ok;

	asm volatile("lock cmpxchg %3, (%2)"
		     : "=@ccz"(ok), "+a"(*old)
		     : "r"(e), "r"(new) : "memory");
	return ok;
}

static void test_cmpxchg(void)
{
	volatile uint64_t *e = win_pte();
	uint64_t cur, old;

	if (set_up())
		return;
	*e = pte_to(frame_a, PT_RW);
	cur = *e;
	/* Wrong expected value: no store, rax gets the entry. */
	old = pte_to(frame_b, PT_RW);
	CHECK(!cmpxchg(e, &old, pte_to(frame_b, PT_RO)),
	      "cmpxchg with a stale value succeeded");
	CHECK_EQ(old, cur);
	CHECK_EQ(*e, cur);
	old = cur;
	CHECK(cmpxchg(e, &old, pte_to(frame_b, PT_RW)),
	      "cmpxchg with the current value %#lx failed, entry %#lx", cur,
	      old);
	CHECK_PTE(*e, pte_to(frame_b, PT_RW));
	flush_window();
	CHECK_EQ(WIN[0], 0xbbbb);
	tear_down();
}

/* Linux's clear_bit/set_bit of _PAGE_BIT_RW: byte forms, locked. */
static void test_lock_and_or(void)
{
	volatile uint64_t *e = win_pte();

	if (set_up())
		return;
	*e = pte_to(frame_a, PT_RW);
	flush_window();
	asm volatile("lock andb %1, (%0)" : : "r"(e), "iq"((uint8_t)~2)
		     : "memory");
	CHECK_PTE(*e, pte_to(frame_a, PT_RO));
	flush_window();
	CHECK_EQ(WIN[0], 0xaaaa);
	CHECK(probe_write(VA(window) + 8, 1) && last_trap.error_code == 3,
	      "write through a write-protected entry: %lu faults, ec %#lx",
	      last_trap.count, last_trap.error_code);
	asm volatile("lock orb %1, (%0)" : : "r"(e), "iq"((uint8_t)2)
		     : "memory");
	CHECK_PTE(*e, pte_to(frame_a, PT_RW));
	flush_window();
	CHECK(!probe_write(VA(window) + 8, 5), "write faulted after set_bit");
	CHECK_EQ(frame_a[1], 5);
	tear_down();
}

/* ptep_test_and_clear_young: lock btr of _PAGE_BIT_ACCESSED. */
static void test_lock_btr(void)
{
	volatile uint64_t *e = win_pte();
	bool was;

	if (set_up())
		return;
	*e = pte_to(frame_a, PT_RW);
	flush_window();
	(void)WIN[0];
	asm volatile("lock btrq $5, (%1)" : "=@ccc"(was) : "r"(e) : "memory");
	CHECK(was, "accessed bit was clear before btr");
	CHECK(!(*e & _PAGE_ACCESSED), "accessed bit still set: %#lx", *e);
	CHECK_PTE(*e, pte_to(frame_a, PT_RW));
	asm volatile("lock btrq $5, (%1)" : "=@ccc"(was) : "r"(e) : "memory");
	CHECK(!was, "accessed bit set again without an access");
	flush_window();
	CHECK_EQ(WIN[0], 0xaaaa);
	tear_down();
}

/* A pinned L1 that no L2 references accepts stores just as well. */
static void test_pinned_unused_l1(void)
{
	uint64_t *l1 = page_alloc();
	volatile uint64_t *e;

	if (!l1 || set_up())
		return;
	e = &l1[7];
	CHECK_RC(make_ro(l1), 0);
	CHECK_RC(pin_table(1, mfn_of(l1)), 0);
	*e = pte_to(frame_a, PT_RW);
	CHECK_PTE(*e, pte_to(frame_a, PT_RW));
	expect_store_fault(e, pte_to(l1, PT_RW), "writable self-map");
	*e = 0;
	CHECK_RC(unpin_table(mfn_of(l1)), 0);
	page_free(l1);
	tear_down();
}

static void test_forbidden_stores(void)
{
	volatile uint64_t *e = win_pte();
	volatile uint64_t *l4e = pt_entry(VA(window), 4);
	uint64_t mfns[1] = { 0 };
	struct xen_machphys_mfn_list l = {
		.max_extents = 1, .extent_start = VA(mfns),
	};

	if (set_up())
		return;
	if (hv_memory_op(XENMEM_machphys_mfn_list, &l) || !mfns[0]) {
		error("XENMEM_machphys_mfn_list failed");
		return;
	}
	expect_store_fault(e, pte_of_mfn(mfns[0], PT_RO), "M2P frame");
	expect_store_fault(e, pte_of_mfn(boot_l4_mfn(), PT_RW),
			   "writable L4 mapping");
	expect_store_fault(e, pte_of_mfn(0xfee00, PT_RO), "local APIC");
	/* Only L1 stores are emulated: an L4 store faults. */
	expect_store_fault(l4e, *l4e, "store into the L4");
	CHECK_EQ(WIN[0], 0x1111);
	tear_down();
}

void test_main(void)
{
	if (traps_init()) {
		printk("set_trap_table failed\n");
		return;
	}
	/* As Linux does at boot. */
	if (hv_vm_assist(VMASST_CMD_enable, VMASST_TYPE_writable_pagetables))
		printk("vm_assist(enable, writable_pagetables) failed\n");
	run_case("assist_flag", test_assist_flag);
	run_case("mov", test_mov);
	run_case("xchg", test_xchg);
	run_case("cmpxchg", test_cmpxchg);
	run_case("lock_and_or", test_lock_and_or);
	run_case("lock_btr", test_lock_btr);
	run_case("pinned_unused_l1", test_pinned_unused_l1);
	run_case("forbidden_stores", test_forbidden_stores);
}
