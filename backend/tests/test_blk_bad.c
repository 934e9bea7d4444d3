// SPDX-License-Identifier: MIT
/*
 * Bad input between blkfront and blkback: hand-made ring slots from a
 * hostile front end (bad ops, segments, ranges, grants, indirect pages,
 * producer overflow, requests after close, slots changing while read),
 * and a hostile back end's responses to blkfront. The back end must
 * answer with the protocol's error or drop the ring, keep serving other
 * devices, and never touch the backing file or ungranted memory.
 */
#include <errno.h>
#include <fcntl.h>
#include <pthread.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include <CUnit/Basic.h>
#include "tests.h"

#define BAD_DISK (4U << 20)
static uint8_t *disk_before;

/* Put @slot on queue 0 as a request of ours; returns its status or 1. */
static int inject(const union blkif_request_any *slot, int wait_ms)
{
	struct blkfront_queue *q = &fx.bf.q[0];
	struct blkfront_io io = {.pending = 1, .status = 0};
	union blkif_request_any s = *slot;
	uint16_t id = q->free_ids[--q->nr_free];
	int t;

	s.rw.id = id; /* id sits at offset 8 in every variant */
	q->shadow[id].busy = true;
	q->shadow[id].io = &io;
	q->shadow[id].op = s.rw.operation == BLKIF_OP_INDIRECT
				   ? s.indirect.indirect_op
				   : s.rw.operation;
	memcpy(ring_front_next_req(&q->r), &s, sizeof(s));
	blkfront_kick(&fx.bf, 0);
	for (t = 0; t < wait_ms / 10 && io.pending; t++) {
		if (blkfront_poll(&fx.bf) < 0)
			return 2;
		if (io.pending)
			xenv_evtchn_wait(fx.fe, 10);
	}
	if (io.pending) {
		/* Unanswered: forget the slot so the fixture stays sane. */
		q->shadow[id].busy = false;
		q->free_ids[q->nr_free++] = id;
		return 1;
	}
	return io.status;
}

static union blkif_request_any rw_req(uint8_t op, uint64_t sector,
				      grant_ref_t g, uint8_t nseg)
{
	union blkif_request_any s;
	unsigned int i;

	memset(&s, 0, sizeof(s));
	s.rw.operation = op;
	s.rw.nr_segments = nseg;
	s.rw.sector_number = sector;
	for (i = 0; i < BLKIF_MAX_SEGMENTS_PER_REQUEST; i++) {
		s.rw.seg[i].gref = g;
		s.rw.seg[i].last_sect = 7;
	}
	return s;
}

static grant_ref_t page_ref(void **page, unsigned int flags)
{
	grant_ref_t ref = 0;

	*page = xenv_alloc_pages(fx.fe, 1);
	xenv_grant(fx.fe, 0, *page, flags, &ref);
	return ref;
}

static int bad_init(void)
{
	int fd;

	if (fx_setup(BAD_DISK, &default_cfg, 1, 0))
		return 1;
	disk_before = malloc(BAD_DISK);
	fd = open(fx.path, O_RDONLY);
	if (!disk_before || pread(fd, disk_before, BAD_DISK, 0) != BAD_DISK)
		return 1;
	close(fd);
	return 0;
}

static int bad_clean(void)
{
	uint8_t *now = malloc(BAD_DISK);
	int fd = open(fx.path, O_RDONLY), same;

	same = now && pread(fd, now, BAD_DISK, 0) == BAD_DISK &&
	       !memcmp(now, disk_before, BAD_DISK);
	close(fd);
	free(now);
	free(disk_before);
	if (fx_teardown())
		return 1;
	/* The backing file is untouched by everything in this suite. */
	return same ? 0 : 1;
}

static void test_bad_ops(void)
{
	void *pg;
	grant_ref_t g = page_ref(&pg, 0);
	union blkif_request_any s = rw_req(BLKIF_OP_RESERVED_1, 0, g, 1);

	CU_ASSERT_EQUAL(inject(&s, 2000), BLKIF_RSP_EOPNOTSUPP);
	s.rw.operation = 7;
	CU_ASSERT_EQUAL(inject(&s, 2000), BLKIF_RSP_EOPNOTSUPP);
	s.rw.operation = 255;
	CU_ASSERT_EQUAL(inject(&s, 2000), BLKIF_RSP_EOPNOTSUPP);
	/* The ring still works for a good request. */
	s = rw_req(BLKIF_OP_READ, 0, g, 1);
	CU_ASSERT_EQUAL(inject(&s, 2000), BLKIF_RSP_OKAY);
}

