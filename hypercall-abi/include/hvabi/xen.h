/* SPDX-License-Identifier: MIT */
/*
 * Core x86_64 PV ABI: address-space layout, selectors, the boot-time
 * structures (start_info, shared_info, vcpu_info), the register frames and
 * the small structs shared by several hypercalls. Binary compatible with
 * Xen 4.17's x86_64 PV ABI; sizes and offsets are asserted at compile time
 * at the end of this file and in tests/abi/.
 */
#ifndef HVABI_XEN_H
#define HVABI_XEN_H

#include <stdint.h>

#define HV_ABI_STATIC_ASSERT(c, m) _Static_assert(c, m)

/* ---- Guest-visible address-space layout --------------------------------
 *
 * L4 slots 256..271 of every guest page table belong to the hypervisor.
 * The machine-to-phys table is readable by the guest at its start.
 */
#define HYPERVISOR_VIRT_START 0xffff800000000000ULL
#define HYPERVISOR_VIRT_END 0xffff880000000000ULL
#define MACH2PHYS_VIRT_START 0xffff800000000000ULL
#define MACH2PHYS_VIRT_END 0xffff804000000000ULL
#define MACH2PHYS_NR_ENTRIES ((MACH2PHYS_VIRT_END - MACH2PHYS_VIRT_START) >> 3)
#define INVALID_M2P_ENTRY (~0ULL)
#define HV_L4_FIRST_SLOT 256
#define HV_L4_LAST_SLOT 271

/* ---- Segment selectors every PV guest can use -------------------------
 *
 * The hypervisor owns GDT entries from FIRST_RESERVED_GDT_ENTRY on. A
 * 64-bit PV guest's kernel and user both run in ring 3 on these.
 */
#define FIRST_RESERVED_GDT_PAGE 14
#define FIRST_RESERVED_GDT_BYTE (FIRST_RESERVED_GDT_PAGE * 4096)
#define FIRST_RESERVED_GDT_ENTRY (FIRST_RESERVED_GDT_BYTE / 8)

#define FLAT_RING3_CS32 0xe023	/* GDT index 0x1c04 */
#define FLAT_RING3_CS64 0xe033	/* GDT index 0x1c06 */
#define FLAT_RING3_DS32 0xe02b	/* GDT index 0x1c05 */
#define FLAT_RING3_DS64 0x0000	/* NULL selector */
#define FLAT_RING3_SS32 0xe02b
#define FLAT_RING3_SS64 0xe02b
#define FLAT_KERNEL_CS FLAT_RING3_CS64
#define FLAT_KERNEL_DS FLAT_RING3_DS64
#define FLAT_KERNEL_SS FLAT_RING3_SS64
#define FLAT_USER_CS FLAT_RING3_CS64
#define FLAT_USER_DS FLAT_RING3_DS64
#define FLAT_USER_SS FLAT_RING3_SS64

/* ---- Domain ids --------------------------------------------------------*/
typedef uint16_t domid_t;
#define DOMID_FIRST_RESERVED 0x7ff0U
#define DOMID_SELF 0x7ff0U
#define DOMID_IO 0x7ff1U
#define DOMID_XEN 0x7ff2U
#define DOMID_COW 0x7ff3U
#define DOMID_INVALID 0x7ff4U
#define DOMID_IDLE 0x7fffU

/* A guest address passed to the hypervisor (Xen: XEN_GUEST_HANDLE). */
typedef uint64_t guest_handle_t;

/* ---- console_io (18) ---------------------------------------------------*/
#define CONSOLEIO_write 0
#define CONSOLEIO_read 1

/* ---- vm_assist (21) ----------------------------------------------------*/
#define VMASST_CMD_enable 0
#define VMASST_CMD_disable 1
#define VMASST_TYPE_4gb_segments 0
#define VMASST_TYPE_4gb_segments_notify 1
#define VMASST_TYPE_writable_pagetables 2
#define VMASST_TYPE_pae_extended_cr3 3
#define VMASST_TYPE_architectural_iopl 4
#define VMASST_TYPE_runstate_update_flag 5
#define VMASST_TYPE_m2p_strict 32

/* ---- set_segment_base (25) ---------------------------------------------*/
#define SEGBASE_FS 0
#define SEGBASE_GS_USER 1
#define SEGBASE_GS_KERNEL 2
#define SEGBASE_GS_USER_SEL 3	/* load user %gs selector */

/* ---- mmu_update (1) ----------------------------------------------------*/
#define MMU_NORMAL_PT_UPDATE 0
#define MMU_MACHPHYS_UPDATE 1
#define MMU_PT_UPDATE_PRESERVE_AD 2
#define MMU_PT_UPDATE_NO_TRANSLATE 3

struct mmu_update {
	uint64_t ptr;	/* machine address of the PTE, low 2 bits = command */
	uint64_t val;	/* new contents */
};

