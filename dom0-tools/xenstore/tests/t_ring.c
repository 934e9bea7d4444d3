// SPDX-License-Identifier: MIT
/*
 * The host ring transport with simulated guest domains: introduction
 * (@introduceDomain), relative paths, permission and quota enforcement
 * for an unprivileged domain, watches over the ring, release and death
 * (@releaseDomain), RECONNECT, and corrupt input from the guest (bad
 * indexes, oversized messages) which must not disturb anyone else.
 */
#include <errno.h>
#include <poll.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include <xenstore.h>
#include "guest_ring.h"
#include "tests.h"

struct xs_handle *ring_h;
const char *ring_registry;

int ring_suite_init(void)
{
	ring_registry = getenv("XS_HOSTRING");
	ring_h = xs_open(0);
	return ring_h && ring_registry ? 0 : -1;
}

int ring_suite_fini(void)
{
	xs_close(ring_h);
	return 0;
}

static char **wait_event(struct xs_handle *x)
{
	struct pollfd p = { .fd = xs_fileno(x), .events = POLLIN };

	if (poll(&p, 1, 3000) <= 0)
		return NULL;
	return xs_check_watch(x);
}

static struct guest *make_domain(unsigned int domid)
{
	return guest_make_domain(ring_h, ring_registry, domid);
}

/* One request from the guest: returns the reply type. */
static int greq(struct guest *g, uint32_t type, uint32_t tx, const char *p,
		uint32_t len, char *reply)
{
	struct xsd_sockmsg hdr;

	if (guest_request(g, type, tx, p, len, &hdr, reply, NULL))
		return -1;
	return (int)hdr.type;
}

static void test_introduce_and_access(void)
{
	struct xs_handle *w = xs_open(0);
	char buf[XENSTORE_PAYLOAD_MAX + 1], **ev;
	struct xs_permissions *p;
	struct guest *g;
	unsigned int n;
	char *v;

	CU_ASSERT_TRUE(xs_watch(w, "@introduceDomain", "intro"));
	free(wait_event(w));
	g = make_domain(7);
	CU_ASSERT_PTR_NOT_NULL_FATAL(g);
	ev = wait_event(w);
	CU_ASSERT_PTR_NOT_NULL(ev);
	if (ev)
		CU_ASSERT_STRING_EQUAL(ev[XS_WATCH_PATH], "@introduceDomain");
	free(ev);
	CU_ASSERT_TRUE(xs_is_domain_introduced(ring_h, 7));
	CU_ASSERT_NOT_EQUAL(g->intf->server_features & 1, 0);
	/* Relative write into its own writable area. */
	CU_ASSERT_EQUAL(greq(g, XS_WRITE, 0, "data/x\0val", 10, buf), XS_WRITE);
	v = xs_read(ring_h, XBT_NULL, "/local/domain/7/data/x", NULL);
	CU_ASSERT_PTR_NOT_NULL(v);
	if (v)
		CU_ASSERT_STRING_EQUAL(v, "val");
	free(v);
	p = xs_get_permissions(ring_h, XBT_NULL, "/local/domain/7/data/x", &n);
	CU_ASSERT_PTR_NOT_NULL_FATAL(p);
	CU_ASSERT_EQUAL(p[0].id, 7);	/* creator owns it */
	free(p);
	CU_ASSERT_EQUAL(greq(g, XS_READ, 0, "name", 5, buf), XS_READ);
	CU_ASSERT_STRING_EQUAL(buf, "guest");
	CU_ASSERT_EQUAL(greq(g, XS_WRITE, 0, "name\0x", 6, buf), XS_ERROR);
	CU_ASSERT_STRING_EQUAL(buf, "EACCES");
	CU_ASSERT_EQUAL(greq(g, XS_READ, 0, "/tool/xenstored", 16, buf),
			XS_ERROR);
	CU_ASSERT_STRING_EQUAL(buf, "EACCES");
	CU_ASSERT_EQUAL(greq(g, XS_INTRODUCE, 0, "9\0" "1\0" "1", 6, buf),
			XS_ERROR);
	CU_ASSERT_STRING_EQUAL(buf, "EACCES");
	CU_ASSERT_EQUAL(greq(g, XS_SET_PERMS, 0, "data/x\0n0", 10, buf),
			XS_ERROR);
	CU_ASSERT_STRING_EQUAL(buf, "EPERM");
	CU_ASSERT_EQUAL(greq(g, XS_GET_DOMAIN_PATH, 0, "7", 2, buf),
			XS_GET_DOMAIN_PATH);
	CU_ASSERT_STRING_EQUAL(buf, "/local/domain/7");
	/* A transaction over the ring. */
	CU_ASSERT_EQUAL(greq(g, XS_TRANSACTION_START, 0, "", 1, buf),
			XS_TRANSACTION_START);
	n = (unsigned int)atoi(buf);
	CU_ASSERT_EQUAL(greq(g, XS_WRITE, n, "data/tx\0t", 9, buf), XS_WRITE);
	CU_ASSERT_EQUAL(greq(g, XS_TRANSACTION_END, n, "T", 2, buf),
			XS_TRANSACTION_END);
	v = xs_read(ring_h, XBT_NULL, "/local/domain/7/data/tx", NULL);
	CU_ASSERT_PTR_NOT_NULL(v);
	free(v);
	xs_close(w);
	CU_ASSERT_TRUE(xs_release_domain(ring_h, 7));
	guest_free(g);
}

