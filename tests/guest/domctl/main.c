// SPDX-License-Identifier: MIT
/*
 * domctl: the toolstack's view of domains and the host. As dom0:
 * XEN_SYSCTL_physinfo, XEN_DOMCTL_getdomaininfo (itself, the iteration to
 * the next domain, reserved ids), XEN_DOMCTL_getvcpuinfo (its running
 * vCPU and the CPU it is on), and the refusals: bad interface versions,
 * unknown subops, missing domains and vCPUs, destroying itself, bad
 * pointers. On ours and Xen 4.17.
 *
 * With destroy=1 (OURS ONLY: it needs a boot-time domU running
 * tests/guest/domu mode=grant): the domU grants dom0 a page and offers an
 * event channel; dom0 maps the grant, binds the channel, tells the domU
 * to power off and destroys it. The domain stays as dying while dom0
 * still maps its page (tot_pages 1), dom0's end of the channel is unbound
 * again, the page keeps its data; the unmap frees it and the domain with
 * it: VIRQ_DOM_EXC, -ESRCH, and the free memory is back (all of the
 * domU's frames plus its few hypervisor objects).
 */
#include <hvabi/domctl.h>
#include <hvabi/event_channel.h>
#include <hvabi/grant_table.h>
#include <hvabi/sysctl.h>
#include "lib.h"
#include "mm.h"

TEST_CATEGORY(functional);

#define MS 1000000ULL
#define DOMU 1
#define DOMU_REF 8	/* the grant tests/guest/domu mode=grant makes */

static struct xen_domctl dc;
static struct xen_sysctl sc;

static long domctl(uint32_t cmd, uint16_t dom)
{
	dc = (struct xen_domctl){.cmd = cmd, .domain = dom,
				 .interface_version =
					 XEN_DOMCTL_INTERFACE_VERSION};
	return hypercall1(HC_NR_domctl, VA(&dc));
}

static long physinfo(void)
{
	sc = (struct xen_sysctl){.cmd = XEN_SYSCTL_physinfo,
				 .interface_version =
					 XEN_SYSCTL_INTERFACE_VERSION};
	return hypercall1(HC_NR_sysctl, VA(&sc));
}

static long vcpuinfo(uint16_t dom, uint32_t vcpu)
{
	dc = (struct xen_domctl){.cmd = XEN_DOMCTL_getvcpuinfo, .domain = dom,
				 .interface_version =
					 XEN_DOMCTL_INTERFACE_VERSION};
	dc.u.getvcpuinfo.vcpu = vcpu;
	return hypercall1(HC_NR_domctl, VA(&dc));
}

static void test_physinfo(void)
{
	const struct xen_sysctl_physinfo *pi = &sc.u.physinfo;

	CHECK_RC(physinfo(), 0);
	CHECK(pi->nr_cpus >= 1 && pi->nr_cpus <= pi->max_cpu_id + 1,
	      "nr_cpus %u max_cpu_id %u", pi->nr_cpus, pi->max_cpu_id);
	CHECK(pi->capabilities & XEN_SYSCTL_PHYSCAP_pv, "PV capability");
	CHECK(pi->free_pages > 0 && pi->free_pages < pi->total_pages,
	      "free %lu of %lu pages", pi->free_pages, pi->total_pages);
	CHECK(pi->cpu_khz > 0, "cpu_khz");
	CHECK(pi->max_mfn >= pi->total_pages - 1, "max_mfn %lu", pi->max_mfn);
	sc.interface_version = XEN_SYSCTL_INTERFACE_VERSION - 1;
	CHECK_RC(hypercall1(HC_NR_sysctl, VA(&sc)), -HV_EACCES);
	sc.interface_version = XEN_SYSCTL_INTERFACE_VERSION;
	sc.cmd = 9999;
	CHECK_RC(hypercall1(HC_NR_sysctl, VA(&sc)), -HV_ENOSYS);
	CHECK_RC(hypercall1(HC_NR_sysctl, BAD_PTR_HOLE), -HV_EFAULT);
}

