// SPDX-License-Identifier: MIT
/*
 * vsnprintf for the test kernels: flags '-' '0' '#', width, precision
 * (for %s: at most that many characters), the length
 * modifiers l ll z, and the conversions d i u x X p s c %. Output is
 * always NUL-terminated; the return value is the length it would have had.
 */
#include "lib.h"

struct out {
	char *buf;
	size_t size;
	size_t len;
};

static void put(struct out *o, char c)
{
	if (o->len + 1 < o->size)
		o->buf[o->len] = c;
	o->len++;
}

struct spec {
	bool left, zero, alt, upper;
	unsigned int width;
	int precision;		/* -1: none */
};

static void put_padded(struct out *o, const struct spec *sp,
		       const char *s, size_t n, const char *prefix)
{
	size_t plen = strlen(prefix);
	size_t pad = sp->width > n + plen ? sp->width - n - plen : 0;

	if (!sp->left && !sp->zero)
		for (; pad; pad--)
			put(o, ' ');
	while (*prefix)
		put(o, *prefix++);
	if (!sp->left)
		for (; pad; pad--)
			put(o, '0');
	while (n--)
		put(o, *s++);
	for (; pad; pad--)
		put(o, ' ');
}

static void put_number(struct out *o, const struct spec *sp, uint64_t v,
		       unsigned int base, bool negative)
{
	const char *digits = sp->upper ? "0123456789ABCDEF" : "0123456789abcdef";
	char tmp[24];
	size_t n = 0;
	const char *prefix = "";

	do {
		tmp[sizeof(tmp) - 1 - n++] = digits[v % base];
		v /= base;
	} while (v);
	if (negative)
		prefix = "-";
	else if (sp->alt && base == 16)
		prefix = "0x";
	put_padded(o, sp, tmp + sizeof(tmp) - n, n, prefix);
}

static const char *parse_spec(const char *f, struct spec *sp, int *lng)
{
	memset(sp, 0, sizeof(*sp));
	for (;; f++) {
		if (*f == '-')
			sp->left = true;
		else if (*f == '0')
			sp->zero = true;
		else if (*f == '#')
			sp->alt = true;
		else
			break;
	}
	while (*f >= '0' && *f <= '9')
		sp->width = sp->width * 10 + (unsigned int)(*f++ - '0');
	sp->precision = -1;
	if (*f == '.') {
		sp->precision = 0;
		for (f++; *f >= '0' && *f <= '9'; f++)
			sp->precision = sp->precision * 10 + (*f - '0');
	}
	*lng = 0;
	while (*f == 'l' || *f == 'z') {
		*lng = 1;
		f++;
	}
	return f;
}

static void convert(struct out *o, char c, struct spec *sp, int lng,
		    va_list *ap)
{
	int64_t s;
	uint64_t u;
	const char *str;
	size_t len;
	char ch;

	switch (c) {
	case 'd':
	case 'i':
		s = lng ? va_arg(*ap, int64_t) : va_arg(*ap, int);
		u = s < 0 ? -(uint64_t)s : (uint64_t)s;
		put_number(o, sp, u, 10, s < 0);
		break;
	case 'u':
		u = lng ? va_arg(*ap, uint64_t) : va_arg(*ap, unsigned int);
		put_number(o, sp, u, 10, false);
		break;
	case 'X':
		sp->upper = true;
		/* fall through */
	case 'x':
		u = lng ? va_arg(*ap, uint64_t) : va_arg(*ap, unsigned int);
		put_number(o, sp, u, 16, false);
		break;
	case 'p':
		sp->alt = true;
		put_number(o, sp, (uint64_t)(uintptr_t)va_arg(*ap, void *), 16,
			   false);
		break;
	case 's':
		str = va_arg(*ap, const char *);
		if (!str)
			str = "(null)";
		len = 0;
		while (str[len] && (sp->precision < 0 ||
				    len < (size_t)sp->precision))
			len++;
		put_padded(o, sp, str, len, "");
		break;
	case 'c':
		ch = (char)va_arg(*ap, int);
		put_padded(o, sp, &ch, 1, "");
		break;
	default:
		put(o, '%');
		put(o, c);
		break;
	}
}

int vsnprintf(char *buf, size_t size, const char *fmt, va_list ap)
{
	struct out o = { buf, size, 0 };
	struct spec sp;
	va_list aq;
	int lng;

	va_copy(aq, ap);
	while (*fmt) {
		if (*fmt != '%') {
			put(&o, *fmt++);
			continue;
		}
		fmt++;
		if (*fmt == '%') {
			put(&o, *fmt++);
			continue;
		}
		fmt = parse_spec(fmt, &sp, &lng);
		if (!*fmt)
			break;
		convert(&o, *fmt++, &sp, lng, &aq);
	}
	va_end(aq);
	if (size)
		buf[o.len < size ? o.len : size - 1] = '\0';
	return (int)o.len;
}

int snprintf(char *buf, size_t size, const char *fmt, ...)
{
	va_list ap;
	int n;

	va_start(ap, fmt);
	n = vsnprintf(buf, size, fmt, ap);
	va_end(ap);
	return n;
}
