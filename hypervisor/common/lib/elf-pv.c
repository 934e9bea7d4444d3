// SPDX-License-Identifier: GPL-2.0
/*
 * ELF64 PV kernel parser and loader: header and segment validation, Xen
 * ELF notes, and copying PT_LOAD segments out through a callback. Pure
 * logic with no hypervisor state; the host unit tests build this file.
 * Guest memory layout and page tables belong to the domain builder.
 *
 * The image is untrusted. Every header table, segment, section and note
 * is checked against the image length with in_bounds() (overflow-safe)
 * before it is read, and headers are copied into aligned locals. Loops
 * are bounded by the 16-bit header counts and by ELF_PV_MAX_NOTES.
 *
 * Address rules follow Xen 4.17's libelf: a PT_LOAD segment with physical
 * address p goes to p + virt_offset, virt_offset = VIRT_BASE - PADDR_OFFSET;
 * with ELF notes present an absent PADDR_OFFSET is 0 and an absent
 * VIRT_BASE is 0 (PADDR_OFFSET without VIRT_BASE is an error); ENTRY
 * defaults to e_entry; notes come from PT_NOTE segments, else from
 * SHT_NOTE sections; LOADER "generic" or GUEST_OS "linux", and
 * XEN_VERSION "xen-3.0", are required. Stricter than Xen, so that a bad
 * image fails here and not in the builder: PT_LOAD segments sorted and
 * disjoint, canonical, outside the hole, within 1 GiB of VIRT_BASE;
 * VIRT_BASE and HYPERCALL_PAGE page-aligned; numeric notes 4 or 8 bytes.
 * BSD_SYMTAB is ignored (no symbol table is loaded).
 */
#include <hv/elf-pv.h>
#include <hv/errno.h>
#include <hv/string.h>
#include <hv/vsnprintf.h>
#include <hvabi/elfnote.h>
#include <hvabi/version.h>
#include <hvabi/xen.h>

/* ---- ELF64 layout (only what we read) ------------------------------- */

#define EI_NIDENT 16
#define ELFCLASS64 2
#define ELFDATA2LSB 1
#define EV_CURRENT 1
#define ET_EXEC 2
#define EM_X86_64 62
#define PN_XNUM 0xffff
#define PT_LOAD 1
#define PT_NOTE 4
#define SHT_NOTE 7

struct elf64_ehdr {
	uint8_t ident[EI_NIDENT];
	uint16_t type;
	uint16_t machine;
	uint32_t version;
	uint64_t entry;
	uint64_t phoff;
	uint64_t shoff;
	uint32_t flags;
	uint16_t ehsize;
	uint16_t phentsize;
	uint16_t phnum;
	uint16_t shentsize;
	uint16_t shnum;
	uint16_t shstrndx;
};

struct elf64_phdr {
	uint32_t type;
	uint32_t flags;
	uint64_t offset;
	uint64_t vaddr;
	uint64_t paddr;
	uint64_t filesz;
	uint64_t memsz;
	uint64_t align;
};

struct elf64_shdr {
	uint32_t name;
	uint32_t type;
	uint64_t flags;
	uint64_t addr;
	uint64_t offset;
	uint64_t size;
	uint32_t link;
	uint32_t info;
	uint64_t addralign;
	uint64_t entsize;
};

struct elf_note_hdr {
	uint32_t namesz;
	uint32_t descsz;
	uint32_t type;
};

BUILD_BUG_ON(sizeof(struct elf64_ehdr) != 64);
BUILD_BUG_ON(sizeof(struct elf64_phdr) != 56);
BUILD_BUG_ON(sizeof(struct elf64_shdr) != 64);
BUILD_BUG_ON(sizeof(struct elf_note_hdr) != 12);

/* Lowest address of the upper canonical half: the hole starts there. */
#define CANONICAL_LOW_END 0x0000800000000000ULL

/* ---- Parser state and errors ----------------------------------------- */

struct elf_ctx {
	const uint8_t *img;
	uint64_t len;
	struct elf64_ehdr eh;
	struct elf_pv_info *info; /* result, and where errors go */
	unsigned int nr_notes;	  /* notes of any owner seen so far */
	bool virt_base_set;
	bool paddr_offset_set;
	bool entry_set;
};

