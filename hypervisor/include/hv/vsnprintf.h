/* SPDX-License-Identifier: GPL-2.0 */
/*
 * Bounded string formatting for the hypervisor (common/lib/vsnprintf.c).
 * Named hv_* so that host unit tests can link it next to libc.
 */
#ifndef HV_VSNPRINTF_H
#define HV_VSNPRINTF_H

#include <stdarg.h>
#include <hv/types.h>

/*
 * hv_vsnprintf - format into @buf, writing at most @size bytes including
 * the terminating NUL (always written when @size > 0).
 *
 * Conversions: %d %i %u %x %X %p %s %c %%, with length modifiers hh, h, l,
 * ll, z; flags '-' (left-justify), '0' (zero-pad), '#' (0x prefix for
 * %x/%X), '+' and ' ' (sign for %d/%i); a width and a precision, each a
 * number or '*'. %p prints like "0x%lx" and NULL as "(nil)"; %s prints a
 * NULL pointer as "(null)". An unknown conversion is printed as written.
 *
 * Return: the length the full output would have had (C99 snprintf), so
 * truncation happened iff the result is >= @size.
 */
int hv_vsnprintf(char *buf, size_t size, const char *fmt, va_list ap)
    __attribute__((format(printf, 3, 0)));

/* hv_snprintf - hv_vsnprintf with a variable argument list. */
int hv_snprintf(char *buf, size_t size, const char *fmt, ...)
    __attribute__((format(printf, 3, 4)));

#endif
