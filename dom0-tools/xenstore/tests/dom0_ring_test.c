// SPDX-License-Identifier: MIT
/*
 * xenstore-dom0-ring-test: the /dev/xen ring transport of xenstored,
 * exercised in a Linux dom0 without a second domain (tests/linux runs it
 * from /init after starting build/xenstored). This program plays the
 * guest: it grants a page to domain 0 with gntalloc, allocates an unbound
 * event channel for domain 0, and asks the daemon (control "ring-test") to
 * serve a pretend domain over them. The daemon maps the grant through
 * gntdev and binds the channel with IOCTL_EVTCHN_BIND_INTERDOMAIN, exactly
 * as for INTRODUCE. Checked: @introduceDomain, the server features written
 * into the shared page, requests and permissions over the ring, a watch
 * event delivered through the event channel, RELEASE (@releaseDomain) and
 * a second attach, which needs the daemon to have unbound the channel.
 * Usage: xenstore-dom0-ring-test [DAEMON_LOG] (its end is shown on failure).
 * Prints "LINUXTEST xenstore_gntdev_ring PASS|FAIL|SKIP <why>"; SKIP only
 * when this kernel cannot map a granted page at all (the hypervisor has no
 * grant mapping), probed before the daemon is involved.
 */
#include <errno.h>
#include <fcntl.h>
#include <poll.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/ioctl.h>
#include <sys/mman.h>
#include <unistd.h>

#include <hvabi/io/xs_wire.h>
#include <xenstore.h>

#define TEST "LINUXTEST xenstore_gntdev_ring"
#define DOMID 1000u
#define TMO_MS 10000

struct gntalloc_alloc {
	uint16_t domid;
	uint16_t flags;		/* 1: writable */
	uint32_t count;
	uint64_t index;		/* OUT */
	uint32_t gref_ids[1];	/* OUT */
};

struct gntalloc_dealloc {
	uint64_t index;
	uint32_t count;
};

struct gntdev_map {
	uint32_t count, pad;
	uint64_t index;
	uint32_t domid, ref;
};

struct gntdev_unmap {
	uint64_t index;
	uint32_t count, pad;
};

#define IOCTL_GNTALLOC_ALLOC_GREF \
	_IOC(_IOC_NONE, 'G', 5, sizeof(struct gntalloc_alloc))
#define IOCTL_GNTALLOC_DEALLOC_GREF \
	_IOC(_IOC_NONE, 'G', 6, sizeof(struct gntalloc_dealloc))
#define IOCTL_GNTDEV_MAP_GRANT_REF \
	_IOC(_IOC_NONE, 'G', 0, sizeof(struct gntdev_map))
#define IOCTL_GNTDEV_UNMAP_GRANT_REF \
	_IOC(_IOC_NONE, 'G', 1, sizeof(struct gntdev_unmap))
#define IOCTL_EVTCHN_BIND_UNBOUND_PORT _IOC(_IOC_NONE, 'E', 2, 4)
#define IOCTL_EVTCHN_NOTIFY _IOC(_IOC_NONE, 'E', 4, 4)

struct guest {
	struct xenstore_domain_interface *intf;
	int evtchn;
	uint32_t port, gref;
};

static const char *failure;
static int failure_errno;

#define CHECK(cond, why) \
	do { \
		if (!(cond)) { \
			failure_errno = errno; \
			failure = why; \
			return -1; \
		} \
	} while (0)

static void notify(struct guest *g)
{
	__atomic_thread_fence(__ATOMIC_SEQ_CST);
	ioctl(g->evtchn, IOCTL_EVTCHN_NOTIFY, &g->port);
}

/* Wait for an event on our port and unmask it; -1 on timeout. */
static int wait_event(struct guest *g)
{
	struct pollfd p = { .fd = g->evtchn, .events = POLLIN };
	uint32_t port;

	if (poll(&p, 1, TMO_MS) <= 0)
		return -1;
	if (read(g->evtchn, &port, sizeof(port)) == sizeof(port) &&
	    write(g->evtchn, &port, sizeof(port)) != sizeof(port))
		return -1;
	return 0;
}

