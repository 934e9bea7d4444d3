// SPDX-License-Identifier: MIT
/*
 * kenv: a test kernel's hooks for the freestanding driver environment.
 * Shareable pages and driver bookkeeping come first-fit from one fixed
 * region of the kernel image; the rest is the kernel library's.
 */
#include "kenv.h"
#include "lib.h"
#include "mm.h"

static uint8_t region[KENV_PAGES][4096] __attribute__((aligned(4096)));
static bool region_used[KENV_PAGES];

static long k_hypercall3(unsigned int nr, uint64_t a1, uint64_t a2,
			 uint64_t a3)
{
	return hypercall3(nr, a1, a2, a3);
}

static void *k_pages_alloc(unsigned int n)
{
	for (unsigned int i = 0; i + n <= KENV_PAGES; i++) {
		unsigned int j = 0;

		while (j < n && !region_used[i + j])
			j++;
		if (j < n) {
			i += j;
			continue;
		}
		for (j = 0; j < n; j++)
			region_used[i + j] = true;
		memset(region[i], 0, n * 4096UL);
		return region[i];
	}
	return NULL;
}

static void k_pages_free(void *va, unsigned int n)
{
	unsigned int i = (unsigned int)(((uint8_t *)va - region[0]) / 4096);

	while (n--)
		region_used[i + n] = false;
}

static uint64_t k_virt_to_mfn(const void *va)
{
	return virt_to_mfn(va);
}

static void k_flush_va(uintptr_t va)
{
	mmuext1(MMUEXT_INVLPG_LOCAL, va, 0);
}

static struct xenv_free_hooks hooks = {
	.hypercall3 = k_hypercall3,
	.pages_alloc = k_pages_alloc,
	.pages_free = k_pages_free,
	.virt_to_mfn = k_virt_to_mfn,
	.flush_va = k_flush_va,
	.now_ns = pvclock_read,
};

struct xenv *kenv_open(void)
{
	/* Events are polled (SCHEDOP_poll), never delivered as upcalls. */
	if (!shared_info || events_init())
		return NULL;
	events_disable();
	hooks.evtchn_pending = shared_info->evtchn_pending;
	return xenv_free_open(&hooks, 0);
}
