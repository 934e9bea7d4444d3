// SPDX-License-Identifier: GPL-2.0
/*
 * Domain and vCPU objects: creation, shutdown, crash and destruction.
 *
 * Destruction (XEN_DOMCTL_destroydomain) stops the domain, closes its
 * event channels, releases its grant table and every reference it holds,
 * and frees its frames and objects. Frames another domain still maps
 * (grant or foreign mappings) outlive it: the domain stays listed as
 * dying, holding only its struct and domid, and the put_page() that frees
 * the last of them reaps it. domain_lookup() does not see dying domains,
 * so no new hypercall can reach one.
 */
#include <stdarg.h>
#include <hv/bug.h>
#include <hv/console.h>
#include <hv/domain.h>
#include <hv/arch.h>
#include <hv/errno.h>
#include <hv/event.h>
#include <hv/grant.h>
#include <hv/mm.h>
#include <hv/page-type.h>
#include <hv/nospec.h>
#include <hv/sched.h>
#include <hv/time.h>
#include <hv/shutdown.h>
#include <hv/string.h>
#include <hv/vsnprintf.h>
#include <hvabi/sched.h>
#include <asm/cpu_info.h>
#include <asm/processor.h>

struct domain *hardware_domain;
struct domain dom_xen = { .domid = DOMID_XEN };
struct domain dom_io = { .domid = DOMID_IO };
static struct domain *domains[MAX_DOMAINS];	/* by domid */

static void *alloc_object(size_t size)
{
	mfn_t mfn = alloc_pages(ALIGN_UP(size, PAGE_SIZE) >> PAGE_SHIFT);

	return mfn_x(mfn) == mfn_x(INVALID_MFN) ? NULL : mfn_to_virt(mfn);
}

static void free_object(void *p, size_t size)
{
	mfn_t first = virt_to_mfn(p);

	for (uint64_t i = 0; i < ALIGN_UP(size, PAGE_SIZE) >> PAGE_SHIFT; i++)
		free_page(_mfn(mfn_x(first) + i));
}

static struct vcpu *vcpu_create(struct domain *d, unsigned int id)
{
	struct vcpu *v = alloc_object(sizeof(*v));

	if (!v)
		return NULL;
	v->vcpu_id = id;
	v->domain = d;
	BUILD_BUG_ON(MAX_VCPUS_PER_DOMAIN > LEGACY_MAX_VCPUS);
	v->vcpu_info = &d->shared_info->vcpu_info[id];
	v->vcpu_info_mfn = INVALID_MFN;
	v->vcpu_info->evtchn_upcall_mask = 1;	/* start with events off */
	v->arch.kernel_mode = true;
	v->arch.guest_table = INVALID_MFN;
	v->arch.guest_table_user = INVALID_MFN;
	v->arch.debugreg[6] = 0xffff0ff0;
	v->arch.debugreg[7] = 0x400;
	sched_vcpu_init(v);
	vcpu_time_update(v);	/* valid pvclock before the first instruction */
	return v;
}

struct domain *domain_create(domid_t domid, unsigned int nr_vcpus,
			     bool privileged)
{
	struct domain *d;
	mfn_t si;

	if (nr_vcpus == 0 || nr_vcpus > MAX_VCPUS_PER_DOMAIN)
		return NULL;
	d = alloc_object(sizeof(*d));
	si = alloc_page();
	if (!d || mfn_x(si) == mfn_x(INVALID_MFN))
		return NULL;
	if (domid >= ARRAY_SIZE(domains) || domains[domid])
		return NULL;
	d->domid = domid;
	d->shutdown_code = -1;
	d->is_privileged = privileged;
	d->state = DOMAIN_RUNNING;
	d->shared_info_mfn = si;
	d->shared_info = mfn_to_virt(si);
	/* Writable for the guest for ever: one permanent type reference. */
	*mfn_to_page(si) = (struct page_info){ .owner = domid,
					       .type = PGT_writable,
					       .type_count = 1,
					       .count = 1 };
	if (evtchn_init(d))
		return NULL;
	sched_domain_init(d);
	domain_wallclock_update(d);
	for (unsigned int i = 0; i < nr_vcpus; i++) {
		d->vcpus[i] = vcpu_create(d, i);
		if (!d->vcpus[i])
			return NULL;
	}
	d->nr_vcpus = nr_vcpus;
	domains[domid] = d;
	return d;
}

struct domain *domain_by_id(domid_t domid)
{
	return domid < ARRAY_SIZE(domains) ? domains[domid] : NULL;
}

struct domain *domain_lookup(domid_t domid)
{
	struct domain *d = domain_by_id(domid);

	return d && d->state != DOMAIN_DYING ? d : NULL;
}

