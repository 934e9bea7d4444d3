// SPDX-License-Identifier: MIT
/*
 * Block integration tests on the host: blkfront (this process, domain 1)
 * against blkback (a forked domain 0) over the host transport. Covers
 * data integrity (1 GiB mixed random I/O against a reference copy), flush,
 * discard, read-only disks, several devices and rings at once, and a back
 * end restart. Bad input is in test_blk_bad.c, the handshake in
 * test_xenbus.c.
 */
#include <errno.h>
#include <fcntl.h>
#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>
#include <CUnit/Basic.h>
#include "harness.h"
#include "tests.h"

struct blk_fixture fx;

int fx_setup(uint64_t disk_bytes, const struct blkback_cfg *tmpl,
	     unsigned int nq, unsigned int order)
{
	int rc;

	memset(&fx, 0, sizeof(fx));
	fx.w = xenv_world_create(3, H_MEM_PAGES);
	if (!fx.w)
		return -errno;
	fx.fe = xenv_host_open(fx.w, 1);
	if (!fx.fe)
		return -errno;
	rc = h_make_disk(fx.path, sizeof(fx.path), disk_bytes);
	if (rc)
		return rc;
	fx.cfg = *tmpl;
	fx.cfg.path = fx.path;
	rc = h_backend_start(&fx.hb, fx.w);
	if (rc)
		return rc;
	return h_front_connect(&fx.hb, fx.fe, 0, &fx.cfg, nq, order, &fx.bf);
}

int fx_teardown(void)
{
	int rc;

	blkfront_fini(&fx.bf);
	rc = h_backend_stop(&fx.hb);
	xenv_close(fx.fe);
	xenv_world_destroy(fx.w);
	unlink(fx.path);
	return rc;
}

/* As Linux's blkfront negotiates with us: persistent grants in use.
 * Three threads perform requests: batches in parallel, even on 2 CPUs. */
const struct blkback_cfg default_cfg = {
    .max_queues = 4,
    .max_ring_order = 4,
    .max_indirect = 256,
    .discard = true,
    .persistent = true,
    .threads = 3,
};

/* ---- 1 GiB of mixed random I/O ---------------------------------------- */

#define MIX_DEPTH 8U
#define MIX_DISK (64ULL << 20)
#define MIX_BUF_PAGES 258U

struct mix_op {
	struct blkfront_io io;
	uint8_t *buf;
	uint64_t off, len;
	bool busy, write;
};

static uint8_t *mix_ref;
static uint64_t mix_bad, mix_done_bytes;

static void mix_done(struct blkfront_io *io)
{
	struct mix_op *op = io->arg;

	if (io->status != BLKIF_RSP_OKAY ||
	    (!op->write && memcmp(op->buf, mix_ref + op->off, op->len)))
		mix_bad++;
	mix_done_bytes += op->len;
	op->busy = false;
}

static uint64_t rnd(uint64_t *s)
{
	*s ^= *s << 13;
	*s ^= *s >> 7;
	*s ^= *s << 17;
	return *s;
}

static bool overlaps(const struct mix_op *ops, uint64_t off, uint64_t len)
{
	unsigned int i;

	for (i = 0; i < MIX_DEPTH; i++)
		if (ops[i].busy && off < ops[i].off + ops[i].len &&
		    ops[i].off < off + len)
			return true;
	return false;
}

static int wait_some(void)
{
	int rc;

	blkfront_kick(&fx.bf, 0);
	blkfront_kick(&fx.bf, 1);
	rc = blkfront_poll(&fx.bf);

	if (rc == 0)
		rc = xenv_evtchn_wait(fx.fe, 5000) == 0 ? -ETIMEDOUT : 0;
	return rc < 0 ? rc : 0;
}

