// SPDX-License-Identifier: MIT
/*
 * Console back end: discovery through the backend/console tree, ring and
 * pty plumbing, and the service loop. backend/console/<dom>/0 stands for
 * a domain's primary console (its ring-ref and port in the frontend
 * directory, as xenconsoled reads them); <dom>/<n> for n >= 1 is a
 * secondary console Linux's hvc_xen probes through xenbus (it writes
 * ring-ref, port and type "ioemu", and waits for our state to become
 * Connected; on shutdown it goes Closing and waits for us to follow).
 * The guest's indexes (out_prod, in_cons) are read once and bounded; a
 * console that breaks them is disconnected and the others keep running.
 */
#include <errno.h>
#include <fcntl.h>
#include <poll.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <termios.h>
#include <unistd.h>
#include "consback.h"

static int open_pty(struct consback_con *c)
{
	struct termios t;
	const char *name;

	c->master = posix_openpt(O_RDWR | O_NOCTTY | O_NONBLOCK | O_CLOEXEC);
	if (c->master < 0)
		return -errno;
	if (grantpt(c->master) || unlockpt(c->master) ||
	    !(name = ptsname(c->master)))
		return -errno;
	snprintf(c->tty, sizeof(c->tty), "%s", name);
	/* Hold the slave open so the master never reads EIO, and make it
	 * raw: console bytes pass unchanged. */
	c->slave = open(c->tty, O_RDWR | O_NOCTTY | O_CLOEXEC);
	if (c->slave < 0 || tcgetattr(c->slave, &t))
		return -errno;
	cfmakeraw(&t);
	return tcsetattr(c->slave, TCSANOW, &t) ? -errno : 0;
}

static void con_close(struct consback *cb, struct consback_con *c)
{
	if (c->port)
		xenv_evtchn_close(cb->env, c->port);
	if (c->intf)
		xenv_unmap(cb->env, c->intf, 1);
	if (c->master >= 0)
		close(c->master);
	if (c->slave >= 0)
		close(c->slave);
	if (c->log_fd >= 0)
		close(c->log_fd);
	c->port = 0;
	c->intf = NULL;
	c->master = c->slave = c->log_fd = -1;
	c->connected = false;
}

static int set_state(struct consback *cb, struct consback_con *c,
		     enum xenbus_state st)
{
	if (c->state == st)
		return 0;
	c->state = st;
	return xb_switch(&cb->xb, c->bpath, st);
}

/*
 * A secondary console follows its front end: it connects once the front
 * end has published its ring (Initialised or Connected), disconnects and
 * goes Closing/Closed with it, and offers itself again (InitWait) when the
 * front end starts over. True if a connect may be tried now.
 */
static bool follow_frontend(struct consback *cb, struct consback_con *c)
{
	uint64_t fs = XenbusStateUnknown;

	if (!c->xenbus)
		return true;
	if (xb_read_uint(&cb->xb, &fs, XenbusStateReconfigured, "%s/state",
			 c->fpath))
		fs = XenbusStateUnknown; /* gone or garbage: treat as closed */
	switch (fs) {
	case XenbusStateInitialised:
	case XenbusStateConnected:
		return true;
	case XenbusStateInitialising:
		if (c->state == XenbusStateClosed) {
			c->broken = false;
			set_state(cb, c, XenbusStateInitWait);
		}
		return false;
	case XenbusStateInitWait:
		return false;
	default:
		con_close(cb, c);
		set_state(cb, c, fs == XenbusStateClosing ? XenbusStateClosing
							  : XenbusStateClosed);
		return false;
	}
}

