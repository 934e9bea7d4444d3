// SPDX-License-Identifier: MIT
/*
 * Net tests: netfront (this process, domain 1) and netback (forked domain
 * 0) bridged to a tap device inside a network namespace this test creates
 * (unshare(CLONE_NEWNET); the host's network is untouched). A packet
 * socket on the tap checks every frame size up to 64 KiB both ways,
 * checksum offload, and bad tx slots from a hostile front end.
 */
#include <arpa/inet.h>
#include <errno.h>
#include <linux/if_packet.h>
#include <net/ethernet.h>
#include <net/if.h>
#include <poll.h>
#include <sched.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <sys/wait.h>
#include <unistd.h>
#include <CUnit/Basic.h>
#include "xbharness.h"
#include "../netback/netback-xb.h"
#include "../../frontend/netfront/netfront-xb.h"

#define ETYPE 0x88b5 /* IEEE local experimental: nothing else uses it */

static struct xenv_world *w;
static struct xenv *fe;
static struct netfront nf;
static pid_t be_pid;
static int stop_fd = -1, psock = -1;
static struct netback_vif vif;
static uint8_t frame[65536], got[65536];

static void be_child(int ready, int stop)
{
	struct xenv *e = xenv_host_open(w, 0);
	struct pollfd p[3];
	char ok = 1;

	if (!e || netback_tap_open(&vif, "vif1.0") ||
	    netback_connect(&vif, e, 1, nf.tx_ring_ref, nf.rx_ring_ref,
			    nf.port))
		ok = 0;
	if (write(ready, &ok, 1) != 1 || !ok)
		_exit(2);
	p[0] = (struct pollfd){.fd = xenv_evtchn_fd(e), .events = POLLIN};
	p[1] = (struct pollfd){.fd = vif.tap, .events = POLLIN};
	p[2] = (struct pollfd){.fd = stop, .events = POLLIN};
	for (;;) {
		if (poll(p, 3, vif.more ? 0 : 100) < 0)
			continue;
		if (p[2].revents)
			_exit(0);
		xenv_evtchn_wait(e, 0);
		/* A hostile front end only ends its own vif. */
		netback_service(&vif);
	}
}

static int suite_init(void)
{
	struct sockaddr_ll sll = {.sll_family = AF_PACKET};
	int r[2], s[2], sz = 8 << 20;
	char ok = 0;

	if (unshare(CLONE_NEWNET))
		return 1;
	w = xenv_world_create(2, 4096);
	fe = w ? xenv_host_open(w, 1) : NULL;
	if (!fe || netfront_init(&nf, fe, 0) || pipe(r) || pipe(s))
		return 1;
	be_pid = fork();
	if (be_pid == 0) {
		close(r[0]);
		close(s[1]);
		be_child(r[1], s[0]);
	}
	close(r[1]);
	close(s[0]);
	stop_fd = s[1];
	if (read(r[0], &ok, 1) != 1 || !ok)
		return 1;
	close(r[0]);
	psock = socket(AF_PACKET, SOCK_RAW, htons(ETYPE));
	sll.sll_protocol = htons(ETYPE);
	sll.sll_ifindex = (int)if_nametoindex("vif1.0");
	setsockopt(psock, SOL_SOCKET, SO_RCVBUF, &sz, sizeof(sz));
	return psock < 0 || bind(psock, (struct sockaddr *)&sll, sizeof(sll));
}

static int suite_clean(void)
{
	int st = -1;

	close(stop_fd);
	waitpid(be_pid, &st, 0);
	netfront_fini(&nf);
	xenv_close(fe);
	xenv_world_destroy(w);
	close(psock);
	return !WIFEXITED(st) || WEXITSTATUS(st);
}

static void make_frame(size_t len, unsigned int seed)
{
	size_t i;

	memset(frame, 0xff, 6); /* broadcast */
	memcpy(frame + 6, "\x00\x16\x3e\x00\x00\x01", 6);
	frame[12] = ETYPE >> 8;
	frame[13] = ETYPE & 0xff;
	for (i = 14; i < len; i++)
		frame[i] = (uint8_t)(i * 7 + seed);
}

