// SPDX-License-Identifier: GPL-2.0
/*
 * The guest's GDT: set_gdt (2) installs up to 14 frames of descriptors
 * (shown in the CPU's GDT window, arch/x86/cpu/desc.c) and
 * update_descriptor (10) changes one descriptor. Frames used as GDT have
 * type PGT_seg_desc, so no writable guest mapping of them can exist, and
 * every descriptor in them has passed check_descriptor():
 *   - not present: harmless, kept;
 *   - code or data: DPL raised to 3 (the guest kernel runs in ring 3);
 *   - type 0 system descriptor (the upper half of a 16-byte one): kept;
 *   - anything else (TSS, LDT, call, interrupt and trap gates): refused.
 * Call gates are refused; Xen accepts them for emulation (see
 * hypercall-abi/docs/deviations.md). The LDT (MMUEXT_SET_LDT) is held the
 * same way, shown in the CPU's LDT window.
 */
#include <hv/domain.h>
#include <hv/errno.h>
#include <hv/guest_access.h>
#include <hv/hypercall.h>
#include <hv/page-type.h>
#include <asm/cpu_info.h>
#include <asm/desc.h>
#include <asm/pv.h>
#include <asm/pv-mm.h>

#define SEG_P (1ULL << 47)
#define SEG_S (1ULL << 44)
#define SEG_DPL_SHIFT 45
#define SEG_TYPE_MASK (0xfULL << 40)

/* Checks (and fixes up) one descriptor; false if it must be refused. */
bool check_descriptor(uint64_t *desc)
{
	uint64_t d = *desc;

	if (!(d & SEG_P))
		return true;
	if (d & SEG_S) {
		*desc = d | (3ULL << SEG_DPL_SHIFT);	/* force guest privilege */
		return true;
	}
	return (d & SEG_TYPE_MASK) == 0;
}

int validate_desc_page(mfn_t mfn)
{
	uint64_t *descs = mfn_to_virt(mfn);

	for (unsigned int i = 0; i < PAGE_SIZE / 8; i++) {
		uint64_t d = descs[i];

		if (!check_descriptor(&d))
			return -EINVAL;
		descs[i] = d;
	}
	return 0;
}

static void put_frames(mfn_t *frames, unsigned int *nr)
{
	while (*nr)
		put_page_and_type(frames[--*nr]);
}

/*
 * MMUEXT_SET_LDT: the LDT pages must be mapped (in the tables the vCPU
 * runs on) when it is set; they become descriptor pages at once, where
 * Xen waits for the first use (hypercall-abi/docs/mmuext_op.md).
 */
long pv_set_ldt(struct vcpu *v, uint64_t base, unsigned int ents)
{
	unsigned int nr = (ents * 8 + PAGE_SIZE - 1) / PAGE_SIZE, i;
	mfn_t frames[16];

	if (ents > 8192 || (base & (PAGE_SIZE - 1)) ||
	    !guest_range_ok(base, (uint64_t)ents * 8))
		return -EINVAL;
	for (i = 0; i < nr; i++) {
		pgentry_t *e = pv_l1e_of(v, base + i * PAGE_SIZE);

		if (!e || !(*e & _PAGE_PRESENT) ||
		    get_page_and_type(pte_mfn(*e), v->domain, PGT_seg_desc))
			goto fail;
		frames[i] = pte_mfn(*e);
	}
	put_frames(v->arch.ldt_frames, &v->arch.nr_ldt_frames);
	for (i = 0; i < nr; i++)
		v->arch.ldt_frames[i] = frames[i];
	v->arch.nr_ldt_frames = nr;
	v->arch.ldt_ents = ents;
	ldt_load_guest_frames(frames, nr, ents);
	return 0;
fail:
	while (i--)
		put_page_and_type(frames[i]);
	return -EINVAL;
}

long do_set_gdt(unsigned long frame_list, unsigned long g_entries)
{
	struct vcpu *v = current;
	unsigned int entries = (uint32_t)g_entries;
	unsigned int nr = (entries + 511) / 512, i;
	uint64_t frames[FIRST_RESERVED_GDT_PAGE];
	mfn_t mfns[FIRST_RESERVED_GDT_PAGE];

	if (entries > FIRST_RESERVED_GDT_ENTRY)
		return -EINVAL;
	if (copy_from_guest(frames, frame_list, nr * sizeof(frames[0])))
		return -EFAULT;
	for (i = 0; i < nr; i++) {
		mfns[i] = _mfn(frames[i]);
		if (get_page_and_type(mfns[i], v->domain, PGT_seg_desc))
			goto fail;
	}
	put_frames(v->arch.gdt_frames, &v->arch.nr_gdt_frames);
	for (i = 0; i < nr; i++)
		v->arch.gdt_frames[i] = mfns[i];
	v->arch.nr_gdt_frames = nr;
	v->arch.gdt_ents = entries;
	gdt_map_guest_frames(v->arch.gdt_frames, nr);
	return 0;
fail:
	while (i--)
		put_page_and_type(mfns[i]);
	return -EINVAL;
}

long do_update_descriptor(unsigned long maddr, unsigned long desc)
{
	struct domain *d = current->domain;
	mfn_t mfn = _mfn(maddr >> PAGE_SHIFT);
	unsigned int type = PGT_writable;
	struct page_info *pg;
	uint64_t val = desc;
	long rc = -EINVAL;

	if ((maddr & 7) || !check_descriptor(&val) || !mfn_valid(mfn))
		return -EINVAL;
	pg = mfn_to_page(mfn);
	if (get_page(pg, d))
		return -EINVAL;
	if (pg->type == PGT_seg_desc)
		type = PGT_seg_desc;	/* in use (or last used) as a GDT */
	if (get_page_type(pg, type) == 0) {
		uint64_t *slot = (uint64_t *)((uint8_t *)mfn_to_virt(mfn) +
					      (maddr & (PAGE_SIZE - 1)));

		__atomic_store_n(slot, val, __ATOMIC_RELAXED);
		put_page_type(pg);
		rc = 0;
	}
	put_page(pg);
	return rc;
}
