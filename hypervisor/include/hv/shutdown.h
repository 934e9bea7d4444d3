/* SPDX-License-Identifier: GPL-2.0 */
/*
 * Ending the machine. Under QEMU with isa-debug-exit at DEBUG_EXIT_PORT,
 * the exit status is ((value << 1) | 1): dom0's shutdown reason r gives
 * value 0x20 + r (poweroff 65, reboot 67, suspend 69, crash 71,
 * watchdog 73, soft_reset 75); a hypervisor panic gives 255. Without the
 * device the CPU halts with interrupts off: never a silent reboot.
 */
#ifndef HV_SHUTDOWN_H
#define HV_SHUTDOWN_H

#include <hv/types.h>

__noreturn void machine_exit(uint8_t value);

#endif