static int ring_write(struct guest *g, const void *buf, size_t len)
{
	struct xenstore_domain_interface *i = g->intf;
	const char *p = buf;

	while (len) {
		uint32_t cons = __atomic_load_n(&i->req_cons, __ATOMIC_ACQUIRE);
		uint32_t prod = i->req_prod;
		size_t off = MASK_XENSTORE_IDX(prod), n = len;
		size_t space = XENSTORE_RING_SIZE - (prod - cons);

		if (!space) {
			notify(g);
			if (wait_event(g))
				return -1;
			continue;
		}
		if (n > space)
			n = space;
		if (n > XENSTORE_RING_SIZE - off)
			n = XENSTORE_RING_SIZE - off;
		memcpy(i->req + off, p, n);
		__atomic_store_n(&i->req_prod, prod + (uint32_t)n,
				 __ATOMIC_RELEASE);
		p += n;
		len -= n;
	}
	notify(g);
	return 0;
}

static int ring_read(struct guest *g, void *buf, size_t len)
{
	struct xenstore_domain_interface *i = g->intf;
	char *p = buf;

	while (len) {
		uint32_t prod = __atomic_load_n(&i->rsp_prod, __ATOMIC_ACQUIRE);
		uint32_t cons = i->rsp_cons;
		size_t off = MASK_XENSTORE_IDX(cons), n = len;

		if (prod == cons) {
			if (wait_event(g))
				return -1;
			continue;
		}
		if (n > prod - cons)
			n = prod - cons;
		if (n > XENSTORE_RING_SIZE - off)
			n = XENSTORE_RING_SIZE - off;
		memcpy(p, i->rsp + off, n);
		__atomic_store_n(&i->rsp_cons, cons + (uint32_t)n,
				 __ATOMIC_RELEASE);
		notify(g);
		p += n;
		len -= n;
	}
	return 0;
}

/* One message from the ring into @buf (NUL-terminated); its type. */
static int ring_msg(struct guest *g, char *buf)
{
	struct xsd_sockmsg h;

	if (ring_read(g, &h, sizeof(h)) || h.len > XENSTORE_PAYLOAD_MAX ||
	    ring_read(g, buf, h.len))
		return -1;
	buf[h.len] = '\0';
	return (int)h.type;
}

/* Request over the ring; the reply type (watch events are skipped). */
static int ring_call(struct guest *g, uint32_t type, const char *p,
		     uint32_t len, char *reply)
{
	struct xsd_sockmsg h = { .type = type, .req_id = 7, .len = len };
	int t;

	if (ring_write(g, &h, sizeof(h)) || ring_write(g, p, len))
		return -1;
	while ((t = ring_msg(g, reply)) == XS_WATCH_EVENT)
		;
	return t;
}

/* Probe: can this kernel map a granted page at all (gntdev, our grant)? */
static int probe_grant_map(uint32_t gref, char *why, size_t size)
{
	struct gntdev_map m = { .count = 1, .domid = 0, .ref = gref };
	struct gntdev_unmap u = { .count = 1 };
	int fd = open("/dev/xen/gntdev", O_RDWR | O_CLOEXEC);
	void *p = MAP_FAILED;

	if (fd >= 0 && ioctl(fd, IOCTL_GNTDEV_MAP_GRANT_REF, &m) == 0)
		p = mmap(NULL, 4096, PROT_READ, MAP_SHARED, fd, (off_t)m.index);
	if (p == MAP_FAILED) {
		snprintf(why, size, "gntdev cannot map grant %u of domain 0: %s",
			 gref, strerror(errno));
		if (fd >= 0)
			close(fd);
		return -1;
	}
	munmap(p, 4096);
	u.index = m.index;
	ioctl(fd, IOCTL_GNTDEV_UNMAP_GRANT_REF, &u);
	close(fd);
	return 0;
}