static int fail(struct elf_ctx *c, int err, const char *what, int index,
		const char *msg)
{
	c->info->err = msg;
	c->info->err_what = what;
	c->info->err_index = index;
	return err;
}

/* Is [off, off + size) inside an object of @len bytes? Overflow-safe. */
static bool in_bounds(uint64_t off, uint64_t size, uint64_t len)
{
	return off <= len && size <= len - off;
}

static bool read_at(const struct elf_ctx *c, uint64_t off, void *dst,
		    uint64_t size)
{
	if (!in_bounds(off, size, c->len))
		return false;
	memcpy(dst, c->img + off, size);
	return true;
}

static bool is_pow2(uint64_t x)
{
	return (x & (x - 1)) == 0;
}

/* ---- File header and program headers -------------------------------- */

static int check_ident(struct elf_ctx *c)
{
	const uint8_t *id = c->eh.ident;

	if (id[0] != 0x7f || id[1] != 'E' || id[2] != 'L' || id[3] != 'F')
		return fail(c, -ENOEXEC, NULL, -1, "not an ELF image");
	if (id[4] != ELFCLASS64)
		return fail(c, -ENOEXEC, NULL, -1, "not a 64-bit ELF image");
	if (id[5] != ELFDATA2LSB)
		return fail(c, -ENOEXEC, NULL, -1,
			    "not a little-endian ELF image");
	if (id[6] != EV_CURRENT || c->eh.version != EV_CURRENT)
		return fail(c, -ENOEXEC, NULL, -1, "unknown ELF version");
	if (c->eh.machine != EM_X86_64)
		return fail(c, -ENOEXEC, NULL, -1, "not an x86_64 ELF image");
	if (c->eh.type != ET_EXEC)
		return fail(c, -ENOEXEC, NULL, -1,
			    "not an executable (ET_EXEC) ELF image");
	return 0;
}

static int check_ehdr(struct elf_ctx *c)
{
	const struct elf64_ehdr *eh = &c->eh;
	int rc;

	if (!read_at(c, 0, &c->eh, sizeof(c->eh)))
		return fail(c, -ENOEXEC, NULL, -1,
			    "image shorter than an ELF64 header");
	rc = check_ident(c);
	if (rc)
		return rc;
	if (eh->ehsize != sizeof(struct elf64_ehdr))
		return fail(c, -EINVAL, NULL, -1, "bad e_ehsize");
	if (eh->phnum == 0)
		return fail(c, -EINVAL, NULL, -1, "no program headers");
	if (eh->phnum == PN_XNUM)
		return fail(c, -EINVAL, NULL, -1,
			    "extended program header numbering not supported");
	if (eh->phentsize != sizeof(struct elf64_phdr))
		return fail(c, -EINVAL, NULL, -1, "bad e_phentsize");
	if (!in_bounds(eh->phoff, (uint64_t)eh->phnum * eh->phentsize, c->len))
		return fail(c, -EINVAL, NULL, -1,
			    "program header table extends past end of image");
	if (eh->shnum == 0)
		return 0;
	if (eh->shentsize != sizeof(struct elf64_shdr))
		return fail(c, -EINVAL, NULL, -1, "bad e_shentsize");
	if (!in_bounds(eh->shoff, (uint64_t)eh->shnum * eh->shentsize, c->len))
		return fail(c, -EINVAL, NULL, -1,
			    "section header table extends past end of image");
	return 0;
}

/* @pre check_ehdr() succeeded and @i < phnum, so the read is in bounds. */
static void get_phdr(const struct elf_ctx *c, unsigned int i,
		     struct elf64_phdr *ph)
{
	memcpy(ph, c->img + c->eh.phoff + (uint64_t)i * sizeof(*ph),
	       sizeof(*ph));
}

static void get_shdr(const struct elf_ctx *c, unsigned int i,
		     struct elf64_shdr *sh)
{
	memcpy(sh, c->img + c->eh.shoff + (uint64_t)i * sizeof(*sh),
	       sizeof(*sh));
}

#define PH "program header"