static void test_domaininfo(void)
{
	const struct xen_domctl_getdomaininfo *di = &dc.u.getdomaininfo;

	CHECK_RC(domctl(XEN_DOMCTL_getdomaininfo, 0), 0);
	CHECK_EQ(dc.domain, 0);
	CHECK_EQ(di->domain, 0);
	CHECK(di->tot_pages > 0 && di->tot_pages <= di->max_pages,
	      "tot_pages %lu max_pages %lu", di->tot_pages, di->max_pages);
	CHECK_EQ(di->nr_online_vcpus, 1);
	CHECK(di->flags & XEN_DOMINF_running, "flags %#x", di->flags);
	CHECK_EQ(di->flags & (XEN_DOMINF_dying | XEN_DOMINF_shutdown |
			      XEN_DOMINF_blocked | XEN_DOMINF_hvm_guest),
		 0);
	CHECK(di->cpu_time > 0, "cpu_time");
	CHECK_EQ(di->shared_info_frame, start_info->shared_info >> 12);
	/* Reserved ids are not iterated to. */
	CHECK_RC(domctl(XEN_DOMCTL_getdomaininfo, DOMID_SELF), -HV_EINVAL);
	dc.interface_version = 0;
	CHECK_RC(hypercall1(HC_NR_domctl, VA(&dc)), -HV_EACCES);
	CHECK_RC(hypercall1(HC_NR_domctl, BAD_PTR_HOLE), -HV_EFAULT);
}

static void test_vcpuinfo(void)
{
	const struct xen_domctl_getvcpuinfo *vi = &dc.u.getvcpuinfo;
	uint32_t nr_cpus;

	CHECK_RC(physinfo(), 0);
	nr_cpus = sc.u.physinfo.nr_cpus;
	CHECK_RC(vcpuinfo(0, 0), 0);
	CHECK_EQ(vi->online, 1);
	CHECK_EQ(vi->running, 1);
	CHECK_EQ(vi->blocked, 0);
	CHECK(vi->cpu < nr_cpus, "vCPU 0 on CPU %u of %u", vi->cpu, nr_cpus);
	CHECK(vi->cpu_time > 0, "cpu_time");
	CHECK_RC(vcpuinfo(0, 999), -HV_EINVAL);
	CHECK_RC(vcpuinfo(7, 0), -HV_ESRCH);
}

static void test_refusals(void)
{
	CHECK_RC(domctl(XEN_DOMCTL_destroydomain, 0), -HV_EINVAL); /* self */
	CHECK_RC(domctl(XEN_DOMCTL_destroydomain, 9), -HV_ESRCH);
	CHECK_RC(domctl(9999, 0), -HV_ENOSYS);
}

/* ---- destroy=1: a boot-time domU (ours only) ---- */

static uint32_t dom_exc, chan;
static volatile uint8_t *mapped;
static uint32_t map_handle;

static void sleep_ms(uint64_t ms)
{
	struct sched_poll p = {.timeout = pvclock_read() + ms * MS};

	hv_sched_op(SCHEDOP_poll, &p);
}

static bool wait_port(uint32_t port, uint64_t ms)
{
	uint64_t deadline = pvclock_read() + ms * MS;

	while (!port_pending(port) && pvclock_read() < deadline) {
		struct sched_poll p = {.ports = HV_PTR(&port), .nr_ports = 1,
				       .timeout = deadline};

		hv_sched_op(SCHEDOP_poll, &p);
	}
	return port_pending(port);
}

static long gnttab(unsigned int cmd, void *op)
{
	return hypercall3(HC_NR_grant_table_op, cmd, VA(op), 1);
}

/* The domU's port offered to dom0, found with EVTCHNOP_status. */
static bool find_offer(uint32_t *port)
{
	for (uint32_t p = 1; p < 64; p++) {
		struct evtchn_status st = {.dom = DOMU, .port = p};

		if (!hv_event_channel_op(EVTCHNOP_status, &st) &&
		    st.status == EVTCHNSTAT_unbound && st.u.unbound.dom == 0) {
			*port = p;
			return true;
		}
	}
	return false;
}

