/* SPDX-License-Identifier: MIT */
/* vcpu_op (24): per-vCPU state, timers and shared areas. */
#ifndef HVABI_VCPU_H
#define HVABI_VCPU_H

#include <stdint.h>

#define VCPUOP_initialise 0		/* struct vcpu_guest_context */
#define VCPUOP_up 1
#define VCPUOP_down 2
#define VCPUOP_is_up 3
#define VCPUOP_get_runstate_info 4	/* struct vcpu_runstate_info */
#define VCPUOP_register_runstate_memory_area 5
#define VCPUOP_set_periodic_timer 6	/* struct vcpu_set_periodic_timer */
#define VCPUOP_stop_periodic_timer 7
#define VCPUOP_set_singleshot_timer 8	/* struct vcpu_set_singleshot_timer */
#define VCPUOP_stop_singleshot_timer 9
#define VCPUOP_register_vcpu_info 10	/* struct vcpu_register_vcpu_info */
#define VCPUOP_send_nmi 11
#define VCPUOP_get_physid 12
#define VCPUOP_register_vcpu_time_memory_area 13

#define RUNSTATE_running 0
#define RUNSTATE_runnable 1
#define RUNSTATE_blocked 2
#define RUNSTATE_offline 3
#define XEN_RUNSTATE_UPDATE (1ULL << 63)

struct vcpu_runstate_info {
	uint32_t state;
	uint32_t pad;
	uint64_t state_entry_time;
	uint64_t time[4];
};

struct vcpu_register_runstate_memory_area {
	uint64_t addr;		/* guest VA */
};

struct vcpu_set_periodic_timer {
	uint64_t period_ns;
};

/* Ignored (as Xen 4.17.3+): a past deadline fires at once, never -ETIME. */
#define VCPU_SSHOTTMR_future (1U << 0)

struct vcpu_set_singleshot_timer {
	uint64_t timeout_abs_ns;
	uint32_t flags;
	uint32_t pad;
};

struct vcpu_register_vcpu_info {
	uint64_t mfn;
	uint32_t offset;	/* within the page; must not straddle it */
	uint32_t rsvd;		/* must be zero */
};

struct vcpu_register_time_memory_area {
	uint64_t addr;		/* guest VA */
};

_Static_assert(sizeof(struct vcpu_runstate_info) == 48, "runstate");
_Static_assert(sizeof(struct vcpu_set_singleshot_timer) == 16, "sshot");
_Static_assert(sizeof(struct vcpu_register_vcpu_info) == 16, "vcpu_info reg");

#endif
