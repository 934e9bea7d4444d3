// SPDX-License-Identifier: MIT
/*
 * blkback on a block device rather than a file: the test attaches its
 * disk file to a free loop device (LOOP_CTL_GET_FREE + LOOP_SET_FD, root
 * only), serves it, and checks size (BLKGETSIZE64), data both ways and
 * discard (BLKDISCARD), then detaches it.
 */
#include <errno.h>
#include <fcntl.h>
#include <linux/loop.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/ioctl.h>
#include <unistd.h>
#include <CUnit/Basic.h>
#include "tests.h"

#define DEV_DISK (4U << 20)

/* Attach @file to a free loop device; its path in @dev, fd returned. */
static int loop_attach(const char *file, char *dev, size_t len)
{
	int ctl, lfd = -1, ffd, n, tries;

	ctl = open("/dev/loop-control", O_RDWR | O_CLOEXEC);
	ffd = open(file, O_RDWR | O_CLOEXEC);
	for (tries = 0; ctl >= 0 && ffd >= 0 && tries < 10; tries++) {
		n = ioctl(ctl, LOOP_CTL_GET_FREE);
		if (n < 0)
			break;
		snprintf(dev, len, "/dev/loop%d", n);
		lfd = open(dev, O_RDWR | O_CLOEXEC);
		if (lfd >= 0 && !ioctl(lfd, LOOP_SET_FD, ffd))
			break;	/* ours; EBUSY: someone took it first */
		if (lfd >= 0)
			close(lfd);
		lfd = -1;
	}
	if (ctl >= 0)
		close(ctl);
	if (ffd >= 0)
		close(ffd);
	return lfd;
}

static void test_loop_device(void)
{
	struct blkback_cfg cfg = default_cfg;
	struct blkfront_info info;
	struct h_backend hb;
	struct blkfront bf;
	char file[64], dev[32];
	uint8_t *w, *r;
	int lfd;

	memset(&fx, 0, sizeof(fx));
	fx.w = xenv_world_create(2, 4096);
	fx.fe = fx.w ? xenv_host_open(fx.w, 1) : NULL;
	CU_ASSERT_FATAL(fx.fe != NULL);
	CU_ASSERT_FATAL(h_make_disk(file, sizeof(file), DEV_DISK) == 0);
	lfd = loop_attach(file, dev, sizeof(dev));
	CU_ASSERT_FATAL(lfd >= 0);
	cfg.path = dev;
	CU_ASSERT_FATAL(h_backend_start(&hb, fx.w) == 0);
	CU_ASSERT_FATAL(blkfront_init(&bf, fx.fe, 0, 1, 0) == 0);
	CU_ASSERT_FATAL(h_attach(&hb, 0, 1, &cfg, &bf, &info) == 0);
	CU_ASSERT_EQUAL(info.sectors, DEV_DISK / 512);
	CU_ASSERT_FATAL(blkfront_start(&bf, &info) == 0);
	w = xenv_alloc_pages(fx.fe, 16);
	r = xenv_alloc_pages(fx.fe, 16);
	h_fill(w, 65536, 42);
	CU_ASSERT_EQUAL(blkfront_io_sync(&bf, 0, BLKIF_OP_WRITE, 256, w,
					 65536), 0);
	CU_ASSERT_EQUAL(blkfront_io_sync(&bf, 0, BLKIF_OP_FLUSH_DISKCACHE, 0,
					 NULL, 0), 0);
	CU_ASSERT_EQUAL(blkfront_io_sync(&bf, 0, BLKIF_OP_READ, 256, r, 65536),
			0);
	CU_ASSERT(memcmp(w, r, 65536) == 0);
	/* Discard through BLKDISCARD: the range reads back as zeroes. */
	CU_ASSERT_EQUAL(blkfront_io_sync(&bf, 0, BLKIF_OP_DISCARD, 256, NULL,
					 65536), 0);
	CU_ASSERT_EQUAL(blkfront_io_sync(&bf, 0, BLKIF_OP_READ, 256, r, 65536),
			0);
	CU_ASSERT(r[0] == 0 && r[65535] == 0);
	/* Past the end of the device: refused by blkfront itself. */
	CU_ASSERT_EQUAL(blkfront_io_sync(&bf, 0, BLKIF_OP_READ,
					 DEV_DISK / 512 - 8, r, 8192),
			-EINVAL);
	blkfront_fini(&bf);
	CU_ASSERT_EQUAL(h_backend_stop(&hb), 0);
	ioctl(lfd, LOOP_CLR_FD, 0);
	close(lfd);
	unlink(file);
	xenv_close(fx.fe);
	xenv_world_destroy(fx.w);
}

void blk_dev_suite(void)
{
	CU_pSuite s = CU_add_suite("blk-block-device", NULL, NULL);

	CU_add_test(s, "loop device backing: size, data, discard",
		    test_loop_device);
}