static void test_bad_segments(void)
{
	void *pg;
	grant_ref_t g = page_ref(&pg, 0);
	union blkif_request_any s = rw_req(BLKIF_OP_READ, 0, g, 0);

	CU_ASSERT_EQUAL(inject(&s, 2000), BLKIF_RSP_ERROR);
	s.rw.nr_segments = 12;
	CU_ASSERT_EQUAL(inject(&s, 2000), BLKIF_RSP_ERROR);
	s = rw_req(BLKIF_OP_WRITE, 0, g, 200);
	CU_ASSERT_EQUAL(inject(&s, 2000), BLKIF_RSP_ERROR);
	s = rw_req(BLKIF_OP_WRITE, 0, g, 2);
	s.rw.seg[1].first_sect = 5;
	s.rw.seg[1].last_sect = 4;
	CU_ASSERT_EQUAL(inject(&s, 2000), BLKIF_RSP_ERROR);
	s.rw.seg[1].first_sect = 0;
	s.rw.seg[1].last_sect = 8; /* past the page */
	CU_ASSERT_EQUAL(inject(&s, 2000), BLKIF_RSP_ERROR);
	s.rw.seg[1].first_sect = 200;
	s.rw.seg[1].last_sect = 255;
	CU_ASSERT_EQUAL(inject(&s, 2000), BLKIF_RSP_ERROR);
}

static void test_bad_ranges(void)
{
	void *pg;
	grant_ref_t g = page_ref(&pg, 0);
	uint64_t n = BAD_DISK / 512;
	union blkif_request_any s = rw_req(BLKIF_OP_WRITE, n, g, 1);

	CU_ASSERT_EQUAL(inject(&s, 2000), BLKIF_RSP_ERROR);
	s.rw.sector_number = n - 7; /* 8 sectors, one past the end */
	CU_ASSERT_EQUAL(inject(&s, 2000), BLKIF_RSP_ERROR);
	s.rw.sector_number = UINT64_MAX - 3; /* wraps if added naively */
	CU_ASSERT_EQUAL(inject(&s, 2000), BLKIF_RSP_ERROR);
	memset(&s, 0, sizeof(s));
	s.discard.operation = BLKIF_OP_DISCARD;
	s.discard.sector_number = n - 1;
	s.discard.nr_sectors = 2;
	CU_ASSERT_EQUAL(inject(&s, 2000), BLKIF_RSP_ERROR);
	s.discard.sector_number = 8;
	s.discard.nr_sectors = UINT64_MAX - 4;
	CU_ASSERT_EQUAL(inject(&s, 2000), BLKIF_RSP_ERROR);
	s = rw_req(BLKIF_OP_READ, n - 8, g, 1); /* last page: fine */
	CU_ASSERT_EQUAL(inject(&s, 2000), BLKIF_RSP_OKAY);
}

static void test_bad_grants(void)
{
	void *pg, *other;
	grant_ref_t ro = page_ref(&pg, XENV_GRANT_RO), not_ours = 0;
	union blkif_request_any s = rw_req(BLKIF_OP_READ, 0, 99999, 1);

	CU_ASSERT_EQUAL(inject(&s, 2000), BLKIF_RSP_ERROR);
	s.rw.seg[0].gref = 5000; /* never granted */
	CU_ASSERT_EQUAL(inject(&s, 2000), BLKIF_RSP_ERROR);
	s.rw.seg[0].gref = 0; /* reserved */
	CU_ASSERT_EQUAL(inject(&s, 2000), BLKIF_RSP_ERROR);
	other = xenv_alloc_pages(fx.fe, 1);
	xenv_grant(fx.fe, 2, other, 0, &not_ours); /* for domain 2 */
	s.rw.seg[0].gref = not_ours;
	CU_ASSERT_EQUAL(inject(&s, 2000), BLKIF_RSP_ERROR);
	/* A read must write into the page: a read-only grant is refused
	 * and the page stays as it was. */
	memset(pg, 0x77, 4096);
	s.rw.seg[0].gref = ro;
	CU_ASSERT_EQUAL(inject(&s, 2000), BLKIF_RSP_ERROR);
	CU_ASSERT_EQUAL(((uint8_t *)pg)[0], 0x77);
	CU_ASSERT_EQUAL(((uint8_t *)pg)[4095], 0x77);
	/* Segment 2 bad after a good segment 1: nothing is read. */
	s = rw_req(BLKIF_OP_READ, 0, not_ours, 2);
	s.rw.seg[0].gref = page_ref(&other, 0);
	memset(other, 0x66, 4096);
	CU_ASSERT_EQUAL(inject(&s, 2000), BLKIF_RSP_ERROR);
	CU_ASSERT_EQUAL(((uint8_t *)other)[0], 0x66);
}

