/* SPDX-License-Identifier: MIT */
/*
 * Shared fixture of the block tests: one world, the front end domain 1 in
 * this process, a forked blkback and one device on a fresh disk file.
 */
#ifndef BLK_TESTS_H
#define BLK_TESTS_H

#include "harness.h"

struct blk_fixture {
	struct xenv_world *w;
	struct xenv *fe;
	struct h_backend hb;
	struct blkfront bf;
	struct blkback_cfg cfg;
	char path[64];
};

extern struct blk_fixture fx;
extern const struct blkback_cfg default_cfg;

int fx_setup(uint64_t disk_bytes, const struct blkback_cfg *tmpl,
	     unsigned int nq, unsigned int order);
int fx_teardown(void);
void blk_bad_suite(void);
void blk_dev_suite(void);

#endif
