/* SPDX-License-Identifier: GPL-2.0 */
/*
 * Domains and vCPUs as hypervisor objects. A domain owns frames (via the
 * frame table), a shared_info page and its vCPUs. Domain 0 is built at
 * boot from the first boot module and is the hardware domain: when it
 * shuts down, the machine ends with an exit status derived from the reason.
 */
#ifndef HV_DOMAIN_H
#define HV_DOMAIN_H

#include <hv/types.h>
#include <hvabi/xen.h>
#include <asm/domain.h>

#define MAX_VCPUS_PER_DOMAIN 8

enum domain_state { DOMAIN_RUNNING, DOMAIN_SHUTDOWN, DOMAIN_DYING };

struct vcpu {
	unsigned int vcpu_id;
	struct domain *domain;
	struct vcpu_info *vcpu_info;	/* hypervisor VA (in shared_info) */
	struct arch_vcpu arch;
};

struct domain {
	domid_t domid;
	bool is_privileged;		/* SIF_PRIVILEGED: may use HC_PRIV calls */
	bool is_hardware_domain;	/* dom0: its shutdown ends the machine */
	enum domain_state state;
	unsigned int shutdown_reason;	/* SHUTDOWN_*, valid when shut down */
	int shutdown_code;		/* SCHEDOP_shutdown_code, -1 = unset */
	struct shared_info *shared_info;	/* hypervisor VA */
	mfn_t shared_info_mfn;
	uint64_t tot_pages, max_pages;
	unsigned int nr_vcpus;
	struct vcpu *vcpus[MAX_VCPUS_PER_DOMAIN];
	uint8_t handle[16];		/* toolstack UUID */
	struct arch_domain arch;
};

/* The hardware domain (dom0). */
extern struct domain *hardware_domain;
/*
 * Owners that are not guests: the hypervisor's frames (DOMID_XEN) and
 * non-RAM frames (DOMID_IO, device memory the hardware domain may map).
 */
extern struct domain dom_xen, dom_io;

struct domain *domain_create(domid_t domid, unsigned int nr_vcpus,
			     bool privileged);
/* The domain with @domid, or NULL. */
struct domain *domain_lookup(domid_t domid);
/* Makes the domain stop: logs, records the reason, ends the machine for dom0. */
void domain_shutdown(struct domain *d, uint8_t reason);
/* Guest misbehaviour: crash the domain alone with a message. */
void domain_crash(struct domain *d, const char *fmt, ...)
	__attribute__((format(printf, 2, 3)));

static inline bool vm_assist(const struct domain *d, unsigned int type)
{
	return d->arch.vm_assist & (1ULL << type);
}

#endif
