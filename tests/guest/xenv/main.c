// SPDX-License-Identifier: MIT
/*
 * xenv: the split drivers' freestanding environment (frontend/env/
 * xenv-free.c) in a PV kernel, looped back to its own domain as the
 * /dev/xen one is in dom0: an event channel it offers and binds itself,
 * pages it grants itself and maps through GNTTABOP_map_grant_ref, then a
 * shared ring (hvabi/io/ring.h) carried over them: requests produced on
 * one side, consumed and answered on the other, with notifications.
 */
#include <hvabi/io/ring.h>
#include "../kenv/kenv.h"
#include "lib.h"
#include "mm.h"

TEST_CATEGORY(functional);

#define MS 1000000ULL

static struct xenv *e;

static void test_open(void)
{
	e = kenv_open();
	CHECK(e != NULL, "kenv_open: shared_info, events, grant table");
}

static void test_evtchn_loopback(void)
{
	evtchn_port_t a, b;

	CHECK_RC(xenv_evtchn_alloc(e, 0, &a), 0);
	CHECK_RC(xenv_evtchn_bind(e, 0, a, &b), 0);
	/* Binding marks the new port pending (as Xen); take it. */
	CHECK(xenv_evtchn_pending(e, b), "port %u pending after bind", b);
	CHECK_EQ(xenv_evtchn_wait(e, 1), 0);	/* nothing else: times out */
	CHECK_RC(xenv_evtchn_notify(e, b), 0);
	CHECK_EQ(xenv_evtchn_wait(e, 1000), 1);
	CHECK(xenv_evtchn_pending(e, a), "port %u pending", a);
	CHECK(!xenv_evtchn_pending(e, a), "pending taken once");
	CHECK_RC(xenv_evtchn_bind(e, 0, 4000, &b), -HV_EINVAL);
	xenv_evtchn_close(e, b);
	xenv_evtchn_close(e, a);
}

static void test_grant_loopback(void)
{
	uint8_t *pg = xenv_alloc_pages(e, 2);
	grant_ref_t refs[2], bad = 400;
	uint8_t *va;

	CHECK(pg != NULL, "pages");
	memset(pg, 0x3c, 8192);
	CHECK_RC(xenv_grant(e, 0, pg, 0, &refs[0]), 0);
	CHECK_RC(xenv_grant(e, 0, pg + 4096, 0, &refs[1]), 0);
	CHECK_RC(xenv_map(e, 0, refs, 2, XENV_MAP_RW, (void **)&va), 0);
	CHECK_EQ(va[8191], 0x3c);
	va[5] = 0x11;
	CHECK_EQ(pg[5], 0x11);
	CHECK_RC(xenv_ungrant(e, refs[0]), -HV_EBUSY);	/* still mapped */
	xenv_unmap(e, va, 2);
	CHECK_RC(xenv_ungrant(e, refs[0]), 0);
	CHECK_RC(xenv_ungrant(e, refs[1]), 0);
	CHECK_RC(xenv_map(e, 0, &bad, 1, XENV_MAP_RO, (void **)&va),
		 -HV_EACCES);
}

/* A ring of 8-byte requests and responses shared through a grant. */
static void test_ring_loopback(void)
{
	void *area = xenv_alloc_pages(e, 1), *mapped;
	struct ring_front f;
	struct ring_back b;
	evtchn_port_t fport, bport;
	grant_ref_t ref;
	unsigned int served = 0, answered = 0;

	ring_front_init(&f, area, 0, 8);
	CHECK_RC(xenv_grant(e, 0, area, 0, &ref), 0);
	CHECK_RC(xenv_map(e, 0, &ref, 1, XENV_MAP_RW, &mapped), 0);
	ring_back_init(&b, mapped, 0, 8);
	CHECK_RC(xenv_evtchn_alloc(e, 0, &bport), 0);
	CHECK_RC(xenv_evtchn_bind(e, 0, bport, &fport), 0);
	for (uint64_t i = 0; i < 100; i++) {
		int n;

		*(uint64_t *)ring_front_next_req(&f) = i;
		if (ring_front_push(&f) > 0)
			xenv_evtchn_notify(e, fport);
		/* The back end, through its own mapping of the page. */
		while ((n = ring_back_unconsumed(&b)) > 0) {
			uint64_t v;

			ring_copy_slot(&v, ring_back_req(&b, b.req_cons), 8);
			b.req_cons++;
			*(uint64_t *)ring_back_next_rsp(&b) = v * 2;
			served++;
		}
		CHECK(n == 0, "back end saw a bad ring: %d", n);
		ring_back_push(&b);
		while ((n = ring_front_unconsumed(&f)) > 0) {
			uint64_t v;

			ring_copy_slot(&v, ring_front_rsp(&f, f.rsp_cons), 8);
			f.rsp_cons++;
			CHECK_EQ(v, 2ULL * answered);
			answered++;
		}
	}
	CHECK_EQ(served, 100);
	CHECK_EQ(answered, 100);
	CHECK(xenv_evtchn_pending(e, bport), "a notification arrived");
	xenv_evtchn_close(e, fport);
	xenv_evtchn_close(e, bport);
	xenv_unmap(e, mapped, 1);
	CHECK_RC(xenv_ungrant(e, ref), 0);
}

void test_main(void)
{
	run_case("open", test_open);
	if (!e)
		return;
	run_case("evtchn_loopback", test_evtchn_loopback);
	run_case("grant_loopback", test_grant_loopback);
	run_case("ring_loopback", test_ring_loopback);
}
