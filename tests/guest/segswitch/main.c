// SPDX-License-Identifier: MIT
/*
 * segswitch (security): data selectors across a context switch. vCPU 0
 * loads %fs and %es from a GDT of its own, makes the %fs descriptor not
 * present with update_descriptor, and yields to a spinning vCPU 1 on the
 * same physical CPU. When vCPU 0 is switched back in, reloading %fs must
 * not fault in the hypervisor (it was a #NP there before the fix): the
 * selector comes back as NUL, while %es, still valid, keeps its value.
 * vCPU 1's initial FPU state has every MXCSR bit set, which the
 * hypervisor must mask (on hardware its fxrstor would #GP; QEMU TCG does
 * not fault on reserved MXCSR bits, so here this only runs the path).
 *
 * OURS ONLY: Xen enters the guest's failsafe callback for an unusable
 * selector instead (hypervisor/docs/events-time-sched.md), and gives
 * dom0 at most one vCPU per CPU; the runner skips this boot on Xen.
 */
#include <hvabi/vcpu.h>
#include "mm.h"

TEST_CATEGORY(security);

#define GDT_ENTRIES 512
#define SEL(i) (((i) << 3) | 3)
#define DESC_DATA_DPL3 0x00cff3000000ffffULL
#define DESC_NOT_PRESENT (DESC_DATA_DPL3 & ~(1ULL << 47))

static uint8_t ap_stack[8192] __attribute__((aligned(16)));
static struct vcpu_guest_context ctxt;
static volatile uint64_t ap_spins;

void spin_main(void);
void spin_main(void)
{
	for (;;)
		ap_spins++;
}

static uint16_t read_fs(void)
{
	uint16_t v;

	asm volatile("mov %%fs, %0" : "=r"(v));
	return v;
}

static uint16_t read_es(void)
{
	uint16_t v;

	asm volatile("mov %%es, %0" : "=r"(v));
	return v;
}

static void start_spinner(void)
{
	memset(&ctxt, 0, sizeof(ctxt));
	/* Every MXCSR bit set: the hypervisor's fxrstor must not #GP. */
	ctxt.flags = VGCF_in_kernel | VGCF_i387_valid;
	*(uint16_t *)ctxt.fpu_ctxt = 0x37f;
	*(uint32_t *)(ctxt.fpu_ctxt + 24) = 0xffffffff;
	ctxt.user_regs.rip = (uint64_t)(uintptr_t)spin_main;
	ctxt.user_regs.rsp =
	    (uint64_t)(uintptr_t)(ap_stack + sizeof(ap_stack)) - 8;
	ctxt.user_regs.cs = FLAT_KERNEL_CS;
	ctxt.user_regs.ss = FLAT_KERNEL_SS;
	ctxt.kernel_ss = FLAT_KERNEL_SS;
	ctxt.kernel_sp = ctxt.user_regs.rsp;
	ctxt.ctrlreg[3] = mfn_of((void *)(uintptr_t)start_info->pt_base) << 12;
	if (hv_vcpu_op(VCPUOP_initialise, 1, &ctxt) ||
	    hv_vcpu_op(VCPUOP_up, 1, NULL))
		error("vCPU 1 did not start");
}

static void test_stale_selector(void)
{
	uint64_t *g = page_alloc(), frame;
	uint64_t spins;

	if (!g) {
		error("page pool exhausted");
		return;
	}
	g[1] = DESC_DATA_DPL3;
	g[2] = DESC_DATA_DPL3;
	frame = mfn_of(g);
	start_spinner();
	CHECK_RC(make_ro(g), 0);
	CHECK_RC(hv_set_gdt(&frame, GDT_ENTRIES), 0);
	asm volatile("mov %0, %%fs\n\tmov %1, %%es"
		     :
		     : "r"((uint16_t)SEL(1)), "r"((uint16_t)SEL(2)));
	CHECK_EQ(read_fs(), SEL(1));
	CHECK_RC(hv_update_descriptor((frame << 12) + 8, DESC_NOT_PRESENT), 0);
	spins = ap_spins;
	for (unsigned int i = 0; i < 3 && ap_spins == spins; i++)
		CHECK_RC(hv_sched_op(SCHEDOP_yield, NULL), 0);
	CHECK(ap_spins != spins, "vCPU 1 never ran: no context switch");
	CHECK_EQ(read_fs(), 0);	     /* unusable: NUL */
	CHECK_EQ(read_es(), SEL(2)); /* still usable: kept */
	asm volatile("mov %0, %%es" : : "r"((uint16_t)0));
	CHECK_RC(hv_set_gdt(NULL, 0), 0);
	CHECK_RC(make_rw(g), 0);
	page_free(g);
}

void test_main(void)
{
	run_case("stale_selector", test_stale_selector);
}
