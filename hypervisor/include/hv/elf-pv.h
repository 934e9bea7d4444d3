/* SPDX-License-Identifier: GPL-2.0 */
/*
 * ELF64 PV kernel parser and loader (common/lib/elf-pv.c): validates an
 * x86_64 ET_EXEC image against a length, reads its "Xen" ELF notes and
 * copies its PT_LOAD segments out through a callback. It knows nothing
 * about guest memory or page tables; the domain builder does the layout.
 */
#ifndef HV_ELF_PV_H
#define HV_ELF_PV_H

#include <hv/types.h>

#define ELF_PV_STR_LEN 16	     /* string notes are truncated to 15 */
#define ELF_PV_MAX_NOTES 4096	     /* notes of any owner, all segments */
#define ELF_PV_MAX_SPAN (1ULL << 30) /* virt_kend - virt_kstart limit */

/*
 * What the domain builder needs to know about a PV kernel. Every address
 * is a guest virtual address. A segment with physical address p is loaded
 * at p + virt_offset.
 */
struct elf_pv_info {
	uint64_t entry;			/* ENTRY note, else e_entry */
	uint64_t virt_base;		/* VIRT_BASE note, else 0 */
	uint64_t paddr_offset;		/* PADDR_OFFSET note, else 0 */
	uint64_t virt_offset;		/* virt_base - paddr_offset */
	uint64_t virt_kstart;		/* lowest loaded address */
	uint64_t virt_kend;		/* highest loaded address + 1 */
	uint64_t hypercall_page;	/* page to fill, 0 = none */
	uint64_t init_p2m;		/* INIT_P2M note, 0 = none */
	uint64_t hv_start_low;		/* HV_START_LOW note, 0 = none */
	uint32_t features_supported[1]; /* XENFEAT_* bits, submap 0 */
	uint32_t features_required[1];	/* '!' names in FEATURES */
	bool has_hypercall_page;
	bool has_supported_features; /* SUPPORTED_FEATURES note seen */
	bool mod_start_pfn;	     /* MOD_START_PFN note is nonzero */
	bool suspend_cancel;	     /* SUSPEND_CANCEL note is nonzero */
	unsigned int nr_load;	     /* PT_LOAD segments with p_memsz != 0 */
	unsigned int nr_xen_notes;   /* notes with owner "Xen" */
	char guest_os[ELF_PV_STR_LEN];
	char guest_version[ELF_PV_STR_LEN];
	char loader[ELF_PV_STR_LEN];
	char xen_version[ELF_PV_STR_LEN];

	/* Why parsing failed: a static message and what it refers to. */
	const char *err;      /* NULL on success */
	const char *err_what; /* "program header", "note", ... or NULL */
	int err_index;	      /* index of that item, -1 if none */
};

/*
 * elf_pv_parse - validate a PV kernel image and read its Xen notes.
 * @img, @len: the whole image; nothing outside [img, img + len) is read.
 * @out: filled on success; on failure out->err says why (all other fields
 *       are then unspecified).
 *
 * Rules (Xen 4.17 libelf behaviour, see docs in the .c file): ELF64 LSB
 * x86_64 ET_EXEC; headers, segments, sections and notes inside @len; at
 * least one non-empty PT_LOAD, sorted by p_paddr and not overlapping, with
 * p_filesz <= p_memsz, canonical and outside the hypervisor hole
 * [HYPERVISOR_VIRT_START, HYPERVISOR_VIRT_END), spanning at most 1 GiB;
 * Xen notes well-formed; LOADER "generic" or GUEST_OS "linux*";
 * XEN_VERSION "xen-3.0*"; entry, hypercall page inside the loaded range.
 *
 * Return: 0, or
 *   -ENOEXEC  not an ELF image, or not 64-bit LSB x86_64 ET_EXEC, or no Xen
 *             notes at all (not a PV kernel);
 *   -EINVAL   malformed: anything out of bounds, overlapping, badly sized
 *             or inconsistent, a bad note, an unknown required feature;
 *   -E2BIG    the loaded range is larger than ELF_PV_MAX_SPAN, or more than
 *             ELF_PV_MAX_NOTES notes.
 */
int __must_check elf_pv_parse(const void *img, uint64_t len,
			      struct elf_pv_info *out);

/* Callback for elf_pv_load: copy @n bytes from @src to guest @vaddr, or
 * zero them when @src is NULL. Returns 0 or a negative errno. */
typedef int (*elf_pv_write_fn)(void *ctx, uint64_t vaddr, const void *src,
			       uint64_t n);

/*
 * elf_pv_load - copy every PT_LOAD segment to p_paddr + info->virt_offset:
 * p_filesz bytes from the image, then p_memsz - p_filesz zero bytes.
 * @pre elf_pv_parse(img, len, info) returned 0. The segment table is
 * checked again, so a changed image gives an error, not a bad read.
 * Calls @write only inside [info->virt_kstart, info->virt_kend).
 *
 * Return: 0, -EINVAL if the image no longer matches @info, or the first
 * error @write returned (loading stops there).
 */
int __must_check elf_pv_load(const void *img, uint64_t len,
			     const struct elf_pv_info *info,
			     elf_pv_write_fn write, void *ctx);

/*
 * elf_pv_check_features - can this hypervisor run the kernel?
 * @hv_features: XENFEAT_* bits (submap 0) the hypervisor offers.
 * @is_dom0: building the hardware domain.
 *
 * Return: 0; -EOPNOTSUPP if a required feature is not offered; -EINVAL if
 * @is_dom0 and the kernel has a SUPPORTED_FEATURES note without the dom0
 * bit (Xen: "Kernel does not support Dom0 operation").
 */
int __must_check elf_pv_check_features(const struct elf_pv_info *info,
				       uint32_t hv_features, bool is_dom0);

/*
 * elf_pv_describe_error - format info->err as one line, e.g.
 * "program header 2: PT_LOAD segment extends past end of image".
 * Always NUL-terminates @buf when @size > 0. Returns @buf.
 */
char *elf_pv_describe_error(const struct elf_pv_info *info, char *buf,
			    size_t size);

#endif
