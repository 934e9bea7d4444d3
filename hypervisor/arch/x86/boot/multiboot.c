// SPDX-License-Identifier: GPL-2.0
/*
 * Reads multiboot v1 (QEMU -kernel) and v2 (GRUB) information into
 * struct boot_info: the memory map, the modules and the command lines.
 * Runs on the boot page tables, which map the first 4 GiB.
 *
 * Command lines: struct boot_info holds "<image> <args>" (hv/boot.h), as
 * QEMU's multiboot loader passes them. GRUB 2 passes only the arguments
 * (multiboot v1 and v2 alike), so for it a placeholder image name goes
 * first; otherwise the kernel and dom0 would lose their first argument.
 */
#include <hv/boot.h>
#include <hv/errno.h>
#include <hv/string.h>
#include <asm/page.h>

#define MB1_BOOT_MAGIC 0x2badb002
#define MB2_BOOT_MAGIC 0x36d76289

struct mb1_info {
	uint32_t flags;
	uint32_t mem_lower, mem_upper;
	uint32_t boot_device;
	uint32_t cmdline;
	uint32_t mods_count, mods_addr;
	uint32_t syms[4];
	uint32_t mmap_length, mmap_addr;
	uint32_t drives_length, drives_addr;
	uint32_t config_table;
	uint32_t boot_loader_name;
} __packed;

struct mb1_module {
	uint32_t start, end, string, reserved;
} __packed;

struct mb1_mmap {
	uint32_t size;
	uint64_t base, len;
	uint32_t type;
} __packed;

#define MB1_INFO_CMDLINE (1U << 2)
#define MB1_INFO_MODS (1U << 3)
#define MB1_INFO_MMAP (1U << 6)
#define MB1_INFO_LOADER_NAME (1U << 9)

/* Stands for the image name a loader left out; dropped like a real one. */
#define NO_IMAGE_NAME "(unnamed) "

struct boot_info boot_info;

static bool loader_is_grub2(const char *name)
{
	return !strncmp(name, "GRUB 2", 6);
}

/* Copies a loader command line into "<image> <args>" form. */
static void copy_cmdline(char *dst, const char *src, bool has_name)
{
	size_t n = 0;

	if (!has_name)
		n = strlcpy(dst, NO_IMAGE_NAME, BOOT_CMDLINE_LEN);
	strlcpy(dst + n, src ? src : "", BOOT_CMDLINE_LEN - n);
}

static void copy_str(char *dst, paddr_t src, bool has_name)
{
	copy_cmdline(dst, src ? __va(src) : NULL, has_name);
}

static void add_mmap(struct boot_info *bi, uint64_t base, uint64_t len,
		     uint32_t type)
{
	if (bi->nr_mmap < BOOT_MAX_MMAP)
		bi->mmap[bi->nr_mmap++] = (struct boot_mmap_entry){ base, len,
								    type };
}

static void add_module(struct boot_info *bi, paddr_t start, paddr_t end,
		       paddr_t str, bool has_name)
{
	struct boot_module *m;

	if (bi->nr_mods >= BOOT_MAX_MODS)
		return;
	m = &bi->mods[bi->nr_mods++];
	m->start = start;
	m->end = end;
	copy_str(m->cmdline, str, has_name);
}

static int parse_mb1(paddr_t info, struct boot_info *bi)
{
	const struct mb1_info *mi = __va(info);
	bool named = !(mi->flags & MB1_INFO_LOADER_NAME) ||
		     !mi->boot_loader_name ||
		     !loader_is_grub2(__va(mi->boot_loader_name));

	bi->loader = "multiboot1";
	if (mi->flags & MB1_INFO_CMDLINE)
		copy_str(bi->cmdline, mi->cmdline, named);
	if (mi->flags & MB1_INFO_MODS) {
		const struct mb1_module *mod = __va(mi->mods_addr);

		for (uint32_t i = 0; i < mi->mods_count; i++)
			add_module(bi, mod[i].start, mod[i].end, mod[i].string,
				   named);
	}
	if (!(mi->flags & MB1_INFO_MMAP))
		return -EINVAL;
	for (uint32_t off = 0; off + sizeof(struct mb1_mmap) <= mi->mmap_length;) {
		const struct mb1_mmap *e = __va(mi->mmap_addr + off);

		add_mmap(bi, e->base, e->len, e->type);
		off += e->size + 4;
	}
	return 0;
}

#define MB2_TAG_END 0
#define MB2_TAG_CMDLINE 1
#define MB2_TAG_MODULE 3
#define MB2_TAG_MMAP 6

struct mb2_tag {
	uint32_t type, size;
};

static int parse_mb2(paddr_t info, struct boot_info *bi)
{
	uint32_t total = *(const uint32_t *)__va(info);
	bool have_mmap = false;

	bi->loader = "multiboot2";
	for (uint32_t off = 8; off + sizeof(struct mb2_tag) <= total;) {
		const struct mb2_tag *t = __va(info + off);
		const uint32_t *w = (const uint32_t *)(t + 1);

		if (t->type == MB2_TAG_END || t->size < 8)
			break;
		switch (t->type) {
		case MB2_TAG_CMDLINE:
			/* Multiboot2 is GRUB 2's protocol: no image names. */
			copy_cmdline(bi->cmdline, (const char *)w, false);
			break;
		case MB2_TAG_MODULE:
			add_module(bi, w[0], w[1], __pa(&w[2]), false);
			break;
		case MB2_TAG_MMAP: {
			uint32_t esz = w[0];
			const uint8_t *e = (const uint8_t *)(w + 2);
			const uint8_t *end = (const uint8_t *)t + t->size;

			for (; esz >= 24 && e + esz <= end; e += esz)
				add_mmap(bi, *(const uint64_t *)e,
					 *(const uint64_t *)(e + 8),
					 *(const uint32_t *)(e + 16));
			have_mmap = true;
			break;
		}
		}
		off += ALIGN_UP(t->size, 8);
	}
	return have_mmap ? 0 : -EINVAL;
}

int multiboot_parse(uint32_t magic, paddr_t info, struct boot_info *bi)
{
	if (magic == MB1_BOOT_MAGIC)
		return parse_mb1(info, bi);
	if (magic == MB2_BOOT_MAGIC)
		return parse_mb2(info, bi);
	return -EINVAL;
}
