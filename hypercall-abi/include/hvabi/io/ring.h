/* SPDX-License-Identifier: MIT */
/*
 * The shared request/response ring used by every split driver (blkif,
 * netif, ...). Binary compatible with Xen's io/ring.h layout: a 64-byte
 * header of four 32-bit free-running indexes, then a power-of-two array of
 * fixed-size slots, each slot a union of one request and one response.
 * This file owns the layout and the index arithmetic; what a slot means
 * belongs to the per-device headers. Usable freestanding and on the host.
 *
 *   page(s) of the ring (2^order pages, virtually contiguous)
 *   +----------+----------+----------+----------+-----------+-----------+
 *   | req_prod | req_event| rsp_prod | rsp_event| 48 B zero | slot[0..] |
 *   +----------+----------+----------+----------+-----------+-----------+
 *     front      back       back       front                 n = 2^k
 *     writes     writes     writes     writes
 *
 * Indexes never wrap modulo the ring size; slot = idx & (n - 1) and all
 * differences are taken in unsigned 32-bit arithmetic.
 */
#ifndef HVABI_IO_RING_H
#define HVABI_IO_RING_H

#include <stddef.h>
#include <stdint.h>

typedef uint32_t ring_idx_t;
typedef uint32_t grant_ref_t;

#define RING_PAGE_SIZE 4096U
#define RING_HDR_SIZE 64U
/* Xen's limit for multi-page rings (max-ring-page-order). */
#define RING_MAX_PAGE_ORDER 4U

struct ring_sring_hdr {
	ring_idx_t req_prod;  /* written by the front end only */
	ring_idx_t req_event; /* written by the back end only */
	ring_idx_t rsp_prod;  /* written by the back end only */
	ring_idx_t rsp_event; /* written by the front end only */
	uint8_t reserved[48]; /* zero; Xen's pvt/pad area */
};
_Static_assert(sizeof(struct ring_sring_hdr) == RING_HDR_SIZE, "sring hdr");

/*
 * Barriers. Both ends run on x86_64 in every environment we support, but
 * the fences are written as C11 atomics so that the compiler also honours
 * them. "full" orders a store before a later load (the only reordering
 * x86 does), used where one side publishes an index and then reads the
 * other side's event threshold.
 */
#define ring_wmb() __atomic_thread_fence(__ATOMIC_RELEASE)
#define ring_rmb() __atomic_thread_fence(__ATOMIC_ACQUIRE)
#define ring_mb() __atomic_thread_fence(__ATOMIC_SEQ_CST)
#define RING_READ_ONCE(x) __atomic_load_n(&(x), __ATOMIC_RELAXED)
#define RING_WRITE_ONCE(x, v) __atomic_store_n(&(x), (v), __ATOMIC_RELAXED)

/* Largest power of two <= x, for x < 2^32; 0 for 0. */
static inline uint32_t ring_rounddown_pow2(uint32_t x)
{
	while (x & (x - 1))
		x &= x - 1;
	return x;
}

/* Number of slots of @slot_size bytes in a ring of 2^@order pages. */
static inline uint32_t ring_slots(uint32_t order, uint32_t slot_size)
{
	uint32_t bytes = RING_PAGE_SIZE << order;

	return ring_rounddown_pow2((bytes - RING_HDR_SIZE) / slot_size);
}

/* The private state of one end; never lives in shared memory. */
struct ring_front {
	struct ring_sring_hdr *sh;
	uint8_t *slots;
	uint32_t nr; /* slot count, power of two */
	uint32_t slot_size;
	ring_idx_t req_prod_pvt; /* next request slot to fill */
	ring_idx_t rsp_cons;	 /* next response to consume */
};

struct ring_back {
	struct ring_sring_hdr *sh;
	uint8_t *slots;
	uint32_t nr;
	uint32_t slot_size;
	ring_idx_t rsp_prod_pvt; /* next response slot to fill */
	ring_idx_t req_cons;	 /* next request to consume */
};

/*
 * Front end: initialise a freshly allocated ring area and its private
 * state. Only the front end zeroes the shared page; the back end attaches.
 */
static inline void ring_front_init(struct ring_front *r, void *area,
				   uint32_t order, uint32_t slot_size)
{
	uint8_t *p = area;
	uint32_t i;

	for (i = 0; i < RING_HDR_SIZE; i++)
		p[i] = 0;
	r->sh = area;
	r->slots = p + RING_HDR_SIZE;
	r->nr = ring_slots(order, slot_size);
	r->slot_size = slot_size;
	r->req_prod_pvt = 0;
	r->rsp_cons = 0;
	/* First response will raise an event. */
	r->sh->rsp_event = 1;
	r->sh->req_event = 1;
}

/*
 * Back end: attach to a mapped ring. The indexes in the page are whatever
 * the front end left there: start from its current req_prod only if it is
 * sane, which ring_back_unconsumed() checks on every use anyway.
 */
static inline void ring_back_init(struct ring_back *r, void *area,
				  uint32_t order, uint32_t slot_size)
{
	r->sh = area;
	r->slots = (uint8_t *)area + RING_HDR_SIZE;
	r->nr = ring_slots(order, slot_size);
	r->slot_size = slot_size;
	r->rsp_prod_pvt = RING_READ_ONCE(r->sh->rsp_prod);
	r->req_cons = r->rsp_prod_pvt;
}

static inline void *ring_slot(uint8_t *slots, uint32_t nr, uint32_t size,
			      ring_idx_t idx)
{
	return slots + (size_t)(idx & (nr - 1)) * size;
}