static void test_connect(void)
{
	struct gnttab_map_grant_ref m = {.flags = GNTMAP_host_map |
						  GNTMAP_readonly,
					 .ref = DOMU_REF, .dom = DOMU};
	struct evtchn_bind_interdomain b = {.remote_dom = DOMU};
	unsigned int tries = 0;

	events_disable();
	CHECK_RC(evtchn_bind_virq_port(VIRQ_DOM_EXC, 0, &dom_exc), 0);
	while (!find_offer(&b.remote_port) && tries++ < 2000)
		sleep_ms(1);
	CHECK_RC(hv_event_channel_op(EVTCHNOP_bind_interdomain, &b), 0);
	chan = b.local_port;
	mapped = page_alloc();
	m.host_addr = VA(mapped);
	CHECK_RC(gnttab(GNTTABOP_map_grant_ref, &m), 0);
	CHECK_EQ(m.status, GNTST_okay);
	map_handle = m.handle;
	CHECK_RC(mmuext1(MMUEXT_INVLPG_LOCAL, VA(mapped), 0), 0);
	CHECK_EQ(mapped[0], 0xd0);
	CHECK_EQ(mapped[4095], 0xd0 ^ 0xff);
}

static void test_destroy(void)
{
	const struct xen_domctl_getdomaininfo *di = &dc.u.getdomaininfo;
	struct evtchn_status st = {.dom = DOMID_SELF};
	struct gnttab_unmap_grant_ref u = {.host_addr = VA(mapped)};
	uint64_t free0, tot, freed;

	CHECK_RC(physinfo(), 0);
	free0 = sc.u.physinfo.free_pages;
	CHECK_RC(domctl(XEN_DOMCTL_getdomaininfo, DOMU), 0);
	CHECK_EQ(dc.domain, DOMU);
	tot = di->tot_pages;
	CHECK_EQ(di->flags & (XEN_DOMINF_dying | XEN_DOMINF_shutdown), 0);
	/* Go: the domU powers off (crash: its own domctl was allowed). */
	port_clear(dom_exc);
	CHECK_RC(evtchn_send_port(chan), 0);
	CHECK(wait_port(dom_exc, 5000), "no VIRQ_DOM_EXC for its shutdown");
	port_clear(dom_exc);
	CHECK_RC(domctl(XEN_DOMCTL_getdomaininfo, DOMU), 0);
	CHECK_EQ(di->flags & (XEN_DOMINF_shutdown | XEN_DOMINF_dying),
		 XEN_DOMINF_shutdown);
	CHECK_EQ((di->flags >> XEN_DOMINF_shutdownshift) &
			 XEN_DOMINF_shutdownmask,
		 SHUTDOWN_poweroff);
	CHECK_RC(domctl(XEN_DOMCTL_destroydomain, DOMU), 0);
	/* Dying, held by the one frame dom0 still maps. */
	CHECK_RC(domctl(XEN_DOMCTL_getdomaininfo, DOMU), 0);
	CHECK_EQ(dc.domain, DOMU);
	CHECK(di->flags & XEN_DOMINF_dying, "flags %#x", di->flags);
	CHECK_EQ(di->tot_pages, 1);
	CHECK_RC(vcpuinfo(DOMU, 0), -HV_EINVAL);
	CHECK_RC(domctl(XEN_DOMCTL_destroydomain, DOMU), 0); /* again: no-op */
	st.port = chan;
	CHECK_RC(hv_event_channel_op(EVTCHNOP_status, &st), 0);
	CHECK_EQ(st.status, EVTCHNSTAT_unbound);
	CHECK_EQ(mapped[0], 0xd0);	/* still its data */
	CHECK_RC(gnttab(GNTTABOP_unmap_grant_ref, &u), 0);
	CHECK_EQ(u.status, GNTST_okay);
	u.handle = map_handle;
	CHECK(wait_port(dom_exc, 1000), "no VIRQ_DOM_EXC when it went");
	CHECK_RC(domctl(XEN_DOMCTL_getdomaininfo, DOMU), -HV_ESRCH);
	CHECK_RC(physinfo(), 0);
	freed = sc.u.physinfo.free_pages - free0;
	/* Its frames, its shared_info and grant frame, a few objects. */
	CHECK(freed > tot && freed <= tot + 16,
	      "%lu pages freed, the domain had %lu", freed, tot);
	printk("domctl: destroying d%u freed %lu pages (tot_pages %lu)\n",
	       DOMU, freed, tot);
}

void test_main(void)
{
	char buf[4];

	if (!shared_info || events_init())
		return error("no shared_info or event callback");
	run_case("physinfo", test_physinfo);
	run_case("domaininfo", test_domaininfo);
	run_case("vcpuinfo", test_vcpuinfo);
	run_case("refusals", test_refusals);
	if (!cmdline_value("destroy", buf, sizeof(buf)))
		return;
	run_case("connect", test_connect);
	run_case("destroy", test_destroy);
}