/* Next incoming frame of our type on the tap, or -1 after @ms. */
static ssize_t tap_recv_ms(int ms)
{
	struct pollfd p = {.fd = psock, .events = POLLIN};
	struct sockaddr_ll from;
	socklen_t fl;
	ssize_t n;

	while (poll(&p, 1, ms) > 0) {
		fl = sizeof(from);
		n = recvfrom(psock, got, sizeof(got), 0,
			     (struct sockaddr *)&from, &fl);
		if (n > 0 && from.sll_pkttype != PACKET_OUTGOING)
			return n;
	}
	return -1;
}

static ssize_t tap_recv(void)
{
	return tap_recv_ms(2000);
}

/* Next frame for the guest, or -1 after 2 s. */
static int guest_recv(void)
{
	int n, i;

	for (i = 0; i < 2000; i++) {
		n = netfront_recv(&nf, got, sizeof(got));
		if (n > 14 && got[12] == (ETYPE >> 8) &&
		    got[13] == (ETYPE & 0xff))
			return n;
		if (n < 0)
			return n;
		if (n == 0)
			xenv_evtchn_wait(fe, 1);
	}
	return -1;
}

static bool next_size(size_t *len, unsigned int *b)
{
	static const size_t big[] = {4095, 4096, 4097, 8192, 65534, 65535};

	if (*len < 1600)
		*len += 1;
	else if (*len + 61 < 65535)
		*len += 61;
	else if (*b < sizeof(big) / sizeof(big[0]))
		*len = big[(*b)++];
	else
		return false;
	return true;
}

static void test_guest_to_tap(void)
{
	size_t len = 14;
	unsigned int bad = 0, n = 0, b = 0;

	do {
		make_frame(len, (unsigned int)len);
		while (netfront_send(&nf, frame, len, 0) == -EAGAIN)
			netfront_reap_tx(&nf);
		netfront_reap_tx(&nf);
		if (tap_recv() != (ssize_t)len || memcmp(got, frame, len))
			bad++;
		n++;
	} while (next_size(&len, &b));
	CU_ASSERT_EQUAL(bad, 0);
	CU_ASSERT(n > 2000);
	CU_ASSERT_EQUAL(nf.tx_errors, 0);
}

static void test_tap_to_guest(void)
{
	struct sockaddr_ll to = {.sll_family = AF_PACKET, .sll_halen = 6};
	size_t len = 60; /* the kernel pads shorter frames */
	unsigned int bad = 0, n = 0, b = 0;

	to.sll_ifindex = (int)if_nametoindex("vif1.0");
	memset(to.sll_addr, 0xff, 6);
	do {
		make_frame(len, (unsigned int)len + 3);
		if (sendto(psock, frame, len, 0, (struct sockaddr *)&to,
			   sizeof(to)) != (ssize_t)len ||
		    guest_recv() != (int)len || memcmp(got, frame, len))
			bad++;
		n++;
	} while (next_size(&len, &b));
	CU_ASSERT_EQUAL(bad, 0);
	CU_ASSERT(n > 2000);
}

/* UDP/IPv4 with csum_blank: the back end must fill the checksum. */
static void test_csum_offload(void)
{
	/* IPv4, length 48, TTL 64, UDP; 10.0.0.1 -> 10.0.0.2 */
	static const uint8_t ip[20] = { 0x45, 0, 0, 48, 0, 0, 0, 0, 64, 17,
					0, 0, 10, 0, 0, 1, 10, 0, 0, 2 };
	uint64_t errs = nf.tx_errors;
	size_t len = 14 + 20 + 28;
	int i;

	make_frame(len, 1);
	frame[12] = 0x08;
	frame[13] = 0x00;
	memcpy(frame + 14, ip, 20);
	memset(frame + 34, 0, 8);
	frame[34 + 5] = 28; /* UDP length */
	/* Reference: our checksum routine on a copy. */
	memcpy(got, frame, len);
	CU_ASSERT_EQUAL(netback_csum_fill(got, len), 0);
	CU_ASSERT(got[40] || got[41]);
	{
		uint8_t want[64];
		int sock = socket(AF_PACKET, SOCK_RAW, htons(0x0800));
		struct sockaddr_ll sll = {.sll_family = AF_PACKET,
					  .sll_protocol = htons(0x0800)};
		struct pollfd p = {.fd = sock, .events = POLLIN};

		memcpy(want, got, len);
		sll.sll_ifindex = (int)if_nametoindex("vif1.0");
		bind(sock, (struct sockaddr *)&sll, sizeof(sll));
		CU_ASSERT_EQUAL(
		    netfront_send(&nf, frame, len, NETTXF_csum_blank), 0);
		CU_ASSERT(poll(&p, 1, 2000) == 1 &&
			  recv(sock, got, sizeof(got), 0) == (ssize_t)len &&
			  !memcmp(got, want, len));
		close(sock);
	}
	/* IPv6 csum_blank: we did not offer ipv6-csum-offload: refused. */
	frame[12] = 0x86;
	frame[13] = 0xdd;
	CU_ASSERT_EQUAL(netfront_send(&nf, frame, len, NETTXF_csum_blank), 0);
	for (i = 0; i < 2500 && nf.tx_errors == errs; i++) {
		netfront_reap_tx(&nf);
		usleep(2000);
	}
	CU_ASSERT_EQUAL(nf.tx_errors, errs + 1);
}

