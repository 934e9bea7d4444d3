// SPDX-License-Identifier: GPL-2.0
/*
 * Guest memory access with range checks and fault recovery. The guest's
 * page tables are live while the hypervisor runs on its behalf, so a copy
 * is a plain `rep movsb` whose fault is caught through the exception
 * table and turned into -EFAULT.
 */
#include <hv/errno.h>
#include <hv/guest_access.h>
#include <hvabi/xen.h>
#include <asm/page.h>

int copy_from_guest(void *dst, gaddr_t src, uint64_t len)
{
	if (!guest_range_ok(src, len))
		return -EFAULT;
	return copy_with_fixup(dst, (const void *)src, len) ? -EFAULT : 0;
}

int copy_to_guest(gaddr_t dst, const void *src, uint64_t len)
{
	if (!guest_range_ok(dst, len))
		return -EFAULT;
	return copy_with_fixup((void *)dst, src, len) ? -EFAULT : 0;
}

int clear_guest(gaddr_t dst, uint64_t len)
{
	if (!guest_range_ok(dst, len))
		return -EFAULT;
	return clear_with_fixup((void *)dst, len) ? -EFAULT : 0;
}

struct ex_entry {
	uint64_t insn, fixup;
};

extern const struct ex_entry __start_ex_table[], __stop_ex_table[];

uint64_t search_ex_table(uint64_t rip)
{
	for (const struct ex_entry *e = __start_ex_table; e < __stop_ex_table;
	     e++)
		if (e->insn == rip)
			return e->fixup;
	return 0;
}
