// SPDX-License-Identifier: MIT
/*
 * domu: a helper kernel run as an unprivileged boot-time domain (our
 * hypervisor's "domu=" option) next to a dom0 test kernel. It cannot
 * print (console_io is dom0's); it acts as its command line says:
 *   mode=exit delay_ms=N   sleep N ms, then power off (dom0 sees DOM_EXC)
 *   mode=pong peer=P       bind to dom0's unbound port P, echo each event
 *   mode=spin              burn CPU for ever (for the scheduler tests)
 *   mode=spinreport peer=P every=N   spin, and send an event on dom0's
 *                          port P every N loop iterations (bench-sched)
 */
#include <hvabi/event_channel.h>
#include "lib.h"

TEST_CATEGORY(demo);

#define MS 1000000ULL

static uint64_t arg(const char *key, uint64_t dflt)
{
	char buf[24];
	uint64_t v = 0;

	if (!cmdline_value(key, buf, sizeof(buf)))
		return dflt;
	for (const char *p = buf; *p >= '0' && *p <= '9'; p++)
		v = v * 10 + (uint64_t)(*p - '0');
	return v;
}

/* Sleeps in SCHEDOP_poll (no ports) until @until, system time. */
static void sleep_until(uint64_t until)
{
	while (pvclock_read() < until) {
		struct sched_poll p = {.timeout = until};

		hv_sched_op(SCHEDOP_poll, &p);
	}
}

static void pong(uint32_t peer)
{
	struct evtchn_bind_interdomain b = {.remote_dom = 0,
					    .remote_port = peer};
	uint32_t port;

	while (hv_event_channel_op(EVTCHNOP_bind_interdomain, &b))
		sleep_until(pvclock_read() + MS); /* not offered yet */
	port = b.local_port;
	port_clear(port); /* the bind raises it once */
	for (;;) {
		struct sched_poll p = {.ports = HV_PTR(&port), .nr_ports = 1};

		if (!port_pending(port)) {
			hv_sched_op(SCHEDOP_poll, &p);
			continue;
		}
		port_clear(port);
		evtchn_send_port(port);
	}
}

static void spin_report(uint32_t peer, uint64_t every)
{
	struct evtchn_bind_interdomain b = {.remote_dom = 0,
					    .remote_port = peer};

	while (hv_event_channel_op(EVTCHNOP_bind_interdomain, &b))
		sleep_until(pvclock_read() + 1000000);
	for (uint64_t n = 0;; n++) {
		asm volatile("" ::: "memory");
		if (n % every == 0)
			evtchn_send_port(b.local_port);
	}
}

void test_main(void)
{
	char mode[16];

	if (!shared_info || !cmdline_value("mode", mode, sizeof(mode)))
		return;
	lib_vcpu_info = &shared_info->vcpu_info[0];
	if (!strcmp(mode, "exit")) {
		sleep_until(pvclock_read() + arg("delay_ms", 0) * MS);
	} else if (!strcmp(mode, "pong")) {
		pong((uint32_t)arg("peer", 1));
	} else if (!strcmp(mode, "spinreport")) {
		spin_report((uint32_t)arg("peer", 1), arg("every", 300000));
	} else if (!strcmp(mode, "spin")) {
		for (;;)
			asm volatile("" ::: "memory");
	}
}
