// SPDX-License-Identifier: MIT
/*
 * mm-pt: guest page tables (linux-pv-requirements.md 2.2, 3.2): a new
 * four-level set built from our own pages, made read-only, pinned, loaded
 * with NEW_BASEPTR and dropped again; unpinning the loaded table; a user
 * L4 of its own (NEW_USER_BASEPTR) for a user task; mmu_update batches
 * and PRESERVE_AD; a 1 GiB set; Xen's PTE adjustments and NX; releasing
 * the bootstrap L4 as Linux does.
 * TLB flushes and page operations are in mm-flush.
 */
#include "mm.h"

TEST_CATEGORY(functional);

/* L4 slot 1: never mapped by the builder */
#define TEST_VA 0x0000008000000000ULL
#define PATTERN 0x5a5a0123456789a5ULL

/* Pages whose mappings the cases move around (restored afterwards). */
static uint8_t window[3][4096]
	__attribute__((aligned(4096), section(".bss.page_aligned")));

static void check_pf_at(uint64_t va, uint64_t want_ec, const char *what)
{
	uint64_t v;

	if (!probe_read(va, &v)) {
		fail("%s: read of %#lx did not fault (got %#lx)", what, va, v);
		return;
	}
	CHECK(last_trap.vector == 14 && last_trap.error_code == want_ec,
	      "%s: vector %lu ec %#lx, want #PF ec %#lx", what,
	      last_trap.vector, last_trap.error_code, want_ec);
	if (shared_info)
		CHECK_EQ(shared_info->vcpu_info[0].arch.cr2, va);
}

/* Builds a set mapping data at TEST_VA, protected; 0 or a reported error. */
static int set_up(struct pt_set *s, uint64_t **data)
{
	long rc;

	*data = page_alloc();
	if (!*data || pt_set_build(s, TEST_VA, pte_of_mfn(mfn_of(*data), PT_RW),
				   true)) {
		error("page pool exhausted");
		return -1;
	}
	(*data)[0] = PATTERN;
	rc = pt_set_protect(s);
	if (rc) {
		fail("update_va_mapping(table page, read-only) = %ld, want 0",
		     rc);
		return -1;
	}
	return 0;
}

/* Everything released: each table page can be made writable again. */
static void tear_down(struct pt_set *s, uint64_t *data)
{
	uint64_t *t[] = { s->l4, s->l3, s->l2, s->l1 };
	unsigned int i;
	long rc;

	for (i = 0; i < ARRAY_SIZE(t); i++) {
		if (!t[i])
			continue;
		rc = make_rw(t[i]);
		CHECK(!rc, "L%u page still typed: update_va_mapping(rw) = %ld",
		      4 - i, rc);
	}
	pt_set_free(s);
	page_free(data);
}

static void test_pin_load_switch(void)
{
	struct pt_set s;
	uint64_t *data, v = 0;
	long rc;

	if (set_up(&s, &data))
		goto out;
	CHECK_RC(pin_table(1, mfn_of(s.l1)), 0);
	CHECK_RC(pin_table(2, mfn_of(s.l2)), 0);
	CHECK_RC(pin_table(3, mfn_of(s.l3)), 0);
	CHECK_RC(pin_table(4, mfn_of(s.l4)), 0);
	rc = new_baseptr(mfn_of(s.l4));
	if (rc) {
		fail("NEW_BASEPTR(new L4 %#lx) = %ld, want 0", mfn_of(s.l4),
		     rc);
		goto unpin;
	}
	CHECK(!probe_read(TEST_VA, &v), "read of TEST_VA faulted");
	CHECK_EQ(v, PATTERN);
	CHECK(!probe_write(TEST_VA + 8, ~PATTERN), "write faulted");
	/* The hypervisor slots were filled in: M2P yes, the hole no. */
	CHECK_EQ(data[1], ~PATTERN);
	CHECK(!probe_read(MACH2PHYS_VIRT_START, NULL),
	      "M2P unreadable under the new L4");
	CHECK(probe_read(BAD_PTR_HOLE, NULL), "hypervisor hole readable");
	CHECK_RC(new_baseptr(boot_l4_mfn()), 0);
	check_pf_at(TEST_VA, 0, "after switching back");
unpin:
	CHECK_RC(pt_set_unpin(&s), 0);
out:
	tear_down(&s, data);
}

