// SPDX-License-Identifier: MIT
/*
 * Block benchmark: blkfront (this process) to blkback (forked domain 0)
 * over the host transport, against pread/pwrite on the same file in one
 * process ("native"). Sequential 64 KiB and random 4 KiB, reads and
 * writes, queue depth 1 and 32; each case runs for a fixed time (in
 * alternating slices) on a page-cache-warm 256 MiB file. Prints BENCH lines. The back end
 * performs requests on as many threads as hv-backendd would.
 */
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>
#include "../tests/harness.h"

#define DISK (256ULL << 20)
/* Each case alternates native and ours in slices, so that neither pays
 * alone for the kernel's writeback of the other's dirty pages. */
#define RUN_NS 100000000LL
#define SLICES 4
#define MAX_QD 32U

struct bcase {
	const char *name;
	unsigned int bs;
	bool seq, write;
	unsigned int qd;
};

static long long now_ns(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return ts.tv_sec * 1000000000LL + ts.tv_nsec;
}

static uint64_t next_off(const struct bcase *c, uint64_t *pos, uint64_t *rnd)
{
	uint64_t off;

	if (c->seq) {
		off = *pos;
		*pos = (*pos + c->bs) % DISK;
		return off;
	}
	*rnd ^= *rnd << 13;
	*rnd ^= *rnd >> 7;
	*rnd ^= *rnd << 17;
	return (*rnd % (DISK / c->bs)) * c->bs;
}

/* ops per second, direct pread/pwrite */
static double run_native(const struct bcase *c, int fd, uint8_t *buf)
{
	uint64_t pos = 0, rnd = 88172645463325252ULL, ops = 0;
	long long t0 = now_ns(), t;
	ssize_t n;

	do {
		uint64_t off = next_off(c, &pos, &rnd);

		n = c->write ? pwrite(fd, buf, c->bs, (off_t)off)
			     : pread(fd, buf, c->bs, (off_t)off);
		if (n != (ssize_t)c->bs)
			return -1;
		ops++;
		t = now_ns();
	} while (t - t0 < RUN_NS);
	return ops * 1e9 / (double)(t - t0);
}

struct slot {
	struct blkfront_io io;
	uint8_t *buf;
	bool busy;
};

static uint64_t completed;

static void slot_done(struct blkfront_io *io)
{
	((struct slot *)io->arg)->busy = false;
	completed++;
}

static double run_ours(const struct bcase *c, struct blkfront *bf,
		       struct slot *slots)
{
	uint64_t pos = 0, rnd = 88172645463325252ULL, errs = 0;
	long long t0 = now_ns(), t = t0;
	unsigned int i, inflight = 0;
	int rc;

	completed = 0;
	for (;;) {
		for (i = 0; i < c->qd && t - t0 < RUN_NS; i++) {
			if (slots[i].busy)
				continue;
			slots[i].busy = true;
			rc = blkfront_submit(
			    bf, 0, c->write ? BLKIF_OP_WRITE : BLKIF_OP_READ,
			    next_off(c, &pos, &rnd) / 512, slots[i].buf, c->bs,
			    &slots[i].io);
			if (rc)
				return -1;
		}
		blkfront_kick(bf, 0);
		rc = blkfront_poll(bf);
		if (rc < 0)
			return -1;
		if (rc == 0 && blkfront_wait(bf, 1000) < 0)
			return -1;
		for (i = 0, inflight = 0; i < c->qd; i++)
			inflight += slots[i].busy;
		t = now_ns();
		if (t - t0 >= RUN_NS && inflight == 0)
			break;
	}
	for (i = 0; i < c->qd; i++)
		errs += slots[i].io.status != 0;
	return errs ? -1 : completed * 1e9 / (double)(t - t0);
}

static const struct bcase cases[] = {
    {"blk-seq64k-read-qd1", 65536, true, false, 1},
    {"blk-seq64k-read-qd32", 65536, true, false, 32},
    {"blk-seq64k-write-qd1", 65536, true, true, 1},
    {"blk-seq64k-write-qd32", 65536, true, true, 32},
    {"blk-rand4k-read-qd1", 4096, false, false, 1},
    {"blk-rand4k-read-qd32", 4096, false, false, 32},
    {"blk-rand4k-write-qd1", 4096, false, true, 1},
    {"blk-rand4k-write-qd32", 4096, false, true, 32},
};

static void report(const struct bcase *c, double ours, double native)
{
	double scale = c->bs >= 65536 ? c->bs / 1048576.0 : 1.0;

	printf("BENCH %s ours=%.1f xen=- native=%.1f unit=%s\n", c->name,
	       ours * scale, native * scale, c->bs >= 65536 ? "MiB/s" : "IOPS");
	fflush(stdout);
}

/* Usage: bench_blk [NAME-PART]: only the cases whose name contains it. */
int main(int argc, char **argv)
{
	struct blkback_cfg cfg = {.max_queues = 1,
				  .max_ring_order = 2,
				  .max_indirect = 256,
				  .persistent = true};
	struct xenv_world *w = xenv_world_create(2, 8192);
	struct xenv *fe = w ? xenv_host_open(w, 1) : NULL;
	struct slot slots[MAX_QD];
	struct h_backend hb;
	struct blkfront bf;
	char path[64];
	uint8_t *nbuf;
	unsigned int i, k;
	int fd, bad = 0;

	if (!fe || h_make_disk(path, sizeof(path), DISK))
		return 2;
	cfg.path = path;
	cfg.threads = blkback_threads_default(); /* as hv-backendd */
	if (h_backend_start(&hb, w) ||
	    h_front_connect(&hb, fe, 0, &cfg, 1, 2, &bf))
		return 2;
	for (i = 0; i < MAX_QD; i++) {
		slots[i].buf = xenv_alloc_pages(fe, 16);
		slots[i].io.done = slot_done;
		slots[i].io.arg = &slots[i];
		slots[i].busy = false;
	}
	fd = open(path, O_RDWR);
	nbuf = aligned_alloc(4096, 65536);
	memset(nbuf, 0x5a, 65536);
	for (i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
		double n, o;

		if (argc > 1 && !strstr(cases[i].name, argv[1]))
			continue;
		for (n = o = 0, k = 0; k < SLICES; k++) {
			double sn = run_native(&cases[i], fd, nbuf);
			double so = run_ours(&cases[i], &bf, slots);

			bad |= sn < 0 || so < 0;
			n += sn / SLICES;
			o += so / SLICES;
		}
		report(&cases[i], o, n);
	}
	close(fd);
	blkfront_fini(&bf);
	h_backend_stop(&hb);
	unlink(path);
	return bad;
}