/* ~/console keys written by the toolstack and the guest's ring-ref/port. */
static int con_connect(struct consback *cb, struct consback_con *c)
{
	uint64_t ref, port;
	char *type, path[128];
	grant_ref_t g;
	int rc;

	/* xenconsoled's (primary) or, on Xen, QEMU's ("ioemu": what
	 * Linux's hvc_xen writes for its xenbus consoles): both are ours. */
	type = xb_read(&cb->xb, "%s/type", c->fpath);
	rc = type && strcmp(type, "xenconsoled") && strcmp(type, "ioemu")
		     ? -ENODEV
		     : 0;
	free(type);
	if (rc)
		return rc;
	if (xb_read_uint(&cb->xb, &ref, UINT32_MAX, "%s/ring-ref", c->fpath) ||
	    xb_read_uint(&cb->xb, &port, UINT32_MAX, "%s/port", c->fpath))
		return -EAGAIN; /* guest not ready yet */
	g = (grant_ref_t)ref;
	rc = xenv_map(cb->env, c->dom, &g, 1, XENV_MAP_RW, (void **)&c->intf);
	if (!rc)
		rc = xenv_evtchn_bind(cb->env, c->dom, (evtchn_port_t)port,
				      &c->port);
	if (!rc)
		rc = open_pty(c);
	if (rc)
		return rc;
	if (cb->log_dir) {
		snprintf(path, sizeof(path), "%s/guest-%u.log", cb->log_dir,
			 c->dom);
		c->log_fd =
		    open(path, O_WRONLY | O_CREAT | O_APPEND | O_CLOEXEC, 0644);
	}
	/* Start from where the guest is; its history is not ours. */
	c->out_cons = RING_READ_ONCE(c->intf->out_cons);
	c->in_prod = RING_READ_ONCE(c->intf->in_prod);
	RING_WRITE_ONCE(c->intf->connection, XENCONSOLE_CONNECTED);
	c->connected = true;
	rc = xb_write(&cb->xb, c->tty, "%s/tty", c->fpath);
	if (!rc && c->xenbus)
		rc = set_state(cb, c, XenbusStateConnected);
	return rc;
}

/* Guest "out" ring -> pty (and log). */
static int pump_out(struct consback_con *c)
{
	char buf[XENCONS_OUT_SIZE];
	xencons_ring_idx_t prod = RING_READ_ONCE(c->intf->out_prod);
	uint32_t avail = prod - c->out_cons, i, n;
	ssize_t w;

	if (avail > XENCONS_OUT_SIZE)
		return -EPROTO;
	ring_rmb(); /* index before the bytes it covers */
	for (i = 0; i < avail; i++)
		buf[i] = RING_READ_ONCE(
		    c->intf
			->out[XENCONS_MASK(c->out_cons + i, XENCONS_OUT_SIZE)]);
	if (!avail)
		return 0;
	w = write(c->master, buf, avail);
	n = w > 0 ? (uint32_t)w : 0; /* pty full: leave the rest queued */
	if (c->log_fd >= 0 && n && write(c->log_fd, buf, n) < 0)
		c->log_fd = -1;
	c->out_cons += n;
	ring_mb(); /* our reads done before the guest reuses slots */
	RING_WRITE_ONCE(c->intf->out_cons, c->out_cons);
	return (int)n;
}

/* pty -> guest "in" ring. */
static int pump_in(struct consback_con *c)
{
	char buf[XENCONS_IN_SIZE];
	xencons_ring_idx_t cons = RING_READ_ONCE(c->intf->in_cons);
	uint32_t used = c->in_prod - cons, i;
	ssize_t r;

	if (used > XENCONS_IN_SIZE)
		return -EPROTO;
	if (used == XENCONS_IN_SIZE)
		return 0;
	r = read(c->master, buf, XENCONS_IN_SIZE - used);
	if (r <= 0)
		return 0;
	ring_mb(); /* guest's reads of old bytes done before we reuse */
	for (i = 0; i < (uint32_t)r; i++)
		c->intf->in[XENCONS_MASK(c->in_prod + i, XENCONS_IN_SIZE)] =
		    buf[i];
	ring_wmb(); /* bytes before the index */
	c->in_prod += (uint32_t)r;
	RING_WRITE_ONCE(c->intf->in_prod, c->in_prod);
	return (int)r;
}

int consback_pump(struct consback *cb, struct consback_con *c)
{
	int o, i;

	if (!c->connected)
		return 0;
	o = pump_out(c);
	i = pump_in(c);
	if (o < 0 || i < 0) {
		c->broken = true;
		con_close(cb, c);
		if (c->xenbus) /* tell the front end; it may start over */
			set_state(cb, c, XenbusStateClosing);
		return -EPROTO;
	}
	if (o > 0 || i > 0)
		xenv_evtchn_notify(cb->env, c->port);
	return o + i;
}

int consback_init(struct consback *cb, struct xenv *e, const char *log_dir)
{
	int rc;

	memset(cb, 0, sizeof(*cb));
	cb->env = e;
	cb->log_dir = log_dir;
	snprintf(cb->root, sizeof(cb->root), "/local/domain/%u/backend/console",
		 e->self);
	rc = xb_open(&cb->xb);
	if (!rc)
		rc = xb_watch(&cb->xb, cb->root, "console");
	return rc;
}

