// SPDX-License-Identifier: GPL-2.0
/*
 * Synthetic ELF64 PV kernel images for the ELF parser tests (see
 * elf-image.h for the layout). Built with the host's <elf.h> so that the
 * parser's own structure definitions are checked, not reused.
 */
#include <stdlib.h>
#include <string.h>
#include <hvabi/elfnote.h>
#include "elf-image.h"

#define FILE_PHDRS 64
#define FILE_NOTES 0x100
#define FILE_TEXT 0x1000
#define FILE_DATA (FILE_TEXT + IMG_TEXT_SIZE)
#define FILE_END (FILE_DATA + IMG_DATA_FILESZ)

static struct img_note *slot_for(struct img_spec *spec, uint32_t type)
{
	struct img_note *n = img_find_note(spec, type);

	if (n)
		return n;
	if (spec->nr_notes >= IMG_MAX_NOTES)
		abort();
	n = &spec->notes[spec->nr_notes++];
	n->type = type;
	return n;
}

struct img_note *img_find_note(struct img_spec *spec, uint32_t type)
{
	unsigned int i;

	for (i = 0; i < spec->nr_notes; i++)
		if (spec->notes[i].type == type &&
		    !strcmp(spec->notes[i].owner, "Xen"))
			return &spec->notes[i];
	return NULL;
}

void img_set_num_note(struct img_spec *spec, uint32_t type, uint64_t v,
		      uint32_t size)
{
	struct img_note *n = slot_for(spec, type);

	n->owner = "Xen";
	n->descsz = size;
	memcpy(n->desc, &v, size > 8 ? 8 : size); /* little-endian host */
}

void img_set_str_note(struct img_spec *spec, uint32_t type, const char *s)
{
	struct img_note *n = slot_for(spec, type);

	n->owner = "Xen";
	n->descsz = (uint32_t)strlen(s) + 1;
	if (n->descsz > IMG_DESC_MAX)
		abort();
	memcpy(n->desc, s, n->descsz);
}

void img_drop_note(struct img_spec *spec, uint32_t type)
{
	struct img_note *n;

	while ((n = img_find_note(spec, type)) != NULL) {
		*n = spec->notes[--spec->nr_notes];
	}
}

void img_default_spec(struct img_spec *spec)
{
	static const uint64_t l1_mfn_valid[2] = {1, 1};
	struct img_note *gnu;

	memset(spec, 0, sizeof(*spec));
	spec->note_align = 4;
	img_set_str_note(spec, ELFNOTE_GUEST_OS, "linux");
	img_set_str_note(spec, ELFNOTE_GUEST_VERSION, "2.6");
	img_set_str_note(spec, ELFNOTE_XEN_VERSION, "xen-3.0");
	img_set_num_note(spec, ELFNOTE_VIRT_BASE, IMG_VIRT_BASE, 8);
	img_set_num_note(spec, ELFNOTE_ENTRY, IMG_ENTRY, 8);
	img_set_num_note(spec, ELFNOTE_HYPERCALL_PAGE, IMG_HYPERCALL, 8);
	/* A foreign note between Xen ones: must be skipped. */
	gnu = &spec->notes[spec->nr_notes++];
	gnu->owner = "GNU";
	gnu->type = ELFNOTE_ENTRY;
	gnu->descsz = 8;
	memset(gnu->desc, 0xee, 8);
	img_set_str_note(spec, ELFNOTE_FEATURES,
			 "!writable_page_tables|pae_pgdir_above_4gb");
	img_set_num_note(spec, ELFNOTE_SUPPORTED_FEATURES, 0x8801, 4);
	img_set_str_note(spec, ELFNOTE_PAE_MODE, "yes");
	img_set_str_note(spec, ELFNOTE_LOADER, "generic");
	img_set_num_note(spec, ELFNOTE_SUSPEND_CANCEL, 1, 4);
	img_set_num_note(spec, ELFNOTE_HV_START_LOW, 0xffff800000000000ULL, 8);
	img_set_num_note(spec, ELFNOTE_PADDR_OFFSET, 0, 8);
	img_set_num_note(spec, ELFNOTE_MOD_START_PFN, 1, 4);
	img_set_num_note(spec, ELFNOTE_INIT_P2M, 0x8000000000ULL, 8);
	slot_for(spec, ELFNOTE_L1_MFN_VALID)->owner = "Xen";
	img_find_note(spec, ELFNOTE_L1_MFN_VALID)->descsz = 16;
	memcpy(img_find_note(spec, ELFNOTE_L1_MFN_VALID)->desc, l1_mfn_valid,
	       16);
}

static size_t align_up(size_t x, size_t a)
{
	return (x + a - 1) & ~(a - 1);
}

