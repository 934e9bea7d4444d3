// SPDX-License-Identifier: MIT
/*
 * multidom: dom0 with three boot-time domUs (the domu helper kernel),
 * built from further boot modules by our hypervisor's "domu=" option.
 * OURS ONLY: Xen 4.17 cannot start extra domains without a toolstack, so
 * the runner reports this boot as SKIP there (tests/README.md).
 *   d1 mode=exit delay_ms=300   d2 mode=pong peer=2   d3 mode=spin
 * Checks VIRQ_DOM_EXC, interdomain events with another domain, sharing
 * the CPU with the spinning domain (by weight or cap: the expected dom0
 * share is the kernel argument share=NN), yield, remote_shutdown.
 */
#include <hvabi/event_channel.h>
#include <hvabi/vcpu.h>
#include "lib.h"

TEST_CATEGORY(functional);

#define MS 1000000ULL
#define D_EXIT 1
#define D_PONG 2
#define D_SPIN 3

static uint32_t dom_exc_port;

static long poll_one(uint32_t port, uint64_t timeout_ns)
{
	struct sched_poll p = {.ports = HV_PTR(&port),
			       .nr_ports = 1,
			       .timeout = pvclock_read() + timeout_ns};

	return hv_sched_op(SCHEDOP_poll, &p);
}

static void setup(void)
{
	if (!shared_info || events_init())
		error("no shared_info or event callback");
	events_disable();
	/* First port of dom0: 1. */
	CHECK_RC(evtchn_bind_virq_port(VIRQ_DOM_EXC, 0, &dom_exc_port), 0);
	CHECK_EQ(dom_exc_port, 1);
}

static void test_pingpong(void)
{
	struct evtchn_alloc_unbound a = {.dom = DOMID_SELF,
					 .remote_dom = D_PONG};
	struct evtchn_status s = {.dom = DOMID_SELF};
	uint64_t t0, deadline = pvclock_read() + 3000 * MS;
	unsigned int ok = 0;

	CHECK_RC(hv_event_channel_op(EVTCHNOP_alloc_unbound, &a), 0);
	CHECK_EQ(a.port, 2); /* the helper's peer=2 */
	s.port = a.port;
	do {
		CHECK_RC(hv_event_channel_op(EVTCHNOP_status, &s), 0);
		if (s.status == EVTCHNSTAT_interdomain)
			break;
		poll_one(a.port, MS);
	} while (pvclock_read() < deadline);
	CHECK_EQ(s.status, EVTCHNSTAT_interdomain);
	CHECK_EQ(s.u.interdomain.dom, D_PONG);
	port_clear(a.port);
	t0 = pvclock_read();
	for (unsigned int i = 0; i < 50; i++) {
		CHECK_RC(evtchn_send_port(a.port), 0);
		while (!port_pending(a.port) && pvclock_read() < t0 + 5000 * MS)
			poll_one(a.port, 1000 * MS);
		ok += port_pending(a.port);
		port_clear(a.port);
	}
	CHECK_EQ(ok, 50);
	printk("multidom: 50 round trips to d%u in %lu us\n", D_PONG,
	       (pvclock_read() - t0) / 1000);
}

static void test_dom_exc(void)
{
	uint64_t deadline = pvclock_read() + 3000 * MS;

	while (!port_pending(dom_exc_port) && pvclock_read() < deadline)
		poll_one(dom_exc_port, 100 * MS);
	CHECK(port_pending(dom_exc_port), "VIRQ_DOM_EXC after d%u's exit",
	      D_EXIT);
	port_clear(dom_exc_port);
}

/* dom0's share of the CPU while it spins for @ns. */
static unsigned int spin_share_pct(uint64_t ns)
{
	struct vcpu_runstate_info a, b;
	uint64_t t0, run, wait;

	CHECK_RC(hv_vcpu_op(VCPUOP_get_runstate_info, 0, &a), 0);
	t0 = pvclock_read();
	while (pvclock_read() < t0 + ns)
		;
	CHECK_RC(hv_vcpu_op(VCPUOP_get_runstate_info, 0, &b), 0);
	run = b.time[RUNSTATE_running] - a.time[RUNSTATE_running];
	wait = b.time[RUNSTATE_runnable] - a.time[RUNSTATE_runnable];
	return run + wait ? (unsigned int)(run * 100 / (run + wait)) : 0;
}

/* Expected share (kernel arg share=, default 50: equal weights) +- 8. */
static void test_share(void)
{
	unsigned int pct = spin_share_pct(300 * MS), want = 50;
	char buf[8];

	if (cmdline_value("share", buf, sizeof(buf))) {
		want = 0;
		for (const char *p = buf; *p >= '0' && *p <= '9'; p++)
			want = want * 10 + (unsigned int)(*p - '0');
	}
	CHECK(pct + 8 >= want && pct <= want + 8,
	      "dom0 got %u%% next to the spinner, want %u%%", pct, want);
	printk("multidom: dom0 share next to the spinner: %u%% (want %u%%)\n",
	       pct, want);
}

static void test_yield(void)
{
	CHECK_RC(hv_sched_op(SCHEDOP_yield, NULL), 0);
}

static void test_remote_shutdown(void)
{
	struct sched_remote_shutdown r = {.domain_id = 7};
	unsigned int pct;

	CHECK_RC(hv_sched_op(SCHEDOP_remote_shutdown, &r), -HV_ESRCH);
	port_clear(dom_exc_port);
	r.domain_id = D_SPIN;
	r.reason = SHUTDOWN_poweroff;
	CHECK_RC(hv_sched_op(SCHEDOP_remote_shutdown, &r), 0);
	CHECK(port_pending(dom_exc_port), "VIRQ_DOM_EXC after shutting d%u",
	      D_SPIN);
	port_clear(dom_exc_port);
	pct = spin_share_pct(100 * MS);
	CHECK(pct >= 95, "dom0 got %u%% alone", pct);
}

void test_main(void)
{
	run_case("setup", setup);
	run_case("pingpong", test_pingpong);
	run_case("dom_exc", test_dom_exc);
	run_case("share", test_share);
	run_case("yield", test_yield);
	run_case("remote_shutdown", test_remote_shutdown);
}
