/* SPDX-License-Identifier: GPL-2.0 */
/* Per-CPU descriptor tables (GDT, IDT, TSS) and the syscall entry setup. */
#ifndef ASM_DESC_H
#define ASM_DESC_H

#include <hv/types.h>

struct tss64 {
	uint32_t rsvd0;
	uint64_t rsp[3];
	uint64_t rsvd1;
	uint64_t ist[7];
	uint64_t rsvd2;
	uint16_t rsvd3;
	uint16_t iomap_base;
} __packed;

#define IST_DF 1
#define IST_NMI 2
#define IST_MC 3

/* Loads GDT, IDT, TSS and the syscall MSRs on the calling CPU. */
void cpu_desc_init(unsigned int cpu);

/*
 * Shows @frames (@nr <= 14, validated descriptor pages) as GDT pages
 * 0..nr-1 of the calling CPU, and zero pages after them. Called on
 * set_gdt and when a vCPU is switched in.
 */
void gdt_map_guest_frames(const mfn_t *frames, unsigned int nr);

/*
 * Loads an LDT of @ents descriptors held in @frames (@nr <= 16 validated
 * descriptor pages) on the calling CPU; @ents 0 unloads it.
 */
void ldt_load_guest_frames(const mfn_t *frames, unsigned int nr,
			   unsigned int ents);

#endif
