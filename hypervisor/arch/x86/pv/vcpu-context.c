// SPDX-License-Identifier: GPL-2.0
/*
 * VCPUOP_initialise: a secondary vCPU's first context from the guest's
 * vcpu_guest_context (linux-pv-requirements.md 4.6). Validated in full
 * before anything changes (copy in -> check -> act): canonical addresses,
 * the kernel (and user) L4 taken as PGT_l4 type references, GDT frames as
 * descriptor pages. Guest privilege is forced on every selector.
 * LDTs are not accepted here (ldt_ents must be 0; Linux passes 0): a
 * deviation from Xen, which maps them on first use.
 */
#include <hv/arch.h>
#include <hv/domain.h>
#include <hv/errno.h>
#include <hv/guest_access.h>
#include <hv/page-type.h>
#include <hv/string.h>
#include <hv/timer.h>
#include <asm/page.h>
#include <asm/processor.h>

/* One context buffer per CPU: interrupts are off during the call. */
static struct vcpu_guest_context ctxt_buf[NR_CPUS];

static bool callbacks_ok(const struct vcpu_guest_context *c)
{
	if (!is_canonical(c->user_regs.rip) || !is_canonical(c->user_regs.rsp))
		return false;
	if (!is_canonical(c->event_callback_eip) ||
	    !is_canonical(c->failsafe_callback_eip) ||
	    !is_canonical(c->syscall_callback_eip))
		return false;
	for (unsigned int i = 0; i < 256; i++)
		if (!is_canonical(c->trap_ctxt[i].address))
			return false;
	return is_canonical(c->fs_base) && is_canonical(c->gs_base_kernel) &&
	       is_canonical(c->gs_base_user);
}

/* Takes the frame references the context needs; undoes them on error. */
static int take_frames(struct vcpu *v, const struct vcpu_guest_context *c,
		       mfn_t *gdt, unsigned int nr_gdt, mfn_t l4, mfn_t ul4)
{
	struct domain *d = v->domain;
	unsigned int i;

	if (get_page_and_type(l4, d, PGT_l4))
		return -EINVAL;
	if (mfn_x(ul4) != mfn_x(INVALID_MFN) &&
	    get_page_and_type(ul4, d, PGT_l4))
		goto err_put_l4;
	for (i = 0; i < nr_gdt; i++) {
		gdt[i] = _mfn(c->gdt_frames[i]);
		if (get_page_and_type(gdt[i], d, PGT_seg_desc))
			goto err_put_gdt;
	}
	return 0;

err_put_gdt:
	while (i--)
		put_page_and_type(gdt[i]);
	if (mfn_x(ul4) != mfn_x(INVALID_MFN))
		put_page_and_type(ul4);
err_put_l4:
	put_page_and_type(l4);
	return -EINVAL;
}

#define FXSAVE_MXCSR 24
#define FXSAVE_MXCSR_MASK 28

/* The MXCSR bits this CPU implements (fxsave's mask; 0 means 0xffbf). */
static uint32_t mxcsr_mask(void)
{
	static uint8_t area[512] __aligned(16);
	unsigned long cr0 = read_cr0();
	uint32_t mask;

	clts(); /* TS may mirror the guest's virtual CR0.TS */
	asm volatile("fxsave %0" : "=m"(area));
	write_cr0(cr0);
	mask = *(uint32_t *)(area + FXSAVE_MXCSR_MASK);
	return mask ? mask : 0xffbf;
}

static void load_context(struct vcpu *v, const struct vcpu_guest_context *c)
{
	struct arch_vcpu *a = &v->arch;
	struct cpu_regs *r = &a->user_regs;

	if (c->flags & VGCF_i387_valid) {
		memcpy(a->fpu_ctxt, c->fpu_ctxt, sizeof(a->fpu_ctxt));
		/* MXCSR bits the CPU lacks would #GP our fxrstor. */
		*(uint32_t *)(a->fpu_ctxt + FXSAVE_MXCSR) &= mxcsr_mask();
	} else {
		arch_vcpu_init_fpu(v);
	}
	BUILD_BUG_ON(sizeof(*r) > sizeof(c->user_regs));
	memset(r, 0, sizeof(*r));
	memcpy(r, &c->user_regs, offsetof(struct cpu_user_regs, error_code));
	r->rip = c->user_regs.rip;
	r->rsp = c->user_regs.rsp;
	r->cs = c->user_regs.cs | 3; /* force guest privilege */
	r->ss = c->user_regs.ss | 3;
	a->iopl = (c->user_regs.rflags & X86_EFLAGS_IOPL) >> 12;
	r->rflags = (c->user_regs.rflags & ~(X86_EFLAGS_IOPL | X86_EFLAGS_VM)) |
		    X86_EFLAGS_IF | X86_EFLAGS_MBS;
	for (unsigned int i = 0; i < 256; i++) {
		a->trap_ctxt[i] = c->trap_ctxt[i];
		a->trap_ctxt[i].cs |= 3; /* force guest privilege */
	}
	a->kernel_ss = c->kernel_ss | 3;
	a->kernel_sp = c->kernel_sp;
	a->event_cb = (struct pv_callback){c->event_callback_eip, true};
	a->failsafe_cb =
	    (struct pv_callback){c->failsafe_callback_eip,
				 !!(c->flags & VGCF_failsafe_disables_events)};
	a->syscall_cb =
	    (struct pv_callback){c->syscall_callback_eip,
				 !!(c->flags & VGCF_syscall_disables_events)};
	a->fs_base = c->fs_base;
	a->gs_base_kernel = c->gs_base_kernel;
	a->gs_base_user = c->gs_base_user;
	a->sel_ds = a->sel_es = a->sel_fs = a->sel_gs = 0;
	a->kernel_mode = c->flags & VGCF_in_kernel;
}

long arch_initialise_vcpu(struct vcpu *v, unsigned long arg)
{
	struct vcpu_guest_context *c = &ctxt_buf[v->processor];
	mfn_t gdt[FIRST_RESERVED_GDT_PAGE], l4, ul4;
	unsigned int nr_gdt;
	long rc;

	if (copy_from_guest(c, arg, sizeof(*c)))
		return -EFAULT;
	if (v->is_initialised)
		return -EEXIST;
	nr_gdt = (unsigned int)((c->gdt_ents + 511) / 512);
	if (c->gdt_ents > FIRST_RESERVED_GDT_ENTRY || c->ldt_ents ||
	    !callbacks_ok(c))
		return -EINVAL;
	l4 = _mfn(c->ctrlreg[3] >> PAGE_SHIFT);
	ul4 = c->ctrlreg[1] ? _mfn(c->ctrlreg[1] >> PAGE_SHIFT) : INVALID_MFN;
	if (!(c->flags & VGCF_in_kernel) && mfn_x(ul4) == mfn_x(INVALID_MFN))
		return -EINVAL; /* user mode needs a user page table */
	rc = take_frames(v, c, gdt, nr_gdt, l4, ul4);
	if (rc)
		return rc;
	load_context(v, c);
	v->arch.guest_table = l4;
	v->arch.guest_table_user = ul4;
	memcpy(v->arch.gdt_frames, gdt, nr_gdt * sizeof(gdt[0]));
	v->arch.nr_gdt_frames = nr_gdt;
	v->arch.gdt_ents = (unsigned int)c->gdt_ents;
	v->is_initialised = true;
	return 0;
}
