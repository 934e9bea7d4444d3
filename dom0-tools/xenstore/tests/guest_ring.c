// SPDX-License-Identifier: MIT
/*
 * Simulated guest side of the xenstore ring for the tests (see
 * guest_ring.h): the page and event channel stand-ins, registration with
 * SCM_RIGHTS, and a blocking request/reply helper over the ring.
 */
#include <errno.h>
#include <poll.h>
#include <stdlib.h>
#include <string.h>
#include <sys/eventfd.h>
#include <sys/mman.h>
#include <sys/socket.h>
#include <sys/un.h>
#include <unistd.h>

#include <stdio.h>
#include <xenstore.h>

#include "guest_ring.h"

#define LOAD(x) __atomic_load_n(&(x), __ATOMIC_ACQUIRE)
#define STORE(x, v) __atomic_store_n(&(x), (v), __ATOMIC_RELEASE)

static int send_fds(int sock, uint32_t domid, const int fds[3])
{
	char cbuf[CMSG_SPACE(3 * sizeof(int))] = { 0 };
	struct iovec iov = { &domid, sizeof(domid) };
	struct msghdr mh = {
		.msg_iov = &iov, .msg_iovlen = 1,
		.msg_control = cbuf, .msg_controllen = sizeof(cbuf),
	};
	struct cmsghdr *cm = CMSG_FIRSTHDR(&mh);

	cm->cmsg_level = SOL_SOCKET;
	cm->cmsg_type = SCM_RIGHTS;
	cm->cmsg_len = CMSG_LEN(3 * sizeof(int));
	memcpy(CMSG_DATA(cm), fds, 3 * sizeof(int));
	return sendmsg(sock, &mh, 0) == sizeof(domid) ? 0 : -1;
}

struct guest *guest_create(const char *path, unsigned int domid)
{
	struct sockaddr_un addr = { .sun_family = AF_UNIX };
	struct guest *g = calloc(1, sizeof(*g));
	int fds[3];

	if (!g)
		return NULL;
	g->domid = domid;
	g->memfd = memfd_create("xs-guest", MFD_CLOEXEC);
	g->efd_to_server = eventfd(0, EFD_CLOEXEC | EFD_NONBLOCK);
	g->efd_from_server = eventfd(0, EFD_CLOEXEC | EFD_NONBLOCK);
	g->reg_sock = socket(AF_UNIX, SOCK_STREAM | SOCK_CLOEXEC, 0);
	if (g->memfd < 0 || ftruncate(g->memfd, 4096) < 0)
		goto err;
	g->intf = mmap(NULL, 4096, PROT_READ | PROT_WRITE, MAP_SHARED,
		       g->memfd, 0);
	if (g->intf == MAP_FAILED)
		goto err;
	strncpy(addr.sun_path, path, sizeof(addr.sun_path) - 1);
	if (connect(g->reg_sock, (struct sockaddr *)&addr, sizeof(addr)) < 0)
		goto err;
	fds[0] = g->memfd;
	fds[1] = g->efd_to_server;
	fds[2] = g->efd_from_server;
	if (send_fds(g->reg_sock, domid, fds) < 0)
		goto err;
	return g;
err:
	guest_free(g);
	return NULL;
}

void guest_die(struct guest *g)
{
	if (g->reg_sock >= 0)
		close(g->reg_sock);
	g->reg_sock = -1;
}

void guest_free(struct guest *g)
{
	if (!g)
		return;
	guest_die(g);
	if (g->intf && g->intf != MAP_FAILED)
		munmap(g->intf, 4096);
	close(g->memfd);
	close(g->efd_to_server);
	close(g->efd_from_server);
	free(g);
}

static void notify(struct guest *g)
{
	uint64_t one = 1;

	if (write(g->efd_to_server, &one, sizeof(one)) != sizeof(one))
		return;
}

/* Wait for the server's notification; -ETIMEDOUT after @ms. */
static int wait_server(struct guest *g, int ms)
{
	struct pollfd p = { .fd = g->efd_from_server, .events = POLLIN };
	uint64_t v;

	if (poll(&p, 1, ms) <= 0)
		return -ETIMEDOUT;
	if (read(g->efd_from_server, &v, sizeof(v)) != sizeof(v))
		return 0;
	return 0;
}

