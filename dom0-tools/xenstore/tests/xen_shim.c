// SPDX-License-Identifier: MIT
/*
 * Stand-ins for libxenctrl, libxenevtchn and libxengnttab so that Debian's
 * build of Xen's own xenstored (xen-utils-4.17) runs on a plain Linux host
 * for the comparison benchmarks: no hypervisor, no guest domains, only
 * socket clients. Built three times with different sonames and version
 * scripts (xen_shim_*.map). Nothing here is used by our daemon.
 */
#include <stddef.h>
#include <stdint.h>
#include <sys/eventfd.h>

/* Prototypes keep -Wmissing-prototypes quiet; callers use Xen's headers. */
void *xc_interface_open(void *logger, void *dombuild_logger, unsigned int f);
int xc_interface_close(void *xch);
int xc_domain_getinfo(void *xch, uint32_t first, unsigned int max, void *info);
void *xenevtchn_open(void *logger, unsigned int flags);
void *xenevtchn_fdopen(void *logger, int fd, unsigned int flags);
int xenevtchn_fd(void *xce);
int xenevtchn_bind_virq(void *xce, unsigned int virq);
int xenevtchn_bind_interdomain(void *xce, uint32_t domid, uint32_t port);
int xenevtchn_notify(void *xce, uint32_t port);
int xenevtchn_pending(void *xce);
int xenevtchn_unbind(void *xce, uint32_t port);
int xenevtchn_unmask(void *xce, uint32_t port);
void *xengnttab_open(void *logger, unsigned int flags);
int xengnttab_close(void *xgt);
void *xengnttab_map_grant_ref(void *xgt, uint32_t domid, uint32_t ref,
			      int prot);
int xengnttab_set_max_grants(void *xgt, uint32_t count);
int xengnttab_unmap(void *xgt, void *addr, uint32_t count);

static int handle;
static int evfd = -1;	/* never signalled: no event channels here */

void *xc_interface_open(void *logger, void *dombuild_logger, unsigned int f)
{
	(void)logger, (void)dombuild_logger, (void)f;
	return &handle;
}

int xc_interface_close(void *xch)
{
	(void)xch;
	return 0;
}

int xc_domain_getinfo(void *xch, uint32_t first, unsigned int max, void *info)
{
	(void)xch, (void)first, (void)max, (void)info;
	return 0;	/* no domains */
}

void *xenevtchn_open(void *logger, unsigned int flags)
{
	(void)logger, (void)flags;
	if (evfd < 0)
		evfd = eventfd(0, EFD_CLOEXEC);
	return &handle;
}

void *xenevtchn_fdopen(void *logger, int fd, unsigned int flags)
{
	(void)logger, (void)flags;
	evfd = fd;
	return &handle;
}

int xenevtchn_fd(void *xce)
{
	(void)xce;
	return evfd;
}

int xenevtchn_bind_virq(void *xce, unsigned int virq)
{
	(void)xce, (void)virq;
	return 1;
}

int xenevtchn_bind_interdomain(void *xce, uint32_t domid, uint32_t port)
{
	(void)xce, (void)domid, (void)port;
	return 5;
}

int xenevtchn_notify(void *xce, uint32_t port)
{
	(void)xce, (void)port;
	return 0;
}

int xenevtchn_pending(void *xce)
{
	(void)xce;
	return -1;
}

int xenevtchn_unbind(void *xce, uint32_t port)
{
	(void)xce, (void)port;
	return 0;
}

int xenevtchn_unmask(void *xce, uint32_t port)
{
	(void)xce, (void)port;
	return 0;
}

void *xengnttab_open(void *logger, unsigned int flags)
{
	(void)logger, (void)flags;
	return &handle;
}

int xengnttab_close(void *xgt)
{
	(void)xgt;
	return 0;
}

void *xengnttab_map_grant_ref(void *xgt, uint32_t domid, uint32_t ref,
			      int prot)
{
	(void)xgt, (void)domid, (void)ref, (void)prot;
	return NULL;
}

int xengnttab_set_max_grants(void *xgt, uint32_t count)
{
	(void)xgt, (void)count;
	return 0;
}

int xengnttab_unmap(void *xgt, void *addr, uint32_t count)
{
	(void)xgt, (void)addr, (void)count;
	return 0;
}
