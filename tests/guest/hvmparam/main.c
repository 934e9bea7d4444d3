// SPDX-License-Identifier: MIT
/*
 * hvmparam: hvm_op as a PV dom0 sees it. On both hypervisors a PV domain
 * has no HVM parameters (-EINVAL), a missing domain is -ESRCH, an unknown
 * op -ENOSYS, a bad pointer -EFAULT. With the argument domu=1 (ours only:
 * a boot-time domU built with "domu_xenstore") dom0 reads d1's xenstore
 * ring frame and port: both set, the port unbound and offered to dom0.
 */
#include <hvabi/event_channel.h>
#include <hvabi/hvm_op.h>
#include "lib.h"

TEST_CATEGORY(functional);

static long hvm_get(uint16_t domid, uint32_t index, uint64_t *value)
{
	struct xen_hvm_param p = {.domid = domid, .index = index};
	long rc = hypercall2(HC_NR_hvm_op, HVMOP_get_param, HV_PTR(&p));

	*value = p.value;
	return rc;
}

static void test_pv_has_none(void)
{
	struct xen_hvm_param p = {.domid = DOMID_SELF,
				  .index = HVM_PARAM_STORE_PFN};
	uint64_t v;

	CHECK_RC(hvm_get(DOMID_SELF, HVM_PARAM_STORE_PFN, &v), -HV_EINVAL);
	CHECK_RC(hvm_get(0, HVM_PARAM_STORE_EVTCHN, &v), -HV_EINVAL);
	CHECK_RC(hvm_get(DOMID_SELF, 1000, &v), -HV_EINVAL);
	CHECK_RC(hypercall2(HC_NR_hvm_op, HVMOP_set_param, HV_PTR(&p)),
		 -HV_EINVAL);
}

static void test_bad_args(void)
{
	uint64_t v;

	CHECK_RC(hvm_get(4000, HVM_PARAM_STORE_PFN, &v), -HV_ESRCH);
	CHECK_RC(hypercall2(HC_NR_hvm_op, HVMOP_get_param, 0x10), -HV_EFAULT);
	CHECK_RC(hypercall2(HC_NR_hvm_op, 99, 0), -HV_ENOSYS);
}

/* Ours only: d1 was built with a xenstore ring. */
static void test_boot_domain(void)
{
	struct evtchn_status s = {.dom = 1};
	uint64_t mfn = 0, port = 0;

	CHECK_RC(hvm_get(1, HVM_PARAM_STORE_PFN, &mfn), 0);
	CHECK_RC(hvm_get(1, HVM_PARAM_STORE_EVTCHN, &port), 0);
	CHECK(mfn != 0 && port != 0, "frame %#llx port %llu",
	      (unsigned long long)mfn, (unsigned long long)port);
	CHECK_RC(hvm_get(1, 1000, &mfn), -HV_EINVAL);
	s.port = (uint32_t)port;
	CHECK_RC(hv_event_channel_op(EVTCHNOP_status, &s), 0);
	CHECK_EQ(s.status, EVTCHNSTAT_unbound);
	CHECK_EQ(s.u.unbound.dom, 0);
}

void test_main(void)
{
	run_case("pv_has_none", test_pv_has_none);
	run_case("bad_args", test_bad_args);
	if (cmdline_has("domu=1"))
		run_case("boot_domain", test_boot_domain);
}
