// SPDX-License-Identifier: GPL-2.0
/*
 * ELF PV parser, malformed and hostile images: each must give its precise
 * error and never read outside the image (the image buffer is exactly
 * img.len bytes and the tests run under AddressSanitizer).
 */
#include <stdlib.h>
#include <string.h>
#include <hv/elf-pv.h>
#include <hvabi/elfnote.h>
#include "elf-image.h"
#include "harness.h"

static struct img img;
static struct img_spec spec;
static struct elf_pv_info info;

static void fresh(void)
{
	img_free(&img);
	img_build_default(&img);
}

static void build(void)
{
	img_free(&img);
	img_build(&img, &spec);
	img_default_spec(&spec);
}

/* Parse the current image and check the error and its message. */
#define EXPECT(rc, msg)                                                        \
	do {                                                                   \
		CU_ASSERT_EQUAL(elf_pv_parse(img.buf, img.len, &info), (rc));  \
		CU_ASSERT_PTR_NOT_NULL(info.err);                              \
		if (info.err)                                                  \
			CU_ASSERT_PTR_NOT_NULL(strstr(info.err, (msg)));       \
	} while (0)

static void test_truncated(void)
{
	size_t full, n;
	uint8_t *copy;

	fresh();
	full = img.len;
	/* Every prefix is refused; the last segment's data ends the file. */
	for (n = 0; n < full; n++) {
		copy = malloc(n ? n : 1);
		memcpy(copy, img.buf, n);
		CU_ASSERT_NOT_EQUAL(elf_pv_parse(copy, n, &info), 0);
		free(copy);
	}
	img.len = 10;
	EXPECT(-HV_ENOEXEC, "shorter than an ELF64 header");
	img.len = full;
	CU_ASSERT_EQUAL(elf_pv_parse(img.buf, img.len, &info), 0);
}

static void test_ident(void)
{
	fresh();
	img.buf[0] = 0x7e;
	EXPECT(-HV_ENOEXEC, "not an ELF image");
	fresh();
	img_ehdr(&img)->e_ident[EI_CLASS] = ELFCLASS32;
	EXPECT(-HV_ENOEXEC, "not a 64-bit");
	fresh();
	img_ehdr(&img)->e_ident[EI_DATA] = ELFDATA2MSB;
	EXPECT(-HV_ENOEXEC, "not a little-endian");
	fresh();
	img_ehdr(&img)->e_version = 2;
	EXPECT(-HV_ENOEXEC, "unknown ELF version");
	fresh();
	img_ehdr(&img)->e_machine = EM_386;
	EXPECT(-HV_ENOEXEC, "not an x86_64");
	fresh();
	img_ehdr(&img)->e_type = ET_DYN;
	EXPECT(-HV_ENOEXEC, "ET_EXEC");
	fresh();
	img_ehdr(&img)->e_ehsize = 52;
	EXPECT(-HV_EINVAL, "e_ehsize");
}

static void test_header_tables(void)
{
	fresh();
	img_ehdr(&img)->e_phnum = 0;
	EXPECT(-HV_EINVAL, "no program headers");
	fresh();
	img_ehdr(&img)->e_phnum = 0xffff;
	EXPECT(-HV_EINVAL, "extended program header numbering");
	fresh();
	img_ehdr(&img)->e_phentsize = 32;
	EXPECT(-HV_EINVAL, "e_phentsize");
	fresh();
	img_ehdr(&img)->e_phoff = img.len - 100;
	EXPECT(-HV_EINVAL, "program header table extends past end");
	fresh();
	img_ehdr(&img)->e_phoff = UINT64_MAX - 8; /* off + size wraps */
	EXPECT(-HV_EINVAL, "program header table extends past end");
	fresh();
	img_ehdr(&img)->e_phnum = 1000;
	EXPECT(-HV_EINVAL, "program header table extends past end");
	fresh();
	img_ehdr(&img)->e_shnum = 3;
	img_ehdr(&img)->e_shentsize = 64;
	img_ehdr(&img)->e_shoff = img.len - 64;
	EXPECT(-HV_EINVAL, "section header table extends past end");
	img_ehdr(&img)->e_shoff = UINT64_MAX - 63;
	EXPECT(-HV_EINVAL, "section header table extends past end");
	img_ehdr(&img)->e_shentsize = 40;
	EXPECT(-HV_EINVAL, "e_shentsize");
}

