// SPDX-License-Identifier: GPL-2.0
/*
 * Emulation of the privileged instructions a PV kernel executes in ring 3
 * and that reach us as #GP(0): rdmsr/wrmsr, mov to/from CR0/CR2/CR3/CR4,
 * clts, wbinvd/invd; and of the forced-emulation CPUID (#UD). Port I/O
 * comes with the Linux issue. Anything not recognised is bounced to the
 * guest as the original fault.
 */
#include <hv/console.h>
#include <hv/domain.h>
#include <hv/guest_access.h>
#include <hv/page-type.h>
#include <asm/cpu_info.h>
#include <asm/dom0_build.h>
#include <asm/page.h>
#include <asm/processor.h>
#include <asm/pv.h>

#define XEN_MSR_PAT 0x0000050100070406ULL
/* Always set in the virtual CR4; the guest may toggle only DE and TSD. */
#define GUEST_CR4_FIXED (X86_CR4_PAE | X86_CR4_OSFXSR | X86_CR4_OSXMMEXCPT)
#define GUEST_CR4_MASK (X86_CR4_DE | (1UL << 2) /* TSD */)

enum emul { EMUL_DONE, EMUL_GP, EMUL_UNHANDLED };

static enum emul read_msr(struct vcpu *v, uint32_t msr, uint64_t *val)
{
	switch (msr) {
	case MSR_EFER:
		*val = rdmsr(MSR_EFER) & (EFER_SCE | EFER_LME | EFER_LMA |
					  EFER_NXE);
		return EMUL_DONE;
	case MSR_FS_BASE:
	case MSR_GS_BASE:
	case MSR_SHADOW_GS_BASE:
		*val = rdmsr(msr);
		return EMUL_DONE;
	case MSR_IA32_TSC:
		*val = rdtsc();
		return EMUL_DONE;
	case MSR_APIC_BASE:
		*val = 0xfee00000ULL | (1ULL << 11) |
		       (v->vcpu_id == 0 ? 1ULL << 8 : 0);
		return EMUL_DONE;
	case MSR_PAT:
		*val = XEN_MSR_PAT;
		return EMUL_DONE;
	case MSR_MISC_ENABLE:
		*val = (1ULL << 0) | (1ULL << 11) | (1ULL << 12);
		return EMUL_DONE;
	}
	return EMUL_GP;
}

#define MSR_HYPERCALL_PAGE 0x40000000	/* CPUID leaf 0x40000002 ebx */

/* wrmsr(MSR_HYPERCALL_PAGE, mfn << 12 | 0): fill one of our frames. */
static enum emul hypercall_page_msr(struct vcpu *v, uint64_t val)
{
	mfn_t mfn = _mfn(val >> PAGE_SHIFT);
	struct page_info *pg;

	if ((val & (PAGE_SIZE - 1)) || !mfn_valid(mfn))
		return EMUL_GP;	/* one page only, index 0 */
	pg = mfn_to_page(mfn);
	if (get_page(pg, v->domain))
		return EMUL_GP;
	if (get_page_type(pg, PGT_writable)) {
		put_page(pg);
		return EMUL_GP;
	}
	fill_hypercall_page(mfn_to_virt(mfn));
	put_page_type(pg);
	put_page(pg);
	return EMUL_DONE;
}

static enum emul write_msr(struct vcpu *v, uint32_t msr, uint64_t val)
{
	uint64_t cur;

	switch (msr) {
	case MSR_HYPERCALL_PAGE:
		return hypercall_page_msr(v, val);
	case MSR_FS_BASE:
	case MSR_GS_BASE:		/* the kernel's (active) GS base */
	case MSR_SHADOW_GS_BASE:	/* the user's, while in kernel mode */
		if (!is_canonical(val))
			return EMUL_GP;
		wrmsr(msr, val);
		return EMUL_DONE;
	}
	/* Writes that change nothing are accepted (Linux rewrites some). */
	if (read_msr(v, msr, &cur) == EMUL_DONE && cur == val &&
	    msr != MSR_IA32_TSC)
		return EMUL_DONE;
	return EMUL_GP;
}

static enum emul emulate_msr(struct vcpu *v, struct cpu_regs *r, bool write)
{
	uint32_t msr = (uint32_t)r->rcx;
	uint64_t val = 0;
	enum emul e;

	if (write)
		e = write_msr(v, msr, (r->rdx << 32) | (uint32_t)r->rax);
	else
		e = read_msr(v, msr, &val);
	if (e == EMUL_GP && !v->arch.trap_ctxt[X86_EXC_GP].address) {
		/* No #GP handler yet: as Xen, read 0 and drop writes. */
		log_debug("d%u: %s of MSR %#x ignored (no #GP handler)",
			  v->domain->domid, write ? "write" : "read", msr);
		e = EMUL_DONE;
	}
	if (e == EMUL_DONE && !write) {
		r->rax = (uint32_t)val;
		r->rdx = val >> 32;
	}
	return e;
}

