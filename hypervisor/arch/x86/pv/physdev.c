// SPDX-License-Identifier: GPL-2.0
/*
 * physdev_op (33): the guest's I/O privilege. set_iopl gives the virtual
 * IOPL that port I/O emulation checks (arch/x86/pv/emul-io.c); interrupt
 * routing sub-ops come with device passthrough.
 */
#include <hv/domain.h>
#include <hv/errno.h>
#include <hv/guest_access.h>
#include <hv/hypercall.h>
#include <hvabi/physdev.h>
#include <asm/cpu_info.h>

long do_physdev_op(unsigned long cmd, unsigned long arg)
{
	struct physdev_set_iopl s;

	switch ((int)cmd) {
	case PHYSDEVOP_set_iopl:
		if (copy_from_guest(&s, arg, sizeof(s)))
			return -EFAULT;
		if (s.iopl > 3)
			return -EINVAL;
		current->arch.iopl = s.iopl;
		return 0;
	}
	return -ENOSYS;
}
