// SPDX-License-Identifier: MIT
/*
 * The freestanding xenstore client of our PV kernels
 * (frontend/env/xs-free.c) over a simulated guest's ring: against the
 * daemon (reads, writes, removal, errors, watches and events arriving in
 * the middle of a request), and against a server that breaks the
 * protocol (a producer running ahead, an oversized or foreign reply, no
 * reply at all), written here straight into a private page.
 */
#include <errno.h>
#include <poll.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include <xenstore.h>
#include <hvabi/errno.h>
#include "../../../frontend/env/xenbus.h"
#include "../../../frontend/env/xs-free.h"
#include "guest_ring.h"
#include "tests.h"


static void g_notify(void *arg)
{
	struct guest *g = arg;
	uint64_t one = 1;

	if (write(g->efd_to_server, &one, sizeof(one)) != sizeof(one))
		return;
}

static int g_wait(void *arg, int ms)
{
	struct guest *g = arg;
	struct pollfd p = {.fd = g->efd_from_server, .events = POLLIN};
	uint64_t v;

	if (poll(&p, 1, ms) <= 0)
		return 0;
	return read(g->efd_from_server, &v, sizeof(v)) == sizeof(v);
}

static void test_daemon(void)
{
	static struct xs_free x;
	struct guest *g = guest_make_domain(ring_h, ring_registry, 41);
	char buf[64], path[64], token[64];
	unsigned int len;
	char *v;

	CU_ASSERT_PTR_NOT_NULL_FATAL(g);
	xs_free_init(&x, g->intf, g_notify, g_wait, g);
	CU_ASSERT_EQUAL(xs_free_write(&x, "data/x", "hello"), 0);
	v = xs_read(ring_h, XBT_NULL, "/local/domain/41/data/x", &len);
	CU_ASSERT(v && len == 5 && !memcmp(v, "hello", 5));
	free(v);
	CU_ASSERT_EQUAL(xs_free_read(&x, "data/x", buf, sizeof(buf)), 5);
	CU_ASSERT_STRING_EQUAL(buf, "hello");
	CU_ASSERT_EQUAL(xs_free_read(&x, "data/x", buf, 5), -HV_E2BIG);
	CU_ASSERT_EQUAL(xs_free_read(&x, "data/none", buf, sizeof(buf)),
			-HV_ENOENT);
	/* Its home is read-only to it. */
	CU_ASSERT_EQUAL(xs_free_write(&x, "name", "evil"), -HV_EACCES);
	CU_ASSERT_EQUAL(xs_free_rm(&x, "data/x"), 0);
	CU_ASSERT_EQUAL(xs_free_read(&x, "data/x", buf, sizeof(buf)),
			-HV_ENOENT);

	/* A watch fires once when set, then on changes below its path. */
	CU_ASSERT_EQUAL(xs_free_watch(&x, "data", "tok"), 0);
	CU_ASSERT_EQUAL(xs_free_wait_event(&x, path, token, 64, 3000), 1);
	CU_ASSERT_STRING_EQUAL(path, "data");
	CU_ASSERT_STRING_EQUAL(token, "tok");
	CU_ASSERT_EQUAL(xs_free_wait_event(&x, path, token, 64, 100), 0);
	xs_write(ring_h, XBT_NULL, "/local/domain/41/data/y", "1", 1);
	CU_ASSERT_EQUAL(xs_free_wait_event(&x, path, token, 64, 3000), 1);
	CU_ASSERT_STRING_EQUAL(path, "data/y");
	/* An event that arrives before a reply waits for us. */
	xs_write(ring_h, XBT_NULL, "/local/domain/41/data/z", "2", 1);
	usleep(100000);
	CU_ASSERT_EQUAL(xs_free_read(&x, "data/z", buf, sizeof(buf)), 1);
	CU_ASSERT_EQUAL(xs_free_wait_event(&x, path, token, 64, 0), 1);
	CU_ASSERT_STRING_EQUAL(path, "data/z");
	CU_ASSERT_EQUAL(xs_free_unwatch(&x, "data", "tok"), 0);
	CU_ASSERT_EQUAL(xs_free_unwatch(&x, "data", "tok"), -HV_ENOENT);
	CU_ASSERT_FALSE(x.broken);
	guest_die(g);
	guest_free(g);
}

/* A server of our own making: nothing answers unless the test writes. */
static struct xenstore_domain_interface page;
static int fake_waits;

