/* SPDX-License-Identifier: MIT */
/*
 * PV console ring page (struct xencons_interface), binary compatible with
 * Xen's io/console.h: two byte rings, "in" (back -> front, keyboard) and
 * "out" (front -> back, screen), each with free-running 32-bit indexes.
 * The producer writes bytes, then (after a write barrier) its prod index;
 * the consumer reads prod, then (after a read barrier) the bytes.
 */
#ifndef HVABI_IO_CONSOLE_H
#define HVABI_IO_CONSOLE_H

#include <stddef.h>
#include <stdint.h>

typedef uint32_t xencons_ring_idx_t;

#define XENCONS_IN_SIZE 1024U
#define XENCONS_OUT_SIZE 2048U
#define XENCONS_MASK(idx, size) ((idx) & ((size)-1))

/* connection: the back end sets CONNECTED once it services the rings. */
#define XENCONSOLE_CONNECTED 0
#define XENCONSOLE_DISCONNECTED 1

struct xencons_interface {
	char in[XENCONS_IN_SIZE];
	char out[XENCONS_OUT_SIZE];
	xencons_ring_idx_t in_cons;  /* front writes */
	xencons_ring_idx_t in_prod;  /* back writes */
	xencons_ring_idx_t out_cons; /* back writes */
	xencons_ring_idx_t out_prod; /* front writes */
	uint8_t connection;	     /* XENCONSOLE_*, back writes */
	uint8_t reserved[3];
};

/* Console 0's grant reference reserved by the toolstack. */
#define GNTTAB_RESERVED_CONSOLE 0

_Static_assert(offsetof(struct xencons_interface, out) == 1024, "cons out");
_Static_assert(offsetof(struct xencons_interface, in_cons) == 3072, "in_cons");
_Static_assert(offsetof(struct xencons_interface, out_prod) == 3084,
	       "out_prod");
_Static_assert(offsetof(struct xencons_interface, connection) == 3088,
	       "connection");
_Static_assert(sizeof(struct xencons_interface) == 3092, "xencons size");

#endif
