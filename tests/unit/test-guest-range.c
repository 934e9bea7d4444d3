// SPDX-License-Identifier: GPL-2.0
/*
 * guest_range_ok() (hypervisor/include/hv/guest_access.h): which ranges
 * of virtual addresses a hypercall may name. Checked at the edges of the
 * lower canonical half, the non-canonical gap, the hypervisor's range and
 * the top of the address space, and for wrap-around.
 */
#include "harness.h"
#include <hv/guest_access.h>

#define LOW_END (1ULL << 47)	/* first non-canonical address */

static void test_lower_half(void)
{
	CU_ASSERT_TRUE(guest_range_ok(0, 0));
	CU_ASSERT_TRUE(guest_range_ok(0, 1));
	CU_ASSERT_TRUE(guest_range_ok(0x1000, 0x1000));
	CU_ASSERT_TRUE(guest_range_ok(LOW_END - 8, 8));
	CU_ASSERT_FALSE(guest_range_ok(LOW_END - 8, 9));	/* into the gap */
	CU_ASSERT_FALSE(guest_range_ok(LOW_END, 1));
	CU_ASSERT_FALSE(guest_range_ok(0x1000, LOW_END));
}

static void test_hypervisor_range(void)
{
	CU_ASSERT_FALSE(guest_range_ok(HYPERVISOR_VIRT_START, 1));
	CU_ASSERT_FALSE(guest_range_ok(HYPERVISOR_VIRT_START - 1, 2));
	CU_ASSERT_FALSE(guest_range_ok(HYPERVISOR_VIRT_END - 1, 1));
	CU_ASSERT_FALSE(guest_range_ok(HYPERVISOR_VIRT_END - 1, 2));
	CU_ASSERT_TRUE(guest_range_ok(HYPERVISOR_VIRT_END, 1));
	CU_ASSERT_TRUE(guest_range_ok(0xffffffff80000000ULL, 0x1000));
	/* A lower-half start whose length reaches over everything. */
	CU_ASSERT_FALSE(guest_range_ok(0x1000, HYPERVISOR_VIRT_END));
}

static void test_wrap(void)
{
	CU_ASSERT_TRUE(guest_range_ok(~0ULL, 1));
	CU_ASSERT_FALSE(guest_range_ok(~0ULL, 2));
	CU_ASSERT_FALSE(guest_range_ok(0xfffffffffffff000ULL, 0x2000));
	CU_ASSERT_FALSE(guest_range_ok(1, ~0ULL));
	CU_ASSERT_TRUE(guest_range_ok(~0ULL, 0));
}

bool suite_guest_range(void)
{
	static const struct unit_test tests[] = {
	    {"lower canonical half", test_lower_half},
	    {"hypervisor range and upper half", test_hypervisor_range},
	    {"wrap-around", test_wrap},
	};

	return UNIT_SUITE("guest_range_ok", tests);
}
