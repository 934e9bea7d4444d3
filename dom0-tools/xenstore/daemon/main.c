// SPDX-License-Identifier: MIT
/*
 * xenstored entry point: command line, socket location (XENSTORED_PATH,
 * XENSTORED_RUNDIR, /var/run/xenstored), persistence set-up and the poll()
 * loop over the listening sockets, the host-ring registry and every
 * connection. Request handling is in wire.c; nothing here parses input.
 */
#include <errno.h>
#include <getopt.h>
#include <poll.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "xenstored.h"

#define MAX_REG_FDS 256

static volatile sig_atomic_t stop;

struct options {
	bool foreground;
	bool persist;
	bool domain_init;	/* serve dom0's kernel ring if present */
	const char *pidfile;
	const char *data_dir;
	const char *hostring;
	char socket[4096];
};

static void on_signal(int sig)
{
	(void)sig;
	stop = 1;
}

static void usage(void)
{
	fprintf(stderr,
		"usage: xenstored [options]\n"
		"  -N, --no-fork            stay in the foreground\n"
		"  -F, --pid-file FILE      write the pid to FILE\n"
		"  -D, --data-dir DIR       persistent state (default /var/lib/xenstored)\n"
		"      --no-persist         keep the store in memory only\n"
		"      --fsync              fsync the journal after every change\n"
		"  -H, --host-ring PATH     registry socket for simulated guests\n"
		"  -Q, --quota NAME=VALUE   set a global quota (0 = unlimited): nodes,\n"
		"                           node-size, watches, transactions,\n"
		"                           transaction-nodes, node-permissions,\n"
		"                           path-max, outstanding, memory\n"
		"  -q, --quota-soft memory=VALUE  memory level that is logged\n"
		"  -E, --entry-nb N         nodes per domain\n"
		"  -S, --entry-size N       node size\n"
		"  -W, --watch-nb N         watches per domain\n"
		"  -t, --transaction N      transactions per domain\n"
		"  -A, --perm-nb N          permissions per node\n"
		"  -M, --path-max N         path length\n"
		"  -O, --out-max BYTES      output queue bound per connection\n"
		"  -p, --priv-domid DOMID   ring domain with dom0's rights\n"
		"  -v, --log-level LEVEL    err, warn, info or debug\n"
		"  -T, --log-file FILE      log there instead of stderr\n"
		"      --no-domain-init     do not serve dom0's kernel ring\n");
}

static int short_quota(int opt, const char *arg)
{
	static const struct { char opt; const char *name; } map[] = {
		{ 'E', "nodes" }, { 'S', "node-size" }, { 'W', "watches" },
		{ 't', "transactions" }, { 'A', "node-permissions" },
		{ 'M', "path-max" },
	};
	char buf[64];
	size_t i;

	for (i = 0; i < sizeof(map) / sizeof(map[0]); i++) {
		if (map[i].opt == opt) {
			snprintf(buf, sizeof(buf), "%s=%s", map[i].name, arg);
			return quota_set_option(buf);
		}
	}
	return -EINVAL;
}

static int set_level(const char *arg)
{
	static const char *const names[] = { "err", "warn", "info", "debug" };
	int i;

	for (i = 0; i < 4; i++) {
		if (!strcmp(arg, names[i])) {
			xs_log_level = i;
			return 0;
		}
	}
	return -EINVAL;
}

static int parse_options(int argc, char **argv, struct options *o)
{
	static const struct option longopts[] = {
		{ "no-fork", no_argument, NULL, 'N' },
		{ "pid-file", required_argument, NULL, 'F' },
		{ "data-dir", required_argument, NULL, 'D' },
		{ "no-persist", no_argument, NULL, 'P' },
		{ "fsync", no_argument, NULL, 'Y' },
		{ "host-ring", required_argument, NULL, 'H' },
		{ "quota", required_argument, NULL, 'Q' },
		{ "quota-soft", required_argument, NULL, 'q' },
		{ "entry-nb", required_argument, NULL, 'E' },
		{ "entry-size", required_argument, NULL, 'S' },
		{ "watch-nb", required_argument, NULL, 'W' },
		{ "transaction", required_argument, NULL, 't' },
		{ "perm-nb", required_argument, NULL, 'A' },
		{ "path-max", required_argument, NULL, 'M' },
		{ "out-max", required_argument, NULL, 'O' },
		{ "log-level", required_argument, NULL, 'v' },
		{ "priv-domid", required_argument, NULL, 'p' },
		{ "log-file", required_argument, NULL, 'T' },
		{ "no-domain-init", no_argument, NULL, 'I' },
		{ "help", no_argument, NULL, 'h' },
		{ NULL, 0, NULL, 0 },
	};
	unsigned long v;
	int opt;

	while ((opt = getopt_long(argc, argv, "NF:D:H:Q:q:O:v:E:S:W:t:A:M:p:T:h",
				  longopts, NULL)) != -1) {
		int err = 0;

		switch (opt) {
		case 'N': o->foreground = true; break;
		case 'F': o->pidfile = optarg; break;
		case 'D': o->data_dir = optarg; break;
		case 'P': o->persist = false; break;
		case 'Y': persist_fsync = true; break;
		case 'H': o->hostring = optarg; break;
		case 'Q': err = quota_set_option(optarg); break;
		case 'q': err = quota_soft_option(optarg); break;
		case 'v': err = set_level(optarg); break;
		case 'T': err = xs_log_open(optarg); break;
		case 'I': o->domain_init = false; break;
		case 'O':
			err = xs_parse_uint(optarg, 1UL << 30, &v);
			conn_out_max = v;
			break;
		case 'p':
			err = xs_parse_uint(optarg, DOMID_FIRST_RESERVED - 1, &v);
			xs_priv_domid = (unsigned int)v;
			break;
		case 'E': case 'S': case 'W': case 't': case 'A': case 'M':
			err = short_quota(opt, optarg);
			break;
		default:
			usage();
			return opt == 'h' ? 1 : -EINVAL;
		}
		if (err) {
			fprintf(stderr, "xenstored: bad argument for -%c\n",
				opt);
			return -EINVAL;
		}
	}
	return 0;
}

