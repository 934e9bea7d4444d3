// SPDX-License-Identifier: MIT
/*
 * bench-mm: PV memory-model costs (issue 3's benchmarks), in TSC cycles
 * per operation; run under `-icount shift=0,sleep=off` by
 * runner/pvtest-bench, so the TSC counts instructions. Prints
 * `BENCHRESULT <name> <cycles>` for:
 *   mmu_update_512     one mmu_update of 512 PTE writes into a pinned L1
 *   ptwr_512           the same 512 PTE writes as direct stores (assist)
 *   pin_unpin_1g       PIN_L4_TABLE + UNPIN_TABLE of a table set mapping
 *                      1 GiB (512 L1 tables, every entry one data frame)
 *   pf_bounce          read of an unmapped address -> #PF bounced to the
 *                      guest handler -> iret hypercall back
 *   fork_64m           fork-like: copy the tables of a pinned 64 MiB
 *                      address space, protect them (one multicall), pin,
 *                      switch to and back, unpin, make writable again
 */
#include "mm.h"

TEST_CATEGORY(bench);

#define NR_L1 512
#define BATCH 512

/* The 1 GiB set: its own pages (the library pool is too small). */
static uint64_t big_l1[NR_L1][512]
	__attribute__((aligned(4096), section(".bss.page_aligned")));
static uint64_t big_top[3][512]		/* L2, L3, L4 */
	__attribute__((aligned(4096), section(".bss.page_aligned")));
static uint64_t data_page[512] __attribute__((aligned(4096)));
static struct mmu_update reqs[BATCH];

static inline uint64_t rdtsc(void)
{
	uint32_t lo, hi;

	asm volatile("lfence; rdtsc" : "=a"(lo), "=d"(hi) :: "memory");
	return ((uint64_t)hi << 32) | lo;
}

static void result(const char *name, uint64_t cycles, unsigned int rounds)
{
	printk("BENCHRESULT %s %lu\n", name, (cycles + rounds / 2) / rounds);
}

/* A pinned, unhooked L1 from the pool whose entries the batches rewrite. */
static uint64_t *batch_l1;
static uint64_t *frame_a, *frame_b;

static int batch_setup(void)
{
	batch_l1 = page_alloc();
	frame_a = page_alloc();
	frame_b = page_alloc();
	if (!batch_l1 || !frame_a || !frame_b || make_ro(batch_l1) ||
	    pin_table(1, mfn_of(batch_l1))) {
		printk("bench-mm: could not set up a pinned L1\n");
		return -1;
	}
	return 0;
}

static void fill_reqs(const uint64_t *frame)
{
	uint64_t base = mfn_of(batch_l1) << 12;
	unsigned int i;

	for (i = 0; i < BATCH; i++) {
		reqs[i].ptr = base + 8 * i;
		reqs[i].val = pte_of_mfn(mfn_of(frame), PT_RO);
	}
}

static void bench_mmu_update(void)
{
	const unsigned int rounds = 20;
	uint64_t t, total = 0;
	unsigned int r, done;
	long rc;

	for (r = 0; r <= rounds; r++) {
		fill_reqs(r & 1 ? frame_b : frame_a);
		t = rdtsc();
		rc = hv_mmu_update(reqs, BATCH, &done, DOMID_SELF);
		t = rdtsc() - t;
		if (rc || done != BATCH) {
			printk("bench-mm: mmu_update = %ld, done %u\n", rc,
			       done);
			return;
		}
		if (r)		/* round 0 warms up */
			total += t;
	}
	result("mmu_update_512", total, rounds);
}

static void bench_ptwr(void)
{
	const unsigned int rounds = 20;
	volatile uint64_t *e = batch_l1;
	uint64_t t, total = 0, va, vb;
	unsigned int r, i;

	va = pte_of_mfn(mfn_of(frame_a), PT_RO);
	vb = pte_of_mfn(mfn_of(frame_b), PT_RO);
	for (r = 0; r <= rounds; r++) {
		uint64_t v = r & 1 ? vb : va;

		t = rdtsc();
		for (i = 0; i < BATCH; i++)
			e[i] = v;
		t = rdtsc() - t;
		if ((e[BATCH - 1] & PTE_ADDR_MASK) != (v & PTE_ADDR_MASK)) {
			printk("bench-mm: direct store not applied\n");
			return;
		}
		if (r)
			total += t;
	}
	result("ptwr_512", total, rounds);
}

/* ---- fork-like: 32 L1s (64 MiB) + L2, L3, L4 per address space ---- */
#define FORK_L1 32
#define FORK_PAGES (FORK_L1 + 3)
static struct multicall_entry fork_mc[FORK_PAGES];

/* Pages [base, base + FORK_PAGES) of big_l1: L1s, then L2, L3, L4. */
static void fork_tables(unsigned int base)
{
	const uint64_t *boot_l4 = (uint64_t *)(uintptr_t)start_info->pt_base;
	uint64_t *l2 = big_l1[base + FORK_L1], *l3 = l2 + 512, *l4 = l3 + 512;
	unsigned int i;

	for (i = 0; i < FORK_L1; i++)
		l2[i] = pte_of_mfn(mfn_of(big_l1[base + i]), PT_TABLE);
	l3[0] = pte_of_mfn(mfn_of(l2), PT_TABLE);
	for (i = GUEST_KERNEL_SLOT0; i < 512; i++)
		l4[i] = boot_l4[i];
	l4[1] = pte_of_mfn(mfn_of(l3), PT_TABLE);
}

