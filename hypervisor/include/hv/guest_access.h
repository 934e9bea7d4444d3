/* SPDX-License-Identifier: GPL-2.0 */
/*
 * The only way the hypervisor touches guest memory (style.md rule 24).
 * Guest addresses are virtual addresses in the current guest page tables;
 * they are never C pointers. Each call checks the whole range lies in the
 * guest's part of the address space and catches faults: 0 or -EFAULT.
 */
#ifndef HV_GUEST_ACCESS_H
#define HV_GUEST_ACCESS_H

#include <hv/types.h>
#include <hvabi/xen.h>

typedef uint64_t gaddr_t;

/*
 * True if [addr, addr + len) is canonical, guest-owned address space:
 * without wrapping, either all in the lower canonical half, or all at or
 * above HYPERVISOR_VIRT_END (the upper half begins with the hypervisor's
 * range, so nothing else there is canonical and guest-owned). Inline: it
 * is on every hypercall's and every bounce's path.
 */
_Static_assert(HYPERVISOR_VIRT_START == 0xffff800000000000ULL,
	       "guest_range_ok: the hypervisor's range opens the upper half");

static inline bool guest_range_ok(gaddr_t addr, uint64_t len)
{
	gaddr_t last = addr + len - 1;

	return !len || (last >= addr && (last < (1ULL << 47) ||
					 addr >= HYPERVISOR_VIRT_END));
}

int __must_check copy_from_guest(void *dst, gaddr_t src, uint64_t len);
int __must_check copy_to_guest(gaddr_t dst, const void *src, uint64_t len);
int __must_check clear_guest(gaddr_t dst, uint64_t len);

#define get_guest(val, addr) copy_from_guest(&(val), (addr), sizeof(val))
#define put_guest(val, addr) copy_to_guest((addr), &(val), sizeof(val))

/* Raw copies with fault recovery, no range check: returns bytes not copied. */
uint64_t copy_with_fixup(void *dst, const void *src, uint64_t len);
uint64_t clear_with_fixup(void *dst, uint64_t len);

/* Exception-table lookup for faults in the hypervisor; 0 if none. */
uint64_t search_ex_table(uint64_t rip);

#endif
