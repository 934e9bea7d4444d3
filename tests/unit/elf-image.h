/* SPDX-License-Identifier: GPL-2.0 */
/*
 * Builds small synthetic ELF64 PV kernel images for the ELF parser tests,
 * using the host's <elf.h> (independent of the parser's own definitions).
 * The default image looks like a Linux vmlinux: VIRT_BASE
 * 0xffffffff80000000, text at paddr 0x1000000, a data+bss segment after it
 * and a PT_NOTE segment with Linux's Xen notes.
 */
#ifndef TESTS_UNIT_ELF_IMAGE_H
#define TESTS_UNIT_ELF_IMAGE_H

#include <elf.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#define IMG_MAX_NOTES 24
#define IMG_VIRT_BASE 0xffffffff80000000ULL
#define IMG_TEXT_PADDR 0x1000000ULL
#define IMG_TEXT_VA (IMG_VIRT_BASE + IMG_TEXT_PADDR)
#define IMG_TEXT_SIZE 0x2000ULL /* hypercall page is its 2nd page */
#define IMG_DATA_PADDR (IMG_TEXT_PADDR + IMG_TEXT_SIZE)
#define IMG_DATA_FILESZ 0x800ULL
#define IMG_DATA_MEMSZ 0x3000ULL
#define IMG_ENTRY (IMG_TEXT_VA + 0x10)
#define IMG_HYPERCALL (IMG_TEXT_VA + 0x1000)
#define IMG_KEND (IMG_VIRT_BASE + IMG_DATA_PADDR + IMG_DATA_MEMSZ)

/* Program header indexes in the default image. */
enum { PH_TEXT, PH_DATA, PH_NOTE, PH_COUNT };

#define IMG_DESC_MAX 64

struct img_note {
	const char *owner; /* written with its NUL, as "Xen" is */
	uint32_t type;
	uint32_t descsz; /* at most IMG_DESC_MAX */
	uint8_t desc[IMG_DESC_MAX];
};

struct img_spec {
	struct img_note notes[IMG_MAX_NOTES];
	unsigned int nr_notes;
	unsigned int note_align; /* 4 (default) or 8 */
	bool note_sections;	 /* add SHT_NOTE + section headers */
};

struct img {
	uint8_t *buf; /* malloc'd, exactly len bytes */
	size_t len;
	size_t note_off[IMG_MAX_NOTES]; /* file offset of each note */
	size_t notes_start, notes_end;
};

/* The default notes (Linux 6.1 values plus ENTRY and HYPERCALL_PAGE). */
void img_default_spec(struct img_spec *spec);
/* Find the note of @type in @spec, NULL if absent. */
struct img_note *img_find_note(struct img_spec *spec, uint32_t type);
/* Replace (or add) a Xen note of @type with a @size-byte value. */
void img_set_num_note(struct img_spec *spec, uint32_t type, uint64_t v,
		      uint32_t size);
/* Replace (or add) a Xen string note of @type. */
void img_set_str_note(struct img_spec *spec, uint32_t type, const char *s);
/* Drop every note of @type. */
void img_drop_note(struct img_spec *spec, uint32_t type);

void img_build(struct img *img, const struct img_spec *spec);
void img_build_default(struct img *img);
void img_free(struct img *img);

Elf64_Ehdr *img_ehdr(struct img *img);
Elf64_Phdr *img_phdr(struct img *img, unsigned int i);

#endif
