// SPDX-License-Identifier: GPL-2.0
/*
 * ELF PV parser on real toolchain output: fixtures/pv-kernel.S linked by
 * ld with fixtures/pv-kernel.lds at test build time (FIXTURE_ELF is its
 * path). Checks every note and the loaded bytes against that layout.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <hv/elf-pv.h>
#include <hvabi/version.h>
#include "harness.h"

#define VA_TEXT 0xffffffff81000000ULL /* pv-kernel.lds */
#define VA_HYPERCALL (VA_TEXT + 0x1000)
#define VA_DATA (VA_TEXT + 0x3000)
#define VA_BSS (VA_TEXT + 0x4000)
#define VA_END (VA_BSS + 0x2000)

static uint8_t *read_fixture(size_t *len)
{
	FILE *f = fopen(FIXTURE_ELF, "rb");
	uint8_t *buf;
	long n;

	if (!f)
		return NULL;
	fseek(f, 0, SEEK_END);
	n = ftell(f);
	rewind(f);
	buf = malloc((size_t)n);
	if (buf && fread(buf, 1, (size_t)n, f) != (size_t)n) {
		free(buf);
		buf = NULL;
	}
	fclose(f);
	*len = (size_t)n;
	return buf;
}

struct mem {
	uint8_t bytes[VA_END - VA_TEXT];
	bool bad;
};

static int mem_write(void *ctx, uint64_t va, const void *src, uint64_t n)
{
	struct mem *m = ctx;

	if (va < VA_TEXT || n > VA_END - va) {
		m->bad = true;
		return -HV_ERANGE;
	}
	if (src)
		memcpy(m->bytes + (va - VA_TEXT), src, n);
	else
		memset(m->bytes + (va - VA_TEXT), 0, n);
	return 0;
}

static void test_fixture(void)
{
	static struct mem m;
	struct elf_pv_info info;
	size_t len, i;
	uint8_t *img = read_fixture(&len);

	CU_ASSERT_PTR_NOT_NULL_FATAL(img);
	CU_ASSERT_EQUAL_FATAL(elf_pv_parse(img, len, &info), 0);
	CU_ASSERT_EQUAL(info.entry, VA_TEXT);
	CU_ASSERT_EQUAL(info.virt_base, 0xffffffff80000000ULL);
	CU_ASSERT_EQUAL(info.virt_kstart, VA_TEXT);
	CU_ASSERT_EQUAL(info.virt_kend, VA_END);
	CU_ASSERT_EQUAL(info.hypercall_page, VA_HYPERCALL);
	CU_ASSERT_EQUAL(info.init_p2m, 0x8000000000ULL);
	CU_ASSERT_EQUAL(info.features_required[0], 1U);
	CU_ASSERT_EQUAL(info.features_supported[0], 0x8801U | 1U << 4);
	CU_ASSERT(info.suspend_cancel && info.mod_start_pfn);
	CU_ASSERT_EQUAL(info.nr_xen_notes, 14);
	CU_ASSERT_EQUAL(info.nr_load, 2);
	CU_ASSERT_EQUAL(elf_pv_check_features(&info, 1U, true), 0);

	memset(m.bytes, 0x55, sizeof(m.bytes));
	CU_ASSERT_EQUAL(elf_pv_load(img, len, &info, mem_write, &m), 0);
	CU_ASSERT_FALSE(m.bad);
	CU_ASSERT_EQUAL(m.bytes[0], 0xfc); /* cld */
	for (i = 0; i < 4096; i++)
		if (m.bytes[VA_HYPERCALL - VA_TEXT + i] != 0xcc)
			break;
	CU_ASSERT_EQUAL(i, 4096);
	CU_ASSERT_EQUAL(
	    memcmp(m.bytes + (VA_DATA - VA_TEXT), "fixture-data-magic", 18), 0);
	CU_ASSERT_EQUAL(m.bytes[VA_DATA - VA_TEXT + 18], 0); /* zeroed */
	for (i = VA_BSS - VA_TEXT; i < sizeof(m.bytes); i++)
		if (m.bytes[i] != 0)
			break;
	CU_ASSERT_EQUAL(i, sizeof(m.bytes));
	free(img);
}

/* Stripping the section headers changes nothing: notes are in PT_NOTE. */
static void test_fixture_no_sections(void)
{
	struct elf_pv_info info;
	uint8_t *img;
	size_t len;

	img = read_fixture(&len);
	CU_ASSERT_PTR_NOT_NULL_FATAL(img);
	memset(img + 0x28, 0, 8); /* e_shoff */
	memset(img + 0x3c, 0, 4); /* e_shnum, e_shstrndx */
	CU_ASSERT_EQUAL(elf_pv_parse(img, len, &info), 0);
	CU_ASSERT_EQUAL(info.hypercall_page, VA_HYPERCALL);
	free(img);
}

bool suite_elf_fixture(void)
{
	static const struct unit_test tests[] = {
	    {"linked fixture", test_fixture},
	    {"linked fixture, no sections", test_fixture_no_sections},
	};

	return UNIT_SUITE("elf-pv fixture", tests);
}
