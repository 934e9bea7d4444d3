// SPDX-License-Identifier: MIT
/*
 * blkfront: our block front end library (frontend/blkfront) in a PV
 * kernel, over the freestanding environment, against a RAM disk this
 * kernel serves itself on the other end of the ring: the ring page and
 * data pages granted to and mapped by its own domain, notifications over
 * a looped-back event channel. Direct, indirect and persistent-grant
 * requests, flush, answers a front end must refuse, and blkfront_wait's
 * poll-then-sleep on SCHEDOP_yield and SCHEDOP_poll.
 *
 * With "xenbus" on its command line it is instead a boot-time domU whose
 * disk dom0 serves (tests/linux run-pair: our blkback in Linux dom0): the
 * library's xenbus handshake over xs-free through dom0's xenstored, a
 * write and read back, the close; the outcome also goes to data/result.
 */
#include <errno.h>
#include <hvabi/io/blkif.h>
#include "../../../frontend/blkfront/blkfront-xb.h"
#include "../../../frontend/env/xs-free.h"
#include "../kenv/kenv.h"
#include "lib.h"
#include "mm.h"

TEST_CATEGORY(functional);

#define DISK_SECTORS 512 /* 256 KiB */
#define MAX_INDIRECT 32U /* as Linux's blkfront asks by default */

static struct xenv *e;
static struct blkfront bf;
static uint8_t disk[DISK_SECTORS * 512];

/* ---- The RAM disk on the ring's far end --------------------------------- */

static struct {
	struct ring_back r;
	void *area;
	evtchn_port_t port;
	unsigned int served, indirect;
	bool answer_bad_id; /* next answer names an id never sent */
} be;

/* Copy between the disk and each granted segment; a BLKIF_RSP_* status. */
static int do_segs(const struct blkif_request_segment *seg, unsigned int n,
		   uint64_t sector, bool write)
{
	for (unsigned int i = 0; i < n; i++) {
		unsigned int first = seg[i].first_sect, last = seg[i].last_sect;
		uint64_t len = (last - first + 1ULL) * 512;
		uint8_t *va;

		if (first > last || last > 7 || sector > DISK_SECTORS ||
		    (last - first + 1ULL) > DISK_SECTORS - sector)
			return BLKIF_RSP_ERROR;
		if (xenv_map(e, 0, &seg[i].gref, 1,
			     write ? XENV_MAP_RO : XENV_MAP_RW, (void **)&va))
			return BLKIF_RSP_ERROR;
		if (write)
			memcpy(disk + sector * 512, va + first * 512, len);
		else
			memcpy(va + first * 512, disk + sector * 512, len);
		xenv_unmap(e, va, 1);
		sector += last - first + 1;
	}
	return BLKIF_RSP_OKAY;
}

static int do_indirect(const struct blkif_request_indirect *in)
{
	struct blkif_request_segment seg[MAX_INDIRECT];
	unsigned int n = in->nr_segments;
	void *va;

	if (n == 0 || n > MAX_INDIRECT ||
	    xenv_map(e, 0, &in->indirect_grefs[0], 1, XENV_MAP_RO, &va))
		return BLKIF_RSP_ERROR;
	ring_copy_slot(seg, va, n * sizeof(seg[0]));
	xenv_unmap(e, va, 1);
	be.indirect++;
	return do_segs(seg, n, in->sector_number,
		       in->indirect_op == BLKIF_OP_WRITE);
}

static void answer(const union blkif_request_any *req)
{
	struct blkif_response *rsp = ring_back_next_rsp(&be.r);
	uint8_t op = req->rw.operation;
	int st;

	switch (op) {
	case BLKIF_OP_READ:
	case BLKIF_OP_WRITE:
		st = do_segs(req->rw.seg, req->rw.nr_segments,
			     req->rw.sector_number, op == BLKIF_OP_WRITE);
		break;
	case BLKIF_OP_INDIRECT:
		st = do_indirect(&req->indirect);
		op = req->indirect.indirect_op;
		break;
	case BLKIF_OP_FLUSH_DISKCACHE:
		st = BLKIF_RSP_OKAY;
		break;
	default:
		st = BLKIF_RSP_EOPNOTSUPP;
	}
	rsp->id = be.answer_bad_id ? req->rw.id ^ 0x5a5a0000 : req->rw.id;
	rsp->operation = op;
	rsp->status = (int16_t)st;
	be.served++;
}

/* Answer everything on the ring, as a back end woken by the event. */
static void serve(void)
{
	union blkif_request_any req;
	int n;

	while ((n = ring_back_final_check(&be.r)) > 0) {
		while (n-- > 0) {
			ring_copy_slot(&req, ring_back_req(&be.r, be.r.req_cons),
				       sizeof(req));
			be.r.req_cons++;
			answer(&req);
		}
		if (ring_back_push(&be.r))
			xenv_evtchn_notify(e, be.port);
	}
	CHECK(n == 0, "front end ring indexes broken");
}

/* ---- The front end ------------------------------------------------------ */