static void test_load_segments(void)
{
	fresh();
	img_phdr(&img, PH_DATA)->p_filesz = IMG_DATA_FILESZ + 1;
	EXPECT(-HV_EINVAL, "extends past end of image");
	CU_ASSERT_EQUAL(info.err_index, PH_DATA);
	CU_ASSERT_STRING_EQUAL(info.err_what, "program header");
	fresh();
	img_phdr(&img, PH_TEXT)->p_offset = UINT64_MAX - 0xfff;
	EXPECT(-HV_EINVAL, "extends past end of image");
	fresh();
	img_phdr(&img, PH_DATA)->p_filesz = IMG_DATA_MEMSZ + 1;
	EXPECT(-HV_EINVAL, "p_filesz > p_memsz");
	fresh();
	img_phdr(&img, PH_DATA)->p_memsz = 0;
	EXPECT(-HV_EINVAL, "p_filesz > p_memsz");
	/* An empty PT_LOAD takes no address: neither order nor hole apply. */
	spec.note_sections = true;
	build();
	img_phdr(&img, PH_NOTE)->p_type = PT_LOAD;
	img_phdr(&img, PH_NOTE)->p_filesz = 0;
	img_phdr(&img, PH_NOTE)->p_paddr = 0;
	CU_ASSERT_EQUAL(elf_pv_parse(img.buf, img.len, &info), 0);
	CU_ASSERT_EQUAL(info.nr_load, 2);
	img_phdr(&img, PH_NOTE)->p_memsz = 1;
	EXPECT(-HV_EINVAL, "overlap or are not sorted");
	fresh();
	img_phdr(&img, PH_DATA)->p_memsz = UINT64_MAX - 0x100;
	EXPECT(-HV_EINVAL, "p_paddr + p_memsz overflows");
	fresh();
	img_phdr(&img, PH_TEXT)->p_align = 0x1800;
	EXPECT(-HV_EINVAL, "not a power of two");
	fresh();
	img_phdr(&img, PH_TEXT)->p_vaddr += 0x10;
	EXPECT(-HV_EINVAL, "disagree modulo p_align");
	fresh();
	img_phdr(&img, PH_TEXT)->p_memsz = 0;
	img_phdr(&img, PH_TEXT)->p_filesz = 0;
	img_phdr(&img, PH_DATA)->p_type = PT_NULL;
	EXPECT(-HV_EINVAL, "no non-empty PT_LOAD");
}

static void test_overlap_and_order(void)
{
	fresh();
	img_phdr(&img, PH_DATA)->p_paddr = IMG_TEXT_PADDR + IMG_TEXT_SIZE - 1;
	EXPECT(-HV_EINVAL, "overlap or are not sorted");
	CU_ASSERT_EQUAL(info.err_index, PH_DATA);
	fresh();
	img_phdr(&img, PH_DATA)->p_paddr = IMG_TEXT_PADDR - IMG_DATA_MEMSZ;
	EXPECT(-HV_EINVAL, "overlap or are not sorted");
	/* Touching is fine. */
	fresh();
	img_phdr(&img, PH_DATA)->p_paddr = IMG_TEXT_PADDR + IMG_TEXT_SIZE;
	CU_ASSERT_EQUAL(elf_pv_parse(img.buf, img.len, &info), 0);
}