static void f_notify(void *arg)
{
	(void)arg;
}

static int f_wait(void *arg, int ms)
{
	(void)arg;
	(void)ms;
	fake_waits++;
	return 0;
}

static void reply(uint32_t type, uint32_t id, uint32_t len)
{
	struct xsd_sockmsg m = {.type = type, .req_id = id, .len = len};

	memcpy(page.rsp + MASK_XENSTORE_IDX(page.rsp_prod), &m, sizeof(m));
	page.rsp_prod += (uint32_t)sizeof(m);
}

static void test_bad_server(void)
{
	static struct xs_free x;
	char buf[16];

	memset(&page, 0, sizeof(page));
	xs_free_init(&x, &page, f_notify, f_wait, NULL);
	x.timeout_ms = 1;
	/* No reply: a timeout, not a hang; the client stays usable. */
	CU_ASSERT_EQUAL(xs_free_read(&x, "a", buf, sizeof(buf)),
			-HV_ETIMEDOUT);
	CU_ASSERT(fake_waits > 0);
	CU_ASSERT_FALSE(x.broken);
	/* A reply to a request we did not make. */
	page.req_cons = page.req_prod;
	page.rsp_cons = page.rsp_prod = 0;
	x.req_id = 7;
	reply(XS_READ, 99, 0);
	CU_ASSERT_EQUAL(xs_free_read(&x, "a", buf, sizeof(buf)), -HV_EBADMSG);
	CU_ASSERT_TRUE(x.broken);
	CU_ASSERT_EQUAL(xs_free_read(&x, "a", buf, sizeof(buf)), -HV_EBADMSG);
	/* A reply longer than the protocol allows. */
	xs_free_init(&x, &page, f_notify, f_wait, NULL);
	memset(&page, 0, sizeof(page));
	reply(XS_READ, 1, XENSTORE_PAYLOAD_MAX + 1);
	CU_ASSERT_EQUAL(xs_free_read(&x, "a", buf, sizeof(buf)), -HV_EBADMSG);
	/* A producer more than a ring ahead of us. */
	xs_free_init(&x, &page, f_notify, f_wait, NULL);
	memset(&page, 0, sizeof(page));
	page.rsp_prod = XENSTORE_RING_SIZE + 1;
	CU_ASSERT_EQUAL(xs_free_read(&x, "a", buf, sizeof(buf)), -HV_EBADMSG);
	/* ... and a consumer that claims to be ahead of our requests. */
	xs_free_init(&x, &page, f_notify, f_wait, NULL);
	memset(&page, 0, sizeof(page));
	page.req_cons = 5000;
	CU_ASSERT_EQUAL(xs_free_write(&x, "a", "b"), -HV_EBADMSG);
	/* The server's error name, mapped. */
	xs_free_init(&x, &page, f_notify, f_wait, NULL);
	memset(&page, 0, sizeof(page));
	reply(XS_ERROR, 1, 7);
	memcpy(page.rsp + sizeof(struct xsd_sockmsg), "EACCES", 7);
	page.rsp_prod += 7;
	CU_ASSERT_EQUAL(xs_free_write(&x, "a", "b"), -HV_EACCES);
	CU_ASSERT_FALSE(x.broken);
}

static uint64_t host_now_ns(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (uint64_t)ts.tv_sec * 1000000000ULL + (uint64_t)ts.tv_nsec;
}

/* Toolstack side: @path with @value, owned by @owner, readable by @reader. */
static void ts_node(const char *path, const char *value, unsigned int owner,
		    unsigned int reader)
{
	struct xs_permissions perm[2] = {{owner, XS_PERM_NONE},
					 {reader, XS_PERM_READ}};

	xs_write(ring_h, XBT_NULL, path, value, (unsigned int)strlen(value));
	xs_set_permissions(ring_h, XBT_NULL, path, perm, 2);
}

/* The drivers' xenbus layer (frontend/env/xenbus.c) over xs-free, as a
 * PV kernel's front end runs its handshake. */
