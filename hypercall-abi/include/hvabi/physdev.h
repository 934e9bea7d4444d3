/* SPDX-License-Identifier: MIT */
/* physdev_op (33): I/O privilege and (later) interrupt routing. */
#ifndef HVABI_PHYSDEV_H
#define HVABI_PHYSDEV_H

#include <stdint.h>

#define PHYSDEVOP_set_iopl 6		/* struct physdev_set_iopl */
#define PHYSDEVOP_set_iobitmap 7

struct physdev_set_iopl {
	uint32_t iopl;		/* 0..3: virtual IOPL of the guest kernel */
};

#endif
