// SPDX-License-Identifier: GPL-2.0
/*
 * Descriptor tables of each physical CPU. The GDT is 16 pages: the first
 * 14 belong to the guest (set_gdt, with the memory issue), the last two
 * hold the hypervisor's entries from FIRST_RESERVED_GDT_ENTRY on, so the
 * ABI's flat selectors (0xe023, 0xe02b, 0xe033) work in every guest.
 * The IDT gates are interrupt gates (IF off on entry); int3/into are DPL 3
 * so that guest code can raise them, and so is 0x80 (int80_direct_trap); #DF, NMI and #MC use IST stacks.
 * The syscall MSRs point at a per-CPU stub that finds this CPU's stack.
 */
#include <hv/bug.h>
#include <hv/string.h>
#include <hvabi/xen.h>
#include <asm/cpu_info.h>
#include <asm/desc.h>
#include <asm/processor.h>

#define GDT_PAGES 16
#define IDT_ENTRIES 256
#define IST_STACK_SIZE 4096

struct gate {
	uint16_t off0, sel;
	uint8_t ist, type;
	uint16_t off1;
	uint32_t off2, rsvd;
} __packed;

struct percpu_desc {
	uint64_t gdt[GDT_PAGES * 512] __aligned(4096);
	struct tss64 tss __aligned(128);
	uint8_t ist_stacks[3][IST_STACK_SIZE] __aligned(16);
	uint8_t syscall_stub[64] __aligned(64);
	uint8_t syscall32_stub[64] __aligned(64);
};

static struct percpu_desc percpu_desc[CONFIG_NR_CPUS] __section(".bss.page_aligned");
static struct gate idt[IDT_ENTRIES] __aligned(4096);

extern char exception_stubs[], irq_stubs[];
extern char syscall_entry[], syscall32_entry[];

#define GDT_IDX(sel) ((sel) >> 3)

static void set_gate(unsigned int vec, void *handler, unsigned int dpl,
		     unsigned int ist)
{
	uint64_t a = (uint64_t)handler;

	idt[vec] = (struct gate){
		.off0 = (uint16_t)a,
		.sel = HV_CS,
		.ist = (uint8_t)ist,
		.type = (uint8_t)(0x8e | (dpl << 5)), /* P, interrupt gate */
		.off1 = (uint16_t)(a >> 16),
		.off2 = (uint32_t)(a >> 32),
	};
}

static void idt_init(void)
{
	for (unsigned int v = 0; v < 32; v++) {
		unsigned int ist = v == 8 ? IST_DF : v == 2 ? IST_NMI :
			v == 18 ? IST_MC : 0;
		unsigned int dpl = (v == 3 || v == 4) ? 3 : 0;

		set_gate(v, exception_stubs + 16 * v, dpl, ist);
	}
	for (unsigned int v = 32; v < IDT_ENTRIES; v++)
		set_gate(v, irq_stubs + 16 * (v - 32), v == INT80_VECTOR ? 3 : 0,
			 0);
}

static void gdt_init(struct percpu_desc *pd)
{
	uint64_t *g = pd->gdt;
	uint64_t tss = (uint64_t)&pd->tss;

	g[GDT_IDX(HV_CS)] = 0x00af9b000000ffffULL;	/* ring 0, 64-bit */
	g[GDT_IDX(HV_DS)] = 0x00cf93000000ffffULL;	/* ring 0 data */
	g[GDT_IDX(FLAT_RING3_CS32)] = 0x00cffb000000ffffULL;
	g[GDT_IDX(FLAT_RING3_DS32)] = 0x00cff3000000ffffULL;
	g[GDT_IDX(FLAT_RING3_CS64)] = 0x00affb000000ffffULL;
	g[GDT_IDX(HV_TSS_SEL)] = (sizeof(struct tss64) - 1) |
		((tss & 0xffffff) << 16) | (0x89ULL << 40) |
		((tss >> 24) & 0xff) << 56;
	g[GDT_IDX(HV_TSS_SEL) + 1] = tss >> 32;
}