static void test_xenbus(void)
{
	static struct xs_free x;
	struct guest *g = guest_make_domain(ring_h, ring_registry, 42);
	const char *fe = "/local/domain/42/device/vbd/768";
	const char *be = "/local/domain/0/backend/vbd/42/768";
	char buf[64], *v;
	unsigned int len;
	uint64_t n;
	struct xb xb;

	CU_ASSERT_PTR_NOT_NULL_FATAL(g);
	xs_free_init(&x, g->intf, g_notify, g_wait, g);
	xb_free_init(&xb, &x, host_now_ns);
	ts_node(fe, "", 42, 0);
	ts_node("/local/domain/42/device/vbd/768/backend", be, 42, 0);
	ts_node("/local/domain/42/device/vbd/768/backend-id", "0", 42, 0);
	ts_node(be, "", 0, 42);
	ts_node("/local/domain/0/backend/vbd/42/768/state", "2", 0, 42);
	ts_node("/local/domain/0/backend/vbd/42/768/sectors", "12x", 0, 42);
	ts_node("/local/domain/0/backend/vbd/42/768/info", "1234567890123456"
		"78901234567890", 0, 42);

	CU_ASSERT_EQUAL(xb_read_buf(&xb, buf, sizeof(buf), "%s/backend", fe),
			(int)strlen(be));
	CU_ASSERT_STRING_EQUAL(buf, be);
	CU_ASSERT_EQUAL(xb_read_buf(&xb, buf, 8, "%s/backend", fe), -HV_E2BIG);
	CU_ASSERT_EQUAL(xb_read_uint(&xb, &n, 0x7fef, "%s/backend-id", fe), 0);
	CU_ASSERT_EQUAL(n, 0);
	/* Values the other end wrote: strict, bounded. */
	CU_ASSERT_EQUAL(xb_read_uint(&xb, &n, ~0ULL, "%s/sectors", be),
			-HV_EINVAL);
	CU_ASSERT_EQUAL(xb_read_uint(&xb, &n, ~0ULL, "%s/info", be),
			-HV_EINVAL);
	CU_ASSERT_EQUAL(xb_read_uint(&xb, &n, ~0ULL, "%s/none", be),
			-HV_ENOENT);
	CU_ASSERT_EQUAL(xb_state(&xb, be), XenbusStateInitWait);
	/* Our side of the handshake, seen by the toolstack. */
	CU_ASSERT_EQUAL(xb_write_uint(&xb, 7, "%s/ring-ref", fe), 0);
	CU_ASSERT_EQUAL(xb_switch(&xb, fe, XenbusStateInitialised), 0);
	v = xs_read(ring_h, XBT_NULL, "/local/domain/42/device/vbd/768/state",
		    &len);
	CU_ASSERT(v && !strcmp(v, "3"));
	free(v);
	CU_ASSERT_EQUAL(xb_rm(&xb, "%s/ring-ref", fe), 0);
	CU_ASSERT_EQUAL(xb_rm(&xb, "%s/ring-ref", fe), 0); /* gone: fine */
	CU_ASSERT_EQUAL(xb_write(&xb, "x", "%s/state", be), -HV_EACCES);
	/* Waiting for the back end's state: met, or a timeout. */
	CU_ASSERT_EQUAL(xb_watch(&xb, be, "vbd"), 0);
	CU_ASSERT_EQUAL(xb_wait_state(&xb, be,
				      XB_STATE_BIT(XenbusStateInitWait), 1000),
			XenbusStateInitWait);
	CU_ASSERT_EQUAL(xb_wait_state(&xb, be,
				      XB_STATE_BIT(XenbusStateConnected), 100),
			-HV_ETIMEDOUT);
	ts_node("/local/domain/0/backend/vbd/42/768/state", "4", 0, 42);
	CU_ASSERT_EQUAL(xb_wait(&xb, 1000, buf, sizeof(buf)), 1);
	CU_ASSERT_EQUAL(xb_wait_state(&xb, be,
				      XB_STATE_BIT(XenbusStateConnected), 1000),
			XenbusStateConnected);
	CU_ASSERT_EQUAL(xb_unwatch(&xb, be, "vbd"), 0);
	CU_ASSERT_FALSE(x.broken);
	xs_rm(ring_h, XBT_NULL, "/local/domain/0/backend/vbd/42");
	guest_die(g);
	guest_free(g);
}

void suite_xsfree_register(void)
{
	CU_pSuite s = CU_add_suite("freestanding client (xs-free)",
				    ring_suite_init, ring_suite_fini);

	CU_add_test(s, "against the daemon", test_daemon);
	CU_add_test(s, "a server that breaks the protocol", test_bad_server);
	CU_add_test(s, "drivers' xenbus layer over it", test_xenbus);
}
