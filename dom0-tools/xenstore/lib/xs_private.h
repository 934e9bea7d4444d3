/* SPDX-License-Identifier: MIT */
/*
 * libxenstore internals shared by the connection code (xs_conn.c), the
 * watch queue (xs_watch.c) and the public operations (xs_ops.c). Not
 * installed; nothing here is exported from the library.
 */
#ifndef XS_PRIVATE_H
#define XS_PRIVATE_H

#include <pthread.h>
#include <sys/uio.h>

#include <xenstore.h>

/* One received message: header plus payload with a NUL appended. */
struct xsl_msg {
	struct xsd_sockmsg hdr;
	char *body;
	struct xsl_msg *next;
};

/*
 * Locking: request_mutex (one request in flight) is taken before
 * reply_mutex or watch_mutex; reply_mutex and watch_mutex are never held
 * together.
 */
struct xs_handle {
	int fd;
	int is_socket;
	unsigned long flags;

	pthread_mutex_t request_mutex;

	/* Protected by reply_mutex: */
	pthread_mutex_t reply_mutex;
	pthread_cond_t reply_cond;
	struct xsl_msg *reply;
	int reader_running;
	int broken;		/* the connection is dead: errno value */
	pthread_t reader;

	/* Protected by watch_mutex: */
	pthread_mutex_t watch_mutex;
	pthread_cond_t watch_cond;
	struct xsl_msg *watch_head, **watch_tail;
	int watch_pipe[2];	/* [0] readable while events are queued */
};

int xsl_errno_from_name(const char *name);

/* Send a request and wait for its reply; returns malloc'd body or NULL. */
void *xsl_talkv(struct xs_handle *h, xs_transaction_t t, uint32_t type,
		const struct iovec *iov, unsigned int num, unsigned int *len);
/* Same for a single NUL-terminated string argument. */
void *xsl_single(struct xs_handle *h, xs_transaction_t t, uint32_t type,
		 const char *string, unsigned int *len);
/* Expect "OK" for a command; false + errno otherwise. */
bool xsl_bool(void *reply);

/* Start the reader thread if it is not running; 0 or -errno. */
int xsl_start_reader(struct xs_handle *h);
/* Queue a watch event (takes ownership of @msg). */
void xsl_queue_watch(struct xs_handle *h, struct xsl_msg *msg);
/* Free everything queued. */
void xsl_free_watches(struct xs_handle *h);

#endif /* XS_PRIVATE_H */