static void test_address_space(void)
{
	/* VIRT_BASE at the hole: the kernel lands inside it. */
	img_default_spec(&spec);
	img_set_num_note(&spec, ELFNOTE_VIRT_BASE, 0xffff800000000000ULL, 8);
	img_set_num_note(&spec, ELFNOTE_ENTRY, 0xffff800001000000ULL, 8);
	img_drop_note(&spec, ELFNOTE_HYPERCALL_PAGE);
	build();
	EXPECT(-HV_EINVAL, "PT_LOAD segment overlaps the hypervisor hole");
	CU_ASSERT_EQUAL(info.err_index, PH_TEXT);
	/* Just above the hole is allowed. */
	img_set_num_note(&spec, ELFNOTE_VIRT_BASE, 0xffff880000000000ULL, 8);
	img_set_num_note(&spec, ELFNOTE_ENTRY, 0xffff880001000000ULL, 8);
	img_drop_note(&spec, ELFNOTE_HYPERCALL_PAGE);
	build();
	CU_ASSERT_EQUAL(elf_pv_parse(img.buf, img.len, &info), 0);
	/* ... but VIRT_BASE inside it is not. */
	img_set_num_note(&spec, ELFNOTE_VIRT_BASE, 0xffff87fffe000000ULL, 8);
	img_set_num_note(&spec, ELFNOTE_PADDR_OFFSET, 0xfffffffffe000000ULL, 8);
	img_set_num_note(&spec, ELFNOTE_ENTRY, 0xffff880001000000ULL, 8);
	img_drop_note(&spec, ELFNOTE_HYPERCALL_PAGE);
	build();
	EXPECT(-HV_EINVAL, "VIRT_BASE region");
	/* Non-canonical. */
	img_set_num_note(&spec, ELFNOTE_VIRT_BASE, 0x0000900000000000ULL, 8);
	img_set_num_note(&spec, ELFNOTE_ENTRY, 0x0000900001000000ULL, 8);
	img_drop_note(&spec, ELFNOTE_HYPERCALL_PAGE);
	build();
	EXPECT(-HV_EINVAL, "not in canonical address space");
	/* Straddling the top of the lower half. */
	img_set_num_note(&spec, ELFNOTE_VIRT_BASE, 0x00007fffff000000ULL, 8);
	img_set_num_note(&spec, ELFNOTE_PADDR_OFFSET, 0x1000, 8);
	img_drop_note(&spec, ELFNOTE_HYPERCALL_PAGE);
	build();
	EXPECT(-HV_EINVAL, "not in canonical address space");
	CU_ASSERT_EQUAL(info.err_index, PH_TEXT);
	/* Wrapping past 2^64. */
	img_set_num_note(&spec, ELFNOTE_VIRT_BASE, 0xffffffffff000000ULL, 8);
	img_set_num_note(&spec, ELFNOTE_PADDR_OFFSET, 0x1000, 8);
	img_drop_note(&spec, ELFNOTE_HYPERCALL_PAGE);
	build();
	EXPECT(-HV_EINVAL, "wraps around");
}

static void test_sizes(void)
{
	fresh();
	img_phdr(&img, PH_DATA)->p_memsz = 1ULL << 30;
	EXPECT(-HV_E2BIG, "more than 1 GiB");
	fresh();
	img_phdr(&img, PH_DATA)->p_memsz = 1ULL << 40;
	EXPECT(-HV_EINVAL, "wraps around");
	/* Kernel placed far above VIRT_BASE. */
	fresh();
	img_phdr(&img, PH_DATA)->p_paddr = 0x40000000;
	img_phdr(&img, PH_DATA)->p_vaddr = IMG_VIRT_BASE + 0x40000000;
	EXPECT(-HV_E2BIG, "more than 1 GiB");
}

