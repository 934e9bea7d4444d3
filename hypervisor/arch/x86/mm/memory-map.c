// SPDX-License-Identifier: GPL-2.0
/*
 * memory_op (12) sub-ops about maps: the guest's memory map, the host's
 * (hardware domain only), where the read-only M2P is mapped and the
 * frames that hold it.
 */
#include <hv/boot.h>
#include <hv/domain.h>
#include <hv/errno.h>
#include <hv/guest_access.h>
#include <hv/mm.h>
#include <hvabi/memory.h>
#include <asm/cpu_info.h>


static long machine_memory_map(unsigned long arg)
{
	struct xen_memory_map map;

	if (!current->domain->is_privileged)
		return -EPERM;
	if (copy_from_guest(&map, arg, sizeof(map)))
		return -EFAULT;
	/* A NULL buffer asks for the count; else room for one more (Xen). */
	if (map.buffer && map.nr_entries < boot_info.nr_mmap + 1)
		return -EINVAL;
	for (unsigned int i = 0; map.buffer && i < boot_info.nr_mmap; i++) {
		const struct boot_mmap_entry *b = &boot_info.mmap[i];
		struct e820_entry e = { b->base, b->len, b->type };

		if (copy_to_guest(map.buffer + i * sizeof(e), &e, sizeof(e)))
			return -EFAULT;
	}
	map.nr_entries = boot_info.nr_mmap;
	return copy_to_guest(arg, &map, sizeof(map));
}

static long machphys_mapping(unsigned long arg)
{
	struct xen_machphys_mapping m = {
		.v_start = MACH2PHYS_VIRT_START,
		.v_end = MACH2PHYS_VIRT_END,
		.max_mfn = current->domain->is_hardware_domain
			? max_mfn - 1 : MACH2PHYS_NR_ENTRIES - 1,
	};

	return copy_to_guest(arg, &m, sizeof(m));
}

/* The M2P is one contiguous allocation: one MFN per 2 MiB of it. */
static long machphys_mfn_list(unsigned long arg)
{
	uint64_t first = mfn_x(virt_to_mfn(m2p));
	uint64_t frames = ALIGN_UP(max_mfn * 8, PAGE_SIZE) >> PAGE_SHIFT;
	struct xen_machphys_mfn_list l;
	uint32_t i;

	if (copy_from_guest(&l, arg, sizeof(l)))
		return -EFAULT;
	for (i = 0; i < l.max_extents && (uint64_t)i * 512 < frames; i++) {
		uint64_t mfn = first + (uint64_t)i * 512;

		if (copy_to_guest(l.extent_start + i * 8ULL, &mfn, 8))
			return -EFAULT;
	}
	l.nr_extents = i;
	return copy_to_guest(arg, &l, sizeof(l));
}

long arch_memory_op(unsigned int op, unsigned long arg)
{
	switch (op) {
	case XENMEM_memory_map:
		return -ENOSYS;	/* no map set by a toolstack (as Xen) */
	case XENMEM_machine_memory_map:
		return machine_memory_map(arg);
	case XENMEM_machphys_mapping:
		return machphys_mapping(arg);
	case XENMEM_machphys_mfn_list:
		return machphys_mfn_list(arg);
	}
	return -ENOSYS;
}