static size_t put_notes(struct img *img, const struct img_spec *spec)
{
	size_t off = FILE_NOTES, a = spec->note_align;
	unsigned int i;

	for (i = 0; i < spec->nr_notes; i++) {
		const struct img_note *n = &spec->notes[i];
		Elf64_Nhdr nh = {
		    .n_namesz = (Elf64_Word)strlen(n->owner) + 1,
		    .n_descsz = n->descsz,
		    .n_type = n->type,
		};

		img->note_off[i] = off;
		memcpy(img->buf + off, &nh, sizeof(nh));
		off += sizeof(nh);
		memcpy(img->buf + off, n->owner, nh.n_namesz);
		off = align_up(off + nh.n_namesz, a);
		memcpy(img->buf + off, n->desc, n->descsz);
		off = align_up(off + n->descsz, a);
	}
	if (off > FILE_TEXT - 3 * sizeof(Elf64_Shdr))
		abort();
	return off;
}

static void put_sections(struct img *img, size_t shoff)
{
	Elf64_Ehdr *eh = img_ehdr(img);
	Elf64_Shdr sh[2] = {{0}};

	sh[1].sh_type = SHT_NOTE;
	sh[1].sh_flags = SHF_ALLOC;
	sh[1].sh_offset = img->notes_start;
	sh[1].sh_size = img->notes_end - img->notes_start;
	sh[1].sh_addralign = 4;
	memcpy(img->buf + shoff, sh, sizeof(sh));
	eh->e_shoff = shoff;
	eh->e_shentsize = sizeof(Elf64_Shdr);
	eh->e_shnum = 2;
}

static void put_load(Elf64_Phdr *ph, uint64_t off, uint64_t paddr,
		     uint64_t filesz, uint64_t memsz)
{
	ph->p_type = PT_LOAD;
	ph->p_flags = PF_R | PF_W | PF_X;
	ph->p_offset = off;
	ph->p_vaddr = IMG_VIRT_BASE + paddr;
	ph->p_paddr = paddr;
	ph->p_filesz = filesz;
	ph->p_memsz = memsz;
	ph->p_align = 0x1000;
}

void img_build(struct img *img, const struct img_spec *spec)
{
	Elf64_Ehdr *eh;
	Elf64_Phdr *ph;
	size_t i;

	img->len = FILE_END;
	img->buf = calloc(1, img->len);
	if (!img->buf)
		abort();
	eh = img_ehdr(img);
	memcpy(eh->e_ident, ELFMAG, SELFMAG);
	eh->e_ident[EI_CLASS] = ELFCLASS64;
	eh->e_ident[EI_DATA] = ELFDATA2LSB;
	eh->e_ident[EI_VERSION] = EV_CURRENT;
	eh->e_type = ET_EXEC;
	eh->e_machine = EM_X86_64;
	eh->e_version = EV_CURRENT;
	eh->e_entry = IMG_TEXT_VA;
	eh->e_phoff = FILE_PHDRS;
	eh->e_ehsize = sizeof(Elf64_Ehdr);
	eh->e_phentsize = sizeof(Elf64_Phdr);
	eh->e_phnum = PH_COUNT;

	put_load(img_phdr(img, PH_TEXT), FILE_TEXT, IMG_TEXT_PADDR,
		 IMG_TEXT_SIZE, IMG_TEXT_SIZE);
	put_load(img_phdr(img, PH_DATA), FILE_DATA, IMG_DATA_PADDR,
		 IMG_DATA_FILESZ, IMG_DATA_MEMSZ);
	for (i = FILE_TEXT; i < FILE_END; i++)
		img->buf[i] = (uint8_t)(i * 7 + 1);

	img->notes_start = FILE_NOTES;
	img->notes_end = put_notes(img, spec);
	ph = img_phdr(img, PH_NOTE);
	ph->p_type = PT_NOTE;
	ph->p_flags = PF_R;
	ph->p_offset = img->notes_start;
	ph->p_filesz = img->notes_end - img->notes_start;
	ph->p_align = spec->note_align;
	if (spec->note_sections)
		put_sections(img, align_up(img->notes_end, 8));
}

void img_build_default(struct img *img)
{
	struct img_spec spec;

	img_default_spec(&spec);
	img_build(img, &spec);
}

void img_free(struct img *img)
{
	free(img->buf);
	img->buf = NULL;
}

Elf64_Ehdr *img_ehdr(struct img *img)
{
	return (Elf64_Ehdr *)img->buf;
}

Elf64_Phdr *img_phdr(struct img *img, unsigned int i)
{
	return (Elf64_Phdr *)(img->buf + img_ehdr(img)->e_phoff) + i;
}
