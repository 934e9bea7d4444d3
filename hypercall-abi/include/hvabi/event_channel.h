/* SPDX-License-Identifier: MIT */
/*
 * event_channel_op (32): event channels, the 2-level ABI (pending and mask
 * bitmaps in shared_info, a selector word per vCPU in vcpu_info) and the
 * virtual IRQ numbers. Numbers and layouts as Xen 4.17's x86_64 ABI.
 */
#ifndef HVABI_EVENT_CHANNEL_H
#define HVABI_EVENT_CHANNEL_H

#include <stdint.h>
#include <hvabi/xen.h>

typedef uint32_t evtchn_port_t;

/*
 * Sub-ops. Every op returns -EFAULT when its argument cannot be copied and
 * -EINVAL for a port that is beyond the domain's valid range or in the
 * wrong state; the per-op lists below give the rest.
 */
#define EVTCHNOP_bind_interdomain 0	/* -ESRCH no domain, -ENOSPC full */
#define EVTCHNOP_bind_virq 1		/* -EEXIST bound, -ENOENT vcpu */
#define EVTCHNOP_bind_pirq 2		/* -ENOSYS: no physical IRQs */
#define EVTCHNOP_close 3
#define EVTCHNOP_send 4			/* unbound: dropped, returns 0 */
#define EVTCHNOP_status 5		/* -ESRCH, -EPERM foreign domain */
#define EVTCHNOP_alloc_unbound 6	/* -ESRCH, -EPERM, -ENOSPC */
#define EVTCHNOP_bind_ipi 7		/* -ENOENT vcpu, -ENOSPC */
#define EVTCHNOP_bind_vcpu 8		/* -ENOENT vcpu, -EINVAL per-vCPU virq */
#define EVTCHNOP_unmask 9
#define EVTCHNOP_reset 10		/* -ESRCH, -EPERM */
#define EVTCHNOP_init_control 11	/* FIFO ABI: see docs/event_channel_op.md */
#define EVTCHNOP_expand_array 12
#define EVTCHNOP_set_priority 13	/* 2-level: -ENOSYS after port check */
#define EVTCHNOP_reset_cont 14

/* Highest port + 1 of the 2-level ABI on x86_64: 64 words of 64 bits. */
#define EVTCHN_2L_NR_CHANNELS 4096

struct evtchn_alloc_unbound {
	domid_t dom;		/* IN: the domain the port is allocated in */
	domid_t remote_dom;	/* IN: who may bind to it */
	evtchn_port_t port;	/* OUT */
};

struct evtchn_bind_interdomain {
	domid_t remote_dom;		/* IN */
	uint16_t pad;
	evtchn_port_t remote_port;	/* IN: unbound, offered to us */
	evtchn_port_t local_port;	/* OUT */
};

struct evtchn_bind_virq {
	uint32_t virq;		/* IN: VIRQ_* */
	uint32_t vcpu;		/* IN: 0 for global VIRQs */
	evtchn_port_t port;	/* OUT */
};

struct evtchn_bind_pirq {
	uint32_t pirq;
	uint32_t flags;
	evtchn_port_t port;
};

struct evtchn_bind_ipi {
	uint32_t vcpu;		/* IN */
	evtchn_port_t port;	/* OUT */
};

struct evtchn_close {
	evtchn_port_t port;
};

struct evtchn_send {
	evtchn_port_t port;
};

#define EVTCHNSTAT_closed 0
#define EVTCHNSTAT_unbound 1
#define EVTCHNSTAT_interdomain 2
#define EVTCHNSTAT_pirq 3
#define EVTCHNSTAT_virq 4
#define EVTCHNSTAT_ipi 5

struct evtchn_status {
	domid_t dom;		/* IN */
	uint16_t pad;
	evtchn_port_t port;	/* IN */
	uint32_t status;	/* OUT: EVTCHNSTAT_* */
	uint32_t vcpu;		/* OUT: vCPU notified */
	union {
		struct {
			domid_t dom;
		} unbound;
		struct {
			domid_t dom;
			uint16_t pad;
			evtchn_port_t port;
		} interdomain;
		uint32_t pirq;
		uint32_t virq;
	} u;			/* OUT, by status */
};

struct evtchn_bind_vcpu {
	evtchn_port_t port;
	uint32_t vcpu;
};

struct evtchn_unmask {
	evtchn_port_t port;
};

struct evtchn_reset {
	domid_t dom;
};

struct evtchn_init_control {
	uint64_t control_gfn;
	uint32_t offset;
	uint32_t vcpu;
	uint8_t link_bits;	/* OUT */
	uint8_t pad[7];
};

struct evtchn_expand_array {
	uint64_t array_gfn;
};

struct evtchn_set_priority {
	evtchn_port_t port;
	uint32_t priority;
};

/* Virtual IRQs. Per-vCPU ones are bound on each vCPU; the rest on vCPU 0. */
#define VIRQ_TIMER 0		/* per vCPU: its singleshot/periodic timer */
#define VIRQ_DEBUG 1		/* per vCPU: debug request */
#define VIRQ_CONSOLE 2		/* dom0: hypervisor console input */
#define VIRQ_DOM_EXC 3		/* dom0: a domain shut down or died */
#define VIRQ_TBUF 4
#define VIRQ_DEBUGGER 6
#define VIRQ_XENOPROF 7		/* per vCPU */
#define VIRQ_CON_RING 8
#define VIRQ_PCPU_STATE 9
#define VIRQ_MEM_EVENT 10
#define VIRQ_ARGO 11
#define VIRQ_ENOMEM 12
#define VIRQ_XENPMU 13		/* per vCPU */
#define VIRQ_ARCH_0 16
#define NR_VIRQS 24

HV_ABI_STATIC_ASSERT(sizeof(struct evtchn_alloc_unbound) == 8, "alloc_unbound");
HV_ABI_STATIC_ASSERT(sizeof(struct evtchn_bind_interdomain) == 12, "bind_idom");
HV_ABI_STATIC_ASSERT(sizeof(struct evtchn_bind_virq) == 12, "bind_virq");
HV_ABI_STATIC_ASSERT(sizeof(struct evtchn_status) == 24, "evtchn_status");
HV_ABI_STATIC_ASSERT(sizeof(struct evtchn_init_control) == 24, "init_control");

#endif
