// SPDX-License-Identifier: MIT
/*
 * The modes of the xenstore tool that change the store or wait on it:
 * rm (with -t, tidy empty parents), chmod (-r recursive, -u parents too)
 * and watch (-n events, -d depth).
 */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "xs_tool.h"

/* Remove @path's parents while they are empty and have no value. */
static void tidy_parents(struct xs_handle *h, xs_transaction_t t,
			 const char *path)
{
	char *p = strdup(path);
	char *slash;

	while (p && (slash = strrchr(p, '/')) && slash != p) {
		unsigned int num, len;
		char **kids;
		char *val;

		*slash = '\0';
		kids = xs_directory(h, t, p, &num);
		val = xs_read(h, t, p, &len);
		free(kids);
		free(val);
		if (!kids || !val || num || len || !xs_rm(h, t, p))
			break;
	}
	free(p);
}

int mode_rm(struct xs_handle *h, xs_transaction_t t, int argc, char **argv)
{
	int i;

	for (i = 0; i < argc; i++) {
		if (!xs_rm(h, t, argv[i])) {
			fprintf(stderr, "%s: could not remove path %s\n",
				opts.prog, argv[i]);
			return 1;
		}
		if (opts.tidy)
			tidy_parents(h, t, argv[i]);
	}
	return 0;
}

static int set_perms(struct xs_handle *h, xs_transaction_t t,
		     const char *path, struct xs_permissions *p,
		     unsigned int n)
{
	unsigned int num, i;
	char **kids;

	if (!xs_set_permissions(h, t, path, p, n)) {
		fprintf(stderr, "%s: Error occurred trying to set permissions on %s: %s\n",
			opts.prog, path, strerror(errno));
		return 1;
	}
	if (!opts.recurse)
		return 0;
	kids = xs_directory(h, t, path, &num);
	for (i = 0; kids && i < num; i++) {
		size_t len = strlen(path) + strlen(kids[i]) + 2;
		char *child = malloc(len);
		int err;

		if (!child)
			break;
		snprintf(child, len, "%s%s%s", path,
			 strcmp(path, "/") ? "/" : "", kids[i]);
		err = set_perms(h, t, child, p, n);
		free(child);
		if (err) {
			free(kids);
			return err;
		}
	}
	free(kids);
	return 0;
}

int mode_chmod(struct xs_handle *h, xs_transaction_t t, int argc, char **argv)
{
	unsigned int n = (unsigned int)argc - 1, i;
	struct xs_permissions *p = calloc(n, sizeof(*p));
	int ret = 1;

	if (!p)
		return 1;
	for (i = 0; i < n; i++) {
		if (!xs_strings_to_perms(&p[i], 1, argv[i + 1])) {
			fprintf(stderr, "%s: Invalid permission %s\n",
				opts.prog, argv[i + 1]);
			goto out;
		}
	}
	if (opts.upwards) {
		char *path = strdup(argv[0]);
		char *slash;

		while (path && (slash = strrchr(path, '/')) && slash != path) {
			*slash = '\0';
			if (!xs_set_permissions(h, t, path, p, n))
				break;
		}
		free(path);
	}
	ret = set_perms(h, t, argv[0], p, n);
out:
	free(p);
	return ret;
}

int mode_watch(struct xs_handle *h, xs_transaction_t t, int argc, char **argv)
{
	int i, seen = 0;

	(void)t;
	for (i = 0; i < argc; i++) {
		bool ok = opts.depth >= 0 ?
			xs_watch_depth(h, argv[i], argv[i],
				       (unsigned int)opts.depth) :
			xs_watch(h, argv[i], argv[i]);

		if (!ok) {
			fprintf(stderr, "%s: Unable to add watch on %s: %s\n",
				opts.prog, argv[i], strerror(errno));
			return 1;
		}
	}
	while (opts.watch_count < 0 || seen < opts.watch_count) {
		unsigned int num;
		char **vec = xs_read_watch(h, &num);

		if (!vec)
			return 1;
		fprintf(tool_out, "%s\n", vec[XS_WATCH_PATH]);
		fflush(tool_out);
		free(vec);
		seen++;
	}
	return 0;
}