static unsigned int completed;

static void io_done(struct blkfront_io *io)
{
	(void)io;
	completed++;
}

/* Connect a fresh blkfront (order-0 ring) and the RAM disk behind it. */
static void connect(bool persistent)
{
	struct blkfront_info info = {
	    .sectors = DISK_SECTORS,
	    .sector_size = 512,
	    .flush = true,
	    .max_indirect = MAX_INDIRECT,
	    .max_queues = 1,
	    .persistent = persistent,
	};

	CHECK_RC(blkfront_init(&bf, e, 0, 1, 0), 0);
	CHECK_RC(xenv_map(e, 0, &bf.q[0].ring_ref[0], 1, XENV_MAP_RW,
			  &be.area),
		 0);
	ring_back_init(&be.r, be.area, 0, BLKIF_SLOT_SIZE);
	CHECK_RC(xenv_evtchn_bind(e, 0, bf.q[0].port, &be.port), 0);
	CHECK_RC(blkfront_start(&bf, &info), 0);
	/* Binding raised our new port (as Xen does): start from quiet. */
	xenv_evtchn_pending(e, be.port);
	xenv_evtchn_pending(e, bf.q[0].port);
	be.served = be.indirect = 0;
	be.answer_bad_id = false;
}

static void disconnect(void)
{
	xenv_evtchn_close(e, be.port);
	xenv_unmap(e, be.area, 1);
	blkfront_fini(&bf);
}

/* One I/O through the ring: submit, kick, serve, collect. Its status. */
static int io(uint8_t op, uint64_t sector, void *buf, uint64_t len)
{
	struct blkfront_io bio = {.done = io_done};
	unsigned int before = completed;

	CHECK_RC(blkfront_submit(&bf, 0, op, sector, buf, len, &bio), 0);
	blkfront_kick(&bf, 0);
	CHECK(xenv_evtchn_pending(e, be.port), "kick reached the back end");
	serve();
	CHECK_EQ(blkfront_wait(&bf, 1000), 1);
	CHECK(blkfront_poll(&bf) > 0, "responses collected");
	CHECK_EQ(completed, before + 1);
	return bio.status;
}

static void fill(uint8_t *p, uint64_t len, uint8_t seed)
{
	for (uint64_t i = 0; i < len; i++)
		p[i] = (uint8_t)(seed + i * 7 + (i >> 9));
}

/* Write @len bytes at @sector from a buffer starting @off into its
 * pages, read them back into another, compare with the disk too. */
static void roundtrip(uint64_t sector, uint64_t len, unsigned int off)
{
	unsigned int pages = (unsigned int)((off + len + 4095) / 4096);
	uint8_t *w = xenv_alloc_pages(e, pages), *r = xenv_alloc_pages(e, pages);

	CHECK(w && r, "buffers");
	fill(w + off, len, (uint8_t)sector);
	CHECK_EQ(io(BLKIF_OP_WRITE, sector, w + off, len), BLKIF_RSP_OKAY);
	CHECK(!memcmp(disk + sector * 512, w + off, len), "disk holds it");
	CHECK_EQ(io(BLKIF_OP_READ, sector, r + off, len), BLKIF_RSP_OKAY);
	CHECK(!memcmp(r + off, w + off, len), "read back what was written");
	xenv_free_pages(e, w, pages);
	xenv_free_pages(e, r, pages);
}

static void test_open(void)
{
	e = kenv_open();
	CHECK(e != NULL, "kenv_open: shared_info, events, grant table");
}

static void test_direct(void)
{
	connect(false);
	roundtrip(8, 4096, 0);
	roundtrip(100, 512, 1536); /* one sector in the middle of a page */
	roundtrip(200, 11 * 4096, 0);
	CHECK_EQ(be.indirect, 0);
	disconnect();
}

static void test_indirect(void)
{
	connect(false);
	roundtrip(16, 64 * 1024, 0);	/* 16 segments: one indirect */
	roundtrip(300, 20 * 4096, 512); /* 21 pages, unaligned */
	CHECK_EQ(be.indirect, 4);
	disconnect();
}

static void test_persistent(void)
{
	connect(true);
	for (unsigned int i = 0; i < 4; i++) {
		roundtrip(40 + i * 8, 4096, 0);
		roundtrip(64, 64 * 1024, 0);
	}
	disconnect();
}

static void test_flush(void)
{
	connect(false);
	CHECK_EQ(io(BLKIF_OP_FLUSH_DISKCACHE, 0, NULL, 0), BLKIF_RSP_OKAY);
	CHECK_RC(blkfront_submit(&bf, 0, BLKIF_OP_DISCARD, 0, NULL, 512,
				 &(struct blkfront_io){.done = io_done}),
		 -EOPNOTSUPP); /* not offered */
	disconnect();
}

