// SPDX-License-Identifier: GPL-2.0
/*
 * hvm_op (34). There are no HVM guests here; the one operation is
 * HVMOP_get_param of HVM_PARAM_STORE_PFN / STORE_EVTCHN, through which a
 * privileged domain learns where the xenstore ring of a boot-time domain
 * is ("domu_xenstore"), as Xen's dom0less tooling (init-dom0less) reads
 * them for its boot-time domains. Everything else keeps Xen's answer for
 * a PV target: -EINVAL (docs: hypercall-abi/docs/hvm_op.md).
 */
#include <hv/domain.h>
#include <hv/errno.h>
#include <hv/guest_access.h>
#include <hv/hypercall.h>
#include <hvabi/hvm_op.h>
#include <asm/cpu_info.h>

static long get_param(struct xen_hvm_param *a)
{
	const struct domain *d = domain_lookup_by_any_id(a->domid);

	if (!d)
		return -ESRCH;
	if (a->index >= HVM_NR_PARAMS || !d->store_mfn)
		return -EINVAL;	/* a PV domain without boot-time params */
	if (!current->domain->is_privileged)
		return -EPERM;
	switch (a->index) {
	case HVM_PARAM_STORE_PFN:
		a->value = d->store_mfn;	/* PV: frame numbers are MFNs */
		return 0;
	case HVM_PARAM_STORE_EVTCHN:
		a->value = d->store_port;
		return 0;
	}
	return -EINVAL;
}

long do_hvm_op(unsigned long op, unsigned long arg)
{
	struct xen_hvm_param a;
	long rc;

	if (op != HVMOP_get_param && op != HVMOP_set_param)
		return -ENOSYS;
	if (copy_from_guest(&a, arg, sizeof(a)))
		return -EFAULT;
	if (op == HVMOP_set_param)	/* no domain here has HVM params */
		return domain_lookup_by_any_id(a.domid) ? -EINVAL : -ESRCH;
	rc = get_param(&a);
	if (!rc && copy_to_guest(arg, &a, sizeof(a)))
		rc = -EFAULT;
	return rc;
}