static int mix_submit(struct mix_op *ops, struct mix_op *op, unsigned int q,
		      uint64_t *seed)
{
	uint64_t sectors = rnd(seed) % 2048 + 1;

	op->len = sectors * 512;
	op->off = (rnd(seed) % (MIX_DISK / 512 - sectors)) * 512;
	op->write = rnd(seed) & 1;
	while (overlaps(ops, op->off, op->len))
		if (wait_some())
			return -ETIMEDOUT;
	if (op->write) {
		h_fill(op->buf, op->len, rnd(seed));
		memcpy(mix_ref + op->off, op->buf, op->len);
	}
	op->busy = true;
	return blkfront_submit(&fx.bf, q,
			       op->write ? BLKIF_OP_WRITE : BLKIF_OP_READ,
			       op->off / 512, op->buf, op->len, &op->io);
}

static void mixed_1g(unsigned int threads)
{
	struct blkback_cfg cfg = default_cfg;
	struct mix_op ops[MIX_DEPTH];
	uint64_t seed = 12345, issued = 0;
	unsigned int i;
	int fd;

	cfg.threads = threads;
	CU_ASSERT_FATAL(fx_setup(MIX_DISK, &cfg, 2, 2) == 0);
	mix_ref = malloc(MIX_DISK);
	CU_ASSERT_FATAL(mix_ref != NULL);
	fd = open(fx.path, O_RDONLY);
	CU_ASSERT_FATAL(pread(fd, mix_ref, MIX_DISK, 0) == (ssize_t)MIX_DISK);
	mix_bad = mix_done_bytes = 0;
	memset(ops, 0, sizeof(ops));
	for (i = 0; i < MIX_DEPTH; i++) {
		/* Sub-page start: exercises first_sect != 0. */
		ops[i].buf = (uint8_t *)xenv_alloc_pages(fx.fe, MIX_BUF_PAGES) +
			     (i % 8) * 512;
		ops[i].io.done = mix_done;
		ops[i].io.arg = &ops[i];
	}
	while (issued < (1ULL << 30)) {
		for (i = 0; i < MIX_DEPTH && issued < (1ULL << 30); i++) {
			int rc;

			if (ops[i].busy)
				continue;
			rc = mix_submit(ops, &ops[i], i % 2, &seed);
			if (rc)
				fprintf(stderr, "submit: %d\n", rc);
			CU_ASSERT_FATAL(rc == 0);
			issued += ops[i].len;
		}
		blkfront_kick(&fx.bf, 0);
		blkfront_kick(&fx.bf, 1);
		CU_ASSERT_FATAL(wait_some() == 0);
	}
	for (i = 0; i < MIX_DEPTH; i++)
		while (ops[i].busy)
			CU_ASSERT_FATAL(wait_some() == 0);
	CU_ASSERT_EQUAL(mix_bad, 0);
	CU_ASSERT(mix_done_bytes >= (1ULL << 30));
	fprintf(stderr, " [%llu MiB] ",
		(unsigned long long)(mix_done_bytes >> 20));
	/* The backing file itself must equal the reference. */
	{
		uint8_t *disk = malloc(MIX_DISK);

		CU_ASSERT_FATAL(pread(fd, disk, MIX_DISK, 0) ==
				(ssize_t)MIX_DISK);
		CU_ASSERT(memcmp(disk, mix_ref, MIX_DISK) == 0);
		free(disk);
	}
	close(fd);
	free(mix_ref);
	CU_ASSERT_EQUAL(fx_teardown(), 0);
}

static void test_mixed_1g(void)
{
	mixed_1g(default_cfg.threads);
}

static void test_mixed_1g_alone(void)
{
	mixed_1g(1);
}

/* ---- The pool that performs a batch -------------------------------- */

struct pool_probe {
	_Atomic unsigned int runs[BLKBACK_BATCH];
	_Atomic unsigned int on_helper;
	pthread_t caller;
};

static void pool_job(void *arg, unsigned int i)
{
	struct pool_probe *pp = arg;
	long long until = blkback_mono_ns() + 2000;

	pp->runs[i]++;
	if (!pthread_equal(pthread_self(), pp->caller))
		pp->on_helper++;
	while (blkback_mono_ns() < until) /* as long as a 4 KiB read */
		;
}

