// SPDX-License-Identifier: MIT
/*
 * XS_CONTROL: the daemon's command interface used by xenstore-control.
 * Commands: help, log [off|err|warn|info|debug], logfile <f>, print <text>,
 * check,
 * memreport, quota [<domid>|set <name> <value>] (Xen 4.17's output),
 * quota-soft [set memory <value>], ring-test <domid> <grant-domid> <gref>
 * <port> (introduce @domid served over another domain's grant and event
 * channel through /dev/xen: the dom0 test of that transport). Unknown
 * commands: EINVAL.
 */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "xenstored.h"

static const char *const level_names[] = { "err", "warn", "info", "debug" };

static int ctl_log(struct request *r, const char **argv, unsigned int n)
{
	char buf[64];
	int i;

	if (n == 1) {
		i = xs_log_level < 0 ? 0 : xs_log_level > 3 ? 3 : xs_log_level;
		return wire_reply(r, buf, (size_t)snprintf(buf, sizeof(buf),
				  "log level %s\n", level_names[i]) + 1);
	}
	if (!strcmp(argv[1], "on") || !strcmp(argv[1], "off")) {
		xs_log_level = argv[1][1] == 'n' ? LOG_DEBUG : LOG_ERR;
		return wire_ok(r);
	}
	for (i = 0; i < 4; i++) {
		if (!strcmp(argv[1], level_names[i])) {
			xs_log_level = i;
			return wire_ok(r);
		}
	}
	return -EINVAL;
}

/* Xen 4.17's order and descriptions for "quota". */
static const struct {
	const char *name;
	enum quota_idx q;
	const char *descr;
} quota_show[] = {
	{ "nodes", Q_NODES, "Nodes per domain" },
	{ "watches", Q_WATCHES, "Watches per domain" },
	{ "transactions", Q_TXNS, "Transactions per domain" },
	{ "outstanding", Q_OUTSTANDING, "Outstanding requests per domain" },
	{ "transaction-nodes", Q_TXN_NODES,
	  "Max. number of accessed nodes per transaction" },
	{ "memory", Q_MEMORY, "Total Xenstore memory per domain (error level)" },
	{ "node-size", Q_NODE_SIZE, "Max. size of a node" },
	{ "path-max", Q_PATH_MAX, "Max. length of a node path" },
	{ "permissions", Q_PERMS, "Max. number of permissions per node" },
};

#define APPEND(buf, used, ...) \
	((used) += (size_t)snprintf((buf) + (used), sizeof(buf) - (used), \
				    __VA_ARGS__))

/* "quota <domid>": what the domain uses, as Xen 4.17 prints it. */
static int quota_usage(struct request *r, const char *arg)
{
	unsigned long domid;
	struct domain *d;
	char buf[512];
	size_t used = 0;

	if (xs_parse_uint(arg, 0xffff, &domid) < 0)
		return -EINVAL;
	d = domain_find((unsigned int)domid);
	if (!d)
		return -ENOENT;
	APPEND(buf, used, "Domain %u:\n", d->domid);
	APPEND(buf, used, "%-16s: %8lu\n", "nodes", d->nr_nodes);
	APPEND(buf, used, "%-16s: %8u\n", "watches",
	       d->conn ? d->conn->nr_watches : 0);
	APPEND(buf, used, "%-16s: %8u\n", "transactions",
	       d->conn ? d->conn->nr_txns : 0);
	APPEND(buf, used, "%-16s: %8u\n", "outstanding", d->outstanding);
	APPEND(buf, used, "%-16s: %8ld\n", "memory", d->memory);
	return wire_reply(r, buf, used + 1);
}