/* Put raw tx slots on the ring; wait up to @ms for every slot to be
 * answered; returns the tx error delta. */
static int raw_tx(const struct netif_tx_request *r, unsigned int n, int ms)
{
	uint64_t before = nf.tx_errors;
	unsigned int i;

	for (i = 0; i < n; i++) {
		struct netif_tx_request *slot = ring_front_next_req(&nf.tx);
		uint16_t id = nf.tx_free[--nf.nr_tx_free];

		*slot = r[i];
		slot->id = id;
		nf.tx_busy[id] = true;
	}
	if (ring_front_push(&nf.tx))
		xenv_evtchn_notify(fe, nf.port);
	for (i = 0;
	     i < (unsigned int)ms / 2 && nf.tx.rsp_cons != nf.tx.req_prod_pvt;
	     i++) {
		netfront_reap_tx(&nf);
		usleep(2000);
	}
	return (int)(nf.tx_errors - before);
}

static void test_bad_tx(void)
{
	struct netif_tx_request r[3];
	grant_ref_t g = nf.tx_gref[nf.tx_free[nf.nr_tx_free - 1]];

	memset(r, 0, sizeof(r));
	r[0] =
	    (struct netif_tx_request){.gref = g, .offset = 4000, .size = 200};
	CU_ASSERT_EQUAL(raw_tx(r, 1, 5000), 1); /* runs past the page */
	r[0] = (struct netif_tx_request){.gref = 30000, .size = 60};
	CU_ASSERT_EQUAL(raw_tx(r, 1, 5000), 1); /* ungranted */
	r[0] = (struct netif_tx_request){.gref = g, .size = 10};
	CU_ASSERT_EQUAL(raw_tx(r, 1, 5000), 1); /* shorter than a header */
	r[0] = (struct netif_tx_request){
	    .gref = g, .size = 100, .flags = NETTXF_more_data};
	r[1] = (struct netif_tx_request){.gref = g, .size = 100};
	CU_ASSERT_EQUAL(raw_tx(r, 2, 5000), 2); /* sizes do not add up */
	r[0] = (struct netif_tx_request){
	    .gref = g, .size = 100, .flags = NETTXF_extra_info};
	memset(&r[1], 0, sizeof(r[1]));
	/* The extra slot: byte 0 is its type, byte 1 its flags. */
	r[1].gref = XEN_NETIF_EXTRA_TYPE_GSO;
	CU_ASSERT_EQUAL(raw_tx(r, 2, 5000), 1); /* GSO not negotiated */
	/* Nothing reached the tap. */
	CU_ASSERT_EQUAL(tap_recv_ms(300), -1);
	/* Still serving good frames. */
	make_frame(100, 9);
	CU_ASSERT_EQUAL(netfront_send(&nf, frame, 100, 0), 0);
	CU_ASSERT(tap_recv() == 100 && !memcmp(got, frame, 100));
}

