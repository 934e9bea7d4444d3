// SPDX-License-Identifier: MIT
/*
 * cpuid: CPUID through the forced-emulation prefix (ud2; "xen"; cpuid),
 * before and after a trap table exists, the hypervisor leaves
 * ("XenVMMXenVMM" at 0x40000000 + 0x100 * k) and the PV policy bits a PV
 * kernel depends on.
 */
#include "lib.h"

TEST_CATEGORY(functional);

struct regs4 {
	uint32_t a, b, c, d;
};

static struct regs4 xen_cpuid(uint32_t leaf, uint32_t subleaf)
{
	struct regs4 r;

	asm volatile("ud2; .ascii \"xen\"; cpuid"
		     : "=a"(r.a), "=b"(r.b), "=c"(r.c), "=d"(r.d)
		     : "a"(leaf), "c"(subleaf));
	return r;
}

static bool is_xen_sig(const struct regs4 *r)
{
	return r->b == 0x566e6558 && r->c == 0x65584d4d && r->d == 0x4d4d566e;
}

/* Base of the hypervisor leaves, or 0. */
static uint32_t hv_base(void)
{
	uint32_t base;

	for (base = 0x40000000; base < 0x40010000; base += 0x100) {
		struct regs4 r = xen_cpuid(base, 0);

		if (is_xen_sig(&r) && r.a - base >= 2)
			return base;
	}
	return 0;
}

static void test_before_traps(void)
{
	struct regs4 r = xen_cpuid(0, 0);

	/* We got here: emulated with no trap table, RIP moved past it. */
	CHECK(r.a >= 1, "max basic leaf %u", r.a);
}

static void test_signature(void)
{
	uint32_t base = hv_base();
	struct regs4 r;

	if (!base) {
		fail("no XenVMMXenVMM leaf in 0x40000000..0x4000ff00");
		return;
	}
	r = xen_cpuid(base, 0);
	CHECK(r.a >= base + 2, "max hypervisor leaf %#x", r.a);
	CHECK_EQ(last_trap.count, 0);
}

static void test_version_leaf(void)
{
	uint32_t base = hv_base();
	struct regs4 r;

	if (!base) {
		fail("no hypervisor leaves");
		return;
	}
	r = xen_cpuid(base + 1, 0);
	CHECK_RC(r.a, hv_xen_version(XENVER_version, NULL));
	r = xen_cpuid(base + 2, 0);
	CHECK(r.a >= 1, "%u hypercall pages", r.a);
}

static void test_policy(void)
{
	struct regs4 r = xen_cpuid(1, 0);

	CHECK(r.c & (1U << 31), "leaf 1 ecx %#x: hypervisor bit clear", r.c);
	/* 4 KiB guest mappings only: PSE must not be offered to PV. */
	CHECK(!(r.d & (1U << 3)), "leaf 1 edx %#x: PSE visible", r.d);
	CHECK(!(r.c & (1U << 5)), "leaf 1 ecx %#x: VMX visible", r.c);
}

static void test_vendor(void)
{
	struct regs4 f = xen_cpuid(0, 0), n;

	asm volatile("cpuid" : "=a"(n.a), "=b"(n.b), "=c"(n.c), "=d"(n.d)
			     : "a"(0), "c"(0));
	CHECK(f.b == n.b && f.c == n.c && f.d == n.d,
	      "vendor differs from the CPU's");
}

static void test_not_cpuid(void)
{
	uint64_t rip;

	/* The prefix followed by something else is a plain #UD. */
	asm volatile("lea 1f(%%rip), %0\n"
		     "1: ud2; .ascii \"xen\"; nop\n"
		     "2:\n\t" ASM_EXTABLE(1b, 2b) : "=r"(rip));
	CHECK_EQ(last_trap.count, 1);
	CHECK_EQ(last_trap.vector, 6);
	CHECK_EQ(last_trap.rip, rip);
}

void test_main(void)
{
	long rc;

	run_case("before_trap_table", test_before_traps);
	rc = traps_init();
	if (rc) {
		printk("set_trap_table failed: %ld\n", rc);
		return;
	}
	run_case("signature", test_signature);
	run_case("version_leaf", test_version_leaf);
	run_case("policy", test_policy);
	run_case("vendor", test_vendor);
	run_case("prefix_not_cpuid", test_not_cpuid);
}
