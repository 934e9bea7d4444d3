// SPDX-License-Identifier: MIT
/*
 * libxenstore connection handling: finding and opening the daemon (socket
 * or xenbus device), framing requests, matching replies and the reader
 * thread that takes over the descriptor once a watch exists.
 * The public operations built on xsl_talkv() live in xs_ops.c.
 */
#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <signal.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <sys/stat.h>
#include <sys/un.h>
#include <unistd.h>

#include "xs_private.h"

static int connect_socket(const char *path)
{
	struct sockaddr_un addr = { .sun_family = AF_UNIX };
	int fd;

	if (strlen(path) >= sizeof(addr.sun_path)) {
		errno = ENAMETOOLONG;
		return -1;
	}
	strcpy(addr.sun_path, path);
	fd = socket(AF_UNIX, SOCK_STREAM | SOCK_CLOEXEC, 0);
	if (fd < 0)
		return -1;
	if (connect(fd, (struct sockaddr *)&addr, sizeof(addr)) < 0) {
		int saved = errno;

		close(fd);
		errno = saved;
		return -1;
	}
	return fd;
}

/* Open @path as the socket or, if it is not one, as a character device. */
static int open_path(const char *path, int *is_socket)
{
	struct stat st;

	if (stat(path, &st) < 0)
		return -1;
	*is_socket = S_ISSOCK(st.st_mode);
	if (*is_socket)
		return connect_socket(path);
	return open(path, O_RDWR | O_CLOEXEC);
}

static int open_daemon(int *is_socket)
{
	const char *env = getenv("XENSTORED_PATH");
	int fd;

	fd = open_path(xs_daemon_socket(), is_socket);
	if (fd >= 0 || env)
		return fd;
	fd = open_path("/dev/xen/xenbus", is_socket);
	if (fd >= 0)
		return fd;
	return open_path("/proc/xen/xenbus", is_socket);
}

struct xs_handle *xs_open(unsigned long flags)
{
	struct xs_handle *h = calloc(1, sizeof(*h));

	if (!h)
		return NULL;
	h->fd = open_daemon(&h->is_socket);
	if (h->fd < 0) {
		int saved = errno;

		free(h);
		errno = saved;
		return NULL;
	}
	h->flags = flags;
	h->watch_pipe[0] = h->watch_pipe[1] = -1;
	h->watch_tail = &h->watch_head;
	pthread_mutex_init(&h->request_mutex, NULL);
	pthread_mutex_init(&h->reply_mutex, NULL);
	pthread_mutex_init(&h->watch_mutex, NULL);
	pthread_cond_init(&h->reply_cond, NULL);
	pthread_cond_init(&h->watch_cond, NULL);
	return h;
}

struct xs_handle *xs_daemon_open(void)
{
	return xs_open(0);
}

struct xs_handle *xs_domain_open(void)
{
	return xs_open(0);
}

struct xs_handle *xs_daemon_open_readonly(void)
{
	return xs_open(0);
}

static void free_handle(struct xs_handle *h)
{
	xsl_free_watches(h);
	if (h->reply) {
		free(h->reply->body);
		free(h->reply);
	}
	if (h->watch_pipe[0] >= 0) {
		close(h->watch_pipe[0]);
		close(h->watch_pipe[1]);
	}
	if (h->fd >= 0)
		close(h->fd);
	free(h);
}

void xs_close(struct xs_handle *h)
{
	int running;

	if (!h)
		return;
	pthread_mutex_lock(&h->reply_mutex);
	running = h->reader_running;
	pthread_mutex_unlock(&h->reply_mutex);
	if (running) {
		pthread_cancel(h->reader);
		pthread_join(h->reader, NULL);
	}
	free_handle(h);
}

void xs_daemon_close(struct xs_handle *h)
{
	xs_close(h);
}

void xs_daemon_destroy_postfork(struct xs_handle *h)
{
	/* The reader thread does not exist in the child: just free. */
	if (h)
		free_handle(h);
}

/* Read exactly @len bytes; 0, or -1 with errno (EBADF on EOF). */
static int read_all(int fd, void *buf, size_t len, int cancellable)
{
	char *p = buf;
	int old;

	while (len) {
		ssize_t got;

		if (cancellable)
			pthread_setcancelstate(PTHREAD_CANCEL_ENABLE, &old);
		got = read(fd, p, len);
		if (cancellable)
			pthread_setcancelstate(PTHREAD_CANCEL_DISABLE, &old);
		if (got < 0 && errno == EINTR)
			continue;
		if (got <= 0) {
			if (got == 0)
				errno = EBADF;
			return -1;
		}
		p += got;
		len -= (size_t)got;
	}
	return 0;
}

/* Read one whole message. A payload over the protocol limit is fatal. */
static struct xsl_msg *read_message(int fd, int cancellable)
{
	struct xsl_msg *msg = calloc(1, sizeof(*msg));

	if (!msg)
		return NULL;
	if (read_all(fd, &msg->hdr, sizeof(msg->hdr), cancellable) < 0)
		goto err_free_msg;
	if (msg->hdr.len > XENSTORE_PAYLOAD_MAX) {
		errno = E2BIG;
		goto err_free_msg;
	}
	msg->body = malloc(msg->hdr.len + 1);
	if (!msg->body)
		goto err_free_msg;
	if (read_all(fd, msg->body, msg->hdr.len, cancellable) < 0)
		goto err_free_body;
	msg->body[msg->hdr.len] = '\0';
	return msg;

err_free_body:
	free(msg->body);
err_free_msg:
	free(msg);
	return NULL;
}