struct domain *owner_lookup(domid_t domid)
{
	if (domid == DOMID_XEN)
		return &dom_xen;
	if (domid == DOMID_IO)
		return &dom_io;
	return domain_lookup(domid);
}

struct domain *domain_lookup_by_any_id(domid_t domid)
{
	if (domid == DOMID_SELF)
		return current->domain;
	return domain_lookup(domid);
}

struct vcpu *domain_vcpu(const struct domain *d, unsigned int id)
{
	if (id >= d->nr_vcpus)	/* guest controlled */
		return NULL;
	return d->vcpus[array_index_nospec(id, d->nr_vcpus)];
}

static const char *const reason_names[] = {
	[SHUTDOWN_poweroff] = "poweroff", [SHUTDOWN_reboot] = "reboot",
	[SHUTDOWN_suspend] = "suspend",	  [SHUTDOWN_crash] = "crash",
	[SHUTDOWN_watchdog] = "watchdog", [SHUTDOWN_soft_reset] = "soft_reset",
};

/*
 * A code set earlier with SCHEDOP_shutdown_code wins over @reason (as in
 * Xen). Reasons beyond SHUTDOWN_MAX are accepted and reported as unknown;
 * for the hardware domain they give exit value base + 0x1f.
 */
void domain_shutdown(struct domain *d, uint8_t reason)
{
	const char *name;
	uint8_t exit_value;

	if (d->shutdown_code >= 0)
		reason = (uint8_t)d->shutdown_code;
	name = reason <= SHUTDOWN_MAX ? reason_names[reason] : "unknown";
	exit_value = DEBUG_EXIT_SHUTDOWN_BASE + MIN(reason, 0x1f);
	if (d->state == DOMAIN_DYING)
		return;
	d->state = DOMAIN_SHUTDOWN;
	d->is_shut_down = true;
	d->shutdown_reason = reason;
	log_info("d%u shut down: %s (reason %u)", d->domid, name, reason);
	if (d != hardware_domain)	/* tell dom0, as Xen's VIRQ_DOM_EXC */
		send_guest_global_virq(hardware_domain, VIRQ_DOM_EXC);
	if (d->is_hardware_domain) {
		log_info("hardware domain gone: machine %s, exit value %#x",
			 name, exit_value);
		machine_exit(exit_value);
	}
	/* Other domains stop running; their vCPUs are descheduled. */
	sched_domain_stop(d);
	if (current && current->domain == d)
		schedule();
}

void domain_crash(struct domain *d, const char *fmt, ...)
{
	char why[160];
	va_list ap;

	va_start(ap, fmt);
	hv_vsnprintf(why, sizeof(why), fmt, ap);
	va_end(ap);
	log_err("d%u crashed: %s", d->domid, why);
	domain_shutdown(d, SHUTDOWN_crash);
}

void domain_release_xen_frame(struct domain *d, mfn_t mfn)
{
	d->tot_pages++;		/* counted from now, like an allocated frame */
	put_page_and_type(mfn);
}

/* The last frame of a dying domain is gone: the domain goes too. */
static void domain_reap(struct domain *d)
{
	domains[d->domid] = NULL;
	log_info("d%u destroyed", d->domid);
	free_object(d, sizeof(*d));
	send_guest_global_virq(hardware_domain, VIRQ_DOM_EXC);
}

void domain_frame_freed(domid_t owner)
{
	struct domain *d = domain_by_id(owner);

	if (!d)
		return;
	d->tot_pages--;
	if (!d->tot_pages && d->state == DOMAIN_DYING && !d->nr_vcpus)
		domain_reap(d);
}

int domain_destroy(struct domain *d)
{
	int rc;

	if (d->is_hardware_domain || d == current->domain)
		return -EINVAL;
	if (d->state == DOMAIN_DYING && !d->nr_vcpus)
		return 0;	/* done; waiting for its last frames */
	if (d->state != DOMAIN_DYING) {
		d->state = DOMAIN_DYING;
		sched_domain_stop(d);
		for (unsigned int i = 0; i < NR_DOMAIN_WATCHDOGS; i++)
			timer_stop(&d->watchdog_timer[i]);
		vcons_release(d);
	}
	rc = sched_domain_release(d);
	if (rc)
		return rc;	/* a CPU is still switching away from it */
	evtchn_destroy(d);
	gnttab_domain_destroy(d);
	arch_domain_relinquish(d);
	domain_release_xen_frame(d, d->shared_info_mfn);
	for (unsigned int i = 0; i < d->nr_vcpus; i++)
		free_object(d->vcpus[i], sizeof(struct vcpu));
	d->nr_vcpus = 0;
	if (!d->tot_pages)
		domain_reap(d);
	else
		log_info("d%u dying: %llu frames still mapped elsewhere",
			 d->domid, (unsigned long long)d->tot_pages);
	return 0;
}
