// SPDX-License-Identifier: MIT
/*
 * xenstore test environment: starts a private xenstored on a socket in a
 * temporary directory, the blkback service loop as domain 0, and plays
 * the toolstack (toolstack-compat.md 3.3).
 */
#include <errno.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/wait.h>
#include <unistd.h>
#include <xenstore.h>
#include "xbharness.h"

static const struct blkback_cfg daemon_cfg = {
    .max_queues = 4,
    .max_ring_order = 4,
    .max_indirect = 256,
};

int xs_env_start(struct xs_env *x, unsigned int ndoms)
{
	const char *bin = getenv("XENSTORED");
	char sock[96];
	int i;

	memset(x, 0, sizeof(*x));
	x->stop_fd = -1;
	snprintf(x->dir, sizeof(x->dir), "/tmp/xbtest-XXXXXX");
	if (!mkdtemp(x->dir))
		return -errno;
	snprintf(sock, sizeof(sock), "%s/socket", x->dir);
	setenv("XENSTORED_PATH", sock, 1);
	x->xenstored = fork();
	if (x->xenstored == 0) {
		execl(bin ? bin : "xenstored", "xenstored", "-N",
		      "--no-persist", "-D", x->dir, (char *)NULL);
		_exit(127);
	}
	for (i = 0; i < 500 && xb_open(&x->xb); i++)
		usleep(10000);
	if (!x->xb.xs)
		return -ECONNREFUSED;
	x->w = xenv_world_create(ndoms, 16384);
	x->fe = x->w ? xenv_host_open(x->w, 1) : NULL;
	return x->fe ? 0 : -ENOMEM;
}

pid_t xs_env_fork(struct xs_env *x, int (*fn)(struct xs_env *, void *),
		  void *arg)
{
	pid_t pid = fork();

	if (pid == 0) {
		/* The child must not share the parent's connection. */
		x->xb.xs = NULL;
		_exit(fn(x, arg));
	}
	return pid;
}

static int blkback_child(struct xs_env *x, void *arg)
{
	struct blkback_daemon bd;
	struct xenv *e = xenv_host_open(x->w, 0);
	int *p = arg, rc;

	close(p[1]); /* else the stop pipe never reports EOF */
	if (!e || blkback_daemon_init(&bd, e, &daemon_cfg))
		return 2;
	rc = blkback_daemon_run(&bd, p[0]);
	blkback_daemon_fini(&bd);
	return rc ? 3 : 0;
}

int xs_env_start_blkback(struct xs_env *x)
{
	int p[2];

	if (pipe(p))
		return -errno;
	x->backend = xs_env_fork(x, blkback_child, p);
	close(p[0]);
	x->stop_fd = p[1];
	return x->backend > 0 ? 0 : -ECHILD;
}

int xs_env_stop(struct xs_env *x)
{
	int st = 0, bad = 0;
	char cmd[96];

	if (x->backend > 0) {
		close(x->stop_fd);
		waitpid(x->backend, &st, 0);
		bad |= !WIFEXITED(st) || WEXITSTATUS(st);
	}
	xb_close(&x->xb);
	if (x->xenstored > 0) {
		kill(x->xenstored, SIGTERM);
		waitpid(x->xenstored, &st, 0);
	}
	if (x->fe)
		xenv_close(x->fe);
	xenv_world_destroy(x->w);
	snprintf(cmd, sizeof(cmd), "rm -rf %s", x->dir);
	bad |= system(cmd) != 0;
	return bad;
}

static bool put(struct xs_handle *h, xs_transaction_t t, const char *dir,
		const char *key, const char *val)
{
	char path[192];

	snprintf(path, sizeof(path), "%s/%s", dir, key);
	return xs_write(h, t, path, val, (unsigned int)strlen(val));
}

int ts_add_vbd(struct xs_env *x, unsigned int fe, unsigned int devid,
	       const char *path, const char *mode)
{
	struct xs_handle *h = x->xb.xs;
	char fp[96], bp[96], num[16];
	xs_transaction_t t;
	bool ok = true;

	snprintf(fp, sizeof(fp), "/local/domain/%u/device/vbd/%u", fe, devid);
	snprintf(bp, sizeof(bp), "/local/domain/0/backend/vbd/%u/%u", fe,
		 devid);
	t = xs_transaction_start(h);
	ok &= put(h, t, fp, "backend", bp);
	ok &= put(h, t, fp, "backend-id", "0");
	ok &= put(h, t, fp, "state", "1");
	snprintf(num, sizeof(num), "%u", devid);
	ok &= put(h, t, fp, "virtual-device", num);
	ok &= put(h, t, fp, "device-type", "disk");
	ok &= put(h, t, bp, "frontend", fp);
	snprintf(num, sizeof(num), "%u", fe);
	ok &= put(h, t, bp, "frontend-id", num);
	ok &= put(h, t, bp, "online", "1");
	ok &= put(h, t, bp, "state", "1");
	ok &= put(h, t, bp, "params", path);
	ok &= put(h, t, bp, "type", "phy");
	ok &= put(h, t, bp, "mode", mode);
	ok &= put(h, t, bp, "dev", "xvda");
	ok &= put(h, t, bp, "device-type", "disk");
	ok &= put(h, t, bp, "removable", "0");
	ok &= put(h, t, bp, "bootable", "1");
	ok &= put(h, t, bp, "discard-enable", mode[0] == 'w' ? "1" : "0");
	if (!xs_transaction_end(h, t, !ok) || !ok)
		return -EIO;
	return 0;
}

/*
 * online=0, and the backend's state to Closing unless it is already
 * Closed: in one transaction, so that a Closed the backend writes
 * meanwhile is never overwritten (the commit fails and we look again).
 */
static void ts_offline(struct xs_handle *h, const char *bpath)
{
	char path[192], closing[4];

	snprintf(path, sizeof(path), "%s/state", bpath);
	snprintf(closing, sizeof(closing), "%d", XenbusStateClosing);
	for (int tries = 0; tries < 10; tries++) {
		xs_transaction_t t = xs_transaction_start(h);
		unsigned int len;
		char *st = xs_read(h, t, path, &len);
		bool closed = st && atoi(st) == XenbusStateClosed;

		free(st);
		if (!put(h, t, bpath, "online", "0") ||
		    (!closed && !put(h, t, bpath, "state", closing))) {
			xs_transaction_end(h, t, true);
			return;
		}
		if (xs_transaction_end(h, t, false) || errno != EAGAIN)
			return;
	}
}

int ts_remove(struct xs_env *x, const char *bpath)
{
	char *fp = xb_read(&x->xb, "%s/frontend", bpath);
	int st;

	ts_offline(x->xb.xs, bpath);
	xb_watch(&x->xb, bpath, "ts");
	st = xb_wait_state(&x->xb, bpath, XB_STATE_BIT(XenbusStateClosed),
			   10000);
	xb_unwatch(&x->xb, bpath, "ts");
	if (fp)
		xb_rm(&x->xb, "%s", fp);
	xb_rm(&x->xb, "%s", bpath);
	free(fp);
	return st;
}