static void add_con(struct consback *cb, const char *dom, const char *dev)
{
	struct consback_con *c;
	unsigned int i, slot = CONSBACK_MAX;
	char bpath[96], *fe;
	uint64_t d;

	if (snprintf(bpath, sizeof(bpath), "%s/%s/%s", cb->root, dom, dev) >=
	    (int)sizeof(bpath))
		return;
	for (i = 0; i < CONSBACK_MAX; i++) {
		if (cb->con[i] && !strcmp(cb->con[i]->bpath, bpath))
			return;
		if (!cb->con[i] && slot == CONSBACK_MAX)
			slot = i;
	}
	if (slot == CONSBACK_MAX ||
	    xb_read_uint(&cb->xb, &d, 0x7fefU, "%s/frontend-id", bpath))
		return;
	fe = xb_read(&cb->xb, "%s/frontend", bpath);
	c = fe && strlen(fe) < sizeof(c->fpath) ? calloc(1, sizeof(*c)) : NULL;
	if (c) {
		c->dom = (xenv_domid_t)d;
		c->master = c->slave = c->log_fd = -1;
		snprintf(c->bpath, sizeof(c->bpath), "%s", bpath);
		snprintf(c->fpath, sizeof(c->fpath), "%s", fe);
		xb_watch(&cb->xb, c->fpath, c->bpath);
		cb->con[slot] = c;
		c->xenbus = strcmp(dev, "0") != 0;
		if (c->xenbus)
			set_state(cb, c, XenbusStateInitWait);
	}
	free(fe);
}

/* New consoles, connects that became possible, removed consoles. */
static void rescan(struct consback *cb)
{
	unsigned int n, i, m, j;
	char **doms = xb_ls(&cb->xb, &n, "%s", cb->root), **devs, *v;

	for (i = 0; i < n; i++) {
		devs = xb_ls(&cb->xb, &m, "%s/%s", cb->root, doms[i]);
		for (j = 0; j < m; j++)
			add_con(cb, doms[i], devs[j]);
		free(devs);
	}
	free(doms);
	for (i = 0; i < CONSBACK_MAX; i++) {
		struct consback_con *c = cb->con[i];

		if (!c)
			continue;
		v = xb_read(&cb->xb, "%s/frontend-id", c->bpath);
		if (!v) {
			xb_unwatch(&cb->xb, c->fpath, c->bpath);
			con_close(cb, c);
			free(c);
			cb->con[i] = NULL;
			continue;
		}
		free(v);
		if (follow_frontend(cb, c) && !c->connected && !c->broken &&
		    con_connect(cb, c))
			con_close(cb, c);
	}
}

int consback_run(struct consback *cb, int stop_fd)
{
	struct pollfd pfd[3 + CONSBACK_MAX];
	unsigned int i, n;

	for (;;) {
		pfd[0] = (struct pollfd){.fd = xenv_evtchn_fd(cb->env),
					 .events = POLLIN};
		pfd[1] =
		    (struct pollfd){.fd = xb_fd(&cb->xb), .events = POLLIN};
		pfd[2] = (struct pollfd){.fd = stop_fd, .events = POLLIN};
		for (i = 0, n = 3; i < CONSBACK_MAX; i++)
			if (cb->con[i] && cb->con[i]->connected)
				pfd[n++] = (struct pollfd){
				    .fd = cb->con[i]->master, .events = POLLIN};
		if (poll(pfd, n, 200) < 0 && errno != EINTR)
			return -errno;
		if (pfd[2].revents)
			return 0;
		if (pfd[1].revents & POLLIN) {
			while (xb_wait(&cb->xb, 0, NULL, 0) > 0)
				;
			rescan(cb);
		}
		xenv_evtchn_wait(cb->env, 0);
		/* Cheap enough to pump every console on any wakeup; the
		 * 200 ms tick also retries output a full pty refused. */
		for (i = 0; i < CONSBACK_MAX; i++)
			if (cb->con[i])
				consback_pump(cb, cb->con[i]);
	}
}

void consback_fini(struct consback *cb)
{
	unsigned int i;

	for (i = 0; i < CONSBACK_MAX; i++) {
		if (!cb->con[i])
			continue;
		con_close(cb, cb->con[i]);
		free(cb->con[i]);
	}
	xb_close(&cb->xb);
}
