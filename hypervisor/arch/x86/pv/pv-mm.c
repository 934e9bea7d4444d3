// SPDX-License-Identifier: GPL-2.0
/*
 * mmu_update (1), update_va_mapping (14) and update_va_mapping_otherdomain
 * (22): every change a PV guest makes to a page table goes through
 * mod_entry() (arch/x86/mm/page-type.c), except plain writes to frames
 * that are not page tables, which Linux uses while building unpinned
 * tables. Batches are preemptible.
 */
#include <hv/bug.h>
#include <hv/console.h>
#include <hv/continuation.h>
#include <hv/domain.h>
#include <hv/errno.h>
#include <hv/guest_access.h>
#include <hv/hypercall.h>
#include <hv/page-type.h>
#include <hv/smp.h>
#include <asm/cpu_info.h>
#include <asm/processor.h>
#include <asm/pv-mm.h>

struct domain *pv_pg_owner(domid_t domid, long *rc)
{
	struct domain *curr = current->domain, *d;

	if (domid == DOMID_SELF)
		return curr;
	*rc = -ESRCH;
	if (domid == curr->domid)
		return NULL;	/* naming itself is an error, as in Xen */
	d = owner_lookup(domid);	/* includes DOMID_XEN and DOMID_IO */
	if (!d)
		return NULL;
	if (!curr->is_privileged) {
		*rc = -EPERM;
		return NULL;
	}
	return d;
}

void pv_load_cr3(struct vcpu *v)
{
	mfn_t t = v->arch.kernel_mode ? v->arch.guest_table
				      : v->arch.guest_table_user;

	write_cr3(mfn_x(t) << PAGE_SHIFT);
}

/*
 * A CPU has a vCPU's translations while it runs it, or idles with it
 * still loaded (the scheduler switches lazily); every other CPU has
 * loaded another CR3 since, which flushed them (CR4.PGE is off).
 */
void pv_flush_vcpus(uint64_t vcpus, bool one_va, vaddr_t va)
{
	const struct domain *d = current->domain;
	unsigned int self = smp_processor_id();
	cpumask_t m = 0;

	for (unsigned int cpu = 0; cpu < CONFIG_NR_CPUS; cpu++) {
		const struct cpu_info *ci = cpu_info_of(cpu);
		const struct vcpu *v = ci ? ci->curr_vcpu : NULL;

		if (v && v->domain == d && v->vcpu_id < 64 &&
		    (vcpus >> v->vcpu_id) & 1)
			m |= CPUMASK(cpu);
	}
	if (m & CPUMASK(self)) {
		if (one_va)
			invlpg(va);
		else
			flush_tlb_local();
		m &= ~CPUMASK(self);
	}
	if (m)
		flush_tlb_mask(m);
}

long pv_flush_va(unsigned long flags, unsigned long va)
{
	unsigned long target = flags & ~UVMF_FLUSHTYPE_MASK;
	uint64_t mask = ~0ULL;	/* UVMF_ALL */

	if (!(flags & UVMF_FLUSHTYPE_MASK))
		return 0;
	if (target == UVMF_LOCAL)
		mask = 1ULL << current->vcpu_id;
	else if (target != UVMF_ALL && get_guest(mask, target))
		return -EFAULT; /* UVMF_MULTI: a guest pointer to a bitmap */
	pv_flush_vcpus(mask, (flags & UVMF_FLUSHTYPE_MASK) == UVMF_INVLPG, va);
	return 0;
}

pgentry_t *pv_l1e_of(struct vcpu *v, vaddr_t va)
{
	pgentry_t *t = mfn_to_virt(v->arch.kernel_mode ? v->arch.guest_table
						       : v->arch.guest_table_user);

	for (unsigned int level = 4; level > 1; level--) {
		pgentry_t e = t[pt_index(va, level)];

		if (!(e & _PAGE_PRESENT) || (e & _PAGE_PSE) ||
		    !mfn_valid(pte_mfn(e)))
			return NULL;
		t = mfn_to_virt(pte_mfn(e));
	}
	return &t[pt_index(va, 1)];
}

/* The entry mapping @va in a validated L1 table of the vCPU, or NULL. */
pgentry_t *pv_guest_l1e(struct vcpu *v, vaddr_t va)
{
	pgentry_t *e = pv_l1e_of(v, va);
	struct page_info *pg;

	if (!e)
		return NULL;
	pg = mfn_to_page(virt_to_mfn(e));
	return pg->type == PGT_l1 && pg->type_count ? e : NULL;
}

static long update_va(unsigned long va, unsigned long val,
		      unsigned long flags, const struct domain *pg_owner)
{
	pgentry_t *l1e;
	long rc;

	if (!guest_range_ok(va, 1))
		return -EINVAL;
	l1e = pv_guest_l1e(current, va);
	if (!l1e)
		return -EINVAL;
	rc = mod_entry(l1e, val, 1, pg_owner, false);
	if (rc)
		return rc;
	return pv_flush_va(flags, va);
}

long do_update_va_mapping(unsigned long va, unsigned long val,
			  unsigned long flags)
{
	return update_va(va, val, flags, current->domain);
}

long do_update_va_mapping_otherdomain(unsigned long va, unsigned long val,
				      unsigned long flags, unsigned long domid)
{
	struct domain *d;
	long rc = 0;

	d = pv_pg_owner((domid_t)domid, &rc);
	if (!d)
		return rc;
	return update_va(va, val, flags, d);
}

