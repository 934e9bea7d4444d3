// SPDX-License-Identifier: MIT
/*
 * Block test harness: forks the back end domain and drives it over a
 * control socket (attach, detach, stats, quit). The child's loop is the
 * same service loop a real blkback runs: wait on its event channel upcall
 * and serve every device with pending events.
 */
#include <errno.h>
#include <fcntl.h>
#include <poll.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <sys/wait.h>
#include <unistd.h>
#include "harness.h"

enum { CMD_ATTACH = 1, CMD_DETACH, CMD_STATS, CMD_QUIT };

struct h_msg {
	int cmd;
	unsigned int dev;
	xenv_domid_t fe;
	char path[256];
	struct blkback_cfg cfg;
	unsigned int nq, order;
	grant_ref_t refs[BLKFRONT_MAX_QUEUES][1U << RING_MAX_PAGE_ORDER];
	evtchn_port_t ports[BLKFRONT_MAX_QUEUES];
};

struct h_reply {
	int rc;
	uint64_t sectors;
	uint64_t stats[3];
};

static struct blkback_dev *devs[H_MAX_DEVS];

static int child_attach(struct xenv *e, struct h_msg *m)
{
	struct blkback_dev *d;
	unsigned int q;
	int rc;

	if (m->dev >= H_MAX_DEVS || devs[m->dev])
		return -EBUSY;
	d = calloc(1, sizeof(*d));
	if (!d)
		return -ENOMEM;
	m->path[sizeof(m->path) - 1] = 0;
	m->cfg.path = m->path;
	rc = blkback_dev_open(d, e, m->fe, &m->cfg);
	if (rc) {
		free(d);
		return rc;
	}
	for (q = 0; q < m->nq && !rc; q++)
		rc = blkback_ring_connect(d, q, m->refs[q], m->order,
					  m->ports[q]);
	if (rc) {
		blkback_dev_close(d);
		free(d);
		return rc;
	}
	devs[m->dev] = d;
	return 0;
}

static void child_cmd(struct xenv *e, int sock, struct h_msg *m)
{
	struct h_reply r = {0};
	struct blkback_dev *d = m->dev < H_MAX_DEVS ? devs[m->dev] : NULL;
	unsigned int q;

	switch (m->cmd) {
	case CMD_ATTACH:
		r.rc = child_attach(e, m);
		if (!r.rc)
			r.sectors = devs[m->dev]->sectors;
		break;
	case CMD_DETACH:
		if (d) {
			blkback_dev_close(d);
			free(d);
			devs[m->dev] = NULL;
		}
		break;
	case CMD_STATS:
		if (!d) {
			r.rc = -ENOENT;
			break;
		}
		for (q = 0; q < BLKBACK_MAX_QUEUES; q++) {
			r.stats[0] += d->ring[q].nr_reqs;
			r.stats[1] += d->ring[q].nr_errors;
			r.stats[2] += d->ring[q].broken;
		}
		break;
	}
	if (write(sock, &r, sizeof(r)) != sizeof(r))
		_exit(3);
}

static struct blkback_dev *dev_at(unsigned int i, void *arg)
{
	(void)arg;
	return devs[i];
}

/* One round over every device, as the daemon's serve(). */
static bool child_serve_all(void)
{
	unsigned int i;
	bool more = false;
	int done = 0, rc;

	for (i = 0; i < H_MAX_DEVS; i++) {
		if (!devs[i])
			continue;
		rc = blkback_dev_service(devs[i], false);
		done += rc > 0 ? rc : 0;
		more |= blkback_dev_more(devs[i]);
	}
	return more || (done && blkback_poll(dev_at, H_MAX_DEVS, NULL));
}

static void child_main(struct xenv_world *w, int sock)
{
	struct xenv *e = xenv_host_open(w, 0);
	struct pollfd pfd[2];
	struct h_msg m;

	if (!e)
		_exit(2);
	pfd[0].fd = xenv_evtchn_fd(e);
	pfd[0].events = POLLIN;
	pfd[1].fd = sock;
	pfd[1].events = POLLIN;
	bool more = false;

	for (;;) {
		if (poll(pfd, 2, more ? 0 : -1) < 0)
			continue;
		if ((pfd[0].revents & POLLIN) || more) {
			xenv_evtchn_wait(e, 0);
			more = child_serve_all();
		}
		if (pfd[1].revents) {
			if (read(sock, &m, sizeof(m)) != sizeof(m) ||
			    m.cmd == CMD_QUIT)
				_exit(0);
			child_cmd(e, sock, &m);
		}
	}
}

int h_backend_start(struct h_backend *hb, struct xenv_world *w)
{
	int sv[2];

	if (socketpair(AF_UNIX, SOCK_SEQPACKET, 0, sv))
		return -errno;
	hb->w = w;
	hb->pid = fork();
	if (hb->pid < 0)
		return -errno;
	if (hb->pid == 0) {
		close(sv[0]);
		child_main(w, sv[1]);
	}
	close(sv[1]);
	hb->sock = sv[0];
	return 0;
}

