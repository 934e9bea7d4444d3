// SPDX-License-Identifier: GPL-2.0
/*
 * The C string and memory functions the hypervisor links against
 * (declared in hv/string.h). Freestanding: the compiler may emit calls to
 * memcpy, memmove, memset and memcmp itself, so those must not be written
 * as plain byte loops it could turn back into calls to themselves; they
 * use the string instructions instead. Host unit tests use libc's.
 */
#include <hv/string.h>

/*
 * Whole quadwords first, then the tail bytes: the same on CPUs with fast
 * byte strings, and 8x fewer iterations where each one counts (TCG, whose
 * -icount time our boot benchmarks measure).
 */
void *memcpy(void *dst, const void *src, size_t n)
{
	void *d = dst;
	size_t q = n / 8, r = n % 8;

	asm volatile("rep movsq" : "+D"(d), "+S"(src), "+c"(q) : : "memory");
	asm volatile("rep movsb" : "+D"(d), "+S"(src), "+c"(r) : : "memory");
	return dst;
}

/*
 * Overlap-safe: copy forwards when dst is below src, else backwards from
 * the last byte with the direction flag set (and cleared again, as the
 * ABI requires it clear at every call).
 */
void *memmove(void *dst, const void *src, size_t n)
{
	unsigned char *d = dst;
	const unsigned char *s = src;

	if (d <= s || d >= s + n)
		return memcpy(dst, src, n);
	if (n == 0)
		return dst;
	d += n - 1;
	s += n - 1;
	asm volatile("std; rep movsb; cld"
		     : "+D"(d), "+S"(s), "+c"(n)
		     :
		     : "memory");
	return dst;
}

void *memset(void *dst, int c, size_t n)
{
	void *d = dst;
	size_t q = n / 8, r = n % 8;
	uint64_t pattern = 0x0101010101010101ULL * (uint8_t)c;

	asm volatile("rep stosq" : "+D"(d), "+c"(q) : "a"(pattern) : "memory");
	asm volatile("rep stosb" : "+D"(d), "+c"(r) : "a"(pattern) : "memory");
	return dst;
}

int memcmp(const void *a, const void *b, size_t n)
{
	const unsigned char *p = a, *q = b;

	for (; n; n--, p++, q++)
		if (*p != *q)
			return *p - *q;
	return 0;
}

size_t strlen(const char *s)
{
	const char *p = s;

	while (*p)
		p++;
	return (size_t)(p - s);
}

size_t strnlen(const char *s, size_t max)
{
	size_t n = 0;

	while (n < max && s[n])
		n++;
	return n;
}

int strcmp(const char *a, const char *b)
{
	const unsigned char *p = (const unsigned char *)a;
	const unsigned char *q = (const unsigned char *)b;

	while (*p && *p == *q) {
		p++;
		q++;
	}
	return *p - *q;
}

int strncmp(const char *a, const char *b, size_t n)
{
	const unsigned char *p = (const unsigned char *)a;
	const unsigned char *q = (const unsigned char *)b;

	for (; n; n--, p++, q++) {
		if (*p != *q)
			return *p - *q;
		if (!*p)
			break;
	}
	return 0;
}

/* As in C: finds the terminating NUL too when @c is 0. */
char *strchr(const char *s, int c)
{
	for (;; s++) {
		if (*s == (char)c)
			return (char *)(uintptr_t)s; /* C's signature */
		if (!*s)
			return NULL;
	}
}

/*
 * Copy @src into @dst of @size bytes, always NUL-terminated when @size is
 * nonzero. Returns strlen(src): truncation happened iff it is >= @size.
 */
size_t strlcpy(char *dst, const char *src, size_t size)
{
	size_t len = strlen(src);

	if (size) {
		size_t n = len < size - 1 ? len : size - 1;

		memcpy(dst, src, n);
		dst[n] = '\0';
	}
	return len;
}
