// SPDX-License-Identifier: GPL-2.0
/*
 * The memory side of destroying a PV domain (common/domain/domain.c):
 * every reference its vCPUs hold (base pointers, GDT and LDT frames, a
 * registered vcpu_info, prevalidation), then every pin, so that its page
 * tables lose their types and drop what they map, top-down; then the
 * allocation reference of each frame it owns. A frame another domain
 * still maps (a foreign or grant mapping) keeps its references and is
 * freed by the put_page() of the last one.
 */
#include <hv/arch.h>
#include <hv/domain.h>
#include <hv/mm.h>
#include <hv/page-type.h>
#include <asm/pv-mm.h>

static void put_all(mfn_t *frames, unsigned int *nr)
{
	while (*nr)
		put_page_and_type(frames[--*nr]);
}

static void put_base(mfn_t *slot)
{
	if (mfn_x(*slot) != mfn_x(INVALID_MFN))
		put_page_and_type(*slot);
	*slot = INVALID_MFN;
}

static void vcpu_relinquish(struct vcpu *v)
{
	struct arch_vcpu *a = &v->arch;

	pv_prevalidate_done(v);
	if (a->prevalid)
		free_page(virt_to_mfn(a->prevalid));
	a->prevalid = NULL;
	put_all(a->gdt_frames, &a->nr_gdt_frames);
	put_all(a->ldt_frames, &a->nr_ldt_frames);
	put_base(&a->guest_table_user);
	put_base(&a->guest_table);
	put_base(&v->vcpu_info_mfn);
}

void arch_domain_relinquish(struct domain *d)
{
	for (unsigned int i = 0; i < d->nr_vcpus; i++)
		vcpu_relinquish(d->vcpus[i]);
	for (uint64_t f = 0; f < max_mfn; f++) {
		struct page_info *pg = &frame_table[f];

		if (pg->owner == d->domid && (pg->flags & PGF_pinned)) {
			pg->flags &= ~PGF_pinned;
			put_page_and_type(_mfn(f));
		}
	}
	for (uint64_t f = 0; f < max_mfn; f++) {
		struct page_info *pg = &frame_table[f];

		if (pg->owner == d->domid && (pg->flags & PGF_allocated)) {
			pg->flags &= ~PGF_allocated;
			put_page(pg);
		}
	}
}