/* Linux unpins its bootstrap L4 while it is still loaded. */
static void test_unpin_loaded(void)
{
	struct pt_set s;
	uint64_t *data, v = 0;
	long rc;

	if (set_up(&s, &data))
		goto out;
	rc = pt_set_pin(&s);
	if (rc) {
		fail("pinning the set: %ld", rc);
		goto out;
	}
	CHECK_RC(new_baseptr(mfn_of(s.l4)), 0);
	CHECK_RC(pt_set_unpin(&s), 0);
	CHECK(!probe_read(TEST_VA, &v) && v == PATTERN,
	      "TEST_VA after unpin: %#lx (fault %lu)", v, last_trap.count);
	/* Still referenced by CR3: not writable yet. */
	CHECK_RC(make_rw(s.l1), -HV_EBUSY);
	CHECK_RC(make_rw(s.l4), -HV_EBUSY);
	CHECK_RC(new_baseptr(boot_l4_mfn()), 0);
out:
	tear_down(&s, data);
}

/* NEW_BASEPTR validates an unpinned L4 and everything under it. */
static void test_baseptr_unpinned(void)
{
	struct pt_set s;
	uint64_t *data, v = 0;

	if (set_up(&s, &data))
		goto out;
	CHECK_RC(new_baseptr(mfn_of(s.l4)), 0);
	CHECK(!probe_read(TEST_VA, &v) && v == PATTERN, "TEST_VA: %#lx", v);
	CHECK_RC(make_rw(s.l2), -HV_EBUSY);
	CHECK_RC(new_baseptr(boot_l4_mfn()), 0);
	/* Unpinned, unloaded: every level lost its type (tear_down checks). */
out:
	tear_down(&s, data);
}

/* ---- user L4 ---- */
void user_blob(void);
void user_blob_pf(void);
void user_blob_wr(void);
void user_blob_end(void);
asm(".text\n"
    "user_blob:\n\t"
    "mov (%rdi), %rax\n\t"
    "add $1, %rax\n\t"
    "mov %rax, 8(%rdi)\n\t"
    "syscall\n\t"
    "ud2\n"
    "user_blob_pf:\n\t"
    "mov (%rdi), %rax\n\t"
    "ud2\n"
    "user_blob_wr:\n\t"
    "movq $1, (%rdi)\n\t"
    "ud2\n"
    "user_blob_end:\n");

static void test_user_split(void)
{
	uint64_t code_va = TEST_VA, data_va = TEST_VA + 0x1000;
	size_t len = VA(user_blob_end) - VA(user_blob);
	struct pt_set s;
	uint8_t *code;
	uint64_t *data, ret;
	long rc;

	code = page_alloc();
	data = page_alloc();
	if (!code || !data ||
	    pt_set_build(&s, code_va, pte_of_mfn(mfn_of(code), PT_RO), false)) {
		error("page pool exhausted");
		return;
	}
	memcpy(code, (const void *)user_blob, len);
	s.l1[L1_SLOT(data_va)] = pte_of_mfn(mfn_of(data), PT_RW);
	data[0] = 41;
	rc = pt_set_protect(&s);
	if (!rc)
		rc = user_mode_init();
	if (!rc)
		rc = new_user_baseptr(mfn_of(s.l4));
	if (rc) {
		fail("protect/user_mode_init/NEW_USER_BASEPTR: %ld, want 0",
		     rc);
		goto out;
	}
	ret = user_run(code_va, data_va + 0x1000, data_va);
	CHECK(ret == 42,
	      "user task returned %#lx (vector %lu ec %#lx), want 42", ret,
	      last_trap.vector, last_trap.error_code);
	CHECK_EQ(data[1], 42);
	/* Kernel memory is absent from the user L4: #PF, user, not present. */
	ret = user_run(code_va + VA(user_blob_pf) - VA(user_blob),
		       data_va + 0x1000, VA(&window[0]));
	CHECK(ret == USER_FAULTED, "user read of kernel memory returned %#lx",
	      ret);
	if (ret == USER_FAULTED) {
		CHECK_EQ(last_trap.vector, 14);
		CHECK_EQ(last_trap.error_code, 4);
		CHECK_EQ(last_trap.cs & 3, 3);
		if (shared_info)
			CHECK_EQ(shared_info->vcpu_info[0].arch.cr2,
				 VA(&window[0]));
	}
	/* A write to its read-only code page: present, write, user. */
	ret = user_run(code_va + VA(user_blob_wr) - VA(user_blob),
		       data_va + 0x1000, code_va);
	CHECK(ret == USER_FAULTED && last_trap.vector == 14 &&
	      last_trap.error_code == 7,
	      "user write to its code page: ret %#lx vector %lu ec %#lx", ret,
	      last_trap.vector, last_trap.error_code);
	/* The kernel page table never had TEST_VA. */
	check_pf_at(code_va, 0, "kernel read of the user-only VA");
	CHECK_RC(new_user_baseptr(boot_l4_mfn()), 0);
out:
	tear_down(&s, NULL);
	page_free(code);
	page_free(data);
}

