/* SPDX-License-Identifier: MIT */
/* callback_op (30): where the hypervisor enters the guest kernel. */
#ifndef HVABI_CALLBACK_H
#define HVABI_CALLBACK_H

#include <stdint.h>

#define CALLBACKTYPE_event 0
#define CALLBACKTYPE_failsafe 1
#define CALLBACKTYPE_syscall 2
#define CALLBACKTYPE_nmi 4
#define CALLBACKTYPE_sysenter 5
#define CALLBACKTYPE_syscall32 7

#define CALLBACKF_mask_events (1U << 0)	/* mask events on entry */

#define CALLBACKOP_register 0
#define CALLBACKOP_unregister 1

struct callback_register {
	uint16_t type;
	uint16_t flags;
	uint32_t pad;
	uint64_t address;
};

struct callback_unregister {
	uint16_t type;
	uint16_t pad;
};

_Static_assert(sizeof(struct callback_register) == 16, "callback_register");
_Static_assert(sizeof(struct callback_unregister) == 4, "callback_unregister");

#endif
