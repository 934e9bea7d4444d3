/* SPDX-License-Identifier: GPL-2.0 */
/* Helpers shared by the PV MMU hypercalls (arch/x86/pv/pv-mm.c, mmuext.c). */
#ifndef ASM_PV_MM_H
#define ASM_PV_MM_H

#include <hv/domain.h>
#include <hv/mm.h>

#define MMU_UPDATE_PREEMPTED (1U << 31)

/*
 * The domain whose frames a request maps: the caller for DOMID_SELF, or
 * another domain for a privileged caller. NULL with *rc = -ESRCH (no such
 * domain, or the caller named itself, as Xen) or -EPERM.
 */
struct domain *pv_pg_owner(domid_t domid, long *rc);

/*
 * The L1 entry that maps @va in the tables @v runs on (kernel or user),
 * or NULL if a level above is not present. No type check.
 */
pgentry_t *pv_l1e_of(struct vcpu *v, vaddr_t va);
/* The same, only if that entry is in a validated L1 table (else NULL). */
pgentry_t *pv_guest_l1e(struct vcpu *v, vaddr_t va);

/*
 * Runs a preemptible batch of @count items of @size bytes at guest @list
 * through @one, as mmu_update and mmuext_op do: stops at the first error,
 * stores the number done at @pdone (if not 0), resumes with the count's
 * MMU_UPDATE_PREEMPTED bit set. Returns 0, the failing item's error, or
 * -EFAULT.
 */
long pv_batch(unsigned long list, unsigned long count, unsigned long pdone,
	      size_t size, long (*one)(const void *item, void *ctx), void *ctx);

/*
 * Types a batch of the untyped L1 tables below the level-@level table
 * @root under temporary references (arch/x86/pv/prevalidate.c): 0 when
 * the real validation may run, -ERESTART to continue the hypercall first.
 */
int pv_prevalidate(struct vcpu *v, mfn_t root, unsigned int level);
/* Drops those temporary references. */
void pv_prevalidate_done(struct vcpu *v);

/* Loads the vCPU's current CR3 (kernel or user tables per its mode). */
void pv_load_cr3(struct vcpu *v);

/* Flushes after a mapping change: UVMF_* flush type and target. */
long pv_flush_va(unsigned long flags, unsigned long va);
/*
 * Flushes the TLBs of the CPUs that may hold translations of the vCPUs of
 * the current domain in @vcpus (a bitmap; ~0 for all): the whole TLB, or
 * on this CPU only @va when @one_va.
 */
void pv_flush_vcpus(uint64_t vcpus, bool one_va, vaddr_t va);

#endif
