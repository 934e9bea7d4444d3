// SPDX-License-Identifier: MIT
/*
 * bench-sched (ours only: needs boot-time domUs, domu= option). With
 * mode=rtt, an event round trip between dom0 and a pong domU on the same
 * CPU (two context switches each), in TSC cycles. With mode=fair, three
 * spinning domUs of weights 1:2:4 (d1..d3, each sending dom0 an event
 * every `every` loop iterations) share the CPU for 10 virtual seconds;
 * dom0 counts their events and reports each one's share and the largest
 * deviation from its ideal share, relative, in per mille.
 */
#include <hvabi/event_channel.h>
#include "lib.h"

TEST_CATEGORY(bench);

#define ROUNDS 1000
#define NS_PER_S 1000000000ULL

static inline uint64_t rdtsc(void)
{
	uint32_t lo, hi;

	asm volatile("lfence; rdtsc" : "=a"(lo), "=d"(hi)::"memory");
	return ((uint64_t)hi << 32) | lo;
}

/* Offers port to @dom and waits until it is bound. */
static int offer(domid_t dom, uint32_t *port)
{
	struct evtchn_alloc_unbound a = {.dom = DOMID_SELF, .remote_dom = dom};
	struct evtchn_status s = {.dom = DOMID_SELF};

	if (hv_event_channel_op(EVTCHNOP_alloc_unbound, &a))
		return -1;
	*port = s.port = a.port;
	for (;;) {
		struct sched_poll p = {.timeout = pvclock_read() + 1000000};

		if (hv_event_channel_op(EVTCHNOP_status, &s))
			return -1;
		if (s.status == EVTCHNSTAT_interdomain)
			break;
		hv_sched_op(SCHEDOP_poll, &p);
	}
	port_clear(*port);
	return 0;
}

static void wait_port(uint32_t port)
{
	struct sched_poll p = {.ports = HV_PTR(&port), .nr_ports = 1};

	while (!port_pending(port))
		hv_sched_op(SCHEDOP_poll, &p);
	port_clear(port);
}

static void bench_rtt(void)
{
	uint32_t port;
	uint64_t t0;

	if (offer(1, &port))
		return;
	evtchn_send_port(port);
	wait_port(port);
	t0 = rdtsc();
	for (unsigned int i = 0; i < ROUNDS; i++) {
		evtchn_send_port(port);
		wait_port(port);
	}
	printk("BENCHRESULT domain_switch_rtt %lu\n",
	       (rdtsc() - t0 + ROUNDS / 2) / ROUNDS);
}

static void bench_fair(void)
{
	static const unsigned int weight[3] = {1, 2, 4};
	uint32_t ports[3];
	uint64_t count[3] = {0}, total = 0, end, dev = 0;

	for (unsigned int i = 0; i < 3; i++)
		if (offer((domid_t)(i + 1), &ports[i]))
			return;
	end = pvclock_read() + 10 * NS_PER_S;
	while (pvclock_read() < end) {
		struct sched_poll p = {
		    .ports = HV_PTR(ports), .nr_ports = 3, .timeout = end};

		hv_sched_op(SCHEDOP_poll, &p);
		for (unsigned int i = 0; i < 3; i++)
			if (port_pending(ports[i])) {
				port_clear(ports[i]);
				count[i]++;
			}
	}
	for (unsigned int i = 0; i < 3; i++)
		total += count[i];
	for (unsigned int i = 0; i < 3 && total; i++) {
		uint64_t share = count[i] * 1000 / total; /* per mille */
		uint64_t ideal = weight[i] * 1000 / 7;
		uint64_t d = share > ideal ? share - ideal : ideal - share;

		printk("BENCHRESULT fair_share_w%u_permille %lu\n", weight[i],
		       share);
		if (d * 1000 / ideal > dev)
			dev = d * 1000 / ideal;
	}
	printk("BENCHRESULT fair_max_rel_dev_permille %lu\n", dev);
}

void test_main(void)
{
	char mode[8];

	if (!shared_info || events_init() ||
	    !cmdline_value("mode", mode, sizeof(mode)))
		return;
	events_disable();
	if (!strcmp(mode, "rtt"))
		bench_rtt();
	else if (!strcmp(mode, "fair"))
		bench_fair();
}