static int h_call(struct h_backend *hb, const struct h_msg *m,
		  struct h_reply *r)
{
	if (write(hb->sock, m, sizeof(*m)) != sizeof(*m))
		return -EPIPE;
	if (read(hb->sock, r, sizeof(*r)) != sizeof(*r))
		return -EPIPE;
	return r->rc;
}

int h_backend_stop(struct h_backend *hb)
{
	struct h_msg m = {.cmd = CMD_QUIT};
	int st = 0;

	if (write(hb->sock, &m, sizeof(m)) != sizeof(m))
		kill(hb->pid, SIGKILL);
	waitpid(hb->pid, &st, 0);
	close(hb->sock);
	return WIFEXITED(st) ? WEXITSTATUS(st) : -1;
}

void h_backend_kill(struct h_backend *hb)
{
	kill(hb->pid, SIGKILL);
	waitpid(hb->pid, NULL, 0);
	close(hb->sock);
}

int h_attach(struct h_backend *hb, unsigned int dev, xenv_domid_t fe_dom,
	     const struct blkback_cfg *cfg, struct blkfront *bf,
	     struct blkfront_info *info)
{
	struct h_msg m;
	struct h_reply r;
	unsigned int q;
	int rc;

	memset(&m, 0, sizeof(m));
	m.cmd = CMD_ATTACH;
	m.dev = dev;
	m.fe = fe_dom;
	snprintf(m.path, sizeof(m.path), "%s", cfg->path);
	m.cfg = *cfg;
	m.cfg.path = NULL;
	m.nq = bf->nr_queues;
	m.order = bf->order;
	for (q = 0; q < bf->nr_queues; q++) {
		memcpy(m.refs[q], bf->q[q].ring_ref, sizeof(m.refs[q]));
		m.ports[q] = bf->q[q].port;
	}
	rc = h_call(hb, &m, &r);
	if (rc)
		return rc;
	memset(info, 0, sizeof(*info));
	info->sectors = r.sectors;
	info->sector_size = BLKIF_SECTOR_SIZE;
	info->info = cfg->readonly ? VDISK_READONLY : 0;
	info->flush = true;
	info->barrier = true;
	info->discard = cfg->discard;
	info->max_indirect = cfg->max_indirect;
	info->persistent = cfg->persistent;
	info->max_queues = cfg->max_queues;
	info->max_order = cfg->max_ring_order;
	return 0;
}

int h_detach(struct h_backend *hb, unsigned int dev)
{
	struct h_msg m = {.cmd = CMD_DETACH, .dev = dev};
	struct h_reply r;

	return h_call(hb, &m, &r);
}

int h_stats(struct h_backend *hb, unsigned int dev, uint64_t out[3])
{
	struct h_msg m = {.cmd = CMD_STATS, .dev = dev};
	struct h_reply r;
	int rc = h_call(hb, &m, &r);

	memcpy(out, r.stats, sizeof(r.stats));
	return rc;
}

void h_fill(void *buf, size_t len, uint64_t seed)
{
	uint64_t x = seed * 0x9e3779b97f4a7c15ULL + 1, *p = buf;
	size_t i;

	for (i = 0; i < len / 8; i++) {
		x ^= x << 13;
		x ^= x >> 7;
		x ^= x << 17;
		p[i] = x;
	}
}

int h_make_disk(char *path, size_t pathlen, uint64_t bytes)
{
	static unsigned int seq;
	char *buf;
	uint64_t off;
	int fd;

	snprintf(path, pathlen, "/tmp/blkt-%d-%u.img", getpid(), seq++);
	fd = open(path, O_RDWR | O_CREAT | O_TRUNC, 0600);
	if (fd < 0)
		return -errno;
	buf = malloc(1 << 20);
	for (off = 0; buf && off < bytes; off += 1 << 20) {
		size_t n = bytes - off < (1 << 20) ? bytes - off : 1 << 20;

		h_fill(buf, n, off);
		if (pwrite(fd, buf, n, (off_t)off) != (ssize_t)n)
			break;
	}
	free(buf);
	close(fd);
	return off >= bytes ? 0 : -EIO;
}

int h_front_connect(struct h_backend *hb, struct xenv *fe, unsigned int dev,
		    const struct blkback_cfg *cfg, unsigned int nq,
		    unsigned int order, struct blkfront *bf)
{
	struct blkfront_info info;
	int rc = blkfront_init(bf, fe, 0, nq, order);

	if (rc)
		return rc;
	rc = h_attach(hb, dev, fe->self, cfg, bf, &info);
	if (!rc)
		rc = blkfront_start(bf, &info);
	if (rc)
		blkfront_fini(bf);
	return rc;
}
