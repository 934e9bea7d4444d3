// SPDX-License-Identifier: MIT
/*
 * xen-init-bootdomains: run in dom0 once xenstored is up; introduces the
 * domains the hypervisor built at boot ("domu=" with "domu_xenstore") to
 * xenstored, as Xen's init-dom0less does for dom0less domains. For each
 * domain 1, 2, ... it reads the xenstore ring's frame and port with
 * HVMOP_get_param (through /dev/xen/privcmd), writes the domain's usual
 * /local/domain/<id> entries, and sends XS_INTRODUCE. Domains already
 * introduced are left alone, so it may run again.
 *
 *   xen-init-bootdomains [-q]     exit 0 if every domain found was set up
 */
#include <errno.h>
#include <fcntl.h>
#include <stdbool.h>
#include <stdint.h>
#include <stdio.h>
#include <string.h>
#include <sys/ioctl.h>
#include <unistd.h>
#include <hvabi/hvm_op.h>
#include <hvabi/hypercall.h>
#include <xenstore.h>

#define PRIVCMD "/dev/xen/privcmd"
#define MAX_BOOT_DOMID 64	/* boot domains are numbered from 1 */

struct privcmd_hypercall {
	uint64_t op;
	uint64_t arg[5];
};
#define IOCTL_PRIVCMD_HYPERCALL \
	_IOC(_IOC_NONE, 'P', 0, sizeof(struct privcmd_hypercall))

static bool quiet;

/* HVMOP_get_param; 0 or -errno (ESRCH: no such domain). */
static int get_param(int fd, unsigned int domid, uint32_t index,
		     uint64_t *value)
{
	struct xen_hvm_param p = {.domid = (uint16_t)domid, .index = index};
	struct privcmd_hypercall h = {
		.op = HC_NR_hvm_op,
		.arg = {HVMOP_get_param, (uint64_t)(uintptr_t)&p}};

	if (ioctl(fd, IOCTL_PRIVCMD_HYPERCALL, &h) < 0)
		return -errno;
	*value = p.value;
	return 0;
}

/*
 * @rel under /local/domain/<domid>: owned by the domain, or (as a
 * toolstack does for domid, name, ...) by dom0 and readable by it.
 */
static bool write_node(struct xs_handle *xs, xs_transaction_t t,
		       unsigned int domid, const char *rel, const char *val,
		       bool owned)
{
	struct xs_permissions perms[2] = {
		{.id = owned ? domid : 0, .perms = XS_PERM_NONE},
		{.id = domid, .perms = XS_PERM_READ}};
	char path[64];

	snprintf(path, sizeof(path), "/local/domain/%u%s%s", domid,
		 *rel ? "/" : "", rel);
	return xs_write(xs, t, path, val, strlen(val)) &&
	       xs_set_permissions(xs, t, path, perms, owned ? 1 : 2);
}

/* The entries a toolstack writes for a new domain, in one transaction. */
static bool write_domain(struct xs_handle *xs, unsigned int domid)
{
	char id[12], name[16];

	snprintf(id, sizeof(id), "%u", domid);
	snprintf(name, sizeof(name), "boot-d%u", domid);
	for (int tries = 0; tries < 5; tries++) {
		xs_transaction_t t = xs_transaction_start(xs);
		bool ok;

		if (t == XBT_NULL)
			return false;
		ok = write_node(xs, t, domid, "", "", true) &&
		     write_node(xs, t, domid, "domid", id, false) &&
		     write_node(xs, t, domid, "name", name, false) &&
		     write_node(xs, t, domid, "data", "", true) &&
		     write_node(xs, t, domid, "device", "", true) &&
		     write_node(xs, t, domid, "control", "", true);
		if (xs_transaction_end(xs, t, !ok) && ok)
			return true;
		if (ok && errno != EAGAIN)
			return false;
		if (!ok)
			return false;
	}
	return false;
}

static int setup_domain(struct xs_handle *xs, int fd, unsigned int domid,
			uint64_t mfn)
{
	uint64_t port;
	int rc = get_param(fd, domid, HVM_PARAM_STORE_EVTCHN, &port);

	if (rc) {
		fprintf(stderr, "d%u: no xenstore port: %s\n", domid,
			strerror(-rc));
		return -1;
	}
	if (xs_is_domain_introduced(xs, domid)) {
		if (!quiet)
			printf("d%u: already introduced\n", domid);
		return 0;
	}
	if (!write_domain(xs, domid) ||
	    !xs_introduce_domain(xs, domid, (unsigned long)mfn,
				 (unsigned int)port)) {
		fprintf(stderr, "d%u: xenstored refused it: %s\n", domid,
			strerror(errno));
		return -1;
	}
	if (!quiet)
		printf("d%u: xenstore ring at frame %#llx, port %llu: "
		       "introduced\n", domid, (unsigned long long)mfn,
		       (unsigned long long)port);
	return 0;
}

int main(int argc, char **argv)
{
	struct xs_handle *xs;
	unsigned int domid, found = 0, failed = 0;
	int fd;

	quiet = argc > 1 && !strcmp(argv[1], "-q");
	fd = open(PRIVCMD, O_RDWR | O_CLOEXEC);
	if (fd < 0) {
		fprintf(stderr, "xen-init-bootdomains: %s: %s\n", PRIVCMD,
			strerror(errno));
		return 1;
	}
	xs = xs_open(0);
	if (!xs) {
		fprintf(stderr, "xen-init-bootdomains: no xenstored: %s\n",
			strerror(errno));
		return 1;
	}
	for (domid = 1; domid <= MAX_BOOT_DOMID; domid++) {
		uint64_t mfn;
		int rc = get_param(fd, domid, HVM_PARAM_STORE_PFN, &mfn);

		if (rc == -ESRCH)
			break;		/* past the last boot domain */
		if (rc == -EINVAL)
			continue;	/* built without a xenstore ring */
		found++;
		if (rc) {
			fprintf(stderr, "d%u: HVMOP_get_param: %s\n", domid,
				strerror(-rc));
			failed++;
		} else if (setup_domain(xs, fd, domid, mfn)) {
			failed++;
		}
	}
	if (!quiet)
		printf("xen-init-bootdomains: %u domain(s), %u failed\n",
		       found, failed);
	xs_close(xs);
	close(fd);
	return failed ? 1 : 0;
}
