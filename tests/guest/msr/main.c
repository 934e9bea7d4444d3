// SPDX-License-Identifier: MIT
/*
 * msr: rdmsr/wrmsr from the guest kernel (ring 3, so emulated by the
 * hypervisor) for the MSRs a PV Linux touches: FS/GS bases (Linux's first
 * instruction is a raw wrmsr of GS_BASE), PAT, EFER, APIC_BASE, and #GP
 * for unknown ones.
 */
#include "lib.h"

TEST_CATEGORY(functional);

#define MSR_EFER 0xc0000080U
#define MSR_FS_BASE 0xc0000100U
#define MSR_GS_BASE 0xc0000101U
#define MSR_SHADOW_GS_BASE 0xc0000102U
#define MSR_PAT 0x00000277U
#define MSR_APIC_BASE 0x0000001bU
#define EFER_LME (1UL << 8)
#define EFER_LMA (1UL << 10)

/* rdmsr; on #GP resumes with last_trap set and returns 0. */
static uint64_t rdmsr(uint32_t msr)
{
	uint32_t lo = 0, hi = 0;

	asm volatile("1: rdmsr\n2:\n\t" ASM_EXTABLE(1b, 2b)
		     : "+a"(lo), "+d"(hi) : "c"(msr));
	return ((uint64_t)hi << 32) | lo;
}

static void wrmsr(uint32_t msr, uint64_t val)
{
	asm volatile("1: wrmsr\n2:\n\t" ASM_EXTABLE(1b, 2b)
		     : : "c"(msr), "a"((uint32_t)val), "d"((uint32_t)(val >> 32))
		     : "memory");
}

static uint64_t word_a = 0xaaaaaaaaaaaaaaaaUL;
static uint64_t word_b = 0xbbbbbbbbbbbbbbbbUL;

static uint64_t read_gs0(void)
{
	uint64_t v;

	asm volatile("mov %%gs:0, %0" : "=r"(v));
	return v;
}

static uint64_t read_fs0(void)
{
	uint64_t v;

	asm volatile("mov %%fs:0, %0" : "=r"(v));
	return v;
}

static void test_gs_base(void)
{
	uint64_t a = (uint64_t)(uintptr_t)&word_a;

	wrmsr(MSR_GS_BASE, a);
	CHECK_EQ(last_trap.count, 0);
	CHECK_EQ(read_gs0(), word_a);
	CHECK_EQ(rdmsr(MSR_GS_BASE), a);
	CHECK_EQ(last_trap.count, 0);
}

static void test_fs_base(void)
{
	uint64_t b = (uint64_t)(uintptr_t)&word_b;

	wrmsr(MSR_FS_BASE, b);
	CHECK_EQ(last_trap.count, 0);
	CHECK_EQ(read_fs0(), word_b);
	CHECK_EQ(rdmsr(MSR_FS_BASE), b);
	/* set_segment_base and the MSR are two views of one base. */
	CHECK_RC(hv_set_segment_base(SEGBASE_FS, (uint64_t)(uintptr_t)&word_a),
		 0);
	CHECK_EQ(rdmsr(MSR_FS_BASE), (uint64_t)(uintptr_t)&word_a);
}

static void test_shadow_gs(void)
{
	uint64_t b = (uint64_t)(uintptr_t)&word_b;

	/* In kernel mode the shadow GS base is the user one. */
	wrmsr(MSR_SHADOW_GS_BASE, b);
	CHECK_EQ(last_trap.count, 0);
	CHECK_EQ(rdmsr(MSR_SHADOW_GS_BASE), b);
	CHECK_RC(hv_set_segment_base(SEGBASE_GS_USER, 0), 0);
	CHECK_EQ(rdmsr(MSR_SHADOW_GS_BASE), 0);
}

static void test_noncanonical_base(void)
{
	wrmsr(MSR_GS_BASE, BAD_PTR_NONCANON);
	CHECK_EQ(last_trap.count, 1);
	CHECK_EQ(last_trap.vector, 13);
	CHECK_EQ(last_trap.error_code, 0);
}

static void test_pat(void)
{
	/* Linux's cache modes depend on exactly this layout. */
	CHECK_EQ(rdmsr(MSR_PAT), 0x0000050100070406UL);
	CHECK_EQ(last_trap.count, 0);
}

static void test_efer(void)
{
	uint64_t efer = rdmsr(MSR_EFER);

	CHECK_EQ(last_trap.count, 0);
	CHECK((efer & (EFER_LME | EFER_LMA)) == (EFER_LME | EFER_LMA),
	      "EFER %#lx: not in long mode", efer);
}

static void test_unknown_msr(void)
{
	rdmsr(0x12345678);
	CHECK_EQ(last_trap.count, 1);
	CHECK_EQ(last_trap.vector, 13);
	CHECK_EQ(last_trap.error_code, 0);
	trap_clear();
	wrmsr(0x12345678, 1);
	CHECK_EQ(last_trap.count, 1);
	CHECK_EQ(last_trap.vector, 13);
}

static void test_apic_base(void)
{
	uint64_t v = rdmsr(MSR_APIC_BASE);

	/* The architectural default, enabled, never x2APIC mode for PV. */
	CHECK_EQ(last_trap.count, 0);
	CHECK_EQ(v & ~0xfffUL, 0xfee00000UL);
	CHECK(v & (1UL << 11), "APIC_BASE %#lx: not enabled", v);
	CHECK(!(v & (1UL << 10)), "APIC_BASE %#lx: x2APIC mode", v);
}

void test_main(void)
{
	if (traps_init()) {
		printk("set_trap_table failed\n");
		return;
	}
	run_case("gs_base", test_gs_base);
	run_case("fs_base", test_fs_base);
	run_case("shadow_gs_base", test_shadow_gs);
	run_case("noncanonical_base", test_noncanonical_base);
	run_case("pat", test_pat);
	run_case("efer", test_efer);
	run_case("unknown_msr", test_unknown_msr);
	run_case("apic_base", test_apic_base);
}
