// SPDX-License-Identifier: GPL-2.0
/*
 * hv_vsnprintf against the host libc's snprintf: the same format and
 * arguments must give the same text and return value, for every
 * conversion, modifier, flag, width, precision and truncation size.
 * Builds hypervisor/common/lib/vsnprintf.c.
 */
#include <stdio.h>
#include <string.h>
#include <hv/vsnprintf.h>
#include "harness.h"

static char ours[256], libc[256];

/* Compare at full size and truncated to 0, 1 and 5 bytes. */
#define SAME(fmt, ...)                                                         \
	do {                                                                   \
		static const size_t sizes[] = {sizeof(ours), 0, 1, 5};         \
		size_t i_;                                                     \
		for (i_ = 0; i_ < ARRAY_LEN(sizes); i_++) {                    \
			int a_, b_;                                            \
			memset(ours, '#', sizeof(ours));                       \
			memset(libc, '#', sizeof(libc));                       \
			a_ = hv_snprintf(ours, sizes[i_], fmt, __VA_ARGS__);   \
			b_ = snprintf(libc, sizes[i_], fmt, __VA_ARGS__);      \
			CU_ASSERT_EQUAL(a_, b_);                               \
			CU_ASSERT_EQUAL(memcmp(ours, libc, sizeof(ours)), 0);  \
			if (a_ != b_ || memcmp(ours, libc, sizeof(ours)))      \
				printf(                                        \
				    "\n  line %d size %zu: \"%s\" vs \"%s\"",  \
				    __LINE__, sizes[i_], ours, libc);          \
		}                                                              \
	} while (0)

/* Hide a format from the compiler's checks (deliberately odd uses). */
static const char *fmt_through(const char *f)
{
	const char *volatile v = f;

	return v;
}

static void test_integers(void)
{
	SAME("%d %i %u", 0, -1, 42u);
	SAME("%d|%d", 2147483647, (int)-2147483647 - 1);
	SAME("%u %x %X", 4294967295u, 0xdeadbeefu, 0xdeadbeefu);
	SAME("%ld %lu %lx", -9223372036854775807L - 1, 18446744073709551615UL,
	     0x123456789abcdefUL);
	SAME("%lld %llu %llX", -1LL, 1ULL << 63, 0xfedcba9876543210ULL);
	SAME("%zu %zx %zd", (size_t)-1, (size_t)4096, (size_t)-5);
	SAME("%hd %hu %hhd %hhu %hx", 70000, 70000, 300, 300, 0x12345);
	SAME(fmt_through("[%5d] [%-5d] [%05d] [%-05d]"), 42, 42, 42, 42);
	SAME("[%05d] [%5d] [%+d] [% d] [%+d]", -42, -42, 42, 42, -42);
	SAME("[%08x] [%#x] [%#X] [%#010x] [%#x]", 0xbeef, 0xbeef, 0xbeef,
	     0xbeef, 0);
	SAME(fmt_through("[%.3d] [%.0d] [%5.0d] [%08.3d] [%.5x]"), 7, 0, 0, 7,
	     0xab);
	SAME("[%*d] [%-*d] [%*d] [%.*d]", 6, 1, 6, 2, -6, 3, 4, 5);
	SAME("[%1d] [%2x] [%20lu]", 12345, 0xfff, 1UL << 40);
}

static void test_strings_chars_pointers(void)
{
	int x;

	SAME("%s|%10s|%-10s|%.2s|%.*s|", "abc", "abc", "abc", "abc", 1, "xyz");
	SAME("%s", "");
	SAME("%.0s|%5.1s|", "gone", "kept");
	SAME("%c%c%c|%3c|%-3c|", 'a', 'b', 0x263, 'x', 'y');
	SAME("%p %p", (void *)&x, (void *)0x1000);
	SAME("[%20p] [%-20p]", (void *)0xffff800000000000UL, (void *)0x10);
	SAME("%p", NULL);
	SAME("%%|%d%%|", 5);
}

static void test_own_rules(void)
{
	char buf[32];
	const char *null = NULL;

	/* %s of NULL prints glibc's "(null)". */
	CU_ASSERT_EQUAL(
	    hv_snprintf(buf, sizeof(buf), fmt_through("[%s]"), null), 8);
	CU_ASSERT_STRING_EQUAL(buf, "[(null)]");
	/* Return value is the untruncated length; buffer NUL-terminated. */
	CU_ASSERT_EQUAL(hv_snprintf(buf, 4, "%s", "abcdefgh"), 8);
	CU_ASSERT_STRING_EQUAL(buf, "abc");
	CU_ASSERT_EQUAL(hv_snprintf(NULL, 0, "%d", 12345), 5);
	buf[0] = 'z';
	CU_ASSERT_EQUAL(hv_snprintf(buf, 0, "abc"), 3);
	CU_ASSERT_EQUAL(buf[0], 'z'); /* size 0: nothing written */
	/* Huge widths are clamped, not overflowed. */
	CU_ASSERT_EQUAL(hv_snprintf(buf, sizeof(buf), fmt_through("%*d"),
				    -2147483647 - 1, 1),
			4096);
	CU_ASSERT_EQUAL(hv_snprintf(buf, sizeof(buf), "%.*d", -3, 7), 1);
	CU_ASSERT_STRING_EQUAL(buf, "7");
}

/* Unknown conversions print as written (libc's behaviour varies). */
static void test_unknown(void)
{
	char buf[32];

	CU_ASSERT_EQUAL(hv_snprintf(buf, sizeof(buf), fmt_through("a%yb"), 0),
			4);
	CU_ASSERT_STRING_EQUAL(buf, "a%yb");
	CU_ASSERT_EQUAL(hv_snprintf(buf, sizeof(buf), fmt_through("a%-5"), 0),
			4);
	CU_ASSERT_STRING_EQUAL(buf, "a%-5");
	CU_ASSERT_EQUAL(hv_snprintf(buf, sizeof(buf), fmt_through("%")), 1);
	CU_ASSERT_STRING_EQUAL(buf, "%");
}

bool suite_vsnprintf(void)
{
	static const struct unit_test tests[] = {
	    {"integers against libc", test_integers},
	    {"strings, chars, pointers against libc",
	     test_strings_chars_pointers},
	    {"NULL, truncation, clamping", test_own_rules},
	    {"unknown conversions", test_unknown},
	};

	return UNIT_SUITE("vsnprintf", tests);
}