int guest_write_bytes(struct guest *g, const void *buf, size_t len, int ms)
{
	const char *p = buf;

	while (len) {
		uint32_t cons = LOAD(g->intf->req_cons);
		uint32_t prod = g->intf->req_prod;
		size_t space = XENSTORE_RING_SIZE - (prod - cons);
		size_t off = MASK_XENSTORE_IDX(prod), n = len;

		if (!space) {
			notify(g);
			if (wait_server(g, ms))
				return -ETIMEDOUT;
			continue;
		}
		if (n > space)
			n = space;
		if (n > XENSTORE_RING_SIZE - off)
			n = XENSTORE_RING_SIZE - off;
		memcpy(g->intf->req + off, p, n);
		STORE(g->intf->req_prod, prod + (uint32_t)n);
		p += n;
		len -= n;
	}
	notify(g);
	return 0;
}

int guest_read_bytes(struct guest *g, void *buf, size_t len, int ms)
{
	char *p = buf;

	while (len) {
		uint32_t prod = LOAD(g->intf->rsp_prod);
		uint32_t cons = g->intf->rsp_cons;
		size_t avail = prod - cons, off = MASK_XENSTORE_IDX(cons);
		size_t n = len;

		if (!avail) {
			if (wait_server(g, ms))
				return -ETIMEDOUT;
			continue;
		}
		if (n > avail)
			n = avail;
		if (n > XENSTORE_RING_SIZE - off)
			n = XENSTORE_RING_SIZE - off;
		memcpy(p, g->intf->rsp + off, n);
		STORE(g->intf->rsp_cons, cons + (uint32_t)n);
		notify(g);
		p += n;
		len -= n;
	}
	return 0;
}

int guest_request(struct guest *g, uint32_t type, uint32_t tx,
		  const void *payload, uint32_t len, struct xsd_sockmsg *rhdr,
		  char *reply, char *event)
{
	struct xsd_sockmsg hdr = { .type = type, .tx_id = tx, .len = len };
	int err = guest_write_bytes(g, &hdr, sizeof(hdr), 2000);

	if (!err)
		err = guest_write_bytes(g, payload, len, 2000);
	while (!err) {
		err = guest_read_bytes(g, rhdr, sizeof(*rhdr), 2000);
		if (err || rhdr->len > XENSTORE_PAYLOAD_MAX)
			return err ? err : -EPROTO;
		err = guest_read_bytes(g, reply, rhdr->len, 2000);
		if (err)
			return err;
		reply[rhdr->len] = '\0';
		if (rhdr->type != XS_WATCH_EVENT)
			return 0;
		if (event) {
			memcpy(event, reply, rhdr->len + 1);
			event = NULL;
		}
	}
	return err;
}

int guest_wait_event(struct guest *g, char *buf, int ms)
{
	struct xsd_sockmsg hdr;
	int err = guest_read_bytes(g, &hdr, sizeof(hdr), ms);

	if (err)
		return err;
	if (hdr.len > XENSTORE_PAYLOAD_MAX)
		return -EPROTO;
	err = guest_read_bytes(g, buf, hdr.len, ms);
	if (!err)
		buf[hdr.len] = '\0';
	return err ? err : (hdr.type == XS_WATCH_EVENT ? 0 : -EPROTO);
}

/* Toolstack side: the domain's home, read-only to it, plus data/ rw. */
struct guest *guest_make_domain(struct xs_handle *h, const char *registry,
				 unsigned int domid)
{
	struct xs_permissions ro[2] = { { 0, XS_PERM_NONE },
					{ domid, XS_PERM_READ } };
	struct xs_permissions rw[1] = { { domid, XS_PERM_NONE } };
	char path[64];
	struct guest *g = guest_create(registry, domid);
	int tries;

	if (!g)
		return NULL;
	snprintf(path, sizeof(path), "/local/domain/%u", domid);
	xs_rm(h, XBT_NULL, path);
	xs_write(h, XBT_NULL, path, "", 0);
	xs_set_permissions(h, XBT_NULL, path, ro, 2);
	snprintf(path, sizeof(path), "/local/domain/%u/name", domid);
	xs_write(h, XBT_NULL, path, "guest", 5);
	snprintf(path, sizeof(path), "/local/domain/%u/data", domid);
	xs_write(h, XBT_NULL, path, "", 0);
	xs_set_permissions(h, XBT_NULL, path, rw, 1);
	/* The daemon takes the registration asynchronously: retry. */
	for (tries = 0; !xs_introduce_domain(h, domid, 0x1234, 5); tries++) {
		if (tries == 200) {
			guest_free(g);
			return NULL;
		}
		usleep(10000);
	}
	return g;
}
