// SPDX-License-Identifier: MIT
/*
 * mm-multicall: multicall as Linux batches its MMU work (linux-pv-
 * requirements.md 3.2): every entry runs and gets its own result, a
 * failing entry does not stop the batch, unknown and nested calls fail
 * in their entry only, bad lists fail the whole call, an entry may write
 * over its own arguments, and long batches (multicall, mmu_update) finish
 * with every entry done; the continuation count encoding (bit 31) of
 * mmu_update and mmuext_op.
 */
#include "mm.h"

TEST_CATEGORY(functional);

static uint64_t window[512] __attribute__((aligned(4096)));
static struct multicall_entry mc[256];
static struct mmu_update reqs[512];

#define MMU_UPDATE_PREEMPTED (~(~0U >> 1))

static void set_call(struct multicall_entry *e, uint64_t op, uint64_t a0,
		     uint64_t a1, uint64_t a2, uint64_t a3)
{
	memset(e, 0, sizeof(*e));
	e->op = op;
	e->result = 0x5a5a5a5a;
	e->args[0] = a0;
	e->args[1] = a1;
	e->args[2] = a2;
	e->args[3] = a3;
}

#define CHECK_RESULT(i, want)                                                \
	CHECK((long)mc[i].result == (long)(want),                            \
	      "entry %d (op %lu): result %ld, want %ld", (i), mc[i].op,      \
	      (long)mc[i].result, (long)(want))

static void test_per_entry_results(void)
{
	uint64_t *a = page_alloc(), t = 0, version;
	struct mmuext_op unpin = { .cmd = MMUEXT_UNPIN_TABLE };
	long rc;

	if (!a) {
		error("page pool exhausted");
		return;
	}
	a[0] = 0xaaaa;
	window[0] = 0x1111;
	unpin.arg1.mfn = mfn_of(a);	/* never pinned: -EINVAL */
	version = (uint64_t)hv_xen_version(XENVER_version, NULL);
	set_call(&mc[0], HC_NR_update_va_mapping, VA(window),
		 pte_of_mfn(mfn_of(a), PT_RW), UVMF_INVLPG, 0);
	set_call(&mc[1], HC_NR_mmuext_op, VA(&unpin), 1, 0, DOMID_SELF);
	set_call(&mc[2], HC_NR_xen_version, XENVER_version, 0, 0, 0);
	set_call(&mc[3], 60, 0, 0, 0, 0);		/* no such hypercall */
	set_call(&mc[4], 1000, 0, 0, 0, 0);
	set_call(&mc[5], HC_NR_multicall, VA(&mc[2]), 1, 0, 0);
	set_call(&mc[6], HC_NR_memory_op, XENMEM_current_reservation,
		 VA(&t), 0, 0);
	set_call(&mc[7], HC_NR_update_va_mapping, BAD_PTR_HOLE, 0, 0, 0);
	rc = hv_multicall(mc, 8);
	CHECK(rc == 0, "multicall(8 entries) = %ld, want 0", rc);
	CHECK_RESULT(0, 0);
	CHECK_RESULT(1, -HV_EINVAL);
	CHECK_RESULT(2, version);
	CHECK_RESULT(3, -HV_ENOSYS);
	CHECK_RESULT(4, -HV_ENOSYS);
	CHECK_RESULT(5, -HV_EINVAL);		/* no nesting */
	CHECK_RESULT(6, start_info->nr_pages);
	CHECK_RESULT(7, -HV_EINVAL);
	CHECK_EQ(*(volatile uint64_t *)window, 0xaaaa);
	CHECK_RC(map_own(window, PT_RW), 0);
	CHECK_EQ(*(volatile uint64_t *)window, 0x1111);
	page_free(a);
}

static void test_bad_lists(void)
{
	CHECK_RC(hv_multicall(mc, 0), 0);
	CHECK_RC(hv_multicall((void *)BAD_PTR_HOLE, 1), -HV_EFAULT);
	CHECK_RC(hv_multicall((void *)BAD_PTR_NONCANON, 1), -HV_EFAULT);
	CHECK_RC(hv_multicall((void *)BAD_PTR_UNMAPPED, 1), -HV_EFAULT);
	CHECK_RC(hv_multicall((void *)0x00007ffffffff000ULL, 0xffffffffU),
		 -HV_EFAULT);
}

/* The list runs into an unmapped page: the entries before it ran. */
static void test_list_into_hole(void)
{
	uint8_t *p = page_alloc(), *q = page_alloc();
	struct multicall_entry *e;

	if (!p || q != p + 4096) {
		error("no two adjacent pool pages");
		goto out;
	}
	e = (struct multicall_entry *)(q - sizeof(*e));
	set_call(e, HC_NR_xen_version, XENVER_version, 0, 0, 0);
	CHECK_RC(hv_update_va_mapping(VA(q), 0, UVMF_INVLPG), 0);
	CHECK_RC(hv_multicall(e, 2), -HV_EFAULT);
	CHECK(e->result == (uint64_t)hv_xen_version(XENVER_version, NULL),
	      "entry before the hole: result %ld", (long)e->result);
out:
	page_free(p);
	page_free(q);
}

