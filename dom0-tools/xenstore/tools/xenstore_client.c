// SPDX-License-Identifier: MIT
/*
 * The xenstore multi-call tool: xenstore-<mode> (or "xenstore <mode>")
 * for read, write, ls, list, exists, rm, chmod and watch, with the
 * original flags. This file owns option parsing, the mode table and the
 * transaction retry loop; the modes are in modes.c.
 */
#include <errno.h>
#include <getopt.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "xs_tool.h"

struct tool_opts opts = { .watch_count = -1, .depth = -1 };
FILE *tool_out;

static const struct xs_mode modes[] = {
	{ "read", mode_read, true, 1, "[-h] [-p] [-s] [-R] key [...]" },
	{ "write", mode_write, true, 2, "[-h] [-s] [-R] key value [...]" },
	{ "ls", mode_ls, false, 0, "[-h] [-f] [-p] [-s] [path]" },
	{ "list", mode_list, true, 1, "[-h] [-p] [-s] key [...]" },
	{ "exists", mode_exists, true, 1, "[-h] [-s] key [...]" },
	{ "rm", mode_rm, true, 1, "[-h] [-s] [-t] key [...]" },
	{ "chmod", mode_chmod, true, 2,
	  "[-h] [-u] [-r] [-s] key <mode [modes...]>" },
	{ "watch", mode_watch, false, 1,
	  "[-h] [-n NR] [-d DEPTH] [-s] key [...]" },
};

static const struct xs_mode *find_mode(const char *name)
{
	size_t i;

	for (i = 0; i < sizeof(modes) / sizeof(modes[0]); i++)
		if (!strcmp(modes[i].name, name))
			return &modes[i];
	return NULL;
}

static int usage(const struct xs_mode *m, const char *argv0)
{
	if (m)
		fprintf(stderr, "%s: Usage: %s %s\n", opts.prog, argv0,
			m->usage);
	else
		fprintf(stderr, "%s: Usage: %s <mode> [-h] [...]\n",
			opts.prog, argv0);
	return 1;
}

static int parse(const struct xs_mode *m, int argc, char **argv)
{
	int c;

	while ((c = getopt(argc, argv, "+hsRpftrun:d:")) != -1) {
		switch (c) {
		case 's': break;	/* socket only: always the case */
		case 'R': opts.raw = true; break;
		case 'p': opts.prefix = opts.perms = true; break;
		case 'f': opts.full = true; break;
		case 't': opts.tidy = true; break;
		case 'r': opts.recurse = true; break;
		case 'u': opts.upwards = true; break;
		case 'n': opts.watch_count = atoi(optarg); break;
		case 'd': opts.depth = atoi(optarg); break;
		default:
			return -1;
		}
	}
	if (argc - optind < m->min_args)
		return -1;
	if (!strcmp(m->name, "write") && (argc - optind) % 2)
		return -1;
	if (!strcmp(m->name, "ls") && argc - optind > 1)
		return -1;
	return 0;
}

/* One attempt of @m inside @t, its output kept in *@buf. */
static int attempt(const struct xs_mode *m, struct xs_handle *h,
		   xs_transaction_t t, int argc, char **argv, char **buf,
		   size_t *len)
{
	int ret;

	tool_out = open_memstream(buf, len);
	if (!tool_out)
		return 1;
	ret = m->run(h, t, argc, argv);
	fclose(tool_out);
	return ret;
}

static bool wants_txn(const struct xs_mode *m, int argc)
{
	/* Several keys go in one transaction, as Xen's tool does. */
	return m->needs_txn && (strcmp(m->name, "read") || argc > 1) &&
	       (strcmp(m->name, "write") || argc > 2);
}

static int run_mode(const struct xs_mode *m, int argc, char **argv)
{
	struct xs_handle *h = xs_open(0);
	char *buf = NULL;
	size_t len = 0;
	int ret;

	if (!h) {
		fprintf(stderr, "%s: xs_open: %s\n", opts.prog,
			strerror(errno));
		return 1;
	}
	if (!wants_txn(m, argc)) {
		tool_out = stdout;
		ret = m->run(h, XBT_NULL, argc, argv);
		xs_close(h);
		return ret;
	}
	for (;;) {
		xs_transaction_t t = xs_transaction_start(h);

		if (t == XBT_NULL) {
			fprintf(stderr, "%s: couldn't start transaction\n",
				opts.prog);
			ret = 1;
			break;
		}
		free(buf);
		buf = NULL;
		ret = attempt(m, h, t, argc, argv, &buf, &len);
		if (xs_transaction_end(h, t, ret != 0)) {
			if (buf)
				fwrite(buf, 1, len, stdout);
			break;
		}
		if (ret == 0 && errno == EAGAIN)
			continue;	/* conflict: run the whole mode again */
		if (ret == 0) {
			fprintf(stderr, "%s: couldn't end transaction\n",
				opts.prog);
			ret = 1;
		}
		break;
	}
	free(buf);
	xs_close(h);
	return ret;
}

int main(int argc, char **argv)
{
	const char *base = strrchr(argv[0], '/');
	const struct xs_mode *m = NULL;
	char prog[64];

	base = base ? base + 1 : argv[0];
	if (!strncmp(base, "xenstore-", 9)) {
		m = find_mode(base + 9);
		snprintf(prog, sizeof(prog), "%s", base);
	} else if (argc > 1) {
		m = find_mode(argv[1]);
		snprintf(prog, sizeof(prog), "xenstore-%s", argv[1]);
		argv++;
		argc--;
	}
	opts.prog = m ? prog : "xenstore";
	if (!m || parse(m, argc, argv) < 0)
		return usage(m, argv[0]);
	return run_mode(m, argc - optind, argv + optind);
}
