// SPDX-License-Identifier: GPL-2.0
/*
 * console_io (18): the hardware domain writes to and reads from the
 * hypervisor's serial console. Other domains get -EPERM (their console is
 * the PV console ring). Long writes are preemptible.
 */
#include <hv/console.h>
#include <hv/continuation.h>
#include <hv/domain.h>
#include <hv/errno.h>
#include <hv/guest_access.h>
#include <hv/hypercall.h>
#include <hvabi/xen.h>
#include <asm/cpu_info.h>

#define CONSOLE_CHUNK 128

static long console_write_guest(unsigned long buf, uint32_t count)
{
	char kbuf[CONSOLE_CHUNK];
	uint32_t done = 0;

	while (done < count) {
		uint32_t n = MIN(count - done, (uint32_t)sizeof(kbuf));

		if (done >= HC_PREEMPT_BATCH) {
			hypercall_set_arg(1, count - done);
			hypercall_set_arg(2, buf + done);
			return -ERESTART;
		}
		if (copy_from_guest(kbuf, buf + done, n))
			return -EFAULT;
		console_write(kbuf, n);
		done += n;
	}
	return 0;
}

static long console_read_guest(unsigned long buf, uint32_t count)
{
	char kbuf[CONSOLE_CHUNK];
	size_t n;

	if (count > 0x7fffffff)
		return -E2BIG;	/* the result must not look like an error */
	n = console_read(kbuf, MIN(count, (uint32_t)sizeof(kbuf)));
	if (n && copy_to_guest(buf, kbuf, n))
		return -EFAULT;
	return (long)n;
}

long do_console_io(unsigned long cmd, unsigned long count, unsigned long buf)
{
	if (!current->domain->is_privileged)
		return -EPERM;
	switch ((uint32_t)cmd) {
	case CONSOLEIO_write:
		return console_write_guest(buf, (uint32_t)count);
	case CONSOLEIO_read:
		return console_read_guest(buf, (uint32_t)count);
	}
	return -ENOSYS;
}