static void *reader_thread(void *arg)
{
	struct xs_handle *h = arg;
	int old;

	pthread_setcancelstate(PTHREAD_CANCEL_DISABLE, &old);
	for (;;) {
		struct xsl_msg *msg = read_message(h->fd, 1);

		if (!msg) {
			pthread_mutex_lock(&h->reply_mutex);
			h->broken = errno ? errno : EBADF;
			pthread_cond_broadcast(&h->reply_cond);
			pthread_mutex_unlock(&h->reply_mutex);
			pthread_mutex_lock(&h->watch_mutex);
			pthread_cond_broadcast(&h->watch_cond);
			pthread_mutex_unlock(&h->watch_mutex);
			return NULL;
		}
		if (msg->hdr.type == XS_WATCH_EVENT) {
			xsl_queue_watch(h, msg);
			continue;
		}
		pthread_mutex_lock(&h->reply_mutex);
		/* Only one request is outstanding: a second reply is stale. */
		if (h->reply) {
			free(h->reply->body);
			free(h->reply);
		}
		h->reply = msg;
		pthread_cond_broadcast(&h->reply_cond);
		pthread_mutex_unlock(&h->reply_mutex);
	}
}

int xsl_start_reader(struct xs_handle *h)
{
	pthread_attr_t attr;
	int err = 0;

	pthread_mutex_lock(&h->reply_mutex);
	if (!h->reader_running) {
		pthread_attr_init(&attr);
		pthread_attr_setstacksize(&attr, 64 * 1024);
		err = pthread_create(&h->reader, &attr, reader_thread, h);
		pthread_attr_destroy(&attr);
		if (!err)
			h->reader_running = 1;
	}
	pthread_mutex_unlock(&h->reply_mutex);
	return -err;
}

/* Wait for the reply, reading the descriptor ourselves if no reader. */
static struct xsl_msg *get_reply(struct xs_handle *h)
{
	struct xsl_msg *msg;

	pthread_mutex_lock(&h->reply_mutex);
	while (h->reader_running && !h->reply && !h->broken)
		pthread_cond_wait(&h->reply_cond, &h->reply_mutex);
	if (h->reader_running) {
		msg = h->reply;
		h->reply = NULL;
		if (!msg)
			errno = h->broken;
		pthread_mutex_unlock(&h->reply_mutex);
		return msg;
	}
	pthread_mutex_unlock(&h->reply_mutex);
	for (;;) {
		msg = read_message(h->fd, 0);
		if (!msg || msg->hdr.type != XS_WATCH_EVENT)
			return msg;
		xsl_queue_watch(h, msg);
	}
}

static int send_request(struct xs_handle *h, struct xsd_sockmsg *hdr,
			const struct iovec *iov, unsigned int num)
{
	struct iovec all[8];
	struct msghdr mh = { .msg_iov = all };
	unsigned int i;
	size_t left = sizeof(*hdr) + hdr->len;

	if (num > 7) {
		errno = E2BIG;
		return -1;
	}
	all[0].iov_base = hdr;
	all[0].iov_len = sizeof(*hdr);
	for (i = 0; i < num; i++)
		all[i + 1] = iov[i];
	mh.msg_iovlen = num + 1;
	/* One message per write: the xenbus device requires it. */
	while (left) {
		ssize_t done = h->is_socket ?
			sendmsg(h->fd, &mh, MSG_NOSIGNAL) :
			writev(h->fd, mh.msg_iov, (int)mh.msg_iovlen);

		if (done < 0 && errno == EINTR)
			continue;
		if (done <= 0)
			return -1;
		left -= (size_t)done;
		while (mh.msg_iovlen && (size_t)done >= mh.msg_iov->iov_len) {
			done -= (ssize_t)mh.msg_iov->iov_len;
			mh.msg_iov++;
			mh.msg_iovlen--;
		}
		if (mh.msg_iovlen) {
			mh.msg_iov->iov_base = (char *)mh.msg_iov->iov_base + done;
			mh.msg_iov->iov_len -= (size_t)done;
		}
	}
	return 0;
}

void *xsl_talkv(struct xs_handle *h, xs_transaction_t t, uint32_t type,
		const struct iovec *iov, unsigned int num, unsigned int *len)
{
	struct xsd_sockmsg hdr = { .type = type, .tx_id = t };
	struct xsl_msg *msg;
	unsigned int i;
	void *body;

	for (i = 0; i < num; i++)
		hdr.len += (uint32_t)iov[i].iov_len;
	if (hdr.len > XENSTORE_PAYLOAD_MAX) {
		errno = E2BIG;
		return NULL;
	}
	pthread_mutex_lock(&h->request_mutex);
	if (send_request(h, &hdr, iov, num) < 0) {
		pthread_mutex_unlock(&h->request_mutex);
		return NULL;
	}
	msg = get_reply(h);
	pthread_mutex_unlock(&h->request_mutex);
	if (!msg)
		return NULL;
	body = msg->body;
	if (msg->hdr.type == XS_ERROR) {
		errno = xsl_errno_from_name(body);
		free(body);
		body = NULL;
	} else if (msg->hdr.type != type) {
		free(body);
		body = NULL;
		errno = EBADF;
	} else if (len) {
		*len = msg->hdr.len;
	}
	free(msg);
	return body;
}

void *xsl_single(struct xs_handle *h, xs_transaction_t t, uint32_t type,
		 const char *string, unsigned int *len)
{
	struct iovec iov = {
		.iov_base = (void *)(uintptr_t)string,
		.iov_len = strlen(string) + 1,
	};

	return xsl_talkv(h, t, type, &iov, 1, len);
}

bool xsl_bool(void *reply)
{
	if (!reply)
		return false;
	free(reply);
	return true;
}
