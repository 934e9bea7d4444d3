// SPDX-License-Identifier: MIT
/*
 * XS_CONTROL: the daemon's command interface used by xenstore-control.
 * Commands: help, log [off|err|warn|info|debug], logfile <f>, print <text>,
 * check,
 * memreport, quota [<domid>|set <name> <value>]. Unknown commands: EINVAL.
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

static int ctl_quota(struct request *r, const char **argv, unsigned int n)
{
	char buf[1024];
	size_t used = 0;
	unsigned long domid = 0;
	unsigned int i;

	if (n == 4 && !strcmp(argv[1], "set")) {
		char opt[96];

		snprintf(opt, sizeof(opt), "%s=%s", argv[2], argv[3]);
		return quota_set_option(opt) ?: wire_ok(r);
	}
	if (n == 2 && (xs_parse_uint(argv[1], 0xffff, &domid) < 0 ||
		       !domain_find((unsigned int)domid)))
		return -EINVAL;
	if (n > 2)
		return -EINVAL;
	for (i = 0; i < Q_COUNT; i++) {
		unsigned int v = n == 2 ? quota_of((unsigned int)domid, i) :
				 quota_global[i];

		used += (size_t)snprintf(buf + used, sizeof(buf) - used,
					 "%-18s %u\n", quota_names[i], v);
	}
	if (n == 2)
		used += (size_t)snprintf(buf + used, sizeof(buf) - used,
					 "%-18s %lu (in use)\n", "nodes",
					 domain_nodes((unsigned int)domid));
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

int do_control(struct request *r)
{
	static const char help[] = "commands:\n  check\n  help\n"
		"  log [on|off|err|warn|info|debug]\n  logfile <file>|-\n"
		"  memreport\n"
		"  print <text>\n  quota [<domid>|set <name> <value>]\n";
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
		return ctl_quota(r, argv, n);
	if (!strcmp(argv[0], "check"))
		return ctl_check(r);
	if (!strcmp(argv[0], "memreport"))
		return ctl_memreport(r);
	if (!strcmp(argv[0], "logfile") && n == 2)
		return xs_log_open(argv[1]) ? -EINVAL : wire_ok(r);
	if (!strcmp(argv[0], "print") && n == 2) {
		xs_log(LOG_ERR, "control: %s", argv[1]);
		return wire_ok(r);
	}
	return -EINVAL;
}
