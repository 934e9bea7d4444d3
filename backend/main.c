// SPDX-License-Identifier: MIT
/*
 * hv-backendd: the dom0 program that runs our back ends on Linux user
 * space (/dev/xen environment) against xenstore: one process per service
 * asked for (blk, console, net), each its service loop over its backend
 * tree. The service loops are tested on the host transport by
 * backend/tests; blk also in a Linux dom0 serving a Linux domU's
 * xen-blkfront (tests/linux run-pair).
 */
#include <errno.h>
#include <getopt.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/wait.h>
#include <unistd.h>
#include "blkback/blkback.h"
#include "console/consback.h"
#include "netback/netback-xb.h"

static struct blkback_cfg blk_cfg = {
    .max_queues = 4,
    .max_ring_order = 4,
    .max_indirect = 256,
};

static const char *net_type;

static void usage(void)
{
	fprintf(
	    stderr,
	    "usage: hv-backendd [--blk] [--console] [--net] [--log-dir DIR]\n"
	    "                   [--blk-type vbd|qdisk|...]\n"
	    "                   [--net-type vif|qnic|...] [--blk-threads N]\n"
	    "  runs the selected back ends for domain 0 (default: all);\n"
	    "  --blk-type: the backend directory blk serves (default vbd;\n"
	    "  qdisk leaves vbd to Linux's kernel blkback); --net-type:\n"
	    "  likewise for net (default vif; qnic leaves vif to Linux's\n"
	    "  kernel netback); --blk-threads: threads performing each\n"
	    "  disk's requests, 1..8 (default: one per CPU, at most 4)\n");
}

static int run_blk(struct xenv *e)
{
	struct blkback_daemon bd;
	int rc = blkback_daemon_init(&bd, e, &blk_cfg);

	if (rc)
		return rc;
	rc = blkback_daemon_run(&bd, -1);
	blkback_daemon_fini(&bd);
	return rc;
}

static int run_console(struct xenv *e, const char *log_dir)
{
	struct consback cb;
	int rc = consback_init(&cb, e, log_dir);

	if (rc)
		return rc;
	rc = consback_run(&cb, -1);
	consback_fini(&cb);
	return rc;
}

static int run_net(struct xenv *e)
{
	struct netback_xd xd;
	int rc = netback_xd_init(&xd, e, net_type);

	if (rc)
		return rc;
	rc = netback_xd_run(&xd, -1);
	netback_xd_fini(&xd);
	return rc;
}

/* Each service in its own process with its own /dev/xen handles. */
static pid_t spawn(int which, const char *log_dir)
{
	pid_t pid = fork();
	struct xenv *e;
	int rc;

	if (pid != 0)
		return pid;
	e = xenv_linux_open(0, 0);
	if (!e) {
		perror("hv-backendd: /dev/xen");
		_exit(1);
	}
	rc = which == 0	  ? run_blk(e)
	     : which == 1 ? run_console(e, log_dir)
			  : run_net(e);
	fprintf(stderr, "hv-backendd: service %d ended: %s\n", which,
		strerror(-rc));
	_exit(1);
}

int main(int argc, char **argv)
{
	static const struct option opts[] = {
	    {"blk", no_argument, NULL, 'b'},
	    {"console", no_argument, NULL, 'c'},
	    {"net", no_argument, NULL, 'n'},
	    {"log-dir", required_argument, NULL, 'l'},
	    {"blk-type", required_argument, NULL, 't'},
	    {"net-type", required_argument, NULL, 'T'},
	    {"blk-threads", required_argument, NULL, 'j'},
	    {"help", no_argument, NULL, 'h'},
	    {NULL, 0, NULL, 0},
	};
	bool want[3] = {false, false, false};
	pid_t pids[3] = {0, 0, 0};
	const char *log_dir = NULL;
	int opt, i, any = 0, st;
	unsigned long n;
	char *end;

	blk_cfg.threads = blkback_threads_default();
	while ((opt = getopt_long(argc, argv, "bcnl:t:T:j:h", opts, NULL)) !=
	       -1) {
		switch (opt) {
		case 'b':
			want[0] = true;
			break;
		case 'c':
			want[1] = true;
			break;
		case 'n':
			want[2] = true;
			break;
		case 'l':
			log_dir = optarg;
			break;
		case 't':
		case 'T':
			/* A directory name under backend/, as xl's types. */
			if (!*optarg || strchr(optarg, '/') ||
			    strlen(optarg) > 16) {
				fprintf(stderr, "hv-backendd: bad backend "
						"type '%s'\n", optarg);
				usage();
				return 2;
			}
			*(opt == 't' ? &blk_cfg.type : &net_type) = optarg;
			break;
		case 'j':
			n = strtoul(optarg, &end, 10);
			if (!*optarg || *end || n < 1 ||
			    n > BLKBACK_MAX_THREADS) {
				fprintf(stderr, "hv-backendd: bad thread count "
						"'%s'\n", optarg);
				usage();
				return 2;
			}
			blk_cfg.threads = (unsigned int)n;
			break;
		default:
			usage();
			return opt == 'h' ? 0 : 2;
		}
	}
	for (i = 0; i < 3; i++)
		any |= want[i];
	for (i = 0; i < 3; i++) {
		if (!want[i] && any)
			continue;
		pids[i] = spawn(i, log_dir);
		if (pids[i] < 0)
			return 1;
	}
	/* A service that dies takes the daemon down (only our own children
	 * are signalled): a supervisor restarts it, and front ends
	 * reconnect (tested with blkback). */
	wait(&st);
	for (i = 0; i < 3; i++)
		if (pids[i] > 0)
			kill(pids[i], SIGTERM);
	while (wait(&st) > 0)
		;
	return 1;
}
