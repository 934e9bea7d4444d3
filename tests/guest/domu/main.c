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
 *   mode=grant             grant dom0 a page (ref 8, bytes 0xd0 ... 0x2f)
 *                          and offer it a port; power off on its event
 *                          (tests/guest/domctl destroy=1); crash instead
 *                          if domctl or sysctl did not refuse it
 */
#include <hvabi/domctl.h>
#include <hvabi/event_channel.h>
#include <hvabi/grant_table.h>
#include <hvabi/sysctl.h>
#include "lib.h"
#include "mm.h"

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

static void grant_and_wait(void)
{
	uint64_t frames[1] = {0};
	struct gnttab_setup_table st = {.dom = DOMID_SELF, .nr_frames = 1,
					.frame_list = VA(frames)};
	struct evtchn_alloc_unbound a = {.dom = DOMID_SELF, .remote_dom = 0};
	struct xen_domctl dc = {.cmd = XEN_DOMCTL_getdomaininfo,
				.interface_version =
					XEN_DOMCTL_INTERFACE_VERSION};
	struct xen_sysctl sc = {.cmd = XEN_SYSCTL_physinfo,
				.interface_version =
					XEN_SYSCTL_INTERFACE_VERSION};
	volatile struct grant_entry_v1 *table = page_alloc();
	uint8_t *data = page_alloc();
	uint32_t port;

	if (hypercall1(HC_NR_domctl, VA(&dc)) != -HV_EPERM ||
	    hypercall1(HC_NR_sysctl, VA(&sc)) != -HV_EPERM)
		shutdown(SHUTDOWN_crash);
	if (!table || !data ||
	    hypercall3(HC_NR_grant_table_op, GNTTABOP_setup_table, VA(&st),
		       1) || st.status != GNTST_okay ||
	    hv_update_va_mapping(VA(table), pte_of_mfn(frames[0], PT_RW),
				 UVMF_INVLPG))
		shutdown(SHUTDOWN_crash);
	for (unsigned int i = 0; i < 4096; i++)
		data[i] = (uint8_t)(0xd0 ^ (i == 4095 ? 0xff : 0));
	table[8].domid = 0;
	table[8].frame = (uint32_t)mfn_of(data);
	__atomic_store_n(&table[8].flags, GTF_permit_access | GTF_readonly,
			 __ATOMIC_RELEASE);
	if (hv_event_channel_op(EVTCHNOP_alloc_unbound, &a))
		shutdown(SHUTDOWN_crash);
	port = a.port;
	while (!port_pending(port)) {
		struct sched_poll p = {.ports = HV_PTR(&port), .nr_ports = 1};

		hv_sched_op(SCHEDOP_poll, &p);
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
	} else if (!strcmp(mode, "grant")) {
		grant_and_wait();
	} else if (!strcmp(mode, "spin")) {
		for (;;)
			asm volatile("" ::: "memory");
	}
}
