// SPDX-License-Identifier: MIT
/*
 * xenstored utilities: the log sink (stderr or a file), string hashing, CRC-32 for the
 * persistence records and strict number parsing of untrusted text.
 */
#include <errno.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "xenstored.h"

int xs_log_level = LOG_WARN;
static FILE *log_file;	/* NULL = stderr */

int xs_log_open(const char *path)
{
	FILE *f = NULL;

	if (strcmp(path, "-")) {
		f = fopen(path, "ae");
		if (!f)
			return -errno;
		setvbuf(f, NULL, _IOLBF, 0);
	}
	if (log_file)
		fclose(log_file);
	log_file = f;
	return 0;
}

void xs_log(int level, const char *fmt, ...)
{
	static const char *const names[] = { "err", "warn", "info", "debug" };
	struct timespec ts;
	FILE *out = log_file ? log_file : stderr;
	va_list ap;

	if (level > xs_log_level)
		return;
	clock_gettime(CLOCK_REALTIME, &ts);
	fprintf(out, "xenstored[%ld.%03ld] %s: ", (long)ts.tv_sec,
		ts.tv_nsec / 1000000, names[level]);
	va_start(ap, fmt);
	vfprintf(out, fmt, ap);
	va_end(ap);
	fputc('\n', out);
}

/* FNV-1a, 64 bit. */
uint64_t xs_hash(const char *s)
{
	uint64_t h = 1469598103934665603ULL;

	while (*s) {
		h ^= (unsigned char)*s++;
		h *= 1099511628211ULL;
	}
	return h;
}

uint32_t xs_crc32(const void *buf, size_t len)
{
	static uint32_t table[256];
	const unsigned char *p = buf;
	uint32_t crc = 0xffffffffu;
	size_t i;

	if (!table[1]) {
		for (i = 0; i < 256; i++) {
			uint32_t c = (uint32_t)i;
			int k;

			for (k = 0; k < 8; k++)
				c = (c & 1) ? 0xedb88320u ^ (c >> 1) : c >> 1;
			table[i] = c;
		}
	}
	for (i = 0; i < len; i++)
		crc = table[(crc ^ p[i]) & 0xff] ^ (crc >> 8);
	return crc ^ 0xffffffffu;
}

int xs_parse_uint(const char *s, unsigned long max, unsigned long *out)
{
	unsigned long v = 0;

	if (!*s)
		return -EINVAL;
	for (; *s; s++) {
		if (*s < '0' || *s > '9')
			return -EINVAL;
		if (v > (max - (unsigned long)(*s - '0')) / 10)
			return -EINVAL;
		v = v * 10 + (unsigned long)(*s - '0');
	}
	*out = v;
	return 0;
}

void *xs_zalloc(size_t size)
{
	return calloc(1, size);
}
