// SPDX-License-Identifier: MIT
/*
 * Domains and quotas: the table of known domains (introduced ones and any
 * domain owning nodes), global and per-domain quotas with Xen's defaults,
 * and the domain requests INTRODUCE, RELEASE, RESUME,
 * IS_DOMAIN_INTRODUCED, GET_DOMAIN_PATH, SET_TARGET, GET/SET_FEATURE and
 * GET/SET_QUOTA. The ring itself is the transport's business (ring.c).
 */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "xenstored.h"

#define SERVER_FEATURES (XENSTORE_SERVER_FEATURE_RECONNECTION | \
			 XENSTORE_SERVER_FEATURE_ERROR | \
			 XENSTORE_SERVER_FEATURE_WATCHDEPTH | \
			 XENSTORE_SERVER_FEATURE_DOMID_ANY)

const char *const quota_names[Q_COUNT] = {
	[Q_NODES] = "nodes",
	[Q_NODE_SIZE] = "node-size",
	[Q_WATCHES] = "watches",
	[Q_TXNS] = "transactions",
	[Q_TXN_NODES] = "transaction-nodes",
	[Q_PERMS] = "node-permissions",
	[Q_PATH_MAX] = "path-max",
	[Q_OUTSTANDING] = "outstanding",
	[Q_MEMORY] = "memory",
};

unsigned int quota_global[Q_COUNT] = {
	[Q_NODES] = 1000,
	[Q_NODE_SIZE] = 2048,
	[Q_WATCHES] = 128,
	[Q_TXNS] = 10,
	[Q_TXN_NODES] = 1024,
	[Q_PERMS] = 5,
	[Q_PATH_MAX] = 2048,
	[Q_OUTSTANDING] = 20,
	[Q_MEMORY] = 2560 * 1024,
};

unsigned int quota_memory_soft = 2048 * 1024;
unsigned int xs_priv_domid;	/* 0: dom0 */
static struct domain *domains;

struct domain *domain_find(unsigned int domid)
{
	struct domain *d;

	for (d = domains; d; d = d->next)
		if (d->domid == domid)
			return d;
	return NULL;
}

struct domain *domain_get(unsigned int domid)
{
	struct domain *d = domain_find(domid);

	if (d)
		return d;
	d = xs_zalloc(sizeof(*d));
	if (!d)
		return NULL;
	d->domid = domid;
	d->target = DOMID_FIRST_RESERVED;
	d->next = domains;
	domains = d;
	return d;
}

unsigned int quota_of(unsigned int domid, enum quota_idx q)
{
	struct domain *d = domain_find(domid);

	if (d && d->quota_set[q])
		return d->quota[q];
	return quota_global[q];
}

bool quota_exceeded(const struct conn *conn, enum quota_idx q,
		    unsigned long val)
{
	unsigned int max;

	if (conn->priv)
		return false;
	max = quota_of(conn->domid, q);
	return max && val >= max;
}

/* Log crossings of the soft and hard memory levels, once each way. */
static void mem_report(struct domain *d)
{
	unsigned int hard = quota_of(d->domid, Q_MEMORY);
	bool over_soft = quota_memory_soft && d->memory >= quota_memory_soft;
	bool over_hard = hard && d->memory >= hard;

	if (d->domid == 0 || d->domid == xs_priv_domid)
		return;
	if (over_soft != d->soft_reported)
		xs_log(over_soft ? LOG_WARN : LOG_INFO,
		       "domain %u %s its soft memory quota (%ld bytes)",
		       d->domid, over_soft ? "exceeds" : "is below", d->memory);
	if (over_hard != d->hard_reported)
		xs_log(over_hard ? LOG_ERR : LOG_INFO,
		       "domain %u %s its memory quota (%ld bytes)%s", d->domid,
		       over_hard ? "exceeds" : "is below", d->memory,
		       over_hard ? ": its requests are no longer read" : "");
	d->soft_reported = over_soft;
	d->hard_reported = over_hard;
}

void domain_acct(unsigned int owner, long nodes, long mem)
{
	struct domain *d = domain_get(owner);

	if (!d)
		return;
	d->nr_nodes = (unsigned long)((long)d->nr_nodes + nodes);
	d->memory += mem;
	mem_report(d);
}

int domain_mem_check(const struct conn *conn, size_t extra)
{
	unsigned int hard;

	if (conn->priv || !conn->domain)
		return 0;
	hard = quota_of(conn->domid, Q_MEMORY);
	if (hard && conn->domain->memory + (long)extra >= (long)hard)
		return -ENOMEM;
	return 0;
}

bool domain_stalled(const struct conn *conn)
{
	const struct domain *d = conn->domain;
	unsigned int out, hard;

	if (conn->priv || !d)
		return false;
	out = quota_of(conn->domid, Q_OUTSTANDING);
	hard = quota_of(conn->domid, Q_MEMORY);
	return (out && d->outstanding >= out) ||
	       (hard && d->memory >= (long)hard);
}

