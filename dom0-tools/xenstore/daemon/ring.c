// SPDX-License-Identifier: MIT
/*
 * Guest shared-ring transport, host implementation. A simulated guest
 * connects to the registry socket and hands over, with SCM_RIGHTS, its
 * xenstore page (a memfd) and two eventfds standing in for the event
 * channel: one it signals, one we signal. INTRODUCE then maps that page
 * for the domain, as the dom0 implementation maps grant 1 (see
 * ring-xen.c). Closing the registry connection means the domain died.
 *
 * The page is guest-writable: every index is read once into a local and
 * checked (prod - cons <= XENSTORE_RING_SIZE) before use; a corrupt index
 * sets XENSTORE_ERROR_RINGIDX and drops the connection.
 */
#include <errno.h>
#include <poll.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <sys/socket.h>
#include <unistd.h>

#include "ring.h"

struct registration {
	unsigned int domid;
	int sock;		/* registry connection; EOF = domain died */
	int memfd, efd_guest_to_us, efd_us_to_guest;
	struct registration *next;
};

static struct registration *regs;
static int reg_listen_fd = -1;

static const struct ring_ops host_ops;

static void host_notify(struct ring_conn *rc)
{
	uint64_t one = 1;

	if (write(rc->efd_out, &one, sizeof(one)) != sizeof(one))
		return; /* counter saturated: the guest is notified anyway */
}

static void host_kick(struct ring_conn *rc)
{
	uint64_t v;

	if (read(rc->efd_in, &v, sizeof(v)) != sizeof(v))
		return; /* nothing pending */
}

static void host_unmap(struct ring_conn *rc)
{
	munmap(rc->intf, 4096);
	close(rc->efd_in);
	close(rc->efd_out);
}

static const struct ring_ops host_ops = {
	.name = "host-ring",
	.notify = host_notify,
	.kick = host_kick,
	.unmap = host_unmap,
};

static struct registration *reg_find(unsigned int domid)
{
	struct registration *r;

	for (r = regs; r; r = r->next)
		if (r->domid == domid && r->memfd >= 0)
			return r;
	return NULL;
}

/* Map the registered page of @d's domain and create its connection. */
int ring_connect_domain(struct domain *d, unsigned long gfn,
			unsigned int port)
{
	struct registration *r = reg_find(d->domid);
	struct ring_conn *rc;
	void *page;

	(void)gfn;	/* the host transport has one page per domain */
	(void)port;
	if (!r)
		return ring_xen_connect(d, gfn, port);
	rc = xs_zalloc(sizeof(*rc));
	if (!rc)
		return -ENOMEM;
	page = mmap(NULL, 4096, PROT_READ | PROT_WRITE, MAP_SHARED, r->memfd,
		    0);
	if (page == MAP_FAILED) {
		free(rc);
		return -EINVAL;
	}
	rc->intf = page;
	rc->ops = &host_ops;
	rc->efd_in = dup(r->efd_guest_to_us);
	rc->efd_out = dup(r->efd_us_to_guest);
	if (rc->efd_in < 0 || rc->efd_out < 0 || ring_conn_attach(d, rc)) {
		if (rc->efd_in >= 0)
			close(rc->efd_in);
		if (rc->efd_out >= 0)
			close(rc->efd_out);
		munmap(page, 4096);
		free(rc);
		return -ENOMEM;
	}
	return 0;
}

int hostring_listen(const char *path)
{
	reg_listen_fd = sock_listen(path);
	return reg_listen_fd < 0 ? reg_listen_fd : 0;
}

/* Receive "<domid>" plus three descriptors on a registry connection. */
static void reg_receive(struct registration *r)
{
	char cbuf[CMSG_SPACE(3 * sizeof(int))];
	uint32_t domid;
	struct iovec iov = { &domid, sizeof(domid) };
	struct msghdr mh = {
		.msg_iov = &iov, .msg_iovlen = 1,
		.msg_control = cbuf, .msg_controllen = sizeof(cbuf),
	};
	struct cmsghdr *cm;
	int fds[3];
	ssize_t n = recvmsg(r->sock, &mh, MSG_DONTWAIT | MSG_CMSG_CLOEXEC);

	if (n == 0 || (n < 0 && errno != EAGAIN)) {
		/* The guest is gone: as VIRQ_DOM_EXC would tell us. */
		close(r->sock);
		r->sock = -1;
		if (r->memfd >= 0)
			domain_died(r->domid);
		return;
	}
	cm = CMSG_FIRSTHDR(&mh);
	if (n != sizeof(domid) || r->memfd >= 0 || !cm ||
	    cm->cmsg_type != SCM_RIGHTS ||
	    cm->cmsg_len != CMSG_LEN(3 * sizeof(int)) ||
	    domid == 0 || domid >= DOMID_FIRST_RESERVED || reg_find(domid)) {
		xs_log(LOG_WARN, "host ring: bad registration, closing it");
		if (cm && cm->cmsg_type == SCM_RIGHTS &&
		    cm->cmsg_len == CMSG_LEN(3 * sizeof(int))) {
			memcpy(fds, CMSG_DATA(cm), sizeof(fds));
			close(fds[0]);
			close(fds[1]);
			close(fds[2]);
		}
		close(r->sock);
		r->sock = -1;
		return;
	}
	memcpy(fds, CMSG_DATA(cm), sizeof(fds));
	r->domid = domid;
	r->memfd = fds[0];
	r->efd_guest_to_us = fds[1];
	r->efd_us_to_guest = fds[2];
	xs_log(LOG_INFO, "host ring: domain %u registered", domid);
}

static void reg_free_closed(void)
{
	struct registration **pp = &regs, *r;

	while ((r = *pp)) {
		if (r->sock >= 0) {
			pp = &r->next;
			continue;
		}
		*pp = r->next;
		if (r->memfd >= 0) {
			close(r->memfd);
			close(r->efd_guest_to_us);
			close(r->efd_us_to_guest);
		}
		free(r);
	}
}

int hostring_fill_pollfds(struct pollfd *pfd, int max)
{
	struct registration *r;
	int n = 0;

	if (reg_listen_fd < 0 || max < 1)
		return 0;
	pfd[n++] = (struct pollfd){ .fd = reg_listen_fd, .events = POLLIN };
	for (r = regs; r && n < max; r = r->next)
		pfd[n++] = (struct pollfd){ .fd = r->sock, .events = POLLIN };
	return n;
}

void hostring_handle(const struct pollfd *pfd, int n)
{
	struct registration *r;
	int i;

	for (i = 1, r = regs; i < n && r; i++, r = r->next)
		if (pfd[i].revents)
			reg_receive(r);
	reg_free_closed();
	if (n > 0 && (pfd[0].revents & POLLIN)) {
		int fd = accept4(reg_listen_fd, NULL, NULL,
				 SOCK_CLOEXEC | SOCK_NONBLOCK);

		if (fd < 0)
			return;
		r = xs_zalloc(sizeof(*r));
		if (!r) {
			close(fd);
			return;
		}
		r->sock = fd;
		r->memfd = -1;
		r->next = regs;
		regs = r;
	}
}

void hostring_close(void)
{
	struct registration *r;

	for (r = regs; r; r = r->next) {
		if (r->sock >= 0)
			close(r->sock);
		r->sock = -1;
	}
	reg_free_closed();
	if (reg_listen_fd >= 0)
		close(reg_listen_fd);
	reg_listen_fd = -1;
}
