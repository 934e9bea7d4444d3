// SPDX-License-Identifier: MIT
/*
 * The modes of the xenstore tool. Output formats follow Xen's tools:
 * read prints the escaped value ("path: value" with -p), ls prints an
 * indented tree with optional full paths and a dotted permission column,
 * watch prints one event path per line.
 */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/ioctl.h>
#include <unistd.h>

#include "xs_tool.h"

#define PERM_COLUMN 60

int mode_read(struct xs_handle *h, xs_transaction_t t, int argc, char **argv)
{
	int i;

	for (i = 0; i < argc; i++) {
		unsigned int len;
		char *val = xs_read(h, t, argv[i], &len);

		if (!val) {
			fprintf(stderr, "%s: couldn't read path %s\n",
				opts.prog, argv[i]);
			return 1;
		}
		if (opts.prefix)
			fprintf(tool_out, "%s: ", argv[i]);
		/* Raw values are printed exactly, without a newline. */
		if (opts.raw)
			fwrite(val, 1, len, tool_out);
		else
			tool_print_escaped(tool_out, val, len, 0);
		if (!opts.raw)
			fputc('\n', tool_out);
		free(val);
	}
	return 0;
}

int mode_write(struct xs_handle *h, xs_transaction_t t, int argc, char **argv)
{
	int i;

	for (i = 0; i + 1 < argc; i += 2) {
		unsigned int len = opts.raw ? (unsigned int)strlen(argv[i + 1]) :
				   tool_unescape(argv[i + 1]);

		if (!xs_write(h, t, argv[i], argv[i + 1], len)) {
			fprintf(stderr, "%s: could not write path %s\n",
				opts.prog, argv[i]);
			return 1;
		}
	}
	return 0;
}

static int term_width(void)
{
	struct winsize ws;

	if (isatty(STDOUT_FILENO) &&
	    ioctl(STDOUT_FILENO, TIOCGWINSZ, &ws) == 0 && ws.ws_col > 20)
		return ws.ws_col;
	return 80;
}

static void print_perms(struct xs_handle *h, const char *path, int col,
			int width)
{
	struct xs_permissions *p;
	unsigned int n, i;
	char buf[PERMS_STRLEN];

	p = xs_get_permissions(h, XBT_NULL, path, &n);
	/* A cut value already fills the line: no separator then. */
	if (opts.full || col < width)
		fputc(' ', tool_out);
	if (!opts.full)
		for (col++; col < PERM_COLUMN; col++)
			fputc(col & 1 ? '.' : ' ', tool_out);
	fputs("  (", tool_out);
	for (i = 0; p && i < n; i++)
		if (xs_perm_to_string(&p[i], buf, sizeof(buf)))
			fprintf(tool_out, "%s%s", i ? "," : "", buf);
	if (!p)
		fprintf(tool_out, "%s", strerror(errno));
	fputs(")\n", tool_out);
	free(p);
}

static int ls_node(struct xs_handle *h, const char *path, int depth, int width)
{
	unsigned int num, i, len;
	char **kids = xs_directory(h, XBT_NULL, path, &num);

	if (!kids) {
		if (depth)
			return 0;	/* vanished or unreadable below the top */
		fprintf(stderr, "%s: xs_directory (%s): %s\n", opts.prog, path,
			strerror(errno));
		return 1;
	}
	for (i = 0; i < num; i++) {
		size_t plen = strlen(path) + strlen(kids[i]) + 2;
		char *child = malloc(plen);
		char *val;
		int col;

		if (!child)
			break;
		snprintf(child, plen, "%s%s%s", path,
			 path[strlen(path) - 1] == '/' ? "" : "/", kids[i]);
		if (opts.full)
			col = fprintf(tool_out, "%s = \"", child);
		else
			col = fprintf(tool_out, "%*s%s = \"", depth, "", kids[i]);
		val = xs_read(h, XBT_NULL, child, &len);
		if (val) {
			long max = width - 4 - col;

			if (max < 1)
				max = 1;
			col += (int)tool_print_escaped(tool_out, val, len,
					opts.full ? 0 : (size_t)max);
		}
		col++;
		fputc('"', tool_out);
		if (opts.perms) {
			print_perms(h, child, col, width);
		} else {
			fputc('\n', tool_out);
		}
		free(val);
		ls_node(h, child, depth + 1, width);
		free(child);
	}
	free(kids);
	return 0;
}

int mode_ls(struct xs_handle *h, xs_transaction_t t, int argc, char **argv)
{
	(void)t;
	return ls_node(h, argc ? argv[0] : "/", 0, term_width());
}

int mode_list(struct xs_handle *h, xs_transaction_t t, int argc, char **argv)
{
	int i;

	for (i = 0; i < argc; i++) {
		unsigned int num, k;
		char **kids = xs_directory(h, t, argv[i], &num);

		if (!kids) {
			fprintf(stderr, "%s: couldn't list path %s\n",
				opts.prog, argv[i]);
			return 1;
		}
		for (k = 0; k < num; k++) {
			if (opts.prefix)
				fprintf(tool_out, "%s/", argv[i]);
			fprintf(tool_out, "%s\n", kids[k]);
		}
		free(kids);
	}
	return 0;
}

int mode_exists(struct xs_handle *h, xs_transaction_t t, int argc,
		char **argv)
{
	int i;

	for (i = 0; i < argc; i++) {
		char *val = xs_read(h, t, argv[i], NULL);

		if (!val)
			return 1;
		free(val);
	}
	return 0;
}
