// SPDX-License-Identifier: MIT
/*
 * dom0 ring transport over Linux's /dev/xen devices: the guest's xenstore
 * page is mapped through gntdev (grant reference 1, as the domain builder
 * seeds it) and the event channel is bound through /dev/xen/evtchn.
 * UNTESTED: it needs a Linux dom0 on our hypervisor. The ioctl layouts are
 * the Linux uapi ones, written out here so the build needs no Xen headers.
 * Used only when the host transport has no registration for the domain.
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
#define IOCTL_EVTCHN_BIND_INTERDOMAIN \
	_IOC(_IOC_NONE, 'E', 1, sizeof(struct evtchn_bind_interdomain_arg))
#define IOCTL_EVTCHN_UNBIND \
	_IOC(_IOC_NONE, 'E', 3, sizeof(struct evtchn_port_arg))
#define IOCTL_EVTCHN_NOTIFY \
	_IOC(_IOC_NONE, 'E', 4, sizeof(struct evtchn_port_arg))

struct xen_ring {
	struct ring_conn rc;	/* first: freed through it */
	int gnt_fd;
	uint64_t index;
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
	ioctl(xr->gnt_fd, IOCTL_GNTDEV_UNMAP_GRANT_REF, &u);
	close(xr->gnt_fd);
	ioctl(rc->efd_in, IOCTL_EVTCHN_UNBIND, &a);
	close(rc->efd_in);
}

static const struct ring_ops xen_ops = {
	.name = "xen-ring",
	.notify = xen_notify,
	.kick = xen_kick,
	.unmap = xen_unmap,
};

int ring_xen_connect(struct domain *d, unsigned long gfn, unsigned int port)
{
	struct gntdev_map_grant_ref map = {
		.count = 1,
		.refs[0] = { d->domid, GNTTAB_RESERVED_XENSTORE },
	};
	struct evtchn_bind_interdomain_arg bind = { d->domid, port };
	struct xen_ring *xr = xs_zalloc(sizeof(*xr));
	void *page;
	int ret;

	(void)gfn;	/* the page is found through its grant, not its gfn */
	if (!xr)
		return -ENOMEM;
	xr->gnt_fd = open("/dev/xen/gntdev", O_RDWR | O_CLOEXEC);
	if (xr->gnt_fd < 0)
		goto err_free;
	if (ioctl(xr->gnt_fd, IOCTL_GNTDEV_MAP_GRANT_REF, &map) < 0)
		goto err_close_gnt;
	xr->index = map.index;
	page = mmap(NULL, 4096, PROT_READ | PROT_WRITE, MAP_SHARED,
		    xr->gnt_fd, (off_t)map.index);
	if (page == MAP_FAILED)
		goto err_close_gnt;
	xr->rc.intf = page;
	xr->rc.efd_in = open("/dev/xen/evtchn", O_RDWR | O_CLOEXEC);
	if (xr->rc.efd_in < 0)
		goto err_unmap;
	ret = ioctl(xr->rc.efd_in, IOCTL_EVTCHN_BIND_INTERDOMAIN, &bind);
	if (ret < 0)
		goto err_close_evtchn;
	xr->rc.local_port = (uint32_t)ret;
	xr->rc.efd_out = -1;
	xr->rc.ops = &xen_ops;
	if (ring_conn_attach(d, &xr->rc) == 0)
		return 0;
err_close_evtchn:
	close(xr->rc.efd_in);
err_unmap:
	munmap(page, 4096);
err_close_gnt:
	close(xr->gnt_fd);
err_free:
	free(xr);
	return -EINVAL;
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
