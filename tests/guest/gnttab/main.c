// SPDX-License-Identifier: MIT
/*
 * grant_table_op setup: query_size, setup_table (frames returned, mapped
 * writable, entries written and read back), set/get_version 1, and the
 * errors for bad counts, pointers and domains.
 */
#include "lib.h"
#include "mm.h"
#include <hvabi/grant_table.h>

TEST_CATEGORY(functional);

static long gnttab(unsigned int cmd, void *op, unsigned int count)
{
	return hypercall3(HC_NR_grant_table_op, cmd, VA(op), count);
}

static void test_query_size(void)
{
	struct gnttab_query_size q = { .dom = DOMID_SELF };

	CHECK_RC(gnttab(GNTTABOP_query_size, &q, 1), 0);
	CHECK_EQ(q.status, GNTST_okay);
	CHECK(q.max_nr_frames >= 4 && q.nr_frames <= q.max_nr_frames,
	      "nr_frames %u max %u", q.nr_frames, q.max_nr_frames);
	CHECK_RC(gnttab(GNTTABOP_query_size, &q, 2), -HV_EINVAL);
	CHECK_RC(gnttab(GNTTABOP_query_size, (void *)BAD_PTR_HOLE, 1),
		 -HV_EFAULT);
	q = (struct gnttab_query_size){ .dom = 0x7ff4 /* DOMID_INVALID */ };
	CHECK_RC(gnttab(GNTTABOP_query_size, &q, 1), 0);
	CHECK_EQ(q.status, GNTST_bad_domain);
}

static void test_setup_map(void)
{
	uint64_t frames[2] = { 0, 0 };
	struct gnttab_setup_table s = { .dom = DOMID_SELF, .nr_frames = 2,
					.frame_list = VA(frames) };
	struct gnttab_query_size q = { .dom = DOMID_SELF };
	volatile struct grant_entry_v1 *e;
	void *win = page_alloc();

	if (!win) {
		error("page pool exhausted");
		return;
	}
	CHECK_RC(gnttab(GNTTABOP_setup_table, &s, 1), 0);
	CHECK_EQ(s.status, GNTST_okay);
	CHECK(frames[0] && frames[1] && frames[0] != frames[1],
	      "frames %#lx %#lx", frames[0], frames[1]);
	CHECK_RC(gnttab(GNTTABOP_query_size, &q, 1), 0);
	CHECK(q.nr_frames >= 2, "nr_frames %u after setup of 2", q.nr_frames);
	/* The frame is ours to map writable, and keeps what we write. */
	CHECK_RC(hv_update_va_mapping(VA(win), pte_of_mfn(frames[0], PT_RW),
				      UVMF_INVLPG), 0);
	e = win;
	e[5].domid = 0;
	e[5].frame = 0x1234;
	e[5].flags = GTF_permit_access | GTF_readonly;
	CHECK_EQ(e[5].frame, 0x1234);
	e[5].flags = 0;
	CHECK_RC(map_own(win, PT_RW), 0);
	page_free(win);
	/* A second setup returns the same frames. */
	frames[0] = frames[1] = 0;
	CHECK_RC(gnttab(GNTTABOP_setup_table, &s, 1), 0);
	CHECK(frames[0] && frames[1], "frames not returned again");
	s.frame_list = BAD_PTR_HOLE;
	CHECK_RC(gnttab(GNTTABOP_setup_table, &s, 1), -HV_EFAULT);
	s.frame_list = VA(frames);
	s.nr_frames = 100000;	/* beyond the maximum: a status, not an rc */
	CHECK_RC(gnttab(GNTTABOP_setup_table, &s, 1), 0);
	CHECK_EQ(s.status, GNTST_general_error);
	s.nr_frames = 1;
	CHECK_RC(gnttab(GNTTABOP_setup_table, &s, 0), -HV_EINVAL);
}

static void test_version(void)
{
	struct gnttab_set_version sv = { .version = 1 };
	struct gnttab_get_version gv = { .dom = DOMID_SELF };

	CHECK_RC(gnttab(GNTTABOP_set_version, &sv, 1), 0);
	CHECK_EQ(sv.version, 1);
	CHECK_RC(gnttab(GNTTABOP_get_version, &gv, 1), 0);
	CHECK_EQ(gv.version, 1);
	CHECK_RC(gnttab(63, &gv, 1), -HV_ENOSYS);
}

void test_main(void)
{
	if (traps_init()) {
		printk("set_trap_table failed\n");
		return;
	}
	run_case("query_size", test_query_size);
	run_case("setup_map", test_setup_map);
	run_case("version", test_version);
}