/* One PT_LOAD segment on its own, in file and physical terms. */
static int check_load_phdr(struct elf_ctx *c, unsigned int i,
			   const struct elf64_phdr *ph)
{
	if (ph->filesz > ph->memsz)
		return fail(c, -EINVAL, PH, i, "PT_LOAD p_filesz > p_memsz");
	if (ph->filesz && !in_bounds(ph->offset, ph->filesz, c->len))
		return fail(c, -EINVAL, PH, i,
			    "PT_LOAD segment extends past end of image");
	if (ph->paddr + ph->memsz < ph->paddr)
		return fail(c, -EINVAL, PH, i,
			    "PT_LOAD p_paddr + p_memsz overflows");
	if (!is_pow2(ph->align))
		return fail(c, -EINVAL, PH, i,
			    "PT_LOAD p_align is not a power of two");
	if (ph->align > 1 &&
	    (ph->vaddr & (ph->align - 1)) != (ph->offset & (ph->align - 1)))
		return fail(
		    c, -EINVAL, PH, i,
		    "PT_LOAD p_vaddr and p_offset disagree modulo p_align");
	return 0;
}

/* Where a segment lands for a given virt_offset; false if it wraps. */
static bool seg_virt(const struct elf64_phdr *ph, uint64_t virt_offset,
		     uint64_t *start, uint64_t *end)
{
	*start = ph->paddr + virt_offset; /* modulo 2^64, as Xen */
	*end = *start + ph->memsz;
	return *end >= *start;
}

/* Is [start, end) canonical (one half only)? @pre start <= end. */
static bool range_canonical(uint64_t start, uint64_t end)
{
	return end <= CANONICAL_LOW_END || start >= HYPERVISOR_VIRT_START;
}

static bool range_in_hole(uint64_t start, uint64_t end)
{
	return start < HYPERVISOR_VIRT_END && end > HYPERVISOR_VIRT_START;
}

static int check_load_virt(struct elf_ctx *c, unsigned int i,
			   const struct elf64_phdr *ph, uint64_t *prev_end)
{
	uint64_t start, end;

	if (!seg_virt(ph, c->info->virt_offset, &start, &end))
		return fail(c, -EINVAL, PH, i,
			    "PT_LOAD segment wraps around the address space");
	if (!range_canonical(start, end))
		return fail(
		    c, -EINVAL, PH, i,
		    "PT_LOAD segment is not in canonical address space");
	if (range_in_hole(start, end))
		return fail(c, -EINVAL, PH, i,
			    "PT_LOAD segment overlaps the hypervisor hole");
	if (c->info->nr_load && start < *prev_end)
		return fail(
		    c, -EINVAL, PH, i,
		    "PT_LOAD segments overlap or are not sorted by address");
	if (!c->info->nr_load)
		c->info->virt_kstart = start;
	c->info->nr_load++;
	c->info->virt_kend = end;
	*prev_end = end;
	return 0;
}

/*
 * Validate every non-empty PT_LOAD and compute [virt_kstart, virt_kend).
 * Segments must be sorted by p_paddr, which with one constant offset also
 * sorts (and, with the wrap check, orders) them virtually.
 */
static int check_segments(struct elf_ctx *c)
{
	struct elf64_phdr ph;
	uint64_t prev_end = 0;
	unsigned int i;
	int rc;

	c->info->nr_load = 0;
	for (i = 0; i < c->eh.phnum; i++) {
		get_phdr(c, i, &ph);
		if (ph.type != PT_LOAD)
			continue;
		rc = check_load_phdr(c, i, &ph);
		/* Empty segments load nothing and take no address. */
		if (!rc && ph.memsz)
			rc = check_load_virt(c, i, &ph, &prev_end);
		if (rc)
			return rc;
	}
	if (!c->info->nr_load)
		return fail(c, -EINVAL, NULL, -1,
			    "no non-empty PT_LOAD segment");
	return 0;
}

/* ---- Xen notes --------------------------------------------------------- */

#define NOTE "Xen note type"

static const char *const feature_names[] = {
    [XENFEAT_writable_page_tables] = "writable_page_tables",
    [XENFEAT_writable_descriptor_tables] = "writable_descriptor_tables",
    [XENFEAT_auto_translated_physmap] = "auto_translated_physmap",
    [XENFEAT_supervisor_mode_kernel] = "supervisor_mode_kernel",
    [XENFEAT_pae_pgdir_above_4gb] = "pae_pgdir_above_4gb",
    [XENFEAT_hvm_callback_vector] = "hvm_callback_vector",
    [XENFEAT_dom0] = "dom0",
};

