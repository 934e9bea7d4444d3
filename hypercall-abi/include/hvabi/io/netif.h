/* SPDX-License-Identifier: MIT */
/*
 * Network device protocol (netif): tx and rx ring slots, the extra-info
 * slot used for GSO and multicast, flags and status codes. Binary
 * compatible with Xen's io/netif.h for x86_64 (toolstack-compat.md 3.5).
 * Only the copy-based rx path (request-rx-copy=1) exists here: the back
 * end copies each received frame into pages the front end granted.
 */
#ifndef HVABI_IO_NETIF_H
#define HVABI_IO_NETIF_H

#include <stdint.h>
#include "ring.h"

/* Slots a single packet may span; back ends must accept at least this. */
#define XEN_NETIF_NR_SLOTS_MIN 18
#define XEN_NETIF_MAX_TX_SIZE 0xffffU

/* ---- Transmit (front -> back) ----------------------------------------- */
#define NETTXF_csum_blank (1U << 0)	/* checksum still to be computed */
#define NETTXF_data_validated (1U << 1) /* checksum already verified */
#define NETTXF_more_data (1U << 2)	/* packet continues in next slot */
#define NETTXF_extra_info (1U << 3)	/* an extra_info slot follows */

/*
 * First slot of a packet: size is the whole packet length; later slots
 * carry their own fragment size. offset + fragment size <= 4096.
 */
struct netif_tx_request {
	grant_ref_t gref;
	uint16_t offset;
	uint16_t flags; /* NETTXF_* */
	uint16_t id;	/* echoed in the response */
	uint16_t size;
};

struct netif_tx_response {
	uint16_t id;
	int16_t status; /* NETIF_RSP_* */
};

/* ---- Extra info (in a tx or rx slot after NETTXF/NETRXF_extra_info) --- */
#define XEN_NETIF_EXTRA_TYPE_NONE 0
#define XEN_NETIF_EXTRA_TYPE_GSO 1
#define XEN_NETIF_EXTRA_TYPE_MCAST_ADD 2
#define XEN_NETIF_EXTRA_TYPE_MCAST_DEL 3
#define XEN_NETIF_EXTRA_TYPE_HASH 4
#define XEN_NETIF_EXTRA_TYPE_MAX 5
#define XEN_NETIF_EXTRA_FLAG_MORE (1U << 0) /* another extra follows */

#define XEN_NETIF_GSO_TYPE_NONE 0
#define XEN_NETIF_GSO_TYPE_TCPV4 1
#define XEN_NETIF_GSO_TYPE_TCPV6 2

struct netif_extra_info {
	uint8_t type;  /* XEN_NETIF_EXTRA_TYPE_* */
	uint8_t flags; /* XEN_NETIF_EXTRA_FLAG_* */
	union {
		struct {
			uint16_t size; /* MSS */
			uint8_t type;  /* XEN_NETIF_GSO_TYPE_* */
			uint8_t pad;
			uint16_t features;
		} gso;
		struct {
			uint8_t addr[6];
		} mcast;
		struct {
			uint8_t type;
			uint8_t algorithm;
			uint8_t value[4];
		} hash;
		uint16_t pad[3];
	} u;
};

/* ---- Receive (back -> front, copy path) -------------------------------- */
#define NETRXF_data_validated (1U << 0)
#define NETRXF_csum_blank (1U << 1)
#define NETRXF_more_data (1U << 2)
#define NETRXF_extra_info (1U << 3)
#define NETRXF_gso_prefix (1U << 4)

/* A buffer page the front end offers for one received fragment. */
struct netif_rx_request {
	uint16_t id;
	uint16_t reserved;
	grant_ref_t gref;
};

/* status > 0 is the byte count written at offset. */
struct netif_rx_response {
	uint16_t id;
	uint16_t offset;
	uint16_t flags; /* NETRXF_* */
	int16_t status; /* size, or NETIF_RSP_* if negative */
};

#define NETIF_RSP_DROPPED (-2)
#define NETIF_RSP_ERROR (-1)
#define NETIF_RSP_OKAY 0
#define NETIF_RSP_NULL 1 /* a slot with no response (extra info) */

/* tx slots hold requests, extra info or responses; same for rx. */
union netif_tx_slot {
	struct netif_tx_request req;
	struct netif_extra_info extra;
};
union netif_rx_slot {
	struct netif_rx_response rsp;
	struct netif_extra_info extra;
};

HV_RING_DEFINE(netif_tx, union netif_tx_slot, struct netif_tx_response);
HV_RING_DEFINE(netif_rx, struct netif_rx_request, union netif_rx_slot);
#define NETIF_TX_SLOT_SIZE sizeof(union netif_tx_sring_entry)
#define NETIF_RX_SLOT_SIZE sizeof(union netif_rx_sring_entry)

/* ---- Layout checks against Xen 4.17 x86_64 ----------------------------- */
_Static_assert(sizeof(struct netif_tx_request) == 12, "tx request");
_Static_assert(sizeof(struct netif_tx_response) == 4, "tx response");
_Static_assert(sizeof(struct netif_extra_info) == 8, "extra info");
_Static_assert(sizeof(struct netif_rx_request) == 8, "rx request");
_Static_assert(sizeof(struct netif_rx_response) == 8, "rx response");
_Static_assert(offsetof(struct netif_rx_response, status) == 6, "rx status");
_Static_assert(sizeof(union netif_tx_sring_entry) == 12, "tx slot");
_Static_assert(sizeof(union netif_rx_sring_entry) == 8, "rx slot");

#endif
