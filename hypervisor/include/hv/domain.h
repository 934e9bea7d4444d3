/* SPDX-License-Identifier: GPL-2.0 */
/*
 * Domains and vCPUs as hypervisor objects. A domain owns frames (via the
 * frame table), a shared_info page and its vCPUs. Domain 0 is built at
 * boot from the first boot module and is the hardware domain: when it
 * shuts down, the machine ends with an exit status derived from the reason.
 */
#ifndef HV_DOMAIN_H
#define HV_DOMAIN_H

#include <hv/console.h>
#include <hv/timer.h>
#include <hv/types.h>
#include <hvabi/event_channel.h>
#include <hvabi/vcpu.h>
#include <hvabi/xen.h>
#include <asm/domain.h>

#define MAX_VCPUS_PER_DOMAIN 8
#define MAX_DOMAINS 16	/* domids 0..15 until domctl creates domains */

enum domain_state { DOMAIN_RUNNING, DOMAIN_SHUTDOWN, DOMAIN_DYING };

struct vcpu {
	unsigned int vcpu_id;
	struct domain *domain;
	/*
	 * Owned by the vCPU's physical CPU, interrupts off (events, timers,
	 * scheduling: see docs/locking.md):
	 */
	struct vcpu_info *vcpu_info;	/* hypervisor VA: shared_info or the
					   page given by register_vcpu_info */
	mfn_t vcpu_info_mfn;		/* INVALID_MFN: slot in shared_info */
	unsigned int processor;		/* physical CPU it runs on */
	bool is_up;			/* not VCPUOP_down (vCPU 0 starts up) */
	bool is_initialised;		/* has a context to run */
	bool blocked;			/* SCHEDOP_block/poll: until an event */
	bool polling;			/* in SCHEDOP_poll */
	bool nmi_pending;		/* VCPUOP_send_nmi, not yet delivered */
	bool nmi_masked;		/* in the NMI handler until its iret */
	evtchn_port_t poll_port;	/* the one port polled, 0 = several */
	evtchn_port_t virq_to_evtchn[NR_VIRQS];	/* 0 = not bound */
	struct timer singleshot_timer;	/* VCPUOP/set_timer_op: VIRQ_TIMER */
	struct timer periodic_timer;
	uint64_t periodic_period;	/* ns, 0 = off */
	uint64_t periodic_next;		/* next VIRQ_TIMER due, system time */
	struct timer poll_timer;	/* SCHEDOP_poll timeout */
	uint64_t runstate_guest;	/* guest VA of the runstate copy, 0 */
	struct vcpu_runstate_info runstate;
	uint64_t time_area_guest;	/* guest VA of a vcpu_time_info, 0 */
	/* Scheduler (common/sched/), interrupts off on its CPU: */
	struct vcpu *rq_next;		/* run queue link */
	bool on_runq;
	bool pinned;			/* stays on processor (sched_domain_pin) */
	uint64_t vtime;			/* weighted run time, ns * 256/weight */
	int64_t credit;			/* capped domains: ns left this period */
	uint64_t run_start;		/* system time it was switched in */
	struct arch_vcpu arch;
};

struct evtchn_bucket;
#define EVTCHN_NR_BUCKETS 8
#define NR_DOMAIN_WATCHDOGS 2

struct domain {
	domid_t domid;
	bool is_privileged;		/* SIF_PRIVILEGED: may use HC_PRIV calls */
	bool is_hardware_domain;	/* dom0: its shutdown ends the machine */
	enum domain_state state;
	bool is_shut_down;		/* it shut down (or crashed) before */
	unsigned int shutdown_reason;	/* SHUTDOWN_*, valid when shut down */
	int shutdown_code;		/* SCHEDOP_shutdown_code, -1 = unset */
	struct shared_info *shared_info;	/* hypervisor VA */
	mfn_t shared_info_mfn;
	uint64_t tot_pages, max_pages;
	unsigned int nr_vcpus;
	struct vcpu *vcpus[MAX_VCPUS_PER_DOMAIN];
	uint8_t handle[16];		/* toolstack UUID */
	/* Event channels (common/event/), interrupts off on its CPU: */
	struct evtchn_bucket *evtchn[EVTCHN_NR_BUCKETS];
	unsigned int valid_evtchns;	/* ports below this have a bucket */
	/* SCHEDOP_watchdog, interrupts off: */
	struct timer watchdog_timer[NR_DOMAIN_WATCHDOGS];
	uint32_t watchdog_inuse;	/* bit per timer */
	/* Scheduling parameters (credit scheduler): */
	unsigned int weight;		/* relative share, default 256 */
	unsigned int cap;		/* % of one CPU, 0 = no cap */
	/* Boot-time domains' console, served by the hypervisor: */
	struct vcons vcons;
	/* Their xenstore ring, served by dom0 ("domu_xenstore"), 0 = none: */
	uint64_t store_mfn;
	evtchn_port_t store_port;
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
/* The (real) domain with @domid, or NULL. */
/* A running or shut-down domain (not a dying one), or NULL. */
struct domain *domain_lookup(domid_t domid);
/* Any listed domain, dying ones included (domctl, frame accounting). */
struct domain *domain_by_id(domid_t domid);
/* The same, or dom_xen / dom_io for DOMID_XEN / DOMID_IO: frame owners. */
struct domain *owner_lookup(domid_t domid);
/* @domid with DOMID_SELF resolved to the caller's domain, or NULL. */
struct domain *domain_lookup_by_any_id(domid_t domid);
/* vCPU @id of @d, or NULL when out of range (guest controlled). */
struct vcpu *domain_vcpu(const struct domain *d, unsigned int id);
/* Makes the domain stop: logs, records the reason, ends the machine for dom0. */
void domain_shutdown(struct domain *d, uint8_t reason);
/*
 * Destroys @d (not the hardware domain, not the caller's): 0, -EINVAL, or
 * -EAGAIN while another CPU is still leaving one of its vCPUs (retry).
 */
int domain_destroy(struct domain *d);
/*
 * A frame @d got from the hypervisor outside its allocation (shared_info,
 * grant frames: one type and one general reference) is released like an
 * allocated one.
 */
void domain_release_xen_frame(struct domain *d, mfn_t mfn);
/* put_page() freed a frame of @owner: accounting, and reaping the dying. */
void domain_frame_freed(domid_t owner);
/* Guest misbehaviour: crash the domain alone with a message. */
void domain_crash(struct domain *d, const char *fmt, ...)
	__attribute__((format(printf, 2, 3)));

static inline bool vm_assist(const struct domain *d, unsigned int type)
{
	return d->arch.vm_assist & (1ULL << type);
}

#endif