/* ---- mmu_update on the live L1 of the image ---- */
static uint64_t window_pte(unsigned int i)
{
	return pt_maddr(pt_entry(VA(window[i]), 1));
}

static void restore_windows(void)
{
	unsigned int i;

	for (i = 0; i < ARRAY_SIZE(window); i++)
		CHECK_RC(map_own(window[i], PT_RW), 0);
}

static void test_mmu_update_batch(void)
{
	struct mmu_update req[3];
	uint64_t *pg[3];
	unsigned int i, done = 99;

	for (i = 0; i < 3; i++) {
		pg[i] = page_alloc();
		if (!pg[i]) {
			error("page pool exhausted");
			return;
		}
		pg[i][0] = PATTERN + i;
		req[i].ptr = window_pte(i) | MMU_NORMAL_PT_UPDATE;
		req[i].val = pte_of_mfn(mfn_of(pg[i]), PT_RW);
	}
	CHECK_RC(hv_mmu_update(req, 3, &done, DOMID_SELF), 0);
	CHECK_EQ(done, 3);
	CHECK_RC(tlb_flush_local(), 0);
	for (i = 0; i < 3; i++)
		CHECK_EQ(*(volatile uint64_t *)window[i], PATTERN + i);
	/* A batch stops at the first failure; done counts the successes. */
	req[1].val = pte_of_mfn(mfn_of((void *)(uintptr_t)start_info->pt_base),
				PT_RW);
	done = 99;
	CHECK_RC(hv_mmu_update(req, 3, &done, DOMID_SELF), -HV_EBUSY);
	CHECK_EQ(done, 1);
	restore_windows();
	for (i = 0; i < 3; i++)
		page_free(pg[i]);
}

static void test_preserve_ad(void)
{
	volatile uint64_t *e = pt_entry(VA(window[0]), 1);
	uint64_t ptr = pt_maddr(e), mfn = mfn_of(window[0]);
	uint64_t bare = pte_of_mfn(mfn, _PAGE_PRESENT | _PAGE_RW | _PAGE_USER);

	CHECK_RC(tlb_flush_local(), 0);
	window[0][0] = 1;	/* the CPU sets A and D */
	CHECK((*e & (_PAGE_ACCESSED | _PAGE_DIRTY)) ==
	      (_PAGE_ACCESSED | _PAGE_DIRTY), "entry %#lx lacks A/D", *e);
	CHECK_RC(mmu_update1(ptr | MMU_PT_UPDATE_PRESERVE_AD, bare), 0);
	CHECK((*e & (_PAGE_ACCESSED | _PAGE_DIRTY)) ==
	      (_PAGE_ACCESSED | _PAGE_DIRTY), "PRESERVE_AD lost A/D: %#lx", *e);
	CHECK_RC(mmu_update1(ptr | MMU_NORMAL_PT_UPDATE, bare), 0);
	CHECK(!(*e & (_PAGE_ACCESSED | _PAGE_DIRTY)),
	      "normal update kept A/D: %#lx", *e);
	CHECK_EQ(*e & PTE_CMP_MASK, bare & PTE_CMP_MASK);
	restore_windows();
}

/* mmu_update of a frame that is no page table is a plain store. */
static void test_mmu_update_plain_page(void)
{
	uint64_t *pg = page_alloc();

	if (!pg) {
		error("page pool exhausted");
		return;
	}
	CHECK_RC(mmu_update1((mfn_of(pg) << 12) + 0x18, PATTERN), 0);
	CHECK_EQ(((volatile uint64_t *)pg)[3], PATTERN);
	page_free(pg);
}

