// SPDX-License-Identifier: MIT
/*
 * Unix socket transport: the listening socket (mode 0600, where
 * libxenstore looks for it) and non-blocking stream connections. Every
 * socket client is treated as the privileged domain 0, as in Xen.
 */
#include <errno.h>
#include <fcntl.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <sys/stat.h>
#include <sys/un.h>
#include <poll.h>
#include <unistd.h>

#include "xenstored.h"

/*
 * Per connection: one recv() fills a buffer that the framing code reads
 * header and payload from. A short recv() means the socket was empty, so
 * no further recv() is tried (it would only say EAGAIN) until poll()
 * reports the socket again (sock_kick): a request costs poll, recv and
 * send.
 */
struct sock_tp {
	int fd;
	bool drained;
	size_t rpos, rlen;
	char rbuf[sizeof(struct xsd_sockmsg) + XENSTORE_PAYLOAD_MAX];
};

static ssize_t sock_read(struct conn *c, void *buf, size_t len)
{
	struct sock_tp *s = c->tp;
	ssize_t n;

	if (s->rpos == s->rlen) {
		if (s->drained)
			return 0;
		n = recv(s->fd, s->rbuf, sizeof(s->rbuf), MSG_DONTWAIT);
		if (n < 0 && (errno == EAGAIN || errno == EINTR)) {
			s->drained = true;
			return 0;
		}
		if (n <= 0)
			return -1;
		s->rpos = 0;
		s->rlen = (size_t)n;
		s->drained = (size_t)n < sizeof(s->rbuf);
	}
	if (len > s->rlen - s->rpos)
		len = s->rlen - s->rpos;
	memcpy(buf, s->rbuf + s->rpos, len);
	s->rpos += len;
	return (ssize_t)len;
}

static ssize_t sock_write(struct conn *c, const void *buf, size_t len)
{
	struct sock_tp *s = c->tp;
	ssize_t n = send(s->fd, buf, len, MSG_DONTWAIT | MSG_NOSIGNAL);

	if (n < 0 && (errno == EAGAIN || errno == EINTR))
		return 0;
	return n > 0 ? n : -1;
}

static void sock_close(struct conn *c)
{
	struct sock_tp *s = c->tp;

	close(s->fd);
	free(s);
}

static int sock_pollfd(struct conn *c, short *events)
{
	struct sock_tp *s = c->tp;

	*events = POLLIN;
	if (c->out_head)
		*events |= POLLOUT;
	return s->fd;
}

/* poll() reported the socket: it may have data again. */
static void sock_kick(struct conn *c)
{
	struct sock_tp *s = c->tp;

	s->drained = false;
}

static const struct transport_ops sock_ops = {
	.name = "socket",
	.read = sock_read,
	.write = sock_write,
	.close = sock_close,
	.pollfd = sock_pollfd,
	.kick = sock_kick,
};

int sock_listen(const char *path)
{
	struct sockaddr_un addr = { .sun_family = AF_UNIX };
	int fd;

	if (strlen(path) >= sizeof(addr.sun_path))
		return -ENAMETOOLONG;
	strcpy(addr.sun_path, path);
	fd = socket(AF_UNIX, SOCK_STREAM | SOCK_CLOEXEC | SOCK_NONBLOCK, 0);
	if (fd < 0)
		return -errno;
	unlink(path);
	if (bind(fd, (struct sockaddr *)&addr, sizeof(addr)) < 0 ||
	    chmod(path, 0600) < 0 || listen(fd, 128) < 0) {
		int err = -errno;

		close(fd);
		return err;
	}
	return fd;
}

int sock_accept(int lfd)
{
	int fd = accept4(lfd, NULL, NULL, SOCK_CLOEXEC | SOCK_NONBLOCK);

	struct sock_tp *s;

	if (fd < 0)
		return errno == EAGAIN ? 0 : -errno;
	s = xs_zalloc(sizeof(*s));
	if (s)
		s->fd = fd;
	if (!s || !conn_new(&sock_ops, s, 0)) {
		free(s);
		close(fd);
		return -ENOMEM;
	}
	return 1;
}
