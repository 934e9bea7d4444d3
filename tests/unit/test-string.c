// SPDX-License-Identifier: GPL-2.0
/*
 * The hypervisor's own string functions (hypervisor/common/lib/string.c),
 * built here under hvs_* names so that they do not replace libc's, and
 * compared with libc on sizes, alignments, overlaps and high-bit bytes.
 */
#include <stdlib.h>
#include "harness.h" /* pulls in libc <string.h> first */

#define memcpy hvs_memcpy
#define memmove hvs_memmove
#define memset hvs_memset
#define memcmp hvs_memcmp
#define strlen hvs_strlen
#define strnlen hvs_strnlen
#define strcmp hvs_strcmp
#define strncmp hvs_strncmp
#define strchr hvs_strchr
#define strlcpy hvs_strlcpy
#include "../../hypervisor/common/lib/string.c"
#undef memcpy
#undef memmove
#undef memset
#undef memcmp
#undef strlen
#undef strnlen
#undef strcmp
#undef strncmp
#undef strchr
#undef strlcpy

/*
 * glibc before 2.38 (Debian 12 has 2.36) has no strlcpy; the hypervisor
 * sources under test use it, so they get the hypervisor's own.
 */
size_t strlcpy(char *dst, const char *src, size_t size);
size_t strlcpy(char *dst, const char *src, size_t size)
{
	return hvs_strlcpy(dst, src, size);
}

static int sign(int x)
{
	return (x > 0) - (x < 0);
}

static bool direction_flag_clear(void)
{
	unsigned long flags;

	asm volatile("pushf; pop %0" : "=r"(flags));
	return !(flags & (1UL << 10));
}

static void fill(unsigned char *p, size_t n, unsigned int seed)
{
	size_t i;

	for (i = 0; i < n; i++)
		p[i] = (unsigned char)(i * 31 + seed);
}

static void test_memcpy_memset(void)
{
	unsigned char src[300], a[300], b[300];
	size_t off, n;

	fill(src, sizeof(src), 1);
	for (off = 0; off < 8; off++) {
		for (n = 0; n < 260; n += 1 + n / 8) {
			memset(a, 0x11, sizeof(a));
			memset(b, 0x11, sizeof(b));
			CU_ASSERT_PTR_EQUAL(hvs_memcpy(a + off, src + 3, n),
					    a + off);
			memcpy(b + off, src + 3, n);
			CU_ASSERT_EQUAL(memcmp(a, b, sizeof(a)), 0);
			CU_ASSERT_PTR_EQUAL(hvs_memset(a + off, 0x1ab, n),
					    a + off);
			memset(b + off, 0xab, n);
			CU_ASSERT_EQUAL(memcmp(a, b, sizeof(a)), 0);
		}
	}
}

static void test_memmove(void)
{
	unsigned char a[200], b[200];
	size_t d, s, n;

	for (d = 0; d < 40; d += 3) {
		for (s = 0; s < 40; s += 5) {
			for (n = 0; n < 100; n += 7) {
				fill(a, sizeof(a), 7);
				fill(b, sizeof(b), 7);
				CU_ASSERT_PTR_EQUAL(
				    hvs_memmove(a + d, a + s, n), a + d);
				memmove(b + d, b + s, n);
				CU_ASSERT_EQUAL(memcmp(a, b, sizeof(a)), 0);
				CU_ASSERT(direction_flag_clear());
			}
		}
	}
}

static void test_compare(void)
{
	static const char *const strs[] = {"",	"a",	"ab",	"abc",	 "abd",
					   "b", "\x80", "\xff", "a\x80", "A"};
	size_t i, j, n;

	for (i = 0; i < ARRAY_LEN(strs); i++) {
		CU_ASSERT_EQUAL(hvs_strlen(strs[i]), strlen(strs[i]));
		for (j = 0; j < ARRAY_LEN(strs); j++) {
			CU_ASSERT_EQUAL(sign(hvs_strcmp(strs[i], strs[j])),
					sign(strcmp(strs[i], strs[j])));
			for (n = 0; n < 4; n++)
				CU_ASSERT_EQUAL(
				    sign(hvs_strncmp(strs[i], strs[j], n)),
				    sign(strncmp(strs[i], strs[j], n)));
			n = strlen(strs[i]) < strlen(strs[j])
				? strlen(strs[i]) + 1
				: strlen(strs[j]) + 1;
			CU_ASSERT_EQUAL(sign(hvs_memcmp(strs[i], strs[j], n)),
					sign(memcmp(strs[i], strs[j], n)));
		}
	}
	CU_ASSERT_EQUAL(hvs_memcmp("abc", "abd", 0), 0);
	CU_ASSERT_EQUAL(hvs_strnlen("abcdef", 3), 3);
	CU_ASSERT_EQUAL(hvs_strnlen("ab", 10), 2);
	CU_ASSERT_EQUAL(hvs_strnlen("ab", 0), 0);
}

static void test_strchr_strlcpy(void)
{
	const char *s = "hello=world";
	char buf[8];

	CU_ASSERT_PTR_EQUAL(hvs_strchr(s, '='), s + 5);
	CU_ASSERT_PTR_EQUAL(hvs_strchr(s, 'h'), s);
	CU_ASSERT_PTR_EQUAL(hvs_strchr(s, 'z'), NULL);
	CU_ASSERT_PTR_EQUAL(hvs_strchr(s, '\0'), s + 11);
	CU_ASSERT_PTR_EQUAL(hvs_strchr("a\xff", 0xff), strchr("a\xff", 0xff));

	CU_ASSERT_EQUAL(hvs_strlcpy(buf, "short", sizeof(buf)), 5);
	CU_ASSERT_STRING_EQUAL(buf, "short");
	CU_ASSERT_EQUAL(hvs_strlcpy(buf, "much too long", sizeof(buf)), 13);
	CU_ASSERT_STRING_EQUAL(buf, "much to");
	CU_ASSERT_EQUAL(hvs_strlcpy(buf, "1234567", sizeof(buf)), 7);
	CU_ASSERT_STRING_EQUAL(buf, "1234567");
	buf[0] = 'q';
	CU_ASSERT_EQUAL(hvs_strlcpy(buf, "abc", 0), 3);
	CU_ASSERT_EQUAL(buf[0], 'q');
}

bool suite_string(void)
{
	static const struct unit_test tests[] = {
	    {"memcpy and memset", test_memcpy_memset},
	    {"memmove overlaps", test_memmove},
	    {"comparisons and lengths", test_compare},
	    {"strchr and strlcpy", test_strchr_strlcpy},
	};

	return UNIT_SUITE("string", tests);
}
