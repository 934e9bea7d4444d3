/* SPDX-License-Identifier: MIT */
/*
 * Shared declarations of the xenstore command-line tools: the mode table
 * of the multi-call binary and the value escaping helpers.
 */
#ifndef XS_TOOL_H
#define XS_TOOL_H

#include <stdbool.h>
#include <stdio.h>
#include <xenstore.h>

struct xs_mode {
	const char *name;
	/* Run inside transaction @t (XBT_NULL for modes that need none). */
	int (*run)(struct xs_handle *h, xs_transaction_t t, int argc,
		   char **argv);
	bool needs_txn;
	int min_args;
	const char *usage;
};

/* Options shared by the modes (set by the option parser). */
struct tool_opts {
	bool prefix, raw, full, perms, tidy, recurse, upwards;
	int watch_count, depth;
	const char *prog;
};
extern struct tool_opts opts;
/*
 * Where modes print. Inside a transaction it is a memory buffer that
 * reaches stdout only once the commit succeeded, so an EAGAIN retry does
 * not print twice (Xen's tools do the same).
 */
extern FILE *tool_out;

/*
 * Print @val as xenstore-read does (\t \n \r \\, \ooo, \xNN), cut to
 * @max characters plus "\..." when @max is non-zero; returns the width.
 */
size_t tool_print_escaped(FILE *f, const char *val, unsigned int len,
			  size_t max);
/* Undo the escapes accepted by xenstore-write in place; returns length. */
unsigned int tool_unescape(char *s);

int mode_read(struct xs_handle *h, xs_transaction_t t, int argc, char **argv);
int mode_write(struct xs_handle *h, xs_transaction_t t, int argc, char **argv);
int mode_ls(struct xs_handle *h, xs_transaction_t t, int argc, char **argv);
int mode_list(struct xs_handle *h, xs_transaction_t t, int argc, char **argv);
int mode_exists(struct xs_handle *h, xs_transaction_t t, int argc,
		char **argv);
int mode_rm(struct xs_handle *h, xs_transaction_t t, int argc, char **argv);
int mode_chmod(struct xs_handle *h, xs_transaction_t t, int argc, char **argv);
int mode_watch(struct xs_handle *h, xs_transaction_t t, int argc, char **argv);

#endif /* XS_TOOL_H */