static char **next_watch(struct xs_handle *h)
{
	struct pollfd p = { .fd = xs_fileno(h), .events = POLLIN };

	return poll(&p, 1, TMO_MS) > 0 ? xs_check_watch(h) : NULL;
}

/* Watch fired with path @want (the first event found). */
static int saw_watch(struct xs_handle *h, const char *want)
{
	char **ev = next_watch(h);
	int ok = ev && !strcmp(ev[XS_WATCH_PATH], want);

	free(ev);
	return ok;
}

static int attach(struct xs_handle *h, struct guest *g)
{
	char args[64];
	int len = snprintf(args, sizeof(args), "%u%c0%c%u%c%u", DOMID, 0, 0,
			   g->gref, 0, g->port) + 1;
	char *r = xs_control_command(h, "ring-test", args, (unsigned)len);
	int ok = r != NULL;

	free(r);
	return ok ? 0 : -1;
}

static int toolstack_setup(struct xs_handle *h)
{
	struct xs_permissions ro[2] = { { 0, XS_PERM_NONE },
					{ DOMID, XS_PERM_READ } };
	struct xs_permissions rw[1] = { { DOMID, XS_PERM_NONE } };
	const char *home = "/local/domain/1000";

	xs_rm(h, XBT_NULL, home);
	return xs_write(h, XBT_NULL, home, "", 0) &&
	       xs_set_permissions(h, XBT_NULL, home, ro, 2) &&
	       xs_write(h, XBT_NULL, "/local/domain/1000/name", "ring-test",
			9) &&
	       xs_write(h, XBT_NULL, "/local/domain/1000/data", "", 0) &&
	       xs_set_permissions(h, XBT_NULL, "/local/domain/1000/data", rw,
				  1) &&
	       xs_watch(h, "@introduceDomain", "i") &&
	       saw_watch(h, "@introduceDomain") &&
	       xs_watch(h, "@releaseDomain", "r") &&
	       saw_watch(h, "@releaseDomain") ? 0 : -1;
}

/* Requests over the mapped ring while the domain is introduced. */
static int serve_checks(struct xs_handle *h, struct guest *g)
{
	char buf[XENSTORE_PAYLOAD_MAX + 1];
	char *v;

	CHECK(g->intf->server_features != 0,
	      "the daemon did not write server features into the page");
	CHECK(ring_call(g, XS_READ, "name", 5, buf) == XS_READ &&
	      !strcmp(buf, "ring-test"), "READ over the ring");
	CHECK(ring_call(g, XS_WRITE, "data/x\0hello", 12, buf) == XS_WRITE,
	      "WRITE over the ring");
	v = xs_read(h, XBT_NULL, "/local/domain/1000/data/x", NULL);
	CHECK(v && !strcmp(v, "hello"), "the ring's write is not in the store");
	free(v);
	CHECK(ring_call(g, XS_READ, "/tool", 6, buf) == XS_ERROR &&
	      !strcmp(buf, "EACCES"), "permissions not enforced on the ring");
	CHECK(ring_call(g, XS_WATCH, "data/y\0tok", 11, buf) == XS_WATCH,
	      "WATCH over the ring");
	CHECK(ring_msg(g, buf) == XS_WATCH_EVENT, "no initial watch event");
	CHECK(xs_write(h, XBT_NULL, "/local/domain/1000/data/y", "1", 1),
	      "socket write");
	CHECK(ring_msg(g, buf) == XS_WATCH_EVENT && !strcmp(buf, "data/y"),
	      "no watch event through the event channel");
	return 0;
}

