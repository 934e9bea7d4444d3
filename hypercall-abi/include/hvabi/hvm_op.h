/* SPDX-License-Identifier: MIT */
/*
 * hvm_op (34): only HVMOP_get_param, for the xenstore ring of boot-time
 * domains (hypercall-abi/docs/hvm_op.md). Layout as Xen's public
 * hvm/hvm_op.h and hvm/params.h.
 */
#ifndef HVABI_HVM_OP_H
#define HVABI_HVM_OP_H

#include <stdint.h>

#define HVMOP_set_param 0
#define HVMOP_get_param 1

struct xen_hvm_param {
	uint16_t domid;	/* IN: the domain (DOMID_SELF allowed) */
	uint16_t pad;
	uint32_t index;	/* IN: HVM_PARAM_* */
	uint64_t value;	/* OUT */
};

#define HVM_PARAM_STORE_PFN 1		/* frame of the xenstore ring page */
#define HVM_PARAM_STORE_EVTCHN 2	/* its port, offered to dom0 */
#define HVM_NR_PARAMS 39

_Static_assert(sizeof(struct xen_hvm_param) == 16, "xen_hvm_param size");
_Static_assert(__builtin_offsetof(struct xen_hvm_param, index) == 4,
	       "xen_hvm_param index");

#endif
