/* SPDX-License-Identifier: GPL-2.0 */
/*
 * Host shim for asm/page.h (tests/unit only): the real header's entry bits
 * and helpers, with the direct map (__va, mfn_to_virt, __pa, virt_to_mfn)
 * redirected to the fake machine's RAM array (tests/unit/fake-machine.c),
 * which checks every address it is given.
 */
#ifndef SHIM_ASM_PAGE_H
#define SHIM_ASM_PAGE_H

/* The real inline versions are renamed out of the way, then replaced. */
#define __va hw_directmap_va
#define __pa hw_directmap_pa
#define mfn_to_virt hw_directmap_mfn_to_virt
#define virt_to_mfn hw_directmap_virt_to_mfn
#include_next <asm/page.h>
#undef __va
#undef __pa
#undef mfn_to_virt
#undef virt_to_mfn

/* Fake RAM: aborts the run on an address outside it. */
void *fake_machine_va(paddr_t pa);
paddr_t fake_machine_pa(const void *p);

static inline void *__va(paddr_t pa)
{
	return fake_machine_va(pa);
}

static inline void *mfn_to_virt(mfn_t mfn)
{
	return fake_machine_va(mfn_x(mfn) << PAGE_SHIFT);
}

static inline paddr_t __pa(const void *p)
{
	return fake_machine_pa(p);
}

static inline mfn_t virt_to_mfn(const void *p)
{
	return _mfn(fake_machine_pa(p) >> PAGE_SHIFT);
}

#endif
