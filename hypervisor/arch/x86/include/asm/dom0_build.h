/* SPDX-License-Identifier: GPL-2.0 */
/* Building the hardware domain from the boot modules. */
#ifndef ASM_DOM0_BUILD_H
#define ASM_DOM0_BUILD_H

#include <hv/types.h>

struct boot_module;
struct domain;

/*
 * Builds dom0 from @kernel (an ELF64 PV kernel) with optional @initrd and
 * @nr_pages of memory, as linux-pv-requirements.md 1.2-1.3 describe.
 * Prints a clear reason and returns NULL if the image or the memory size
 * is unusable.
 */
struct domain *dom0_build(const struct boot_module *kernel,
			  const struct boot_module *initrd, uint64_t nr_pages);

/* Loads vCPU 0 of @d and enters it; does not return. */
__noreturn void dom0_enter(struct domain *d);

#endif