static void test_bad_indirect(void)
{
	void *ind, *pg;
	grant_ref_t gi = page_ref(&ind, XENV_GRANT_RO), g = page_ref(&pg, 0);
	struct blkif_request_segment *d = ind;
	union blkif_request_any s;
	unsigned int i;

	for (i = 0; i < 512; i++) {
		d[i].gref = g;
		d[i].last_sect = 7;
	}
	memset(&s, 0, sizeof(s));
	s.indirect.operation = BLKIF_OP_INDIRECT;
	s.indirect.indirect_op = BLKIF_OP_READ;
	s.indirect.nr_segments = 16;
	s.indirect.indirect_grefs[0] = gi;
	CU_ASSERT_EQUAL(inject(&s, 2000), BLKIF_RSP_OKAY);
	s.indirect.indirect_op = BLKIF_OP_FLUSH_DISKCACHE;
	CU_ASSERT_EQUAL(inject(&s, 2000), BLKIF_RSP_ERROR);
	s.indirect.indirect_op = BLKIF_OP_READ;
	s.indirect.nr_segments = 0;
	CU_ASSERT_EQUAL(inject(&s, 2000), BLKIF_RSP_ERROR);
	s.indirect.nr_segments = 257; /* above feature-max-indirect */
	CU_ASSERT_EQUAL(inject(&s, 2000), BLKIF_RSP_ERROR);
	s.indirect.nr_segments = 65535;
	CU_ASSERT_EQUAL(inject(&s, 2000), BLKIF_RSP_ERROR);
	s.indirect.nr_segments = 16;
	s.indirect.indirect_grefs[0] = 31000; /* ungranted */
	CU_ASSERT_EQUAL(inject(&s, 2000), BLKIF_RSP_ERROR);
	s.indirect.indirect_grefs[0] = gi;
	d[9].last_sect = 9; /* one bad descriptor */
	CU_ASSERT_EQUAL(inject(&s, 2000), BLKIF_RSP_ERROR);
	d[9].last_sect = 7;
	s.indirect.indirect_op = BLKIF_OP_WRITE;
	s.indirect.sector_number = BAD_DISK / 512 - 8; /* 16 pages: past */
	CU_ASSERT_EQUAL(inject(&s, 2000), BLKIF_RSP_ERROR);
}

/* Flip request fields in the shared slots while the back end reads. */
static volatile int flipping;

static void *flipper(void *arg)
{
	volatile uint8_t *slots = (uint8_t *)arg + RING_HDR_SIZE;
	unsigned int i = 0;

	while (flipping) {
		volatile union blkif_request_any *s =
		    (volatile void *)(slots + (i++ % 32) * BLKIF_SLOT_SIZE);
		/* Bytes 0-15 become the response: leave them alone. */
		s->rw.sector_number ^= 0x7fffffffffffULL;
		s->rw.seg[0].last_sect ^= 0x0e;
		s->rw.seg[0].gref ^= 0x4000;
	}
	return NULL;
}

static void test_racing_slots(void)
{
	void *pg;
	grant_ref_t g = page_ref(&pg, XENV_GRANT_RO);
	union blkif_request_any s = rw_req(BLKIF_OP_READ, 0, g, 1);
	pthread_t t;
	int i, st, answered = 0;

	/* Reads into a read-only page: any variant the back end sees is
	 * refused or harmless, and it never writes to the disk beyond. */
	flipping = 1;
	pthread_create(&t, NULL, flipper, fx.bf.q[0].area);
	for (i = 0; i < 300; i++) {
		st = inject(&s, 1000);
		if (st == 2)
			break;
		answered += st != 1;
	}
	flipping = 0;
	pthread_join(t, NULL);
	CU_ASSERT(answered > 0);
	CU_ASSERT_EQUAL(((uint8_t *)pg)[0], 0);
}

