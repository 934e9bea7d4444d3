// SPDX-License-Identifier: GPL-2.0
/*
 * ELF PV parser and loader, well-formed images: every note read, Xen's
 * defaults, note sources and alignment, segment loading and zeroing, the
 * feature checks and error formatting. Builds hypervisor/common/lib/elf-pv.c.
 */
#include <stdlib.h>
#include <string.h>
#include <hv/elf-pv.h>
#include <hvabi/elfnote.h>
#include <hvabi/version.h>
#include "elf-image.h"
#include "harness.h"

/* A guest memory window [base, base + size) the loader writes into. */
struct window {
	uint64_t base, size;
	uint8_t *mem;
	unsigned int calls;
	unsigned int fail_at; /* return -EFAULT on this call (1-based) */
	bool out_of_range;
};

static int window_write(void *ctx, uint64_t va, const void *src, uint64_t n)
{
	struct window *w = ctx;

	if (++w->calls == w->fail_at)
		return -HV_EFAULT;
	if (va < w->base || va - w->base > w->size ||
	    n > w->size - (va - w->base)) {
		w->out_of_range = true;
		return -HV_ERANGE;
	}
	if (src)
		memcpy(w->mem + (va - w->base), src, n);
	else
		memset(w->mem + (va - w->base), 0, n);
	return 0;
}

static int parse(struct img *img, struct elf_pv_info *info)
{
	return elf_pv_parse(img->buf, img->len, info);
}

static void test_default_image(void)
{
	struct elf_pv_info info;
	struct img img;

	img_build_default(&img);
	CU_ASSERT_EQUAL_FATAL(parse(&img, &info), 0);
	CU_ASSERT_PTR_NULL(info.err);
	CU_ASSERT_EQUAL(info.entry, IMG_ENTRY);
	CU_ASSERT_EQUAL(info.virt_base, IMG_VIRT_BASE);
	CU_ASSERT_EQUAL(info.paddr_offset, 0);
	CU_ASSERT_EQUAL(info.virt_offset, IMG_VIRT_BASE);
	CU_ASSERT_EQUAL(info.virt_kstart, IMG_TEXT_VA);
	CU_ASSERT_EQUAL(info.virt_kend, IMG_KEND);
	CU_ASSERT(info.has_hypercall_page);
	CU_ASSERT_EQUAL(info.hypercall_page, IMG_HYPERCALL);
	CU_ASSERT_EQUAL(info.init_p2m, 0x8000000000ULL);
	CU_ASSERT_EQUAL(info.hv_start_low, 0xffff800000000000ULL);
	CU_ASSERT_EQUAL(info.features_required[0],
			1U << XENFEAT_writable_page_tables);
	CU_ASSERT_EQUAL(info.features_supported[0],
			0x8801U | 1U << XENFEAT_pae_pgdir_above_4gb);
	CU_ASSERT(info.has_supported_features);
	CU_ASSERT(info.suspend_cancel);
	CU_ASSERT(info.mod_start_pfn);
	CU_ASSERT_EQUAL(info.nr_load, 2);
	CU_ASSERT_STRING_EQUAL(info.guest_os, "linux");
	CU_ASSERT_STRING_EQUAL(info.guest_version, "2.6");
	CU_ASSERT_STRING_EQUAL(info.loader, "generic");
	CU_ASSERT_STRING_EQUAL(info.xen_version, "xen-3.0");
	img_free(&img);
}

static void test_load(void)
{
	struct window w = {.base = IMG_TEXT_VA};
	struct elf_pv_info info;
	struct img img;
	uint64_t i;

	img_build_default(&img);
	CU_ASSERT_EQUAL_FATAL(parse(&img, &info), 0);
	w.size = info.virt_kend - info.virt_kstart;
	w.mem = malloc(w.size);
	memset(w.mem, 0xaa, w.size);
	CU_ASSERT_EQUAL(elf_pv_load(img.buf, img.len, &info, window_write, &w),
			0);
	CU_ASSERT_FALSE(w.out_of_range);
	CU_ASSERT_EQUAL(w.calls, 3); /* text, data, bss */
	CU_ASSERT_EQUAL(memcmp(w.mem,
			       img.buf + img_phdr(&img, PH_TEXT)->p_offset,
			       IMG_TEXT_SIZE),
			0);
	CU_ASSERT_EQUAL(memcmp(w.mem + IMG_TEXT_SIZE,
			       img.buf + img_phdr(&img, PH_DATA)->p_offset,
			       IMG_DATA_FILESZ),
			0);
	for (i = IMG_TEXT_SIZE + IMG_DATA_FILESZ; i < w.size; i++)
		if (w.mem[i] != 0)
			break;
	CU_ASSERT_EQUAL(i, w.size);
	free(w.mem);
	img_free(&img);
}

