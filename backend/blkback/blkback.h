/* SPDX-License-Identifier: MIT */
/*
 * User-space block back end: one struct blkback_dev per vbd, backed by a
 * file or block device, serving 1..N rings from one untrusted front end.
 * io.c parses and executes requests, ring.c attaches and services rings,
 * xenbus.c runs the xenstore handshake (toolstack-compat.md 3.4).
 */
#ifndef BLKBACK_H
#define BLKBACK_H

#include <stdbool.h>
#include <stdint.h>
#include <sys/uio.h>
#include <hvabi/io/blkif.h>
#include <hvabi/io/xenbus.h>
#include "../../frontend/env/xenv.h"
#include "../../frontend/env/xenbus.h"

#define BLKBACK_MAX_QUEUES 8U
/* We accept indirect requests up to this many segments (8 frames). */
#define BLKBACK_MAX_INDIRECT_SEGS 256U
#define BLKBACK_MAX_SEGS BLKBACK_MAX_INDIRECT_SEGS
/* Requests served per ring per round: this many ring-fulls. */
#define BLKBACK_BUDGET_RINGS 2
/* Responses published per ring index update (at most). */
#define BLKBACK_PUSH_BATCH 8
/*
 * Adaptive polling, as QEMU's event loop does (poll-max-ns): having just
 * served requests, a back end watches its rings this long, yielding the
 * CPU (the front end may share it), before it sleeps: a front end that
 * submits again at once is served without a wakeup.
 */
#define BLKBACK_POLL_NS 50000LL
/*
 * Persistent grants (feature-persistent, both ends): a grant the front
 * end uses is mapped once and kept until the device disconnects, up to
 * this many per device (Linux's blkback keeps 1056 per ring); past it,
 * grants are mapped per request as without the feature.
 */
#define BLKBACK_MAX_PGRANTS 1056U
#define BLKBACK_PGRANT_SLOTS 2048U /* open addressing, a power of two */
/*
 * Threads that perform one device's requests, the serving one included
 * (cfg.threads). With more than one, the serving thread takes up to
 * BLKBACK_BATCH requests off a ring, parses them and maps their pages,
 * lets the threads perform them in parallel (the page-cache copy is most
 * of a 4 KiB request's cost), then answers them in ring order.
 */
#define BLKBACK_MAX_THREADS 8U
#define BLKBACK_BATCH 16U

struct blkback_pgrant {
	grant_ref_t gref;
	void *va; /* NULL: free slot */
};

struct blkback_cfg {
	const char *path; /* backing file or block device */
	bool readonly;
	bool discard;		     /* advertise and honour discard */
	unsigned int max_queues;     /* 1..BLKBACK_MAX_QUEUES */
	unsigned int max_ring_order; /* 0..RING_MAX_PAGE_ORDER */
	unsigned int max_indirect;   /* 0 (off) or 12..MAX_INDIRECT_SEGS */
	bool persistent;	     /* the front end uses persistent grants */
	/* The daemon's backend directory: "vbd" (NULL) as Linux's kernel
	 * blkback, or e.g. "qdisk" (xl backendtype=qdisk) beside it. */
	const char *type;
	unsigned int threads; /* 0 or 1: the serving thread alone */
};

/* A validated request: parsed from one local copy of the slot. */
struct blkback_req {
	uint64_t id;
	uint8_t op;	 /* READ, WRITE, FLUSH, BARRIER, DISCARD */
	uint8_t slot_op; /* for the response: operation, or indirect_op */
	bool secure;
	unsigned int nr_segs;
	uint64_t sector;
	uint64_t nr_sectors; /* data or discard length */
	struct blkif_request_segment seg[BLKBACK_MAX_SEGS];
};

/* One request on its way through a batch. */
struct blkback_job {
	struct blkback_req req;
	int status; /* BLKIF_RSP_*, once parsed (and performed) */
	bool run;   /* parsed and mapped: to be performed */
	void *seg_va[BLKBACK_MAX_SEGS];
	bool seg_kept[BLKBACK_MAX_SEGS]; /* persistent: not unmapped */
	struct iovec iov[BLKBACK_MAX_SEGS];
};

struct blkback_pool;

struct blkback_ring {
	struct blkback_dev *dev;
	struct ring_back r;
	void *area;
	unsigned int order;
	evtchn_port_t port;
	bool connected;
	bool broken; /* front end violated the ring protocol */
	bool more;   /* budget ran out with requests left */
	uint64_t nr_reqs, nr_errors;
};

struct blkback_dev {
	struct xenv *env;
	xenv_domid_t fe;
	struct blkback_cfg cfg;
	int fd;
	bool is_blkdev;
	uint64_t sectors; /* disk size in 512-byte sectors */
	unsigned int nr_rings;
	struct blkback_ring ring[BLKBACK_MAX_QUEUES];
	unsigned int nr_pgrants;
	struct blkback_pgrant pgrant[BLKBACK_PGRANT_SLOTS];
	struct blkback_job *job; /* nr_jobs: BLKBACK_BATCH, or 1 alone */
	unsigned int nr_jobs;
	struct blkback_pool *pool; /* NULL: the serving thread alone */
};

/*
 * Open the backing store and start cfg->threads - 1 helper threads (if
 * they cannot be made, the serving thread works alone). Errors: -EINVAL
 * bad cfg, -ENOMEM, -errno from open or stat, -ENOTBLK neither a regular
 * file nor a block device.
 */