static int feature_lookup(const char *name, size_t n)
{
	unsigned int i;

	for (i = 0; i < ARRAY_SIZE(feature_names); i++) {
		const char *f = feature_names[i];

		if (f && strlen(f) == n && !memcmp(f, name, n))
			return (int)i;
	}
	return -1;
}

/*
 * FEATURES: names separated by '|', a leading '!' marks a required one.
 * Unknown names are ignored unless required (Xen does the same). @s has
 * @len bytes and need not be NUL-terminated.
 */
static int parse_features(struct elf_ctx *c, const char *s, size_t len)
{
	size_t pos, n;

	for (pos = 0; pos < len; pos += n + 1) {
		const char *word = s + pos;
		bool required;
		int bit;

		for (n = 0; pos + n < len && word[n] != '|'; n++)
			;
		required = n && word[0] == '!';
		bit = feature_lookup(word + required, n - required);
		if (bit >= 0) {
			c->info->features_supported[0] |= 1U << bit;
			if (required)
				c->info->features_required[0] |= 1U << bit;
		} else if (required) {
			return fail(c, -EINVAL, NOTE, ELFNOTE_FEATURES,
				    "FEATURES requires an unknown feature");
		}
	}
	return 0;
}

/* How each known note's descriptor is read; 0 = ignored here. */
enum { NOTE_NUM = 1, NOTE_STR };

static const uint8_t note_kind[ELFNOTE_MAX + 1] = {
    [ELFNOTE_ENTRY] = NOTE_NUM,	       [ELFNOTE_HYPERCALL_PAGE] = NOTE_NUM,
    [ELFNOTE_VIRT_BASE] = NOTE_NUM,    [ELFNOTE_PADDR_OFFSET] = NOTE_NUM,
    [ELFNOTE_HV_START_LOW] = NOTE_NUM, [ELFNOTE_SUSPEND_CANCEL] = NOTE_NUM,
    [ELFNOTE_INIT_P2M] = NOTE_NUM,     [ELFNOTE_MOD_START_PFN] = NOTE_NUM,
    [ELFNOTE_PHYS32_ENTRY] = NOTE_NUM, [ELFNOTE_XEN_VERSION] = NOTE_STR,
    [ELFNOTE_GUEST_OS] = NOTE_STR,     [ELFNOTE_GUEST_VERSION] = NOTE_STR,
    [ELFNOTE_LOADER] = NOTE_STR,       [ELFNOTE_PAE_MODE] = NOTE_STR,
    [ELFNOTE_FEATURES] = NOTE_STR,     [ELFNOTE_BSD_SYMTAB] = NOTE_STR,
};

static unsigned int note_kind_of(uint32_t type)
{
	return type < ARRAY_SIZE(note_kind) ? note_kind[type] : 0;
}

static void note_numeric(struct elf_ctx *c, uint32_t type, uint64_t v)
{
	struct elf_pv_info *info = c->info;

	switch (type) {
	case ELFNOTE_ENTRY:
		info->entry = v;
		c->entry_set = true;
		break;
	case ELFNOTE_HYPERCALL_PAGE:
		info->hypercall_page = v;
		info->has_hypercall_page = true;
		break;
	case ELFNOTE_VIRT_BASE:
		info->virt_base = v;
		c->virt_base_set = true;
		break;
	case ELFNOTE_PADDR_OFFSET:
		info->paddr_offset = v;
		c->paddr_offset_set = true;
		break;
	case ELFNOTE_HV_START_LOW:
		info->hv_start_low = v;
		break;
	case ELFNOTE_SUSPEND_CANCEL:
		info->suspend_cancel = v != 0;
		break;
	case ELFNOTE_INIT_P2M:
		info->init_p2m = v;
		break;
	case ELFNOTE_MOD_START_PFN:
		info->mod_start_pfn = v != 0;
		break;
	}
}

/* Copy @n bytes of a note string into @dst[size], truncating. */
static void copy_str(char *dst, size_t size, const char *s, size_t n)
{
	n = MIN(n, size - 1);
	memcpy(dst, s, n);
	dst[n] = '\0';
}