/* A chain longer than any packet may be: the vif is disconnected. */
static void test_overlong_chain(void)
{
	struct netif_tx_request r[20];
	unsigned int i;

	for (i = 0; i < 20; i++)
		r[i] = (struct netif_tx_request){
		    .gref = nf.tx_gref[0],
		    .size = 100,
		    .flags = i < 19 ? NETTXF_more_data : 0};
	raw_tx(r, 20, 300);
	make_frame(100, 10);
	netfront_send(&nf, frame, 100, 0);
	CU_ASSERT_EQUAL(tap_recv_ms(300), -1);
	/* The back end process itself is alive: suite_clean checks it. */
}

/* ---- The same through xenstore: netback's xenbus loop -------------- */

static struct xs_env xe;
static pid_t xd_pid;
static int xd_stop;

static int xd_child(struct xs_env *x, void *arg)
{
	struct netback_xd xd;
	struct xenv *e = xenv_host_open(x->w, 0);
	int *p = arg, rc;

	close(p[1]);
	if (!e || netback_xd_init(&xd, e, NULL))
		return 2;
	rc = netback_xd_run(&xd, p[0]);
	netback_xd_fini(&xd);
	return rc ? 3 : 0;
}

static int xb_init(void)
{
	int p[2];

	if (xs_env_start(&xe, 2) || pipe(p))
		return 1;
	xd_pid = xs_env_fork(&xe, xd_child, p);
	close(p[0]);
	xd_stop = p[1];
	return xd_pid < 0;
}

static int xb_clean(void)
{
	int st = -1;

	close(xd_stop);
	waitpid(xd_pid, &st, 0);
	return xs_env_stop(&xe) || !WIFEXITED(st) || WEXITSTATUS(st);
}

/* libxl's vif keys; hotplug-status "" until the "script" ran. */
static int ts_add_vif(unsigned int devid)
{
	char fp[64], bp[64];
	int rc = 0;

	snprintf(fp, sizeof(fp), "/local/domain/1/device/vif/%u", devid);
	snprintf(bp, sizeof(bp), "/local/domain/0/backend/vif/1/%u", devid);
	rc |= xb_write(&xe.xb, bp, "%s/backend", fp);
	rc |= xb_write(&xe.xb, "0", "%s/backend-id", fp);
	rc |= xb_write(&xe.xb, "00:16:3e:00:00:01", "%s/mac", fp);
	rc |= xb_write(&xe.xb, "1", "%s/state", fp);
	rc |= xb_write(&xe.xb, fp, "%s/frontend", bp);
	rc |= xb_write(&xe.xb, "1", "%s/frontend-id", bp);
	rc |= xb_write(&xe.xb, "1", "%s/online", bp);
	rc |= xb_write(&xe.xb, "00:16:3e:00:00:01", "%s/mac", bp);
	rc |= xb_write(&xe.xb, "xenbr0", "%s/bridge", bp);
	rc |= xb_write(&xe.xb, "vif", "%s/type", bp);
	rc |= xb_write(&xe.xb, "", "%s/hotplug-status", bp);
	rc |= xb_write(&xe.xb, "1", "%s/state", bp);
	return rc;
}

static int hotplug_script(struct xs_env *x, void *arg)
{
	const char *bp = arg;
	struct xb xb;

	/* The script runs once the back end is in InitWait. */
	if (xb_open(&xb) || xb_watch(&xb, bp, "hp") ||
	    xb_wait_state(&xb, bp, XB_STATE_BIT(XenbusStateInitWait), 5000) < 0)
		return 1;
	usleep(100000);
	(void)x;
	return xb_write(&xb, "connected", "%s/hotplug-status", bp) ? 1 : 0;
}

