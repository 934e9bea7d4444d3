// SPDX-License-Identifier: GPL-2.0
/*
 * domctl (36) and sysctl (35): the toolstack's domain and host queries
 * and domain destruction, privileged (hypercalls.def), interface version
 * 0x15 as Xen 4.17. Implemented: XEN_DOMCTL_getdomaininfo,
 * XEN_DOMCTL_getvcpuinfo, XEN_DOMCTL_destroydomain, XEN_SYSCTL_physinfo;
 * every other subop is -ENOSYS (hypercall-abi/docs/domctl.md, sysctl.md).
 */
#include <hv/domain.h>
#include <hv/errno.h>
#include <hv/guest_access.h>
#include <hv/hypercall.h>
#include <hv/continuation.h>
#include <hv/mm.h>
#include <hv/sched.h>
#include <hv/smp.h>
#include <hv/string.h>
#include <hv/time.h>
#include <hvabi/domctl.h>
#include <hvabi/sched.h>
#include <hvabi/sysctl.h>

/* Time @v has spent running, including the current stint. */
static uint64_t running_ns(const struct vcpu *v)
{
	uint64_t t = v->runstate.time[RUNSTATE_running];

	if (v->runstate.state == RUNSTATE_running &&
	    now_ns() > v->runstate.state_entry_time)
		t += now_ns() - v->runstate.state_entry_time;
	return t;
}

static void get_domain_info(const struct domain *d,
			    struct xen_domctl_getdomaininfo *info)
{
	uint32_t flags = XEN_DOMINF_blocked;

	memset(info, 0, sizeof(*info));
	info->domain = d->domid;
	info->max_vcpu_id = XEN_INVALID_MAX_VCPU_ID;
	/* Blocked only if every online vCPU is; running if any one is. */
	for (unsigned int i = 0; i < d->nr_vcpus; i++) {
		const struct vcpu *v = d->vcpus[i];

		info->cpu_time += running_ns(v);
		info->max_vcpu_id = v->vcpu_id;
		if (!v->is_up)
			continue;
		if (!v->blocked)
			flags &= ~XEN_DOMINF_blocked;
		if (vcpu_is_running(v))
			flags |= XEN_DOMINF_running;
		info->nr_online_vcpus++;
	}
	info->flags = (info->nr_online_vcpus ? flags : 0) |
		      (d->state == DOMAIN_DYING ? XEN_DOMINF_dying : 0) |
		      (d->is_shut_down ? XEN_DOMINF_shutdown |
				 (d->shutdown_reason & XEN_DOMINF_shutdownmask)
					 << XEN_DOMINF_shutdownshift
				       : 0);
	info->tot_pages = d->tot_pages;
	info->max_pages = d->max_pages;
	info->shared_info_frame = mfn_x(d->shared_info_mfn);
	memcpy(info->handle, d->handle, sizeof(info->handle));
}

/* The first listed domain with an id >= @domid, as Xen's iteration. */
static struct domain *domain_from(domid_t domid)
{
	struct domain *d = NULL;

	for (unsigned int id = domid; !d && id < MAX_DOMAINS; id++)
		d = domain_by_id((domid_t)id);
	return d;
}

static long getvcpuinfo(struct domain *d, struct xen_domctl_getvcpuinfo *vi)
{
	const struct vcpu *v;

	v = domain_vcpu(d, vi->vcpu);
	if (!v)
		return -EINVAL;	/* beyond its vCPUs (none once dying) */
	vi->online = v->is_up;
	vi->blocked = v->blocked;
	vi->running = vcpu_is_running(v);
	vi->cpu_time = running_ns(v);
	vi->cpu = v->processor;
	return 0;
}

long do_domctl(unsigned long arg)
{
	struct xen_domctl op;
	struct domain *d;
	long rc;

	if (copy_from_guest(&op, arg, sizeof(op)))
		return -EFAULT;
	if (op.interface_version != XEN_DOMCTL_INTERFACE_VERSION)
		return -EACCES;
	d = domain_by_id(op.domain);
	switch (op.cmd) {
	case XEN_DOMCTL_getdomaininfo:
		if (!d && op.domain >= DOMID_FIRST_RESERVED)
			return -EINVAL;
		d = domain_from(op.domain);
		if (!d)
			return -ESRCH;
		get_domain_info(d, &op.u.getdomaininfo);
		op.domain = d->domid;
		break;
	case XEN_DOMCTL_getvcpuinfo:
		if (!d)
			return -ESRCH;
		rc = getvcpuinfo(d, &op.u.getvcpuinfo);
		if (rc)
			return rc;
		break;
	case XEN_DOMCTL_destroydomain:
		if (!d)
			return -ESRCH;
		rc = domain_destroy(d);
		if (rc == -EAGAIN) {	/* retried once the lock is dropped */
			hypercall_set_arg(0, arg);
			return hypercall_continue();
		}
		return rc;
	default:
		return -ENOSYS;
	}
	return copy_to_guest(arg, &op, sizeof(op)) ? -EFAULT : 0;
}

long do_sysctl(unsigned long arg)
{
	struct xen_sysctl op;
	struct xen_sysctl_physinfo *pi = &op.u.physinfo;

	if (copy_from_guest(&op, arg, sizeof(op)))
		return -EFAULT;
	if (op.interface_version != XEN_SYSCTL_INTERFACE_VERSION)
		return -EACCES;
	if (op.cmd != XEN_SYSCTL_physinfo)
		return -ENOSYS;
	memset(pi, 0, sizeof(*pi));
	pi->threads_per_core = 1;
	pi->cores_per_socket = nr_cpus_online;
	pi->nr_cpus = nr_cpus_online;
	pi->max_cpu_id = CONFIG_NR_CPUS - 1;
	pi->nr_nodes = 1;
	pi->cpu_khz = (uint32_t)tsc_khz;
	pi->capabilities = XEN_SYSCTL_PHYSCAP_pv;
	pi->total_pages = total_page_count();
	pi->free_pages = free_page_count();
	pi->max_mfn = max_mfn - 1;
	return copy_to_guest(arg, &op, sizeof(op)) ? -EFAULT : 0;
}