/*
 * A set mapping 1 GiB (512 L1 tables, every entry the same data frame):
 * pinning the L4 validates it all (preemptibly on Xen), the set loads,
 * and unpinning releases every level.
 */
static uint64_t big_l1[512][512]
	__attribute__((aligned(4096), section(".bss.page_aligned")));
static uint64_t big_top[3][512]		/* L2, L3, L4 */
	__attribute__((aligned(4096), section(".bss.page_aligned")));

static long big_protect(uint64_t flags)
{
	unsigned int i;
	long rc = 0;

	for (i = 0; i < 512 && !rc; i++)
		rc = map_own(big_l1[i], flags);
	for (i = 0; i < 3 && !rc; i++)
		rc = map_own(big_top[i], flags);
	return rc;
}

static void test_pin_1g(void)
{
	const uint64_t *boot_l4 = (uint64_t *)(uintptr_t)start_info->pt_base;
	uint64_t *data = page_alloc(), pte, l4 = mfn_of(big_top[2]), v = 0;
	unsigned int i, j;
	long rc;

	if (!data) {
		error("page pool exhausted");
		return;
	}
	data[0] = PATTERN;
	pte = pte_of_mfn(mfn_of(data), PT_RO);
	for (i = 0; i < 512; i++) {
		for (j = 0; j < 512; j++)
			big_l1[i][j] = pte;
		big_top[0][i] = pte_of_mfn(mfn_of(big_l1[i]), PT_TABLE);
	}
	big_top[1][0] = pte_of_mfn(mfn_of(big_top[0]), PT_TABLE);
	for (i = GUEST_KERNEL_SLOT0; i < 512; i++)
		big_top[2][i] = boot_l4[i];
	big_top[2][L4_SLOT(TEST_VA)] = pte_of_mfn(mfn_of(big_top[1]), PT_TABLE);
	rc = big_protect(PT_RO);
	if (rc) {
		error("making the 1 GiB set read-only: %ld", rc);
		goto out;
	}
	rc = pin_table(4, l4);
	CHECK(rc == 0, "PIN_L4_TABLE of a 1 GiB set = %ld", rc);
	if (rc)
		goto out;
	CHECK_RC(new_baseptr(l4), 0);
	for (i = 0; i < 512; i += 73) {
		uint64_t va = TEST_VA + ((uint64_t)i << 21) +
			      ((i * 7) & 511) * 4096;

		CHECK(!probe_read(va, &v) && v == PATTERN, "read of %#lx: %#lx",
		      va, v);
	}
	CHECK_RC(new_baseptr(boot_l4_mfn()), 0);
	CHECK_RC(unpin_table(l4), 0);
out:
	rc = big_protect(PT_RW);
	CHECK(rc == 0, "1 GiB set pages still typed: update_va_mapping = %ld",
	      rc);
	page_free(data);
}

/*
 * Xen's adjustment of 64-bit PV L1 entries: a kernel entry (no _PAGE_USER)
 * gets _PAGE_USER and the guest-kernel marker (bit 52); a user entry gets
 * _PAGE_GLOBAL. The entry reads back so through the table.
 */
#define PTE_GUEST_KERNEL (1ULL << 52)

static void test_pte_adjust(void)
{
	volatile uint64_t *e = pt_entry(VA(window[1]), 1);
	uint64_t mfn = mfn_of(window[1]);
	uint64_t kern = pte_of_mfn(mfn, _PAGE_PRESENT | _PAGE_RW |
				   _PAGE_ACCESSED | _PAGE_DIRTY);

	CHECK_RC(hv_update_va_mapping(VA(window[1]), kern, UVMF_INVLPG), 0);
	CHECK_EQ(*e, kern | _PAGE_USER | PTE_GUEST_KERNEL);
	CHECK_RC(hv_update_va_mapping(VA(window[1]), kern | _PAGE_USER,
				      UVMF_INVLPG), 0);
	CHECK_EQ(*e, kern | _PAGE_USER | _PAGE_GLOBAL);
	CHECK_RC(hv_update_va_mapping(VA(window[1]), kern | _PAGE_NX,
				      UVMF_INVLPG), 0);
	CHECK_EQ(*e, kern | _PAGE_NX | _PAGE_USER | PTE_GUEST_KERNEL);
	restore_windows();
}