/* quota [set <name> <value> | <domid>] and quota-soft [set memory <v>] */
static int ctl_quota(struct request *r, const char **argv, unsigned int n,
		     bool soft)
{
	char buf[1024];
	size_t used = 0;
	unsigned long v;
	unsigned int i;
	int q;

	if (n == 4 && !strcmp(argv[1], "set")) {
		/* As Xen: values from 1; 0 (unlimited) only at start-up. */
		if (xs_parse_uint(argv[3], INT32_MAX, &v) < 0 || v < 1)
			return -EINVAL;
		if (soft) {
			if (strcmp(argv[2], "memory"))
				return -EINVAL;
			quota_memory_soft = (unsigned int)v;
			return wire_ok(r);
		}
		q = quota_index(argv[2]);
		if (q < 0)
			return -EINVAL;
		quota_global[q] = (unsigned int)v;
		return wire_ok(r);
	}
	if (n == 2 && !soft)
		return quota_usage(r, argv[1]);
	if (n != 1)
		return -EINVAL;
	APPEND(buf, used, "Quota settings:\n");
	if (soft) {
		APPEND(buf, used, "%-17s: %8u %s\n", "memory", quota_memory_soft,
		       "Total Xenstore memory per domain (warning level)");
		return wire_reply(r, buf, used + 1);
	}
	for (i = 0; i < sizeof(quota_show) / sizeof(quota_show[0]); i++)
		APPEND(buf, used, "%-17s: %8u %s\n", quota_show[i].name,
		       quota_global[quota_show[i].q], quota_show[i].descr);
	return wire_reply(r, buf, used + 1);
}

static int check_node(struct node *n, void *arg)
{
	unsigned long *count = arg;

	(*count)++;
	return n->nperms ? 0 : -EIO;
}

static int ctl_check(struct request *r)
{
	unsigned long seen = 0;
	int err = store_walk(check_node, &seen);

	/* Two special nodes are not reachable from "/". */
	if (err || seen + 2 != store_node_count())
		return -EIO;
	return wire_ok(r);
}

static int ctl_memreport(struct request *r)
{
	char buf[256];
	struct conn *c;
	unsigned int nconn = 0;

	for (c = conn_list; c; c = c->next)
		nconn++;
	return wire_reply(r, buf, (size_t)snprintf(buf, sizeof(buf),
			  "nodes %lu\nconnections %u\ngeneration %llu\n",
			  store_node_count(), nconn,
			  (unsigned long long)store_generation()) + 1);
}

/* ring-test <domid> <grant-domid> <gref> <port> */
static int ctl_ring_test(struct request *r, const char **argv)
{
	unsigned long domid, owner, gref, port;

	if (xs_parse_uint(argv[1], 0xffff, &domid) < 0 ||
	    xs_parse_uint(argv[2], 0xffff, &owner) < 0 ||
	    xs_parse_uint(argv[3], UINT32_MAX, &gref) < 0 ||
	    xs_parse_uint(argv[4], UINT32_MAX, &port) < 0)
		return -EINVAL;
	return domain_ring_test((unsigned int)domid, (unsigned int)owner,
				(uint32_t)gref, (unsigned int)port) ?:
	       wire_ok(r);
}

int do_control(struct request *r)
{
	static const char help[] = "commands:\n  check\n  help\n"
		"  log [on|off|err|warn|info|debug]\n  logfile <file>|-\n"
		"  memreport\n"
		"  print <text>\n  quota [<domid>|set <name> <value>]\n"
		"  ring-test <domid> <grant-domid> <gref> <port>\n"
		"  quota-soft [set memory <value>]\n";
	const char *argv[8];
	unsigned int n;

	if (!r->hdr.len || r->data[r->hdr.len - 1] != '\0')
		return -EINVAL;
	n = wire_args(r, argv, 8);
	if (!strcmp(argv[0], "help"))
		return wire_reply(r, help, sizeof(help));
	if (!strcmp(argv[0], "log"))
		return ctl_log(r, argv, n);
	if (!strcmp(argv[0], "quota"))
		return ctl_quota(r, argv, n, false);
	if (!strcmp(argv[0], "quota-soft"))
		return ctl_quota(r, argv, n, true);
	if (!strcmp(argv[0], "check"))
		return ctl_check(r);
	if (!strcmp(argv[0], "memreport"))
		return ctl_memreport(r);
	if (!strcmp(argv[0], "ring-test") && n == 5)
		return ctl_ring_test(r, argv);
	if (!strcmp(argv[0], "logfile") && n == 2)
		return xs_log_open(argv[1]) ? -EINVAL : wire_ok(r);
	if (!strcmp(argv[0], "print") && n == 2) {
		xs_log(LOG_ERR, "control: %s", argv[1]);
		return wire_ok(r);
	}
	return -EINVAL;
}
