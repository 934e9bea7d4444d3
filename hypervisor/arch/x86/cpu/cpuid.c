// SPDX-License-Identifier: GPL-2.0
/*
 * The CPUID a PV guest sees (forced-emulation `ud2; "xen"; cpuid`): the
 * host's leaves filtered to what a ring-3 PV kernel can use, plus the
 * hypervisor leaves at 0x40000000. Hidden: paging features the PV MMU
 * refuses (PSE, PGE, PCID, 1 GiB pages, LA57), virtualisation and
 * monitoring features, XSAVE and everything that needs it (so no xsetbv
 * emulation is needed), x2APIC/TSC-deadline, SMEP/SMAP/UMIP/PKU/CET,
 * FSGSBASE, and the speculation-control MSRs.
 */
#include <hv/mm.h>
#include <hv/string.h>
#include <asm/processor.h>
#include <asm/pv.h>

#define HV_LEAF_BASE 0x40000000U
#define HV_LEAF_LIMIT 5U

/* Leaf 1 */
/* ecx: SSE3 PCLMULQDQ SSSE3 CX16 SSE4.1 SSE4.2 MOVBE POPCNT AES RDRAND */
#define L1_ECX_KEEP                                                           \
	((1U << 0) | (1U << 1) | (1U << 9) | (1U << 13) | (1U << 19) |        \
	 (1U << 20) | (1U << 22) | (1U << 23) | (1U << 25) | (1U << 30))
/* edx: VME PSE MCE MTRR PGE MCA PSE36 DS TM PBE */
#define L1_EDX_HIDE                                                           \
	((1U << 1) | (1U << 3) | (1U << 7) | (1U << 12) | (1U << 13) |        \
	 (1U << 14) | (1U << 17) | (1U << 21) | (1U << 29) | (1U << 31))
/* Leaf 7.0 ebx: BMI1 BMI2 ERMS ADX CLFLUSHOPT SHA RDSEED */
#define L7_EBX_KEEP                                                           \
	((1U << 3) | (1U << 8) | (1U << 9) | (1U << 18) | (1U << 19) |        \
	 (1U << 23) | (1U << 29))
/* Leaf 0x80000001 ecx: LAHF ABM/LZCNT SSE4A PREFETCHW */
#define LX1_ECX_KEEP ((1U << 0) | (1U << 5) | (1U << 6) | (1U << 8))
/* Leaf 0x80000001 edx: hide 1 GiB pages */
#define LX1_EDX_HIDE (1U << 26)

static void hypervisor_leaf(uint32_t idx, uint32_t sub, struct cpuid_regs *r)
{
	memset(r, 0, sizeof(*r));
	switch (idx) {
	case 0:
		r->a = HV_LEAF_BASE + HV_LEAF_LIMIT;
		memcpy(&r->b, "XenV", 4);	/* the signature Linux detects */
		memcpy(&r->c, "MMXe", 4);
		memcpy(&r->d, "nVMM", 4);
		break;
	case 1:
		r->a = (CONFIG_HV_VERSION_MAJOR << 16) |
		       CONFIG_HV_VERSION_MINOR;
		break;
	case 2:
		r->a = 1;		/* hypercall pages */
		r->b = HV_LEAF_BASE;	/* MSR base */
		r->c = 1;		/* MMU_PT_UPDATE_PRESERVE_AD */
		break;
	case 5:
		if (sub == 0)
			r->b = 64 - __builtin_clzll(max_mfn | 1) + PAGE_SHIFT;
		break;
	}
}

void pv_cpuid(uint32_t leaf, uint32_t sub, struct cpuid_regs *r)
{
	if (leaf - HV_LEAF_BASE <= HV_LEAF_LIMIT) {
		hypervisor_leaf(leaf - HV_LEAF_BASE, sub, r);
		return;
	}
	cpuid_count(leaf, sub, r);
	switch (leaf) {
	case 1:
		r->c = (r->c & L1_ECX_KEEP) | (1U << 31);	/* hypervisor */
		r->d &= ~L1_EDX_HIDE;
		break;
	case 5:	/* MONITOR/MWAIT */
	case 6:	/* thermal and power */
	case 0xa:	/* perfmon */
	case 0xd:	/* XSAVE */
		memset(r, 0, sizeof(*r));
		break;
	case 7:
		if (sub == 0) {
			r->a = 0;
			r->b &= L7_EBX_KEEP;
			r->c = r->d = 0;
		} else {
			memset(r, 0, sizeof(*r));
		}
		break;
	case 0x80000001:
		r->c &= LX1_ECX_KEEP;
		r->d &= ~LX1_EDX_HIDE;
		break;
	}
}
