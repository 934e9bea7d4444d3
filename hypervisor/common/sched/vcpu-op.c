// SPDX-License-Identifier: GPL-2.0
/*
 * vcpu_op (24): vCPU state (up, down, is_up, runstate), timers and the
 * guest areas the hypervisor keeps up to date (vcpu_info, runstate,
 * vcpu_time_info). Every error is the one Xen 4.17(.3+) gives for the
 * same request.
 */
#include <hv/arch.h>
#include <hv/errno.h>
#include <hv/event.h>
#include <hv/guest_access.h>
#include <hv/hypercall.h>
#include <hv/page-type.h>
#include <hv/sched.h>
#include <hv/string.h>
#include <hv/time.h>
#include <hvabi/sched.h>
#include <hvabi/vcpu.h>
#include <asm/cpu_info.h>
#include "private.h"

#define PERIOD_MIN_NS 1000000ULL /* 1 ms */
#define STIME_MAX ((uint64_t)INT64_MAX)

/*
 * Moves @v's vcpu_info into guest frame @g_mfn at @g_offset. The frame
 * keeps a writable type reference for as long as the domain lives.
 */
static long map_vcpu_info(struct vcpu *v, uint64_t g_mfn, uint32_t g_offset)
{
	struct vcpu_info *new_info;
	mfn_t mfn = _mfn(g_mfn);

	if (g_offset > PAGE_SIZE - sizeof(*new_info) ||
	    (g_offset & (_Alignof(struct vcpu_info) - 1)))
		return -ENXIO;
	if (mfn_x(v->vcpu_info_mfn) != mfn_x(INVALID_MFN))
		return -EINVAL; /* once only, as Xen */
	if (v != current && v->is_up)
		return -EINVAL;
	if (get_page_and_type(mfn, v->domain, PGT_writable))
		return -EINVAL;
	new_info = (struct vcpu_info *)((char *)mfn_to_virt(mfn) + g_offset);
	memcpy(new_info, v->vcpu_info, sizeof(*new_info));
	v->vcpu_info = new_info;
	v->vcpu_info_mfn = mfn;
	/* Nothing may be lost in the move: raise every selector bit. */
	new_info->evtchn_pending_sel = ~0ULL;
	vcpu_mark_events_pending(v);
	vcpu_time_update(v);
	return 0;
}

static long set_singleshot(struct vcpu *v, unsigned long arg)
{
	struct vcpu_set_singleshot_timer t;

	if (v != current)
		return -EINVAL;
	if (copy_from_guest(&t, arg, sizeof(t)))
		return -EFAULT;
	/*
	 * VCPU_SSHOTTMR_future is ignored, as by Xen 4.17.3 on: a deadline
	 * in the past (bit 63 set counts as past) fires at once.
	 */
	vcpu_set_singleshot_timer(
	    v, (int64_t)t.timeout_abs_ns < 0 ? 0 : t.timeout_abs_ns);
	return 0;
}

static long set_periodic(struct vcpu *v, unsigned long arg)
{
	struct vcpu_set_periodic_timer t;

	if (copy_from_guest(&t, arg, sizeof(t)))
		return -EFAULT;
	if (t.period_ns < PERIOD_MIN_NS || t.period_ns > STIME_MAX)
		return -EINVAL;
	vcpu_set_periodic_timer(v, t.period_ns);
	return 0;
}

static long register_area(uint64_t *where, unsigned long arg, uint64_t len)
{
	uint64_t addr;

	if (copy_from_guest(&addr, arg, sizeof(addr)))
		return -EFAULT;
	if (!guest_range_ok(addr, len))
		return -EFAULT;
	*where = addr;
	return 0;
}

static long vcpu_down(struct vcpu *v)
{
	struct domain *d = v->domain;

	for (unsigned int i = 0; i < d->nr_vcpus; i++)
		if (i != v->vcpu_id && d->vcpus[i]->is_up) {
			v->is_up = false;
			if (v->on_runq)
				runq_remove(v);
			if (v == current) {
				guest_cpu_regs()->rax = 0;
				schedule();
			}
			vcpu_runstate_change(v, RUNSTATE_offline);
			return 0;
		}
	domain_shutdown(d, SHUTDOWN_poweroff); /* the last one: as Xen */
	return 0;
}

static long runstate_info(struct vcpu *v, unsigned long arg)
{
	vcpu_runstate_change(v, v->runstate.state); /* bring times up */
	return copy_to_guest(arg, &v->runstate, sizeof(v->runstate)) ? -EFAULT
								     : 0;
}

long do_vcpu_op(unsigned long cmd, unsigned long g_vcpuid, unsigned long arg)
{
	struct vcpu *v = domain_vcpu(current->domain, g_vcpuid);
	struct vcpu_register_vcpu_info info;
	long rc;

	if (!v)
		return -ENOENT;
	switch ((int)cmd) {
	case VCPUOP_is_up:
		return v->is_up;
	case VCPUOP_initialise:
		return arch_initialise_vcpu(v, arg);
	case VCPUOP_up:
		if (!v->is_initialised)
			return -EINVAL;
		if (!v->is_up) {
			v->is_up = true;
			vcpu_wake(v);
		}
		return 0;
	case VCPUOP_down:
		return vcpu_down(v);
	case VCPUOP_get_runstate_info:
		return runstate_info(v, arg);
	case VCPUOP_register_runstate_memory_area:
		rc = register_area(&v->runstate_guest, arg,
				   sizeof(struct vcpu_runstate_info));
		if (!rc)
			vcpu_runstate_change(v, v->runstate.state);
		return rc;
	case VCPUOP_register_vcpu_time_memory_area:
		rc = register_area(&v->time_area_guest, arg,
				   sizeof(struct vcpu_time_info));
		if (!rc)
			vcpu_time_update(v);
		return rc;
	case VCPUOP_set_periodic_timer:
		return set_periodic(v, arg);
	case VCPUOP_stop_periodic_timer:
		vcpu_set_periodic_timer(v, 0);
		return 0;
	case VCPUOP_set_singleshot_timer:
		return set_singleshot(v, arg);
	case VCPUOP_stop_singleshot_timer:
		if (v != current)
			return -EINVAL;
		vcpu_stop_singleshot_timer(v);
		return 0;
	case VCPUOP_register_vcpu_info:
		if (copy_from_guest(&info, arg, sizeof(info)))
			return -EFAULT;
		return map_vcpu_info(v, info.mfn, info.offset);
	case VCPUOP_send_nmi:
		if (arg)
			return -EINVAL;
		v->nmi_pending = true;
		vcpu_unblock(v);
		vcpu_kick(v);
		return 0;
	case VCPUOP_get_physid:
		return -EINVAL; /* vCPUs are not pinned to physical CPUs */
	}
	return -ENOSYS;
}
