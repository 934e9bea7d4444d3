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

static ssize_t sock_read(struct conn *c, void *buf, size_t len)
{
	ssize_t n = recv((int)(intptr_t)c->tp, buf, len, MSG_DONTWAIT);

	if (n < 0 && (errno == EAGAIN || errno == EINTR))
		return 0;
	return n > 0 ? n : -1;
}

static ssize_t sock_write(struct conn *c, const void *buf, size_t len)
{
	ssize_t n = send((int)(intptr_t)c->tp, buf, len,
			 MSG_DONTWAIT | MSG_NOSIGNAL);

	if (n < 0 && (errno == EAGAIN || errno == EINTR))
		return 0;
	return n > 0 ? n : -1;
}

static void sock_close(struct conn *c)
{
	close((int)(intptr_t)c->tp);
}

static int sock_pollfd(struct conn *c, short *events)
{
	*events = POLLIN;
	if (c->out_head)
		*events |= POLLOUT;
	return (int)(intptr_t)c->tp;
}

static const struct transport_ops sock_ops = {
	.name = "socket",
	.read = sock_read,
	.write = sock_write,
	.close = sock_close,
	.pollfd = sock_pollfd,
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

	if (fd < 0)
		return errno == EAGAIN ? 0 : -errno;
	if (!conn_new(&sock_ops, (void *)(intptr_t)fd, 0)) {
		close(fd);
		return -ENOMEM;
	}
	return 0;
}