static void test_guest_watch(void)
{
	char buf[XENSTORE_PAYLOAD_MAX + 1];
	struct guest *g = make_domain(11);

	CU_ASSERT_PTR_NOT_NULL_FATAL(g);
	CU_ASSERT_EQUAL(greq(g, XS_WATCH, 0, "data\0tk", 8, buf), XS_WATCH);
	CU_ASSERT_EQUAL(guest_wait_event(g, buf, 2000), 0);
	CU_ASSERT_STRING_EQUAL(buf, "data");
	CU_ASSERT_TRUE(
	    xs_write(ring_h, XBT_NULL, "/local/domain/11/data/y", "1", 1));
	CU_ASSERT_EQUAL(guest_wait_event(g, buf, 2000), 0);
	CU_ASSERT_STRING_EQUAL(buf, "data/y");
	/* No event for a node it cannot read. */
	CU_ASSERT_EQUAL(greq(g, XS_WATCH, 0, "/tool\0t2", 9, buf), XS_WATCH);
	CU_ASSERT_EQUAL(guest_wait_event(g, buf, 2000), 0);	/* initial */
	CU_ASSERT_TRUE(xs_write(ring_h, XBT_NULL, "/tool/secret", "1", 1));
	CU_ASSERT_EQUAL(guest_wait_event(g, buf, 300), -ETIMEDOUT);
	CU_ASSERT_TRUE(xs_release_domain(ring_h, 11));
	guest_free(g);
}

static void test_quota(void)
{
	char buf[XENSTORE_PAYLOAD_MAX + 1], path[64];
	int fd = raw_connect(), i, type = 0;
	struct guest *g = make_domain(12);

	CU_ASSERT_PTR_NOT_NULL_FATAL(g);
	/* SET_QUOTA for domain 12: nodes=8, watches=2 (priv only). */
	CU_ASSERT_EQUAL(raw_call(fd, XS_SET_QUOTA, 0, "12\0nodes\0" "8", 11,
				 buf), XS_SET_QUOTA);
	CU_ASSERT_EQUAL(raw_call(fd, XS_SET_QUOTA, 0, "12\0watches\0" "2", 13,
				 buf), XS_SET_QUOTA);
	CU_ASSERT_EQUAL(raw_call(fd, XS_GET_QUOTA, 0, "12\0nodes", 9, buf),
			XS_GET_QUOTA);
	CU_ASSERT_STRING_EQUAL(buf, "8");
	CU_ASSERT_EQUAL(greq(g, XS_SET_QUOTA, 0, "nodes\0" "0", 8, buf),
			XS_ERROR);
	for (i = 0; i < 20; i++) {
		int len = snprintf(path, sizeof(path), "data/n%d", i);

		type = greq(g, XS_WRITE, 0, path, (uint32_t)len + 1, buf);
		if (type == XS_ERROR)
			break;
	}
	CU_ASSERT_EQUAL(type, XS_ERROR);
	CU_ASSERT_STRING_EQUAL(buf, "ENOSPC");
	CU_ASSERT_EQUAL(i, 7);	/* data/ itself is the 8th node */
	CU_ASSERT_EQUAL(greq(g, XS_WATCH, 0, "data\0a", 7, buf), XS_WATCH);
	CU_ASSERT_EQUAL(greq(g, XS_WATCH, 0, "data\0b", 7, buf), XS_WATCH);
	CU_ASSERT_EQUAL(greq(g, XS_WATCH, 0, "data\0c", 7, buf), XS_ERROR);
	CU_ASSERT_STRING_EQUAL(buf, "ENOSPC");
	/* node-size: a value over 2048 bytes is refused. */
	{
		char big[2600] = "name2";

		memset(big + 6, 'v', sizeof(big) - 6);
		CU_ASSERT_EQUAL(greq(g, XS_RM, 0, "data/n0", 8, buf), XS_RM);
		CU_ASSERT_EQUAL(greq(g, XS_WRITE, 0, "data/n0\0", 8, buf),
				XS_WRITE);
		memcpy(big, "data/n0", 8);
		CU_ASSERT_EQUAL(greq(g, XS_WRITE, 0, big, sizeof(big), buf),
				XS_ERROR);
		CU_ASSERT_STRING_EQUAL(buf, "ENOSPC");
	}
	close(fd);
	CU_ASSERT_TRUE(xs_release_domain(ring_h, 12));
	guest_free(g);
}