static enum emul read_cr(struct vcpu *v, unsigned int cr, uint64_t *val)
{
	switch (cr) {
	case 0:
		*val = (read_cr0() & ~X86_CR0_TS) |
		       (v->arch.fpu_ts ? X86_CR0_TS : 0);
		return EMUL_DONE;
	case 2:
		*val = v->vcpu_info->arch.cr2;
		return EMUL_DONE;
	case 3:
		*val = mfn_x(v->arch.guest_table) << PAGE_SHIFT;
		return EMUL_DONE;
	case 4:
		*val = v->arch.cr4;
		return EMUL_DONE;
	}
	return EMUL_GP;
}

static enum emul write_cr(struct vcpu *v, unsigned int cr, uint64_t val)
{
	uint64_t cur;

	switch (cr) {
	case 0:
		read_cr(v, 0, &cur);
		if ((val ^ cur) & ~X86_CR0_TS)
			return EMUL_GP;	/* only TS may change */
		v->arch.fpu_ts = val & X86_CR0_TS;
		if (v->arch.fpu_ts)
			stts();
		return EMUL_DONE;
	case 4:
		if ((val ^ v->arch.cr4) & ~GUEST_CR4_MASK)
			log_debug("d%u: CR4 bits %#llx ignored", v->domain->domid,
				  (unsigned long long)((val ^ v->arch.cr4) &
						       ~GUEST_CR4_MASK));
		/* Virtual only: the hardware CR4 is the hypervisor's. */
		v->arch.cr4 = GUEST_CR4_FIXED | (val & GUEST_CR4_MASK);
		return EMUL_DONE;
	}
	return EMUL_GP;
}

/* Decodes at rip: optional REX, then 0f xx [modrm]. */
bool pv_emulate_privileged_op(struct cpu_regs *r)
{
	struct vcpu *v = current;
	uint8_t insn[4] = { 0 };
	unsigned int i = 0, rex = 0, len, reg, rm;
	enum emul e = EMUL_UNHANDLED;
	uint64_t val;

	if (copy_from_guest(insn, r->rip, 2))
		return false;
	if ((insn[0] & 0xf0) == 0x40) {
		rex = insn[0];
		i = 1;
		if (copy_from_guest(insn, r->rip, 4))
			return false;
	} else if (insn[0] == 0x0f && (insn[1] == 0x20 || insn[1] == 0x22)) {
		if (copy_from_guest(insn, r->rip, 3))
			return false;
	}
	if (insn[i] != 0x0f)
		return false;
	len = i + 2;
	switch (insn[i + 1]) {
	case 0x30: /* wrmsr */
	case 0x32: /* rdmsr */
		e = emulate_msr(v, r, insn[i + 1] == 0x30);
		break;
	case 0x06: /* clts */
		v->arch.fpu_ts = false;
		clts();
		e = EMUL_DONE;
		break;
	case 0x08: /* invd */
	case 0x09: /* wbinvd: the guest owns no caches worth flushing */
		e = EMUL_DONE;
		break;
	case 0x20: /* mov %crN, reg */
	case 0x22: /* mov reg, %crN */
		if ((insn[i + 2] >> 6) != 3)
			return false;
		reg = ((insn[i + 2] >> 3) & 7) | ((rex & 4) << 1);
		rm = (insn[i + 2] & 7) | ((rex & 1) << 3);
		len++;
		if (insn[i + 1] == 0x20) {
			e = read_cr(v, reg, &val);
			if (e == EMUL_DONE)
				*regs_gpr(r, rm) = val;
		} else {
			e = write_cr(v, reg, *regs_gpr(r, rm));
		}
		break;
	}
	if (e != EMUL_DONE)
		return false;
	r->rip += len;
	return true;
}

bool pv_emulate_forced_cpuid(struct cpu_regs *r)
{
	static const uint8_t sig[7] = { 0x0f, 0x0b, 'x', 'e', 'n', 0x0f, 0xa2 };
	uint8_t insn[7];
	struct cpuid_regs res;

	if (copy_from_guest(insn, r->rip, sizeof(insn)) ||
	    __builtin_memcmp(insn, sig, sizeof(sig)))
		return false;
	pv_cpuid((uint32_t)r->rax, (uint32_t)r->rcx, &res);
	r->rax = res.a;
	r->rbx = res.b;
	r->rcx = res.c;
	r->rdx = res.d;
	r->rip += sizeof(sig);
	return true;
}