static int run(struct xs_handle *h, struct guest *g)
{
	char info[] = "info";

	/* The daemon logs connections and mappings (shown on failure). */
	free(xs_control_command(h, "log", info, sizeof(info)));
	CHECK(toolstack_setup(h) == 0, "toolstack set-up over the socket");
	CHECK(attach(h, g) == 0, "ring-test refused: see the daemon's log");
	CHECK(saw_watch(h, "@introduceDomain"), "no @introduceDomain");
	CHECK(xs_is_domain_introduced(h, DOMID), "not introduced");
	if (serve_checks(h, g))
		return -1;
	CHECK(xs_release_domain(h, DOMID), "RELEASE");
	CHECK(saw_watch(h, "@releaseDomain"), "no @releaseDomain");
	CHECK(!xs_is_domain_introduced(h, DOMID), "still introduced");
	/* Binding again needs our port unbound: the daemon unbound it. */
	memset(g->intf, 0, 4096);
	CHECK(attach(h, g) == 0, "second attach after RELEASE");
	CHECK(serve_checks(h, g) == 0, "second attach does not serve");
	CHECK(xs_release_domain(h, DOMID), "second RELEASE");
	xs_rm(h, XBT_NULL, "/local/domain/1000");
	return 0;
}

/* On failure: the end of the daemon's log (@path from argv[1]). */
static void show_log(const char *path)
{
	char line[256];
	long at;
	FILE *f = path ? fopen(path, "r") : NULL;

	if (!f)
		return;
	fseek(f, 0, SEEK_END);
	at = ftell(f);
	fseek(f, at > 2000 ? at - 2000 : 0, SEEK_SET);
	while (fgets(line, sizeof(line), f))
		printf("xenstored log: %s", line);
	fclose(f);
}

int main(int argc, char **argv)
{
	struct gntalloc_alloc a = { .domid = 0, .flags = 1, .count = 1 };
	struct gntalloc_dealloc d = { .count = 1 };
	struct guest g = { 0 };
	uint32_t remote = 0;
	struct xs_handle *h;
	char why[160];
	int ga, ret;

	ga = open("/dev/xen/gntalloc", O_RDWR | O_CLOEXEC);
	g.evtchn = open("/dev/xen/evtchn", O_RDWR | O_CLOEXEC);
	h = xs_open(0);
	if (ga < 0 || g.evtchn < 0 || !h ||
	    ioctl(ga, IOCTL_GNTALLOC_ALLOC_GREF, &a) < 0) {
		printf("%s FAIL set-up: gntalloc, evtchn or xenstored: %s\n",
		       TEST, strerror(errno));
		return 1;
	}
	g.gref = a.gref_ids[0];
	g.intf = mmap(NULL, 4096, PROT_READ | PROT_WRITE, MAP_SHARED, ga,
		      (off_t)a.index);
	ret = ioctl(g.evtchn, IOCTL_EVTCHN_BIND_UNBOUND_PORT, &remote);
	if (g.intf == MAP_FAILED || ret < 0) {
		printf("%s FAIL set-up: mmap or unbound port: %s\n", TEST,
		       strerror(errno));
		return 1;
	}
	g.port = (uint32_t)ret;
	memset(g.intf, 0, 4096);
	if (probe_grant_map(g.gref, why, sizeof(why))) {
		printf("%s SKIP %s\n", TEST, why);
		ret = 0;
	} else if (run(h, &g)) {
		show_log(argc > 1 ? argv[1] : NULL);
		printf("%s FAIL %s (errno: %s)\n", TEST, failure,
		       strerror(failure_errno));
		ret = 1;
	} else {
		printf("%s PASS\n", TEST);
		ret = 0;
	}
	munmap(g.intf, 4096);
	d.index = a.index;
	ioctl(ga, IOCTL_GNTALLOC_DEALLOC_GREF, &d);
	close(ga);
	close(g.evtchn);
	/* No xs_close(): cancelling the watch thread needs libgcc_s, which
	 * the initramfs does not have; exiting ends the connection. */
	return ret;
}
