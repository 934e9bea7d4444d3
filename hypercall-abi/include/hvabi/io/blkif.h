/* SPDX-License-Identifier: MIT */
/*
 * Block device protocol (blkif): request and response slots of the vbd
 * ring, the operations, response codes and limits, and the xenstore
 * feature keys both ends negotiate. Binary compatible with Xen's
 * io/blkif.h for x86_64 (toolstack-compat.md 3.4); the ring itself is in
 * ring.h. Sector numbers are always in 512-byte units.
 */
#ifndef HVABI_IO_BLKIF_H
#define HVABI_IO_BLKIF_H

#include <stdint.h>
#include "ring.h"

typedef uint16_t blkif_vdev_t;
typedef uint64_t blkif_sector_t;

/* ---- Operations (request.operation) ----------------------------------- */
#define BLKIF_OP_READ 0
#define BLKIF_OP_WRITE 1
#define BLKIF_OP_WRITE_BARRIER 2   /* feature-barrier */
#define BLKIF_OP_FLUSH_DISKCACHE 3 /* feature-flush-cache */
#define BLKIF_OP_RESERVED_1 4	   /* historical, never valid */
#define BLKIF_OP_DISCARD 5	   /* feature-discard */
#define BLKIF_OP_INDIRECT 6	   /* feature-max-indirect-segments */

/* ---- Response status -------------------------------------------------- */
#define BLKIF_RSP_EOPNOTSUPP (-2) /* operation not supported */
#define BLKIF_RSP_ERROR (-1)	  /* failed (EIO) */
#define BLKIF_RSP_OKAY 0

/* ---- Limits ------------------------------------------------------------ */
#define BLKIF_SECTOR_SIZE 512U
#define BLKIF_SECTORS_PER_PAGE (RING_PAGE_SIZE / BLKIF_SECTOR_SIZE)
/* Segments carried directly in a request. */
#define BLKIF_MAX_SEGMENTS_PER_REQUEST 11
/* Pages of segment descriptors one indirect request may reference. */
#define BLKIF_MAX_INDIRECT_PAGES_PER_REQUEST 8
/* Segment descriptors per indirect page (4096 / 8). */
#define BLKIF_SEGS_PER_INDIRECT_FRAME                                          \
	(RING_PAGE_SIZE / sizeof(struct blkif_request_segment))

/*
 * One segment: a granted page and the inclusive sector range inside it,
 * 0 <= first_sect <= last_sect <= 7.
 */
struct blkif_request_segment {
	grant_ref_t gref;
	uint8_t first_sect;
	uint8_t last_sect;
	uint16_t reserved; /* zero */
};

/* READ, WRITE, WRITE_BARRIER, FLUSH_DISKCACHE. */
struct blkif_request {
	uint8_t operation;
	uint8_t nr_segments; /* 0 allowed for FLUSH/BARRIER */
	blkif_vdev_t handle; /* only for diagnostics: backends ignore */
	uint32_t reserved;   /* implicit padding in Xen */
	uint64_t id;	     /* echoed in the response */
	blkif_sector_t sector_number;
	struct blkif_request_segment seg[BLKIF_MAX_SEGMENTS_PER_REQUEST];
};

/* DISCARD: sector_number must be aligned to discard-granularity. */
struct blkif_request_discard {
	uint8_t operation;
	uint8_t flag; /* BLKIF_DISCARD_SECURE or 0 */
	blkif_vdev_t handle;
	uint32_t reserved;
	uint64_t id;
	blkif_sector_t sector_number;
	uint64_t nr_sectors;
};
#define BLKIF_DISCARD_SECURE (1U << 0) /* honoured only if discard-secure */

/*
 * INDIRECT: the segment descriptors live in up to 8 granted pages, 512
 * descriptors each; nr_segments is bounded by the backend's
 * feature-max-indirect-segments. indirect_op is READ or WRITE.
 */
struct blkif_request_indirect {
	uint8_t operation;
	uint8_t indirect_op;
	uint16_t nr_segments;
	uint32_t reserved;
	uint64_t id;
	blkif_sector_t sector_number;
	blkif_vdev_t handle;
	uint16_t reserved2;
	grant_ref_t indirect_grefs[BLKIF_MAX_INDIRECT_PAGES_PER_REQUEST];
	uint32_t reserved3; /* implicit tail padding in Xen */
};

struct blkif_response {
	uint64_t id;	   /* from the request */
	uint8_t operation; /* from the request */
	uint8_t reserved;
	int16_t status; /* BLKIF_RSP_* */
	uint32_t reserved2;
};

/* Every request variant occupies the same 112-byte slot. */
union blkif_request_any {
	struct blkif_request rw;
	struct blkif_request_discard discard;
	struct blkif_request_indirect indirect;
};

HV_RING_DEFINE(blkif, union blkif_request_any, struct blkif_response);
#define BLKIF_SLOT_SIZE sizeof(union blkif_sring_entry)
#define BLKIF_RING_SLOTS(order) ring_slots((order), BLKIF_SLOT_SIZE)

/* ---- vdisk "info" bits ------------------------------------------------- */
#define VDISK_CDROM 0x1
#define VDISK_REMOVABLE 0x2
#define VDISK_READONLY 0x4

/* The only ring protocol we speak (front "protocol" key). */
#define BLKIF_PROTOCOL_NATIVE "x86_64-abi"

/* ---- Layout checks against Xen 4.17 x86_64 ----------------------------- */
_Static_assert(sizeof(struct blkif_request_segment) == 8, "blkif seg");
_Static_assert(sizeof(struct blkif_request) == 112, "blkif_request");
_Static_assert(offsetof(struct blkif_request, id) == 8, "blkif id");
_Static_assert(offsetof(struct blkif_request, sector_number) == 16, "sector");
_Static_assert(offsetof(struct blkif_request, seg) == 24, "blkif seg[]");
_Static_assert(sizeof(struct blkif_request_discard) == 32, "discard");
_Static_assert(offsetof(struct blkif_request_discard, nr_sectors) == 24,
	       "discard nr_sectors");
_Static_assert(sizeof(struct blkif_request_indirect) == 64, "indirect");
_Static_assert(offsetof(struct blkif_request_indirect, handle) == 24,
	       "indirect handle");
_Static_assert(offsetof(struct blkif_request_indirect, indirect_grefs) == 28,
	       "indirect grefs");
_Static_assert(sizeof(struct blkif_response) == 16, "blkif_response");
_Static_assert(offsetof(struct blkif_response, status) == 10, "status");
_Static_assert(sizeof(union blkif_sring_entry) == 112, "blkif slot");
_Static_assert(BLKIF_SEGS_PER_INDIRECT_FRAME == 512, "segs per frame");

#endif
