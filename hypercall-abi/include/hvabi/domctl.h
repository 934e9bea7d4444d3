/* SPDX-License-Identifier: MIT */
/*
 * domctl (36): domain control for the toolstack, privileged. Only the
 * subops we implement are defined (hypercall-abi/docs/domctl.md); the
 * layout and numbers are those of Xen 4.17's public domctl.h, interface
 * version 0x15, so that the same binary works on both.
 */
#ifndef HVABI_DOMCTL_H
#define HVABI_DOMCTL_H

#include <stdint.h>

#define XEN_DOMCTL_INTERFACE_VERSION 0x00000015

#define XEN_DOMCTL_destroydomain 2
#define XEN_DOMCTL_getdomaininfo 5
#define XEN_DOMCTL_getvcpuinfo 14

/* getdomaininfo flags */
#define XEN_DOMINF_dying (1U << 0)	/* destroyed; frames still mapped */
#define XEN_DOMINF_hvm_guest (1U << 1)
#define XEN_DOMINF_shutdown (1U << 2)
#define XEN_DOMINF_paused (1U << 3)
#define XEN_DOMINF_blocked (1U << 4)	/* every online vCPU blocked */
#define XEN_DOMINF_running (1U << 5)	/* some vCPU on a physical CPU */
#define XEN_DOMINF_debugged (1U << 6)
#define XEN_DOMINF_xs_domain (1U << 7)
#define XEN_DOMINF_hap (1U << 8)
#define XEN_DOMINF_shutdownshift 16	/* SHUTDOWN_* reason, 8 bits */
#define XEN_DOMINF_shutdownmask 255
#define XEN_INVALID_MAX_VCPU_ID (~0U)

struct xen_domctl_getdomaininfo {
	uint16_t domain;		/* OUT (also in xen_domctl.domain) */
	uint16_t pad1;
	uint32_t flags;			/* XEN_DOMINF_* */
	uint64_t tot_pages;
	uint64_t max_pages;
	uint64_t outstanding_pages;
	uint64_t shr_pages;
	uint64_t paged_pages;
	uint64_t shared_info_frame;	/* MFN for a PV domain */
	uint64_t cpu_time;		/* ns, all vCPUs */
	uint32_t nr_online_vcpus;
	uint32_t max_vcpu_id;
	uint32_t ssidref;
	uint8_t handle[16];
	uint32_t cpupool;
	uint8_t gpaddr_bits;
	uint8_t pad2[7];
	uint32_t emulation_flags;	/* struct xen_arch_domainconfig */
	uint32_t misc_flags;
};

struct xen_domctl_getvcpuinfo {
	uint32_t vcpu;			/* IN */
	uint8_t online;			/* OUT: up (not VCPUOP_down) */
	uint8_t blocked;		/* waiting for an event */
	uint8_t running;		/* on a physical CPU now */
	uint8_t pad;
	uint64_t cpu_time;		/* ns running */
	uint32_t cpu;			/* the physical CPU it runs on */
	uint32_t pad2;
};

struct xen_domctl {
	uint32_t cmd;
	uint32_t interface_version;	/* XEN_DOMCTL_INTERFACE_VERSION */
	uint16_t domain;
	uint16_t pad[3];
	union {
		struct xen_domctl_getdomaininfo getdomaininfo;
		struct xen_domctl_getvcpuinfo getvcpuinfo;
		uint8_t pad[128];
	} u;
};

_Static_assert(sizeof(struct xen_domctl_getdomaininfo) == 112,
	       "getdomaininfo size");
_Static_assert(__builtin_offsetof(struct xen_domctl_getdomaininfo,
				  nr_online_vcpus) == 64,
	       "getdomaininfo nr_online_vcpus");
_Static_assert(__builtin_offsetof(struct xen_domctl_getdomaininfo,
				  cpupool) == 92,
	       "getdomaininfo cpupool");
_Static_assert(sizeof(struct xen_domctl_getvcpuinfo) == 24,
	       "getvcpuinfo size");
_Static_assert(__builtin_offsetof(struct xen_domctl_getvcpuinfo, cpu) == 16,
	       "getvcpuinfo cpu");
_Static_assert(sizeof(struct xen_domctl) == 144, "xen_domctl size");
_Static_assert(__builtin_offsetof(struct xen_domctl, u) == 16,
	       "xen_domctl u");

#endif