static void test_pool(void)
{
	struct blkback_pool *p = blkback_pool_create(3);
	struct pool_probe pp = {.caller = pthread_self()};
	unsigned int b, i, n, wrong = 0;

	CU_ASSERT_FATAL(p != NULL);
	CU_ASSERT(blkback_pool_create(1) == NULL);
	CU_ASSERT(blkback_pool_create(BLKBACK_MAX_THREADS + 1) == NULL);
	for (b = 0; b < 20000; b++) {
		n = b % (BLKBACK_BATCH + 1);
		for (i = 0; i < BLKBACK_BATCH; i++)
			pp.runs[i] = 0;
		blkback_pool_run(p, n, pool_job, &pp);
		for (i = 0; i < BLKBACK_BATCH; i++)
			wrong += pp.runs[i] != (i < n);
	}
	CU_ASSERT_EQUAL(wrong, 0); /* every job once, none outside */
	CU_ASSERT(pp.on_helper > 0);
	blkback_pool_destroy(p);
	/* Destroyed before its helpers ever ran: they must still end. */
	for (i = 0; i < 300; i++)
		blkback_pool_destroy(blkback_pool_create(3));
}

/* ---- Flush, discard, read-only ---------------------------------------- */

static void test_flush_discard(void)
{
	uint8_t *buf;
	struct stat st;

	CU_ASSERT_FATAL(fx_setup(4 << 20, &default_cfg, 1, 0) == 0);
	buf = xenv_alloc_pages(fx.fe, 16);
	memset(buf, 0xab, 65536);
	CU_ASSERT_EQUAL(
	    blkfront_io_sync(&fx.bf, 0, BLKIF_OP_WRITE, 128, buf, 65536), 0);
	CU_ASSERT_EQUAL(
	    blkfront_io_sync(&fx.bf, 0, BLKIF_OP_FLUSH_DISKCACHE, 0, NULL, 0),
	    0);
	/* Discard 32 KiB in the middle: reads back as zeroes. */
	CU_ASSERT_EQUAL(
	    blkfront_io_sync(&fx.bf, 0, BLKIF_OP_DISCARD, 136, NULL, 32768), 0);
	memset(buf, 0x11, 65536);
	CU_ASSERT_EQUAL(
	    blkfront_io_sync(&fx.bf, 0, BLKIF_OP_READ, 128, buf, 65536), 0);
	CU_ASSERT_EQUAL(buf[0], 0xab);
	CU_ASSERT_EQUAL(buf[4095], 0xab);
	CU_ASSERT_EQUAL(buf[4096], 0);
	CU_ASSERT_EQUAL(buf[4096 + 32767], 0);
	CU_ASSERT_EQUAL(buf[4096 + 32768], 0xab);
	CU_ASSERT_EQUAL(stat(fx.path, &st), 0);
	CU_ASSERT_EQUAL(st.st_size, 4 << 20);
	CU_ASSERT_EQUAL(fx_teardown(), 0);
}

static void test_discard_off(void)
{
	struct blkback_cfg cfg = default_cfg;

	cfg.discard = false;
	CU_ASSERT_FATAL(fx_setup(1 << 20, &cfg, 1, 0) == 0);
	CU_ASSERT_EQUAL(
	    blkfront_io_sync(&fx.bf, 0, BLKIF_OP_DISCARD, 0, NULL, 4096),
	    -EOPNOTSUPP);
	CU_ASSERT_EQUAL(fx_teardown(), 0);
}

static void test_readonly(void)
{
	struct blkback_cfg cfg = default_cfg;
	uint8_t *buf, before[4096];
	int fd;

	cfg.readonly = true;
	CU_ASSERT_FATAL(fx_setup(1 << 20, &cfg, 1, 0) == 0);
	fd = open(fx.path, O_RDONLY);
	CU_ASSERT(pread(fd, before, 4096, 0) == 4096);
	buf = xenv_alloc_pages(fx.fe, 1);
	memset(buf, 0xee, 4096);
	CU_ASSERT_EQUAL(
	    blkfront_io_sync(&fx.bf, 0, BLKIF_OP_WRITE, 0, buf, 4096), -EIO);
	CU_ASSERT_EQUAL(
	    blkfront_io_sync(&fx.bf, 0, BLKIF_OP_DISCARD, 0, NULL, 4096), -EIO);
	CU_ASSERT_EQUAL(
	    blkfront_io_sync(&fx.bf, 0, BLKIF_OP_READ, 0, buf, 4096), 0);
	CU_ASSERT(memcmp(buf, before, 4096) == 0);
	CU_ASSERT_EQUAL(
	    blkfront_io_sync(&fx.bf, 0, BLKIF_OP_FLUSH_DISKCACHE, 0, NULL, 0),
	    0);
	close(fd);
	CU_ASSERT_EQUAL(fx_teardown(), 0);
}

