// SPDX-License-Identifier: GPL-2.0
/*
 * Command-line option parser: word splitting, name lookup ('-' and '_'
 * equivalent, "no-" negation for booleans) and value conversion for the
 * option tables of hv/cmdline.h. The line comes from the boot loader; any
 * malformed word is reported and skipped, never fatal.
 */
#include <hv/cmdline.h>
#include <hv/errno.h>
#include <hv/string.h>

static bool is_space(char c)
{
	return c == ' ' || c == '\t' || c == '\n' || c == '\r';
}

static int digit_value(char c)
{
	if (c >= '0' && c <= '9')
		return c - '0';
	if (c >= 'a' && c <= 'f')
		return c - 'a' + 10;
	if (c >= 'A' && c <= 'F')
		return c - 'A' + 10;
	return 99;
}

static int suffix_shift(char c)
{
	switch (c) {
	case 'k':
	case 'K':
		return 10;
	case 'm':
	case 'M':
		return 20;
	case 'g':
	case 'G':
		return 30;
	case 't':
	case 'T':
		return 40;
	}
	return -1;
}

int cmdline_parse_uint(const char *s, uint64_t *out)
{
	unsigned int base = 10;
	uint64_t v = 0;
	const char *p;
	int d, shift;

	if (s[0] == '0' && (s[1] == 'x' || s[1] == 'X')) {
		base = 16;
		s += 2;
	}
	for (p = s; (d = digit_value(*p)) < (int)base; p++) {
		if (v > (UINT64_MAX - (uint64_t)d) / base)
			return -ERANGE;
		v = v * base + (uint64_t)d;
	}
	if (p == s)
		return -EINVAL;
	if (*p) {
		shift = suffix_shift(*p);
		if (shift < 0 || p[1])
			return -EINVAL;
		if (v > (UINT64_MAX >> shift))
			return -ERANGE;
		v <<= shift;
	}
	*out = v;
	return 0;
}

int cmdline_parse_bool(const char *s, bool *out)
{
	static const char *const yes[] = {"1", "yes", "on", "true", "enable"};
	static const char *const no[] = {"0", "no", "off", "false", "disable"};
	unsigned int i;

	for (i = 0; i < ARRAY_SIZE(yes); i++) {
		if (!strcmp(s, yes[i])) {
			*out = true;
			return 0;
		}
		if (!strcmp(s, no[i])) {
			*out = false;
			return 0;
		}
	}
	return -EINVAL;
}

/* Does @name match the first @len bytes of a word, '-' equal to '_'? */
static bool name_eq(const char *word, size_t len, const char *name)
{
	size_t i;

	for (i = 0; i < len; i++) {
		char a = word[i] == '-' ? '_' : word[i];
		char b = name[i] == '-' ? '_' : name[i];

		if (a != b || !b)
			return false;
	}
	return name[len] == '\0';
}

static const struct cmdline_param *
lookup(const struct cmdline_param *tab, size_t n, const char *word, size_t len)
{
	size_t i;

	for (i = 0; i < n; i++)
		if (name_eq(word, len, tab[i].name))
			return &tab[i];
	return NULL;
}

/* @val is NULL for a bare "x"; @negated for "no-x". */
static int apply(const struct cmdline_param *p, const char *val, bool negated)
{
	uint64_t u;
	bool b;
	int rc;

	if (negated && (p->type != CMDLINE_BOOL || val))
		return -EINVAL;
	switch (p->type) {
	case CMDLINE_BOOL:
		b = !negated;
		if (val && (rc = cmdline_parse_bool(val, &b)))
			return rc;
		*(bool *)p->var = b;
		return 0;
	case CMDLINE_UINT:
		if (!val)
			return -EINVAL;
		rc = cmdline_parse_uint(val, &u);
		if (!rc)
			*(uint64_t *)p->var = u;
		return rc;
	case CMDLINE_STRING:
		if (!val)
			return -EINVAL;
		if (strlen(val) >= p->size)
			return -ENOSPC;
		strlcpy(p->var, val, p->size);
		return 0;
	case CMDLINE_CUSTOM:
		return p->custom(val, p->var);
	}
	return -EINVAL;
}

static int parse_word(const char *word, const struct cmdline_param *tab,
		      size_t n)
{
	const char *eq = strchr(word, '=');
	size_t len = eq ? (size_t)(eq - word) : strlen(word);
	const char *val = eq ? eq + 1 : NULL;
	const struct cmdline_param *p = lookup(tab, n, word, len);

	if (p)
		return apply(p, val, false);
	if (len > 3 && !strncmp(word, "no-", 3)) {
		p = lookup(tab, n, word + 3, len - 3);
		if (p)
			return apply(p, val, true);
	}
	return -ENOENT;
}

int cmdline_parse(const char *line, const struct cmdline_param *tab, size_t n,
		  cmdline_report_fn report, void *ctx)
{
	char word[CMDLINE_MAX_WORD];
	int first = 0, rc;
	size_t len, n_copy;

	while (line && *line) {
		while (is_space(*line))
			line++;
		for (len = 0; line[len] && !is_space(line[len]); len++)
			;
		if (!len)
			break;
		/* A too-long word is reported by its (cut) beginning. */
		n_copy = MIN(len, sizeof(word) - 1);
		memcpy(word, line, n_copy);
		word[n_copy] = '\0';
		line += len;
		rc = len < sizeof(word) ? parse_word(word, tab, n) : -E2BIG;
		if (rc && report)
			report(ctx, word, rc);
		if (rc && !first)
			first = rc;
	}
	return first;
}