/*
 * The LSTAR target: mov %rsp,scratch(%rip); mov stack(%rip),%rsp;
 * push $ss; push scratch(%rip); jmp <entry>. Displacements are from the
 * end of each instruction.
 */
static void build_stub(uint8_t *p, struct cpu_info *ci, uint16_t ss,
		       const char *target)
{
	uint64_t scratch = (uint64_t)&ci->syscall_scratch_rsp;
	uint64_t stack = (uint64_t)&ci->syscall_stack;
	uint64_t base = (uint64_t)p;
	int32_t d;

	p[0] = 0x48, p[1] = 0x89, p[2] = 0x25;
	d = (int32_t)(scratch - (base + 7));
	memcpy(p + 3, &d, 4);
	p[7] = 0x48, p[8] = 0x8b, p[9] = 0x25;
	d = (int32_t)(stack - (base + 14));
	memcpy(p + 10, &d, 4);
	p[14] = 0x68;
	d = ss;
	memcpy(p + 15, &d, 4);
	p[19] = 0xff, p[20] = 0x35;
	d = (int32_t)(scratch - (base + 25));
	memcpy(p + 21, &d, 4);
	p[25] = 0xe9;
	d = (int32_t)((uint64_t)target - (base + 30));
	memcpy(p + 26, &d, 4);
}

void cpu_desc_init(unsigned int cpu)
{
	struct percpu_desc *pd = &percpu_desc[cpu];
	struct cpu_info *ci = get_cpu_info();
	struct {
		uint16_t limit;
		uint64_t base;
	} __packed gdtr = { sizeof(pd->gdt) - 1, (uint64_t)pd->gdt },
		   idtr = { sizeof(idt) - 1, (uint64_t)idt };

	BUILD_BUG_ON(sizeof(struct tss64) != 104);
	BUILD_BUG_ON(sizeof(struct cpu_info) % 16 != 0);
	BUILD_BUG_ON(offsetof(struct cpu_info, guest_regs) % 16 != 8);
	BUILD_BUG_ON(sizeof(struct cpu_regs) % 16 != 8);
	ci->cpu_id = cpu;
	ci->syscall_stack = (uint64_t)(&ci->guest_regs + 1);
	if (cpu == 0)
		idt_init();
	gdt_init(pd);
	pd->tss.rsp[0] = ci->syscall_stack;
	for (unsigned int i = 0; i < 3; i++)
		pd->tss.ist[i] = (uint64_t)pd->ist_stacks[i] + IST_STACK_SIZE;
	pd->tss.iomap_base = 0xffff;	/* no I/O bitmap: all ports #GP */

	asm volatile("lgdt %0" ::"m"(gdtr));
	asm volatile("lidt %0" ::"m"(idtr));
	asm volatile("pushq %0; lea 1f(%%rip), %%rax; pushq %%rax; lretq; 1:"
		     ::"i"(HV_CS) : "rax", "memory");
	asm volatile("mov %0, %%ss; mov %0, %%ds; mov %0, %%es"
		     ::"r"(HV_DS));
	asm volatile("ltr %w0" ::"r"(HV_TSS_SEL));

	build_stub(pd->syscall_stub, ci, FLAT_RING3_SS64, syscall_entry);
	build_stub(pd->syscall32_stub, ci, FLAT_RING3_SS32, syscall32_entry);
	wrmsr(MSR_STAR, ((uint64_t)FLAT_RING3_CS32 << 48) |
				((uint64_t)HV_CS << 32));
	wrmsr(MSR_LSTAR, (uint64_t)pd->syscall_stub);
	wrmsr(MSR_CSTAR, (uint64_t)pd->syscall32_stub);
	wrmsr(MSR_SFMASK, X86_EFLAGS_TF | X86_EFLAGS_IF | X86_EFLAGS_DF |
				  X86_EFLAGS_IOPL | X86_EFLAGS_NT |
				  X86_EFLAGS_AC);
	wrmsr(MSR_SYSENTER_CS, 0);	/* sysenter from a guest: #GP */
}
