// SPDX-License-Identifier: MIT
/*
 * Unit tests of the shared ring (hvabi/io/ring.h) and the host transport's
 * grant and event-channel checks, in one process: slot counts, notify
 * hold-off, overflow detection on both ends, index wrap-around.
 */
#include <errno.h>
#include <stdlib.h>
#include <string.h>
#include <CUnit/Basic.h>
#include <hvabi/io/blkif.h>
#include <hvabi/io/netif.h>
#include "../env/xenv.h"

static _Alignas(4096) uint8_t page[4096 << 2];

static void test_slots(void)
{
	CU_ASSERT_EQUAL(BLKIF_RING_SLOTS(0), 32);
	CU_ASSERT_EQUAL(BLKIF_RING_SLOTS(4), 512);
	CU_ASSERT_EQUAL(ring_slots(0, NETIF_TX_SLOT_SIZE), 256);
	CU_ASSERT_EQUAL(ring_slots(0, NETIF_RX_SLOT_SIZE), 256);
	CU_ASSERT_EQUAL(ring_slots(2, 8), 1024);
}

static void test_notify_holdoff(void)
{
	struct ring_front f;
	struct ring_back b;
	int i;

	ring_front_init(&f, page, 0, BLKIF_SLOT_SIZE);
	ring_back_init(&b, page, 0, BLKIF_SLOT_SIZE);
	/* Back end is idle (req_event = 1): first push notifies. */
	ring_front_next_req(&f);
	CU_ASSERT_TRUE(ring_front_push(&f));
	/* Back end has not re-armed: further pushes stay quiet. */
	ring_front_next_req(&f);
	CU_ASSERT_FALSE(ring_front_push(&f));
	CU_ASSERT_EQUAL(ring_back_unconsumed(&b), 2);
	for (i = 0; i < 2; i++) {
		b.req_cons++;
		ring_back_next_rsp(&b);
	}
	/* Front end armed rsp_event = 1 at init: responses notify. */
	CU_ASSERT_TRUE(ring_back_push(&b));
	CU_ASSERT_EQUAL(ring_back_final_check(&b), 0);
	CU_ASSERT_EQUAL(page[4], 3); /* req_event = req_cons + 1 */
	ring_front_next_req(&f);
	CU_ASSERT_TRUE(ring_front_push(&f));
	CU_ASSERT_EQUAL(ring_front_unconsumed(&f), 2);
}

static void test_overflow(void)
{
	struct ring_front f;
	struct ring_back b;
	struct ring_sring_hdr *h = (struct ring_sring_hdr *)page;

	ring_front_init(&f, page, 0, BLKIF_SLOT_SIZE);
	ring_back_init(&b, page, 0, BLKIF_SLOT_SIZE);
	h->req_prod = 32;
	CU_ASSERT_EQUAL(ring_back_unconsumed(&b), 32);
	h->req_prod = 33; /* more than a ring ahead of responses */
	CU_ASSERT_EQUAL(ring_back_unconsumed(&b), -1);
	h->req_prod = 0xfffffff0; /* "behind": huge unsigned distance */
	CU_ASSERT_EQUAL(ring_back_unconsumed(&b), -1);
	/* Responses for requests never made. */
	h->rsp_prod = 1;
	CU_ASSERT_EQUAL(ring_front_unconsumed(&f), -1);
}

static void test_wrap(void)
{
	struct ring_front f;
	struct ring_back b;
	unsigned int i;
	uint64_t *slot;

	ring_front_init(&f, page, 0, BLKIF_SLOT_SIZE);
	f.req_prod_pvt = f.rsp_cons = 0xfffffff0;
	f.sh->req_prod = f.sh->rsp_prod = 0xfffffff0;
	ring_back_init(&b, page, 0, BLKIF_SLOT_SIZE);
	for (i = 0; i < 32; i++) {
		slot = ring_front_next_req(&f);
		*slot = i;
	}
	ring_front_push(&f);
	CU_ASSERT_EQUAL(ring_back_unconsumed(&b), 32);
	for (i = 0; i < 32; i++) {
		const uint64_t *s = ring_back_req(&b, b.req_cons++);

		CU_ASSERT_EQUAL(*s, i);
		ring_back_next_rsp(&b);
	}
	ring_back_push(&b);
	CU_ASSERT_EQUAL(ring_front_unconsumed(&f), 32);
	CU_ASSERT_EQUAL(ring_front_free(&f), 0);
}

