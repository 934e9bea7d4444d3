/* SPDX-License-Identifier: MIT */
/*
 * Inside blkfront: what the ring code (blkfront.c) needs of the request
 * code (request.c).
 */
#ifndef BLKFRONT_REQUEST_H
#define BLKFRONT_REQUEST_H

#include "blkfront.h"

/* Slot @id of @q was answered (@ok: BLKIF_RSP_OKAY): copy a read out of
 * its bounce pages, end its grants, free the slot. */
void blkfront_req_done(struct blkfront *bf, struct blkfront_queue *q,
		       uint16_t id, bool ok);

#endif
