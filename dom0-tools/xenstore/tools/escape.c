// SPDX-License-Identifier: MIT
/*
 * Value escaping for the xenstore tools: output escaping as printed by
 * xenstore-read/-ls (so binary values stay on one line) and the input
 * unescaping of xenstore-write.
 */
#include <stdlib.h>
#include <string.h>

#include "xs_tool.h"

/* Escaped form of @c into @out (at most 5 bytes); returns its length. */
static size_t escape_char(unsigned char c, char *out)
{
	switch (c) {
	case '\t': return (size_t)sprintf(out, "\\t");
	case '\n': return (size_t)sprintf(out, "\\n");
	case '\r': return (size_t)sprintf(out, "\\r");
	case '\\': return (size_t)sprintf(out, "\\\\");
	}
	if (c < 0x20)
		return (size_t)sprintf(out, "\\%03o", c);
	if (c >= 0x7f)
		return (size_t)sprintf(out, "\\x%02x", c);
	out[0] = (char)c;
	return 1;
}

size_t tool_print_escaped(FILE *f, const char *val, unsigned int len,
			  size_t max)
{
	char *buf = malloc((size_t)len * 4 + 1);
	size_t used = 0;
	unsigned int i;

	if (!buf)
		return 0;
	for (i = 0; i < len; i++)
		used += escape_char((unsigned char)val[i], buf + used);
	if (max && used > max) {
		fwrite(buf, 1, max, f);
		fputs("\\...", f);
		used = max + 4;
	} else {
		fwrite(buf, 1, used, f);
	}
	free(buf);
	return used;
}

static int hexval(char c)
{
	if (c >= '0' && c <= '9')
		return c - '0';
	if (c >= 'a' && c <= 'f')
		return c - 'a' + 10;
	if (c >= 'A' && c <= 'F')
		return c - 'A' + 10;
	return -1;
}

unsigned int tool_unescape(char *s)
{
	static const char from[] = "abfnrtv\\'\"", to[] = "\a\b\f\n\r\t\v\\'\"";
	char *out = s;
	const char *p;

	for (p = s; *p; p++) {
		const char *k;

		if (*p != '\\' || !p[1]) {
			*out++ = *p;
			continue;
		}
		p++;
		k = strchr(from, *p);
		if (k) {
			*out++ = to[k - from];
		} else if (*p == 'x' && hexval(p[1]) >= 0 && hexval(p[2]) >= 0) {
			*out++ = (char)(hexval(p[1]) * 16 + hexval(p[2]));
			p += 2;
		} else if (*p >= '0' && *p <= '7') {
			int v = 0, n;

			for (n = 0; n < 3 && p[n] >= '0' && p[n] <= '7'; n++)
				v = v * 8 + (p[n] - '0');
			*out++ = (char)v;
			p += n - 1;
		} else {
			*out++ = *p;
		}
	}
	*out = '\0';
	return (unsigned int)(out - s);
}