/*
 * A string note is the first @n bytes of its descriptor, up to a NUL if
 * there is one: Linux writes FEATURES with .ascii, without a terminator.
 */
static int note_string(struct elf_ctx *c, uint32_t type, const char *s,
		       size_t n)
{
	struct elf_pv_info *info = c->info;

	switch (type) {
	case ELFNOTE_XEN_VERSION:
		copy_str(info->xen_version, sizeof(info->xen_version), s, n);
		break;
	case ELFNOTE_GUEST_OS:
		copy_str(info->guest_os, sizeof(info->guest_os), s, n);
		break;
	case ELFNOTE_GUEST_VERSION:
		copy_str(info->guest_version, sizeof(info->guest_version), s,
			 n);
		break;
	case ELFNOTE_LOADER:
		copy_str(info->loader, sizeof(info->loader), s, n);
		break;
	case ELFNOTE_FEATURES:
		return parse_features(c, s, n);
	}
	return 0;
}

/* One note with owner "Xen"; its descriptor is in bounds. */
static int xen_note(struct elf_ctx *c, uint32_t type, uint64_t desc,
		    uint32_t descsz)
{
	const uint8_t *d = c->img + desc;
	uint64_t v = 0;
	uint32_t v32;

	c->info->nr_xen_notes++;
	if (note_kind_of(type) == NOTE_NUM) {
		if (descsz != 4 && descsz != 8)
			return fail(c, -EINVAL, NOTE, (int)type,
				    "numeric note is not 4 or 8 bytes");
		memcpy(&v, d, descsz); /* little-endian */
		note_numeric(c, type, v);
	} else if (type == ELFNOTE_SUPPORTED_FEATURES) {
		if (descsz < 4 || descsz % 4)
			return fail(c, -EINVAL, NOTE, (int)type,
				    "SUPPORTED_FEATURES is not a 32-bit array");
		memcpy(&v32, d, 4);
		c->info->features_supported[0] |= v32;
		c->info->has_supported_features = true;
	} else if (note_kind_of(type) == NOTE_STR) {
		return note_string(c, type, (const char *)d,
				   strnlen((const char *)d, descsz));
	}
	/* Others (L1_MFN_VALID, PHYS32_RELOC, unknown) do not matter here. */
	return 0;
}

/*
 * Walk the notes in [off, off + size) of the image (already bounds-checked
 * against it). Descriptor and next note start at offsets from the note's
 * start rounded up to @align (4, or 8 for segments aligned so, as the gABI
 * and binutils do); the last note's padding may be cut off.
 */
static int parse_notes(struct elf_ctx *c, uint64_t off, uint64_t size,
		       uint64_t align, const char *what, int idx)
{
	uint64_t pos = 0, rem, doff, note;
	struct elf_note_hdr nh;
	int rc;

	while (pos < size) {
		if (++c->nr_notes > ELF_PV_MAX_NOTES)
			return fail(c, -E2BIG, NULL, -1, "too many ELF notes");
		rem = size - pos;
		if (rem < sizeof(nh))
			return fail(c, -EINVAL, what, idx,
				    "truncated ELF note header");
		note = off + pos;
		memcpy(&nh, c->img + note, sizeof(nh));
		doff = ALIGN_UP(sizeof(nh) + (uint64_t)nh.namesz, align);
		if (sizeof(nh) + nh.namesz > rem ||
		    nh.descsz > rem - MIN(doff, rem))
			return fail(c, -EINVAL, what, idx,
				    "ELF note extends past end of its segment");
		if (nh.namesz == sizeof(ELFNOTE_OWNER) &&
		    !memcmp(c->img + note + sizeof(nh), ELFNOTE_OWNER,
			    sizeof(ELFNOTE_OWNER))) {
			rc = xen_note(c, nh.type, note + doff, nh.descsz);
			if (rc)
				return rc;
		}
		pos += ALIGN_UP(doff + nh.descsz, align);
	}
	return 0;
}