/* ---- mmuext_op (26) ----------------------------------------------------*/
#define MMUEXT_PIN_L1_TABLE 0
#define MMUEXT_PIN_L2_TABLE 1
#define MMUEXT_PIN_L3_TABLE 2
#define MMUEXT_PIN_L4_TABLE 3
#define MMUEXT_UNPIN_TABLE 4
#define MMUEXT_NEW_BASEPTR 5
#define MMUEXT_TLB_FLUSH_LOCAL 6
#define MMUEXT_INVLPG_LOCAL 7
#define MMUEXT_TLB_FLUSH_MULTI 8
#define MMUEXT_INVLPG_MULTI 9
#define MMUEXT_TLB_FLUSH_ALL 10
#define MMUEXT_INVLPG_ALL 11
#define MMUEXT_FLUSH_CACHE 12
#define MMUEXT_SET_LDT 13
#define MMUEXT_NEW_USER_BASEPTR 15
#define MMUEXT_CLEAR_PAGE 16
#define MMUEXT_COPY_PAGE 17
#define MMUEXT_FLUSH_CACHE_GLOBAL 18
#define MMUEXT_MARK_SUPER 19
#define MMUEXT_UNMARK_SUPER 20

struct mmuext_op {
	uint32_t cmd;
	uint32_t pad;
	union {
		uint64_t mfn;		/* PIN_*, UNPIN, NEW_*BASEPTR, CLEAR/COPY */
		uint64_t linear_addr;	/* INVLPG_*, SET_LDT */
	} arg1;
	union {
		uint32_t nr_ents;	/* SET_LDT */
		guest_handle_t vcpumask;/* *_MULTI: guest VA of a bitmap */
		uint64_t src_mfn;	/* COPY_PAGE */
	} arg2;
};

/* update_va_mapping (14) flags */
#define UVMF_NONE 0
#define UVMF_TLB_FLUSH 1
#define UVMF_INVLPG 2
#define UVMF_FLUSHTYPE_MASK 3
#define UVMF_MULTI 0	/* flush the vCPUs in the bitmap at flags & ~3 */
#define UVMF_LOCAL 0
#define UVMF_ALL 4

/* ---- multicall (13) ----------------------------------------------------*/
struct multicall_entry {
	uint64_t op;
	uint64_t result;	/* OUT: the call's return value */
	uint64_t args[6];
};

/* ---- set_trap_table (0) ------------------------------------------------*/
struct trap_info {
	uint8_t vector;		/* 0..255 */
	uint8_t flags;		/* bits 1:0 DPL, bit 2 mask events on entry */
	uint16_t cs;		/* RPL forced to 3 */
	uint32_t pad;
	uint64_t address;	/* 0 terminates the list */
};
#define TI_DPL_MASK 3
#define TI_MASK_EVENTS 4

/* ---- Register frames ---------------------------------------------------*/
struct cpu_user_regs {
	uint64_t r15, r14, r13, r12, rbp, rbx, r11, r10, r9, r8;
	uint64_t rax, rcx, rdx, rsi, rdi;
	uint32_t error_code;
	uint32_t entry_vector;
	uint64_t rip;
	uint16_t cs, pad0[1];
	uint8_t saved_upcall_mask, pad1[3];
	uint64_t rflags;
	uint64_t rsp;
	uint16_t ss, pad2[3];
	uint64_t es, ds, fs, gs;
};

/*
 * iret (23): the guest pushes this (lowest address first) and calls with
 * rsp pointing at it. Never returns to the caller.
 */
struct iret_context {
	uint64_t rax, r11, rcx, flags, rip, cs, rflags, rsp, ss;
};
#define VGCF_in_syscall (1U << 8)	/* iret flags: keep rcx/r11 */

/* vcpu_guest_context.flags */
#define VGCF_i387_valid (1U << 0)
#define VGCF_in_kernel (1U << 2)
#define VGCF_failsafe_disables_events (1U << 3)
#define VGCF_syscall_disables_events (1U << 4)
#define VGCF_online (1U << 5)

struct vcpu_guest_context {
	uint8_t fpu_ctxt[512];		/* FXSAVE image */
	uint64_t flags;			/* VGCF_* */
	struct cpu_user_regs user_regs;
	struct trap_info trap_ctxt[256];
	uint64_t ldt_base, ldt_ents;
	uint64_t gdt_frames[16], gdt_ents;
	uint64_t kernel_ss, kernel_sp;
	uint64_t ctrlreg[8];		/* cr3 holds an MFN << 12 */
	uint64_t debugreg[8];
	uint64_t event_callback_eip;
	uint64_t failsafe_callback_eip;
	uint64_t syscall_callback_eip;
	uint64_t vm_assist;
	uint64_t fs_base, gs_base_kernel, gs_base_user;
};