static void test_host_grants(void)
{
	struct xenv_world *w = xenv_world_create(3, 64);
	struct xenv *a = xenv_host_open(w, 1), *b = xenv_host_open(w, 0);
	struct xenv *c = xenv_host_open(w, 2);
	void *pg = xenv_alloc_pages(a, 1), *va;
	grant_ref_t ro, rw, refs[2];
	evtchn_port_t pa, pb;

	CU_ASSERT_FATAL(pg != NULL);
	memset(pg, 0x5a, 4096);
	CU_ASSERT_EQUAL(xenv_grant(a, 0, pg, XENV_GRANT_RO, &ro), 0);
	CU_ASSERT_EQUAL(xenv_grant(a, 0, pg, 0, &rw), 0);
	CU_ASSERT_EQUAL(xenv_map(b, 1, &ro, 1, XENV_MAP_RW, &va), -EACCES);
	CU_ASSERT_EQUAL(xenv_map(b, 1, &ro, 1, XENV_MAP_RO, &va), 0);
	CU_ASSERT_EQUAL(((uint8_t *)va)[100], 0x5a);
	CU_ASSERT_EQUAL(xenv_map(c, 1, &rw, 1, XENV_MAP_RO, &va), -EACCES);
	refs[0] = 100000;
	CU_ASSERT_EQUAL(xenv_map(b, 1, refs, 1, XENV_MAP_RO, &va), -EINVAL);
	refs[0] = 500;
	CU_ASSERT_EQUAL(xenv_map(b, 1, refs, 1, XENV_MAP_RO, &va), -ENOENT);
	refs[0] = rw;
	refs[1] = ro;
	CU_ASSERT_EQUAL(xenv_map(b, 1, refs, 2, XENV_MAP_RO, &va), 0);
	xenv_unmap(b, va, 2);
	CU_ASSERT_EQUAL(xenv_map(b, 1, refs, 2, XENV_MAP_RW, &va), -EACCES);
	CU_ASSERT_EQUAL(xenv_ungrant(a, rw), 0);
	CU_ASSERT_EQUAL(xenv_map(b, 1, &rw, 1, XENV_MAP_RO, &va), -ENOENT);
	/* Event channels: only the named peer may bind. */
	CU_ASSERT_EQUAL(xenv_evtchn_alloc(a, 0, &pa), 0);
	CU_ASSERT_EQUAL(xenv_evtchn_bind(c, 1, pa, &pb), -EINVAL);
	CU_ASSERT_EQUAL(xenv_evtchn_bind(b, 1, 9999, &pb), -EINVAL);
	CU_ASSERT_EQUAL(xenv_evtchn_bind(b, 1, pa, &pb), 0);
	CU_ASSERT_EQUAL(xenv_evtchn_bind(b, 1, pa, &pb), -EINVAL);
	CU_ASSERT_EQUAL(xenv_evtchn_notify(a, pa), 0);
	CU_ASSERT_EQUAL(xenv_evtchn_wait(b, 0), 1);
	CU_ASSERT_TRUE(xenv_evtchn_pending(b, pb));
	CU_ASSERT_FALSE(xenv_evtchn_pending(b, pb));
	xenv_evtchn_close(b, pb);
	CU_ASSERT_EQUAL(xenv_evtchn_notify(b, pb), -EINVAL);
	CU_ASSERT_EQUAL(xenv_evtchn_notify(a, pa), -EINVAL);
	xenv_close(a);
	xenv_close(b);
	xenv_close(c);
	xenv_world_destroy(w);
}

int main(void)
{
	CU_pSuite s;
	unsigned int fails;

	if (CU_initialize_registry() != CUE_SUCCESS)
		return 2;
	s = CU_add_suite("ring", NULL, NULL);
	CU_add_test(s, "slot counts", test_slots);
	CU_add_test(s, "notify hold-off", test_notify_holdoff);
	CU_add_test(s, "overflow detection", test_overflow);
	CU_add_test(s, "index wrap", test_wrap);
	CU_add_test(s, "host grants and events", test_host_grants);
	CU_basic_set_mode(CU_BRM_VERBOSE);
	CU_basic_run_tests();
	fails = CU_get_number_of_failures() + CU_get_number_of_tests_failed();
	CU_cleanup_registry();
	return fails ? 1 : 0;
}
