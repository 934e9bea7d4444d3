// SPDX-License-Identifier: MIT
/*
 * Block handshake through our xenstored: a private daemon, the blkback
 * service loop in a forked domain 0, the toolstack's vbd keys written as
 * libxl writes them, and blkfront in this process as domain 1. Checks
 * the keys and states of toolstack-compat.md 3.3-3.4, close and reconnect,
 * toolstack removal, and front end keys that must be refused.
 */
#include <errno.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <unistd.h>
#include <CUnit/Basic.h>
#include "harness.h"
#include "xbharness.h"
#include "../../frontend/blkfront/blkfront-xb.h"

static struct xs_env xe;
static char disk[64], disk2[64];

static int xb_suite_init(void)
{
	if (xs_env_start(&xe, 3))
		return 1;
	if (h_make_disk(disk, sizeof(disk), 8 << 20) ||
	    h_make_disk(disk2, sizeof(disk2), 2 << 20))
		return 1;
	return xs_env_start_blkback(&xe);
}

static int xb_suite_clean(void)
{
	int rc = xs_env_stop(&xe);

	unlink(disk);
	unlink(disk2);
	return rc;
}

static void check_key(const char *want, const char *path)
{
	char *v = xb_read(&xe.xb, "%s", path);

	CU_ASSERT_PTR_NOT_NULL(v);
	if (v && strcmp(v, want))
		fprintf(stderr, "\n%s = '%s', want '%s'\n", path, v, want);
	CU_ASSERT(v && !strcmp(v, want));
	free(v);
}

static void test_handshake(void)
{
	struct blkfront bf;
	struct blkfront_xb fx = {.bf = &bf, .env = xe.fe, .xb = &xe.xb};
	const char *bp = "/local/domain/0/backend/vbd/1/51712";
	uint8_t *buf = xenv_alloc_pages(xe.fe, 4);
	char path[160];

	CU_ASSERT_FATAL(ts_add_vbd(&xe, 1, 51712, disk, "w") == 0);
	snprintf(fx.fpath, sizeof(fx.fpath),
		 "/local/domain/1/device/vbd/51712");
	CU_ASSERT_FATAL(blkfront_xb_connect(&fx, 2, 1) == 0);
	CU_ASSERT_EQUAL(bf.nr_queues, 2);
	CU_ASSERT_EQUAL(bf.order, 1);
	CU_ASSERT_EQUAL(bf.info.sectors, (8 << 20) / 512);
	CU_ASSERT_EQUAL(bf.info.max_indirect, 256);
	snprintf(path, sizeof(path), "%s/state", bp);
	check_key("4", path);
	snprintf(path, sizeof(path), "%s/feature-flush-cache", bp);
	check_key("1", path);
	snprintf(path, sizeof(path), "%s/feature-discard", bp);
	check_key("1", path);
	snprintf(path, sizeof(path), "%s/sector-size", bp);
	check_key("512", path);
	snprintf(path, sizeof(path), "%s/info", bp);
	check_key("0", path);
	snprintf(path, sizeof(path), "%s/multi-queue-num-queues", fx.fpath);
	check_key("2", path);
	snprintf(path, sizeof(path), "%s/ring-page-order", fx.fpath);
	check_key("1", path);
	snprintf(path, sizeof(path), "%s/protocol", fx.fpath);
	check_key("x86_64-abi", path);
	h_fill(buf, 16384, 5);
	CU_ASSERT_EQUAL(blkfront_io_sync(&bf, 1, BLKIF_OP_WRITE, 8, buf, 16384),
			0);
	/* Close and reconnect with one single-page ring. */
	CU_ASSERT_EQUAL(blkfront_xb_close(&fx), 0);
	{
		int rc = blkfront_xb_reopen(&fx, 1, 0);

		if (rc)
			fprintf(stderr, "reopen %d be %d fe %d\n", rc,
				xb_state(&xe.xb, bp),
				xb_state(&xe.xb, fx.fpath));
		CU_ASSERT_FATAL(rc == 0);
	}
	CU_ASSERT_EQUAL(bf.nr_queues, 1);
	memset(buf + 16384 - 4096, 0, 4096);
	CU_ASSERT_EQUAL(blkfront_io_sync(&bf, 0, BLKIF_OP_READ, 8,
					 buf + 16384 - 4096, 4096),
			0);
	{
		uint8_t ref[4096];

		h_fill(ref, 4096, 5);
		CU_ASSERT(memcmp(ref, buf + 16384 - 4096, 4096) == 0);
	}
	/* Toolstack removal: online=0, state=5, back end reaches Closed. */
	CU_ASSERT_EQUAL(blkfront_xb_close(&fx), 0);
	CU_ASSERT_EQUAL(ts_remove(&xe, bp), XenbusStateClosed);
}

