// SPDX-License-Identifier: GPL-2.0
/*
 * physdev_op (33): the guest's I/O privilege. set_iopl gives the virtual
 * IOPL and set_iobitmap a per-vCPU permission bitmap in guest memory that
 * port I/O emulation checks (arch/x86/pv/emul-io.c); interrupt routing
 * sub-ops come with device passthrough.
 */
#include <hv/domain.h>
#include <hv/errno.h>
#include <hv/guest_access.h>
#include <hv/hypercall.h>
#include <hvabi/physdev.h>
#include <asm/cpu_info.h>

static long set_iopl(unsigned long arg)
{
	struct physdev_set_iopl s;

	if (copy_from_guest(&s, arg, sizeof(s)))
		return -EFAULT;
	if (s.iopl > 3)
		return -EINVAL;
	current->arch.iopl = s.iopl;
	return 0;
}

/* The bitmap is only remembered: it is read at each trapped access. */
static long set_iobitmap(unsigned long arg)
{
	struct physdev_set_iobitmap s;

	if (copy_from_guest(&s, arg, sizeof(s)))
		return -EFAULT;
	if (!guest_range_ok(s.bitmap, PHYSDEV_IOBITMAP_BYTES) ||
	    s.nr_ports > 65536)
		return -EINVAL;
	current->arch.iobmp = s.bitmap;
	current->arch.iobmp_limit = s.nr_ports;
	return 0;
}

long do_physdev_op(unsigned long cmd, unsigned long arg)
{
	switch ((int)cmd) {
	case PHYSDEVOP_set_iopl:
		return set_iopl(arg);
	case PHYSDEVOP_set_iobitmap:
		return set_iobitmap(arg);
	}
	return -ENOSYS;
}
