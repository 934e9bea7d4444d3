/* SPDX-License-Identifier: MIT */
/* physdev_op (33): I/O privilege and (later) interrupt routing. */
#ifndef HVABI_PHYSDEV_H
#define HVABI_PHYSDEV_H

#include <stdint.h>

#define PHYSDEVOP_set_iopl 6		/* struct physdev_set_iopl */
#define PHYSDEVOP_set_iobitmap 7		/* struct physdev_set_iobitmap */

struct physdev_set_iopl {
	uint32_t iopl;		/* 0..3: virtual IOPL of the guest kernel */
};

/*
 * An I/O permission bitmap in guest memory (a clear bit allows the port,
 * as in a TSS), consulted when the virtual IOPL does not allow an access.
 */
struct physdev_set_iobitmap {
	uint64_t bitmap;	/* guest VA; read in the guest kernel's tables */
	uint32_t nr_ports;	/* ports covered, at most 65536; 0 = none */
	uint32_t pad;
};
#define PHYSDEV_IOBITMAP_BYTES 8192	/* the range checked at set time */

_Static_assert(sizeof(struct physdev_set_iobitmap) == 16, "iobitmap size");

#endif
