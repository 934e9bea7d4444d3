// SPDX-License-Identifier: GPL-2.0
/*
 * Small per-vCPU state hypercalls: set_segment_base (25), fpu_taskswitch
 * (5), set_debugreg (8), get_debugreg (9) and vm_assist (21). With one
 * vCPU per physical CPU the hardware registers are the vCPU's, so values
 * are written through at once; context switching saves them later.
 */
#include <hv/domain.h>
#include <hv/errno.h>
#include <hv/guest_access.h>
#include <hv/hypercall.h>
#include <asm/cpu_info.h>
#include <asm/page.h>
#include <asm/processor.h>

#define DR6_RESERVED_ZERO (~0xffffefffULL)
#define DR6_RESERVED_ONE 0xffff0ff0ULL
#define DR7_RESERVED_ZERO (~0xffff27ffULL)
#define DR7_RESERVED_ONE 0x400ULL
#define DR7_GENERAL_DETECT 0x2000ULL
#define DR7_ACTIVE_MASK 0xffULL
#define DR7_RW_IO 2

#define PV64_VM_ASSIST_MASK                                                   \
	((1ULL << VMASST_TYPE_4gb_segments) |                                 \
	 (1ULL << VMASST_TYPE_4gb_segments_notify) |                          \
	 (1ULL << VMASST_TYPE_writable_pagetables) |                          \
	 (1ULL << VMASST_TYPE_pae_extended_cr3) |                             \
	 (1ULL << VMASST_TYPE_architectural_iopl) |                           \
	 (1ULL << VMASST_TYPE_runstate_update_flag) |                         \
	 (1ULL << VMASST_TYPE_m2p_strict))

/* Loads @sel into %gs while the user's GS base is active; NUL on fault. */
static void load_user_gs_selector(unsigned int sel)
{
	if (sel > 3)
		sel |= 3;	/* force guest privilege */
	swapgs();
	asm volatile("1: mov %k0, %%gs\n"
		     "2:\n"
		     ".section .ex_table, \"a\"\n"
		     ".quad 1b, 3f\n"
		     ".previous\n"
		     ".section .text.fixup, \"ax\"\n"
		     "3: xor %k0, %k0\n"
		     "   mov %k0, %%gs\n"
		     "   jmp 2b\n"
		     ".previous"
		     : "+r"(sel));
	swapgs();
}

long do_set_segment_base(unsigned long which, unsigned long base)
{
	switch ((uint32_t)which) {
	case SEGBASE_FS:
	case SEGBASE_GS_USER:
	case SEGBASE_GS_KERNEL:
		if (!is_canonical(base))
			return -EINVAL;
		wrmsr((uint32_t)which == SEGBASE_FS ? MSR_FS_BASE :
		      (uint32_t)which == SEGBASE_GS_USER ? MSR_SHADOW_GS_BASE :
							   MSR_GS_BASE,
		      base);
		return 0;
	case SEGBASE_GS_USER_SEL:
		load_user_gs_selector((uint16_t)base);
		return 0;
	}
	return -EINVAL;
}

long do_fpu_taskswitch(unsigned long set)
{
	struct vcpu *v = current;

	v->arch.fpu_ts = (int)set != 0;
	if (v->arch.fpu_ts)
		stts();
	else
		clts();
	return 0;
}

static void write_dr(unsigned int reg, uint64_t val)
{
	switch (reg) {
	case 0: asm volatile("mov %0, %%db0" ::"r"(val)); break;
	case 1: asm volatile("mov %0, %%db1" ::"r"(val)); break;
	case 2: asm volatile("mov %0, %%db2" ::"r"(val)); break;
	case 3: asm volatile("mov %0, %%db3" ::"r"(val)); break;
	case 6: asm volatile("mov %0, %%db6" ::"r"(val)); break;
	case 7: asm volatile("mov %0, %%db7" ::"r"(val)); break;
	}
}

static long check_dr7(uint64_t *val)
{
	if (*val != (uint32_t)*val)
		return -EINVAL;		/* upper half reserved */
	*val = (*val & ~DR7_RESERVED_ZERO) | DR7_RESERVED_ONE;
	if (*val & DR7_GENERAL_DETECT)
		return -EPERM;
	for (unsigned int i = 16; i < 32; i += 4)
		if ((*val & DR7_ACTIVE_MASK) && ((*val >> i) & 3) == DR7_RW_IO)
			return -EPERM;	/* I/O breakpoints need CR4.DE */
	return 0;
}

long do_set_debugreg(unsigned long g_reg, unsigned long value)
{
	struct vcpu *v = current;
	unsigned int reg = (int)g_reg;
	long rc;

	switch (reg) {
	case 0 ... 3:
		if (!guest_range_ok(value, sizeof(long)))
			return -EPERM;
		break;
	case 4:
	case 6:
		if (value != (uint32_t)value)
			return -EINVAL;
		value = (value & ~DR6_RESERVED_ZERO) | DR6_RESERVED_ONE;
		reg = 6;
		break;
	case 5:
	case 7:
		rc = check_dr7(&value);
		if (rc)
			return rc;
		reg = 7;
		break;
	default:
		return -ENODEV;
	}
	v->arch.debugreg[reg] = value;
	write_dr(reg, value);
	return 0;
}

long do_get_debugreg(unsigned long g_reg)
{
	unsigned int reg = (int)g_reg;

	switch (reg) {
	case 0 ... 3:
	case 6:
	case 7:
		return (long)current->arch.debugreg[reg];
	case 4:
	case 5:
		return (long)current->arch.debugreg[reg + 2];
	}
	return -ENODEV;
}

long do_vm_assist(unsigned long cmd, unsigned long g_type)
{
	struct domain *d = current->domain;
	uint32_t type = (uint32_t)g_type;	/* the ABI's type is 32 bits */

	if (type >= 64 || !(PV64_VM_ASSIST_MASK & (1ULL << type)))
		return -EINVAL;
	switch ((uint32_t)cmd) {
	case VMASST_CMD_enable:
		d->arch.vm_assist |= 1ULL << type;
		return 0;
	case VMASST_CMD_disable:
		d->arch.vm_assist &= ~(1ULL << type);
		return 0;
	}
	return -ENOSYS;
}