static void test_entry_and_pages(void)
{
	img_default_spec(&spec);
	img_set_num_note(&spec, ELFNOTE_ENTRY, IMG_KEND, 8);
	build();
	EXPECT(-HV_EINVAL, "entry point outside");
	img_drop_note(&spec, ELFNOTE_ENTRY); /* e_entry is used */
	build();
	img_ehdr(&img)->e_entry = 0;
	EXPECT(-HV_EINVAL, "entry point outside");
	img_ehdr(&img)->e_entry = IMG_TEXT_VA - 1;
	EXPECT(-HV_EINVAL, "entry point outside");
	img_ehdr(&img)->e_entry = IMG_KEND - 1;
	CU_ASSERT_EQUAL(elf_pv_parse(img.buf, img.len, &info), 0);

	img_set_num_note(&spec, ELFNOTE_HYPERCALL_PAGE, IMG_KEND - 0x800, 8);
	build();
	EXPECT(-HV_EINVAL, "HYPERCALL_PAGE is not page-aligned");
	img_set_num_note(&spec, ELFNOTE_HYPERCALL_PAGE, IMG_KEND, 8);
	build();
	EXPECT(-HV_EINVAL, "HYPERCALL_PAGE outside");
	img_set_num_note(&spec, ELFNOTE_HYPERCALL_PAGE, IMG_TEXT_VA - 0x1000,
			 8);
	build();
	EXPECT(-HV_EINVAL, "HYPERCALL_PAGE outside");
	img_set_num_note(&spec, ELFNOTE_INIT_P2M, IMG_TEXT_VA + 0x1000, 8);
	build();
	EXPECT(-HV_EINVAL, "INIT_P2M inside the image");
	img_set_num_note(&spec, ELFNOTE_INIT_P2M, 0xffff800000000000ULL, 8);
	build();
	EXPECT(-HV_EINVAL, "INIT_P2M");
	img_set_num_note(&spec, ELFNOTE_VIRT_BASE, IMG_VIRT_BASE + 0x10, 8);
	build();
	EXPECT(-HV_EINVAL, "VIRT_BASE is not page-aligned");
	img_drop_note(&spec, ELFNOTE_VIRT_BASE);
	build();
	EXPECT(-HV_EINVAL, "PADDR_OFFSET note without VIRT_BASE");
	img_set_num_note(&spec, ELFNOTE_VIRT_BASE, IMG_TEXT_VA + 0x1000, 8);
	img_set_num_note(&spec, ELFNOTE_PADDR_OFFSET, IMG_TEXT_PADDR + 0x1000,
			 8);
	build();
	EXPECT(-HV_EINVAL, "starts below VIRT_BASE");
}

static void set_note_hdr(unsigned int i, int field, uint32_t v)
{
	memcpy(img.buf + img.note_off[i] + 4 * field, &v, 4);
}

static void test_note_bounds(void)
{
	Elf64_Phdr *ph;

	fresh();
	set_note_hdr(0, 1, 0xffffffff); /* descsz */
	EXPECT(-HV_EINVAL, "extends past end of its segment");
	CU_ASSERT_EQUAL(info.err_index, PH_NOTE);
	fresh();
	set_note_hdr(3, 0, 0xfffffff0); /* namesz */
	EXPECT(-HV_EINVAL, "extends past end of its segment");
	fresh();
	ph = img_phdr(&img, PH_NOTE);
	ph->p_filesz -= 4; /* last descriptor cut */
	EXPECT(-HV_EINVAL, "extends past end of its segment");
	ph->p_filesz = img.note_off[1] - img.notes_start + 8;
	EXPECT(-HV_EINVAL, "truncated ELF note header");
	fresh();
	ph = img_phdr(&img, PH_NOTE);
	ph->p_offset = img.len - 8;
	EXPECT(-HV_EINVAL, "PT_NOTE segment extends past end of image");
	ph->p_offset = UINT64_MAX - 3;
	EXPECT(-HV_EINVAL, "PT_NOTE segment extends past end of image");
	ph->p_offset = img.notes_start + 2;
	EXPECT(-HV_EINVAL, "misaligned");
	ph->p_offset = img.notes_start;
	ph->p_align = 8;
	ph->p_filesz -= 4; /* so that it stays in the image */
	ph->p_offset += 4;
	EXPECT(-HV_EINVAL, "misaligned");
}

static void test_note_owner(void)
{
	unsigned int i;

	img_default_spec(&spec);
	for (i = 0; i < spec.nr_notes; i++)
		if (!strcmp(spec.notes[i].owner, "Xen"))
			spec.notes[i].owner = i & 1 ? "XEN" : "Xe";
	build();
	EXPECT(-HV_ENOEXEC, "no Xen ELF notes");
	fresh();
	img_phdr(&img, PH_NOTE)->p_type = PT_NULL;
	EXPECT(-HV_ENOEXEC, "no Xen ELF notes");
}

static void test_note_values(void)
{
	img_set_num_note(&spec, ELFNOTE_ENTRY, IMG_ENTRY, 2);
	build();
	EXPECT(-HV_EINVAL, "not 4 or 8 bytes");
	CU_ASSERT_EQUAL(info.err_index, ELFNOTE_ENTRY);
	CU_ASSERT_STRING_EQUAL(info.err_what, "Xen note type");
	img_set_num_note(&spec, ELFNOTE_VIRT_BASE, IMG_VIRT_BASE, 16);
	build();
	EXPECT(-HV_EINVAL, "not 4 or 8 bytes");
	img_set_num_note(&spec, ELFNOTE_SUPPORTED_FEATURES, 1, 3);
	build();
	EXPECT(-HV_EINVAL, "32-bit array");
	img_set_num_note(&spec, ELFNOTE_SUPPORTED_FEATURES, 1, 0);
	build();
	EXPECT(-HV_EINVAL, "32-bit array");
}

