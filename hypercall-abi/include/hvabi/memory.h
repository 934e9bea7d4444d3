/* SPDX-License-Identifier: MIT */
/*
 * memory_op (12): reservations (the frames a domain owns), the machine
 * and guest memory maps, and the machine-to-phys table. cmd's low 6 bits
 * are the sub-op; the bits above carry the extent to resume from.
 */
#ifndef HVABI_MEMORY_H
#define HVABI_MEMORY_H

#include <stdint.h>

#define XENMEM_increase_reservation 0	/* struct xen_memory_reservation */
#define XENMEM_decrease_reservation 1	/* struct xen_memory_reservation */
#define XENMEM_maximum_ram_page 2	/* no argument */
#define XENMEM_current_reservation 3	/* domid_t */
#define XENMEM_maximum_reservation 4	/* domid_t */
#define XENMEM_machphys_mfn_list 5	/* struct xen_machphys_mfn_list */
#define XENMEM_populate_physmap 6	/* struct xen_memory_reservation */
#define XENMEM_add_to_physmap 7
#define XENMEM_memory_map 9		/* struct xen_memory_map */
#define XENMEM_machine_memory_map 10	/* struct xen_memory_map */
#define XENMEM_exchange 11		/* struct xen_memory_exchange */
#define XENMEM_machphys_mapping 12	/* struct xen_machphys_mapping */
#define XENMEM_set_memory_map 13
#define XENMEM_maximum_gpfn 14		/* domid_t */

#define MEMOP_CMD_MASK 0x3f
#define MEMOP_EXTENT_SHIFT 6

/* mem_flags: low 8 bits are the address-width limit (0 = none). */
#define XENMEMF_address_bits(x) (x)
#define XENMEMF_get_address_bits(x) ((x) & 0xffU)

struct xen_memory_reservation {
	uint64_t extent_start;	/* guest VA of an array of frame numbers */
	uint64_t nr_extents;
	uint32_t extent_order;	/* each extent is 2^order frames */
	uint32_t mem_flags;
	uint16_t domid;
	uint16_t pad[3];
};

struct xen_memory_exchange {
	struct xen_memory_reservation in;
	struct xen_memory_reservation out;
	uint64_t nr_exchanged;	/* OUT (and IN: must be 0) */
};

struct xen_machphys_mfn_list {
	uint32_t max_extents;
	uint32_t pad;
	uint64_t extent_start;	/* guest VA of uint64_t[max_extents] */
	uint32_t nr_extents;	/* OUT */
	uint32_t pad2;
};

struct xen_machphys_mapping {
	uint64_t v_start, v_end;	/* where the M2P is mapped */
	uint64_t max_mfn;		/* highest entry that may be valid */
};

struct e820_entry {
	uint64_t addr;
	uint64_t size;
	uint32_t type;
} __attribute__((packed));

struct xen_memory_map {
	uint32_t nr_entries;	/* IN: buffer size; OUT: entries written */
	uint32_t pad;
	uint64_t buffer;	/* guest VA of struct e820_entry[] */
};

_Static_assert(sizeof(struct xen_memory_reservation) == 32, "reservation");
_Static_assert(sizeof(struct xen_memory_exchange) == 72, "exchange");
_Static_assert(sizeof(struct xen_machphys_mfn_list) == 24, "mfn_list");
_Static_assert(sizeof(struct xen_machphys_mapping) == 24, "mapping");
_Static_assert(sizeof(struct e820_entry) == 20, "e820");
_Static_assert(sizeof(struct xen_memory_map) == 16, "memory_map");

#endif
