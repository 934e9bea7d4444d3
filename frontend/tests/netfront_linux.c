// SPDX-License-Identifier: MIT
/*
 * netfront-linux-test DEVID: our netfront, from Linux user space in a
 * domU (the /dev/xen environment and libxenstore over /dev/xen/xenbus),
 * against the back end the toolstack wrote for device/vif/DEVID: tests/linux
 * run-pair gives it Linux's kernel xen-netback in dom0, whose interface
 * has 10.0.1.1. Speaks just enough IPv4 (as 10.0.1.2, with the mac the
 * toolstack wrote) to ping it: an ARP request, then ICMP echo requests
 * with 56, 1000 and 1472 bytes of data (a full 1514-byte frame) whose
 * replies must come back byte for byte; dom0's own ARP requests are
 * answered. Prints one line; exit status 0 when every reply matched.
 */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include "../env/xenv.h"
#include "../netfront/netfront-xb.h"

#define ETH_ARP 0x0806
#define ETH_IP 0x0800
#define FRAME_MAX 1514U
#define WAIT_MS 5000

static const uint8_t our_ip[4] = {10, 0, 1, 2}, peer_ip[4] = {10, 0, 1, 1};
static uint8_t our_mac[6], peer_mac[6];

static void put16(uint8_t *p, unsigned int v)
{
	p[0] = (uint8_t)(v >> 8);
	p[1] = (uint8_t)v;
}

static unsigned int get16(const uint8_t *p)
{
	return (unsigned int)p[0] << 8 | p[1];
}

static unsigned int csum(const uint8_t *p, size_t len)
{
	uint32_t sum = 0;

	for (size_t i = 0; i + 1 < len; i += 2)
		sum += get16(p + i);
	if (len & 1)
		sum += (uint32_t)p[len - 1] << 8;
	while (sum >> 16)
		sum = (sum & 0xffff) + (sum >> 16);
	return ~sum & 0xffff;
}

static size_t eth_header(uint8_t *f, const uint8_t *dst, unsigned int type)
{
	memcpy(f, dst, 6);
	memcpy(f + 6, our_mac, 6);
	put16(f + 12, type);
	return 14;
}

/* An ARP packet (@op 1 request, 2 reply) to @tha/@tpa, padded to 60. */
static size_t arp(uint8_t *f, unsigned int op, const uint8_t *tha,
		  const uint8_t *tpa)
{
	static const uint8_t bcast[6] = {0xff, 0xff, 0xff, 0xff, 0xff, 0xff};
	size_t n = eth_header(f, op == 1 ? bcast : tha, ETH_ARP);

	memset(f + n, 0, 60 - n);
	put16(f + n, 1);	     /* Ethernet */
	put16(f + n + 2, ETH_IP); /* IPv4 */
	f[n + 4] = 6;
	f[n + 5] = 4;
	put16(f + n + 6, op);
	memcpy(f + n + 8, our_mac, 6);
	memcpy(f + n + 14, our_ip, 4);
	memcpy(f + n + 18, tha, 6);
	memcpy(f + n + 24, tpa, 4);
	return 60;
}

static size_t echo_request(uint8_t *f, unsigned int seq, size_t data)
{
	size_t n = eth_header(f, peer_mac, ETH_IP);
	uint8_t *ip = f + n, *icmp = ip + 20;

	memset(ip, 0, 28);
	ip[0] = 0x45;
	put16(ip + 2, (unsigned int)(28 + data));
	put16(ip + 4, seq);
	put16(ip + 6, 0x4000); /* don't fragment */
	ip[8] = 64;
	ip[9] = 1; /* ICMP */
	memcpy(ip + 12, our_ip, 4);
	memcpy(ip + 16, peer_ip, 4);
	put16(ip + 10, csum(ip, 20));
	icmp[0] = 8; /* echo request */
	put16(icmp + 4, 0x4e46);
	put16(icmp + 6, seq);
	for (size_t i = 0; i < data; i++)
		icmp[8 + i] = (uint8_t)(seq * 31 + i);
	put16(icmp + 2, csum(icmp, 8 + data));
	return n + 28 + data;
}

static int send_frame(struct netfront *nf, const uint8_t *f, size_t len)
{
	int rc;

	while ((rc = netfront_send(nf, f, len, 0)) == -EAGAIN) {
		xenv_evtchn_wait(nf->env, 100);
		if (netfront_reap_tx(nf) < 0)
			return -EPROTO;
	}
	return rc;
}

/* Answers an ARP request for our address; true if @f was one. */
static bool answer_arp(struct netfront *nf, const uint8_t *f, int len)
{
	uint8_t r[60];

	if (len < 42 || get16(f + 12) != ETH_ARP || get16(f + 20) != 1 ||
	    memcmp(f + 38, our_ip, 4))
		return false;
	send_frame(nf, r, arp(r, 2, f + 22, f + 28));
	return true;
}

