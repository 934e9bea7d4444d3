/* SPDX-License-Identifier: MIT */
/*
 * sysctl (35): host-wide control and information for the toolstack,
 * privileged. Only XEN_SYSCTL_physinfo (hypercall-abi/docs/sysctl.md);
 * layout as Xen 4.17's public sysctl.h, interface version 0x15.
 */
#ifndef HVABI_SYSCTL_H
#define HVABI_SYSCTL_H

#include <stdint.h>

#define XEN_SYSCTL_INTERFACE_VERSION 0x00000015

#define XEN_SYSCTL_physinfo 3

#define XEN_SYSCTL_PHYSCAP_hvm (1U << 0)
#define XEN_SYSCTL_PHYSCAP_pv (1U << 1)

struct xen_sysctl_physinfo {
	uint32_t threads_per_core;
	uint32_t cores_per_socket;
	uint32_t nr_cpus;		/* online */
	uint32_t max_cpu_id;		/* largest possible */
	uint32_t nr_nodes;
	uint32_t max_node_id;
	uint32_t cpu_khz;
	uint32_t capabilities;		/* XEN_SYSCTL_PHYSCAP_* */
	uint32_t arch_capabilities;
	uint32_t pad;
	uint64_t total_pages;
	uint64_t free_pages;		/* not given to any domain */
	uint64_t scrub_pages;
	uint64_t outstanding_pages;
	uint64_t max_mfn;
	uint32_t hw_cap[8];
};

struct xen_sysctl {
	uint32_t cmd;
	uint32_t interface_version;	/* XEN_SYSCTL_INTERFACE_VERSION */
	union {
		struct xen_sysctl_physinfo physinfo;
		uint8_t pad[128];
	} u;
};

_Static_assert(sizeof(struct xen_sysctl_physinfo) == 112, "physinfo size");
_Static_assert(__builtin_offsetof(struct xen_sysctl_physinfo, free_pages) ==
		       48,
	       "physinfo free_pages");
_Static_assert(sizeof(struct xen_sysctl) == 136, "xen_sysctl size");

#endif