/* ---- Several devices, rings and guests at once ----------------------- */

/* Write then verify @n chunks on every queue of @bf. */
static int rw_verify(struct xenv *e, struct blkfront *bf, uint64_t seed,
		     unsigned int n)
{
	uint8_t *w = xenv_alloc_pages(e, 16), *r = xenv_alloc_pages(e, 16);
	unsigned int i, q;
	int rc;

	for (i = 0; i < n; i++) {
		q = i % bf->nr_queues;
		h_fill(w, 65536, seed + i);
		rc = blkfront_io_sync(bf, q, BLKIF_OP_WRITE, i * 128, w, 65536);
		if (!rc)
			rc = blkfront_io_sync(bf, (q + 1) % bf->nr_queues,
					      BLKIF_OP_READ, i * 128, r, 65536);
		if (rc)
			return rc;
		if (memcmp(w, r, 65536))
			return -EILSEQ;
	}
	return 0;
}

static void test_multi(void)
{
	struct blkfront bf2;
	char path2[64];
	struct blkback_cfg cfg2 = default_cfg;
	pid_t pid;
	int st = -1;

	CU_ASSERT_FATAL(fx_setup(8 << 20, &default_cfg, 4, 1) == 0);
	CU_ASSERT_FATAL(h_make_disk(path2, sizeof(path2), 8 << 20) == 0);
	cfg2.path = path2;
	cfg2.persistent = false;	/* grants mapped per request */
	pid = fork();
	if (pid == 0) {
		/* A second guest, domain 2, on device 1 with 2 rings. */
		struct xenv *e2 = xenv_host_open(fx.w, 2);

		if (!e2 || h_front_connect(&fx.hb, e2, 1, &cfg2, 2, 0, &bf2))
			_exit(2);
		_exit(rw_verify(e2, &bf2, 777, 64) ? 1 : 0);
	}
	CU_ASSERT_EQUAL(rw_verify(fx.fe, &fx.bf, 1, 64), 0);
	waitpid(pid, &st, 0);
	CU_ASSERT(WIFEXITED(st) && WEXITSTATUS(st) == 0);
	unlink(path2);
	CU_ASSERT_EQUAL(fx_teardown(), 0);
}

/* A guest that keeps its ring full must not starve another device. */
static void flood_done(struct blkfront_io *io)
{
	*(bool *)io->arg = false;
}

