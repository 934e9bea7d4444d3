/* SPDX-License-Identifier: GPL-2.0 */
/*
 * The page-type model's state, shared by the fake machine (which records
 * the test's references and free_page calls) and the check (fake-model.c).
 */
#ifndef TESTS_UNIT_FAKE_MODEL_H
#define TESTS_UNIT_FAKE_MODEL_H

#include "fake-machine.h"

#define FM_NR_TYPES (PGT_seg_desc + 1)

struct fm_model {
	bool live[FM_FRAMES];	     /* allocated and not yet freed */
	domid_t owner[FM_FRAMES];    /* who it was allocated to */
	uint8_t alloc[FM_FRAMES];    /* allocation reference held */
	unsigned int gen[FM_FRAMES]; /* test-held general references */
	unsigned int typ[FM_FRAMES][FM_NR_TYPES]; /* test-held type refs */
	unsigned int freed[FM_FRAMES]; /* free_page calls since allocation */
	unsigned int violations;       /* seen by the fake machine's hooks */
};
extern struct fm_model fm_model;

/* Records (and prints) a violation the next fm_check() reports. */
void fm_model_violation(const char *fmt, ...)
    __attribute__((format(printf, 1, 2)));

#endif