/*
 * Copy a slot out of shared memory with volatile loads, so the compiler
 * cannot turn later uses of the copy into re-reads of the shared slot
 * (the peer may change it while we parse). @n is a multiple of 8 and
 * both pointers are 8-byte aligned, as every slot is.
 */
static inline void ring_copy_slot(void *dst, const void *src, uint32_t n)
{
	const volatile uint64_t *s = (const volatile uint64_t *)src;
	uint64_t *d = dst;
	uint32_t i;

	for (i = 0; i < n / 8; i++)
		d[i] = s[i];
}

/* ---- Front end (producer of requests, consumer of responses) ---------- */

static inline uint32_t ring_front_free(const struct ring_front *r)
{
	return r->nr - (r->req_prod_pvt - r->rsp_cons);
}

static inline void *ring_front_next_req(struct ring_front *r)
{
	return ring_slot(r->slots, r->nr, r->slot_size, r->req_prod_pvt++);
}

/*
 * Publish requests filled since the last push. Returns 1 if the back end
 * asked to be notified for any of them (req_event fell in (old, new]).
 */
static inline int ring_front_push(struct ring_front *r)
{
	ring_idx_t old = r->sh->req_prod;
	ring_idx_t new = r->req_prod_pvt;

	/* The back end must see the request bodies before the new index. */
	ring_wmb();
	RING_WRITE_ONCE(r->sh->req_prod, new);
	/* Our req_prod store must be visible before we read req_event, or
	 * we could miss a back end that just went idle. */
	ring_mb();
	return (ring_idx_t)(new - RING_READ_ONCE(r->sh->req_event)) <
	       (ring_idx_t)(new - old);
}

/*
 * Number of responses ready, or -1 if the back end's rsp_prod claims more
 * responses than requests outstanding (a broken or hostile back end).
 * rsp_prod is read exactly once.
 */
static inline int ring_front_unconsumed(struct ring_front *r)
{
	ring_idx_t prod = RING_READ_ONCE(r->sh->rsp_prod);

	if ((ring_idx_t)(prod - r->rsp_cons) >
	    (ring_idx_t)(r->req_prod_pvt - r->rsp_cons))
		return -1;
	/* Response bodies are read only after the index that covers them. */
	ring_rmb();
	return (int)(prod - r->rsp_cons);
}

static inline const void *ring_front_rsp(struct ring_front *r, ring_idx_t i)
{
	return ring_slot(r->slots, r->nr, r->slot_size, i);
}

/*
 * Arm rsp_event and re-check, closing the race with a back end that
 * produced a response between our last check and going to sleep. Returns
 * as ring_front_unconsumed().
 */
static inline int ring_front_final_check(struct ring_front *r)
{
	int n = ring_front_unconsumed(r);

	if (n != 0)
		return n;
	RING_WRITE_ONCE(r->sh->rsp_event, r->rsp_cons + 1);
	/* rsp_event store before re-reading rsp_prod (store->load). */
	ring_mb();
	return ring_front_unconsumed(r);
}

/* ---- Back end (consumer of requests, producer of responses) ----------- */

/*
 * Number of requests ready, or -1 if the front end's req_prod runs more
 * than a ring ahead of our responses (producer overflow). req_prod is
 * read exactly once; the caller copies each slot before parsing it.
 */
static inline int ring_back_unconsumed(struct ring_back *r)
{
	ring_idx_t prod = RING_READ_ONCE(r->sh->req_prod);
	ring_idx_t avail = prod - r->req_cons;

	if (avail > r->nr - (ring_idx_t)(r->req_cons - r->rsp_prod_pvt))
		return -1;
	/* Request bodies are read only after the index that covers them. */
	ring_rmb();
	return (int)avail;
}

static inline const void *ring_back_req(struct ring_back *r, ring_idx_t i)
{
	return ring_slot(r->slots, r->nr, r->slot_size, i);
}

static inline void *ring_back_next_rsp(struct ring_back *r)
{
	return ring_slot(r->slots, r->nr, r->slot_size, r->rsp_prod_pvt++);
}

/* Publish responses; returns 1 if the front end wants an event. */
static inline int ring_back_push(struct ring_back *r)
{
	ring_idx_t old = r->sh->rsp_prod;
	ring_idx_t new = r->rsp_prod_pvt;

	/* The front end must see the response bodies before the index. */
	ring_wmb();
	RING_WRITE_ONCE(r->sh->rsp_prod, new);
	/* rsp_prod store before reading rsp_event (store->load). */
	ring_mb();
	return (ring_idx_t)(new - RING_READ_ONCE(r->sh->rsp_event)) <
	       (ring_idx_t)(new - old);
}

/* Arm req_event and re-check; returns as ring_back_unconsumed(). */
static inline int ring_back_final_check(struct ring_back *r)
{
	int n = ring_back_unconsumed(r);

	if (n != 0)
		return n;
	RING_WRITE_ONCE(r->sh->req_event, r->req_cons + 1);
	/* req_event store before re-reading req_prod (store->load). */
	ring_mb();
	return ring_back_unconsumed(r);
}

/*
 * Typed ring definitions: HV_RING_DEFINE(blkif, struct blkif_request,
 * struct blkif_response) gives union blkif_sring_entry and
 * struct blkif_sring with the Xen layout, and BLKIF_RING_SLOTS(order).
 */
#define HV_RING_DEFINE(name, req_t, rsp_t)                                     \
	union name##_sring_entry {                                             \
		req_t req;                                                     \
		rsp_t rsp;                                                     \
	};                                                                     \
	struct name##_sring {                                                  \
		struct ring_sring_hdr hdr;                                     \
		union name##_sring_entry ring[];                               \
	}

#endif
