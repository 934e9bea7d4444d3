// SPDX-License-Identifier: MIT
/*
 * Net benchmark: netfront (this process) -> netback (forked domain 0) ->
 * tap, inside a private network namespace, against "native": the same
 * frames written in a loop to a tap in one process (the path netback ends
 * in, without the rings). Frames are dropped by the namespace's stack
 * (unknown ethertype), so only the transfer is measured. BENCH lines in
 * packets per second and MiB/s.
 */
#include <errno.h>
#include <poll.h>
#include <sched.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>
#include "../netback/netback.h"
#include "../../frontend/netfront/netfront.h"

#define RUN_NS 400000000LL

static struct netback_vif vif, nvif;
static uint8_t frame[65536];

static long long now_ns(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return ts.tv_sec * 1000000000LL + ts.tv_nsec;
}

static void be_loop(struct xenv_world *w, struct netfront *nf, int ready,
		    int stop)
{
	struct xenv *e = xenv_host_open(w, 0);
	struct pollfd p[2];
	char ok = 1;

	if (!e || netback_tap_open(&vif, "vif1.0") ||
	    netback_connect(&vif, e, 1, nf->tx_ring_ref, nf->rx_ring_ref,
			    nf->port))
		ok = 0;
	if (write(ready, &ok, 1) != 1 || !ok)
		_exit(2);
	p[0] = (struct pollfd){.fd = xenv_evtchn_fd(e), .events = POLLIN};
	p[1] = (struct pollfd){.fd = stop, .events = POLLIN};
	for (;;) {
		poll(p, 2, vif.more ? 0 : -1);
		if (p[1].revents)
			_exit(0);
		xenv_evtchn_wait(e, 0);
		netback_service(&vif);
	}
}

static double run_ours(struct netfront *nf, struct xenv *fe, size_t len)
{
	long long t0 = now_ns(), t = t0;
	uint64_t sent = 0;
	int rc;

	while (t - t0 < RUN_NS) {
		rc = netfront_send(nf, frame, len, 0);
		if (rc == -EAGAIN) {
			if (netfront_reap_tx(nf) == 0)
				xenv_evtchn_wait(fe, 100);
		} else if (rc) {
			return -1;
		} else {
			sent++;
		}
		t = now_ns();
	}
	while (nf->nr_tx_free < NF_BUFS && netfront_reap_tx(nf) >= 0)
		if (nf->nr_tx_free < NF_BUFS)
			xenv_evtchn_wait(fe, 100);
	return nf->tx_errors ? -1 : sent * 1e9 / (double)(t - t0);
}

static double run_native(size_t len)
{
	long long t0 = now_ns(), t = t0;
	uint64_t sent = 0;

	while (t - t0 < RUN_NS) {
		if (write(nvif.tap, frame, len) != (ssize_t)len)
			return -1;
		sent++;
		t = now_ns();
	}
	return sent * 1e9 / (double)(t - t0);
}

int main(void)
{
	static const size_t sizes[] = {64, 1514, 65535};
	struct xenv_world *w;
	struct xenv *fe;
	struct netfront nf;
	int r[2], s[2], st, bad = 0;
	unsigned int i;
	pid_t pid;
	char ok = 0;

	if (unshare(CLONE_NEWNET))
		return 2;
	w = xenv_world_create(2, 4096);
	fe = w ? xenv_host_open(w, 1) : NULL;
	if (!fe || netfront_init(&nf, fe, 0) || pipe(r) || pipe(s) ||
	    netback_tap_open(&nvif, "native0"))
		return 2;
	pid = fork();
	if (pid == 0) {
		close(s[1]); /* else the stop pipe never reads end-of-file */
		be_loop(w, &nf, r[1], s[0]);
	}
	if (read(r[0], &ok, 1) != 1 || !ok)
		return 2;
	memset(frame, 0xff, 6);
	memcpy(frame + 6, "\x00\x16\x3e\x00\x00\x01\x88\xb5", 8);
	for (i = 0; i < sizeof(sizes) / sizeof(sizes[0]); i++) {
		double n = run_native(sizes[i]),
		       o = run_ours(&nf, fe, sizes[i]);

		bad |= n < 0 || o < 0;
		printf("BENCH net-tx-%zuB-pps ours=%.0f xen=- native=%.0f "
		       "unit=pkt/s\n",
		       sizes[i], o, n);
		printf("BENCH net-tx-%zuB-tput ours=%.1f xen=- native=%.1f "
		       "unit=MiB/s\n",
		       sizes[i], o * sizes[i] / 1048576.0,
		       n * sizes[i] / 1048576.0);
		fflush(stdout);
	}
	close(s[1]);
	waitpid(pid, &st, 0);
	return bad;
}