/* One multicall of update_va_mapping over the set's pages. */
static long fork_protect(unsigned int base, uint64_t flags)
{
	unsigned int i;
	long rc;

	for (i = 0; i < FORK_PAGES; i++) {
		void *pg = big_l1[base + i];

		fork_mc[i].op = HC_NR_update_va_mapping;
		fork_mc[i].args[0] = VA(pg);
		fork_mc[i].args[1] = pte_of_mfn(mfn_of(pg), flags);
		fork_mc[i].args[2] = i + 1 == FORK_PAGES ? UVMF_TLB_FLUSH : 0;
	}
	rc = hv_multicall(fork_mc, FORK_PAGES);
	for (i = 0; !rc && i < FORK_PAGES; i++)
		rc = (long)fork_mc[i].result;
	return rc;
}

static long fork_once(unsigned int parent, unsigned int child)
{
	uint64_t l4 = mfn_of(big_l1[child + FORK_L1 + 2]);
	long rc;

	memcpy(big_l1[child], big_l1[parent], FORK_L1 * 4096);
	memset(big_l1[child + FORK_L1], 0, 3 * 4096);
	fork_tables(child);
	rc = fork_protect(child, PT_RO);
	if (!rc)
		rc = pin_table(4, l4);
	if (!rc)
		rc = new_baseptr(l4);
	if (!rc)
		rc = new_baseptr(boot_l4_mfn());
	if (!rc)
		rc = unpin_table(l4);
	if (!rc)
		rc = fork_protect(child, PT_RW);
	return rc;
}

static void bench_fork(void)
{
	const unsigned int rounds = 3, parent = 0, child = FORK_PAGES;
	uint64_t data = pte_of_mfn(mfn_of(data_page), PT_RO), t, total = 0;
	uint64_t l4 = mfn_of(big_l1[parent + FORK_L1 + 2]);
	unsigned int r, i, j;
	long rc = 0;

	for (i = 0; i < FORK_L1; i++)
		for (j = 0; j < 512; j++)
			big_l1[parent + i][j] = data;
	fork_tables(parent);
	if (fork_protect(parent, PT_RO) || pin_table(4, l4)) {
		printk("bench-mm: could not pin the parent address space\n");
		return;
	}
	for (r = 0; r <= rounds && !rc; r++) {
		t = rdtsc();
		rc = fork_once(parent, child);
		t = rdtsc() - t;
		if (r)
			total += t;
	}
	if (rc)
		printk("bench-mm: fork step failed: %ld\n", rc);
	else
		result("fork_64m", total, rounds);
	unpin_table(l4);
	fork_protect(parent, PT_RW);
	memset(big_l1, 0, 2 * FORK_PAGES * 4096);
}

static int big_setup(void)
{
	uint64_t data = pte_of_mfn(mfn_of(data_page), PT_RO);
	unsigned int i, j;

	for (i = 0; i < NR_L1; i++) {
		for (j = 0; j < 512; j++)
			big_l1[i][j] = data;
		big_top[0][i] = pte_of_mfn(mfn_of(big_l1[i]), PT_TABLE);
	}
	big_top[1][0] = pte_of_mfn(mfn_of(big_top[0]), PT_TABLE);
	big_top[2][1] = pte_of_mfn(mfn_of(big_top[1]), PT_TABLE);
	for (i = 0; i < NR_L1; i++)
		if (make_ro(big_l1[i]))
			return -1;
	for (i = 0; i < 3; i++)
		if (make_ro(big_top[i]))
			return -1;
	return 0;
}

static void bench_pin_unpin(void)
{
	const unsigned int rounds = 3;
	uint64_t l4 = mfn_of(big_top[2]), t, total = 0;
	unsigned int r;

	if (big_setup()) {
		printk("bench-mm: could not make the 1 GiB set read-only\n");
		return;
	}
	for (r = 0; r <= rounds; r++) {
		long rc1, rc2;

		t = rdtsc();
		rc1 = pin_table(4, l4);
		rc2 = unpin_table(l4);
		t = rdtsc() - t;
		if (rc1 || rc2) {
			printk("bench-mm: pin = %ld, unpin = %ld\n", rc1, rc2);
			return;
		}
		if (r)
			total += t;
	}
	result("pin_unpin_1g", total, rounds);
}

static void bench_pf_bounce(void)
{
	const unsigned int rounds = 2000;
	uint64_t t, total;
	unsigned int r;

	probe_read(BAD_PTR_UNMAPPED, NULL);
	t = rdtsc();
	for (r = 0; r < rounds; r++)
		asm volatile("1: mov (%0), %%rax\n2:\n\t" ASM_EXTABLE(1b, 2b)
			     : : "r"(BAD_PTR_UNMAPPED) : "rax", "memory");
	total = rdtsc() - t;
	if (last_trap.vector != 14) {
		printk("bench-mm: no #PF (vector %lu)\n", last_trap.vector);
		return;
	}
	result("pf_bounce", total, rounds);
}

void test_main(void)
{
	if (traps_init()) {
		printk("set_trap_table failed\n");
		return;
	}
	hv_vm_assist(VMASST_CMD_enable, VMASST_TYPE_writable_pagetables);
	if (!batch_setup()) {
		bench_mmu_update();
		bench_ptwr();
	}
	bench_fork();
	bench_pin_unpin();
	bench_pf_bounce();
}
