/* SPDX-License-Identifier: GPL-2.0 */
/*
 * What the boot loader told us, copied out of its structures before the
 * frame allocator may reuse their memory.
 */
#ifndef HV_BOOT_H
#define HV_BOOT_H

#include <hv/types.h>

#define BOOT_MAX_MMAP 64
#define BOOT_MAX_MODS 8
#define BOOT_CMDLINE_LEN 1024

#define E820_RAM 1

struct boot_mmap_entry {
	uint64_t base, len;
	uint32_t type;		/* E820_* */
};

struct boot_module {
	paddr_t start, end;
	char cmdline[BOOT_CMDLINE_LEN];	/* "name args..." as given */
};

struct boot_info {
	const char *loader;	/* "multiboot1" or "multiboot2" */
	char cmdline[BOOT_CMDLINE_LEN];
	unsigned int nr_mmap, nr_mods;
	struct boot_mmap_entry mmap[BOOT_MAX_MMAP];
	struct boot_module mods[BOOT_MAX_MODS];
};

extern struct boot_info boot_info;

/* Parses the loader's info at physical @info; 0 or -EINVAL if unknown. */
int __must_check multiboot_parse(uint32_t magic, paddr_t info,
				 struct boot_info *bi);

#endif