static void test_load_write_error(void)
{
	struct window w = {.base = IMG_TEXT_VA, .fail_at = 2};
	struct elf_pv_info info;
	struct img img;

	img_build_default(&img);
	CU_ASSERT_EQUAL_FATAL(parse(&img, &info), 0);
	w.size = info.virt_kend - info.virt_kstart;
	w.mem = calloc(1, w.size);
	CU_ASSERT_EQUAL(elf_pv_load(img.buf, img.len, &info, window_write, &w),
			-HV_EFAULT);
	CU_ASSERT_EQUAL(w.calls, 2); /* stopped at the failing write */
	free(w.mem);
	img_free(&img);
}

/* The image changed between parse and load: an error, no bad read. */
static void test_load_changed_image(void)
{
	struct window w = {.base = IMG_TEXT_VA};
	struct elf_pv_info info;
	struct img img;

	img_build_default(&img);
	CU_ASSERT_EQUAL_FATAL(parse(&img, &info), 0);
	w.size = info.virt_kend - info.virt_kstart;
	w.mem = calloc(1, w.size);
	img_phdr(&img, PH_DATA)->p_filesz = 0x100000;
	img_phdr(&img, PH_DATA)->p_memsz = 0x100000;
	CU_ASSERT_EQUAL(elf_pv_load(img.buf, img.len, &info, window_write, &w),
			-HV_EINVAL);
	img_phdr(&img, PH_DATA)->p_filesz = IMG_DATA_FILESZ;
	img_phdr(&img, PH_DATA)->p_memsz = IMG_DATA_MEMSZ + 0x1000;
	CU_ASSERT_EQUAL(elf_pv_load(img.buf, img.len, &info, window_write, &w),
			-HV_EINVAL);
	CU_ASSERT_EQUAL(w.calls, 0);
	free(w.mem);
	img_free(&img);
}

/* No VIRT_BASE, PADDR_OFFSET or ENTRY: virt_base 0, entry = e_entry. */
static void test_defaults(void)
{
	struct elf_pv_info info;
	struct img_spec spec;
	struct img img;

	img_default_spec(&spec);
	img_drop_note(&spec, ELFNOTE_VIRT_BASE);
	img_drop_note(&spec, ELFNOTE_PADDR_OFFSET);
	img_drop_note(&spec, ELFNOTE_ENTRY);
	img_drop_note(&spec, ELFNOTE_HYPERCALL_PAGE);
	img_build(&img, &spec);
	img_ehdr(&img)->e_entry = IMG_TEXT_PADDR + 0x20;
	CU_ASSERT_EQUAL_FATAL(parse(&img, &info), 0);
	CU_ASSERT_EQUAL(info.virt_base, 0);
	CU_ASSERT_EQUAL(info.paddr_offset, 0);
	CU_ASSERT_EQUAL(info.virt_offset, 0);
	CU_ASSERT_EQUAL(info.entry, IMG_TEXT_PADDR + 0x20);
	CU_ASSERT_EQUAL(info.virt_kstart, IMG_TEXT_PADDR);
	CU_ASSERT_FALSE(info.has_hypercall_page);
	CU_ASSERT_EQUAL(info.hypercall_page, 0);
	img_free(&img);
}