static void test_overflow_and_close(void)
{
	struct blkfront bf2;
	uint64_t st[3];
	char path2[64];
	struct blkback_cfg cfg2 = default_cfg;
	uint8_t *buf;
	int i;

	/* A second device for the same guest keeps working throughout. */
	CU_ASSERT_FATAL(h_make_disk(path2, sizeof(path2), 1 << 20) == 0);
	cfg2.path = path2;
	CU_ASSERT_FATAL(h_front_connect(&fx.hb, fx.fe, 1, &cfg2, 1, 0, &bf2) ==
			0);
	buf = xenv_alloc_pages(fx.fe, 1);
	/* Producer runs a whole ring ahead of the responses. */
	fx.bf.q[0].r.sh->req_prod += 100;
	xenv_evtchn_notify(fx.fe, fx.bf.q[0].port);
	for (i = 0; i < 500; i++) {
		CU_ASSERT_EQUAL_FATAL(h_stats(&fx.hb, 0, st), 0);
		if (st[2])
			break;
		usleep(10000);
	}
	CU_ASSERT_EQUAL(st[2], 1); /* ring marked broken */
	CU_ASSERT_EQUAL(blkfront_io_sync(&bf2, 0, BLKIF_OP_READ, 0, buf, 4096),
			0);
	/* Requests after close: no answer, nothing done, no crash. */
	CU_ASSERT_EQUAL(h_detach(&fx.hb, 1), 0);
	{
		struct blkfront_io io = {0};

		CU_ASSERT_EQUAL(
		    blkfront_submit(&bf2, 0, BLKIF_OP_READ, 0, buf, 4096, &io),
		    0);
		blkfront_kick(&bf2, 0);
		usleep(200000);
		CU_ASSERT_EQUAL(blkfront_poll(&bf2), 0);
		CU_ASSERT_EQUAL(io.pending, 1);
	}
	CU_ASSERT_EQUAL(h_stats(&fx.hb, 0, st), 0); /* still alive */
	blkfront_fini(&bf2);
	unlink(path2);
}

/* A hostile back end: responses with ids we never used, or too many. */
static void test_bad_responses(void)
{
	struct xenv_world *w = xenv_world_create(2, 256);
	struct xenv *fe = xenv_host_open(w, 1), *be = xenv_host_open(w, 0);
	struct blkfront bf;
	struct blkfront_info info = {.sectors = 8, .sector_size = 512};
	struct ring_back r;
	struct blkif_response *rsp;
	void *area;

	CU_ASSERT_FATAL(blkfront_init(&bf, fe, 0, 1, 0) == 0);
	CU_ASSERT_FATAL(blkfront_start(&bf, &info) == 0);
	CU_ASSERT_FATAL(
	    xenv_map(be, 1, bf.q[0].ring_ref, 1, XENV_MAP_RW, &area) == 0);
	ring_back_init(&r, area, 0, BLKIF_SLOT_SIZE);
	/* A response with no request outstanding. */
	ring_back_next_rsp(&r);
	ring_back_push(&r);
	CU_ASSERT_EQUAL(blkfront_poll(&bf), -EPROTO);
	blkfront_fini(&bf);
	/* A response naming an id that is not in flight. */
	CU_ASSERT_FATAL(blkfront_init(&bf, fe, 0, 1, 0) == 0);
	CU_ASSERT_FATAL(blkfront_start(&bf, &info) == 0);
	CU_ASSERT_FATAL(
	    xenv_map(be, 1, bf.q[0].ring_ref, 1, XENV_MAP_RW, &area) == 0);
	ring_back_init(&r, area, 0, BLKIF_SLOT_SIZE);
	CU_ASSERT_EQUAL(
	    blkfront_io_sync(&bf, 0, BLKIF_OP_DISCARD, 0, NULL, 512),
	    -EOPNOTSUPP);
	info.flush = true;
	blkfront_start(&bf, &info);
	{
		struct blkfront_io io = {0};

		CU_ASSERT_EQUAL(blkfront_submit(&bf, 0,
						BLKIF_OP_FLUSH_DISKCACHE, 0,
						NULL, 0, &io),
				0);
		blkfront_kick(&bf, 0);
		r.req_cons++;
		rsp = ring_back_next_rsp(&r);
		rsp->id = 31; /* we used the top free id, 0 */
		ring_back_push(&r);
		CU_ASSERT_EQUAL(blkfront_poll(&bf), -EPROTO);
		CU_ASSERT_EQUAL(blkfront_submit(&bf, 0,
						BLKIF_OP_FLUSH_DISKCACHE, 0,
						NULL, 0, &io),
				-EPIPE);
	}
	blkfront_fini(&bf);
	xenv_close(fe);
	xenv_close(be);
	xenv_world_destroy(w);
}

void blk_bad_suite(void)
{
	CU_pSuite s = CU_add_suite("blk-bad-input", bad_init, bad_clean);

	CU_add_test(s, "unknown operations", test_bad_ops);
	CU_add_test(s, "segment counts and offsets", test_bad_segments);
	CU_add_test(s, "sector ranges past the disk", test_bad_ranges);
	CU_add_test(s, "grants that fail to map", test_bad_grants);
	CU_add_test(s, "indirect requests", test_bad_indirect);
	CU_add_test(s, "slots changing while read", test_racing_slots);
	CU_add_test(s, "producer overflow, requests after close",
		    test_overflow_and_close);
	s = CU_add_suite("blkfront-bad-backend", NULL, NULL);
	CU_add_test(s, "responses that were never requested",
		    test_bad_responses);
}
