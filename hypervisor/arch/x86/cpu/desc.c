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
#include <asm/page.h>
#include <asm/processor.h>
#include <hv/mm.h>

#define GDT_PAGES 16
#define IDT_ENTRIES 256
#define IST_STACK_SIZE 4096

struct gate {
	uint16_t off0, sel;
	uint8_t ist, type;
	uint16_t off1;
	uint32_t off2, rsvd;
} __packed;

/* The hypervisor's two GDT pages; the CPU sees them at GDT pages 14-15. */
#define HV_GDT_PAGES (GDT_PAGES - FIRST_RESERVED_GDT_PAGE)

struct percpu_desc {
	uint64_t hv_gdt[HV_GDT_PAGES * 512] __aligned(4096);
	struct tss64 tss __aligned(128);
	uint8_t ist_stacks[3][IST_STACK_SIZE] __aligned(16);
	uint8_t syscall_stub[64] __aligned(64);
	uint8_t syscall32_stub[64] __aligned(64);
};

static struct percpu_desc percpu_desc[CONFIG_NR_CPUS] __section(".bss.page_aligned");
static struct gate idt[IDT_ENTRIES] __aligned(4096);

extern char exception_stubs[], irq_stubs[];
extern char syscall_entry[], syscall32_entry[];

/* Index in the hypervisor's pages of the GDT. */
#define GDT_IDX(sel) (((sel) >> 3) - FIRST_RESERVED_GDT_ENTRY)

/*
 * Each CPU's GDT is a 16-page window in the image slot: pages 0-13 map
 * the running vCPU's GDT frames (or a zero page), 14-15 the CPU's own.
 */
#define GDT_AREA_BASE (HV_IMAGE_BASE + 0x40000000ULL)
#define GDT_VIRT(cpu) (GDT_AREA_BASE + (uint64_t)(cpu) * 0x20000)

/* The LDT window follows, 16 pages: the running vCPU's LDT frames. */
#define LDT_VIRT(cpu) (GDT_VIRT(cpu) + 0x10000)
#define LDT_PAGES 16

static pgentry_t *gdt_ptes[CONFIG_NR_CPUS];	/* GDT then LDT window */
static mfn_t zero_frame;

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
	uint64_t *g = pd->hv_gdt;
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

/* Maps the CPU's GDT window: zero pages, then its own two pages. */
static void gdt_window_init(unsigned int cpu, struct percpu_desc *pd)
{
	const uint64_t ro = _PAGE_PRESENT | _PAGE_ACCESSED | _PAGE_NX;
	pgentry_t *t = idle_pg_table;

	if (cpu == 0)
		zero_frame = alloc_page();
	if (mfn_x(zero_frame) == mfn_x(INVALID_MFN) ||
	    map_pages(idle_pg_table, GDT_VIRT(cpu), zero_frame, 1, ro,
		      _PAGE_PRESENT | _PAGE_RW) ||
	    map_pages(idle_pg_table, LDT_VIRT(cpu), zero_frame, LDT_PAGES, ro,
		      _PAGE_PRESENT | _PAGE_RW))
		panic("cannot map the GDT of CPU %u", cpu);
	for (unsigned int level = 4; level > 1; level--)
		t = mfn_to_virt(pte_mfn(t[pt_index(GDT_VIRT(cpu), level)]));
	gdt_ptes[cpu] = &t[pt_index(GDT_VIRT(cpu), 1)];
	for (unsigned int i = 0; i < FIRST_RESERVED_GDT_PAGE; i++)
		gdt_ptes[cpu][i] = mfn_pte(zero_frame, ro);
	for (unsigned int i = 0; i < HV_GDT_PAGES; i++)
		gdt_ptes[cpu][FIRST_RESERVED_GDT_PAGE + i] =
			mfn_pte(_mfn(mfn_x(virt_to_mfn(pd->hv_gdt)) + i),
				ro | _PAGE_RW | _PAGE_DIRTY);
}

/* Shows @nr of @frames at window pages [first, first + count). */
static void map_window(unsigned int first, unsigned int count,
		       const mfn_t *frames, unsigned int nr)
{
	const uint64_t flags = _PAGE_PRESENT | _PAGE_ACCESSED | _PAGE_NX;
	unsigned int cpu = smp_processor_id();

	for (unsigned int i = 0; i < count; i++) {
		/* Writable for the CPU, which sets descriptors' accessed bits. */
		pgentry_t e = i < nr ? mfn_pte(frames[i], flags | _PAGE_RW |
							      _PAGE_DIRTY)
				     : mfn_pte(zero_frame, flags);

		if (gdt_ptes[cpu][first + i] != e) {
			gdt_ptes[cpu][first + i] = e;
			invlpg(GDT_VIRT(cpu) + (first + i) * PAGE_SIZE);
		}
	}
}

void gdt_map_guest_frames(const mfn_t *frames, unsigned int nr)
{
	map_window(0, FIRST_RESERVED_GDT_PAGE, frames, nr);
}

void ldt_load_guest_frames(const mfn_t *frames, unsigned int nr,
			   unsigned int ents)
{
	struct percpu_desc *pd = &percpu_desc[smp_processor_id()];
	uint64_t base = LDT_VIRT(smp_processor_id());
	uint64_t *g = pd->hv_gdt;

	if (!ents) {
		asm volatile("lldt %w0" ::"r"(0));
		return;
	}
	/* The window follows the GDT window's 16 pages, in the same L1. */
	map_window(GDT_PAGES, LDT_PAGES, frames, nr);
	g[GDT_IDX(HV_LDT_SEL)] = ((uint64_t)ents * 8 - 1) |
		((base & 0xffffff) << 16) | (0x82ULL << 40) |
		((base >> 24) & 0xff) << 56;
	g[GDT_IDX(HV_LDT_SEL) + 1] = base >> 32;
	asm volatile("lldt %w0" ::"r"(HV_LDT_SEL));
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
	} __packed gdtr = { GDT_PAGES * PAGE_SIZE - 1, GDT_VIRT(cpu) },
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
	gdt_window_init(cpu, pd);
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