void domain_out_acct(const struct conn *conn, size_t len, int delta)
{
	/* By id: a released domain's dead connection still refunds. */
	struct domain *d = conn->domain ? conn->domain :
			   domain_find(conn->domid);

	if (!d)
		return;
	d->outstanding += (unsigned int)delta;
	d->memory += delta * (long)len;
	mem_report(d);
}

unsigned long domain_nodes(unsigned int domid)
{
	struct domain *d = domain_find(domid);

	return d ? d->nr_nodes : 0;
}

/* Parse argument @i of @r as a domid; -EINVAL if absent or bad. */
static int arg_domid(struct request *r, unsigned int i, unsigned int *domid)
{
	const char *argv[4];
	unsigned long v;

	if (!r->hdr.len || r->data[r->hdr.len - 1] != '\0' ||
	    wire_args(r, argv, 4) <= i ||
	    xs_parse_uint(argv[i], 0xffff, &v) < 0)
		return -EINVAL;
	*domid = (unsigned int)v;
	return 0;
}

/* The introduced domain named by argument 0. */
static int arg_introduced(struct request *r, struct domain **out)
{
	unsigned int domid;
	int err = arg_domid(r, 0, &domid);

	if (err)
		return err;
	*out = domain_find(domid);
	return *out && (*out)->introduced ? 0 : -ENOENT;
}

int do_introduce(struct request *r)
{
	const char *argv[3];
	unsigned long gfn, port;
	unsigned int domid;
	struct domain *d;
	int err;

	if (arg_domid(r, 0, &domid) || wire_args(r, argv, 3) != 3 ||
	    xs_parse_uint(argv[1], ~0UL, &gfn) < 0 ||
	    xs_parse_uint(argv[2], UINT32_MAX, &port) < 0 ||
	    domid == 0 || domid >= DOMID_FIRST_RESERVED)
		return -EINVAL;
	d = domain_get(domid);
	if (!d)
		return -ENOMEM;
	if (!d->introduced || !d->conn) {
		err = ring_connect_domain(d, gfn, (unsigned int)port);
		if (err)
			return err;
	}
	if (!d->introduced) {
		d->introduced = true;
		d->shutdown = false;
		watch_fire_special("@introduceDomain", domid);
	}
	xs_log(LOG_INFO, "domain %u introduced (gfn %lu port %lu)", domid,
	       gfn, port);
	return wire_ok(r);
}

int domain_ring_test(unsigned int domid, unsigned int owner, uint32_t gref,
		     unsigned int port)
{
	struct domain *d;
	int err;

	if (domid == 0 || domid >= DOMID_FIRST_RESERVED ||
	    owner >= DOMID_FIRST_RESERVED)
		return -EINVAL;
	d = domain_get(domid);
	if (!d)
		return -ENOMEM;
	if (d->introduced)
		return -EEXIST;
	err = ring_xen_attach(d, owner, gref, RING_NO_GFN, port);
	if (err)
		return err;
	d->introduced = true;
	d->shutdown = false;
	watch_fire_special("@introduceDomain", domid);
	xs_log(LOG_INFO, "domain %u introduced (grant %u of domain %u, port %u)",
	       domid, gref, owner, port);
	return 0;
}

/* Forget @d's connection and tell @releaseDomain watchers once. */
static void domain_release(struct domain *d, const struct conn *busy)
{
	ring_disconnect_domain(d, busy);
	d->introduced = false;
	d->features = 0;
	if (!d->shutdown) {
		d->shutdown = true;
		watch_fire_special("@releaseDomain", d->domid);
	}
}

int do_release(struct request *r)
{
	struct domain *d;
	int err = arg_introduced(r, &d);

	if (err)
		return err;
	domain_release(d, r->conn);
	return wire_ok(r);
}

void domain_conn_gone(struct domain *d)
{
	d->conn = NULL;
}

/* The domain died (host transport: its registration went away). */
void domain_died(unsigned int domid)
{
	struct domain *d = domain_find(domid);

	if (d && d->introduced && !d->shutdown) {
		d->shutdown = true;
		watch_fire_special("@releaseDomain", domid);
	}
}

int do_resume(struct request *r)
{
	struct domain *d;
	int err = arg_introduced(r, &d);

	if (err)
		return err;
	d->shutdown = false;
	return wire_ok(r);
}

int do_is_introduced(struct request *r)
{
	unsigned int domid;
	struct domain *d;
	int err = arg_domid(r, 0, &domid);

	if (err)
		return err;
	d = domain_find(domid);
	return wire_reply(r, d && d->introduced ? "T" : "F", 2);
}