/* Queue @n READs of @path from @g without reading the replies. */
static void send_reads(struct guest *g, const char *path, int n)
{
	struct xsd_sockmsg hdr = { .type = XS_READ,
				   .len = (uint32_t)strlen(path) + 1 };
	int i;

	for (i = 0; i < n; i++) {
		CU_ASSERT_EQUAL(guest_write_bytes(g, &hdr, sizeof(hdr), 1000),
				0);
		CU_ASSERT_EQUAL(guest_write_bytes(g, path, hdr.len, 1000), 0);
	}
}

/* Read @n replies of READ, each with a @vlen byte value. */
static int read_replies(struct guest *g, int n, uint32_t vlen)
{
	char buf[XENSTORE_PAYLOAD_MAX + 1];
	struct xsd_sockmsg hdr;
	int got = 0;

	while (got < n && !guest_read_bytes(g, &hdr, sizeof(hdr), 2000) &&
	       hdr.len <= XENSTORE_PAYLOAD_MAX &&
	       !guest_read_bytes(g, buf, hdr.len, 2000))
		got += hdr.type == XS_READ && hdr.len == vlen;
	return got;
}

/*
 * "outstanding": a guest that sends requests but does not read the
 * replies is no longer read from once that many replies wait for it (as
 * Xen 4.17); reading them lets it go on. "memory": writes are refused with
 * ENOMEM once the domain's nodes, watches and queued output reach it.
 * (These writes also cross the end of the request ring: a message in two
 * pieces must be read on one notification.)
 */
static void test_quota_outstanding_memory(void)
{
	char buf[XENSTORE_PAYLOAD_MAX + 1], big[1001], path[32];
	struct guest *g = make_domain(24);
	uint32_t cons;
	int fd = raw_connect(), i, type = 0;
	char *r, dom[] = "24";

	CU_ASSERT_PTR_NOT_NULL_FATAL(g);
	memset(big, 'b', sizeof(big));
	CU_ASSERT_TRUE(xs_write(ring_h, XBT_NULL, "/local/domain/24/big", big,
				1000));
	CU_ASSERT_EQUAL(raw_call(fd, XS_SET_QUOTA, 0, "24\0outstanding\0" "3",
				 17, buf), XS_SET_QUOTA);
	/* One reply fits the ring, three wait: 4 of 8 requests read. */
	send_reads(g, "big", 8);
	usleep(300000);
	cons = __atomic_load_n(&g->intf->req_cons, __ATOMIC_ACQUIRE);
	CU_ASSERT_NOT_EQUAL(cons, g->intf->req_prod);
	r = xs_control_command(ring_h, "quota", dom, sizeof(dom));
	CU_ASSERT_PTR_NOT_NULL_FATAL(r);
	CU_ASSERT_PTR_NOT_NULL(strstr(r, "Domain 24:\n"));
	CU_ASSERT_PTR_NOT_NULL(strstr(r, "outstanding     :        3\n"));
	free(r);
	CU_ASSERT_EQUAL(read_replies(g, 8, 1000), 8);
	CU_ASSERT_EQUAL(g->intf->req_cons, g->intf->req_prod);
	/* Memory: about 4 KiB for this domain; writes of 500 bytes. */
	CU_ASSERT_EQUAL(raw_call(fd, XS_SET_QUOTA, 0, "24\0memory\0" "4096",
				 15, buf), XS_SET_QUOTA);
	for (i = 0; i < 20; i++) {
		int len = snprintf(path, sizeof(path), "data/m%d", i) + 1;

		memcpy(buf, path, (size_t)len);
		memset(buf + len, 'm', 500);
		type = greq(g, XS_WRITE, 0, buf, (uint32_t)len + 500, buf);
		if (type == XS_ERROR)
			break;
	}
	CU_ASSERT_EQUAL(type, XS_ERROR);
	CU_ASSERT_STRING_EQUAL(buf, "ENOMEM");
	CU_ASSERT_TRUE(i >= 4 && i < 8);
	CU_ASSERT_EQUAL(greq(g, XS_WATCH, 0, "data\0tok", 9, buf), XS_WATCH);
	CU_ASSERT_EQUAL(greq(g, XS_READ, 0, "name", 5, buf), XS_READ);
	/* Removing its nodes gives the memory back. */
	CU_ASSERT_EQUAL(greq(g, XS_RM, 0, "data/m0", 8, buf), XS_RM);
	CU_ASSERT_EQUAL(greq(g, XS_RM, 0, "data/m1", 8, buf), XS_RM);
	CU_ASSERT_EQUAL(greq(g, XS_WRITE, 0, "data/m0\0x", 9, buf), XS_WRITE);
	close(fd);
	CU_ASSERT_TRUE(xs_release_domain(ring_h, 24));
	guest_free(g);
}

