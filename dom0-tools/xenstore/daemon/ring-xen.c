// SPDX-License-Identifier: MIT
/*
 * dom0 ring transport over Linux's /dev/xen devices: the guest's xenstore
 * page is mapped through gntdev (grant reference 1, as the domain builder
 * seeds it), else through privcmd's foreign mapping of the frame INTRODUCE
 * names, and the event channel is bound through /dev/xen/evtchn. Where
 * /dev/xen is missing INTRODUCE fails with the open error (logged per
 * method). The ioctl layouts are the Linux uapi ones, written out here so
 * the build needs no Xen headers. Used when the host transport has no
 * registration for the domain; the dom0 test (tests/dom0_ring_test.c) uses
 * the "ring-test" control command to serve a page granted by dom0 itself.
 * ring_xen_dom0_init() serves dom0's own kernel through /proc/xen/xsd_kva
 * and xsd_port, as Linux dom0 expects of the store it runs.
 */
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <sys/ioctl.h>
#include <sys/mman.h>
#include <string.h>
#include <unistd.h>

#include "ring.h"

#define GNTTAB_RESERVED_XENSTORE 1

struct gntdev_grant_ref {
	uint32_t domid;
	uint32_t ref;
};

struct gntdev_map_grant_ref {
	uint32_t count;
	uint32_t pad;
	uint64_t index;		/* OUT: mmap offset */
	struct gntdev_grant_ref refs[1];
};

struct gntdev_unmap_grant_ref {
	uint64_t index;
	uint32_t count;
	uint32_t pad;
};

struct privcmd_mmapbatch_v2 {
	uint32_t num;
	uint16_t dom;
	uint16_t pad;
	uint64_t addr;
	const uint64_t *arr;	/* xen_pfn_t */
	int *err;
};

struct evtchn_bind_interdomain_arg {
	uint32_t remote_domain;
	uint32_t remote_port;
};

struct evtchn_port_arg {
	uint32_t port;
};

#define IOCTL_GNTDEV_MAP_GRANT_REF \
	_IOC(_IOC_NONE, 'G', 0, sizeof(struct gntdev_map_grant_ref))
#define IOCTL_GNTDEV_UNMAP_GRANT_REF \
	_IOC(_IOC_NONE, 'G', 1, sizeof(struct gntdev_unmap_grant_ref))
#define IOCTL_PRIVCMD_MMAPBATCH_V2 \
	_IOC(_IOC_NONE, 'P', 4, sizeof(struct privcmd_mmapbatch_v2))
#define IOCTL_EVTCHN_BIND_INTERDOMAIN \
	_IOC(_IOC_NONE, 'E', 1, sizeof(struct evtchn_bind_interdomain_arg))
#define IOCTL_EVTCHN_UNBIND \
	_IOC(_IOC_NONE, 'E', 3, sizeof(struct evtchn_port_arg))
#define IOCTL_EVTCHN_NOTIFY \
	_IOC(_IOC_NONE, 'E', 4, sizeof(struct evtchn_port_arg))

struct xen_ring {
	struct ring_conn rc;	/* first: freed through it */
	int map_fd;		/* gntdev or privcmd */
	bool gntdev;
	uint64_t index;		/* gntdev: offset of the grant */
};

static void xen_notify(struct ring_conn *rc)
{
	struct evtchn_port_arg a = { .port = rc->local_port };

	ioctl(rc->efd_in, IOCTL_EVTCHN_NOTIFY, &a);
}

/* Consume pending ports and unmask them by writing them back. */
static void xen_kick(struct ring_conn *rc)
{
	uint32_t port;

	if (read(rc->efd_in, &port, sizeof(port)) == sizeof(port) &&
	    write(rc->efd_in, &port, sizeof(port)) != sizeof(port))
		xs_log(LOG_WARN, "evtchn: cannot unmask port %u", port);
}

static void xen_unmap(struct ring_conn *rc)
{
	struct xen_ring *xr = (struct xen_ring *)rc;
	struct gntdev_unmap_grant_ref u = { .index = xr->index, .count = 1 };
	struct evtchn_port_arg a = { .port = rc->local_port };

	munmap(rc->intf, 4096);
	if (xr->gntdev)
		ioctl(xr->map_fd, IOCTL_GNTDEV_UNMAP_GRANT_REF, &u);
	close(xr->map_fd);
	ioctl(rc->efd_in, IOCTL_EVTCHN_UNBIND, &a);
	close(rc->efd_in);
}