int do_get_domain_path(struct request *r)
{
	char buf[32];
	unsigned int domid;
	int err = arg_domid(r, 0, &domid);

	if (err)
		return err;
	return wire_reply(r, buf, (size_t)snprintf(buf, sizeof(buf),
				"/local/domain/%u", domid) + 1);
}

int do_set_target(struct request *r)
{
	unsigned int target;
	struct domain *d;
	int err = arg_introduced(r, &d);

	if (!err)
		err = arg_domid(r, 1, &target);
	if (err)
		return err;
	d->target = target;
	return wire_ok(r);
}

int do_get_feature(struct request *r)
{
	char buf[16];
	unsigned int domid, val = SERVER_FEATURES;
	struct domain *d;

	if (r->hdr.len > 1) {
		if (!r->conn->priv)
			return -EACCES;
		if (arg_domid(r, 0, &domid))
			return -EINVAL;
		d = domain_find(domid);
		if (!d)
			return -ENOENT;
		val = d->features;
	}
	return wire_reply(r, buf, (size_t)snprintf(buf, sizeof(buf), "%u",
						   val) + 1);
}

int do_set_feature(struct request *r)
{
	const char *argv[2];
	unsigned long val;
	unsigned int domid;
	struct domain *d;

	if (arg_domid(r, 0, &domid) || wire_args(r, argv, 2) != 2 ||
	    xs_parse_uint(argv[1], UINT32_MAX, &val) < 0)
		return -EINVAL;
	d = domain_get(domid);
	if (!d)
		return -ENOMEM;
	if (d->introduced)
		return -EBUSY;
	d->features = (unsigned int)val & SERVER_FEATURES;
	return wire_ok(r);
}

int quota_index(const char *name)
{
	int i;

	if (!strcmp(name, "permissions"))	/* Xen 4.17's control name */
		return Q_PERMS;
	for (i = 0; i < Q_COUNT; i++)
		if (!strcmp(name, quota_names[i]))
			return i;
	return -EINVAL;
}

int do_get_quota(struct request *r)
{
	const char *argv[3];
	char buf[256];
	unsigned int n = 0, domid, v;
	size_t used = 0;
	int q, i;

	if (r->hdr.len)
		n = wire_args(r, argv, 3);
	if (n == 0 || (n == 1 && !*argv[0])) {
		for (i = 0; i < Q_COUNT; i++)
			used += (size_t)snprintf(buf + used, sizeof(buf) - used,
						 "%s%s", i ? " " : "",
						 quota_names[i]);
		return wire_reply(r, buf, used + 1);
	}
	q = quota_index(argv[n - 1]);
	if (q < 0 || n > 2 || (n == 2 && arg_domid(r, 0, &domid)))
		return -EINVAL;
	if (n == 2 && !domain_find(domid))
		return -ENOENT;
	v = n == 2 ? quota_of(domid, q) : quota_global[q];
	return wire_reply(r, buf, (size_t)snprintf(buf, sizeof(buf), "%u",
						   v) + 1);
}

int do_set_quota(struct request *r)
{
	const char *argv[3];
	unsigned int n = r->hdr.len ? wire_args(r, argv, 3) : 0, domid;
	unsigned long v;
	struct domain *d;
	int q;

	if (n < 2 || r->data[r->hdr.len - 1] != '\0' ||
	    (q = quota_index(argv[n - 2])) < 0 ||
	    xs_parse_uint(argv[n - 1], UINT32_MAX, &v) < 0)
		return -EINVAL;
	if (n == 2) {
		quota_global[q] = (unsigned int)v;
		return wire_ok(r);
	}
	if (arg_domid(r, 0, &domid))
		return -EINVAL;
	d = domain_find(domid);
	if (!d || !d->introduced)
		return -ENOENT;
	d->quota[q] = (unsigned int)v;
	d->quota_set[q] = true;
	return wire_ok(r);
}

int quota_set_option(const char *arg)
{
	char name[32];
	const char *eq = strchr(arg, '=');
	unsigned long v;
	int q;

	if (!eq || (size_t)(eq - arg) >= sizeof(name))
		return -EINVAL;
	memcpy(name, arg, (size_t)(eq - arg));
	name[eq - arg] = '\0';
	q = quota_index(name);
	if (q < 0 || xs_parse_uint(eq + 1, INT32_MAX, &v) < 0)
		return -EINVAL;
	if (q == Q_PATH_MAX && v > XENSTORE_REL_PATH_MAX)
		v = XENSTORE_REL_PATH_MAX;	/* as Xen's -M */
	quota_global[q] = (unsigned int)v;
	return 0;
}

int quota_soft_option(const char *arg)
{
	unsigned long v;

	if (strncmp(arg, "memory=", 7) ||
	    xs_parse_uint(arg + 7, INT32_MAX, &v) < 0)
		return -EINVAL;
	quota_memory_soft = (unsigned int)v;
	return 0;
}