static void test_release_and_death(void)
{
	struct xs_handle *w = xs_open(0);
	struct guest *g1 = make_domain(13), *g2 = make_domain(14);
	struct xs_handle *wd;
	char **ev;

	CU_ASSERT_PTR_NOT_NULL_FATAL(g1);
	CU_ASSERT_PTR_NOT_NULL_FATAL(g2);
	wd = xs_open(0);
	CU_ASSERT_TRUE(xs_watch(w, "@releaseDomain", "rel"));
	free(wait_event(w));
	/* With a depth the event names the domain. */
	CU_ASSERT_TRUE(xs_watch_depth(wd, "@releaseDomain", "reld", 1));
	free(wait_event(wd));
	CU_ASSERT_TRUE(xs_release_domain(ring_h, 13));
	ev = wait_event(w);
	CU_ASSERT_PTR_NOT_NULL(ev);
	if (ev)
		CU_ASSERT_STRING_EQUAL(ev[XS_WATCH_PATH], "@releaseDomain");
	free(ev);
	ev = wait_event(wd);
	CU_ASSERT_PTR_NOT_NULL(ev);
	if (ev)
		CU_ASSERT_STRING_EQUAL(ev[XS_WATCH_PATH], "@releaseDomain/13");
	free(ev);
	xs_close(wd);
	CU_ASSERT_FALSE(xs_is_domain_introduced(ring_h, 13));
	CU_ASSERT_FALSE(xs_release_domain(ring_h, 13));
	CU_ASSERT_EQUAL(errno, ENOENT);
	guest_die(g2);	/* the domain dies: like VIRQ_DOM_EXC */
	ev = wait_event(w);
	CU_ASSERT_PTR_NOT_NULL(ev);
	free(ev);
	CU_ASSERT_TRUE(xs_release_domain(ring_h, 14));
	CU_ASSERT_PTR_NULL(wait_event(w));	/* once per shutdown */
	xs_close(w);
	guest_free(g1);
	guest_free(g2);
}

/* Wait up to 5 s for the daemon to set a shared-page field to @want. */
static void wait_for(uint32_t *field, uint32_t want)
{
	int i;

	for (i = 0; i < 500 && __atomic_load_n(field, __ATOMIC_ACQUIRE) != want;
	     i++)
		usleep(10000);
}

