// SPDX-License-Identifier: GPL-2.0
/*
 * Bounded printf-style formatting (hv_vsnprintf, hv_snprintf) for the
 * console and error messages. Integers, strings, characters and pointers
 * only: no floating point, no %n. Pure logic; host unit tests compare it
 * with libc's snprintf.
 */
#include <hv/vsnprintf.h>
#include <hv/string.h>

#define F_LEFT (1U << 0)  /* '-' */
#define F_ZERO (1U << 1)  /* '0' */
#define F_ALT (1U << 2)	  /* '#' */
#define F_PLUS (1U << 3)  /* '+' */
#define F_SPACE (1U << 4) /* ' ' */
#define F_UPPER (1U << 5) /* internal: %X */
#define MAX_FIELD 4096	  /* larger widths/precisions are clamped */

enum len_mod { L_HH, L_H, L_NONE, L_L, L_LL, L_Z };

struct spec {
	unsigned int flags;
	int width; /* 0 = none */
	int prec;  /* -1 = none */
	enum len_mod len;
};

struct out {
	char *buf;
	size_t size;
	size_t pos; /* length so far, may exceed size */
};

static void put(struct out *o, char ch)
{
	if (o->size && o->pos < o->size - 1)
		o->buf[o->pos] = ch;
	o->pos++;
}

static void put_n(struct out *o, char ch, int n)
{
	while (n-- > 0)
		put(o, ch);
}

static void put_str(struct out *o, const char *s, size_t n)
{
	while (n--)
		put(o, *s++);
}

/* Emit @n bytes of @s padded to the field width. */
static void put_field(struct out *o, const struct spec *sp, const char *s,
		      size_t n)
{
	int pad = sp->width > (int)n ? sp->width - (int)n : 0;

	if (!(sp->flags & F_LEFT))
		put_n(o, ' ', pad);
	put_str(o, s, n);
	if (sp->flags & F_LEFT)
		put_n(o, ' ', pad);
}

/*
 * One integer: [pad][sign][0x][precision zeros][digits][pad]. @sign is
 * '-', '+', ' ' or 0; @prefix is "0x", "0X" or "".
 */
static void put_number(struct out *o, const struct spec *sp, uint64_t v,
		       unsigned int base, char sign, const char *prefix)
{
	const char *digits =
	    sp->flags & F_UPPER ? "0123456789ABCDEF" : "0123456789abcdef";
	char tmp[24];
	int n = 0, zeros, total, pad;

	while (v) {
		tmp[n++] = digits[v % base];
		v /= base;
	}
	if (n == 0 && sp->prec != 0)
		tmp[n++] = '0';
	zeros = sp->prec > n ? sp->prec - n : 0;
	total = n + zeros + (sign != 0) + (int)strlen(prefix);
	pad = sp->width > total ? sp->width - total : 0;
	if ((sp->flags & (F_ZERO | F_LEFT)) == F_ZERO && sp->prec < 0) {
		zeros += pad;
		pad = 0;
	}
	if (!(sp->flags & F_LEFT))
		put_n(o, ' ', pad);
	if (sign)
		put(o, sign);
	put_str(o, prefix, strlen(prefix));
	put_n(o, '0', zeros);
	while (n)
		put(o, tmp[--n]);
	if (sp->flags & F_LEFT)
		put_n(o, ' ', pad);
}

static int64_t get_signed(const struct spec *sp, va_list *ap)
{
	switch (sp->len) {
	case L_HH:
		return (signed char)va_arg(*ap, int);
	case L_H:
		return (short)va_arg(*ap, int);
	case L_L:
		return va_arg(*ap, long);
	case L_LL:
		return va_arg(*ap, long long);
	case L_Z:
		return (int64_t)va_arg(*ap, size_t);
	default:
		return va_arg(*ap, int);
	}
}

static uint64_t get_unsigned(const struct spec *sp, va_list *ap)
{
	switch (sp->len) {
	case L_HH:
		return (unsigned char)va_arg(*ap, unsigned int);
	case L_H:
		return (unsigned short)va_arg(*ap, unsigned int);
	case L_L:
		return va_arg(*ap, unsigned long);
	case L_LL:
		return va_arg(*ap, unsigned long long);
	case L_Z:
		return va_arg(*ap, size_t);
	default:
		return va_arg(*ap, unsigned int);
	}
}

static void conv_signed(struct out *o, const struct spec *sp, va_list *ap)
{
	int64_t v = get_signed(sp, ap);
	/* Negate in unsigned arithmetic: INT64_MIN has no positive twin. */
	uint64_t mag = v < 0 ? -(uint64_t)v : (uint64_t)v;
	char sign = 0;

	if (v < 0)
		sign = '-';
	else if (sp->flags & F_PLUS)
		sign = '+';
	else if (sp->flags & F_SPACE)
		sign = ' ';
	put_number(o, sp, mag, 10, sign, "");
}