/* MMU_NORMAL_PT_UPDATE and friends on the frame holding the entry. */
static long pt_update(uint64_t ptr, uint64_t val, bool preserve_ad,
		      struct domain *d, struct domain *pg_owner)
{
	mfn_t mfn = _mfn(ptr >> PAGE_SHIFT);
	struct page_info *pg;
	pgentry_t *pe;
	long rc;

	if (!mfn_valid(mfn))
		return -EINVAL;
	pg = mfn_to_page(mfn);
	if (get_page(pg, d))
		return -EINVAL;
	pe = (pgentry_t *)((uint8_t *)mfn_to_virt(mfn) +
			   (ptr & (PAGE_SIZE - 1) & ~7ULL));
	if (pg->type_count && is_pt_type(pg->type)) {
		unsigned int level = pt_level(pg->type);
		unsigned int slot = (unsigned int)((ptr & (PAGE_SIZE - 1)) >> 3);

		if ((level == 4 && !is_guest_l4_slot(slot)) ||
		    (level > 1 && pg_owner != d))
			rc = -EINVAL;
		else
			rc = mod_entry(pe, val, level, pg_owner, preserve_ad);
	} else if (get_page_type(pg, PGT_writable) == 0) {
		*pe = val;	/* not a page table: a plain write */
		put_page_type(pg);
		rc = 0;
	} else {
		rc = -EINVAL;	/* a descriptor page */
	}
	put_page(pg);
	return rc;
}

static long machphys_update(uint64_t ptr, uint64_t pfn,
			    struct domain *pg_owner)
{
	mfn_t mfn = _mfn(ptr >> PAGE_SHIFT);

	if (!mfn_valid(mfn) || mfn_to_page(mfn)->owner != pg_owner->domid)
		return -EINVAL;
	m2p[mfn_x(mfn)] = pfn;
	return 0;
}

static long mmu_update_one(const struct mmu_update *req,
			   struct domain *pt_owner, struct domain *pg_owner)
{
	switch (req->ptr & 7) {
	case MMU_NORMAL_PT_UPDATE:
	case MMU_PT_UPDATE_NO_TRANSLATE:	/* PV: frames are machine frames */
		return pt_update(req->ptr, req->val, false, pt_owner,
				 pg_owner);
	case MMU_PT_UPDATE_PRESERVE_AD:
		return pt_update(req->ptr, req->val, true, pt_owner, pg_owner);
	case MMU_MACHPHYS_UPDATE:
		if (pt_owner != current->domain)
			return -EPERM;
		return machphys_update(req->ptr, req->val, pg_owner);
	}
	return -ENOSYS;
}

struct mmu_update_ctx {
	struct domain *pt_owner, *pg_owner;
};

static long mmu_update_item(const void *item, void *ctx)
{
	const struct mmu_update_ctx *c = ctx;

	return mmu_update_one(item, c->pt_owner, c->pg_owner);
}

long pv_batch(unsigned long list, unsigned long count, unsigned long pdone,
	      size_t size, long (*one)(const void *item, void *ctx), void *ctx)
{
	uint32_t n = (uint32_t)count, done = 0;
	uint64_t item[4];
	long rc = 0;

	BUG_ON(size > sizeof(item));
	if (n & MMU_UPDATE_PREEMPTED) {
		/* A continuation: the count so far is in *pdone. */
		n &= ~MMU_UPDATE_PREEMPTED;
		if (pdone && get_guest(done, pdone))
			done = 0;
	}
	for (uint32_t i = 0; i < n; i++, list += size) {
		if (i && i % HC_PREEMPT_BATCH == 0) {
			hypercall_set_arg(0, list);
			hypercall_set_arg(1, (n - i) | MMU_UPDATE_PREEMPTED);
			if (pdone && put_guest(done, pdone))
				return -EFAULT;
			return hypercall_continue();
		}
		if (copy_from_guest(item, list, size)) {
			rc = -EFAULT;
			break;
		}
		rc = one(item, ctx);
		if (get_cpu_info()->hc_continue) {
			/* The item itself is preempted: resume at it. */
			hypercall_set_arg(0, list);
			hypercall_set_arg(1, (n - i) | MMU_UPDATE_PREEMPTED);
			if (pdone && put_guest(done, pdone))
				return -EFAULT;
			return rc;
		}
		if (rc)
			break;
		done++;
	}
	if (pdone && put_guest(done, pdone))
		return -EFAULT;
	return rc;
}

long do_mmu_update(unsigned long reqs, unsigned long count,
		   unsigned long pdone, unsigned long foreigndom)
{
	uint32_t pt_dom = (uint32_t)foreigndom >> 16;
	struct mmu_update_ctx c = { .pt_owner = current->domain };
	long rc = 0;

	if (!guest_range_ok(reqs, (uint64_t)((uint32_t)count &
					     ~MMU_UPDATE_PREEMPTED) *
					  sizeof(struct mmu_update)))
		return -EFAULT;
	if (pt_dom) {
		/* The tables' owner is domid + 1 in the upper half. */
		c.pt_owner = domain_lookup((domid_t)(pt_dom - 1));
		if (!c.pt_owner)
			return -ESRCH;
		if (c.pt_owner != current->domain &&
		    !current->domain->is_privileged)
			return -EPERM;
	}
	c.pg_owner = pv_pg_owner((domid_t)foreigndom, &rc);
	if (!c.pg_owner)
		return rc;
	return pv_batch(reqs, count, pdone, sizeof(struct mmu_update),
			mmu_update_item, &c);
}