/* ---- Shared info page --------------------------------------------------*/
struct vcpu_time_info {
	uint32_t version;		/* odd while being updated */
	uint32_t pad0;
	uint64_t tsc_timestamp;		/* TSC at the last update */
	uint64_t system_time;		/* ns since boot at the last update */
	uint32_t tsc_to_system_mul;	/* ns = ((tsc delta << shift) * mul) >> 32 */
	int8_t tsc_shift;
	uint8_t flags;			/* PVCLOCK_* */
	uint8_t pad1[2];
};
#define PVCLOCK_TSC_STABLE_BIT (1U << 0)
#define PVCLOCK_GUEST_STOPPED (1U << 1)

struct arch_vcpu_info {
	uint64_t cr2;			/* fault address of the last #PF bounced */
	uint64_t pad;
};

struct vcpu_info {
	uint8_t evtchn_upcall_pending;
	uint8_t evtchn_upcall_mask;	/* 1 = events masked ("interrupts off") */
	uint8_t pad0[6];
	uint64_t evtchn_pending_sel;
	struct arch_vcpu_info arch;
	struct vcpu_time_info time;
};

#define LEGACY_MAX_VCPUS 32
#define EVTCHN_2L_NR_PORTS 4096

struct arch_shared_info {
	uint64_t max_pfn;
	uint64_t pfn_to_mfn_frame_list_list;
	uint64_t nmi_reason;
	uint64_t p2m_cr3;
	uint64_t p2m_vaddr;
	uint64_t p2m_generation;
};

struct shared_info {
	struct vcpu_info vcpu_info[LEGACY_MAX_VCPUS];
	uint64_t evtchn_pending[64];
	uint64_t evtchn_mask[64];
	uint32_t wc_version;		/* odd while being updated */
	uint32_t wc_sec;		/* wall time at system_time 0 */
	uint32_t wc_nsec;
	uint32_t wc_sec_hi;
	struct arch_shared_info arch;
};

/* ---- Start-of-day information ------------------------------------------*/
#define SIF_PRIVILEGED (1U << 0)
#define SIF_INITDOMAIN (1U << 1)
#define SIF_MULTIBOOT_MOD (1U << 2)
#define SIF_MOD_START_PFN (1U << 3)
#define SIF_VIRT_P2M_4TOOLS (1U << 4)
#define SIF_PM_MASK (0xffU << 8)

#define START_INFO_MAGIC "xen-3.0-x86_64"
#define MAX_GUEST_CMDLINE 1024

struct start_info {
	char magic[32];
	uint64_t nr_pages;
	uint64_t shared_info;		/* machine address of shared_info */
	uint32_t flags;			/* SIF_* */
	uint32_t pad0;
	uint64_t store_mfn;
	uint32_t store_evtchn;
	uint32_t pad1;
	union {
		struct {
			uint64_t mfn;	/* console ring page */
			uint32_t evtchn;
			uint32_t pad;
		} domU;
		struct {
			uint32_t info_off;	/* offset of console info */
			uint32_t info_size;
		} dom0;
	} console;
	uint64_t pt_base;		/* VA of the bootstrap L4 */
	uint64_t nr_pt_frames;
	uint64_t mfn_list;		/* VA of the p2m list */
	uint64_t mod_start;		/* VA (or pfn) of the initrd */
	uint64_t mod_len;
	char cmd_line[MAX_GUEST_CMDLINE];
	uint64_t first_p2m_pfn;
	uint64_t nr_p2m_frames;
};

/* ---- Layout checks (Xen 4.17 x86_64 sizes and offsets) ------------------*/
HV_ABI_STATIC_ASSERT(sizeof(struct vcpu_time_info) == 32, "vcpu_time_info");
HV_ABI_STATIC_ASSERT(sizeof(struct vcpu_info) == 64, "vcpu_info");
HV_ABI_STATIC_ASSERT(sizeof(struct shared_info) == 3136, "shared_info");
HV_ABI_STATIC_ASSERT(sizeof(struct start_info) == 1168, "start_info");
HV_ABI_STATIC_ASSERT(sizeof(struct trap_info) == 16, "trap_info");
HV_ABI_STATIC_ASSERT(sizeof(struct cpu_user_regs) == 200, "cpu_user_regs");
HV_ABI_STATIC_ASSERT(sizeof(struct vcpu_guest_context) == 5168, "vcpu_guest_context");
HV_ABI_STATIC_ASSERT(sizeof(struct mmu_update) == 16, "mmu_update");
HV_ABI_STATIC_ASSERT(sizeof(struct mmuext_op) == 24, "mmuext_op");
HV_ABI_STATIC_ASSERT(sizeof(struct multicall_entry) == 64, "multicall_entry");
HV_ABI_STATIC_ASSERT(sizeof(struct iret_context) == 72, "iret_context");

#endif