static int notes_from_segments(struct elf_ctx *c)
{
	struct elf64_phdr ph;
	uint64_t align;
	unsigned int i;
	int rc;

	for (i = 0; i < c->eh.phnum; i++) {
		get_phdr(c, i, &ph);
		/* p_offset 0: some binutils leave it so; Xen skips these too.
		 */
		if (ph.type != PT_NOTE || ph.offset == 0 || ph.filesz == 0)
			continue;
		align = ph.align == 8 ? 8 : 4;
		if (!in_bounds(ph.offset, ph.filesz, c->len))
			return fail(
			    c, -EINVAL, PH, i,
			    "PT_NOTE segment extends past end of image");
		if (ph.offset % align)
			return fail(
			    c, -EINVAL, PH, i,
			    "PT_NOTE segment is misaligned in the image");
		rc = parse_notes(c, ph.offset, ph.filesz, align, PH, i);
		if (rc)
			return rc;
	}
	return 0;
}

#define SH "section header"

static int notes_from_sections(struct elf_ctx *c)
{
	struct elf64_shdr sh;
	uint64_t align;
	unsigned int i;
	int rc;

	for (i = 1; i < c->eh.shnum; i++) {
		get_shdr(c, i, &sh);
		if (sh.type != SHT_NOTE || sh.size == 0)
			continue;
		align = sh.addralign == 8 ? 8 : 4;
		if (!in_bounds(sh.offset, sh.size, c->len))
			return fail(
			    c, -EINVAL, SH, i,
			    "SHT_NOTE section extends past end of image");
		if (sh.offset % align)
			return fail(
			    c, -EINVAL, SH, i,
			    "SHT_NOTE section is misaligned in the image");
		rc = parse_notes(c, sh.offset, sh.size, align, SH, i);
		if (rc)
			return rc;
	}
	return 0;
}

static bool starts_with(const char *s, const char *prefix)
{
	return !strncmp(s, prefix, strlen(prefix));
}

/* Notes, then Xen's note_check: who may be loaded at all. */
static int read_notes(struct elf_ctx *c)
{
	struct elf_pv_info *info = c->info;
	int rc;

	rc = notes_from_segments(c);
	if (!rc && !info->nr_xen_notes)
		rc = notes_from_sections(c);
	if (rc)
		return rc;
	if (!info->nr_xen_notes)
		return fail(c, -ENOEXEC, NULL, -1,
			    "no Xen ELF notes: not a PV kernel");
	if (!starts_with(info->loader, "generic") &&
	    !starts_with(info->guest_os, "linux"))
		return fail(
		    c, -EINVAL, NULL, -1,
		    "neither LOADER \"generic\" nor GUEST_OS \"linux\"");
	if (!starts_with(info->xen_version, "xen-3.0"))
		return fail(c, -EINVAL, NULL, -1,
			    "XEN_VERSION note missing or not \"xen-3.0\"");
	return 0;
}

/* ---- Addresses ------------------------------------------------------- */

static int calc_offsets(struct elf_ctx *c)
{
	struct elf_pv_info *info = c->info;

	if (c->paddr_offset_set && !c->virt_base_set)
		return fail(c, -EINVAL, NULL, -1,
			    "PADDR_OFFSET note without VIRT_BASE note");
	if (info->virt_base & (PAGE_SIZE - 1))
		return fail(c, -EINVAL, NOTE, ELFNOTE_VIRT_BASE,
			    "VIRT_BASE is not page-aligned");
	/* Absent notes: virt_base and paddr_offset stay 0 (Xen with notes). */
	info->virt_offset = info->virt_base - info->paddr_offset;
	if (!c->entry_set)
		info->entry = c->eh.entry;
	return 0;
}

static bool in_image(const struct elf_pv_info *info, uint64_t va, uint64_t size)
{
	return va >= info->virt_kstart &&
	       in_bounds(va - info->virt_kstart, size,
			 info->virt_kend - info->virt_kstart);
}

