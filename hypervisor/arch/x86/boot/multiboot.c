// SPDX-License-Identifier: GPL-2.0
/*
 * Reads multiboot v1 (QEMU -kernel) and v2 (GRUB) information into
 * struct boot_info: the memory map, the modules and the command lines.
 * Runs on the boot page tables, which map the first 4 GiB.
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

struct boot_info boot_info;

static void copy_str(char *dst, paddr_t src)
{
	if (src)
		strlcpy(dst, __va(src), BOOT_CMDLINE_LEN);
}

static void add_mmap(struct boot_info *bi, uint64_t base, uint64_t len,
		     uint32_t type)
{
	if (bi->nr_mmap < BOOT_MAX_MMAP)
		bi->mmap[bi->nr_mmap++] = (struct boot_mmap_entry){ base, len,
								    type };
}

static void add_module(struct boot_info *bi, paddr_t start, paddr_t end,
		       paddr_t str)
{
	struct boot_module *m;

	if (bi->nr_mods >= BOOT_MAX_MODS)
		return;
	m = &bi->mods[bi->nr_mods++];
	m->start = start;
	m->end = end;
	copy_str(m->cmdline, str);
}

static int parse_mb1(paddr_t info, struct boot_info *bi)
{
	const struct mb1_info *mi = __va(info);

	bi->loader = "multiboot1";
	if (mi->flags & MB1_INFO_CMDLINE)
		copy_str(bi->cmdline, mi->cmdline);
	if (mi->flags & MB1_INFO_MODS) {
		const struct mb1_module *mod = __va(mi->mods_addr);

		for (uint32_t i = 0; i < mi->mods_count; i++)
			add_module(bi, mod[i].start, mod[i].end,
				   mod[i].string);
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
			strlcpy(bi->cmdline, (const char *)w, BOOT_CMDLINE_LEN);
			break;
		case MB2_TAG_MODULE:
			add_module(bi, w[0], w[1], __pa(&w[2]));
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