static void test_flood_fairness(void)
{
	struct blkfront bf2;
	struct blkback_cfg cfg2 = default_cfg;
	uint8_t *buf = NULL;
	char path2[64];
	pid_t pid;
	int st = -1, i;

	CU_ASSERT_FATAL(fx_setup(8 << 20, &default_cfg, 1, 0) == 0);
	CU_ASSERT_FATAL(h_make_disk(path2, sizeof(path2), 1 << 20) == 0);
	cfg2.path = path2;
	pid = fork();
	if (pid == 0) {
		/* Domain 2 on device 1: 32 reads in flight for 1.5 s. */
		struct xenv *e2 = xenv_host_open(fx.w, 2);
		struct blkfront_io io[32];
		bool busy[32] = {false};
		time_t end = time(NULL) + 2;

		if (!e2 || h_front_connect(&fx.hb, e2, 1, &cfg2, 1, 0, &bf2))
			_exit(2);
		buf = xenv_alloc_pages(e2, 32);
		while (time(NULL) < end) {
			for (i = 0; i < 32; i++) {
				if (busy[i])
					continue;
				io[i].done = flood_done;
				io[i].arg = &busy[i];
				busy[i] = !blkfront_submit(
				    &bf2, 0, BLKIF_OP_READ, 0, buf + i * 4096,
				    4096, &io[i]);
			}
			blkfront_kick(&bf2, 0);
			if (blkfront_poll(&bf2) == 0)
				blkfront_wait(&bf2, 100);
		}
		_exit(0);
	}
	usleep(300000);
	/* Meanwhile 50 synchronous reads on device 0 all get answers. */
	buf = xenv_alloc_pages(fx.fe, 1);
	for (i = 0; i < 50; i++)
		CU_ASSERT_EQUAL_FATAL(blkfront_io_sync(&fx.bf, 0, BLKIF_OP_READ,
						       (uint64_t)i * 8, buf,
						       4096),
				      0);
	waitpid(pid, &st, 0);
	CU_ASSERT(WIFEXITED(st) && WEXITSTATUS(st) == 0);
	unlink(path2);
	CU_ASSERT_EQUAL(fx_teardown(), 0);
}

/* ---- Back end restart -------------------------------------------------- */

static void test_restart(void)
{
	uint8_t *buf = NULL, *r;
	struct blkfront_io io;
	unsigned int i;

	CU_ASSERT_FATAL(fx_setup(8 << 20, &default_cfg, 1, 0) == 0);
	buf = xenv_alloc_pages(fx.fe, 16);
	r = xenv_alloc_pages(fx.fe, 16);
	for (i = 0; i < 32; i++) {
		h_fill(buf, 65536, 900 + i);
		CU_ASSERT_FATAL(blkfront_io_sync(&fx.bf, 0, BLKIF_OP_WRITE,
						 i * 128, buf, 65536) == 0);
	}
	/* One more write in flight (not acknowledged) when the back end dies.
	 */
	memset(&io, 0, sizeof(io));
	blkfront_submit(&fx.bf, 0, BLKIF_OP_WRITE, 64 * 128, buf, 65536, &io);
	blkfront_kick(&fx.bf, 0);
	h_backend_kill(&fx.hb);
	blkfront_fini(&fx.bf);
	CU_ASSERT_FATAL(h_backend_start(&fx.hb, fx.w) == 0);
	CU_ASSERT_FATAL(
	    h_front_connect(&fx.hb, fx.fe, 0, &fx.cfg, 1, 0, &fx.bf) == 0);
	for (i = 0; i < 32; i++) {
		h_fill(buf, 65536, 900 + i);
		CU_ASSERT(blkfront_io_sync(&fx.bf, 0, BLKIF_OP_READ, i * 128, r,
					   65536) == 0);
		CU_ASSERT(memcmp(buf, r, 65536) == 0);
	}
	CU_ASSERT_EQUAL(fx_teardown(), 0);
}

int main(void)
{
	CU_pSuite s;
	unsigned int fails;

	if (CU_initialize_registry() != CUE_SUCCESS)
		return 2;
	s = CU_add_suite("blk", NULL, NULL);
	CU_add_test(s, "pool: each job of a batch once", test_pool);
	CU_add_test(s, "1 GiB mixed random I/O vs reference", test_mixed_1g);
	CU_add_test(s, "1 GiB mixed, serving thread alone", test_mixed_1g_alone);
	CU_add_test(s, "flush and discard", test_flush_discard);
	CU_add_test(s, "discard not offered", test_discard_off);
	CU_add_test(s, "read-only disk", test_readonly);
	CU_add_test(s, "two guests, two devices, 6 rings", test_multi);
	CU_add_test(s, "back end restart keeps acked writes", test_restart);
	CU_add_test(s, "a flooding guest does not starve another",
		    test_flood_fairness);
	blk_bad_suite();
	blk_dev_suite();
	CU_basic_set_mode(CU_BRM_VERBOSE);
	CU_basic_run_tests();
	fails = CU_get_number_of_failures() + CU_get_number_of_tests_failed();
	CU_cleanup_registry();
	return fails ? 1 : 0;
}
