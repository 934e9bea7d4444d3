// SPDX-License-Identifier: GPL-2.0
/*
 * Event-channel port allocation (hypervisor/common/event/ports.c, built
 * unchanged): lowest free port first, the table grows a bucket at a time,
 * -ENOSPC past the 2-level limit, -ENOMEM when no bucket can be had,
 * freed ports are reused and lose their pending bit.
 */
#include <stdlib.h>
#include <string.h>
#include "harness.h"
#include "../../hypervisor/common/event/private.h"

static bool fail_alloc;
static unsigned int cleared[EVTCHN_MAX_PORTS];

struct evtchn_bucket *evtchn_bucket_alloc(void)
{
	return fail_alloc ? NULL : calloc(1, sizeof(struct evtchn_bucket));
}

void evtchn_2l_clear_pending(struct domain *d, evtchn_port_t port)
{
	(void)d;
	cleared[port]++;
}

static struct domain *new_domain(void)
{
	struct domain *d = calloc(1, sizeof(*d));

	fail_alloc = false;
	memset(cleared, 0, sizeof(cleared));
	return d;
}

static void free_domain(struct domain *d)
{
	for (unsigned int i = 0; i < EVTCHN_NR_BUCKETS; i++)
		free(d->evtchn[i]);
	free(d);
}

static int take(struct domain *d)
{
	int port = evtchn_alloc_port(d);

	if (port >= 0)
		evtchn_from_port(d, (evtchn_port_t)port)->state = ECS_IPI;
	return port;
}

static void test_lowest_first(void)
{
	struct domain *d = new_domain();

	CU_ASSERT_EQUAL(take(d), 0);
	CU_ASSERT_EQUAL(take(d), 1);
	CU_ASSERT_EQUAL(take(d), 2);
	CU_ASSERT_EQUAL(d->valid_evtchns, EVTCHNS_PER_BUCKET);
	evtchn_free_port(d, 1);
	CU_ASSERT_EQUAL(cleared[1], 1);
	CU_ASSERT_EQUAL(evtchn_from_port(d, 1)->state, ECS_FREE);
	CU_ASSERT_EQUAL(take(d), 1);
	CU_ASSERT_EQUAL(take(d), 3);
	free_domain(d);
}

static void test_grow_and_limit(void)
{
	struct domain *d = new_domain();
	int port = 0;

	for (unsigned int i = 0; i < EVTCHN_MAX_PORTS; i++) {
		port = take(d);
		if (port != (int)i)
			break;
	}
	CU_ASSERT_EQUAL(port, EVTCHN_MAX_PORTS - 1);
	CU_ASSERT_EQUAL(d->valid_evtchns, EVTCHN_MAX_PORTS);
	CU_ASSERT_EQUAL(evtchn_alloc_port(d), -HV_ENOSPC);
	evtchn_free_port(d, 700);
	CU_ASSERT_EQUAL(take(d), 700);
	CU_ASSERT_EQUAL(evtchn_alloc_port(d), -HV_ENOSPC);
	free_domain(d);
}

static void test_no_memory(void)
{
	struct domain *d = new_domain();

	fail_alloc = true;
	CU_ASSERT_EQUAL(evtchn_alloc_port(d), -HV_ENOMEM);
	CU_ASSERT_EQUAL(d->valid_evtchns, 0);
	fail_alloc = false;
	for (unsigned int i = 0; i < EVTCHNS_PER_BUCKET; i++)
		take(d);
	fail_alloc = true;
	/* A full first bucket and no second one: -ENOMEM, table intact. */
	CU_ASSERT_EQUAL(evtchn_alloc_port(d), -HV_ENOMEM);
	CU_ASSERT_EQUAL(d->valid_evtchns, EVTCHNS_PER_BUCKET);
	free_domain(d);
}

bool suite_evtchn_ports(void)
{
	static const struct unit_test tests[] = {
	    {"lowest_first", test_lowest_first},
	    {"grow_and_limit", test_grow_and_limit},
	    {"no_memory", test_no_memory},
	};

	return UNIT_SUITE("evtchn_ports", tests);
}
