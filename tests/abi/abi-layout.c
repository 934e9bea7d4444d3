// SPDX-License-Identifier: MIT
/*
 * Compile-time check of the public ABI (hypercall-abi/include/hvabi/)
 * against Xen 4.17's x86_64 PV ABI: struct sizes and field offsets from
 * /work/shared/docs/linux-pv-requirements.md sections 1.5-1.6 and Xen's
 * public headers (io/ structs checked against Xen's public io/ headers
 * compiled on x86_64), plus the fixed numbers (hypercalls, notes, features,
 * selectors, address layout, errno). Compiling this file is the test.
 */
#include <stddef.h>
#include <hvabi/callback.h>
#include <hvabi/elfnote.h>
#include <hvabi/errno.h>
#include <hvabi/hypercall.h>
#include <hvabi/physdev.h>
#include <hvabi/sched.h>
#include <hvabi/vcpu.h>
#include <hvabi/version.h>
#include <hvabi/xen.h>
#include <hvabi/io/blkif.h>
#include <hvabi/io/console.h>
#include <hvabi/io/netif.h>
#include <hvabi/io/ring.h>
#include <hvabi/io/xs_wire.h>

#define SIZE(type, n) _Static_assert(sizeof(struct type) == (n), #type " size")
#define OFF(type, field, n)                                                    \
	_Static_assert(offsetof(struct type, field) == (n),                    \
		       #type "." #field " offset")
#define VAL(name, v) _Static_assert((name) == (v), #name)

/* ---- start_info (1168 bytes, section 1.5) ---------------------------- */
SIZE(start_info, 1168);
OFF(start_info, magic, 0);
OFF(start_info, nr_pages, 32);
OFF(start_info, shared_info, 40);
OFF(start_info, flags, 48);
OFF(start_info, store_mfn, 56);
OFF(start_info, store_evtchn, 64);
OFF(start_info, console.domU.mfn, 72);
OFF(start_info, console.domU.evtchn, 80);
OFF(start_info, console.dom0.info_off, 72);
OFF(start_info, console.dom0.info_size, 76);
OFF(start_info, pt_base, 88);
OFF(start_info, nr_pt_frames, 96);
OFF(start_info, mfn_list, 104);
OFF(start_info, mod_start, 112);
OFF(start_info, mod_len, 120);
OFF(start_info, cmd_line, 128);
OFF(start_info, first_p2m_pfn, 1152);
OFF(start_info, nr_p2m_frames, 1160);
VAL(MAX_GUEST_CMDLINE, 1024);
VAL(SIF_PRIVILEGED, 1);
VAL(SIF_INITDOMAIN, 2);
VAL(SIF_MULTIBOOT_MOD, 4);
VAL(SIF_MOD_START_PFN, 8);
VAL(SIF_VIRT_P2M_4TOOLS, 16);
VAL(SIF_PM_MASK, 0xff00);

/* ---- shared_info (3136 bytes, section 1.6) --------------------------- */
SIZE(shared_info, 3136);
OFF(shared_info, vcpu_info, 0);
OFF(shared_info, evtchn_pending, 2048);
OFF(shared_info, evtchn_mask, 2560);
OFF(shared_info, wc_version, 3072);
OFF(shared_info, wc_sec, 3076);
OFF(shared_info, wc_nsec, 3080);
OFF(shared_info, wc_sec_hi, 3084);
OFF(shared_info, arch, 3088);
OFF(shared_info, arch.max_pfn, 3088);
OFF(shared_info, arch.pfn_to_mfn_frame_list_list, 3096);
OFF(shared_info, arch.nmi_reason, 3104);
OFF(shared_info, arch.p2m_cr3, 3112);
OFF(shared_info, arch.p2m_vaddr, 3120);
OFF(shared_info, arch.p2m_generation, 3128);
VAL(LEGACY_MAX_VCPUS, 32);
VAL(EVTCHN_2L_NR_PORTS, 4096);

SIZE(vcpu_info, 64);
OFF(vcpu_info, evtchn_upcall_pending, 0);
OFF(vcpu_info, evtchn_upcall_mask, 1);
OFF(vcpu_info, evtchn_pending_sel, 8);
OFF(vcpu_info, arch.cr2, 16);
OFF(vcpu_info, arch.pad, 24);
OFF(vcpu_info, time, 32);
SIZE(arch_vcpu_info, 16);

SIZE(vcpu_time_info, 32);
OFF(vcpu_time_info, version, 0);
OFF(vcpu_time_info, tsc_timestamp, 8);
OFF(vcpu_time_info, system_time, 16);
OFF(vcpu_time_info, tsc_to_system_mul, 24);
OFF(vcpu_time_info, tsc_shift, 28);
OFF(vcpu_time_info, flags, 29);
OFF(vcpu_time_info, pad1, 30);
VAL(PVCLOCK_TSC_STABLE_BIT, 1);
VAL(PVCLOCK_GUEST_STOPPED, 2);

SIZE(vcpu_runstate_info, 48);
OFF(vcpu_runstate_info, state, 0);
OFF(vcpu_runstate_info, state_entry_time, 8);
OFF(vcpu_runstate_info, time, 16);
VAL(XEN_RUNSTATE_UPDATE, 1ULL << 63);

/* ---- Register frames and vCPU context -------------------------------- */
SIZE(cpu_user_regs, 200);
OFF(cpu_user_regs, r15, 0);
OFF(cpu_user_regs, r11, 48);
OFF(cpu_user_regs, rax, 80);
OFF(cpu_user_regs, rcx, 88);
OFF(cpu_user_regs, rdi, 112);
OFF(cpu_user_regs, error_code, 120);
OFF(cpu_user_regs, entry_vector, 124);
OFF(cpu_user_regs, rip, 128);
OFF(cpu_user_regs, cs, 136);
OFF(cpu_user_regs, saved_upcall_mask, 140);
OFF(cpu_user_regs, rflags, 144);
OFF(cpu_user_regs, rsp, 152);
OFF(cpu_user_regs, ss, 160);
OFF(cpu_user_regs, es, 168);
OFF(cpu_user_regs, ds, 176);
OFF(cpu_user_regs, fs, 184);
OFF(cpu_user_regs, gs, 192);

SIZE(vcpu_guest_context, 5168);
OFF(vcpu_guest_context, fpu_ctxt, 0);
OFF(vcpu_guest_context, flags, 512);
OFF(vcpu_guest_context, user_regs, 520);
OFF(vcpu_guest_context, trap_ctxt, 720);
OFF(vcpu_guest_context, ldt_base, 4816);
OFF(vcpu_guest_context, ldt_ents, 4824);
OFF(vcpu_guest_context, gdt_frames, 4832);
OFF(vcpu_guest_context, gdt_ents, 4960);
OFF(vcpu_guest_context, kernel_ss, 4968);
OFF(vcpu_guest_context, kernel_sp, 4976);
OFF(vcpu_guest_context, ctrlreg, 4984);
OFF(vcpu_guest_context, debugreg, 5048);
OFF(vcpu_guest_context, event_callback_eip, 5112);
OFF(vcpu_guest_context, failsafe_callback_eip, 5120);
OFF(vcpu_guest_context, syscall_callback_eip, 5128);
OFF(vcpu_guest_context, vm_assist, 5136);
OFF(vcpu_guest_context, fs_base, 5144);
OFF(vcpu_guest_context, gs_base_kernel, 5152);
OFF(vcpu_guest_context, gs_base_user, 5160);
VAL(VGCF_i387_valid, 1);
VAL(VGCF_in_kernel, 4);
VAL(VGCF_failsafe_disables_events, 8);
VAL(VGCF_syscall_disables_events, 16);
VAL(VGCF_online, 32);

SIZE(iret_context, 72);
OFF(iret_context, rax, 0);
OFF(iret_context, r11, 8);
OFF(iret_context, rcx, 16);
OFF(iret_context, flags, 24);
OFF(iret_context, rip, 32);
OFF(iret_context, cs, 40);
OFF(iret_context, rflags, 48);
OFF(iret_context, rsp, 56);
OFF(iret_context, ss, 64);
VAL(VGCF_in_syscall, 256);

/* ---- Hypercall argument structs --------------------------------------- */
SIZE(trap_info, 16);
OFF(trap_info, vector, 0);
OFF(trap_info, flags, 1);
OFF(trap_info, cs, 2);
OFF(trap_info, address, 8);
SIZE(multicall_entry, 64);
OFF(multicall_entry, op, 0);
OFF(multicall_entry, result, 8);
OFF(multicall_entry, args, 16);
SIZE(mmu_update, 16);
OFF(mmu_update, val, 8);
SIZE(mmuext_op, 24);
OFF(mmuext_op, cmd, 0);
OFF(mmuext_op, arg1, 8);
OFF(mmuext_op, arg2, 16);
SIZE(callback_register, 16);
OFF(callback_register, type, 0);
OFF(callback_register, flags, 2);
OFF(callback_register, address, 8);
SIZE(callback_unregister, 4);
SIZE(vcpu_register_vcpu_info, 16);
OFF(vcpu_register_vcpu_info, mfn, 0);
OFF(vcpu_register_vcpu_info, offset, 8);
OFF(vcpu_register_vcpu_info, rsvd, 12);
SIZE(vcpu_set_singleshot_timer, 16);
OFF(vcpu_set_singleshot_timer, timeout_abs_ns, 0);
OFF(vcpu_set_singleshot_timer, flags, 8);
SIZE(vcpu_set_periodic_timer, 8);
SIZE(vcpu_register_runstate_memory_area, 8);
SIZE(sched_shutdown, 4);
SIZE(sched_poll, 24);
OFF(sched_poll, ports, 0);
OFF(sched_poll, nr_ports, 8);
OFF(sched_poll, timeout, 16);
SIZE(sched_remote_shutdown, 8);
OFF(sched_remote_shutdown, domain_id, 0);
OFF(sched_remote_shutdown, reason, 4);
SIZE(sched_watchdog, 8);
OFF(sched_watchdog, timeout, 4);
SIZE(physdev_set_iopl, 4);
SIZE(xen_compile_info, 144);
OFF(xen_compile_info, compile_by, 64);
OFF(xen_compile_info, compile_domain, 80);
OFF(xen_compile_info, compile_date, 112);
SIZE(xen_platform_parameters, 8);
SIZE(xen_feature_info, 8);
OFF(xen_feature_info, submap, 4);
SIZE(xen_build_id, 4);

/* ---- Shared rings and pages (hvabi/io/) --------------------------------- */
SIZE(ring_sring_hdr, 64);
OFF(ring_sring_hdr, req_prod, 0);
OFF(ring_sring_hdr, req_event, 4);
OFF(ring_sring_hdr, rsp_prod, 8);
OFF(ring_sring_hdr, rsp_event, 12);

SIZE(blkif_request, 112);
OFF(blkif_request, operation, 0);
OFF(blkif_request, nr_segments, 1);
OFF(blkif_request, handle, 2);
OFF(blkif_request, id, 8);
OFF(blkif_request, sector_number, 16);
OFF(blkif_request, seg, 24);
SIZE(blkif_request_segment, 8);
OFF(blkif_request_segment, gref, 0);
OFF(blkif_request_segment, first_sect, 4);
OFF(blkif_request_segment, last_sect, 5);
SIZE(blkif_response, 16);
OFF(blkif_response, id, 0);
OFF(blkif_response, operation, 8);
OFF(blkif_response, status, 10);
VAL(BLKIF_OP_READ, 0);
VAL(BLKIF_OP_WRITE, 1);
VAL(BLKIF_OP_FLUSH_DISKCACHE, 3);
VAL(BLKIF_OP_DISCARD, 5);
VAL(BLKIF_OP_INDIRECT, 6);
VAL(BLKIF_MAX_SEGMENTS_PER_REQUEST, 11);

SIZE(netif_tx_request, 12);
OFF(netif_tx_request, gref, 0);
OFF(netif_tx_request, offset, 4);
OFF(netif_tx_request, flags, 6);
OFF(netif_tx_request, id, 8);
OFF(netif_tx_request, size, 10);
SIZE(netif_tx_response, 4);
OFF(netif_tx_response, status, 2);
SIZE(netif_rx_request, 8);
OFF(netif_rx_request, gref, 4);
SIZE(netif_rx_response, 8);
OFF(netif_rx_response, offset, 2);
OFF(netif_rx_response, flags, 4);
OFF(netif_rx_response, status, 6);
SIZE(netif_extra_info, 8);

SIZE(xencons_interface, 3092);
OFF(xencons_interface, out, 1024);
OFF(xencons_interface, in_cons, 3072);
OFF(xencons_interface, in_prod, 3076);
OFF(xencons_interface, out_cons, 3080);
OFF(xencons_interface, out_prod, 3084);
OFF(xencons_interface, connection, 3088);

SIZE(xsd_sockmsg, 16);
OFF(xsd_sockmsg, req_id, 4);
OFF(xsd_sockmsg, tx_id, 8);
OFF(xsd_sockmsg, len, 12);
SIZE(xenstore_domain_interface, 2080);
OFF(xenstore_domain_interface, rsp, 1024);
OFF(xenstore_domain_interface, req_cons, 2048);
OFF(xenstore_domain_interface, req_prod, 2052);
OFF(xenstore_domain_interface, rsp_cons, 2056);
OFF(xenstore_domain_interface, rsp_prod, 2060);
OFF(xenstore_domain_interface, server_features, 2064);
OFF(xenstore_domain_interface, connection, 2068);
OFF(xenstore_domain_interface, error, 2072);
OFF(xenstore_domain_interface, evtchn_port, 2076);
VAL(XS_DIRECTORY, 1);
VAL(XS_WATCH_EVENT, 15);
VAL(XS_ERROR, 16);
VAL(XENSTORE_RING_SIZE, 1024);

/* ---- Fixed numbers ------------------------------------------------------ */
VAL(HYPERVISOR_VIRT_START, 0xffff800000000000ULL);
VAL(HYPERVISOR_VIRT_END, 0xffff880000000000ULL);
VAL(MACH2PHYS_VIRT_START, 0xffff800000000000ULL);
VAL(MACH2PHYS_VIRT_END, 0xffff804000000000ULL);
VAL(FIRST_RESERVED_GDT_ENTRY, 7168);
VAL(FLAT_KERNEL_CS, 0xe033);
VAL(FLAT_KERNEL_SS, 0xe02b);
VAL(FLAT_KERNEL_DS, 0);
VAL(FLAT_RING3_CS32, 0xe023);
VAL(FLAT_RING3_DS32, 0xe02b);
VAL(DOMID_SELF, 0x7ff0);
VAL(DOMID_INVALID, 0x7ff4);

VAL(HC_NR_set_trap_table, 0);
VAL(HC_NR_mmu_update, 1);
VAL(HC_NR_stack_switch, 3);
VAL(HC_NR_fpu_taskswitch, 5);
VAL(HC_NR_set_debugreg, 8);
VAL(HC_NR_memory_op, 12);
VAL(HC_NR_multicall, 13);
VAL(HC_NR_update_va_mapping, 14);
VAL(HC_NR_xen_version, 17);
VAL(HC_NR_console_io, 18);
VAL(HC_NR_grant_table_op, 20);
VAL(HC_NR_vm_assist, 21);
VAL(HC_NR_iret, 23);
VAL(HC_NR_vcpu_op, 24);
VAL(HC_NR_set_segment_base, 25);
VAL(HC_NR_mmuext_op, 26);
VAL(HC_NR_sched_op, 29);
VAL(HC_NR_callback_op, 30);
VAL(HC_NR_event_channel_op, 32);
VAL(HC_NR_physdev_op, 33);
VAL(HC_NR_hvm_op, 34);
VAL(HC_NR_sysctl, 35);
VAL(HC_NR_domctl, 36);
VAL(HC_NR_mca, 48);
VAL(HC_PAGE_STUB_SIZE, 32);

VAL(ELFNOTE_ENTRY, 1);
VAL(ELFNOTE_HYPERCALL_PAGE, 2);
VAL(ELFNOTE_VIRT_BASE, 3);
VAL(ELFNOTE_PADDR_OFFSET, 4);
VAL(ELFNOTE_LOADER, 8);
VAL(ELFNOTE_FEATURES, 10);
VAL(ELFNOTE_HV_START_LOW, 12);
VAL(ELFNOTE_INIT_P2M, 15);
VAL(ELFNOTE_SUPPORTED_FEATURES, 17);
VAL(ELFNOTE_PHYS32_ENTRY, 18);

VAL(XENFEAT_writable_page_tables, 0);
VAL(XENFEAT_pae_pgdir_above_4gb, 4);
VAL(XENFEAT_hvm_callback_vector, 8);
VAL(XENFEAT_dom0, 11);
VAL(XENFEAT_linux_rsdp_unrestricted, 15);

VAL(SCHEDOP_yield, 0);
VAL(SCHEDOP_shutdown, 2);
VAL(SCHEDOP_shutdown_code, 5);
VAL(SHUTDOWN_crash, 3);
VAL(SHUTDOWN_watchdog, 4);
VAL(CALLBACKTYPE_event, 0);
VAL(CALLBACKTYPE_failsafe, 1);
VAL(CALLBACKTYPE_syscall, 2);
VAL(CALLBACKTYPE_nmi, 4);
VAL(VCPUOP_register_vcpu_info, 10);
VAL(VCPUOP_set_singleshot_timer, 8);
VAL(VMASST_TYPE_writable_pagetables, 2);
VAL(VMASST_TYPE_runstate_update_flag, 5);
VAL(XENVER_get_features, 6);
VAL(XENVER_guest_handle, 8);
VAL(PHYSDEVOP_set_iopl, 6);

/* Xen's public errno.h (= Linux x86 values). */
VAL(HV_EPERM, 1);
VAL(HV_ENOENT, 2);
VAL(HV_ESRCH, 3);
VAL(HV_EAGAIN, 11);
VAL(HV_ENOMEM, 12);
VAL(HV_EFAULT, 14);
VAL(HV_EBUSY, 16);
VAL(HV_EEXIST, 17);
VAL(HV_EINVAL, 22);
VAL(HV_ENOSPC, 28);
VAL(HV_ERANGE, 34);
VAL(HV_ENOSYS, 38);
VAL(HV_ETIME, 62);
VAL(HV_EOVERFLOW, 75);
VAL(HV_ERESTART, 85);
VAL(HV_EOPNOTSUPP, 95);