/* VIRT_BASE with a nonzero PADDR_OFFSET (old kernels: paddr == vaddr). */
static void test_paddr_offset(void)
{
	struct elf_pv_info info;
	struct img_spec spec;
	struct img img;

	img_default_spec(&spec);
	img_set_num_note(&spec, ELFNOTE_PADDR_OFFSET, IMG_VIRT_BASE, 8);
	img_build(&img, &spec);
	img_phdr(&img, PH_TEXT)->p_paddr += IMG_VIRT_BASE;
	img_phdr(&img, PH_DATA)->p_paddr += IMG_VIRT_BASE;
	CU_ASSERT_EQUAL_FATAL(parse(&img, &info), 0);
	CU_ASSERT_EQUAL(info.virt_offset, 0);
	CU_ASSERT_EQUAL(info.virt_kstart, IMG_TEXT_VA);
	CU_ASSERT_EQUAL(info.virt_kend, IMG_KEND);
	img_free(&img);
}

/* Notes only in an SHT_NOTE section are used when no PT_NOTE has any. */
static void test_section_notes(void)
{
	struct elf_pv_info info;
	struct img_spec spec;
	struct img img;

	img_default_spec(&spec);
	spec.note_sections = true;
	img_build(&img, &spec);
	img_phdr(&img, PH_NOTE)->p_type = PT_NULL;
	CU_ASSERT_EQUAL_FATAL(parse(&img, &info), 0);
	CU_ASSERT_EQUAL(info.entry, IMG_ENTRY);
	CU_ASSERT_STRING_EQUAL(info.loader, "generic");
	/* A PT_NOTE at file offset 0 is ignored (as Xen), sections used. */
	img_phdr(&img, PH_NOTE)->p_type = PT_NOTE;
	img_phdr(&img, PH_NOTE)->p_offset = 0;
	CU_ASSERT_EQUAL(parse(&img, &info), 0);
	img_free(&img);
}

/* Segments with p_align 8 pad notes to 8 bytes (e.g. .note.gnu.property). */
static void test_note_align8(void)
{
	struct elf_pv_info info;
	struct img_spec spec;
	struct img img;

	img_default_spec(&spec);
	spec.note_align = 8;
	img_build(&img, &spec);
	CU_ASSERT_EQUAL_FATAL(parse(&img, &info), 0);
	CU_ASSERT_EQUAL(info.entry, IMG_ENTRY);
	CU_ASSERT(info.suspend_cancel); /* a 4-byte note padded to 8 */
	CU_ASSERT_STRING_EQUAL(info.xen_version, "xen-3.0");
	img_free(&img);
}

static void test_numeric_sizes_and_strings(void)
{
	struct elf_pv_info info;
	struct img_spec spec;
	struct img img;

	img_default_spec(&spec);
	img_set_num_note(&spec, ELFNOTE_SUSPEND_CANCEL, 0, 8);
	img_set_num_note(&spec, ELFNOTE_MOD_START_PFN, 0, 4);
	img_set_num_note(&spec, ELFNOTE_SUPPORTED_FEATURES, 0x100000001ULL, 8);
	img_set_str_note(&spec, ELFNOTE_GUEST_OS, "a-very-long-guest-os-name");
	img_build(&img, &spec);
	CU_ASSERT_EQUAL_FATAL(parse(&img, &info), 0);
	CU_ASSERT_FALSE(info.suspend_cancel);
	CU_ASSERT_FALSE(info.mod_start_pfn);
	/* Submap 0 is the first 32-bit word. */
	CU_ASSERT_EQUAL(info.features_supported[0] & 1U, 1U);
	CU_ASSERT_STRING_EQUAL(info.guest_os, "a-very-long-gue");
	img_free(&img);
}

static int features(const char *s, struct elf_pv_info *info)
{
	struct img_spec spec;
	struct img img;
	int rc;

	img_default_spec(&spec);
	img_drop_note(&spec, ELFNOTE_SUPPORTED_FEATURES);
	img_set_str_note(&spec, ELFNOTE_FEATURES, s);
	img_build(&img, &spec);
	rc = parse(&img, info);
	img_free(&img);
	return rc;
}