int blkback_dev_open(struct blkback_dev *d, struct xenv *e, xenv_domid_t fe,
		     const struct blkback_cfg *cfg);
void blkback_dev_close(struct blkback_dev *d);

/*
 * Map ring @q (2^order pages at @refs) and bind the front end's unbound
 * port @g_port. Errors: -EINVAL q/order out of range or already
 * connected, and the map / bind errors of xenv.h.
 */
int blkback_ring_connect(struct blkback_dev *d, unsigned int q,
			 const grant_ref_t *g_refs, unsigned int order,
			 evtchn_port_t g_port);
void blkback_ring_disconnect(struct blkback_ring *br);
void blkback_dev_disconnect(struct blkback_dev *d);

/*
 * Serve every connected ring that has a pending event (or all if @all).
 * Returns the number of requests completed, or -EPROTO if a ring broke the
 * protocol (it is then disconnected; the others keep running).
 */
int blkback_dev_service(struct blkback_dev *d, bool all);
/* Some ring stopped on its budget: call blkback_dev_service() again
 * before sleeping. */
bool blkback_dev_more(const struct blkback_dev *d);
/* True if a connected ring has requests not taken yet (no side effect). */
bool blkback_dev_pending(struct blkback_dev *d);
/*
 * Spins up to BLKBACK_POLL_NS until one of the @n devices @dev(i, arg)
 * names (NULL: none at i) has requests pending; true if one does.
 */
bool blkback_poll(struct blkback_dev *(*dev)(unsigned int i, void *arg),
		  unsigned int n, void *arg);
/* CLOCK_MONOTONIC in ns. */
long long blkback_mono_ns(void);

/*
 * io.c, a request's way: parse the local copy @slot (a BLKIF_RSP_* status
 * other than 0 is the answer), prepare (map its pages; same), perform
 * (any thread: touches only the backing file and @j), release (unmap).
 * Parse, prepare and release run on the serving thread.
 */
int blkback_parse(struct blkback_dev *d, const union blkif_request_any *slot,
		  struct blkback_req *req);
int blkback_prepare(struct blkback_dev *d, struct blkback_job *j);
int blkback_perform(const struct blkback_dev *d, struct blkback_job *j);
void blkback_release(struct blkback_dev *d, struct blkback_job *j);
/* Flush, barrier and discard run alone, after every request before them
 * has been performed. */
bool blkback_ordered(const struct blkback_req *req);
/* io.c: unmaps every persistent grant (the device disconnects). */
void blkback_pgrants_drop(struct blkback_dev *d);

/*
 * pool.c: @threads (2..BLKBACK_MAX_THREADS) run jobs: the caller and
 * threads - 1 helpers; NULL if no helper could be started.
 * blkback_pool_run() calls @fn(@arg, i) for every i < @nr_jobs, spread
 * over them, and returns when all are done (a NULL pool: the caller
 * alone). blkback_threads_default(): one per online CPU, at most 4.
 */
struct blkback_pool *blkback_pool_create(unsigned int threads);
void blkback_pool_destroy(struct blkback_pool *p);
void blkback_pool_run(struct blkback_pool *p, unsigned int nr_jobs,
		      void (*fn)(void *arg, unsigned int i), void *arg);
unsigned int blkback_threads_default(void);

/* ---- xenbus.c: one backend directory -------------------------------- */
struct xb;

struct blkback_vbd {
	struct xb *xb;
	struct xenv *env;
	char bpath[128];
	char fpath[128];
	char params[256];
	xenv_domid_t fe;
	struct blkback_cfg cfg;
	enum xenbus_state state;
	bool has_order;
	bool dead; /* failed to open: ignored until removed */
	struct blkback_dev dev;
};

/*
 * Read the toolstack's keys under @bpath, open the disk, publish features
 * and go InitWait. Errors: -EINVAL keys missing or malformed (the vbd is
 * incomplete: try again on the next change), open errors (an "error" node
 * is written and the back end goes Closing).
 */
int blkback_vbd_probe(struct blkback_vbd *v, struct xb *xb, struct xenv *e,
		      const char *bpath, const struct blkback_cfg *tmpl);
/* React to a state change of either end; 1 when the toolstack removed
 * the device (the caller then calls blkback_vbd_remove). */
int blkback_vbd_changed(struct blkback_vbd *v);
/* Serve pending rings; a protocol violation closes the device. */
int blkback_vbd_service(struct blkback_vbd *v);
void blkback_vbd_remove(struct blkback_vbd *v);

/* ---- daemon.c: every vbd of this domain ------------------------------- */
#define BLKBACK_MAX_VBDS 32U

struct blkback_daemon {
	struct xenv *env;
	struct xb xb;
	struct blkback_cfg tmpl;
	char root[64];
	struct blkback_vbd *vbd[BLKBACK_MAX_VBDS];
};

/* Connect to xenstore and watch our backend/vbd tree. -errno. */
int blkback_daemon_init(struct blkback_daemon *bd, struct xenv *e,
			const struct blkback_cfg *tmpl);
/* Serve until @stop_fd becomes readable (or forever if -1). */
int blkback_daemon_run(struct blkback_daemon *bd, int stop_fd);
void blkback_daemon_fini(struct blkback_daemon *bd);

#endif
