// SPDX-License-Identifier: MIT
/*
 * Tests of the Linux /dev/xen environment, for a Xen (or our hypervisor's)
 * dom0 only: `make -C frontend test-linux` there; `make test` runs it in
 * the Linux dom0 of tests/linux (as xenv-linux-test) on ours and on Xen
 * 4.17. Loops back to its own domain: an unbound port bound by ourselves,
 * and a page granted to ourselves and mapped through gntdev. On a host
 * without /dev/xen it fails, it does not skip.
 */
#include <errno.h>
#include <stdio.h>
#include <string.h>
#include <CUnit/Basic.h>
#include "../env/xenv.h"

static struct xenv *e;

static void test_evtchn_loopback(void)
{
	evtchn_port_t a, b;
	bool got = false;
	int i;

	CU_ASSERT_FATAL(xenv_evtchn_alloc(e, e->self, &a) == 0);
	CU_ASSERT_FATAL(xenv_evtchn_bind(e, e->self, a, &b) == 0);
	CU_ASSERT_EQUAL(xenv_evtchn_notify(e, b), 0);
	/* The bind raised b once (as Xen does): that read may come first. */
	for (i = 0; i < 3 && !got; i++)
		got = xenv_evtchn_wait(e, 1000) == 1 &&
		      xenv_evtchn_pending(e, a);
	CU_ASSERT_TRUE(got);
	CU_ASSERT_FALSE(xenv_evtchn_pending(e, a));
	xenv_evtchn_close(e, b);
	xenv_evtchn_close(e, a);
}

static void test_grant_loopback(void)
{
	uint8_t *pg = xenv_alloc_pages(e, 2);
	grant_ref_t refs[2];
	void *va;

	CU_ASSERT_PTR_NOT_NULL_FATAL(pg);
	memset(pg, 0x3c, 8192);
	CU_ASSERT_EQUAL(xenv_grant(e, e->self, pg, 0, &refs[0]), 0);
	CU_ASSERT_EQUAL(xenv_grant(e, e->self, pg + 4096, 0, &refs[1]), 0);
	CU_ASSERT_EQUAL(xenv_grant(e, e->self, pg, XENV_GRANT_RO, &refs[0]),
			-EOPNOTSUPP);
	CU_ASSERT_FATAL(xenv_map(e, e->self, refs, 2, XENV_MAP_RW, &va) == 0);
	CU_ASSERT_EQUAL(((uint8_t *)va)[8191], 0x3c);
	((uint8_t *)va)[5] = 0x11;
	CU_ASSERT_EQUAL(pg[5], 0x11);
	xenv_unmap(e, va, 2);
	xenv_free_pages(e, pg, 2);
}

int main(void)
{
	CU_pSuite s;
	unsigned int fails;

	e = xenv_linux_open(0, 0);
	if (!e) {
		perror("xenv_linux_open (/dev/xen/*)");
		return 1;
	}
	if (CU_initialize_registry() != CUE_SUCCESS)
		return 2;
	s = CU_add_suite("xenv-linux", NULL, NULL);
	CU_add_test(s, "event channel loopback", test_evtchn_loopback);
	CU_add_test(s, "grant loopback through gntalloc/gntdev",
		    test_grant_loopback);
	CU_basic_set_mode(CU_BRM_VERBOSE);
	CU_basic_run_tests();
	fails = CU_get_number_of_failures() + CU_get_number_of_tests_failed();
	CU_cleanup_registry();
	xenv_close(e);
	return fails ? 1 : 0;
}