static const struct ring_ops xen_ops = {
	.name = "xen-ring",
	.notify = xen_notify,
	.kick = xen_kick,
	.unmap = xen_unmap,
};

/* Map grant @gref of @owner through gntdev into @xr. 0 or -errno. */
static int map_gntdev(struct xen_ring *xr, unsigned int owner, uint32_t gref)
{
	struct gntdev_map_grant_ref map = { .count = 1,
					    .refs[0] = { owner, gref } };
	struct gntdev_unmap_grant_ref u = { .count = 1 };
	void *page;
	int err;

	xr->map_fd = open("/dev/xen/gntdev", O_RDWR | O_CLOEXEC);
	if (xr->map_fd < 0)
		return -errno;
	if (ioctl(xr->map_fd, IOCTL_GNTDEV_MAP_GRANT_REF, &map) < 0)
		goto err_close;
	/* The hypervisor maps the grant here: this is where it can fail. */
	page = mmap(NULL, 4096, PROT_READ | PROT_WRITE, MAP_SHARED, xr->map_fd,
		    (off_t)map.index);
	if (page == MAP_FAILED) {
		err = -errno;
		u.index = map.index;
		ioctl(xr->map_fd, IOCTL_GNTDEV_UNMAP_GRANT_REF, &u);
		close(xr->map_fd);
		return err;
	}
	xr->rc.intf = page;
	xr->index = map.index;
	xr->gntdev = true;
	return 0;
err_close:
	err = -errno;
	close(xr->map_fd);
	return err;
}

/* Map frame @gfn of @owner through privcmd into @xr. 0 or -errno. */
static int map_privcmd(struct xen_ring *xr, unsigned int owner,
		       unsigned long gfn)
{
	uint64_t frame = gfn;
	int ferr = 0, err;
	struct privcmd_mmapbatch_v2 b = { .num = 1, .dom = (uint16_t)owner,
					  .arr = &frame, .err = &ferr };
	void *page;

	xr->map_fd = open("/dev/xen/privcmd", O_RDWR | O_CLOEXEC);
	if (xr->map_fd < 0)
		return -errno;
	page = mmap(NULL, 4096, PROT_READ | PROT_WRITE, MAP_SHARED, xr->map_fd,
		    0);
	if (page == MAP_FAILED)
		goto err_close;
	b.addr = (uint64_t)(uintptr_t)page;
	if (ioctl(xr->map_fd, IOCTL_PRIVCMD_MMAPBATCH_V2, &b) < 0 || ferr) {
		err = ferr ? ferr : -errno;
		munmap(page, 4096);
		close(xr->map_fd);
		return err < 0 ? err : -EIO;
	}
	xr->rc.intf = page;
	return 0;
err_close:
	err = -errno;
	close(xr->map_fd);
	return err;
}

/* Bind @owner's @port to a new local port on @rc. 0 or -errno. */
static int bind_evtchn(struct ring_conn *rc, unsigned int owner,
		       unsigned int port)
{
	struct evtchn_bind_interdomain_arg bind = { owner, port };
	int ret, err;

	rc->efd_in = open("/dev/xen/evtchn", O_RDWR | O_CLOEXEC);
	if (rc->efd_in < 0)
		return -errno;
	ret = ioctl(rc->efd_in, IOCTL_EVTCHN_BIND_INTERDOMAIN, &bind);
	if (ret < 0) {
		err = -errno;
		close(rc->efd_in);
		return err;
	}
	rc->local_port = (uint32_t)ret;
	rc->efd_out = -1;
	return 0;
}

