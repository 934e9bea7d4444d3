/* SPDX-License-Identifier: MIT */
/*
 * blkfront: our block front end library. It owns the rings (1..N queues,
 * multi-page), grants the caller's buffers per request, splits large
 * transfers into direct or indirect requests, and checks every response
 * from the (untrusted) back end. Handshake in xenbus.c.
 */
#ifndef BLKFRONT_H
#define BLKFRONT_H

#include <stdbool.h>
#include <stdint.h>
#include <hvabi/io/blkif.h>
#include "../env/xenv.h"

#define BLKFRONT_MAX_QUEUES 8U
#define BLKFRONT_MAX_SEGS 256U	/* per ring request, with indirect */
#define BLKFRONT_MAX_SLOTS 512U /* order 4 ring: 16 * 4096 / 112 -> 512 */

struct blkfront_io;
typedef void (*blkfront_done_fn)(struct blkfront_io *io);

/* One caller I/O; may be split over several ring requests. */
struct blkfront_io {
	blkfront_done_fn done;
	void *arg;
	int status;	      /* BLKIF_RSP_* of the worst part */
	unsigned int pending; /* ring requests not yet answered */
};

/* What the back end offers (from xenstore, or given directly). */
struct blkfront_info {
	uint64_t sectors;
	unsigned int sector_size;
	unsigned int info; /* VDISK_* */
	bool flush, barrier, discard;
	unsigned int max_indirect; /* 0: none */
	unsigned int max_queues;   /* multi-queue-max-queues, >= 1 */
	unsigned int max_order;	   /* max-ring-page-order */
	bool persistent;	   /* feature-persistent: use persistent grants */
};

struct blkfront_shadow {
	struct blkfront_io *io;
	bool busy;
	uint8_t op;
	unsigned int ngrefs;
	unsigned int nind;
	grant_ref_t gref[BLKFRONT_MAX_SEGS];
	grant_ref_t ind_ref[BLKIF_MAX_INDIRECT_PAGES_PER_REQUEST];
	void *ind_page; /* 1 page: up to 512 descriptors */
	/*
	 * Persistent grants: this slot's bounce pages, granted once (kept
	 * until the device goes), and what a read copies back to.
	 */
	unsigned int nr_pp;
	void *pp[BLKFRONT_MAX_SEGS];
	grant_ref_t pp_ref[BLKFRONT_MAX_SEGS];
	grant_ref_t ind_pref; /* ind_page's persistent grant, 0: none */
	uint8_t *read_buf;    /* NULL: nothing to copy back */
	uint64_t read_len;
};

struct blkfront_queue {
	struct ring_front r;
	void *area;
	grant_ref_t ring_ref[1U << RING_MAX_PAGE_ORDER];
	evtchn_port_t port;
	struct blkfront_shadow *shadow;
	uint16_t *free_ids;
	unsigned int nr_free;
};

struct blkfront {
	struct xenv *env;
	xenv_domid_t be;
	unsigned int nr_queues;
	unsigned int order;
	struct blkfront_info info;
	bool connected;
	bool broken; /* back end broke the protocol */
	struct blkfront_queue q[BLKFRONT_MAX_QUEUES];
};

/*
 * Allocate and grant @nr_queues rings of 2^@order pages and their unbound
 * event channels. Errors: -EINVAL, -ENOMEM, grant/evtchn errors.
 */
int blkfront_init(struct blkfront *bf, struct xenv *e, xenv_domid_t be,
		  unsigned int nr_queues, unsigned int order);
void blkfront_fini(struct blkfront *bf);
/* Back end is Connected: record what it offers. -EINVAL if unusable. */
int blkfront_start(struct blkfront *bf, const struct blkfront_info *info);

/*
 * Queue an I/O on queue @qi. @op is READ, WRITE, FLUSH_DISKCACHE or
 * DISCARD; for data ops @buf is 512-aligned shareable memory (xenv pages)
 * of @len bytes (a multiple of 512); DISCARD uses @len without @buf.
 * Errors: -EINVAL bad arguments, -EAGAIN ring full (nothing queued),
 * -ENOSPC out of grants, -EOPNOTSUPP feature not offered, -EPIPE broken.
 */
int blkfront_submit(struct blkfront *bf, unsigned int qi, uint8_t op,
		    uint64_t sector, void *buf, uint64_t len,
		    struct blkfront_io *io);
/* Tell the back end about queued requests if it asked to be told. */
void blkfront_kick(struct blkfront *bf, unsigned int qi);
/*
 * Complete answered requests on every queue. Returns the number of ring
 * responses handled, or -EPROTO if the back end broke the protocol.
 */
int blkfront_poll(struct blkfront *bf);
/* Synchronous helper: submit, kick, wait. Returns 0, -EIO (the back end
 * answered BLKIF_RSP_ERROR), -EOPNOTSUPP, -ETIMEDOUT (no answer in 10 s)
 * or a submit/poll error. */
int blkfront_io_sync(struct blkfront *bf, unsigned int qi, uint8_t op,
		     uint64_t sector, void *buf, uint64_t len);
/* Return once responses are waiting: polling the rings for up to
 * BLKFRONT_POLL_YIELDS yields of the CPU, then sleeping on the event
 * channel up to @timeout_ms. 1 if something may be ready, 0 on timeout. */
#define BLKFRONT_POLL_YIELDS 100U
int blkfront_wait(struct blkfront *bf, int timeout_ms);
/* Ring slots free on queue @qi. */
unsigned int blkfront_free_slots(const struct blkfront *bf, unsigned int qi);

#endif