/* A front end that publishes nonsense: the back end must refuse it with
 * an error node and Closing, and still serve a good device. */
static void bad_frontend(unsigned int devid, const char *key, const char *val)
{
	char fp[96], bp[96];
	struct blkfront bf;

	snprintf(fp, sizeof(fp), "/local/domain/1/device/vbd/%u", devid);
	snprintf(bp, sizeof(bp), "/local/domain/0/backend/vbd/1/%u", devid);
	CU_ASSERT_FATAL(ts_add_vbd(&xe, 1, devid, disk2, "w") == 0);
	CU_ASSERT_FATAL(xb_watch(&xe.xb, bp, "bad") == 0);
	CU_ASSERT_EQUAL(
	    xb_wait_state(&xe.xb, bp, XB_STATE_BIT(XenbusStateInitWait), 5000),
	    XenbusStateInitWait);
	/* Real rings so that only the bad key is wrong. */
	CU_ASSERT_FATAL(blkfront_init(&bf, xe.fe, 0, 1, 0) == 0);
	xb_write_uint(&xe.xb, bf.q[0].ring_ref[0], "%s/ring-ref", fp);
	xb_write_uint(&xe.xb, bf.q[0].port, "%s/event-channel", fp);
	xb_write(&xe.xb, "x86_64-abi", "%s/protocol", fp);
	xb_write(&xe.xb, val, "%s/%s", fp, key);
	xb_switch(&xe.xb, fp, XenbusStateInitialised);
	CU_ASSERT_EQUAL(xb_wait_state(&xe.xb, bp,
				      XB_STATE_BIT(XenbusStateClosing) |
					  XB_STATE_BIT(XenbusStateConnected),
				      5000),
			XenbusStateClosing);
	{
		char *err = xb_read(&xe.xb, "%s/error", bp);

		CU_ASSERT_PTR_NOT_NULL(err);
		free(err);
	}
	xb_unwatch(&xe.xb, bp, "bad");
	xb_switch(&xe.xb, fp, XenbusStateClosed);
	blkfront_fini(&bf);
	CU_ASSERT_EQUAL(ts_remove(&xe, bp), XenbusStateClosed);
}

static void test_bad_keys(void)
{
	bad_frontend(51728, "ring-page-order", "9");
	bad_frontend(51744, "ring-page-order", "1x");
	bad_frontend(51760, "protocol", "x86_32-abi");
	bad_frontend(51776, "multi-queue-num-queues", "99");
	bad_frontend(51792, "ring-ref", "99999");
	bad_frontend(51808, "event-channel", "-1");
	bad_frontend(51824, "event-channel", "1000");
	bad_frontend(51840, "ring-ref", "18446744073709551616");
}