static void test_bad_guest(void)
{
	char buf[XENSTORE_PAYLOAD_MAX + 1];
	struct xsd_sockmsg big = { .type = XS_READ, .len = 5000 };
	struct guest *g = make_domain(15), *g2 = make_domain(16);
	char *v;

	CU_ASSERT_PTR_NOT_NULL_FATAL(g);
	CU_ASSERT_PTR_NOT_NULL_FATAL(g2);
	/* Oversized message: connection dropped with ERROR_PROTO. */
	CU_ASSERT_EQUAL(guest_write_bytes(g, &big, sizeof(big), 1000), 0);
	wait_for(&g->intf->error, XENSTORE_ERROR_PROTO);
	CU_ASSERT_EQUAL(g->intf->error, XENSTORE_ERROR_PROTO);
	/* Corrupt producer index. */
	g2->intf->req_prod = g2->intf->req_cons + 5000;
	CU_ASSERT_EQUAL(guest_write_bytes(g2, "", 0, 100), 0);
	wait_for(&g2->intf->error, XENSTORE_ERROR_RINGIDX);
	CU_ASSERT_EQUAL(g2->intf->error, XENSTORE_ERROR_RINGIDX);
	/* Everyone else is still served. */
	v = xs_read(ring_h, XBT_NULL, "/local/domain/15/name", NULL);
	CU_ASSERT_PTR_NOT_NULL(v);
	free(v);
	CU_ASSERT_TRUE(xs_release_domain(ring_h, 15));
	CU_ASSERT_TRUE(xs_release_domain(ring_h, 16));
	guest_free(g);
	guest_free(g2);
	(void)buf;
}

static void test_reconnect(void)
{
	char buf[XENSTORE_PAYLOAD_MAX + 1];
	struct guest *g = make_domain(17);

	CU_ASSERT_PTR_NOT_NULL_FATAL(g);
	CU_ASSERT_EQUAL(greq(g, XS_WATCH, 0, "data\0w", 7, buf), XS_WATCH);
	CU_ASSERT_EQUAL(guest_wait_event(g, buf, 2000), 0);
	g->intf->connection = XENSTORE_RECONNECT;
	CU_ASSERT_EQUAL(guest_write_bytes(g, "", 0, 100), 0);
	wait_for(&g->intf->connection, XENSTORE_CONNECTED);
	CU_ASSERT_EQUAL(g->intf->connection, XENSTORE_CONNECTED);
	CU_ASSERT_EQUAL(g->intf->req_prod, 0);
	/* The watch is gone: re-registering works, no EEXIST. */
	CU_ASSERT_EQUAL(greq(g, XS_WATCH, 0, "data\0w", 7, buf), XS_WATCH);
	CU_ASSERT_TRUE(xs_release_domain(ring_h, 17));
	guest_free(g);
}

static void test_set_target(void)
{
	struct xs_permissions owned[1] = { { 23, XS_PERM_NONE } };
	char buf[XENSTORE_PAYLOAD_MAX + 1];
	struct guest *dm = make_domain(22), *g = make_domain(23);

	CU_ASSERT_PTR_NOT_NULL_FATAL(dm);
	CU_ASSERT_PTR_NOT_NULL_FATAL(g);
	CU_ASSERT_TRUE(
	    xs_write(ring_h, XBT_NULL, "/local/domain/23/dm", "x", 1));
	CU_ASSERT_TRUE(xs_set_permissions(ring_h, XBT_NULL,
					  "/local/domain/23/dm", owned, 1));
	/* Before SET_TARGET domain 22 has no access to 23's node... */
	CU_ASSERT_EQUAL(greq(dm, XS_READ, 0, "/local/domain/23/dm", 20, buf),
			XS_ERROR);
	CU_ASSERT_STRING_EQUAL(buf, "EACCES");
	/* ...after it, 22 (a device model) acts with 23's rights. */
	CU_ASSERT_TRUE(xs_set_target(ring_h, 22, 23));
	CU_ASSERT_EQUAL(greq(dm, XS_WRITE, 0, "/local/domain/23/dm\0y", 21,
			     buf), XS_WRITE);
	CU_ASSERT_FALSE(xs_set_target(ring_h, 99, 23));
	CU_ASSERT_EQUAL(errno, ENOENT);
	CU_ASSERT_TRUE(xs_release_domain(ring_h, 22));
	CU_ASSERT_TRUE(xs_release_domain(ring_h, 23));
	guest_free(dm);
	guest_free(g);
}

void suite_ring_register(void)
{
	CU_pSuite s = CU_add_suite("ring (simulated guests)", ring_suite_init,
				    ring_suite_fini);

	CU_add_test(s, "introduce, access rules, txn", test_introduce_and_access);
	CU_add_test(s, "guest watches", test_guest_watch);
	CU_add_test(s, "quotas", test_quota);
	CU_add_test(s, "outstanding and memory quotas",
		    test_quota_outstanding_memory);
	CU_add_test(s, "release and death", test_release_and_death);
	CU_add_test(s, "corrupt guest input", test_bad_guest);
	CU_add_test(s, "reconnect", test_reconnect);
	CU_add_test(s, "set target", test_set_target);
}
