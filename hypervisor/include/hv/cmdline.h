/* SPDX-License-Identifier: GPL-2.0 */
/*
 * Command-line option parser (common/lib/cmdline.c): splits a line such as
 * "console=com1 dom0_mem=512M no-debug loglevel=3" into words and applies
 * each to a table of typed options. It owns no option; callers own tables.
 */
#ifndef HV_CMDLINE_H
#define HV_CMDLINE_H

#include <hv/types.h>

#define CMDLINE_MAX_WORD 256 /* longer words are reported, not applied */

enum cmdline_type {
	CMDLINE_BOOL,	/* bool *: "x", "no-x", "x=" 1/0 yes/no on/off
			 * true/false enable/disable */
	CMDLINE_UINT,	/* uint64_t *: "x=N", decimal or 0x hex, optional
			 * K/M/G/T suffix (powers of 1024) */
	CMDLINE_STRING, /* char[size]: "x=text", NUL-terminated */
	CMDLINE_CUSTOM, /* custom(value or NULL for a bare "x", var) */
};

struct cmdline_param {
	const char *name; /* '-' and '_' match each other */
	enum cmdline_type type;
	void *var;
	size_t size; /* CMDLINE_STRING: size of the buffer */
	/* CMDLINE_CUSTOM: returns 0 or a negative errno (reported). */
	int (*custom)(const char *val, void *var);
};

#define CMDLINE_BOOL_PARAM(n, v)                                               \
	{                                                                      \
		.name = (n), .type = CMDLINE_BOOL, .var = (v)                  \
	}
#define CMDLINE_UINT_PARAM(n, v)                                               \
	{                                                                      \
		.name = (n), .type = CMDLINE_UINT, .var = (v)                  \
	}
#define CMDLINE_STRING_PARAM(n, buf)                                           \
	{                                                                      \
		.name = (n), .type = CMDLINE_STRING, .var = (buf),             \
		.size = sizeof(buf)                                            \
	}
#define CMDLINE_CUSTOM_PARAM(n, fn, v)                                         \
	{                                                                      \
		.name = (n), .type = CMDLINE_CUSTOM, .var = (v),               \
		.custom = (fn)                                                 \
	}

/* Told about every word that was not applied, with the reason (errno). */
typedef void (*cmdline_report_fn)(void *ctx, const char *word, int err);

/*
 * cmdline_parse - apply every word of @line to the matching entry of @tab.
 * Words are separated by spaces, tabs and newlines; quoting is not
 * supported. A word that fails leaves its variable unchanged, is passed
 * to @report (may be NULL) and parsing goes on.
 * @line may be NULL (nothing to do).
 *
 * Errors, per word: -ENOENT unknown option; -EINVAL missing or malformed
 * value, or "no-" on a non-boolean; -ERANGE number too large; -ENOSPC
 * string longer than its buffer; -E2BIG word longer than CMDLINE_MAX_WORD;
 * or what a custom handler returned.
 * Return: 0 if every word applied, else the first error.
 */
int cmdline_parse(const char *line, const struct cmdline_param *tab, size_t n,
		  cmdline_report_fn report, void *ctx);

/*
 * cmdline_parse_uint - "123", "0x1f", "512M", "1G" into @out.
 * Return: 0, -EINVAL (not a number, bad suffix, trailing text) or -ERANGE.
 */
int __must_check cmdline_parse_uint(const char *s, uint64_t *out);

/* cmdline_parse_bool - the boolean spellings above. Return 0 or -EINVAL. */
int __must_check cmdline_parse_bool(const char *s, bool *out);

#endif
