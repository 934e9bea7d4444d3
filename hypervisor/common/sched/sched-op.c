// SPDX-License-Identifier: GPL-2.0
/*
 * sched_op (29). With one vCPU per physical CPU and no scheduler yet,
 * yield returns at once and block waits for the next interrupt with
 * events unmasked (a wake-up with nothing pending is allowed by the ABI:
 * guests re-check after block). poll and watchdog come with the events
 * and scheduling issue and return -ENOSYS until then.
 */
#include <hv/domain.h>
#include <hv/errno.h>
#include <hv/guest_access.h>
#include <hv/hypercall.h>
#include <hv/time.h>
#include <hvabi/sched.h>
#include <asm/cpu_info.h>
#include <asm/processor.h>

#define BLOCK_MAX_NS 10000000ULL	/* bounded wait until timers exist */

static long sched_block(void)
{
	struct vcpu_info *vi = current->vcpu_info;

	vi->evtchn_upcall_mask = 0;
	if (vi->evtchn_upcall_pending)
		return 0;
	apic_timer_arm(BLOCK_MAX_NS);
	asm volatile("sti; hlt; cli" ::: "memory");
	return 0;
}

static long sched_shutdown(unsigned long arg, bool code_only)
{
	struct domain *d = current->domain;
	struct sched_shutdown s;

	if (copy_from_guest(&s, arg, sizeof(s)))
		return -EFAULT;
	if (code_only) {
		if (d->shutdown_code < 0)
			d->shutdown_code = (uint8_t)s.reason;
		return 0;
	}
	domain_shutdown(d, (uint8_t)s.reason);
	return 0;
}

static long sched_remote_shutdown(unsigned long arg)
{
	struct sched_remote_shutdown s;
	struct domain *d;

	if (copy_from_guest(&s, arg, sizeof(s)))
		return -EFAULT;
	d = domain_lookup(s.domain_id);
	if (!d)
		return -ESRCH;
	if (!current->domain->is_privileged)
		return -EPERM;
	domain_shutdown(d, (uint8_t)s.reason);
	return 0;
}

long do_sched_op(unsigned long cmd, unsigned long arg)
{
	switch ((int)cmd) {
	case SCHEDOP_yield:
		return 0;
	case SCHEDOP_block:
		return sched_block();
	case SCHEDOP_shutdown:
		return sched_shutdown(arg, false);
	case SCHEDOP_shutdown_code:
		return sched_shutdown(arg, true);
	case SCHEDOP_remote_shutdown:
		return sched_remote_shutdown(arg);
	}
	return -ENOSYS;
}