static void test_xb_handshake(void)
{
	static char bp[] = "/local/domain/0/backend/vif/1/0";
	struct netfront_xb fx = {.nf = &nf, .env = xe.fe, .xb = &xe.xb};
	struct sockaddr_ll sll = {.sll_family = AF_PACKET,
				  .sll_protocol = htons(ETYPE)};
	pid_t hp;
	int st = -1;

	snprintf(fx.fpath, sizeof(fx.fpath), "/local/domain/1/device/vif/0");
	CU_ASSERT_FATAL(ts_add_vif(0) == 0);
	hp = xs_env_fork(&xe, hotplug_script, bp);
	CU_ASSERT_FATAL(netfront_xb_connect(&fx) == 0);
	waitpid(hp, &st, 0);
	CU_ASSERT(WIFEXITED(st) && WEXITSTATUS(st) == 0);
	{
		char *v = xb_read(&xe.xb, "%s/feature-rx-copy", bp);

		CU_ASSERT(v && !strcmp(v, "1"));
		free(v);
	}
	fe = xe.fe;
	close(psock);
	psock = socket(AF_PACKET, SOCK_RAW, htons(ETYPE));
	sll.sll_ifindex = (int)if_nametoindex("vif1.0");
	CU_ASSERT_FATAL(sll.sll_ifindex > 0);
	CU_ASSERT_FATAL(bind(psock, (struct sockaddr *)&sll, sizeof(sll)) == 0);
	make_frame(3000, 4);
	CU_ASSERT_EQUAL(netfront_send(&nf, frame, 3000, 0), 0);
	CU_ASSERT(tap_recv() == 3000 && !memcmp(got, frame, 3000));
	CU_ASSERT_EQUAL(netfront_xb_close(&fx), 0);
	CU_ASSERT_EQUAL(ts_remove(&xe, bp), XenbusStateClosed);
}

/* A front end without request-rx-copy=1 is refused (Linux's rule too). */
static void test_xb_no_rx_copy(void)
{
	static const char bp[] = "/local/domain/0/backend/vif/1/1";
	static const char fp[] = "/local/domain/1/device/vif/1";
	struct netfront n2;
	char *err;

	CU_ASSERT_FATAL(ts_add_vif(1) == 0);
	xb_write(&xe.xb, "connected", "%s/hotplug-status", bp);
	CU_ASSERT_FATAL(netfront_init(&n2, xe.fe, 0) == 0);
	xb_write_uint(&xe.xb, n2.tx_ring_ref, "%s/tx-ring-ref", fp);
	xb_write_uint(&xe.xb, n2.rx_ring_ref, "%s/rx-ring-ref", fp);
	xb_write_uint(&xe.xb, n2.port, "%s/event-channel", fp);
	xb_watch(&xe.xb, bp, "norx");
	CU_ASSERT_EQUAL(
	    xb_wait_state(&xe.xb, bp, XB_STATE_BIT(XenbusStateInitWait), 5000),
	    XenbusStateInitWait);
	xb_switch(&xe.xb, fp, XenbusStateConnected);
	CU_ASSERT_EQUAL(xb_wait_state(&xe.xb, bp,
				      XB_STATE_BIT(XenbusStateClosing) |
					  XB_STATE_BIT(XenbusStateConnected),
				      5000),
			XenbusStateClosing);
	err = xb_read(&xe.xb, "%s/error", bp);
	CU_ASSERT_PTR_NOT_NULL(err);
	free(err);
	xb_unwatch(&xe.xb, bp, "norx");
	xb_switch(&xe.xb, fp, XenbusStateClosed);
	netfront_fini(&n2);
	CU_ASSERT_EQUAL(ts_remove(&xe, bp), XenbusStateClosed);
}

int main(void)
{
	CU_pSuite s;
	unsigned int fails;

	if (CU_initialize_registry() != CUE_SUCCESS)
		return 2;
	s = CU_add_suite("net", suite_init, suite_clean);
	CU_add_test(s, "guest to tap, every size to 64 KiB", test_guest_to_tap);
	CU_add_test(s, "tap to guest, every size to 64 KiB", test_tap_to_guest);
	CU_add_test(s, "checksum offload honoured / refused",
		    test_csum_offload);
	CU_add_test(s, "bad tx slots", test_bad_tx);
	CU_add_test(s, "over-long slot chain closes the vif",
		    test_overlong_chain);
	s = CU_add_suite("net-xenbus", xb_init, xb_clean);
	CU_add_test(s, "handshake with hotplug-status, traffic, close",
		    test_xb_handshake);
	CU_add_test(s, "no request-rx-copy is refused", test_xb_no_rx_copy);
	CU_basic_set_mode(CU_BRM_VERBOSE);
	CU_basic_run_tests();
	fails = CU_get_number_of_failures() + CU_get_number_of_tests_failed() +
		CU_get_number_of_suites_failed();
	CU_cleanup_registry();
	return fails ? 1 : 0;
}
