// SPDX-License-Identifier: GPL-2.0
/*
 * Port allocation: the lowest free port of a domain, growing the table a
 * bucket at a time up to the 2-level limit. Pure table logic with one
 * outside call (evtchn_bucket_alloc), so that tests/unit builds it on the
 * host. Callers hold the domain's event lock (docs/locking.md).
 */
#include <hv/errno.h>
#include "private.h"

static int grow_table(struct domain *d)
{
	unsigned int b = d->valid_evtchns / EVTCHNS_PER_BUCKET;
	struct evtchn_bucket *bucket;

	if (b >= EVTCHN_NR_BUCKETS)
		return -ENOSPC;
	bucket = evtchn_bucket_alloc();
	if (!bucket)
		return -ENOMEM;
	d->evtchn[b] = bucket;
	d->valid_evtchns += EVTCHNS_PER_BUCKET;
	return 0;
}

int evtchn_alloc_port(struct domain *d)
{
	BUILD_BUG_ON(EVTCHN_NR_BUCKETS * EVTCHNS_PER_BUCKET !=
		     EVTCHN_MAX_PORTS);
	for (evtchn_port_t port = 0; port < EVTCHN_MAX_PORTS; port++) {
		if (!port_is_valid(d, port)) {
			int rc = grow_table(d);

			if (rc)
				return rc;
		}
		if (evtchn_from_port(d, port)->state == ECS_FREE)
			return (int)port;
	}
	return -ENOSPC;
}

void evtchn_free_port(struct domain *d, evtchn_port_t port)
{
	struct evtchn *chn = evtchn_from_port(d, port);

	evtchn_2l_clear_pending(d, port);
	*chn = (struct evtchn){.state = ECS_FREE};
}
