/* SPDX-License-Identifier: GPL-2.0 */
/* Thin wrappers for privileged x86 instructions: CRs, MSRs, ports, CPUID. */
#ifndef ASM_PROCESSOR_H
#define ASM_PROCESSOR_H

#include <hv/types.h>

#define X86_CR0_PE (1UL << 0)
#define X86_CR0_MP (1UL << 1)
#define X86_CR0_EM (1UL << 2)
#define X86_CR0_TS (1UL << 3)
#define X86_CR0_NE (1UL << 5)
#define X86_CR0_WP (1UL << 16)
#define X86_CR0_AM (1UL << 18)
#define X86_CR0_PG (1UL << 31)

#define X86_CR4_DE (1UL << 3)
#define X86_CR4_PSE (1UL << 4)
#define X86_CR4_PAE (1UL << 5)
#define X86_CR4_MCE (1UL << 6)
#define X86_CR4_PGE (1UL << 7)
#define X86_CR4_OSFXSR (1UL << 9)
#define X86_CR4_OSXMMEXCPT (1UL << 10)
#define X86_CR4_FSGSBASE (1UL << 16)
#define X86_CR4_OSXSAVE (1UL << 18)
#define X86_CR4_SMEP (1UL << 20)
#define X86_CR4_SMAP (1UL << 21)

#define X86_EFLAGS_CF (1UL << 0)
#define X86_EFLAGS_MBS (1UL << 1)	/* must be set */
#define X86_EFLAGS_TF (1UL << 8)
#define X86_EFLAGS_IF (1UL << 9)
#define X86_EFLAGS_DF (1UL << 10)
#define X86_EFLAGS_IOPL (3UL << 12)
#define X86_EFLAGS_NT (1UL << 14)
#define X86_EFLAGS_RF (1UL << 16)
#define X86_EFLAGS_VM (1UL << 17)
#define X86_EFLAGS_AC (1UL << 18)
#define X86_EFLAGS_VIF (1UL << 19)
#define X86_EFLAGS_VIP (1UL << 20)
#define X86_EFLAGS_ID (1UL << 21)

#define MSR_EFER 0xc0000080
#define MSR_STAR 0xc0000081
#define MSR_LSTAR 0xc0000082
#define MSR_CSTAR 0xc0000083
#define MSR_SFMASK 0xc0000084
#define MSR_FS_BASE 0xc0000100
#define MSR_GS_BASE 0xc0000101
#define MSR_SHADOW_GS_BASE 0xc0000102
#define MSR_TSC_AUX 0xc0000103
#define MSR_IA32_TSC 0x10
#define MSR_APIC_BASE 0x1b
#define MSR_MISC_ENABLE 0x1a0
#define MSR_PAT 0x277
#define MSR_SYSENTER_CS 0x174
#define MSR_SYSENTER_ESP 0x175
#define MSR_SYSENTER_EIP 0x176
#define MSR_PLATFORM_INFO 0xce
#define MSR_MISC_FEATURES_ENABLES 0x140

#define EFER_SCE (1UL << 0)
#define EFER_LME (1UL << 8)
#define EFER_LMA (1UL << 10)
#define EFER_NXE (1UL << 11)

static inline unsigned long read_cr0(void)
{
	unsigned long v;
	asm volatile("mov %%cr0, %0" : "=r"(v));
	return v;
}

static inline void write_cr0(unsigned long v)
{
	asm volatile("mov %0, %%cr0" ::"r"(v) : "memory");
}

static inline unsigned long read_cr2(void)
{
	unsigned long v;
	asm volatile("mov %%cr2, %0" : "=r"(v));
	return v;
}

static inline unsigned long read_cr3(void)
{
	unsigned long v;
	asm volatile("mov %%cr3, %0" : "=r"(v));
	return v;
}

/* Loads CR3 without the flush clock: only before a CPU has its identity. */
static inline void load_cr3(unsigned long v)
{
	asm volatile("mov %0, %%cr3" ::"r"(v) : "memory");
}

/* Loads CR3 (a full flush: CR4.PGE is off) and ticks the flush clock. */
void write_cr3(unsigned long v);

static inline unsigned long read_cr4(void)
{
	unsigned long v;
	asm volatile("mov %%cr4, %0" : "=r"(v));
	return v;
}

static inline void write_cr4(unsigned long v)
{
	asm volatile("mov %0, %%cr4" ::"r"(v) : "memory");
}

static inline uint64_t rdmsr(uint32_t msr)
{
	uint32_t lo, hi;
	asm volatile("rdmsr" : "=a"(lo), "=d"(hi) : "c"(msr));
	return ((uint64_t)hi << 32) | lo;
}

static inline void wrmsr(uint32_t msr, uint64_t v)
{
	asm volatile("wrmsr" ::"c"(msr), "a"((uint32_t)v),
		     "d"((uint32_t)(v >> 32))
		     : "memory");
}

/* rdmsr that returns -1 instead of faulting on an absent MSR. */
int rdmsr_safe(uint32_t msr, uint64_t *val);

static inline uint64_t rdtsc(void)
{
	uint32_t lo, hi;
	asm volatile("rdtsc" : "=a"(lo), "=d"(hi));
	return ((uint64_t)hi << 32) | lo;
}

static inline void outb(uint16_t port, uint8_t v)
{
	asm volatile("outb %0, %1" ::"a"(v), "Nd"(port));
}

static inline void outl(uint16_t port, uint32_t v)
{
	asm volatile("outl %0, %1" ::"a"(v), "Nd"(port));
}

static inline uint8_t inb(uint16_t port)
{
	uint8_t v;
	asm volatile("inb %1, %0" : "=a"(v) : "Nd"(port));
	return v;
}

struct cpuid_regs {
	uint32_t a, b, c, d;
};

static inline void cpuid_count(uint32_t leaf, uint32_t sub,
			       struct cpuid_regs *r)
{
	asm volatile("cpuid"
		     : "=a"(r->a), "=b"(r->b), "=c"(r->c), "=d"(r->d)
		     : "a"(leaf), "c"(sub));
}

static inline void invlpg(vaddr_t va)
{
	asm volatile("invlpg (%0)" ::"r"(va) : "memory");
}

static inline void flush_tlb_local(void)
{
	write_cr3(read_cr3());
}

static inline void clts(void)
{
	asm volatile("clts");
}

static inline void stts(void)
{
	write_cr0(read_cr0() | X86_CR0_TS);
}

static inline void local_irq_disable(void)
{
	asm volatile("cli" ::: "memory");
}

static inline void local_irq_enable(void)
{
	asm volatile("sti" ::: "memory");
}

static inline void halt(void)
{
	asm volatile("hlt" ::: "memory");
}

static inline void cpu_relax(void)
{
	asm volatile("pause" ::: "memory");
}

static inline void swapgs(void)
{
	asm volatile("swapgs" ::: "memory");
}

#endif