static void socket_path(struct options *o)
{
	const char *p = getenv("XENSTORED_PATH");
	const char *dir = getenv("XENSTORED_RUNDIR");

	if (!dir)
		dir = "/var/run/xenstored";
	if (p) {
		snprintf(o->socket, sizeof(o->socket), "%s", p);
		return;
	}
	mkdir(dir, 0755);
	snprintf(o->socket, sizeof(o->socket), "%s/socket", dir);
}

/* One poll() round over everything; returns -errno on poll failure. */
static int loop_once(int lfd, struct pollfd **pfdp, size_t *cap)
{
	struct conn *c;
	size_t n = 0, need = 1 + MAX_REG_FDS;
	struct pollfd *pfd;
	int nreg, i;

	for (c = conn_list; c; c = c->next)
		need++;
	if (need > *cap) {
		pfd = realloc(*pfdp, need * sizeof(*pfd));
		if (!pfd)
			return -ENOMEM;
		*pfdp = pfd;
		*cap = need;
	}
	pfd = *pfdp;
	pfd[n++] = (struct pollfd){ .fd = lfd, .events = POLLIN };
	nreg = hostring_fill_pollfds(pfd + n, MAX_REG_FDS);
	n += (size_t)nreg;
	for (c = conn_list; c; c = c->next) {
		pfd[n].fd = c->ops->pollfd(c, &pfd[n].events);
		pfd[n++].revents = 0;
	}
	if (poll(pfd, n, -1) < 0)
		return errno == EINTR ? 0 : -errno;
	/* Connections first: the list is unchanged since it was filled. */
	for (c = conn_list, i = 1 + nreg; c; c = c->next, i++) {
		if (!pfd[i].revents && !c->stalled)
			continue;
		if (c->ops->kick)
			c->ops->kick(c);
		conn_service(c);
	}
	conn_flush_all();
	conn_reap_dead();
	hostring_handle(pfd + 1, nreg);
	if (pfd[0].revents & POLLIN)
		while (sock_accept(lfd) > 0)
			;
	conn_flush_all();
	conn_reap_dead();
	return 0;
}

static int serve(const struct options *o)
{
	struct pollfd *pfd = NULL;
	size_t cap = 0;
	int lfd = sock_listen(o->socket);
	int err = 0;

	if (lfd < 0) {
		xs_log(LOG_ERR, "cannot listen on %s: %s", o->socket,
		       strerror(-lfd));
		return lfd;
	}
	if (o->domain_init && ring_xen_dom0_init() == 0)
		xs_log(LOG_INFO, "serving dom0's kernel over xsd_kva");
	if (o->hostring && (err = hostring_listen(o->hostring)) < 0) {
		xs_log(LOG_ERR, "cannot listen on %s", o->hostring);
		close(lfd);
		return err;
	}
	if (!o->foreground && daemon(0, 0) < 0)
		return -errno;
	if (o->pidfile) {
		FILE *f = fopen(o->pidfile, "w");

		if (f) {
			fprintf(f, "%d\n", (int)getpid());
			fclose(f);
		}
	}
	xs_log(LOG_INFO, "listening on %s", o->socket);
	while (!stop && !err)
		err = loop_once(lfd, &pfd, &cap);
	while (conn_list)
		conn_destroy(conn_list);
	hostring_close();
	close(lfd);
	unlink(o->socket);
	if (o->hostring)
		unlink(o->hostring);
	free(pfd);
	return err;
}

int main(int argc, char **argv)
{
	struct options o = { .persist = true, .domain_init = true };
	struct sigaction sa = { .sa_handler = on_signal };
	int err;

	err = parse_options(argc, argv, &o);
	if (err)
		return err > 0 ? 0 : 2;
	socket_path(&o);
	signal(SIGPIPE, SIG_IGN);
	sigaction(SIGTERM, &sa, NULL);
	sigaction(SIGINT, &sa, NULL);
	if (o.persist) {
		if (!o.data_dir)
			o.data_dir = "/var/lib/xenstored";
		err = persist_open(o.data_dir);
	} else {
		err = store_init();
	}
	if (err) {
		xs_log(LOG_ERR, "cannot initialise the store: %s",
		       strerror(-err));
		return 1;
	}
	err = serve(&o);
	persist_close();
	return err ? 1 : 0;
}
