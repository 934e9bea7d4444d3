// SPDX-License-Identifier: MIT
/*
 * boot: the PV boot contract as the domain builder must set it up
 * (linux-pv-requirements.md 1.2-1.6): entry registers, start_info, the
 * p2m and the guest-readable M2P agreeing, read-only page tables, the
 * mapped initial region, and a hypervisor hole the guest cannot touch.
 */
#include "lib.h"

TEST_CATEGORY(security);

#define M2P ((const uint64_t *)MACH2PHYS_VIRT_START)
#define PFN(va) (((uint64_t)(uintptr_t)(va) - VIRT_BASE) >> 12)

static void test_entry_registers(void)
{
	const struct boot_entry *b = &boot_entry;
	const uint64_t zero[] = {
		b->rax, b->rbx, b->rcx, b->rdx, b->rdi, b->rbp, b->r8, b->r9,
		b->r10, b->r11, b->r12, b->r13, b->r14, b->r15,
	};
	unsigned int i;

	CHECK_EQ(b->rsi, (uint64_t)(uintptr_t)start_info);
	for (i = 0; i < ARRAY_SIZE(zero); i++)
		CHECK(!zero[i], "general register %u is %#lx, want 0", i,
		      zero[i]);
	CHECK_EQ(b->cs & 0xffff, FLAT_KERNEL_CS);
	CHECK_EQ(b->ss & 0xffff, FLAT_KERNEL_SS);
	CHECK_EQ(b->ds & 0xffff, FLAT_KERNEL_DS);
	CHECK_EQ(b->es & 0xffff, FLAT_KERNEL_DS);
	CHECK_EQ(b->fs & 0xffff, 0);
	CHECK_EQ(b->gs & 0xffff, 0);
	/* Hardware IF is always on for a PV guest; nothing else is set. */
	CHECK_EQ(b->rflags, 0x202);
}

static void test_entry_stack(void)
{
	uint64_t sp = boot_entry.rsp;

	CHECK(!(sp & 0xfff), "entry rsp %#lx not at a page end", sp);
	/* The boot stack page follows the page tables in the region. */
	CHECK(sp > start_info->pt_base, "entry rsp %#lx below pt_base %#lx",
	      sp, start_info->pt_base);
	CHECK(PFN(sp - 1) < start_info->nr_pages, "entry rsp outside memory");
}

static void test_start_info(void)
{
	const struct start_info *si = start_info;

	CHECK(!strncmp(si->magic, START_INFO_MAGIC, strlen(START_INFO_MAGIC)),
	      "magic \"%.32s\"", si->magic);
	CHECK(si->nr_pages >= 256, "nr_pages %lu", si->nr_pages);
	CHECK(!(si->shared_info & 0xfff), "shared_info %#lx", si->shared_info);
	CHECK((si->flags & (SIF_PRIVILEGED | SIF_INITDOMAIN)) ==
	      (SIF_PRIVILEGED | SIF_INITDOMAIN), "flags %#x", si->flags);
	CHECK(!(si->pt_base & 0xfff), "pt_base %#lx", si->pt_base);
	CHECK(si->pt_base > (uint64_t)(uintptr_t)si, "pt_base before start_info");
	CHECK(si->nr_pt_frames >= 4, "nr_pt_frames %lu", si->nr_pt_frames);
	CHECK(si->mfn_list >= VIRT_BASE && PFN(si->mfn_list) < si->nr_pages,
	      "mfn_list %#lx", si->mfn_list);
	CHECK(!strcmp(si->cmd_line, "boot-test arg=1"),
	      "cmd_line \"%s\"", si->cmd_line);
	/* start_info lies in the region, after the kernel image. */
	CHECK(PFN(si) < si->nr_pages, "start_info outside memory");
}

