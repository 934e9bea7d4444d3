// SPDX-License-Identifier: MIT
/*
 * C entry of the test kernels: keeps the start_info pointer, maps
 * shared_info, prints the SUITE banner, runs test_main() and ends with the
 * DONE line and SCHEDOP_shutdown(poweroff).
 */
#include <hvabi/sched.h>
#include "lib.h"
#include "private.h"

#define PTE_P 0x1ULL
#define PTE_RW 0x2ULL
#define PTE_A 0x20ULL
#define PTE_D 0x40ULL
#define UVMF_INVLPG_LOCAL 2

struct start_info *start_info;
struct shared_info *shared_info;
long shared_info_map_rc;

/* A page of the image whose mapping is replaced by shared_info. */
static uint8_t shared_info_page[4096]
	__attribute__((aligned(4096), section(".bss.page_aligned")));

void __noreturn lib_start(struct start_info *si);

uint64_t virt_to_mfn(const void *va)
{
	uint64_t pfn = ((uint64_t)(uintptr_t)va - VIRT_BASE) >> 12;
	const uint64_t *p2m = (const uint64_t *)(uintptr_t)start_info->mfn_list;

	return p2m[pfn];
}

long shutdown(unsigned int reason)
{
	struct sched_shutdown s = { .reason = reason };

	return hv_sched_op(SCHEDOP_shutdown, &s);
}

/* Start of word `key` on the command line, or NULL. */
static const char *cmdline_find(const char *key)
{
	const char *p = start_info->cmd_line;
	size_t n = strlen(key);

	while (*p) {
		while (*p == ' ')
			p++;
		if (!strncmp(p, key, n) &&
		    (p[n] == ' ' || p[n] == '\0' || p[n] == '='))
			return p;
		while (*p && *p != ' ')
			p++;
	}
	return NULL;
}

bool cmdline_has(const char *word)
{
	return cmdline_find(word) != NULL;
}

const char *cmdline_value(const char *key, char *buf, size_t size)
{
	const char *p = cmdline_find(key);
	size_t i = 0;

	if (!p || p[strlen(key)] != '=' || !size)
		return NULL;
	p += strlen(key) + 1;
	while (p[i] && p[i] != ' ' && i + 1 < size) {
		buf[i] = p[i];
		i++;
	}
	buf[i] = '\0';
	return buf;
}

static void map_shared_info(void)
{
	uint64_t va = (uint64_t)(uintptr_t)shared_info_page;
	uint64_t pte = (start_info->shared_info & ~0xfffULL) |
		       PTE_P | PTE_RW | PTE_A | PTE_D;

	shared_info_map_rc = hv_update_va_mapping(va, pte, UVMF_INVLPG_LOCAL);
	if (!shared_info_map_rc)
		shared_info = (struct shared_info *)shared_info_page;
}

void lib_start(struct start_info *si)
{
	start_info = si;
	si->cmd_line[MAX_GUEST_CMDLINE - 1] = '\0';
	map_shared_info();
	printk("SUITE %s category=%s cmdline=\"%s\"\n", test_suite,
	       test_category, si->cmd_line);
	test_main();
	report_summary();
	shutdown(SHUTDOWN_poweroff);
	lib_panic("SCHEDOP_shutdown returned");
}