/* An entry whose output lands on its own argument slots. */
static void test_overlapping_output(void)
{
	char *buf = (char *)&mc[0].args[2];	/* 16 bytes: args[2..3] */
	char want[16];
	long rc;

	CHECK_RC(hv_xen_version(XENVER_extraversion, want), 0);
	set_call(&mc[0], HC_NR_xen_version, XENVER_extraversion, VA(buf), 0,
		 0);
	set_call(&mc[1], HC_NR_xen_version, XENVER_version, 0, 0, 0);
	rc = hv_multicall(mc, 2);
	CHECK(rc == 0, "multicall = %ld", rc);
	CHECK_RESULT(0, 0);
	CHECK_RESULT(1, hv_xen_version(XENVER_version, NULL));
	CHECK(!memcmp(buf, want, sizeof(want)), "extraversion \"%.16s\", "
	      "want \"%.16s\"", buf, want);
}

static void test_long_multicall(void)
{
	uint64_t *a = page_alloc(), *b = page_alloc();
	unsigned int i, bad = 0;
	long rc;

	if (!a || !b) {
		error("page pool exhausted");
		return;
	}
	a[0] = 0xaaaa;
	b[0] = 0xbbbb;
	for (i = 0; i < ARRAY_SIZE(mc); i++)
		set_call(&mc[i], HC_NR_update_va_mapping, VA(window),
			 pte_of_mfn(mfn_of(i & 1 ? b : a), PT_RW),
			 UVMF_INVLPG, 0);
	rc = hv_multicall(mc, ARRAY_SIZE(mc));
	CHECK(rc == 0, "multicall(%u) = %ld", (unsigned int)ARRAY_SIZE(mc), rc);
	for (i = 0; i < ARRAY_SIZE(mc); i++)
		if (mc[i].result && !bad++)
			fail("entry %u: result %ld", i, (long)mc[i].result);
	CHECK_EQ(*(volatile uint64_t *)window, 0xbbbb);	/* the last one */
	CHECK_RC(map_own(window, PT_RW), 0);
	page_free(a);
	page_free(b);
}

static void test_long_mmu_update(void)
{
	uint64_t ptr = pt_maddr(pt_entry(VA(window), 1));
	uint64_t *a = page_alloc();
	unsigned int i, done = 0;

	if (!a) {
		error("page pool exhausted");
		return;
	}
	a[0] = 0xaaaa;
	for (i = 0; i < ARRAY_SIZE(reqs); i++) {
		reqs[i].ptr = ptr;
		reqs[i].val = pte_of_mfn(i & 1 ? mfn_of(window) : mfn_of(a),
					 PT_RW);
	}
	reqs[511].val = pte_of_mfn(mfn_of(a), PT_RW);
	CHECK_RC(hv_mmu_update(reqs, ARRAY_SIZE(reqs), &done, DOMID_SELF), 0);
	CHECK_EQ(done, 512);
	CHECK_RC(invlpg_local(VA(window)), 0);
	CHECK_EQ(*(volatile uint64_t *)window, 0xaaaa);
	CHECK_RC(map_own(window, PT_RW), 0);
	page_free(a);
}

/*
 * The continuation encoding of mmu_update and mmuext_op is guest
 * visible: a count with bit 31 set resumes a batch, adding to *done.
 */
/*
 * A yield in the middle of a list: the vCPU may be descheduled there, and
 * the rest of the list must still run, every result stored.
 */
static void test_yield_inside(void)
{
	struct multicall_entry ym[3] = {
		{ .op = HC_NR_xen_version, .args = { XENVER_version } },
		{ .op = HC_NR_sched_op, .args = { SCHEDOP_yield } },
		{ .op = HC_NR_xen_version, .args = { XENVER_pagesize } },
	};
	long rc;

	ym[0].result = ym[1].result = ym[2].result = 0xabcd;
	rc = hv_multicall(ym, 3);
	CHECK(rc == 0, "multicall(version, yield, pagesize) = %ld", rc);
	CHECK((long)ym[0].result >= (4L << 16), "version %#lx", ym[0].result);
	CHECK_EQ(ym[1].result, 0);
	CHECK_EQ(ym[2].result, 4096);
}

static void test_preempted_count(void)
{
	struct mmu_update req = {
		.ptr = pt_maddr(pt_entry(VA(window), 1)),
		.val = pte_of_mfn(mfn_of(window), PT_RW),
	};
	struct mmuext_op op = { .cmd = MMUEXT_TLB_FLUSH_LOCAL };
	unsigned int done = 5;

	CHECK_RC(hv_mmu_update(&req, 1 | MMU_UPDATE_PREEMPTED, &done,
			       DOMID_SELF), 0);
	CHECK_EQ(done, 6);
	done = 7;
	CHECK_RC(hv_mmuext_op(&op, 1 | MMU_UPDATE_PREEMPTED, &done,
			      DOMID_SELF), 0);
	CHECK_EQ(done, 8);
}

void test_main(void)
{
	if (traps_init()) {
		printk("set_trap_table failed\n");
		return;
	}
	run_case("per_entry_results", test_per_entry_results);
	run_case("bad_lists", test_bad_lists);
	run_case("yield_inside", test_yield_inside);
	run_case("list_into_hole", test_list_into_hole);
	run_case("overlapping_output", test_overlapping_output);
	run_case("long_multicall", test_long_multicall);
	run_case("long_mmu_update", test_long_mmu_update);
	run_case("preempted_count", test_preempted_count);
}