static void test_features_string(void)
{
	struct elf_pv_info info;

	CU_ASSERT_EQUAL(features("", &info), 0);
	CU_ASSERT_EQUAL(info.features_supported[0], 0);
	CU_ASSERT_EQUAL(features("dom0|!auto_translated_physmap", &info), 0);
	CU_ASSERT_EQUAL(info.features_supported[0],
			1U << XENFEAT_dom0 |
			    1U << XENFEAT_auto_translated_physmap);
	CU_ASSERT_EQUAL(info.features_required[0],
			1U << XENFEAT_auto_translated_physmap);
	CU_ASSERT_FALSE(info.has_supported_features);
	/* Unknown optional names and empty fields are ignored. */
	CU_ASSERT_EQUAL(
	    features("|no_such_feature||hvm_callback_vector|", &info), 0);
	CU_ASSERT_EQUAL(info.features_supported[0],
			1U << XENFEAT_hvm_callback_vector);
	CU_ASSERT_EQUAL(
	    features("writable_descriptor_tables|!supervisor_mode_kernel",
		     &info),
	    0);
	CU_ASSERT_EQUAL(info.features_required[0],
			1U << XENFEAT_supervisor_mode_kernel);
	/* A prefix or extension of a name is not the name. */
	CU_ASSERT_EQUAL(features("dom", &info), 0);
	CU_ASSERT_EQUAL(info.features_supported[0], 0);
	CU_ASSERT_EQUAL(features("dom0x", &info), 0);
	CU_ASSERT_EQUAL(info.features_supported[0], 0);
	/* An unknown required feature is fatal. */
	CU_ASSERT_EQUAL(features("dom0|!no_such_feature", &info), -HV_EINVAL);
	CU_ASSERT_PTR_NOT_NULL(info.err);
	CU_ASSERT_EQUAL(features("!", &info), -HV_EINVAL);
	CU_ASSERT_EQUAL(info.err_index, ELFNOTE_FEATURES);
}

static void test_check_features(void)
{
	struct elf_pv_info info = {0};

	info.features_required[0] = 1U << XENFEAT_writable_page_tables;
	info.features_supported[0] = 0x8801;
	info.has_supported_features = true;
	CU_ASSERT_EQUAL(elf_pv_check_features(&info, 1U, true), 0);
	CU_ASSERT_EQUAL(elf_pv_check_features(&info, 0, false), -HV_EOPNOTSUPP);
	info.features_supported[0] = 1;
	CU_ASSERT_EQUAL(elf_pv_check_features(&info, 1U, true), -HV_EINVAL);
	CU_ASSERT_EQUAL(elf_pv_check_features(&info, 1U, false), 0);
	/* Without a SUPPORTED_FEATURES note dom0 is not refused (Xen). */
	info.has_supported_features = false;
	CU_ASSERT_EQUAL(elf_pv_check_features(&info, 1U, true), 0);
}

static void test_describe_error(void)
{
	struct elf_pv_info info = {0};
	char buf[96];

	info.err_index = -1;
	CU_ASSERT_STRING_EQUAL(elf_pv_describe_error(&info, buf, sizeof(buf)),
			       "no error");
	info.err = "PT_LOAD segment extends past end of image";
	info.err_what = "program header";
	info.err_index = 2;
	CU_ASSERT_STRING_EQUAL(
	    elf_pv_describe_error(&info, buf, sizeof(buf)),
	    "program header 2: PT_LOAD segment extends past end of image");
	CU_ASSERT_STRING_EQUAL(elf_pv_describe_error(&info, buf, 10),
			       "program h");
	info.err_what = NULL;
	CU_ASSERT_STRING_EQUAL(elf_pv_describe_error(&info, buf, sizeof(buf)),
			       "PT_LOAD segment extends past end of image");
}

bool suite_elf(void)
{
	static const struct unit_test tests[] = {
	    {"default image: every note", test_default_image},
	    {"load copies and zeroes", test_load},
	    {"load stops at a write error", test_load_write_error},
	    {"load re-checks a changed image", test_load_changed_image},
	    {"defaults without address notes", test_defaults},
	    {"PADDR_OFFSET", test_paddr_offset},
	    {"notes from SHT_NOTE sections", test_section_notes},
	    {"8-byte aligned note segment", test_note_align8},
	    {"numeric sizes and strings", test_numeric_sizes_and_strings},
	    {"FEATURES string", test_features_string},
	    {"feature policy", test_check_features},
	    {"error description", test_describe_error},
	};

	return UNIT_SUITE("elf-pv", tests);
}