static int check_layout(struct elf_ctx *c)
{
	struct elf_pv_info *info = c->info;
	uint64_t p2m = info->init_p2m;

	if (info->virt_base > info->virt_kstart)
		return fail(c, -EINVAL, NULL, -1,
			    "loaded image starts below VIRT_BASE");
	if (info->virt_kend - info->virt_base > ELF_PV_MAX_SPAN)
		return fail(c, -E2BIG, NULL, -1,
			    "image spans more than 1 GiB from VIRT_BASE");
	if (!range_canonical(info->virt_base, info->virt_kend) ||
	    range_in_hole(info->virt_base, info->virt_kend))
		return fail(c, -EINVAL, NOTE, ELFNOTE_VIRT_BASE,
			    "VIRT_BASE region is not canonical or overlaps the "
			    "hypervisor hole");
	if (!in_image(info, info->entry, 1))
		return fail(c, -EINVAL, NULL, -1,
			    "entry point outside the loaded image");
	if (info->has_hypercall_page &&
	    (info->hypercall_page & (PAGE_SIZE - 1)))
		return fail(c, -EINVAL, NOTE, ELFNOTE_HYPERCALL_PAGE,
			    "HYPERCALL_PAGE is not page-aligned");
	if (info->has_hypercall_page &&
	    !in_image(info, info->hypercall_page, PAGE_SIZE))
		return fail(c, -EINVAL, NOTE, ELFNOTE_HYPERCALL_PAGE,
			    "HYPERCALL_PAGE outside the loaded image");
	if (p2m && (p2m & (PAGE_SIZE - 1)))
		return fail(c, -EINVAL, NOTE, ELFNOTE_INIT_P2M,
			    "INIT_P2M is not page-aligned");
	if (p2m && (in_image(info, p2m, 1) || !range_canonical(p2m, p2m) ||
		    range_in_hole(p2m, p2m + 1)))
		return fail(c, -EINVAL, NOTE, ELFNOTE_INIT_P2M,
			    "INIT_P2M inside the image, not canonical or in "
			    "the hypervisor hole");
	return 0;
}

/* ---- Entry points ------------------------------------------------------ */

int elf_pv_parse(const void *img, uint64_t len, struct elf_pv_info *out)
{
	struct elf_ctx c = {.img = img, .len = len, .info = out};
	int rc;

	memset(out, 0, sizeof(*out));
	out->err_index = -1;
	rc = check_ehdr(&c);
	if (!rc)
		rc = read_notes(&c);
	if (!rc)
		rc = calc_offsets(&c);
	if (!rc)
		rc = check_segments(&c);
	if (!rc)
		rc = check_layout(&c);
	return rc;
}

static int load_segment(const struct elf_ctx *c, const struct elf64_phdr *ph,
			elf_pv_write_fn write, void *ctx)
{
	uint64_t start, end;
	int rc = 0;

	seg_virt(ph, c->info->virt_offset, &start, &end);
	if (ph->filesz)
		rc = write(ctx, start, c->img + ph->offset, ph->filesz);
	if (!rc && ph->memsz > ph->filesz)
		rc = write(ctx, start + ph->filesz, NULL,
			   ph->memsz - ph->filesz);
	return rc;
}

int elf_pv_load(const void *img, uint64_t len, const struct elf_pv_info *info,
		elf_pv_write_fn write, void *ctx)
{
	struct elf_pv_info now = {.virt_offset = info->virt_offset};
	struct elf_ctx c = {.img = img, .len = len, .info = &now};
	struct elf64_phdr ph;
	unsigned int i;
	int rc;

	/* Re-validate the segment table: the image is read again here. */
	if (check_ehdr(&c) || check_segments(&c) ||
	    now.virt_kstart != info->virt_kstart ||
	    now.virt_kend != info->virt_kend)
		return -EINVAL;
	for (i = 0; i < c.eh.phnum; i++) {
		get_phdr(&c, i, &ph);
		if (ph.type != PT_LOAD || ph.memsz == 0)
			continue;
		rc = load_segment(&c, &ph, write, ctx);
		if (rc)
			return rc;
	}
	return 0;
}

int elf_pv_check_features(const struct elf_pv_info *info, uint32_t hv_features,
			  bool is_dom0)
{
	if (info->features_required[0] & ~hv_features)
		return -EOPNOTSUPP;
	if (is_dom0 && info->has_supported_features &&
	    !(info->features_supported[0] & (1U << XENFEAT_dom0)))
		return -EINVAL;
	return 0;
}

char *elf_pv_describe_error(const struct elf_pv_info *info, char *buf,
			    size_t size)
{
	const char *err = info->err ? info->err : "no error";

	if (info->err_what && info->err_index >= 0)
		hv_snprintf(buf, size, "%s %d: %s", info->err_what,
			    info->err_index, err);
	else
		hv_snprintf(buf, size, "%s", err);
	return buf;
}
