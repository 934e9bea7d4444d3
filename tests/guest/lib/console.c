// SPDX-License-Identifier: MIT
/*
 * Console output of the test kernels: console_io(CONSOLEIO_write), which
 * a domain 0 may use on both hypervisors. printk formats into a bounded
 * buffer; longer messages are truncated, never split.
 */
#include "lib.h"

void console_write(const char *s, size_t len)
{
	while (len) {
		size_t n = len > 1024 ? 1024 : len;

		if (hv_console_io(CONSOLEIO_write, n, s) < 0)
			return;		/* nothing better to do */
		s += n;
		len -= n;
	}
}

void printk(const char *fmt, ...)
{
	char buf[512];
	va_list ap;
	int n;

	va_start(ap, fmt);
	n = vsnprintf(buf, sizeof(buf), fmt, ap);
	va_end(ap);
	if (n >= (int)sizeof(buf))
		n = sizeof(buf) - 1;
	console_write(buf, (size_t)n);
}
