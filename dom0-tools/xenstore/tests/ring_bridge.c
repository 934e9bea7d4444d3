// SPDX-License-Identifier: MIT
/*
 * xs-ring-bridge: plays a guest's xenbus device for tests. It registers a
 * simulated guest with the daemon's host-ring registry, has the toolstack
 * part done through libxenstore (home directory, permissions, INTRODUCE),
 * then serves a Unix socket: bytes from a client go into the guest's
 * request ring, bytes from the response ring go back. Tools pointed at the
 * socket (XENSTORED_PATH) therefore run as that unprivileged domain.
 * Usage: xs-ring-bridge REGISTRY DOMID SOCKET (daemon at XENSTORED_PATH)
 */
#include <errno.h>
#include <poll.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <sys/un.h>
#include <unistd.h>

#include <xenstore.h>
#include "guest_ring.h"

static int toolstack_setup(unsigned int domid)
{
	struct xs_permissions ro[2] = { { 0, XS_PERM_NONE },
					{ domid, XS_PERM_READ } };
	struct xs_permissions rw[1] = { { domid, XS_PERM_NONE } };
	struct xs_handle *h = xs_open(0);
	char path[64];
	bool ok;

	if (!h)
		return -1;
	snprintf(path, sizeof(path), "/local/domain/%u", domid);
	ok = xs_write(h, XBT_NULL, path, "", 0) &&
	     xs_set_permissions(h, XBT_NULL, path, ro, 2);
	snprintf(path, sizeof(path), "/local/domain/%u/data", domid);
	ok = ok && xs_write(h, XBT_NULL, path, "", 0) &&
	     xs_set_permissions(h, XBT_NULL, path, rw, 1) &&
	     xs_introduce_domain(h, domid, 0, 1);
	xs_close(h);
	return ok ? 0 : -1;
}

static int listen_on(const char *path)
{
	struct sockaddr_un addr = { .sun_family = AF_UNIX };
	int fd = socket(AF_UNIX, SOCK_STREAM | SOCK_CLOEXEC, 0);

	strncpy(addr.sun_path, path, sizeof(addr.sun_path) - 1);
	unlink(path);
	if (fd < 0 || bind(fd, (struct sockaddr *)&addr, sizeof(addr)) ||
	    listen(fd, 8))
		return -1;
	return fd;
}

/* Move whatever the response ring holds to @fd; -1 if @fd is gone. */
static int pump_responses(struct guest *g, int fd)
{
	char buf[XENSTORE_RING_SIZE];
	uint32_t prod = __atomic_load_n(&g->intf->rsp_prod, __ATOMIC_ACQUIRE);
	uint32_t n = prod - g->intf->rsp_cons;

	if (n == 0 || n > XENSTORE_RING_SIZE)
		return 0;
	if (guest_read_bytes(g, buf, n, 1000))
		return 0;
	return send(fd, buf, n, MSG_NOSIGNAL) == (ssize_t)n ? 0 : -1;
}

static void serve_client(struct guest *g, int fd)
{
	struct pollfd p[2] = {
		{ .fd = fd, .events = POLLIN },
		{ .fd = g->efd_from_server, .events = POLLIN },
	};
	char buf[4096];

	for (;;) {
		uint64_t v;

		if (poll(p, 2, -1) < 0)
			return;
		if (p[1].revents &&
		    read(g->efd_from_server, &v, sizeof(v)) < 0)
			v = 0;
		if (pump_responses(g, fd) < 0)
			return;
		if (p[0].revents) {
			ssize_t n = read(fd, buf, sizeof(buf));

			if (n <= 0 || guest_write_bytes(g, buf, (size_t)n, 2000))
				return;
		}
	}
}

/* Like a guest kernel at boot: drop the last client's watches/txns. */
static void reset_connection(struct guest *g)
{
	struct xsd_sockmsg hdr = { .type = XS_RESET_WATCHES, .len = 1 }, r;
	char buf[XENSTORE_PAYLOAD_MAX + 1];

	if (guest_write_bytes(g, &hdr, sizeof(hdr), 2000) ||
	    guest_write_bytes(g, "", 1, 2000))
		return;
	do {
		if (guest_read_bytes(g, &r, sizeof(r), 2000) ||
		    r.len > XENSTORE_PAYLOAD_MAX ||
		    guest_read_bytes(g, buf, r.len, 2000))
			return;
	} while (r.type != XS_RESET_WATCHES);
}

int main(int argc, char **argv)
{
	struct guest *g;
	int lfd, tries;

	if (argc != 4) {
		fprintf(stderr, "usage: xs-ring-bridge REGISTRY DOMID SOCKET\n");
		return 2;
	}
	signal(SIGPIPE, SIG_IGN);
	g = guest_create(argv[1], (unsigned int)atoi(argv[2]));
	if (!g) {
		perror("xs-ring-bridge: guest");
		return 1;
	}
	/* The daemon takes the registration asynchronously: retry. */
	for (tries = 0; toolstack_setup(g->domid); tries++) {
		if (tries == 200) {
			perror("xs-ring-bridge: introduce");
			return 1;
		}
		usleep(10000);
	}
	lfd = listen_on(argv[3]);
	if (lfd < 0) {
		perror("xs-ring-bridge: listen");
		return 1;
	}
	for (;;) {
		int fd = accept(lfd, NULL, NULL);

		if (fd < 0)
			continue;
		/* One client at a time; the next starts from a clean state. */
		serve_client(g, fd);
		close(fd);
		reset_connection(g);
	}
}
