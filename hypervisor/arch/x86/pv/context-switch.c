// SPDX-License-Identifier: GPL-2.0
/*
 * Switching a physical CPU from one PV vCPU to another: the guest frame,
 * FPU/SSE state (eager fxsave/fxrstor), data selectors and FS/GS bases,
 * debug registers, page-table base, GDT and LDT windows, virtual CR0.TS.
 * Everything else a vCPU owns lives in struct vcpu and needs no copy.
 * Called by the scheduler with interrupts off; the hypervisor mappings
 * are in every guest L4, so the CR3 switch is safe at any point here.
 */
#include <hv/arch.h>
#include <hv/domain.h>
#include <hv/mm.h>
#include <hv/string.h>
#include <asm/cpu_info.h>
#include <asm/desc.h>
#include <asm/page.h>
#include <asm/processor.h>
#include <asm/pv-mm.h>

#define AR_PRESENT (1U << 15)

/*
 * @sel if the current GDT/LDT holds a present descriptor for it, else NUL:
 * the guest may have made the descriptor not present since it loaded the
 * selector, and #NP is not one of the faults the exception table fixes up.
 */
static uint32_t usable_sel(uint16_t sel)
{
	uint32_t ar = 0;
	bool ok;

	if (!(sel & ~3U))
		return 0;
	asm volatile("lar %k2, %0" : "=r"(ar), "=@ccz"(ok) : "r"(sel));
	return ok && (ar & AR_PRESENT) ? sel : 0;
}

#define LOAD_SEL(seg, sel)                                                     \
	do {                                                                   \
		uint32_t s_ = usable_sel(sel);                                 \
		/* A selector the new GDT cannot take loads as NUL. */         \
		asm volatile("1: mov %k0, %%" #seg "\n\t"                      \
			     "jmp 3f\n"                                        \
			     "2: xor %k0, %k0\n\t"                             \
			     "jmp 1b\n"                                        \
			     "3:\n\t"                                          \
			     ".pushsection .ex_table, \"a\"\n\t"               \
			     ".quad 1b, 2b\n\t"                                \
			     ".popsection"                                     \
			     : "+r"(s_));                                      \
	} while (0)

static void save_segments(struct vcpu *v)
{
	struct arch_vcpu *a = &v->arch;
	uint64_t active = rdmsr(MSR_GS_BASE),
		 shadow = rdmsr(MSR_SHADOW_GS_BASE);

	asm volatile("mov %%ds, %0" : "=r"(a->sel_ds));
	asm volatile("mov %%es, %0" : "=r"(a->sel_es));
	asm volatile("mov %%fs, %0" : "=r"(a->sel_fs));
	asm volatile("mov %%gs, %0" : "=r"(a->sel_gs));
	a->fs_base = rdmsr(MSR_FS_BASE);
	a->gs_base_kernel = a->kernel_mode ? active : shadow;
	a->gs_base_user = a->kernel_mode ? shadow : active;
}

static void load_segments(const struct vcpu *v)
{
	const struct arch_vcpu *a = &v->arch;

	LOAD_SEL(ds, a->sel_ds);
	LOAD_SEL(es, a->sel_es);
	LOAD_SEL(fs, a->sel_fs);
	LOAD_SEL(gs, a->sel_gs);
	wrmsr(MSR_FS_BASE, a->fs_base);
	wrmsr(MSR_GS_BASE,
	      a->kernel_mode ? a->gs_base_kernel : a->gs_base_user);
	wrmsr(MSR_SHADOW_GS_BASE,
	      a->kernel_mode ? a->gs_base_user : a->gs_base_kernel);
}

static void load_debugregs(const struct vcpu *v)
{
	const uint64_t *dr = v->arch.debugreg;

	asm volatile("mov %0, %%db7" ::"r"(0x400ULL)); /* off while changing */
	asm volatile("mov %0, %%db0" ::"r"(dr[0]));
	asm volatile("mov %0, %%db1" ::"r"(dr[1]));
	asm volatile("mov %0, %%db2" ::"r"(dr[2]));
	asm volatile("mov %0, %%db3" ::"r"(dr[3]));
	asm volatile("mov %0, %%db6" ::"r"(dr[6]));
	asm volatile("mov %0, %%db7" ::"r"(dr[7]));
}

void arch_vcpu_init_fpu(struct vcpu *v)
{
	uint8_t *f = v->arch.fpu_ctxt;

	memset(f, 0, sizeof(v->arch.fpu_ctxt));
	*(uint16_t *)f = 0x37f;		/* FCW as after fninit */
	*(uint32_t *)(f + 24) = 0x1f80; /* MXCSR default */
}

void arch_idle_park(void)
{
	write_cr3(__pa(idle_pg_table));
}

void arch_idle_resume(struct vcpu *v)
{
	pv_load_cr3(v);
}

void arch_context_switch(struct vcpu *prev, struct vcpu *next)
{
	struct cpu_regs *regs = guest_cpu_regs();

	if (prev) {
		prev->arch.user_regs = *regs;
		save_segments(prev);
		clts();
		asm volatile("fxsave %0" : "=m"(prev->arch.fpu_ctxt));
	}
	clts();
	asm volatile("fxrstor %0" ::"m"(next->arch.fpu_ctxt));
	if (next->arch.fpu_ts)
		stts();
	write_cr3(mfn_x(next->arch.kernel_mode ? next->arch.guest_table
					       : next->arch.guest_table_user)
		  << PAGE_SHIFT);
	gdt_map_guest_frames(next->arch.gdt_frames, next->arch.nr_gdt_frames);
	ldt_load_guest_frames(next->arch.ldt_frames, next->arch.nr_ldt_frames,
			      next->arch.ldt_ents);
	load_segments(next);
	load_debugregs(next);
	*regs = next->arch.user_regs;
	get_cpu_info()->curr_vcpu = next;
}