/* A response whose id was never in flight: the device is broken. */
static void test_bad_answer(void)
{
	uint8_t *buf = xenv_alloc_pages(e, 1);
	struct blkfront_io bio = {.done = io_done};

	connect(false);
	be.answer_bad_id = true;
	CHECK_RC(blkfront_submit(&bf, 0, BLKIF_OP_READ, 0, buf, 4096, &bio),
		 0);
	blkfront_kick(&bf, 0);
	serve();
	CHECK_RC(blkfront_poll(&bf), -EPROTO);
	CHECK(bf.broken, "marked broken");
	CHECK_RC(blkfront_submit(&bf, 0, BLKIF_OP_READ, 0, buf, 4096, &bio),
		 -EPIPE);
	disconnect();
	xenv_free_pages(e, buf, 1);
}

/* Nothing in flight: polls (yielding), then sleeps until the timeout. */
static void test_wait_timeout(void)
{
	uint64_t t0;

	connect(false);
	t0 = pvclock_read();
	CHECK_EQ(blkfront_wait(&bf, 20), 0);
	CHECK(pvclock_read() - t0 >= 15000000ULL, "slept about 20 ms");
	disconnect();
}

/* ---- A domU's disk from dom0 -------------------------------------------- */

static struct xs_free xs;

static void store_notify(void *arg)
{
	(void)arg;
	evtchn_send_port(start_info->store_evtchn);
}

static int store_wait(void *arg, int ms)
{
	uint32_t port = start_info->store_evtchn;
	struct sched_poll p = {.ports = (uintptr_t)&port,
			       .nr_ports = 1,
			       .timeout = pvclock_read() + ms * 1000000ULL};

	(void)arg;
	if (!port_pending(port))
		hv_sched_op(SCHEDOP_poll, &p);
	if (!port_pending(port))
		return 0;
	port_clear(port);
	return 1;
}

/* As a bus driver does: the device is there once the toolstack wrote
 * it (both ends' keys in one transaction), which may be after we boot. */
static int wait_device(struct xb *xb, const char *fpath)
{
	long end = xb_now_ms(xb) + 60000;
	char bpath[128];
	int rc = xb_watch(xb, fpath, "device");

	while (!rc &&
	       xb_read_buf(xb, bpath, sizeof(bpath), "%s/backend", fpath) <= 0) {
		if (xb_now_ms(xb) >= end)
			rc = -ETIMEDOUT;
		else
			xb_wait(xb, 1000, NULL, 0);
	}
	xb_unwatch(xb, fpath, "device");
	return rc;
}

/* The handshake and one 64 KiB round trip; NULL or what went wrong. */
static const char *xenbus_disk(void)
{
	static struct xb xb;
	struct blkfront_xb fx = {.bf = &bf, .env = e, .xb = &xb};
	struct xenstore_domain_interface *intf =
	    mfn_to_virt(start_info->store_mfn);
	uint8_t *w = xenv_alloc_pages(e, 16), *r = xenv_alloc_pages(e, 16);
	static char why[48];
	char dom[16];
	int rc;

	if (!intf || !start_info->store_evtchn || !w || !r)
		return "no xenstore page, port or buffers";
	xs_free_init(&xs, intf, store_notify, store_wait, NULL);
	xs.timeout_ms = 300000; /* until dom0's xenstored takes us in */
	if (xs_free_read(&xs, "domid", dom, sizeof(dom)) <= 0)
		return "no domid from xenstore";
	xs.timeout_ms = 10000;
	xb_free_init(&xb, &xs, pvclock_read);
	snprintf(fx.fpath, sizeof(fx.fpath),
		 "/local/domain/%s/device/vbd/51712", dom);
	if (wait_device(&xb, fx.fpath))
		return "no device/vbd/51712 from the toolstack";
	rc = blkfront_xb_connect(&fx, 1, 0);
	if (rc) {
		snprintf(why, sizeof(why), "handshake: %d", rc);
		return why;
	}
	if (bf.info.sectors < 128)
		return "disk too small";
	fill(w, 65536, 0x42);
	if (blkfront_io_sync(&bf, 0, BLKIF_OP_WRITE, 0, w, 65536) ||
	    blkfront_io_sync(&bf, 0, BLKIF_OP_READ, 0, r, 65536))
		return "I/O";
	if (memcmp(w, r, 65536))
		return "read back differs";
	if (blkfront_xb_close(&fx))
		return "close";
	return NULL;
}

static void test_xenbus_disk(void)
{
	const char *why = xenbus_disk();

	if (why)
		fail("%s", why);
	/* dom0's test reads this (if xenstore got that far). */
	if (xs.intf)
		xs_free_write(&xs, "data/result", why ? why : "pass");
}

void test_main(void)
{
	run_case("open", test_open);
	if (!e)
		return;
	if (cmdline_has("xenbus"))
		return run_case("xenbus_disk", test_xenbus_disk);
	run_case("direct", test_direct);
	run_case("indirect", test_indirect);
	run_case("persistent", test_persistent);
	run_case("flush", test_flush);
	run_case("bad_answer", test_bad_answer);
	run_case("wait_timeout", test_wait_timeout);
}