static void test_p2m_m2p(void)
{
	const uint64_t *p2m = (const uint64_t *)(uintptr_t)start_info->mfn_list;
	uint64_t region = PFN(start_info->pt_base) + start_info->nr_pt_frames;
	uint64_t pfn, bad = 0;

	/* Every page of the initial region has an mfn whose M2P entry is it. */
	for (pfn = 0; pfn < region; pfn++) {
		uint64_t mfn = p2m[pfn];

		if (mfn >= MACH2PHYS_NR_ENTRIES || M2P[mfn] != pfn) {
			if (!bad++)
				fail("pfn %#lx: mfn %#lx, m2p %#lx", pfn, mfn,
				     mfn < MACH2PHYS_NR_ENTRIES ? M2P[mfn] : 0);
		}
	}
	CHECK(!bad, "%lu mismatches", bad);
	/* shared_info is not guest RAM: its frame is not one of ours. */
	CHECK(start_info->shared_info >> 12 != p2m[0], "shared_info = pfn 0");
}

static void test_pt_read_only(void)
{
	volatile uint64_t *l4 = (uint64_t *)(uintptr_t)start_info->pt_base;
	uint64_t before = l4[511];

	trap_clear();
	/* Rewrite the same value: still a write to a read-only mapping. */
	asm volatile("1: mov %1, (%0)\n2:\n\t" ASM_EXTABLE(1b, 2b)
		     : : "r"(&l4[511]), "r"(before) : "memory");
	CHECK_EQ(last_trap.count, 1);
	CHECK_EQ(last_trap.vector, 14);
	CHECK_EQ(last_trap.error_code, 3);	/* present, write */
	CHECK_EQ(l4[511], before);
	CHECK(before & 1, "L4[511] (the kernel mapping) not present");
}

static void test_m2p_read_only(void)
{
	volatile uint64_t *m2p = (uint64_t *)MACH2PHYS_VIRT_START;
	uint64_t mfn = virt_to_mfn((void *)VIRT_BASE), v = m2p[mfn];

	trap_clear();
	asm volatile("1: mov %1, (%0)\n2:\n\t" ASM_EXTABLE(1b, 2b)
		     : : "r"(&m2p[mfn]), "r"(v) : "memory");
	CHECK_EQ(last_trap.count, 1);
	CHECK_EQ(last_trap.vector, 14);
	CHECK_EQ(last_trap.error_code & 3, 3);
	CHECK_EQ(m2p[mfn], 0);		/* pfn of VIRT_BASE */
}

static void probe_read(uint64_t va)
{
	trap_clear();
	asm volatile("1: mov (%0), %%rax\n2:\n\t" ASM_EXTABLE(1b, 2b)
		     : : "r"(va) : "rax", "memory");
	CHECK(last_trap.count == 1 && last_trap.vector == 14,
	      "read of %#lx: %lu exceptions, vector %lu", va, last_trap.count,
	      last_trap.vector);
	if (shared_info && last_trap.count == 1)
		CHECK_EQ(shared_info->vcpu_info[0].arch.cr2, va);
}

static void test_hole_unreadable(void)
{
	/* Past the M2P, the hypervisor's own memory. */
	probe_read(0xffff804000000000UL);
	probe_read(0xffff820000000000UL);
	probe_read(BAD_PTR_HOLE);
	probe_read(HYPERVISOR_VIRT_END - 8);
}

static void test_events_masked(void)
{
	if (!shared_info) {
		skip("shared_info not mapped (update_va_mapping: %ld)",
		     shared_info_map_rc);
		return;
	}
	CHECK_EQ(shared_info->vcpu_info[0].evtchn_upcall_mask, 1);
	CHECK_EQ(shared_info->vcpu_info[0].evtchn_upcall_pending, 0);
}

void test_main(void)
{
	run_case("entry_registers", test_entry_registers);
	run_case("entry_stack", test_entry_stack);
	run_case("start_info", test_start_info);
	run_case("events_masked", test_events_masked);
	run_case("p2m_m2p", test_p2m_m2p);
	if (traps_init()) {
		printk("set_trap_table failed\n");
		return;
	}
	run_case("page_tables_read_only", test_pt_read_only);
	run_case("m2p_read_only", test_m2p_read_only);
	run_case("hole_unreadable", test_hole_unreadable);
}