/*
 * String notes end at their descriptor size or at a NUL, whichever is
 * first: Linux writes FEATURES with .ascii, unterminated.
 */
static void test_note_strings(void)
{
	struct img_note *n;

	n = img_find_note(&spec, ELFNOTE_GUEST_OS);
	memcpy(n->desc, "linuxXYZ", 9);
	n->descsz = 5;
	n = img_find_note(&spec, ELFNOTE_LOADER);
	memcpy(n->desc, "gen\0ric", 8);
	n->descsz = 8;
	build();
	CU_ASSERT_EQUAL_FATAL(elf_pv_parse(img.buf, img.len, &info), 0);
	CU_ASSERT_STRING_EQUAL(info.guest_os, "linux");
	CU_ASSERT_STRING_EQUAL(info.loader, "gen");
	/* 28 bytes, no padding: the next note's header follows directly. */
	n = img_find_note(&spec, ELFNOTE_FEATURES);
	memcpy(n->desc, "!dom0|writable_page_tables||", 28);
	n->descsz = 28;
	build();
	CU_ASSERT_EQUAL_FATAL(elf_pv_parse(img.buf, img.len, &info), 0);
	CU_ASSERT_EQUAL(info.features_required[0], 1U << 11);
	CU_ASSERT_EQUAL(info.features_supported[0], 0x8801U | 1U << 11);
	/* Empty strings are allowed; required names must still be known. */
	img_find_note(&spec, ELFNOTE_FEATURES)->descsz = 0;
	img_find_note(&spec, ELFNOTE_GUEST_VERSION)->descsz = 0;
	build();
	CU_ASSERT_EQUAL(elf_pv_parse(img.buf, img.len, &info), 0);
	CU_ASSERT_STRING_EQUAL(info.guest_version, "");
	n = img_find_note(&spec, ELFNOTE_FEATURES);
	memcpy(n->desc, "!dom0x", 6);
	n->descsz = 6;
	build();
	EXPECT(-HV_EINVAL, "FEATURES requires an unknown feature");
	n = img_find_note(&spec, ELFNOTE_FEATURES);
	memcpy(n->desc, "!dom0x", 6);
	n->descsz = 5;
	build();
	CU_ASSERT_EQUAL(elf_pv_parse(img.buf, img.len, &info), 0);
}

static void test_loader_and_version(void)
{
	img_set_str_note(&spec, ELFNOTE_LOADER, "foo");
	img_set_str_note(&spec, ELFNOTE_GUEST_OS, "bsd");
	build();
	EXPECT(-HV_EINVAL, "neither LOADER");
	img_drop_note(&spec, ELFNOTE_LOADER);
	img_drop_note(&spec, ELFNOTE_GUEST_OS);
	build();
	EXPECT(-HV_EINVAL, "neither LOADER");
	/* Xen accepts any loader for a "linux" guest, and no loader. */
	img_set_str_note(&spec, ELFNOTE_LOADER, "foo");
	build();
	CU_ASSERT_EQUAL(elf_pv_parse(img.buf, img.len, &info), 0);
	img_drop_note(&spec, ELFNOTE_LOADER);
	build();
	CU_ASSERT_EQUAL(elf_pv_parse(img.buf, img.len, &info), 0);
	img_drop_note(&spec, ELFNOTE_GUEST_OS); /* LOADER alone is enough */
	build();
	CU_ASSERT_EQUAL(elf_pv_parse(img.buf, img.len, &info), 0);
	img_drop_note(&spec, ELFNOTE_XEN_VERSION);
	build();
	EXPECT(-HV_EINVAL, "XEN_VERSION");
	img_set_str_note(&spec, ELFNOTE_XEN_VERSION, "xen-2.0");
	build();
	EXPECT(-HV_EINVAL, "XEN_VERSION");
	img_set_str_note(&spec, ELFNOTE_XEN_VERSION, "xen-3.0-unstable");
	build();
	CU_ASSERT_EQUAL(elf_pv_parse(img.buf, img.len, &info), 0);
}

