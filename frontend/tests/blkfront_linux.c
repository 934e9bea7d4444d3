// SPDX-License-Identifier: MIT
/*
 * blkfront-linux-test DEVID: our blkfront, from Linux user space in a
 * domU (the /dev/xen environment and libxenstore over /dev/xen/xenbus),
 * against whatever back end the toolstack wrote for device/vbd/DEVID:
 * tests/linux run-pair gives it our blkback (qdisk) in dom0. Writes
 * 4 MiB in 64 KiB requests, reads them back, compares, closes. Prints one
 * line; exit status 0 when everything matched.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include "../blkfront/blkfront-xb.h"
#include "../env/xenv.h"

#define CHUNK (64U * 1024)
#define CHUNKS 64U
#define SECTORS_PER_CHUNK (CHUNK / 512)

static int run(struct blkfront *bf, uint8_t *buf)
{
	for (unsigned int pass = 0; pass < 2; pass++) {
		for (unsigned int c = 0; c < CHUNKS; c++) {
			uint8_t op = pass ? BLKIF_OP_READ : BLKIF_OP_WRITE;
			int rc;

			for (unsigned int i = 0; !pass && i < CHUNK; i++)
				buf[i] = (uint8_t)(c * 7 + i / 512);
			rc = blkfront_io_sync(bf, 0, op, c * SECTORS_PER_CHUNK,
					      buf, CHUNK);
			if (rc) {
				printf("blkfront: %s of chunk %u: %d\n",
				       pass ? "read" : "write", c, rc);
				return 1;
			}
			for (unsigned int i = 0; pass && i < CHUNK; i++)
				if (buf[i] != (uint8_t)(c * 7 + i / 512)) {
					printf("blkfront: chunk %u byte %u "
					       "differs\n", c, i);
					return 1;
				}
		}
	}
	return 0;
}

int main(int argc, char **argv)
{
	struct blkfront bf;
	struct xb xb;
	struct blkfront_xb fx = {.bf = &bf, .xb = &xb};
	uint64_t self;
	uint8_t *buf;
	int rc;

	if (argc != 2 || atoi(argv[1]) <= 0) {
		fprintf(stderr, "usage: blkfront-linux-test DEVID\n");
		return 2;
	}
	if (xb_open(&xb) || xb_read_uint(&xb, &self, 0x7fefU, "domid")) {
		printf("blkfront: no xenstore or no domid\n");
		return 1;
	}
	fx.env = xenv_linux_open((xenv_domid_t)self, 0);
	buf = fx.env ? xenv_alloc_pages(fx.env, CHUNK / XENV_PAGE_SIZE) : NULL;
	if (!buf) {
		printf("blkfront: no /dev/xen environment\n");
		return 1;
	}
	snprintf(fx.fpath, sizeof(fx.fpath), "/local/domain/%u/device/vbd/%s",
		 (unsigned int)self, argv[1]);
	rc = blkfront_xb_connect(&fx, 1, 0);
	if (rc) {
		printf("blkfront: connect: %d\n", rc);
		return 1;
	}
	rc = run(&bf, buf);
	if (blkfront_xb_close(&fx))
		rc = 1;
	printf("blkfront: %u KiB written and read back: %s\n",
	       CHUNK * CHUNKS / 1024, rc ? "FAILED" : "ok");
	xenv_free_pages(fx.env, buf, CHUNK / XENV_PAGE_SIZE);
	xenv_close(fx.env);
	xb_close(&xb);
	return rc;
}