int ring_xen_attach(struct domain *d, unsigned int owner, uint32_t gref,
		    unsigned long gfn, unsigned int port)
{
	struct xen_ring *xr = xs_zalloc(sizeof(*xr));
	int gerr, perr = 0, err;

	if (!xr)
		return -ENOMEM;
	gerr = map_gntdev(xr, owner, gref);
	if (gerr && gfn == RING_NO_GFN) {
		xs_log(LOG_ERR, "domain %u: cannot map grant %u of domain %u through /dev/xen/gntdev: %s",
		       d->domid, gref, owner, strerror(-gerr));
		free(xr);
		return gerr;
	}
	if (gerr)
		perr = map_privcmd(xr, owner, gfn);
	if (gerr && perr) {
		xs_log(LOG_ERR, "domain %u: cannot map its xenstore page: /dev/xen/gntdev (grant %u): %s; /dev/xen/privcmd (frame %#lx): %s",
		       d->domid, gref, strerror(-gerr), gfn, strerror(-perr));
		free(xr);
		return perr;
	}
	err = bind_evtchn(&xr->rc, owner, port);
	if (err) {
		xs_log(LOG_ERR, "domain %u: cannot bind event channel %u of domain %u: %s",
		       d->domid, port, owner, strerror(-err));
		goto err_unmap;
	}
	xr->rc.ops = &xen_ops;
	err = ring_conn_attach(d, &xr->rc);
	if (!err) {
		xs_log(LOG_INFO, "domain %u: ring mapped by %s, port %u -> %u",
		       d->domid, xr->gntdev ? "gntdev" : "privcmd", port,
		       xr->rc.local_port);
		return 0;
	}
	close(xr->rc.efd_in);
err_unmap:
	munmap(xr->rc.intf, 4096);
	close(xr->map_fd);
	free(xr);
	return err;
}

int ring_xen_connect(struct domain *d, unsigned long gfn, unsigned int port)
{
	return ring_xen_attach(d, d->domid, GNTTAB_RESERVED_XENSTORE, gfn,
			       port);
}

static void kva_unmap(struct ring_conn *rc)
{
	struct evtchn_port_arg a = { .port = rc->local_port };

	munmap(rc->intf, 4096);
	ioctl(rc->efd_in, IOCTL_EVTCHN_UNBIND, &a);
	close(rc->efd_in);
}

static const struct ring_ops kva_ops = {
	.name = "dom0-ring",
	.notify = xen_notify,
	.kick = xen_kick,
	.unmap = kva_unmap,
};

int ring_xen_dom0_init(void)
{
	struct evtchn_bind_interdomain_arg bind = { 0, 0 };
	struct ring_conn *rc;
	struct domain *d;
	unsigned long port;
	char line[32] = "";
	FILE *f;
	int fd, ret;

	f = fopen("/proc/xen/xsd_port", "re");
	if (!f)
		return -ENOENT;	/* not dom0 of a Xen-style hypervisor */
	if (!fgets(line, sizeof(line), f))
		line[0] = '\0';
	fclose(f);
	line[strcspn(line, "\n")] = '\0';
	if (xs_parse_uint(line, UINT32_MAX, &port) < 0)
		return -EINVAL;
	bind.remote_port = (uint32_t)port;
	d = domain_get(0);
	rc = xs_zalloc(sizeof(*rc));
	if (!d || !rc)
		goto err_free;
	fd = open("/proc/xen/xsd_kva", O_RDWR | O_CLOEXEC);
	if (fd < 0)
		goto err_free;
	rc->intf = mmap(NULL, 4096, PROT_READ | PROT_WRITE, MAP_SHARED, fd, 0);
	close(fd);
	if (rc->intf == MAP_FAILED)
		goto err_free;
	rc->efd_in = open("/dev/xen/evtchn", O_RDWR | O_CLOEXEC);
	if (rc->efd_in < 0)
		goto err_unmap;
	ret = ioctl(rc->efd_in, IOCTL_EVTCHN_BIND_INTERDOMAIN, &bind);
	if (ret < 0)
		goto err_close;
	rc->local_port = (uint32_t)ret;
	rc->efd_out = -1;
	rc->ops = &kva_ops;
	if (ring_conn_attach(d, rc) == 0) {
		d->introduced = true;
		/*
		 * Tell the kernel the store is up, as Xen's xenstored does:
		 * Linux dom0 waits for this first event before it probes
		 * xenbus (its backend drivers, xen-blkback and xen-netback,
		 * never see their devices otherwise).
		 */
		rc->ops->notify(rc);
		xs_log(LOG_INFO, "dom0 ring on port %lu", port);
		return 0;
	}
err_close:
	close(rc->efd_in);
err_unmap:
	munmap(rc->intf, 4096);
err_free:
	free(rc);
	return -EIO;
}