/* 4097 empty foreign notes appended to the image. */
static void test_too_many_notes(void)
{
	const size_t n = ELF_PV_MAX_NOTES + 1, one = 16;
	Elf64_Phdr *ph;
	size_t i, old;

	fresh();
	old = img.len;
	img.len += n * one;
	img.buf = realloc(img.buf, img.len);
	for (i = 0; i < n; i++) {
		Elf64_Nhdr nh = {.n_namesz = 4, .n_descsz = 0, .n_type = 1};

		memcpy(img.buf + old + i * one, &nh, sizeof(nh));
		memcpy(img.buf + old + i * one + sizeof(nh), "GNU", 4);
	}
	ph = img_phdr(&img, PH_NOTE);
	ph->p_offset = old;
	ph->p_filesz = n * one;
	EXPECT(-HV_E2BIG, "too many ELF notes");
	ph->p_filesz -= 2 * one;
	EXPECT(-HV_ENOEXEC, "no Xen ELF notes");
}

static uint64_t rng_state = 0x9e3779b97f4a7c15ULL;

static uint64_t rng(void)
{
	rng_state ^= rng_state << 13;
	rng_state ^= rng_state >> 7;
	rng_state ^= rng_state << 17;
	return rng_state;
}

static int fuzz_write(void *ctx, uint64_t va, const void *src, uint64_t n)
{
	const struct elf_pv_info *pi = ctx;
	volatile uint8_t sink = 0;
	uint64_t i;

	CU_ASSERT_FATAL(va >= pi->virt_kstart && n <= pi->virt_kend - va);
	for (i = 0; src && i < n; i++) /* touch every source byte */
		sink += ((const uint8_t *)src)[i];
	(void)sink;
	return 0;
}

/* Random corruption of headers and notes: errors only, no bad reads. */
static void test_fuzz(void)
{
	unsigned int iter, k, ok = 0;
	struct img base;
	uint8_t *copy;

	img_build_default(&base);
	copy = malloc(base.len);
	for (iter = 0; iter < 20000; iter++) {
		memcpy(copy, base.buf, base.len);
		for (k = 0; k <= rng() % 4; k++) {
			size_t at = rng() % (iter & 1 ? base.notes_end : 0x100);

			copy[at] = (uint8_t)(rng() % 3 ? rng() : 0xff);
		}
		if (elf_pv_parse(copy, base.len, &info) != 0) {
			CU_ASSERT_PTR_NOT_NULL_FATAL(info.err);
			continue;
		}
		ok++;
		CU_ASSERT_FATAL(info.entry >= info.virt_kstart &&
				info.entry < info.virt_kend);
		CU_ASSERT_FATAL(info.virt_kend - info.virt_base <=
				ELF_PV_MAX_SPAN);
		CU_ASSERT_EQUAL_FATAL(
		    elf_pv_load(copy, base.len, &info, fuzz_write, &info), 0);
	}
	CU_ASSERT(ok > 0); /* some mutations are harmless */
	free(copy);
	img_free(&base);
}

static void cleanup(void)
{
	img_free(&img);
}

bool suite_elf_malformed(void)
{
	static const struct unit_test tests[] = {
	    {"every truncation refused", test_truncated},
	    {"identification", test_ident},
	    {"header tables", test_header_tables},
	    {"PT_LOAD checks", test_load_segments},
	    {"overlapping and unsorted segments", test_overlap_and_order},
	    {"hole, canonical, wrap", test_address_space},
	    {"sizes", test_sizes},
	    {"entry, hypercall page, p2m, bases", test_entry_and_pages},
	    {"note bounds", test_note_bounds},
	    {"note owner", test_note_owner},
	    {"note values", test_note_values},
	    {"note strings", test_note_strings},
	    {"LOADER, GUEST_OS, XEN_VERSION", test_loader_and_version},
	    {"too many notes", test_too_many_notes},
	    {"random corruption", test_fuzz},
	    {"cleanup", cleanup},
	};

	img_default_spec(&spec);
	return UNIT_SUITE("elf-pv malformed", tests);
}