static void test_good_after_bad(void)
{
	struct blkfront bf;
	struct blkfront_xb fx = {.bf = &bf, .env = xe.fe, .xb = &xe.xb};
	uint8_t *buf = xenv_alloc_pages(xe.fe, 1);

	CU_ASSERT_FATAL(ts_add_vbd(&xe, 1, 51856, disk, "r") == 0);
	snprintf(fx.fpath, sizeof(fx.fpath),
		 "/local/domain/1/device/vbd/51856");
	CU_ASSERT_FATAL(blkfront_xb_connect(&fx, 1, 0) == 0);
	CU_ASSERT_EQUAL(bf.info.info & VDISK_READONLY, VDISK_READONLY);
	CU_ASSERT_FALSE(bf.info.discard);
	CU_ASSERT_EQUAL(blkfront_io_sync(&bf, 0, BLKIF_OP_READ, 0, buf, 4096),
			0);
	CU_ASSERT_EQUAL(blkfront_io_sync(&bf, 0, BLKIF_OP_WRITE, 0, buf, 4096),
			-EIO);
	CU_ASSERT_EQUAL(blkfront_xb_close(&fx), 0);
}

/*
 * A hostile back end (domain 2's directory, not served by blkback):
 * it offers sane features, then publishes @key = @val when the front end
 * is Initialised. blkfront must refuse to connect.
 */
struct evil {
	const char *bp, *fp, *key, *val;
};

static int evil_backend(struct xs_env *x, void *arg)
{
	const struct evil *ev = arg;
	struct xb xb;

	(void)x;
	if (xb_open(&xb) || xb_watch(&xb, ev->fp, "evil") ||
	    xb_wait_state(&xb, ev->fp, XB_STATE_BIT(XenbusStateInitialised),
			  5000) < 0)
		return 1;
	xb_write(&xb, "2048", "%s/sectors", ev->bp);
	xb_write(&xb, ev->val, "%s/%s", ev->bp, ev->key);
	return xb_switch(&xb, ev->bp, XenbusStateConnected) ? 1 : 0;
}

static void evil_case(unsigned int devid, const char *key, const char *val)
{
	char fp[96], bp[96];
	struct evil ev = {bp, fp, key, val};
	struct blkfront bf;
	struct blkfront_xb fx = {.bf = &bf, .env = xe.fe, .xb = &xe.xb};
	pid_t pid;
	int st = -1;

	snprintf(fp, sizeof(fp), "/local/domain/1/device/vbd/%u", devid);
	snprintf(bp, sizeof(bp), "/local/domain/2/backend/vbd/1/%u", devid);
	xb_write(&xe.xb, bp, "%s/backend", fp);
	xb_write(&xe.xb, "2", "%s/backend-id", fp);
	xb_write(&xe.xb, "1", "%s/state", fp);
	xb_write(&xe.xb, "1", "%s/max-ring-page-order", bp);
	xb_write(&xe.xb, "2", "%s/state", bp);
	snprintf(fx.fpath, sizeof(fx.fpath), "%s", fp);
	pid = xs_env_fork(&xe, evil_backend, &ev);
	CU_ASSERT_EQUAL(blkfront_xb_connect(&fx, 1, 0), -EINVAL);
	waitpid(pid, &st, 0);
	xb_rm(&xe.xb, "%s", fp);
	xb_rm(&xe.xb, "%s", bp);
}

static void test_evil_backend(void)
{
	evil_case(52000, "sectors", "12x");
	evil_case(52016, "sectors", "");
	evil_case(52032, "sector-size", "100000");
	evil_case(52048, "feature-flush-cache", "2");
	evil_case(52064, "sector-size", "100");
}

int main(void)
{
	CU_pSuite s;
	unsigned int fails;

	if (CU_initialize_registry() != CUE_SUCCESS)
		return 2;
	s = CU_add_suite("blk-xenbus", xb_suite_init, xb_suite_clean);
	CU_add_test(s, "handshake, close, reconnect, removal", test_handshake);
	CU_add_test(s, "bad front end keys are refused", test_bad_keys);
	CU_add_test(s, "read-only device after bad ones", test_good_after_bad);
	CU_add_test(s, "hostile back end keys are refused", test_evil_backend);
	CU_basic_set_mode(CU_BRM_VERBOSE);
	CU_basic_run_tests();
	fails = CU_get_number_of_failures() + CU_get_number_of_tests_failed() +
		CU_get_number_of_suites_failed();
	CU_cleanup_registry();
	return fails ? 1 : 0;
}