/*
 * NX: the same code page runs through one mapping, faults through another.
 * One call site only (noinline): the fixup is keyed on the faulting RIP.
 */
static uint8_t exec_page[4096]
	__attribute__((aligned(4096), section(".bss.page_aligned")));

static __attribute__((noinline)) bool call_exec_page(uint32_t *eax)
{
	uint64_t rax = 0;

	trap_clear();
	asm volatile("call *%[fn]\n\t"
		     "jmp 3f\n"
		     "2: add $8, %%rsp\n"
		     "3:\n\t"
		     ".pushsection .ex_table, \"a\"\n\t"
		     ".balign 8\n\t"
		     ".quad %c[pg], 2b\n\t"
		     ".popsection"
		     : "+a"(rax)
		     : [fn] "r"(exec_page), [pg] "i"(exec_page)
		     : "rcx", "rdx", "rsi", "rdi", "r8", "r9", "r10", "r11",
		       "memory", "cc");
	*eax = (uint32_t)rax;
	return last_trap.count != 0;
}

static void test_nx(void)
{
	static const uint8_t code[] = { 0xb8, 0x42, 0, 0, 0, 0xc3 };
	uint32_t eax = 0;

	memcpy(exec_page, code, sizeof(code));
	CHECK(!call_exec_page(&eax) && eax == 0x42,
	      "call through an executable mapping: eax %#x, %lu faults", eax,
	      last_trap.count);
	CHECK_RC(map_own(exec_page, PT_RW | _PAGE_NX), 0);
	CHECK(call_exec_page(&eax), "NX page executed (eax %#x)", eax);
	CHECK(last_trap.vector == 14 && last_trap.error_code == 0x11,
	      "vector %lu ec %#lx, want #PF ec 0x11 (present, fetch)",
	      last_trap.vector, last_trap.error_code);
	CHECK_RC(map_own(exec_page, PT_RW), 0);
	CHECK(!call_exec_page(&eax) && eax == 0x42, "call after NX cleared");
}

/*
 * Linux's early switch away from the builder's tables: unpin the
 * bootstrap L4 while it is loaded, load a copy, and the old L4 frame
 * loses its type (it can be mapped writable). Then the reverse, so the
 * kernel ends on the builder's tables again.
 */
static void test_bootstrap_l4_release(void)
{
	uint64_t *boot = (uint64_t *)(uintptr_t)start_info->pt_base;
	uint64_t *copy = page_alloc(), boot_mfn = boot_l4_mfn();
	unsigned int i;

	if (!copy) {
		error("page pool exhausted");
		return;
	}
	for (i = GUEST_KERNEL_SLOT0; i < 512; i++)
		copy[i] = boot[i];
	CHECK_RC(make_ro(copy), 0);
	CHECK_RC(new_user_baseptr(0), 0);
	CHECK_RC(unpin_table(boot_mfn), 0);
	CHECK_RC(make_rw(boot), -HV_EBUSY);	/* still CR3 */
	CHECK_RC(new_baseptr(mfn_of(copy)), 0);
	CHECK_RC(make_rw(boot), 0);
	CHECK(!probe_write(VA(&boot[0]), boot[0]), "old L4 not writable");
	/* And back: protect, load and pin the builder's L4 again. */
	CHECK_RC(make_ro(boot), 0);
	CHECK_RC(new_baseptr(boot_mfn), 0);
	CHECK_RC(pin_table(4, boot_mfn), 0);
	CHECK_RC(make_rw(copy), 0);
	page_free(copy);
}

void test_main(void)
{
	if (traps_init()) {
		printk("set_trap_table failed\n");
		return;
	}
	run_case("pin_load_switch", test_pin_load_switch);
	run_case("unpin_loaded", test_unpin_loaded);
	run_case("baseptr_unpinned", test_baseptr_unpinned);
	run_case("user_split", test_user_split);
	run_case("mmu_update_batch", test_mmu_update_batch);
	run_case("preserve_ad", test_preserve_ad);
	run_case("mmu_update_plain_page", test_mmu_update_plain_page);
	run_case("pte_adjust", test_pte_adjust);
	run_case("nx", test_nx);
	run_case("bootstrap_l4_release", test_bootstrap_l4_release);
	run_case("pin_1g", test_pin_1g);
	printk("pool: %u pages free\n", pool_free_pages());
}