/* Receives until @match accepts a frame or WAIT_MS pass. */
static int receive(struct netfront *nf, uint8_t *f,
		   bool (*match)(const uint8_t *f, int len, const void *arg),
		   const void *arg)
{
	struct timespec t0, t;
	int len;

	clock_gettime(CLOCK_MONOTONIC, &t0);
	for (;;) {
		netfront_reap_tx(nf);
		len = netfront_recv(nf, f, FRAME_MAX);
		if (len < 0)
			return len;
		if (len > 0 && !answer_arp(nf, f, len) && match(f, len, arg))
			return len;
		if (len > 0)
			continue;
		clock_gettime(CLOCK_MONOTONIC, &t);
		if ((t.tv_sec - t0.tv_sec) * 1000 +
			(t.tv_nsec - t0.tv_nsec) / 1000000 >
		    WAIT_MS)
			return -ETIMEDOUT;
		xenv_evtchn_wait(nf->env, 100);
	}
}

static bool is_arp_reply(const uint8_t *f, int len, const void *arg)
{
	(void)arg;
	return len >= 42 && get16(f + 12) == ETH_ARP && get16(f + 20) == 2 &&
	       !memcmp(f + 28, peer_ip, 4);
}

/* The reply to @arg (our request): same id, sequence and data. */
static bool is_echo_reply(const uint8_t *f, int len, const void *arg)
{
	const uint8_t *req = arg;
	size_t total = get16(req + 14 + 2);

	return len >= 42 && get16(f + 12) == ETH_IP && f[23] == 1 &&
	       f[34] == 0 && (size_t)len >= 14 + total &&
	       get16(f + 16) == total &&
	       !memcmp(f + 38, req + 38, 4) && /* id, sequence */
	       !memcmp(f + 42, req + 42, total - 28);
}

static int ping(struct netfront *nf)
{
	static const size_t sizes[] = {56, 1000, FRAME_MAX - 42};
	uint8_t req[FRAME_MAX], f[FRAME_MAX];
	int rc;

	rc = send_frame(nf, req, arp(req, 1, (const uint8_t[6]){0}, peer_ip));
	if (!rc)
		rc = receive(nf, f, is_arp_reply, NULL);
	if (rc < 0) {
		printf("netfront: no ARP reply from 10.0.1.1: %d\n", rc);
		return 1;
	}
	memcpy(peer_mac, f + 22, 6);
	for (unsigned int i = 0; i < sizeof(sizes) / sizeof(sizes[0]); i++) {
		rc = send_frame(nf, req, echo_request(req, i + 1, sizes[i]));
		if (!rc)
			rc = receive(nf, f, is_echo_reply, req);
		if (rc < 0) {
			printf("netfront: echo of %zu bytes: %d\n", sizes[i],
			       rc);
			return 1;
		}
	}
	return 0;
}

static int parse_mac(const char *s, uint8_t *mac)
{
	unsigned int b[6];
	char end;

	if (!s || sscanf(s, "%x:%x:%x:%x:%x:%x%c", &b[0], &b[1], &b[2], &b[3],
			 &b[4], &b[5], &end) != 6)
		return -EINVAL;
	for (int i = 0; i < 6; i++) {
		if (b[i] > 0xff)
			return -EINVAL;
		mac[i] = (uint8_t)b[i];
	}
	return 0;
}

int main(int argc, char **argv)
{
	struct netfront nf;
	struct xb xb;
	struct netfront_xb fx = {.nf = &nf, .xb = &xb};
	uint64_t self;
	char *mac;
	int rc;

	if (argc != 2 || atoi(argv[1]) < 0) {
		fprintf(stderr, "usage: netfront-linux-test DEVID\n");
		return 2;
	}
	if (xb_open(&xb) || xb_read_uint(&xb, &self, 0x7fefU, "domid")) {
		printf("netfront: no xenstore or no domid\n");
		return 1;
	}
	snprintf(fx.fpath, sizeof(fx.fpath), "/local/domain/%u/device/vif/%s",
		 (unsigned int)self, argv[1]);
	mac = xb_read(&xb, "%s/mac", fx.fpath);
	rc = parse_mac(mac, our_mac);
	free(mac);
	fx.env = rc ? NULL : xenv_linux_open((xenv_domid_t)self, 0);
	if (!fx.env) {
		printf("netfront: no mac in %s or no /dev/xen\n", fx.fpath);
		return 1;
	}
	rc = netfront_xb_connect(&fx);
	if (rc) {
		printf("netfront: connect: %d\n", rc);
		return 1;
	}
	rc = ping(&nf);
	if (netfront_xb_close(&fx))
		rc = 1;
	printf("netfront: echo of 56, 1000 and 1472 bytes from 10.0.1.1: %s\n",
	       rc ? "FAILED" : "ok");
	xenv_close(fx.env);
	xb_close(&xb);
	return rc;
}