static void conv_hex(struct out *o, const struct spec *sp, va_list *ap,
		     bool upper)
{
	uint64_t v = get_unsigned(sp, ap);
	struct spec hex = *sp;
	const char *prefix = "";

	if (upper)
		hex.flags |= F_UPPER;
	if ((sp->flags & F_ALT) && v)
		prefix = upper ? "0X" : "0x";
	put_number(o, &hex, v, 16, 0, prefix);
}

static void conv_pointer(struct out *o, const struct spec *sp, va_list *ap)
{
	const void *p = va_arg(*ap, const void *);
	struct spec num = *sp;

	if (!p) {
		put_field(o, sp, "(nil)", 5);
		return;
	}
	num.flags &= ~(F_PLUS | F_SPACE);
	put_number(o, &num, (uintptr_t)p, 16, 0, "0x");
}

static void conv_string(struct out *o, const struct spec *sp, va_list *ap)
{
	const char *s = va_arg(*ap, const char *);
	size_t n;

	if (!s)
		s = "(null)";
	n = sp->prec >= 0 ? strnlen(s, (size_t)sp->prec) : strlen(s);
	put_field(o, sp, s, n);
}

/* Decimal digits at @f into @v (clamped to MAX_FIELD); returns the end. */
static const char *parse_uint(const char *f, int *v)
{
	for (; *f >= '0' && *f <= '9'; f++)
		*v = MIN(*v * 10 + (*f - '0'), MAX_FIELD);
	return f;
}

/* Flags, width, precision and length of one conversion; returns the
 * position of the conversion character. */
static const char *parse_spec(const char *f, struct spec *sp, va_list *ap)
{
	static const char flag_chars[] = "-0#+ ";
	const char *c;

	*sp = (struct spec){.prec = -1, .len = L_NONE};
	while (*f && (c = strchr(flag_chars, *f)) != NULL) {
		sp->flags |= 1U << (c - flag_chars);
		f++;
	}
	if (*f == '*') {
		sp->width = va_arg(*ap, int);
		if (sp->width < 0) {
			sp->flags |= F_LEFT;
			/* -INT_MIN overflows: clamp first */
			sp->width = -MAX(sp->width, -MAX_FIELD);
		}
		f++;
	}
	f = parse_uint(f, &sp->width);
	if (*f == '.') {
		f++;
		sp->prec = 0;
		if (*f == '*') {
			sp->prec = va_arg(*ap, int);
			sp->prec = MAX(sp->prec, -1); /* negative: none */
			f++;
		}
		f = parse_uint(f, &sp->prec);
	}
	sp->width = MIN(sp->width, MAX_FIELD);
	sp->prec = MIN(sp->prec, MAX_FIELD);
	if (*f == 'h') {
		sp->len = f[1] == 'h' ? L_HH : L_H;
		f += sp->len == L_HH ? 2 : 1;
	} else if (*f == 'l') {
		sp->len = f[1] == 'l' ? L_LL : L_L;
		f += sp->len == L_LL ? 2 : 1;
	} else if (*f == 'z') {
		sp->len = L_Z;
		f++;
	}
	return f;
}

/* One conversion at @f (just after '%'); returns where the text resumes. */
static const char *convert(struct out *o, const char *f, va_list *ap)
{
	const char *start = f - 1;
	struct spec sp;
	char ch;

	f = parse_spec(f, &sp, ap);
	switch (*f) {
	case 'd':
	case 'i':
		conv_signed(o, &sp, ap);
		break;
	case 'u':
		put_number(o, &sp, get_unsigned(&sp, ap), 10, 0, "");
		break;
	case 'x':
	case 'X':
		conv_hex(o, &sp, ap, *f == 'X');
		break;
	case 'p':
		conv_pointer(o, &sp, ap);
		break;
	case 's':
		conv_string(o, &sp, ap);
		break;
	case 'c':
		ch = (char)va_arg(*ap, int);
		put_field(o, &sp, &ch, 1);
		break;
	case '%':
		put(o, '%');
		break;
	case '\0': /* lone '%' at the end: print what is there */
		put_str(o, start, (size_t)(f - start));
		return f;
	default: /* unknown conversion: print it as written */
		put_str(o, start, (size_t)(f - start) + 1);
		break;
	}
	return f + 1;
}

int hv_vsnprintf(char *buf, size_t size, const char *fmt, va_list ap)
{
	struct out o = {.buf = buf, .size = size, .pos = 0};
	va_list aq;

	va_copy(aq, ap);
	while (*fmt) {
		if (*fmt != '%') {
			put(&o, *fmt++);
			continue;
		}
		fmt = convert(&o, fmt + 1, &aq);
	}
	va_end(aq);
	if (size)
		buf[o.pos < size ? o.pos : size - 1] = '\0';
	return o.pos > 0x7fffffff ? 0x7fffffff : (int)o.pos;
}

int hv_snprintf(char *buf, size_t size, const char *fmt, ...)
{
	va_list ap;
	int n;

	va_start(ap, fmt);
	n = hv_vsnprintf(buf, size, fmt, ap);
	va_end(ap);
	return n;
}
